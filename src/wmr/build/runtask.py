"""One notebook run as a self-contained task: what a worker receives, does and returns.

A worker need not share the client's file system. The task carries the notebook (parameters injected),
the pins of the sources it may read (with the bytes of project-owned tables) and the library identity
the client expects. The worker runs it in a temporary folder of its own: pins resolve from the worker's
mirror ($WMR_DATA_MIRROR in the worker's environment) or from their byte-exact URLs and are verified by
sha256 as they are read. It returns the executed notebook, the figure files and the read log; the client
writes and publishes them. Nothing here writes into the project.
"""
from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path, PurePosixPath

from wmr.core import paths
from wmr.core.errors import WMRError
from wmr.core.protocol import FIGURES_ENV, READ_LOG_ENV

WORKER_CACHE_ENV = "WMR_WORKER_CACHE"  # a worker's persistent cache (tidy tables, downloads); default: per worker process
BUILD_PROJECT_ENV = "WMR_BUILD_PROJECT"  # label in a kernel's environment: the client project it runs for
PINNED_THREADS = {"OMP_NUM_THREADS": "1"}  # one thread per kernel: results and load do not depend on the cores


class LibraryMismatch(WMRError):
    """A worker's wmr library or pinned dependency versions differ from the client's."""


def identity(dependencies: list[str]) -> dict:
    """This process's wmr library fingerprint, Python version and installed versions of `dependencies`."""
    from .freshness import library_fingerprint

    versions = {}
    for name in dependencies:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {"library": library_fingerprint(), "python": platform.python_version(), "dependencies": versions}


def differences(expected: dict, got: dict) -> list[str]:
    """What differs between two identities, e.g. ['wmr library code', 'pandas 3.1.1 (client) vs 3.0.0 (worker)']."""
    diffs = []
    if expected.get("library") != got.get("library"):
        diffs.append(f"wmr library code (fingerprint {expected.get('library', '')[:12]} (client) vs "
                     f"{str(got.get('library', ''))[:12]} (worker))")
    if expected.get("python") != got.get("python"):
        diffs.append(f"Python {expected.get('python')} (client) vs {got.get('python')} (worker)")
    exp, have = expected.get("dependencies", {}), got.get("dependencies", {})
    diffs += [f"{name} {exp.get(name, '(none)')} (client) vs {have.get(name, '(none)')} (worker)"
              for name in sorted(set(exp) | set(have)) if exp.get(name) != have.get(name)]
    return diffs


def refusal(worker: str, diffs: list[str]) -> LibraryMismatch:
    """The error naming a refused worker and what differs."""
    return LibraryMismatch(f"Worker {worker} runs a different wmr library or dependency versions than this build; "
                           "results must not depend on which machine ran them, so no run was sent to the cluster.",
                           expected="the client's wmr code and the versions pinned in pyproject.toml",
                           got="; ".join(diffs),
                           fix="install the same wmr commit and `pip install` the pinned versions on that worker "
                               "(or stop it), then rebuild")


def _worker_name() -> str:
    try:
        from distributed import get_worker

        w = get_worker()
        return f"{w.name} ({w.address})" if str(w.name) != w.address else w.address
    except (ImportError, ValueError):
        return f"process {os.getpid()}"


def _worker_cache(task: dict) -> Path:
    """The tidy-table and download cache: the client's on this machine, else the worker's own."""
    if task.get("cache"):
        return Path(task["cache"])
    if os.environ.get(WORKER_CACHE_ENV):
        path = Path(os.environ[WORKER_CACHE_ENV])
        path.mkdir(parents=True, exist_ok=True)
        return path
    try:
        from distributed import get_worker

        base = Path(get_worker().local_directory)
    except (ImportError, ValueError):
        base = Path(tempfile.gettempdir())
    path = base / "wmr-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_inputs(project: Path, task: dict, cache: Path) -> None:
    """A minimal project for the kernel: the manifest of the pins it may read, project-owned tables, the cache."""
    (project / "data").mkdir(parents=True)
    (project / "data" / "manifest.json").write_text(json.dumps({"sources": task["sources"]}), encoding="utf-8")
    for rel, data in task.get("owned", {}).items():
        parts = PurePosixPath(rel).parts
        if PurePosixPath(rel).is_absolute() or ".." in parts:
            raise WMRError(f"A project-owned table has a path outside the project: {rel}.",
                           expected="a relative path inside the project", got=rel, fix="correct data/manifest.json")
        target = project.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (project / "data" / "cache").symlink_to(cache, target_is_directory=True)


