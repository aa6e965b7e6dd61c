"""The folder tree shows the architecture: a kernel side, a build side and a small core (issue 14)."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

PKG = ROOT / "src" / "wmr"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the wmr modules `path` imports (at module level or inside functions)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "wmr"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "wmr":
                continue
            modules = {f"{target}.{a.name}" for a in node.names}
            found |= {m for m in modules if _exists(m)} or {target}
            if not any(_exists(m) for m in modules):
                found.add(target)
    return found


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (PKG / rel).with_suffix(".py").is_file() or (PKG / rel / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PKG.rglob("*.py"))}


def test_the_package_has_a_kernel_side_a_build_side_and_a_core_and_nothing_else():
    top = sorted(p.name for p in PKG.iterdir() if p.name != "__pycache__")
    assert top == ["__init__.py", "build", "core", "kernel"]


def test_the_kernel_side_and_the_core_never_import_the_build():
    offenders = {mod: sorted(i for i in deps if i.startswith("wmr.build"))
                 for mod, deps in _graph().items() if mod.startswith(("wmr.kernel", "wmr.core"))}
    assert {m: d for m, d in offenders.items() if d} == {}


def test_the_core_imports_only_the_core():
    offenders = {mod: sorted(i for i in deps if not i.startswith("wmr.core"))
                 for mod, deps in _graph().items() if mod.startswith("wmr.core")}
    assert {m: d for m, d in offenders.items() if d} == {}


def test_kernel_modules_import_wmr_modules_only_at_the_top():
    """A run's staleness key is the wmr modules its kernel imported: an import inside a function (run only on a
    tidy-cache miss, say) would make that key, and the notebook's bytes, depend on the state of the cache."""
    inside = {}
    for path in sorted((PKG / "kernel").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
                relative = isinstance(node, ast.ImportFrom) and node.level > 0
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                if relative or any(n.split(".")[0] == "wmr" for n in names):
                    inside.setdefault(_module_name(path), []).append(node.lineno)
    assert inside == {}


def test_kernel_modules_memoise_only_through_pins_memo():
    """A run in a kept kernel must record the pinned files it read as in a new kernel: a result cached in memory
    by an earlier run must log its reads again, which `pins.memo` does and `functools.lru_cache` does not."""
    found = {}
    for path in sorted((PKG / "kernel").rglob("*.py")):
        if path.name == "pins.py":
            continue
        text = path.read_text(encoding="utf-8")
        hits = [w for w in ("lru_cache", "functools.cache", "from functools import cache", "@cache") if w in text]
        if hits:
            found[_module_name(path)] = hits
    assert found == {}


def test_there_are_no_import_cycles_between_modules():
    graph = _graph()
    for mod in graph:  # a package's __init__ importing its own submodules is not a cycle between modules
        graph[mod] = {d for d in graph[mod] if d in graph and not (d.startswith(mod + "."))}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append(stack[stack.index(dep):] + [dep] if dep in stack else [node, dep])
            elif dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [mod])
    assert cycles == []


def test_assembly_does_not_import_matplotlib():
    code = ("import sys\nimport wmr.build.assemble, wmr.build.site, wmr.build.book, wmr.build.cli\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'pandas')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}).stdout
    assert "matplotlib" not in out, out


def test_output_folders_are_named_in_one_place():
    pattern = re.compile(r"""["'](chapters|figures|report)["']""")
    places = [f"{p.relative_to(PKG)}:{n}" for p in sorted(PKG.rglob("*.py")) if p.name != "paths.py"
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
              if pattern.search(line) and "project_root()" in line]
    assert places == []


def test_the_site_only_code_list_names_existing_files_and_no_pdf_code():
    """The PDFs' keys leave out SITE_ONLY (see assemble.py): each pattern must still name files, and none may
    name code the PDFs are made with, or a PDF would be carried over after a change that alters it."""
    import fnmatch

    import wmr
    from wmr.build.assemble import SITE_ONLY

    pkg = Path(wmr.__file__).parent
    files = [p.relative_to(pkg).as_posix() for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for pattern in SITE_ONLY:
        assert fnmatch.filter(files, pattern), f"{pattern} names no file"
    pdf_code = ["build/book.py", "build/profilebook.py", "build/document.py", "build/citations.py",
                "build/templates/wmr-book.typ", "build/templates/profiles-book.typ"]
    assert [f for f in pdf_code if any(fnmatch.fnmatch(f, p) for p in SITE_ONLY)] == []
    assert all(f in files for f in pdf_code)
    # the other languages' books are also made with the localized documents, their words and their fonts
    from wmr.build.assemble import LANGUAGE_SITE_ONLY

    language_code = pdf_code + ["build/localize.py", "build/booktext.py", "build/localefmt.py", "build/catalogs.py",
                                "build/fonts/Amiri-Regular.ttf"]
    assert [f for f in language_code if any(fnmatch.fnmatch(f, p) for p in LANGUAGE_SITE_ONLY)] == []
    assert all(f in files for f in language_code)
