"""Crashes heal: what a build killed with `kill -9` leaves behind is removed by the next build, and only that.

Every temporary folder or file a build makes carries the id of the process that made it (`staging_prefix`,
`socket_prefix`, the `.tmp-<pid>` of atomic writes); the next build removes those whose process is gone, so a
running build's work is never touched. Runs under the edition's build lock (see buildlock).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from wmr.core import paths

STAGING_RE = re.compile(r"^\.staging-(?P<edition>.+)-(?P<pid>\d+)-[A-Za-z0-9_]+$")
SOCKET_RE = re.compile(r"^wmr-kernel-(?P<pid>\d+)-[A-Za-z0-9_]+$")
TMP_FILE_RE = re.compile(r"^\..+\.tmp-(?P<pid>\d+)$")
PARQUET_MAGIC = b"PAR1"


def staging_prefix(edition_id: str) -> str:
    """Prefix of a staging folder (figures/ or report/) made by this process for `edition_id`."""
    return f".staging-{edition_id}-{os.getpid()}-"


def socket_prefix() -> str:
    """Prefix of a kernel socket folder made by this process (in the system's temporary folder)."""
    return f"wmr-kernel-{os.getpid()}-"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (a process of another user counts as alive; a zombie, which an init
    that does not reap orphans can keep in the process table after a kill -9, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid > 0 and not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # no /proc (not Linux) or the process just ended: kill(0) above is the answer
    return stat[stat.rindex(")") + 2:].startswith(("Z", "X"))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def stale_leftovers(edition_id: str) -> list[Path]:
    """Staging and socket folders and half-written files left by dead builds (of this edition, or any kernel)."""
    root = paths.project_root()
    found: list[Path] = []
    for folder in (root / "figures", root / "report"):
        for p in folder.glob(".staging-*") if folder.is_dir() else []:
            m = STAGING_RE.match(p.name)
            if m and m["edition"] == edition_id and not pid_alive(int(m["pid"])):
                found.append(p)
    for folder in (root / "chapters" / edition_id, root / "figures" / edition_id, paths.cache_dir() / "tidy",
                   paths.cache_dir() / "downloads"):
        for p in folder.rglob(".*.tmp-*") if folder.is_dir() else []:
            m = TMP_FILE_RE.match(p.name)
            if m and not pid_alive(int(m["pid"])):
                found.append(p)
    return found + dead_sockets()


def dead_sockets() -> list[Path]:
    """Kernel socket folders (in the system's temporary folder) whose process has ended."""
    found = []
    for p in Path(tempfile.gettempdir()).glob("wmr-kernel-*"):
        m = SOCKET_RE.match(p.name)
        if m and not pid_alive(int(m["pid"])):
            found.append(p)
    return found


def remove_dead_sockets() -> None:
    """Remove the kernel socket folders of ended processes (e.g. worker processes that stopped before removing
    theirs); those of live builds are kept."""
    for p in dead_sockets():
        _remove(p)


def heal(edition_id: str, say: Callable[[str], None]) -> None:
    """Undo what dead builds of the edition left: an interrupted swap, staging folders, sockets, partial files.

    Called with the edition's lock held, so no live build of this edition is between the two renames of a swap.
    """
    root = paths.project_root()
    final, old = root / "report" / edition_id, root / "report" / f".old-{edition_id}"
    if old.is_dir():
        if not final.exists():
            old.rename(final)  # killed between the two renames: the previous edition is restored
            say(f"   restored report/{edition_id} from an interrupted publication")
        else:
            shutil.rmtree(old, ignore_errors=True)
    stale = stale_leftovers(edition_id)
    for p in stale:
        _remove(p)
    if stale:
        say(f"   removed {len(stale)} folder(s)/file(s) left by an interrupted build: "
            + ", ".join(p.name for p in stale[:4]) + (", ..." if len(stale) > 4 else ""))


def discard_unreadable_tidy(say: Callable[[str], None]) -> list[Path]:
    """Delete tidy-cache parquet files that are cut short (no PAR1 marks at both ends); they are rebuilt on use."""
    folder = paths.cache_dir() / "tidy"
    bad = []
    for p in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        try:
            with open(p, "rb") as fh:
                head = fh.read(4)
                fh.seek(max(0, p.stat().st_size - 4))
                tail = fh.read(4)
        except OSError:
            head = tail = b""
        if head != PARQUET_MAGIC or tail != PARQUET_MAGIC or p.stat().st_size < 12:
            p.unlink(missing_ok=True)
            bad.append(p)
            say(f"   notice: discarded the unreadable tidy cache file data/cache/tidy/{p.name}; it is rebuilt from "
                "the verified raw file when a chapter next reads it")
    return bad


def die_with_parent() -> None:
    """Ask Linux to SIGTERM this process when its parent dies (a worker of a build killed with kill -9)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the worker ends when it next talks to its dead parent
