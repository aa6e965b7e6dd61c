"""A run is stale only when a wmr module it imported changed: site and book edits re-assemble, nothing executes."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, run_build
from .test_build_cache import EDITION, REGION_RUNS, executed_runs, status

SRC = ROOT / "src"


def test_a_kernel_logs_the_wmr_modules_it_imports_with_their_source_digest(tmp_path):
    log = tmp_path / "reads"
    log.touch()
    env = {**os.environ, "WMR_READ_LOG": str(log), "PYTHONPATH": str(SRC)}
    subprocess.run([sys.executable, "-c", "import wmr.kernel.analysis.regions"], env=env, check=True)
    lines = dict(line.split("\t") for line in log.read_text().splitlines())
    regions = SRC / "wmr" / "kernel" / "analysis" / "regions.py"
    assert lines["module wmr.kernel.analysis.regions"] == hashlib.sha256(regions.read_bytes()).hexdigest()
    assert "module wmr" in lines and "module wmr.kernel.analysis" in lines
    assert not any(name.startswith("module wmr.build") for name in lines)  # the kernel side never imports the build


def test_without_a_read_log_nothing_is_logged_or_hooked():
    code = ("import sys, wmr.kernel.fmt; print(any(type(f).__name__ == '_Finder' for f in sys.meta_path))")
    env = {k: v for k, v in os.environ.items() if k != "WMR_READ_LOG"} | {"PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"


def _own_source(project: Path) -> Path:
    """Give the project its own copy of src/ (build.py then uses it): a library edit stays inside the test."""
    shutil.copytree(SRC, project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return project / "src" / "wmr"


@pytest.mark.build
def test_a_site_edit_reassembles_without_executing_and_a_module_edit_reexecutes_its_importers(built_copy):
    project = built_copy
    pkg = _own_source(project)
    assert set(status(project).values()) == {"fresh"}

    site = pkg / "build" / "site.py"
    site.write_text(site.read_text() + "\n# an edit to the HTML renderer\n")
    assert set(status(project).values()) == {"fresh"}
    proc = run_build(project, "--edition", EDITION, "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert executed_runs(proc.stdout) == set(), proc.stdout

    regions = pkg / "kernel" / "analysis" / "regions.py"
    regions.write_text(regions.read_text() + "\n# an edit to the regional analysis\n")
    after = status(project)
    stale = {run for run, state in after.items() if state != "fresh"}
    assert stale == set(REGION_RUNS), after
    assert all(after[run] == "stale: wmr module(s) it imported changed: wmr.kernel.analysis.regions" for run in stale)
    notebooks = {run: project / "chapters" / EDITION / f"{run}.ipynb" for run in REGION_RUNS}
    before = {run: json.loads(path.read_text()) for run, path in notebooks.items()}
    figures = {p: p.read_bytes() for p in (project / "figures" / EDITION / "regions").iterdir()}
    proc = run_build(project, "--edition", EDITION, "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert executed_runs(proc.stdout) == set(REGION_RUNS), proc.stdout
    # Four of the six ran after another region in their worker's kernel, which kept the wmr modules and their
    # in-memory tables: each still records the reads, imports, facts and figures it did in the built project.
    for run, path in notebooks.items():
        now = json.loads(path.read_text())
        for nb in (now, before[run]):
            nb["metadata"]["wmr"]["imports"].pop("wmr.kernel.analysis.regions")   # the edited module's digest
        assert now == before[run], run
    assert {p: p.read_bytes() for p in figures} == figures


@pytest.mark.build
def test_a_site_edit_keeps_the_published_pdfs_and_a_book_edit_makes_them_again(built_copy):
    """The PDFs' keys leave out the code that only makes the HTML site: after an edit to it a full build carries
    the published PDFs over (the same files, hard-linked), while an edit to the book code makes them again."""
    project = built_copy
    pkg = _own_source(project)
    report = project / "report" / EDITION
    pdfs = [report / f"{EDITION}.pdf", *sorted((report / "chapters").glob("*.pdf"))]
    assert len(pdfs) > 5
    before = {p: p.stat().st_ino for p in pdfs}
    site = pkg / "build" / "site.py"
    site.write_text(site.read_text() + "\n# an edit to the HTML renderer\n")
    proc = run_build(project, "--edition", EDITION)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert executed_runs(proc.stdout) == set(), proc.stdout
    assert {p: p.stat().st_ino for p in pdfs} == before, "a site edit made the PDFs again"
    book = pkg / "build" / "book.py"
    book.write_text(book.read_text() + "\n# an edit to the PDF book\n")
    proc = run_build(project, "--edition", EDITION)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert executed_runs(proc.stdout) == set(), proc.stdout
    assert all(p.stat().st_ino != before[p] for p in pdfs), "a book edit kept the old PDFs"
