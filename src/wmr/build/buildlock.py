"""One build per edition at a time: an exclusive lock on chapters/.build-<edition>.lock.

The lock is an OS file lock (flock), so it is released the moment its build ends, however it ends (kill -9
included): a lock is never stale. Builds of different editions use different files and run side by side.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from wmr.core import paths
from wmr.core.errors import BuildBusyError


def lock_path(edition_id: str) -> Path:
    return paths.chapters_root() / f".build-{edition_id}.lock"


def _holder(path: Path) -> str:
    """Who holds the lock, as its holder wrote it ('pid 123, since 10:02:11 UTC'), or 'unknown'."""
    try:
        return path.read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"


@contextmanager
def edition_lock(edition_id: str, wait: bool, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the edition's build lock; wait for it (saying so) or, with `wait=False`, refuse at once."""
    path = lock_path(edition_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(path)
            if not wait:
                raise BuildBusyError(f"Another build of edition '{edition_id}' is running ({holder}); this one was "
                                     "not started (--no-wait).", expected="no other build of this edition",
                                     got=f"the lock {path.name} is held", fix="wait for the other build to finish, "
                                     "or rerun without --no-wait to queue behind it") from None
            say(f"   waiting: another build of '{edition_id}' is running ({holder}); this build starts when it "
                "finishes (Ctrl-C to give up, --no-wait to refuse instead)")
            fcntl.flock(fd, fcntl.LOCK_EX)
            say(f"   the other build of '{edition_id}' finished; starting")
        since = dt.datetime.now(dt.timezone.utc).strftime("%H:%M:%S UTC")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, since {since}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
