"""Shared fixtures: a temporary mirror built from the real one, and a temporary project for build tests."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_MIRROR = Path(os.environ.get("WMR_DATA_MIRROR", ROOT.parent / "shared" / "wmr-sources")).resolve()

os.environ.setdefault("MPLCONFIGDIR", str(ROOT / "data" / "cache" / "mplconfig"))


@pytest.fixture
def mirror_copy(tmp_path, monkeypatch) -> Path:
    """A throw-away mirror: symlinks to the real files, except what a test replaces with a copy."""
    mirror = tmp_path / "mirror"
    for src_dir in REAL_MIRROR.iterdir():
        if src_dir.is_dir():
            (mirror / src_dir.name).mkdir(parents=True)
            for f in src_dir.rglob("*"):
                if f.is_file():
                    target = mirror / src_dir.name / f.relative_to(src_dir)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.symlink_to(f)
    monkeypatch.setenv("WMR_DATA_MIRROR", str(mirror))
    return mirror


def replace_with_copy(mirror: Path, rel: str) -> Path:
    """Turn one symlinked mirror file into a real, writable copy (so a test may alter its bytes)."""
    path = mirror / rel
    real = path.resolve()
    path.unlink()
    shutil.copyfile(real, path)
    return path
