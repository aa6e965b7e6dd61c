"""Execute chapter notebooks with papermill: cached by inputs, in parallel, normalised, never half-written.

A run is reused while its code cells, parameters, library code and the checksums of the data it read
are unchanged; prose-only edits are merged into the cached outputs without starting a kernel.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat

from . import chapter as chapter_api
from . import notebooks, paths, pins
from .editions import ChapterConfig, Edition, Run

INJECTED_ID = "injected-parameters"


@dataclass
class RunResult:
    run: Run
    status: str                  # 'executed', 'reused', 'failed'
    notebook: Path
    seconds: float = 0.0
    error: dict = field(default_factory=dict)


def library_fingerprint() -> str:
    """Hash of the wmr package's Python code: a library change re-executes every chapter."""
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parent
    for py in sorted(pkg.rglob("*.py")):
        h.update(str(py.relative_to(pkg)).encode())
        h.update(py.read_bytes())
    return h.hexdigest()


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


def run_key(nb: nbformat.NotebookNode, run: Run, library: str) -> str:
    blob = json.dumps({"code": notebooks.code_fingerprint(nb), "params": run.parameters, "library": library,
                       "kernel": notebooks.KERNEL["name"]}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


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


def _output_files(nb: nbformat.NotebookNode) -> list[str]:
    files = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for mime in (chapter_api.FIGURE_MIME, chapter_api.TABLE_MIME):
                payload = out.get("data", {}).get(mime)
                if payload:
                    files += list(payload["files"].values())
    return files


def _reads_current(reads: dict[str, str]) -> bool:
    manifest = pins.load_manifest()
    for ref, digest in reads.items():
        sid, _, name = ref.partition("/")
        src = manifest.get(sid)
        if src is None or not any(f.name == name and f.sha256 == digest for f in src.files):
            return False
    return True


def cached(run: Run, key: str, edition: str) -> nbformat.NotebookNode | None:
    """The previous executed notebook of this run if still valid for `key`, else None."""
    path = chapters_dir(edition) / f"{run.name}.ipynb"
    if not path.is_file():
        return None
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return None
    meta = nb.metadata.get("wmr", {})
    if meta.get("key") != key or not _reads_current(meta.get("reads", {})):
        return None
    fig_dir = figures_dir(edition, run.chapter)
    if not all((fig_dir / f).is_file() for f in _output_files(nb)):
        return None
    return nb


def is_executed(edition: str, cfg: ChapterConfig) -> bool:
    """Whether every run of the chapter has an executed notebook (valid or not)."""
    return all((chapters_dir(edition) / f"{run.name}.ipynb").is_file() for run in cfg.runs)


def merge_prose(source: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Current prose with the cached outputs: code cells match one to one because the key matched."""
    out = copy.deepcopy(executed)
    src_cells = [c for c in source.cells]
    exe_code = [c for c in executed.cells if c.cell_type == "code" and c.get("id") != INJECTED_ID]
    injected = [c for c in executed.cells if c.get("id") == INJECTED_ID]
    cells, k = [], 0
    for cell in src_cells:
        if cell.cell_type == "code":
            cells.append(exe_code[k])
            k += 1
            if "parameters" in cell.metadata.get("tags", []):
                cells.extend(injected)
        else:
            cells.append(copy.deepcopy(cell))
    out.cells = cells
    return out


def _execute_worker(nb_json: str, out_path: str, cwd: str, fig_dir: str, read_log: str) -> dict:
    """Runs in a child process: its own environment for the kernel (figure folder, read log)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .kernels import IpcKernelManager

    log = os.open(str(Path(read_log).with_suffix(".kernel.log")), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 2)  # the kernel's own chatter (e.g. on shutdown) goes to a log, not the build's output
    os.environ[chapter_api.FIGURES_ENV] = fig_dir
    os.environ[pins.READ_LOG_ENV] = read_log
    os.environ.setdefault("MPLCONFIGDIR", str(paths.cache_dir() / "mplconfig"))
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.reads(nb_json, as_version=4)
    started = time.monotonic()
    try:
        papermill.execute_notebook(nb, out_path, kernel_name="python3", cwd=cwd, progress_bar=False,
                                   log_output=False, record_timing=False, kernel_manager_class=IpcKernelManager)
    except PapermillExecutionError as exc:
        return {"ok": False, "cell": exc.cell_index, "ename": exc.ename, "evalue": exc.evalue,
                "traceback": "\n".join(exc.traceback), "source": exc.source, "seconds": time.monotonic() - started}
    except Exception as exc:  # kernel died, timeout...
        return {"ok": False, "cell": None, "ename": type(exc).__name__, "evalue": str(exc), "traceback": "",
                "source": "", "seconds": time.monotonic() - started}
    return {"ok": True, "seconds": time.monotonic() - started}


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


def execute_runs(edition: Edition, chapters: list[ChapterConfig], workers: int = 2,
                 force: bool = False, on_result=None) -> list[RunResult]:
    """Execute (or reuse) every run of `chapters`; failures are collected, never raised, so others still build."""
    library = library_fingerprint()
    out_dir = chapters_dir(edition.id)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = paths.project_root()
    results: list[RunResult] = []
    pending = []
    for ch in chapters:
        source = notebooks.read(ch.notebook)
        for run in ch.runs:
            key = run_key(source, run, library)
            prev = None if force else cached(run, key, edition.id)
            target = out_dir / f"{run.name}.ipynb"
            if prev is not None:
                merged = merge_prose(source, prev)
                data = nbformat.writes(merged) + "\n"
                if target.read_text(encoding="utf-8") != data:
                    paths.atomic_write_text(target, data)
                res = RunResult(run, "reused", target)
                results.append(res)
                if on_result:
                    on_result(res)
                continue
            pending.append((run, key, source))

    (root / "figures").mkdir(exist_ok=True)
    staging_root = Path(tempfile.mkdtemp(prefix=f".staging-{edition.id}-", dir=root / "figures"))
    try:
        jobs = {}
        with ProcessPoolExecutor(max_workers=max(1, min(workers, len(pending) or 1)),
                                 mp_context=get_context("spawn")) as pool:
            for run, key, source in pending:
                staging = staging_root / run.name
                staging.mkdir(parents=True)
                read_log = staging_root / f"{run.name}.reads"
                read_log.touch()
                raw_out = staging_root / f"{run.name}.ipynb"
                nb = with_parameters(source, run.parameters)
                fut = pool.submit(_execute_worker, nbformat.writes(nb), str(raw_out), str(root), str(staging),
                                  str(read_log))
                jobs[fut] = (run, key, staging, read_log, raw_out)
            for fut in as_completed(jobs):
                run, key, staging, read_log, raw_out = jobs[fut]
                outcome = fut.result()
                secs = outcome["seconds"]
                reads = dict(sorted(line.split("\t") for line in read_log.read_text().splitlines() if line))
                meta = {"edition": edition.id, "chapter": run.chapter, "run": run.key, "key": key,
                        "parameters": run.parameters, "reads": reads}
                executed = nbformat.read(raw_out, as_version=4) if raw_out.exists() else None
                if outcome["ok"]:
                    nb = normalise(executed, meta)
                    _publish_figures(staging, run, edition.id)
                    paths.atomic_write_text(out_dir / f"{run.name}.ipynb", nbformat.writes(nb) + "\n")
                    (out_dir / f"{run.name}.failed.ipynb").unlink(missing_ok=True)
                    res = RunResult(run, "executed", out_dir / f"{run.name}.ipynb", secs)
                else:
                    failed = out_dir / f"{run.name}.failed.ipynb"
                    if executed is not None:
                        paths.atomic_write_text(failed, nbformat.writes(normalise(executed, meta)) + "\n")
                    res = RunResult(run, "failed", failed, secs, outcome)
                results.append(res)
                if on_result:
                    on_result(res)
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
    return results
