"""Every error the library raises on purpose is a WMRError (what was expected, what was got, the fix)."""
from __future__ import annotations

import ast

from .conftest import ROOT

BARE = {"ValueError", "KeyError", "TypeError", "RuntimeError", "Exception", "IndexError", "AssertionError"}


def test_the_library_raises_no_bare_builtin_errors():
    found = []
    for path in sorted((ROOT / "src" / "wmr").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                call = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(call, ast.Name) and call.id in BARE:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} raises {call.id}")
    assert found == []
