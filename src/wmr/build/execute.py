"""Execute chapter notebooks with papermill as Dask tasks: cached by inputs, normalised, never half-written.

A run is reused while its inputs (see `freshness`) are unchanged; prose-only edits are merged into the
cached outputs without starting a kernel. The runs that must execute become Dask tasks (`runtask`) on an
embedded or existing cluster (`cluster`); the client writes what they return. Failures are collected per
run, never raised, so the other chapters still build; Ctrl-C cancels the tasks, kills their kernels and
leaves only complete files behind.
"""
from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

from wmr.core import importlog, paths
from wmr.core.errors import ChapterError
from wmr.core.paths import chapters_dir, figures_dir
from wmr.core.protocol import CHAPTER_ENV, EDITION_ENV, INJECTED_ID, RUN_ENV
from wmr.kernel import pins

from . import freshness, notebooks, recovery
from .editions import Edition
from .runs import ChapterConfig, Run

ERROR_TAG = "wmr-error"


@dataclass
class RunResult:
    run: Run
    status: str                  # 'running', 'executed', 'reused', 'failed'
    notebook: Path
    seconds: float = 0.0
    error: dict = field(default_factory=dict)


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


def _task(edition: Edition, run: Run, source: nbformat.NotebookNode, key: str, timeout: int,
          identity: dict, embedded: bool, keep_modules: bool = False) -> dict:
    """What a worker needs for one run, by value: notebook, the pins it may read, owned tables, expected library."""
    root = paths.project_root()
    raw = json.loads(pins.manifest_path().read_text(encoding="utf-8"))
    sources = [s for s in raw["sources"] if s["id"] in edition.sources]
    owned = {f["owned_path"]: (root / f["owned_path"]).read_bytes()
             for s in sources for f in s["files"] if f.get("owned_path")}
    return {"key": key, "name": run.name, "notebook": nbformat.writes(with_parameters(source, run.parameters)),
            "run": {EDITION_ENV: edition.id, CHAPTER_ENV: run.chapter, RUN_ENV: run.key or ""},  # who the run is
            "sources": sources, "owned": owned, "timeout": timeout, "identity": identity, "origin": str(root),
            "group": f"{edition.id}/{run.chapter}",   # runs of one group may share loaded modules (see warmkernel)
            "keep_modules": keep_modules,
            # on this machine (embedded cluster) the workers may use the client's mirror and tidy-table cache
            "mirror": str(paths.mirror_dir()) if embedded else None,
            "cache": str(paths.cache_dir()) if embedded else None}


def _stage(payload: dict, staging: Path, read_log: Path, raw_out: Path) -> dict:
    """Write what the worker returned into the run's staging files (the client writes; workers never do)."""
    for name, data in payload["figures"].items():
        if Path(name).name != name or name.startswith("."):
            raise ChapterError(f"Worker {payload['worker']} returned a figure file with a path in its name: {name!r}.",
                               expected="a plain file name", got=name, fix="check the worker's wmr version")
        (staging / name).write_bytes(data)
    read_log.write_text(payload["reads"], encoding="utf-8")
    if payload["notebook"] is not None:
        raw_out.write_text(payload["notebook"], encoding="utf-8")
    return payload["outcome"]


def _lost(fut) -> dict:
    """The outcome of a run whose task failed outside the notebook: its workers died, or the task broke."""
    exc = fut.exception()
    if type(exc).__name__ == "KilledWorker":  # retried by the scheduler up to distributed.scheduler.allowed-failures
        return {"ok": False, "kind": "worker died", "ename": "KilledWorker", "seconds": 0.0,
                "evalue": f"the workers running it kept dying (killed, crashed or out of memory): {exc}",
                "traceback": ""}
    return {"ok": False, "kind": "task", "ename": type(exc).__name__, "evalue": str(exc), "traceback": "",
            "seconds": 0.0}


def _run_order(edition: str, pending: list, timings: dict[str, float]):
    """Sort key: longest first (a shorter makespan), except that the runs of a chapter whose runs keep the wmr
    modules loaded (regions, profiles) follow one another, placed by their longest, so most of them find their
    modules and in-memory tables in the worker's kernel."""
    seconds = {p[1].name: timings.get(f"{edition}/{p[1].name}", 1e9) for p in pending}
    longest: dict[str, float] = {}
    for ch, run, *_ in pending:
        if ch.keep_modules:
            longest[ch.slug] = max(longest.get(ch.slug, 0.0), seconds[run.name])
    return lambda p: (-longest.get(p[0].slug, seconds[p[1].name]), p[0].slug if p[0].keep_modules else "",
                      -seconds[p[1].name])


