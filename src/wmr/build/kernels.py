"""Kernels on the ipc transport with a private socket folder, so parallel kernels never collide on ports.

Every kernel started in this process is remembered with the task that started it, so an interrupted build
can kill its kernels at once (a kernel runs in its own session and would not see the terminal's Ctrl-C).
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

from . import recovery

_LIVE: list["IpcKernelManager"] = []
_OWNER: dict = {"task": None, "stderr": None}  # set by the run task (one task at a time per worker process)


def set_owner(task: str | None, stderr: int | None = None) -> None:
    """Name the task that the next kernels belong to, and the open file their stderr goes to (None: inherited)."""
    _OWNER.update(task=task, stderr=stderr)


class IpcKernelManager(AsyncKernelManager):
    """AsyncKernelManager that talks over unix sockets in a fresh temporary folder."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.transport = "ipc"
        self._socket_dir = Path(tempfile.mkdtemp(prefix=recovery.socket_prefix()))
        self.ip = str(self._socket_dir / "kernel")
        self.owner = _OWNER["task"]
        _LIVE.append(self)

    async def _async_pre_start_kernel(self, **kw):
        """The kernel's own chatter (e.g. on shutdown) goes to the task's log, not to the worker's output."""
        if _OWNER["stderr"] is not None and "stderr" not in kw:
            kw["stderr"] = _OWNER["stderr"]
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        """Also remove the socket folder and forget the kernel (called by shutdown, and as cleanup_resources)."""
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            if self in _LIVE:
                _LIVE.remove(self)

    cleanup_resources = _async_cleanup_resources

    def kernel_pid(self) -> int | None:
        proc = getattr(self.provisioner, "process", None) if self.provisioner else None
        return getattr(proc, "pid", None)


def kill_all(owners: set[str] | None = None) -> int:
    """SIGKILL the kernels this process started (only those of `owners`' tasks, if given); returns how many."""
    killed = 0
    for km in list(_LIVE):
        if owners is not None and km.owner not in owners:
            continue
        pid = km.kernel_pid()
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)  # the kernel leads its own session, so its group is its pid
                killed += 1
            except (ProcessLookupError, PermissionError):
                pass
        shutil.rmtree(km._socket_dir, ignore_errors=True)
        _LIVE.remove(km)
    return killed
