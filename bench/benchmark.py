#!/usr/bin/env python3
"""Benchmark the build against the naive way (papermill then nbconvert, one chapter after another).

In a scratch copy of the project (the working tree's outputs are untouched), for one edition it times:
a cold build (the runs on the embedded Dask cluster, its start included), a no-op rebuild (no cluster), a
rebuild after a prose-only edit of one chapter, a rebuild after one chapter's code changed, a rebuild after an
edit to the site code (the scratch copy gets its own src/: no run may execute), the PDF assembly alone, and
the naive run of the same notebooks, all in English only (as the naive run); and a cold build of the edition in
every language its config declares (`languages`), against the English one. It prints each
time, its ratio to the naive run and the target, and exits non-zero when a target is missed.

    python3 bench/benchmark.py [--edition wmr-2026] [--skip-naive]
    python3 bench/benchmark.py --profiles [--naive-sample 4]

The chapter scenarios run without the country profiles (their [profiles] tables are left out of the scratch
copy). `--profiles` runs the profiles scenario instead: the chapters of wmr-2026 are built first (untimed),
then a cold build of every profile of both editions (amortised seconds per profile), the naive loop (papermill
once per country, one after another) timed on a sample and extrapolated, a no-op rebuild of the default build
(chapters and profiles), and a new pin of a file only the profiles read (re-executes only the profiles); with
the cost of a kernel start, of the imports and of one profile's computation in a kept kernel.

The tidy-table cache in data/cache is shared with the working tree, as in normal use: a cold build
re-executes every notebook but does not re-parse raw workbooks (nor does the naive run, which calls the
same library).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
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


def build_counting(project: Path, edition: str) -> tuple[float, set[str]]:
    """Seconds of a build and the runs it executed (not reused)."""
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "build.py", "--edition", edition], cwd=project, env=_env(project),
                          capture_output=True, text=True)
    elapsed = time.monotonic() - t0
    if proc.returncode:
        sys.exit(f"build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, set(re.findall(r"^   (\S+)\s+executed", proc.stdout, re.M))


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
        "from wmr.build import book, document, editions\n"
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
    from wmr.build import editions

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


def without_profiles(project: Path) -> Path:
    """Drop the [profiles] tables (the last table of each edition config): the chapter scenarios build chapters."""
    for cfg in (project / "editions").glob("*.toml"):
        text = cfg.read_text()
        if "\n[profiles]" in text:
            cfg.write_text(text.split("\n[profiles]")[0].rstrip() + "\n")
    return project


def english_only(project: Path) -> Path:
    """Publish each edition in English only (the chapter scenarios compare with the naive run, which is English)."""
    for cfg in (project / "editions").glob("*.toml"):
        cfg.write_text(re.sub(r"^languages = .*$", 'languages = ["en"]', cfg.read_text(), count=1, flags=re.M))
    return project


def languages_of(project: Path, edition: str) -> list[str]:
    import tomllib

    return tomllib.loads((project / "editions" / f"{edition}.toml").read_text())["languages"]


def _in_project(project: Path, code: str) -> str:
    """Run python `code` with the scratch project as WMR_PROJECT_ROOT; returns its stdout."""
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, env=_env(project), capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"benchmark probe failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def profile_codes(project: Path, edition: str) -> list[str]:
    out = _in_project(project, f"from wmr.build import editions\nprint(','.join(r.parameters['iso3'] for r in "
                               f"editions.load({edition!r}).profiles.runs))")
    return out.strip().split(",")


def kernel_start_seconds(project: Path) -> float:
    """Wall time to start a kernel, wait until it answers and shut it down (what a fresh kernel per run costs)."""
    return float(_in_project(project, (
        "import time\nfrom jupyter_client.manager import start_new_kernel\n"
        "t0 = time.monotonic()\nkm, kc = start_new_kernel(kernel_name='python3')\nkc.stop_channels()\n"
        "km.shutdown_kernel(now=True)\nprint(time.monotonic() - t0)\n")).split()[-1])


def import_seconds(project: Path) -> float:
    """Wall time of the profile notebook's imports in a fresh interpreter (pandas, matplotlib, wmr)."""
    return float(_in_project(project, (
        "import time\nt0 = time.monotonic()\nimport wmr.kernel.chapter, wmr.kernel.analysis.profiles, wmr.kernel.plots.profile_charts\n"
        "print(time.monotonic() - t0)\n")).split()[-1])


