#!/usr/bin/env python3
"""Benchmark the build against the naive way (papermill then nbconvert, one chapter after another).

In a scratch copy of the project (the working tree's outputs are untouched), for one edition it times:
a cold build (the runs on the embedded Dask cluster, its start included), a no-op rebuild (no cluster), a rebuild after a prose-only edit of one chapter, a rebuild after one
chapter's code changed, the PDF assembly alone, and the naive run of the same notebooks. It prints each
time, its ratio to the naive run and the target, and exits non-zero when a target is missed.

    python3 bench/benchmark.py [--edition wmr-2026] [--skip-naive]

The tidy-table cache in data/cache is shared with the working tree, as in normal use: a cold build
re-executes every notebook but does not re-parse raw workbooks (nor does the naive run, which calls the
same library).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIRROR = Path(os.environ.get("WMR_DATA_MIRROR", ROOT.parent / "shared" / "wmr-sources")).resolve()


def _env(project: Path) -> dict:
    return {**os.environ, "WMR_PROJECT_ROOT": str(project), "WMR_DATA_MIRROR": str(MIRROR),
            "MPLCONFIGDIR": str(ROOT / "data" / "cache" / "mplconfig")}


def run(project: Path, *cmd: str) -> float:
    """Seconds taken by `cmd` in `project` (stops the benchmark if it fails)."""
    t0 = time.monotonic()
    proc = subprocess.run(list(cmd), cwd=project, env=_env(project), capture_output=True, text=True)
    elapsed = time.monotonic() - t0
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def build(project: Path, edition: str, *args: str) -> float:
    return run(project, sys.executable, "build.py", "--edition", edition, *args)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    if old not in text:
        sys.exit(f"benchmark edit: {old!r} not found in {path}")
    path.write_text(text.replace(old, new, 1))


def pdf_assembly(project: Path, edition_id: str) -> float:
    """Seconds for the PDF step alone (pandoc + Typst) on the executed chapters, in a child process."""
    code = (
        "import datetime as dt, sys, tempfile, time\n"
        "from pathlib import Path\n"
        "from wmr import book, document, editions\n"
        f"ed = editions.load({edition_id!r})\n"
        "docs = [document.load_chapter(ed, c) for c in ed.chapters]\n"
        "with tempfile.TemporaryDirectory() as tmp:\n"
        "    t0 = time.monotonic()\n"
        f"    book.build_pdf(ed, docs, Path(tmp), Path(tmp) / 'book.pdf', editions.release_date({edition_id!r}))\n"
        "    print(time.monotonic() - t0)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, env=_env(project), capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"PDF assembly failed:\n{proc.stderr[-3000:]}")
    return float(proc.stdout.strip().splitlines()[-1])


def naive(project: Path, edition_id: str) -> float:
    """The hand-run way: each notebook converted, executed by the papermill CLI, then nbconvert to HTML."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update(_env(project))
    from wmr import editions

    edition = editions.load(edition_id)
    out = project / "naive"
    out.mkdir()
    t0 = time.monotonic()
    for cfg in edition.chapters:
        ipynb = out / f"{cfg.slug}.ipynb"
        run(project, "jupytext", "--to", "ipynb", "--set-kernel", "python3", "-o", str(ipynb), str(cfg.notebook))
        for r in cfg.runs:
            executed = out / f"{r.name}.executed.ipynb"
            run(project, "papermill", str(ipynb), str(executed), "-y", json.dumps(r.parameters), "--cwd", str(project))
            run(project, "jupyter", "nbconvert", "--to", "html", str(executed))
    return time.monotonic() - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--edition", default="wmr-2026")
    p.add_argument("--skip-naive", action="store_true", help="leave out the naive run (ratios are then not shown)")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from wmr.scratch import make_project

    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(ROOT, Path(tmp) / "project")
        t: dict[str, float] = {}
        t["cold build"] = build(project, args.edition)
        t["no-op rebuild"] = build(project, args.edition)
        edit(project / "notebooks" / "01_overview.md", "## Remittances", "## Remittances\n\nA sentence added by an editor.")
        t["prose edit (1 chapter)"] = build(project, args.edition)
        edit(project / "notebooks" / "07_climate.md", "import wmr\n", "import wmr  # a code edit\n")
        t["code edit (1 chapter)"] = build(project, args.edition)
        t["PDF assembly alone"] = pdf_assembly(project, args.edition)
        if not args.skip_naive:
            t["naive papermill + nbconvert"] = naive(project, args.edition)
    naive_s = t.get("naive papermill + nbconvert")
    cold = t["cold build"]
    targets = {"cold build": ("<= 0.37 x naive", naive_s and cold <= 0.37 * naive_s),
               "no-op rebuild": ("< 1 s", t["no-op rebuild"] < 1.0),
               "prose edit (1 chapter)": ("< 10% of cold", t["prose edit (1 chapter)"] < 0.1 * cold)}
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"edition {args.edition}: {os.cpu_count()} cores, {platform.machine()}, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    missed = 0
    for name, secs in t.items():
        ratio = f"{secs / naive_s:5.2f} x naive" if naive_s else ""
        target, ok = targets.get(name, ("", None))
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        missed += ok is False
        print(f"  {name:30} {secs:7.2f} s  {ratio:14} {target:16} {verdict}")
    print(f"  largest child process: {peak_mb:.0f} MB")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
