"""Every run in its worker's kept kernel, through papermill: the kernel start and library imports are paid once.

Starting a kernel (about 1.8 s) and importing pandas and matplotlib (about 1.4 s) cost more than many runs
themselves (a profile, a region). A worker keeps one kernel alive between runs; papermill executes each
notebook in it through the engine below. Before each run a hidden cell enters the run's folder, sets its
environment and clears the namespace (`%reset -f`), so a run sees only its own parameters. Chapters also
unload every `wmr` module first, so each imports (and logs, see importlog) exactly what it would in a new
kernel; consecutive runs of one notebook (the regions, the profiles) keep them loaded with their in-memory
caches and log those already loaded (`pins.memo` logs the reads behind a cached result again). Execution counts are renumbered from 1, so the executed notebook has the bytes it
would have after a new kernel. After a failure the kernel is discarded.
"""
from __future__ import annotations

import atexit
import json
import threading

import nbformat
import papermill
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from .kernels import IpcKernelManager

_LOCAL = threading.local()   # one kept kernel per worker thread (a Dask worker may run several threads)


def _state() -> dict:
    if not hasattr(_LOCAL, "state"):
        _LOCAL.state = {"km": None, "kc": None, "group": None}
    return _LOCAL.state


# Unload the wmr modules (and the import logger's finder, which `import wmr` installs again) so the run
# imports them as in a new kernel; third-party libraries stay loaded.
_UNLOAD = ("import sys as _sys\n"
           "_sys.meta_path[:] = [_f for _f in _sys.meta_path if type(_f).__module__ != 'wmr.core.importlog']\n"
           "for _n in [_n for _n in _sys.modules if _n == 'wmr' or _n.startswith('wmr.')]:\n"
           "    del _sys.modules[_n]\n"
           "del _sys\n")
_LOG_LOADED = ("if 'wmr.core.importlog' in __import__('sys').modules:\n"  # this run's read log gets the modules loaded
               "    __import__('sys').modules['wmr.core.importlog'].log_loaded()\n"
               "if 'wmr.kernel.pins' in __import__('sys').modules:\n"  # nothing read yet; memoised results replay reads
               "    __import__('sys').modules['wmr.kernel.pins'].start_run()\n")


def _setup_source(env: dict[str, str], cwd: str, keep_modules: bool) -> str:
    """Code run (hidden) before each notebook: enter the run's folder (the previous run's may be deleted, and
    `%reset` needs a working directory), set its environment, unload the wmr modules or log those loaded (the
    run's imports, see importlog), then clear the namespace."""
    return ("import os as _os\n"
            f"_os.chdir({json.dumps(cwd)})\n"
            f"_os.environ.update({json.dumps(env)})\n"
            "del _os\n"
            + (_LOG_LOADED if keep_modules else _UNLOAD) +
            "get_ipython().run_line_magic('reset', '-f')")


class KeptKernelEngine(NBClientEngine):
    """papermill's nbclient engine, executing in the kernel (manager and client) held in `kept`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, kept=None, save_to=None, **kwargs):
        kwargs.pop("input_path", None)
        client = PapermillNotebookClient(nb_man, km=kept["km"], timeout=execution_timeout,
                                         startup_timeout=start_timeout, kernel_name=kernel_name,
                                         log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
                                         **kwargs)
        client.kc = kept["kc"]
        try:
            return client.execute()
        except BaseException:   # a timeout or a dead kernel: keep what ran, so the report can name the cell
            nbformat.write(nb_man.nb, save_to)
            raise
        finally:
            kept["kc"] = client.kc


ENGINE = "wmr-kept-kernel"
papermill_engines.register(ENGINE, KeptKernelEngine)


def discard(state: dict | None = None) -> None:
    """Shut the thread's kept kernel down (after a failure, or when the worker exits)."""
    state = state if state is not None else _state()
    km, kc = state["km"], state["kc"]
    state.update(km=None, kc=None, group=None)
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


def execute(nb: nbformat.NotebookNode, out_path: str, cwd: str, env: dict[str, str], timeout: int,
            group: str = "", keep_modules: bool = False) -> None:
    """Execute `nb` with papermill in the worker's kept kernel and write it to `out_path` (also when a cell fails).

    Raises what papermill raises (PapermillExecutionError, CellTimeoutError, DeadKernelError) after writing.
    `keep_modules`: leave the wmr modules loaded when the kernel's previous run was of the same `group` (one
    notebook run many times, e.g. 'wmr-2026/profiles'); otherwise they are unloaded first.
    """
    state = _state()
    if state["km"] is not None and not _alive(state["km"]):
        discard(state)   # killed since the last run (a build on a shared cluster stops its kernels at its end)
    if state["km"] is None:
        state["km"] = IpcKernelManager(kernel_name="python3")
        atexit.register(discard, state)
    keep = keep_modules and state["group"] == group
    setup = nbformat.v4.new_code_cell(_setup_source(env, cwd, keep))
    setup.id = "wmr-warm-setup"
    nb.cells.insert(0, setup)
    state["group"] = group
    try:
        # written once at the end (papermill would write the whole notebook twice per cell), or on an error
        papermill.execute_notebook(nb, out_path, engine_name=ENGINE, kept=state, save_to=out_path,
                                   request_save_on_cell_execute=False, kernel_name="python3", progress_bar=False,
                                   log_output=False, record_timing=False, execution_timeout=timeout)
    except BaseException:
        discard(state)
        raise
    finally:
        _without_setup(out_path, setup.id)


def _without_setup(out_path: str, setup_id: str) -> None:
    """Remove the hidden set-up cell from the executed notebook and number the executions from 1."""
    try:
        nb = nbformat.read(out_path, as_version=4)
    except (OSError, ValueError):
        return   # papermill stopped before writing it
    nb.cells = [c for c in nb.cells if c.get("id") != setup_id]
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = count
    nbformat.write(nb, out_path)
