"""A run's edition, chapter and run key come from the build, never from the notebook (issue 14 point 3)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import jupytext

from .conftest import ROOT

IDENTITY = "import wmr; ch = wmr.Chapter(); print(ch.edition, ch.slug, ch.run)"


def _identity(env: dict[str, str]) -> str:
    base = {k: v for k, v in os.environ.items() if k not in ("WMR_EDITION", "WMR_CHAPTER", "WMR_RUN")}
    return subprocess.run([sys.executable, "-c", IDENTITY], env={**base, "PYTHONPATH": str(ROOT / "src"), **env},
                          capture_output=True, text=True, check=True).stdout.strip()


def test_no_notebook_types_its_edition_chapter_or_run():
    for path in sorted((ROOT / "notebooks").glob("*.md")):
        nb = jupytext.read(path)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert re.findall(r"wmr\.Chapter\(([^)]*)\)", code) == [""], path.name
        params = next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        assert not re.search(r"^edition\s*[:=]", params, re.M), path.name


def test_the_chapter_takes_its_identity_from_the_build(tmp_path):
    env = {"WMR_EDITION": "wmr-2024", "WMR_CHAPTER": "regions", "WMR_RUN": "oceania", "WMR_FIGURES_DIR": str(tmp_path)}
    assert _identity(env) == "wmr-2024 regions oceania"
    assert _identity({**env, "WMR_RUN": ""}) == "wmr-2024 regions None"


def test_a_notebook_opened_by_hand_is_a_draft():
    assert _identity({"WMR_PROJECT_ROOT": str(ROOT)}) == "draft draft None"
