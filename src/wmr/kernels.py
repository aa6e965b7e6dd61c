"""A kernel manager on the ipc transport with a private socket path, so parallel kernels never collide on ports."""
from __future__ import annotations

import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager


class IpcKernelManager(AsyncKernelManager):
    """AsyncKernelManager that talks over unix sockets in a fresh temporary folder."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.transport = "ipc"
        self.ip = str(Path(tempfile.mkdtemp(prefix="wmr-kernel-")) / "kernel")
