"""Reading chapter notebooks stored as text (jupytext MyST Markdown) and their parameters cell."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from .errors import ConfigError

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


@dataclass(frozen=True)
class Parameter:
    name: str
    type_name: str   # 'str', 'int', 'float', 'bool', 'list', 'dict' or 'None'
    default: str     # source text of the default
    help: str


def read(path: Path) -> nbformat.NotebookNode:
    """The text notebook as an nbformat notebook, with python3 kernel metadata (papermill needs it)."""
    try:
        nb = jupytext.read(path)
    except FileNotFoundError:
        raise ConfigError("Chapter notebook not found.", expected=str(path), got="no such file",
                          fix="check the 'notebook' path of the chapter in the edition config") from None
    nb = nbformat.from_dict(nb)
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata.pop("jupytext", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"  # stable ids: executed notebooks stay byte-identical
        cell.metadata.setdefault("tags", [])
    return nb


def parameters(nb: nbformat.NotebookNode, path: Path) -> dict[str, Parameter]:
    """Parameters declared in the cell tagged 'parameters' (name, type and default), in order."""
    from papermill.inspection import _infer_parameters

    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ConfigError(f"Notebook {path.name} must have exactly one cell tagged 'parameters'.",
                          expected=1, got=len(cells), fix="tag the first code cell with `:tags: [parameters]`")
    out = {}
    for p in _infer_parameters(nb):
        out[p.name] = Parameter(p.name, (p.inferred_type_name or "None").lower(), p.default, p.help)
    return out


def code_fingerprint(nb: nbformat.NotebookNode) -> str:
    """Hash of code cells only: prose edits do not change it, so they never force re-execution."""
    h = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(cell.source.encode())
            h.update(b"\0")
    return h.hexdigest()
