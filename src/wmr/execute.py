"""Execute chapter notebooks with papermill: cached by inputs, in parallel, normalised, never half-written.

A run is reused while its inputs (see `freshness`) are unchanged; prose-only edits are merged into the
cached outputs without starting a kernel. Failures are collected per run, never raised, so the other
chapters still build; Ctrl-C kills every worker and kernel and leaves only complete files behind.
"""
from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

import nbformat

from . import freshness, notebooks, paths
from .editions import ChapterConfig, Edition, Run
from .protocol import FIGURES_ENV, READ_LOG_ENV

INJECTED_ID = "injected-parameters"
ERROR_TAG = "wmr-error"


@dataclass
class RunResult:
    run: Run
    status: str                  # 'running', 'executed', 'reused', 'failed'
    notebook: Path
    seconds: float = 0.0
    error: dict = field(default_factory=dict)


def chapters_dir(edition: str) -> Path:
    return paths.project_root() / "chapters" / edition


def figures_dir(edition: str, slug: str) -> Path:
    return paths.project_root() / "figures" / edition / slug


def injected_cell(params: dict) -> nbformat.NotebookNode:
    """Parameters as literal values (repr of str/int/float/bool/list), never as text spliced into code."""
    lines = ["# Parameters injected by the build (values from the edition config)"]
    lines += [f"{name} = {value!r}" for name, value in params.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.id = INJECTED_ID
    cell.metadata["tags"] = ["injected-parameters"]
    return cell


def with_parameters(nb: nbformat.NotebookNode, params: dict) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    idx = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(idx + 1, injected_cell(params))
    return nb


def normalise(nb: nbformat.NotebookNode, meta: dict) -> nbformat.NotebookNode:
    """Drop what differs run to run (times, paths, stderr noise) so unchanged inputs give identical bytes."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["wmr"] = meta
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    return nb


def is_executed(edition: str, cfg: ChapterConfig) -> bool:
    """Whether every run of the chapter has an executed notebook (valid or not)."""
    return all((chapters_dir(edition) / f"{run.name}.ipynb").is_file() for run in cfg.runs)


def run_status(edition: Edition, cfg: ChapterConfig, run: Run,
               source: nbformat.NotebookNode | None = None) -> tuple[list[str], nbformat.NotebookNode | None]:
    """Why `run` must execute (empty: fresh) and its previous executed notebook, if any."""
    source = source if source is not None else notebooks.read(cfg.notebook)
    prev = freshness.read_executed(chapters_dir(edition.id) / f"{run.name}.ipynb")
    return freshness.stale_reasons(prev, freshness.run_inputs(source, run), figures_dir(edition.id, run.chapter)), prev


def _prose(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type != "code"]


def merge_prose(source: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Current prose with the cached outputs: code cells match one to one because the key matched."""
    out = copy.deepcopy(executed)
    exe_code = [c for c in executed.cells if c.cell_type == "code" and c.get("id") != INJECTED_ID]
    injected = [c for c in executed.cells if c.get("id") == INJECTED_ID]
    cells, k = [], 0
    for cell in source.cells:
        if cell.cell_type == "code":
            cells.append(exe_code[k])
            k += 1
            if "parameters" in cell.metadata.get("tags", []):
                cells.extend(injected)
        else:
            cells.append(copy.deepcopy(cell))
    out.cells = cells
    return out


# ---------------------------------------------------------------- the worker (a child process)

def _worker_init() -> None:
    """Ctrl-C is the parent's business; SIGTERM from the parent kills this worker's kernels, then it exits."""
    from . import kernels

    def terminate(signum, frame):
        kernels.kill_all()
        os._exit(128 + signum)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, terminate)