def naive_profiles(project: Path, edition: str, codes: list[str]) -> float:
    """Papermill once per country, one after another: seconds for `codes` (to extrapolate)."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update(_env(project))
    from wmr.build import editions

    cfg = editions.load(edition).profiles
    runs = {r.parameters["iso3"]: r for r in cfg.runs}
    out = project / "naive-profiles"
    out.mkdir(exist_ok=True)
    ipynb = out / "profile.ipynb"
    run(project, "jupytext", "--to", "ipynb", "--set-kernel", "python3", "-o", str(ipynb), str(cfg.notebook))
    t0 = time.monotonic()
    for code in codes:
        run(project, "papermill", str(ipynb), str(out / f"{code}.ipynb"), "-y", json.dumps(runs[code].parameters),
            "--cwd", str(project))
    return time.monotonic() - t0


def profiles_scenario(tmp: Path, naive_sample: int) -> int:
    """The profiles scenario (see the module docstring); prints its figures, returns the exit code."""
    import hashlib

    from wmr.build.scratch import make_project

    project = make_project(ROOT, tmp / "profiles")
    editions_ = ["wmr-2024", "wmr-2026"]
    codes = {e: profile_codes(project, e) for e in editions_}
    total = sum(len(c) for c in codes.values())
    chapters = _in_project(project, "from wmr.build import editions\nprint(','.join(c.slug for c in editions.load('wmr-2026').chapters))").strip()
    build(project, "wmr-2026", "--chapters", chapters)                         # untimed: the chapters exist
    t: dict[str, float] = {}
    t["cold build, every profile"] = sum(build(project, e, "--profiles", ",".join(codes[e])) for e in editions_)
    print(f"  cold build of {total} profiles: {t['cold build, every profile']:.1f} s", flush=True)   # kept if a later step fails
    timings = json.loads((ROOT / "data" / "cache" / "run-seconds.json").read_text())
    per_run = [timings[f"{e}/profiles-{c.lower()}"] for e in editions_ for c in codes[e]
               if f"{e}/profiles-{c.lower()}" in timings]
    t["no-op rebuild (chapters + profiles)"] = build(project, "wmr-2026")
    print(f"  no-op rebuild: {t['no-op rebuild (chapters + profiles)']:.2f} s", flush=True)
    # the naive loop and the per-profile costs, before the new pin below changes the manifest
    sample = codes["wmr-2026"][:: max(1, len(codes["wmr-2026"]) // naive_sample)][:naive_sample]
    naive_sample_s = naive_profiles(project, "wmr-2026", sample)
    t["naive loop (extrapolated)"] = naive_sample_s / len(sample) * total
    print(f"  naive sample: {len(sample)} profiles in {naive_sample_s:.1f} s", flush=True)
    kernel, imports = kernel_start_seconds(project), import_seconds(project)
    print(f"  kernel start {kernel:.2f} s, imports {imports:.2f} s", flush=True)
    # a new snapshot of a file only the profiles read: KNOMAD outflows (same table, one more byte)
    mirror = tmp / "mirror"
    mirror.mkdir()
    for src in MIRROR.iterdir():
        if src.is_dir():
            (mirror / src.name).symlink_to(src) if src.name != "wb-remittances" else shutil.copytree(src, mirror / src.name)
    outflows = mirror / "wb-remittances" / "remittance-outflows.xlsx"
    outflows.write_bytes(outflows.read_bytes() + b"\n")
    manifest = project / "data" / "manifest.json"
    raw = json.loads(manifest.read_text())
    pin = next(f for s in raw["sources"] if s["id"] == "wb-remittances" for f in s["files"] if f["name"] == outflows.name)
    pin.update(sha256=hashlib.sha256(outflows.read_bytes()).hexdigest(), bytes=outflows.stat().st_size)
    manifest.write_text(json.dumps(raw, indent=1))
    env_mirror = os.environ.get("WMR_DATA_MIRROR")
    os.environ["WMR_DATA_MIRROR"] = str(mirror)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "build.py", "--edition", "wmr-2026"], cwd=project,
                          env={**_env(project), "WMR_DATA_MIRROR": str(mirror)}, capture_output=True, text=True)
    t["new pin read only by profiles"] = time.monotonic() - t0
    if env_mirror is not None:
        os.environ["WMR_DATA_MIRROR"] = env_mirror
    if proc.returncode:
        sys.exit(f"rebuild after the new pin failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    executed = set(re.findall(r"^   (\S+)\s+executed", proc.stdout, re.M))
    only_profiles = executed == {f"profiles-{c.lower()}" for c in codes["wmr-2026"]}
    print(f"  new pin read only by profiles: {len(executed)} runs re-executed, only the profiles: {only_profiles}, "
          f"{t['new pin read only by profiles']:.1f} s", flush=True)
    pages = {e: _in_project(project, f"from wmr.build.book import page_count\nprint(page_count(open('report/{e}/{e}-profiles.pdf','rb').read()))").strip()
             for e in editions_}
    cold = t["cold build, every profile"]
    per = cold / total
    print(f"profiles: {total} runs ({', '.join(f'{e}: {len(c)}' for e, c in codes.items())}); {os.cpu_count()} cores, "
          f"{platform.machine()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    checks = [("cold build, every profile", f"{per:.2f} s/profile amortised", "<= 1.0 s/profile", per <= 1.0),
              ("cold vs naive", f"{cold / t['naive loop (extrapolated)']:.2f} x naive", "<= 0.25 x naive",
               cold <= 0.25 * t["naive loop (extrapolated)"]),
              ("no-op rebuild (chapters + profiles)", f"{t['no-op rebuild (chapters + profiles)']:.2f} s", "< 1.5 s",
               t["no-op rebuild (chapters + profiles)"] < 1.5),
              ("new pin read only by profiles", f"{len(executed)} runs re-executed", "only the profiles", only_profiles)]
    for name, secs in t.items():
        print(f"  {name:40} {secs:8.1f} s")
    missed = 0
    for name, value, target, ok in checks:
        missed += not ok
        print(f"  {name:40} {value:26} {target:18} {'ok' if ok else 'MISSED'}")
    print(f"  naive sample: {len(sample)} profiles ({', '.join(sample)}) in {naive_sample_s:.1f} s = "
          f"{naive_sample_s / len(sample):.2f} s each")
    print(f"  per profile: kernel start {kernel:.2f} s and imports {imports:.2f} s (paid once per worker), "
          f"execution in a kept kernel {sum(per_run) / max(1, len(per_run)):.2f} s on average "
          f"(median {sorted(per_run)[len(per_run) // 2] if per_run else 0:.2f} s)")
    print(f"  profiles PDF pages: {', '.join(f'{e}: {n}' for e, n in pages.items())}")
    return 1 if missed else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--edition", default="wmr-2026")
    p.add_argument("--skip-naive", action="store_true", help="leave out the naive run (ratios are then not shown)")
    p.add_argument("--profiles", action="store_true", help="run the profiles scenario instead of the chapter ones")
    p.add_argument("--naive-sample", type=int, default=4, help="profiles run the naive way, to extrapolate")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from wmr.build.scratch import make_project

    if args.profiles:
        with tempfile.TemporaryDirectory() as tmp:
            return profiles_scenario(Path(tmp), args.naive_sample)
    with tempfile.TemporaryDirectory() as tmp:
        languages = without_profiles(make_project(ROOT, Path(tmp) / "languages"))
        shutil.copytree(ROOT / "src", languages / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        project = english_only(without_profiles(make_project(ROOT, Path(tmp) / "project")))
        shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        t: dict[str, float] = {}
        t["cold build"] = build(project, args.edition)
        many = languages_of(languages, args.edition)
        t[f"cold build, {len(many)} languages"] = build(languages, args.edition)
        shutil.rmtree(languages)
        t["no-op rebuild"] = build(project, args.edition)
        edit(project / "notebooks" / "01_overview.md", "## Remittances", "## Remittances\n\nA sentence added by an editor.")
        t["prose edit (1 chapter)"] = build(project, args.edition)
        edit(project / "notebooks" / "07_climate.md", "import wmr\n", "import wmr  # a code edit\n")
        t["code edit (1 chapter)"] = build(project, args.edition)
        site = project / "src" / "wmr" / "build" / "site.py"
        site.write_text(site.read_text() + "\n# an edit to the HTML renderer\n")
        t["site code edit"], executed = build_counting(project, args.edition)
        if executed:
            sys.exit(f"an edit to site.py re-executed runs: {sorted(executed)}")
        t["PDF assembly alone"] = pdf_assembly(project, args.edition)
        if not args.skip_naive:
            t["naive papermill + nbconvert"] = naive(project, args.edition)
    naive_s = t.get("naive papermill + nbconvert")
    cold = t["cold build"]
    targets = {"cold build": ("<= 0.37 x naive", naive_s and cold <= 0.37 * naive_s),
               f"cold build, {len(many)} languages": ("<= 1.6 x cold", t[f"cold build, {len(many)} languages"]
                                                     <= 1.6 * cold),
               "no-op rebuild": ("< 1 s", t["no-op rebuild"] < 1.0),
               "prose edit (1 chapter)": ("< 10% of cold", t["prose edit (1 chapter)"] < 0.1 * cold),
               "site code edit": ("< 10% of cold", t["site code edit"] < 0.1 * cold)}
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
