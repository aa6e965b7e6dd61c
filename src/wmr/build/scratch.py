"""A scratch copy of the project's inputs (configs, notebooks, data pins), for tests and benchmarks.

Builds in the copy never touch the working tree's outputs; the tidy-table cache is shared (a symlink),
so the copy does not re-parse the raw workbooks.
"""
from __future__ import annotations

import shutil
from pathlib import Path

INPUTS = ("editions", "notebooks")
FILES = ("pyproject.toml", "build.py")


def make_project(source: Path, dest: Path) -> Path:
    """Copy `source`'s inputs into `dest` (created) and link its data/cache; returns `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in INPUTS:
        shutil.copytree(source / name, dest / name)
    if (source / "locales").is_dir():   # the translation catalogs of editions in several languages
        shutil.copytree(source / "locales", dest / "locales")
    (dest / "data").mkdir()
    for item in (source / "data").iterdir():
        if item.is_file():
            shutil.copy2(item, dest / "data" / item.name)
    for name in FILES:
        shutil.copy2(source / name, dest / name)
    (source / "data" / "cache").mkdir(parents=True, exist_ok=True)
    (dest / "data" / "cache").symlink_to(source / "data" / "cache")
    return dest
