#!/usr/bin/env python3
"""Benchmark the build on this machine: cold (every chapter executed), warm (all reused), prose edit.

Runs in a scratch copy of the project, so the working tree's outputs are untouched. Prints one line per
scenario with wall time and the peak memory of the largest child process, and exits non-zero when a
target is missed. Targets are for a 2-core machine; override with --cold-target etc.

    python3 scripts/benchmark.py [--edition wmr-2026]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wmr.scratch import make_project

ROOT = Path(__file__).resolve().parents[1]


def timed(project: Path, *args: str) -> float:
    env = {**os.environ, "WMR_PROJECT_ROOT": str(project)}
    env.setdefault("WMR_DATA_MIRROR", str(ROOT.parent / "shared" / "wmr-sources"))
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, str(project / "build.py"), *args], cwd=project, env=env,
                          capture_output=True, text=True)
    elapsed = time.monotonic() - t0
    if proc.returncode:
        sys.exit(f"build {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--edition", default="wmr-2026")
    p.add_argument("--cold-target", type=float, default=600.0, help="seconds for a full build with execution")
    p.add_argument("--warm-target", type=float, default=120.0, help="seconds for a rebuild with nothing changed")
    p.add_argument("--prose-target", type=float, default=60.0, help="seconds to re-render one chapter after a prose edit")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(ROOT, Path(tmp) / "project")
        results = {
            "cold": timed(project, "--edition", args.edition, "--force"),
            "warm": timed(project, "--edition", args.edition),
        }
        nb = project / "notebooks" / "01_overview.md"
        nb.write_text(nb.read_text() + "\nAn added sentence.\n")
        results["prose"] = timed(project, "--edition", args.edition, "--chapters", "overview", "--html-only")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    targets = {"cold": args.cold_target, "warm": args.warm_target, "prose": args.prose_target}
    missed = 0
    for name, secs in results.items():
        ok = secs <= targets[name]
        missed += not ok
        print(f"{name:6} {secs:7.1f} s   target {targets[name]:6.0f} s   {'ok' if ok else 'MISSED'}")
    print(f"peak child memory {peak_mb:.0f} MB")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