def _execute_worker(nb_json: str, out_path: str, cwd: str, fig_dir: str, read_log: str, timeout: int,
                    warm: bool = False) -> dict:
    """Execute one notebook with its own environment for the kernel (figure folder, read log).

    `warm`: run it in the worker's kept kernel (see warmkernel; for the many short profile runs).
    """
    import papermill
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from .kernels import IpcKernelManager

    log = os.open(str(Path(read_log).with_suffix(".kernel.log")), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 2)  # the kernel's own chatter (e.g. on shutdown) goes to a log, not the build's output
    os.environ[FIGURES_ENV] = fig_dir
    os.environ[READ_LOG_ENV] = read_log
    os.environ.setdefault("MPLCONFIGDIR", str(paths.cache_dir() / "mplconfig"))
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.reads(nb_json, as_version=4)
    started = time.monotonic()
    outcome = {"ok": False, "kind": "error", "ename": "", "evalue": "", "traceback": ""}
    try:
        if warm:
            from . import warmkernel

            warmkernel.execute(nb, out_path, cwd, {FIGURES_ENV: fig_dir, READ_LOG_ENV: read_log}, timeout)
        else:
            papermill.execute_notebook(nb, out_path, kernel_name="python3", cwd=cwd, progress_bar=False,
                                       log_output=False, record_timing=False, execution_timeout=timeout,
                                       kernel_manager_class=IpcKernelManager)
        outcome = {"ok": True}
    except PapermillExecutionError as exc:
        outcome.update(ename=exc.ename, evalue=exc.evalue, traceback="\n".join(exc.traceback))
    except CellExecutionError as exc:  # from a warm kernel (papermill wraps it into the error above)
        outcome.update(ename=exc.ename, evalue=exc.evalue, traceback=str(exc))
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


# ---------------------------------------------------------------- failures

