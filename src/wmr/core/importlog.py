"""Which `wmr` modules a kernel imported, logged like the pinned files it read (the run's staleness key).

In a kernel started by the build ($WMR_READ_LOG set), importing `wmr` installs a finder that appends
`module <name>\t<sha256 of its source>` to the read log for every `wmr` module loaded. A run is then stale
only when a module it actually imported changed: editing the site or the book re-assembles, it does not
re-execute. A kept kernel (profiles) logs the modules already loaded at the start of each run.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.machinery
import os
import sys
from pathlib import Path

from .protocol import READ_LOG_ENV

PREFIX = "module "  # read-log lines for imports; pinned files are logged as 'source/file'
PACKAGE = __name__.split(".")[0]


_PACKAGE_DIR = Path(__file__).resolve().parents[1]   # the wmr package


@functools.lru_cache(maxsize=4096)
def module_file(name: str, package_dir: Path | None = None) -> Path | None:
    """The source file of module `name` ('wmr.kernel.analysis.regions') in the package at `package_dir`, if any
    (looked up once per process: a status check asks about the same modules for every run)."""
    root = package_dir or _PACKAGE_DIR
    parts = name.split(".")[1:]
    if not parts:
        return root / "__init__.py"
    rel = Path(*parts)
    for candidate in (root / rel.with_suffix(".py"), root / rel / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_DIGESTS: dict[tuple[str, int, int], str] = {}


def _digest_once(path: Path, st) -> str:
    """digest(path), computed once per version (size, mtime) of the file in this process: a status check asks
    about the same modules for every run."""
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = digest(path)
    return _DIGESTS[key]


def _log(names: list[str]) -> None:
    log = os.environ.get(READ_LOG_ENV)
    if not log:
        return
    lines = []
    for name in names:
        path = module_file(name)
        if path is not None:
            lines.append(f"{PREFIX}{name}\t{digest(path)}\n")
    if lines:
        with open(log, "a", encoding="utf-8") as fh:
            fh.writelines(lines)


def log_loaded() -> None:
    """Log every `wmr` module this process has loaded (a kept kernel calls this at the start of each run)."""
    _log(sorted(n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")))


class _Finder:
    """A meta-path finder that only watches: it logs `wmr` modules as they are found and finds nothing itself."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.startswith(PACKAGE + "."):
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is not None:
                _log([name])
            return spec
        return None


def install() -> None:
    """Start logging `wmr` imports in this process (once), beginning with those already loaded."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    log_loaded()


def split(entries: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """A read log's entries split into (pinned files read, modules imported by name)."""
    files = {k: v for k, v in entries.items() if not k.startswith(PREFIX)}
    modules = {k[len(PREFIX):]: v for k, v in entries.items() if k.startswith(PREFIX)}
    return files, modules


def changed_modules(imports: dict[str, str], package_dir: Path | None = None) -> list[str]:
    """The recorded imports whose source differs now (or is gone), by module name."""
    out = []
    for name, recorded in sorted(imports.items()):
        path = module_file(name, package_dir)
        try:
            if path is None or _digest_once(path, path.stat()) != recorded:
                out.append(name)
        except OSError:   # removed since it was looked up
            out.append(name)
    return out
