"""The execution cache, `build.py status`, parallel runs, progress output and reproducible builds."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

from .conftest import PROFILE_SAMPLES, leftovers, link_mirror, make_project, project_processes, run_build, tree_digest

EDITION = "wmr-2026"
REGION_RUNS = [f"regions-{r}" for r in ("africa", "asia", "europe", "latin_america_caribbean", "northern_america",
                                        "oceania")]


def status(project: Path, edition: str = EDITION) -> dict[str, str]:
    proc = run_build(project, "status", "--edition", edition)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return dict(re.findall(r"^   (\S+)\s+(fresh|stale: .*)$", proc.stdout, re.M))


def executed_runs(stdout: str) -> set[str]:
    return set(re.findall(r"^   (\S+)\s+executed", stdout, re.M))


def test_status_says_fresh_and_for_stale_runs_what_changed(built_copy):
    project = built_copy
    before = status(project)
    chapter_runs = [r for r in before if not r.startswith("profiles-")]
    profile_runs = [r for r in before if r.startswith("profiles-")]
    assert len(chapter_runs) == 14 and set(before.values()) == {"fresh"}, before
    assert sorted(profile_runs) == sorted(f"profiles-{c.lower()}" for c in PROFILE_SAMPLES[EDITION])

    nb = project / "notebooks" / "01_overview.md"
    nb.write_text(nb.read_text().replace("import wmr\n", "import wmr  # an edited code cell\n", 1))
    cfg = project / "editions" / f"{EDITION}.toml"
    cfg.write_text(cfg.read_text().replace("parameters = { top_n = 20 }", "parameters = { top_n = 15 }", 1))
    manifest = project / "data" / "manifest.json"
    raw = json.loads(manifest.read_text())
    remit = next(s for s in raw["sources"] if s["id"] == "wb-remittances")
    for f in remit["files"]:
        f["sha256"] = "0" * 64  # a new snapshot of the remittance data
    manifest.write_text(json.dumps(raw, indent=1))

    after = status(project)
    assert after["overview"].startswith("stale: code cells changed")
    assert "parameters changed: top_n 20 -> 15" in after["global"]
    for run in ["overview", "global", "rebound", *REGION_RUNS]:  # the notebooks that use remittance data
        assert "pinned data changed: wb-remittances/" in after[run], (run, after[run])
    for run in ("inequality", "security", "gender", "climate", "governance"):
        assert after[run] == "fresh", (run, after[run])


def test_changing_one_pin_reexecutes_exactly_the_chapters_that_read_it(built_copy, tmp_path):
    project = built_copy
    pinned = {s["id"] for s in json.loads((project / "data" / "manifest.json").read_text())["sources"]}
    mirror = link_mirror(tmp_path / "mirror")   # the sources pinned today: the real mirror may gain others
    for folder in mirror.iterdir():
        if folder.name not in pinned:
            shutil.rmtree(folder)
    milestones = project / "data" / "milestones.csv"
    milestones.write_text(milestones.read_text() + "\n")  # new bytes, same table: a new pin of the owned source
    assert run_build(project, "pin", mirror=mirror).returncode == 0
    proc = run_build(project, "--edition", EDITION, "--html-only", mirror=mirror)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert executed_runs(proc.stdout) == {"governance"}, proc.stdout
    assert len(re.findall(r"^   \S+\s+cached", proc.stdout, re.M)) == 13 + len(PROFILE_SAMPLES[EDITION])


def test_a_code_edit_reexecutes_that_chapter_and_a_prose_edit_none(built_copy):
    project = built_copy
    nb = project / "notebooks" / "07_climate.md"
    nb.write_text(nb.read_text().replace("import wmr\n", "import wmr  # edited\n", 1))
    proc = run_build(project, "--edition", EDITION, "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert executed_runs(proc.stdout) == {"climate"}

    nb.write_text(nb.read_text() + "\nA closing sentence added by an editor.\n")
    proc = run_build(project, "--edition", EDITION, "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert executed_runs(proc.stdout) == set()
    assert "A closing sentence added by an editor." in (project / "report" / EDITION / "html" / "climate.html").read_text()


def test_runs_execute_in_parallel_one_per_core_by_default(built):
    """The default is one worker per core; before the first run ends, more than one runs (on any machine with
    two cores or more) and never more than there are workers."""
    log = (built / "build.log").read_text()
    section = log.split(f"== {EDITION}:")[1]
    workers = int(re.search(r"up to (\d+) at a time", section.splitlines()[0]).group(1))
    assert workers == os.cpu_count()
    events = re.findall(r"^   (\S+)\s+(running|executed)", section, re.M)
    first_done = next(i for i, (_, what) in enumerate(events) if what == "executed")
    assert min(2, workers) <= sum(what == "running" for _, what in events[:first_done]) <= workers
    assert {name for name, what in events if what == "executed"} == {name for name, what in events if what == "running"}


def test_progress_is_live_on_a_terminal_and_one_line_per_event_otherwise():
    from wmr.build.execute import RunResult
    from wmr.build.progress import Progress
    from wmr.build.runs import Run

    runs = [Run("overview", None, {}), Run("regions", "africa", {})]
    events = [RunResult(runs[0], "reused", Path("x")), RunResult(runs[1], "running", Path("x")),
              RunResult(runs[1], "failed", Path("x"), 2.5)]
    plain, live = io.StringIO(), io.StringIO()
    for stream, is_live in ((plain, False), (live, True)):
        p = Progress([r.name for r in runs], stream=stream, live=is_live)
        for e in events:
            p.event(e)
            p.tick()
        p.close()
    assert plain.getvalue().splitlines() == ["   overview         cached",
                                             "   regions-africa   running",
                                             "   regions-africa   failed       2.5 s"]
    text = live.getvalue()
    assert "\x1b[" in text  # redraws in place
    last = text.split("\x1b[3F")[-1]
    assert "overview" in last and "cached" in last and "failed" in last and "1 cached, 1 failed" in last


def test_stale_reasons_cover_imported_modules_dependencies_and_kernel(built):
    from wmr.build import freshness

    nb = freshness.read_executed(built / "chapters" / EDITION / "overview.ipynb")
    inputs = dict(nb.metadata["wmr"]["inputs"])
    fig_dir = built / "figures" / EDITION / "overview"
    assert freshness.stale_reasons(nb, inputs, fig_dir) == []
    assert "wmr.kernel.chapter" in nb.metadata["wmr"]["imports"]
    nb.metadata["wmr"]["imports"]["wmr.kernel.chapter"] = "0" * 64  # recorded from another version of the module
    deps = {**inputs["dependencies"], "pandas": "0.0.1"}
    changed = {**inputs, "dependencies": deps, "kernel": "python2"}
    reasons = freshness.stale_reasons(nb, changed, fig_dir)
    assert reasons[0] == "wmr module(s) it imported changed: wmr.kernel.chapter"
    assert re.match(r"dependency versions changed: pandas '[\d.]+' -> '0\.0\.1'$", reasons[1])
    assert reasons[2] == "kernel changed: python3 -> python2"
    assert freshness.stale_reasons(None, inputs, fig_dir) == ["never executed"]


def test_a_build_in_another_directory_gives_identical_bytes(built, tmp_path):
    """Executed notebooks and figures are the same bytes when executed elsewhere from scratch, on this machine's
    embedded cluster: two chapters (one with many figures) and two profiles.

    test_cluster.py compares a larger sample executed on a Dask cluster; test_book.py the book's bytes.
    """
    edition = "wmr-2024"
    other = make_project(tmp_path / "elsewhere" / "project")
    proc = run_build(other, "--edition", edition, "--chapters", "overview,global", "--profiles", "VAT,DEU",
                     "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert set(re.findall(r"^   (\S+)\s+executed", proc.stdout, re.M)) == {"overview", "global", "profiles-vat",
                                                                          "profiles-deu"}, proc.stdout
    for folder in ("chapters", "figures"):
        mine = tree_digest(other / folder / edition)
        theirs = {k: v for k, v in tree_digest(built / folder / edition).items() if k in mine}
        assert mine and mine.keys() == theirs.keys(), (folder, sorted(set(mine) - set(theirs))[:5])
        assert [f for f in mine if mine[f] != theirs[f]] == [], folder
    assert leftovers(other) == [] and project_processes(other) == []
