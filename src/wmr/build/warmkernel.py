"""Many short runs of one notebook in one kernel per worker: the kernel start and imports are paid once.

Profiles are one notebook run hundreds of times; starting a kernel (about 1 s) and importing pandas,
matplotlib and `wmr` (about 1.5 s) for each would cost more than the run itself. A worker keeps one
kernel alive between runs. Before each run the kernel's namespace is cleared (`%reset -f`) and its
environment is set for the run (figure folder, read log), so a run sees only its own parameters; loaded
modules and their in-memory caches of tidy tables stay. Execution counts are renumbered from 1, so the
executed notebook has the same bytes as after a fresh kernel. After a failure the kernel is discarded.
"""
from __future__ import annotations

import atexit
import datetime as dt
import json
import threading

import nbformat
from nbclient import NotebookClient

from .kernels import IpcKernelManager

_LOCAL = threading.local()   # one kept kernel per worker thread (a Dask worker may run several threads)


def _state() -> dict:
    if not hasattr(_LOCAL, "state"):
        _LOCAL.state = {"km": None, "kc": None}
    return _LOCAL.state


def _setup_source(env: dict[str, str], cwd: str) -> str:
    """Code run (hidden) before each notebook: enter the run's folder (the previous run's may be deleted, and
    `%reset` needs a working directory), set its environment, log the wmr modules already loaded (the
    run's imports, see importlog), then clear the namespace."""
    return ("import os as _os\n"
            f"_os.chdir({json.dumps(cwd)})\n"
            f"_os.environ.update({json.dumps(env)})\n"
            "del _os\n"
            "if 'wmr.core.importlog' in __import__('sys').modules:\n"  # this run's read log gets the modules loaded
            "    __import__('sys').modules['wmr.core.importlog'].log_loaded()\n"
            "get_ipython().run_line_magic('reset', '-f')")


def _mark_start(cell, cell_index, **_kwargs) -> None:
    """Record that the cell started, as papermill does, so a failure can be located (execute.mark_failure)."""
    cell.metadata["papermill"] = {"start_time": dt.datetime.now(dt.timezone.utc).isoformat()}


def discard(state: dict | None = None) -> None:
    """Shut the thread's kept kernel down (after a failure, or when the worker exits)."""
    state = state if state is not None else _state()
    km, kc = state["km"], state["kc"]
    state.update(km=None, kc=None)
    if kc is not None:
        try:
            kc.stop_channels()
        except Exception:  # noqa: BLE001  (a dead kernel's channels may already be gone)
            pass
    if km is not None:
        from jupyter_core.utils import run_sync

        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001
            pass


def _alive(km: IpcKernelManager) -> bool:
    from jupyter_core.utils import run_sync

    try:
        return bool(run_sync(km.is_alive)())
    except Exception:  # noqa: BLE001  (a kernel whose process is gone)
        return False


def execute(nb: nbformat.NotebookNode, out_path: str, cwd: str, env: dict[str, str], timeout: int) -> None:
    """Execute `nb` in the worker's kept kernel and write it to `out_path` (also when a cell fails).

    Raises what nbclient raises (CellExecutionError, CellTimeoutError, DeadKernelError) after writing.
    """
    setup = nbformat.v4.new_code_cell(_setup_source(env, cwd))
    setup.id = "wmr-warm-setup"
    nb.cells.insert(0, setup)
    state = _state()
    if state["km"] is not None and not _alive(state["km"]):
        discard(state)   # killed since the last run (a build on a shared cluster stops its kernels at its end)
    if state["km"] is None:
        state["km"] = IpcKernelManager(kernel_name="python3")
        atexit.register(discard, state)
    client = NotebookClient(nb, km=state["km"], timeout=timeout, kernel_name="python3", allow_errors=False,
                            record_timing=False, on_cell_start=_mark_start)
    client.kc = state["kc"]
    try:
        client.execute(cwd=cwd)
    except BaseException:
        discard(state)
        raise
    finally:
        state["kc"] = client.kc if state["km"] is not None else None
        nb.cells = [c for c in nb.cells if c.get("id") != setup.id]
        count = 0
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("execution_count") is not None:
                count += 1
                cell.execution_count = count
                for out in cell.get("outputs", []):
                    if "execution_count" in out:
                        out["execution_count"] = count
        nbformat.write(nb, out_path)