@contextmanager
def _environment(values: dict[str, str]):
    """Set environment variables for the kernel this task starts, and restore them afterwards."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_notebook(task: dict) -> dict:
    """Execute one notebook on this worker; returns the outcome, executed notebook, figure bytes and read log."""
    worker = _worker_name()
    mine = identity(sorted(task["identity"]["dependencies"]))
    diffs = differences(task["identity"], mine)
    if diffs:
        raise refusal(worker, diffs)
    from . import kernels

    cache = _worker_cache(task)
    with tempfile.TemporaryDirectory(prefix="wmr-run-") as tmp:
        tmp_path = Path(tmp)
        project, figures, read_log = tmp_path / "project", tmp_path / "figures", tmp_path / "reads"
        figures.mkdir()
        read_log.touch()
        _write_inputs(project, task, cache)
        mirror = os.environ.get(paths.MIRROR_ENV) or task.get("mirror") or str(tmp_path / "no-mirror")
        env = {paths.ROOT_ENV: str(project), paths.MIRROR_ENV: mirror, FIGURES_ENV: str(figures),
               READ_LOG_ENV: str(read_log), BUILD_PROJECT_ENV: task.get("origin", ""),
               "MPLCONFIGDIR": str(cache / "mplconfig"), "PYDEVD_DISABLE_FILE_VALIDATION": "1", **PINNED_THREADS,
               **task.get("run", {})}
        log = os.open(str(tmp_path / "kernel.log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        kernels.set_owner(task["key"], log)
        try:
            with _environment(env):
                outcome = execute(task["notebook"], tmp_path / "executed.ipynb", project, task["timeout"], env,
                                  group=task.get("group", ""), keep_modules=task.get("keep_modules", False))
        finally:
            kernels.set_owner(None)
            os.close(log)
        executed = tmp_path / "executed.ipynb"
        return {"outcome": outcome, "worker": worker,
                "notebook": executed.read_text(encoding="utf-8") if executed.exists() else None,
                "figures": {f.name: f.read_bytes() for f in sorted(figures.iterdir()) if f.is_file()},
                "reads": read_log.read_text(encoding="utf-8")}


def mirror_file(source_id: str, name: str) -> bytes:
    """Run on a worker: the bytes of a pinned file in its mirror (the client checks them against the pin)."""
    path = Path(os.environ.get(paths.MIRROR_ENV, "")) / source_id / name
    if not os.environ.get(paths.MIRROR_ENV) or not path.is_file():
        raise WMRError(f"Worker {_worker_name()} has no copy of pinned file {source_id}/{name} in its mirror.",
                       expected="the file in $WMR_DATA_MIRROR of the worker", got=str(path),
                       fix="give the worker the data mirror, or the client one (WMR_DATA_MIRROR)")
    return path.read_bytes()


def execute(nb_json: str, out_path: Path, cwd: Path, timeout: int, env: dict[str, str], group: str = "",
            keep_modules: bool = False) -> dict:
    """Run papermill on one notebook in this worker's kept kernel (see warmkernel) with the run's environment
    `env`; the outcome says ok, or which kind of error with its name and value."""
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from . import warmkernel

    nb = nbformat.reads(nb_json, as_version=4)
    started = time.monotonic()
    outcome = {"ok": False, "kind": "error", "ename": "", "evalue": "", "traceback": ""}
    try:
        warmkernel.execute(nb, str(out_path), str(cwd), env, timeout, group, keep_modules)
        outcome = {"ok": True}
    except PapermillExecutionError as exc:
        outcome.update(ename=exc.ename, evalue=exc.evalue, traceback="\n".join(exc.traceback))
    except CellTimeoutError:
        outcome.update(kind="timeout", ename="CellTimeoutError",
                       evalue=f"the cell was still running after {timeout} s and was stopped; its kernel was shut down")
    except DeadKernelError as exc:
        outcome.update(kind="kernel died", ename="DeadKernelError",
                       evalue=f"the kernel died while running the cell ({exc}); e.g. os._exit, a crash or out of memory")
    except Exception as exc:
        outcome.update(kind="kernel", ename=type(exc).__name__, evalue=str(exc))
    outcome["seconds"] = time.monotonic() - started
    return outcome
