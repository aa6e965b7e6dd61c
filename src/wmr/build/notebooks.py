"""Reading chapter notebooks stored as text (jupytext MyST Markdown) and their parameters cell."""
from __future__ import annotations

import ast
import copy
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import nbformat

from wmr.core import paths
from wmr.core.errors import ConfigError

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
# Bounds a parameter declares in its comment: `top_n: int = 10  # countries shown (range 1..50)`; either end optional.
RANGE_RE = re.compile(r"\brange\s+(-?\d+(?:\.\d+)?)?\s*\.\.\s*(-?\d+(?:\.\d+)?)?")


@dataclass(frozen=True)
class Parameter:
    name: str
    type_name: str   # 'str', 'int', 'float', 'bool', 'list', 'dict' or 'None'
    default: str     # source text of the default
    help: str
    low: float | None = None    # smallest allowed value (from `range LOW..HIGH` in the comment)
    high: float | None = None   # largest allowed value


_PARSED: dict[str, nbformat.NotebookNode] = {}


def read(path: Path) -> nbformat.NotebookNode:
    """The text notebook as an nbformat notebook, with python3 kernel metadata (papermill needs it).

    Parsing MyST is slow (~40 ms a chapter), so parses are cached by the text's hash, in memory and on disk.
    """
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("Chapter notebook not found.", expected=str(path), got="no such file",
                          fix="check the 'notebook' path of the chapter in the edition config") from None
    digest = hashlib.sha256(text + metadata.version("jupytext").encode()).hexdigest()
    if digest not in _PARSED:
        _PARSED[digest] = _parse_cached(path, text, digest)
    return copy.deepcopy(_PARSED[digest])


def _parse_cached(path: Path, text: bytes, digest: str) -> nbformat.NotebookNode:
    store = paths.cache_dir() / "parsed-notebooks" / f"{digest}.json"
    try:
        return nbformat.from_dict(json.loads(store.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    import jupytext

    nb = _normalised(jupytext.reads(text.decode("utf-8"), fmt=path.suffix.lstrip(".") or "md"))
    try:
        paths.atomic_write_text(store, json.dumps(nb))
    except OSError:
        pass  # the cache is an optimisation; a read-only cache folder must not stop a build
    return nb


def _normalised(nb) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata.pop("jupytext", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"  # stable ids: executed notebooks stay byte-identical
        cell.metadata.setdefault("tags", [])
    return nb


def parameters(nb: nbformat.NotebookNode, path: Path) -> dict[str, Parameter]:
    """Parameters declared in the cell tagged 'parameters' (name, type and default), in order.

    Read with `ast` (only annotated assignments count), so a parameter without a type is reported, not guessed.
    """
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ConfigError(f"Notebook {path.name} must have exactly one cell tagged 'parameters'.",
                          expected=1, got=len(cells), fix="tag the first code cell with `:tags: [parameters]`")
    source = cells[0].source
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ConfigError(f"The parameters cell of {path.name} is not valid Python.", expected="name: type = value lines",
                          got=f"{exc.msg} (line {exc.lineno})", fix="fix the parameters cell") from None
    lines = source.splitlines()
    out = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            comment = lines[node.end_lineno - 1].partition("#")[2].strip()
            default = ast.get_source_segment(source, node.value) or "" if node.value is not None else ""
            bounds = RANGE_RE.search(comment)
            low, high = (None, None) if bounds is None else (_number(bounds.group(1)), _number(bounds.group(2)))
            out[node.target.id] = Parameter(node.target.id, ast.unparse(node.annotation).lower(), default, comment,
                                            low, high)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = Parameter(target.id, "none", ast.get_source_segment(source, node.value) or "", "")
    return out


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    return float(text) if "." in text else int(text)


def code_fingerprint(nb: nbformat.NotebookNode) -> str:
    """Hash of code cells only: prose edits do not change it, so they never force re-execution."""
    h = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(cell.source.encode())
            h.update(b"\0")
    return h.hexdigest()
