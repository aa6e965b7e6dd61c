"""What an executed chapter run depends on, and why it is stale.

A run is fresh while its code cells, parameters, the source of every wmr module it imported, the locked
dependency versions, the kernel and the sha256 of every pinned file it read are what they were when it
executed (imports and reads are logged while it runs). Prose is not an input: a prose edit is merged into
the cached outputs.
"""
from __future__ import annotations

import functools
import fnmatch
import hashlib
import json
import tomllib
from importlib import metadata
from pathlib import Path

import nbformat

from wmr.core import importlog, paths
from wmr.core.protocol import FACT_MIME, FIGURE_MIME, PROSE_MIME, TABLE_MIME
from wmr.kernel import pins

from . import notebooks
from .runs import Run


@functools.cache
def package_fingerprint(pattern: str = "*", skip: tuple[str, ...] = ()) -> str:
    """Hash of the wmr package's files matching `pattern` (names and bytes; caches ignored), leaving out the
    files whose path in the package matches one of the `skip` patterns (e.g. 'build/site.py')."""
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parents[1]  # the whole wmr package
    for f in sorted(p for p in pkg.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        rel = f.relative_to(pkg).as_posix()
        if not any(fnmatch.fnmatch(rel, pattern_) for pattern_ in skip):
            h.update(rel.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def library_fingerprint() -> str:
    """Hash of the wmr package's Python code: a cluster worker must have the client's (see runtask)."""
    return package_fingerprint("*.py")


@functools.cache
def dependency_versions() -> dict[str, str]:
    """Installed versions of the packages pyproject.toml pins (numbers change results: pandas, matplotlib...)."""
    raw = tomllib.loads((paths.project_root() / "pyproject.toml").read_text(encoding="utf-8"))
    out = {}
    for spec in raw.get("project", {}).get("dependencies", []):
        name = spec.split(";")[0].split("[")[0]
        for sep in ("==", ">=", "<=", "~=", "<", ">", "!="):
            name = name.split(sep)[0]
        name = name.strip()
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return dict(sorted(out.items()))


def run_inputs(nb: nbformat.NotebookNode, run: Run) -> dict:
    """Everything but the data files that decides a run's outputs (the data files are logged while it runs)."""
    return {"code": notebooks.code_fingerprint(nb), "parameters": run.parameters,
            "dependencies": dependency_versions(), "kernel": notebooks.KERNEL["name"]}


def key_of(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _read_changes(reads: dict[str, str]) -> list[str]:
    manifest = pins.load_manifest()
    changed = []
    for ref, digest in reads.items():
        sid, _, name = ref.partition("/")
        src = manifest.get(sid)
        if src is None or not any(f.name == name and f.sha256 == digest for f in src.files):
            changed.append(ref)
    return changed


def _dict_changes(what: str, old: dict, new: dict) -> str:
    diffs = [f"{k} {old.get(k, '(none)')!r} -> {new.get(k, '(none)')!r}"
             for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    return f"{what} changed: " + ", ".join(diffs)


def output_files(nb: nbformat.NotebookNode) -> list[str]:
    """Figure and table files an executed notebook refers to (in figures/<edition>/<chapter>/)."""
    files = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for mime in (FIGURE_MIME, TABLE_MIME):
                payload = out.get("data", {}).get(mime)
                if payload:
                    files += list(payload["files"].values())
    return files


def outputs_record(nb: nbformat.NotebookNode) -> dict:
    """The facts, figures and tables an executed notebook holds: their names and a digest of their payloads.

    Kept with the cache key when the run executes, so a cached notebook that has since lost or changed an
    output (still valid JSON) is not trusted.
    """
    names, h = [], hashlib.sha256()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            for mime, kind, field in ((FACT_MIME, "fact", "name"), (FIGURE_MIME, "figure", "id"),
                                      (TABLE_MIME, "table", "id"), (PROSE_MIME, "paragraph", None)):
                payload = data.get(mime)
                if isinstance(payload, dict):
                    names.append(f"{kind} {payload.get(field) if field else len(names) + 1}")
                    h.update(json.dumps(payload, sort_keys=True).encode() + b"\0")
    return {"names": names, "digest": h.hexdigest()}


def outputs_changes(nb: nbformat.NotebookNode) -> str | None:
    """Why the notebook's outputs are not those recorded when it executed (None: they are)."""
    recorded = nb.metadata.get("wmr", {}).get("outputs")
    if not isinstance(recorded, dict) or not isinstance(recorded.get("names"), list):
        return "no record of its facts, figures and tables (executed by an older version of the build)"
    now = outputs_record(nb)
    if now["digest"] == recorded.get("digest"):
        return None
    lost = [n for n in recorded["names"] if n not in now["names"]]
    if lost:
        return f"the executed notebook lost {len(lost)} recorded output(s): " + ", ".join(lost[:5]) + \
            (", ..." if len(lost) > 5 else "")
    return "the executed notebook's facts, figures or tables differ from those recorded when it ran"


def read_executed(path: Path) -> nbformat.NotebookNode | None:
    """An executed notebook without schema validation (fast; it was validated when written), or None.

    Only the notebook, its metadata, cells and outputs become NotebookNodes; what outputs hold stays plain
    JSON (converting the recorded payloads of every profile run made a no-op rebuild slow).
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        nb = nbformat.NotebookNode(raw)
        nb.metadata = nbformat.NotebookNode(raw.get("metadata", {}))
        cells = []
        for c in raw.get("cells", []):
            cell = nbformat.NotebookNode(c)
            cell.metadata = nbformat.NotebookNode(c.get("metadata", {}))
            if isinstance(cell.get("source"), list):
                cell.source = "".join(cell.source)
            if "outputs" in cell:
                cell.outputs = [nbformat.NotebookNode(o) for o in cell.outputs]
            cells.append(cell)
        nb.cells = cells
        return nb
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def stale_reasons(executed: nbformat.NotebookNode | None, inputs: dict, fig_dir: Path) -> list[str]:
    """Why the executed notebook cannot be reused for `inputs` (empty list: it is fresh)."""
    if executed is None:
        return ["never executed"]
    meta = executed.metadata.get("wmr", {})
    old = meta.get("inputs")
    if not isinstance(old, dict):
        return ["executed by an older version of the build"]
    reasons = []
    if old.get("code") != inputs["code"]:
        reasons.append("code cells changed")
    if old.get("parameters") != inputs["parameters"]:
        reasons.append(_dict_changes("parameters", old.get("parameters", {}), inputs["parameters"]))
    imports = meta.get("imports")
    if not isinstance(imports, dict) or not imports:
        reasons.append("no record of the wmr modules it imported (executed by an older version of the build)")
    else:
        changed_modules = importlog.changed_modules(imports)
        if changed_modules:
            reasons.append("wmr module(s) it imported changed: " + ", ".join(changed_modules))
    if old.get("dependencies") != inputs["dependencies"]:
        reasons.append(_dict_changes("dependency versions", old.get("dependencies", {}), inputs["dependencies"]))
    if old.get("kernel") != inputs["kernel"]:
        reasons.append(f"kernel changed: {old.get('kernel')} -> {inputs['kernel']}")
    altered = outputs_changes(executed)
    if altered:
        reasons.append(altered)
    changed = _read_changes(meta.get("reads", {}))
    if changed:
        reasons.append("pinned data changed: " + ", ".join(changed))
    missing = [f for f in output_files(executed) if not (fig_dir / f).is_file()]
    if missing:
        reasons.append(f"{len(missing)} figure/table file(s) missing, e.g. {missing[0]}")
    return reasons
