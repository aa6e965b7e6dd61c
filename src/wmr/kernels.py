"""Kernels on the ipc transport with a private socket folder, so parallel kernels never collide on ports.

Every kernel started in this process is remembered, so an interrupted build can kill them all at once
(a kernel runs in its own session and would not see the terminal's Ctrl-C).
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


class IpcKernelManager(AsyncKernelManager):
    """AsyncKernelManager that talks over unix sockets in a fresh temporary folder."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.transport = "ipc"
        self._socket_dir = Path(tempfile.mkdtemp(prefix=recovery.socket_prefix()))
        self.ip = str(self._socket_dir / "kernel")
        _LIVE.append(self)

    def cleanup_resources(self, restart: bool = False) -> None:
        super().cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            if self in _LIVE:
                _LIVE.remove(self)

    def kernel_pid(self) -> int | None:
        proc = getattr(self.provisioner, "process", None) if self.provisioner else None
        return getattr(proc, "pid", None)


def kill_all() -> None:
    """SIGKILL every kernel this process started (with its process group) and remove their sockets."""
    for km in _LIVE:
        pid = km.kernel_pid()
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)  # the kernel leads its own session, so its group is its pid
            except (ProcessLookupError, PermissionError):
                pass
        shutil.rmtree(km._socket_dir, ignore_errors=True)
    _LIVE.clear()