def _failed_cell(nb: nbformat.NotebookNode) -> int | None:
    """Index of the cell execution stopped in: the last code cell papermill started."""
    started = [i for i, c in enumerate(nb.cells)
               if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    return started[-1] if started else None


def mark_failure(nb: nbformat.NotebookNode, notebook_file: Path, outcome: dict) -> dict:
    """Locate the failing cell (code cell number, line in the text notebook), flag it in `nb`, describe it."""
    nb.cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    idx = _failed_cell(nb)
    where = {"cell": None, "line": None, "source": ""}
    if idx is not None:
        cell = nb.cells[idx]
        number = sum(1 for c in nb.cells[:idx + 1] if c.cell_type == "code" and c.get("id") != INJECTED_ID)
        try:
            text = notebook_file.read_text(encoding="utf-8")
            pos = text.find(cell.source) if cell.source else -1
            line = text[:pos].count("\n") + 1 if pos >= 0 else None
        except OSError:
            line = None
        where = {"cell": number, "line": line, "source": cell.source}
        banner = nbformat.v4.new_markdown_cell(
            f"**Build error in the next cell** (code cell {number}): {outcome['ename']}: {outcome['evalue']}")
        banner.id = "wmr-error"
        banner.metadata["tags"] = [ERROR_TAG]
        nb.cells.insert(idx, banner)
    return {**outcome, **where}


# ---------------------------------------------------------------- the scheduler

def _timings_path() -> Path:
    return paths.cache_dir() / "run-seconds.json"


def _load_timings() -> dict[str, float]:
    try:
        return json.loads(_timings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _publish_figures(staging: Path, run: Run, edition: str) -> None:
    """Replace this run's previous figure files with the freshly staged ones."""
    target = figures_dir(edition, run.chapter)
    target.mkdir(parents=True, exist_ok=True)
    prefix = f"{run.key}-" if run.key else ""
    for old in target.iterdir():
        if old.is_file() and (old.name.startswith(prefix) if prefix else True):
            old.unlink()
    for new in staging.iterdir():
        os.replace(new, target / new.name)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM every worker (each kills its kernels first), without waiting for running notebooks."""
    for proc in list(getattr(pool, "_processes", {}).values()):  # no public API lists a pool's processes
        if proc.is_alive():
            proc.terminate()
    for proc in list(getattr(pool, "_processes", {}).values()):
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()


def execute_runs(edition: Edition, chapters: list[ChapterConfig], workers: int | None = None, force: bool = False,
                 timeout: int = 600, on_event: Callable[[RunResult], None] | None = None,
                 on_tick: Callable[[], None] | None = None) -> list[RunResult]:
    """Execute (or reuse) every run of `chapters`, `workers` at a time; failures are collected, never raised."""
    emit = on_event or (lambda res: None)
    out_dir = chapters_dir(edition.id)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = paths.project_root()
    results: list[RunResult] = []
    pending: list[tuple[ChapterConfig, Run, dict, nbformat.NotebookNode]] = []
    for ch in chapters:
        source = notebooks.read(ch.notebook)
        for run in ch.runs:
            reasons, prev = run_status(edition, ch, run, source)
            target = out_dir / f"{run.name}.ipynb"
            if prev is not None and not reasons and not force:
                if _prose(prev) != _prose(source):  # a prose edit: new text, cached outputs, no kernel
                    paths.atomic_write_text(target, nbformat.writes(merge_prose(source, prev)) + "\n")
                results.append(RunResult(run, "reused", target))
                emit(results[-1])
                continue
            pending.append((ch, run, freshness.run_inputs(source, run), source))
    if not pending:
        return results

    timings = _load_timings()
    pending.sort(key=lambda p: -timings.get(f"{edition.id}/{p[1].name}", 1e9))  # longest first: shorter makespan
    queue = deque(pending)
    workers = max(1, min(workers or os.cpu_count() or 1, len(pending)))
    (root / "figures").mkdir(exist_ok=True)
    staging_root = Path(tempfile.mkdtemp(prefix=f".staging-{edition.id}-", dir=root / "figures"))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_worker_init)
    running: dict[Future, tuple] = {}
    try:
        while queue or running:
            while queue and len(running) < workers:
                ch, run, inputs, source = queue.popleft()
                staging = staging_root / run.name
                staging.mkdir(parents=True)
                read_log = staging_root / f"{run.name}.reads"
                read_log.touch()
                raw_out = staging_root / f"{run.name}.ipynb"
                fut = pool.submit(_execute_worker, nbformat.writes(with_parameters(source, run.parameters)),
                                  str(raw_out), str(root), str(staging), str(read_log), timeout, ch.warm_kernel)
                running[fut] = (ch, run, inputs, staging, read_log, raw_out)
                emit(RunResult(run, "running", out_dir / f"{run.name}.ipynb"))
            done, _ = wait(running, timeout=0.25, return_when=FIRST_COMPLETED)
            if on_tick:
                on_tick()
            for fut in done:
                ch, run, inputs, staging, read_log, raw_out = running.pop(fut)
                res = _finish(edition, ch, run, inputs, staging, read_log, raw_out, fut.result())
                timings[f"{edition.id}/{run.name}"] = round(res.seconds, 1)
                results.append(res)
                emit(res)
    except BaseException:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(staging_root, ignore_errors=True)
    paths.atomic_write_text(_timings_path(), json.dumps(timings, indent=1, sort_keys=True))
    return results


def _finish(edition: Edition, ch: ChapterConfig, run: Run, inputs: dict, staging: Path, read_log: Path,
            raw_out: Path, outcome: dict) -> RunResult:
    """Publish a successful run's notebook and figures, or keep the failed notebook with the error marked."""
    out_dir = chapters_dir(edition.id)
    reads = dict(sorted(line.split("\t") for line in read_log.read_text().splitlines() if line))
    meta = {"edition": edition.id, "chapter": run.chapter, "run": run.key, "inputs": inputs,
            "key": freshness.key_of(inputs), "reads": reads}
    executed = nbformat.read(raw_out, as_version=4) if raw_out.exists() else None
    if outcome["ok"]:
        _publish_figures(staging, run, edition.id)
        paths.atomic_write_text(out_dir / f"{run.name}.ipynb", nbformat.writes(normalise(executed, meta)) + "\n")
        (out_dir / f"{run.name}.failed.ipynb").unlink(missing_ok=True)
        return RunResult(run, "executed", out_dir / f"{run.name}.ipynb", outcome["seconds"])
    failed = out_dir / f"{run.name}.failed.ipynb"
    error = dict(outcome)
    if executed is not None:
        error = mark_failure(executed, ch.notebook, outcome)
        paths.atomic_write_text(failed, nbformat.writes(normalise(executed, meta)) + "\n")
    return RunResult(run, "failed", failed, outcome["seconds"], error)