def execute_runs(edition: Edition, chapters: list[ChapterConfig], workers: int | None = None, force: bool = False,
                 timeout: int = 600, on_event: Callable[[RunResult], None] | None = None,
                 on_tick: Callable[[], None] | None = None, scheduler: str | None = None,
                 say: Callable[[str], None] | None = None,
                 client_pins: list[tuple[str, str]] = ()) -> list[RunResult]:
    """Execute (or reuse) every run of `chapters` as Dask tasks; failures are collected, never raised.

    `scheduler` (tcp://HOST:PORT) sends the runs to an existing cluster; without it an embedded cluster of
    `workers` single-threaded processes starts, and only if some run must execute. `client_pins` (source,
    file): pinned files the assembly reads here; on a cluster, those this machine lacks come from a worker.
    """
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
                continue
            pending.append((ch, run, freshness.run_inputs(source, run), source))
    if not pending:
        for res in results:
            emit(res)
        return results

    from distributed import wait as wait_futures

    from . import cluster, runtask

    timings = _load_timings()
    pending.sort(key=_run_order(edition.id, pending, timings))
    queue = deque(pending)
    identity = runtask.identity(list(freshness.dependency_versions()))
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(pending)))
    with cluster.connect(scheduler, n_workers, identity, say=say or print) as cl:
        for res in results:
            emit(res)
        (root / "figures").mkdir(exist_ok=True)
        staging_root = Path(tempfile.mkdtemp(prefix=recovery.staging_prefix(edition.id), dir=root / "figures"))
        running: dict = {}
        submitted: list[str] = []
        try:
            while queue or running:
                while queue and len(running) < cl.slots:
                    ch, run, inputs, source = queue.popleft()
                    staging = staging_root / run.name
                    staging.mkdir(parents=True)
                    read_log = staging_root / f"{run.name}.reads"
                    read_log.touch()
                    raw_out = staging_root / f"{run.name}.ipynb"
                    key = f"wmr-{edition.id}-{run.name}-{uuid.uuid4().hex[:12]}"
                    task = _task(edition, run, source, key, timeout, identity, cl.embedded, ch.keep_modules)
                    fut = cl.client.submit(runtask.run_notebook, task, key=key, pure=False)
                    submitted.append(key)
                    running[fut] = (ch, run, inputs, staging, read_log, raw_out)
                    emit(RunResult(run, "running", out_dir / f"{run.name}.ipynb"))
                try:
                    done = wait_futures(list(running), timeout=0.25, return_when="FIRST_COMPLETED").done
                except TimeoutError:
                    done = set()
                if on_tick:
                    on_tick()
                for fut in [f for f in running if f in done]:
                    ch, run, inputs, staging, read_log, raw_out = running.pop(fut)
                    if fut.status == "finished":
                        outcome = _stage(fut.result(), staging, read_log, raw_out)
                    elif isinstance(fut.exception(), runtask.LibraryMismatch):
                        raise fut.exception()
                    else:
                        outcome = _lost(fut)
                    res = _finish(edition, ch, run, inputs, staging, read_log, raw_out, outcome)
                    timings[f"{edition.id}/{run.name}"] = round(res.seconds, 1)
                    results.append(res)
                    emit(res)
        except BaseException:
            cluster.stop_runs(cl, list(running), [f.key for f in running])
            raise
        finally:
            shutil.rmtree(staging_root, ignore_errors=True)
        if not cl.embedded:
            _fetch_client_pins(cl.client, client_pins)
            cluster.stop_kernels(cl.client, submitted)  # kept kernels of this build do not outlive it on the workers
    paths.atomic_write_text(_timings_path(), json.dumps(timings, indent=1, sort_keys=True))
    return results


def _fetch_client_pins(client, needed: list[tuple[str, str]]) -> None:
    """Pinned files the assembly reads on this machine and it lacks: from a worker's mirror, checked against the
    pin and cached as a download is (the published edition then does not depend on this machine's mirror)."""
    from . import runtask

    for source_id, name in needed:
        if not pins.has_local(source_id, name):
            fut = client.submit(runtask.mirror_file, source_id, name, pure=False)
            pins.cache_fetched(source_id, name, fut.result(), f"a worker's mirror ({source_id}/{name})")


def _finish(edition: Edition, ch: ChapterConfig, run: Run, inputs: dict, staging: Path, read_log: Path,
            raw_out: Path, outcome: dict) -> RunResult:
    """Publish a successful run's notebook and figures, or keep the failed notebook with the error marked."""
    out_dir = chapters_dir(edition.id)
    reads, imports = importlog.split(dict(sorted(line.split("\t") for line in read_log.read_text().splitlines()
                                                 if line)))
    meta = {"edition": edition.id, "chapter": run.chapter, "run": run.key, "inputs": inputs,
            "key": freshness.key_of(inputs), "reads": reads, "imports": imports}
    executed = nbformat.read(raw_out, as_version=4) if raw_out.exists() else None
    if outcome["ok"]:
        meta["outputs"] = freshness.outputs_record(executed)  # the cache proves itself on reuse (issue 15)
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
