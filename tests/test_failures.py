"""Failures never lose work and always say what to do: one test per case of the failure table in the README.

Each test breaks a private copy of the built project, checks the message and exit status, and checks that
the previously published report and the other chapters are intact and no process or temporary file remains.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import (
    REAL_MIRROR,
    ROOT,
    leftovers,
    make_project,
    project_processes,
    replace_with_copy,
    run_build,
    tree_digest,
    wait_for,
)

EDITION = "wmr-2026"
PARAMS_CELL_END = re.compile(r"(:tags: \[parameters\]\n.*?```\n)", re.S)


def add_cell(project: Path, notebook: str, code: str) -> int:
    """Insert a code cell right after the parameters cell; returns the line of its first code line."""
    path = project / "notebooks" / notebook
    text, n = PARAMS_CELL_END.subn(lambda m: m.group(1) + f"\n```{{code-cell}} ipython3\n{code}\n```\n", path.read_text(), 1)
    assert n == 1
    path.write_text(text)
    return text[:text.index(code)].count("\n") + 1


def set_config(project: Path, pattern: str, replacement: str) -> None:
    cfg = project / "editions" / f"{EDITION}.toml"
    text, n = re.subn(pattern, replacement, cfg.read_text(), count=1, flags=re.M)
    assert n == 1, pattern
    cfg.write_text(text)


def assert_nothing_lost(project: Path, report_before: dict) -> None:
    assert tree_digest(project / "report" / EDITION) == report_before, "the published report changed"
    assert leftovers(project) == []
    assert project_processes(project) == []


def test_a_failing_region_run_is_reported_and_the_rest_still_builds(built_copy):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    line = add_cell(project, "03_regions.md", 'if region == "Oceania":\n    raise ValueError("no usable rows for " + region)')
    proc = run_build(project, "--edition", EDITION, "--html-only")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert f"!! {EDITION} / chapter 'regions' (run oceania) failed in code cell 2 (line {line} of the notebook)" in out
    assert "ValueError: no usable rows for Oceania" in out
    assert 'if region == "Oceania":' in out  # the cell's first lines
    kept = project / "chapters" / EDITION / "regions-oceania.failed.ipynb"
    assert f"chapters/{EDITION}/regions-oceania.failed.ipynb" in out and kept.is_file()
    marked = json.loads(kept.read_text())
    banner = [c for c in marked["cells"] if "wmr-error" in c["metadata"].get("tags", [])]
    assert len(banner) == 1 and "ValueError" in "".join(banner[0]["source"])
    for region in ("africa", "asia", "europe", "latin_america_caribbean", "northern_america"):
        assert re.search(rf"regions-{region}\s+executed", out), region
    assert "published edition was left as it was" in proc.stderr and "Traceback" not in proc.stderr
    assert_nothing_lost(project, report)

    # Explicitly publish the other chapters, marked as incomplete: the five good runs are reused now.
    proc = run_build(project, "--edition", EDITION, "--publish-partial")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.findall(r"^   (\S+)\s+running", proc.stdout, re.M) == ["regions-oceania"]  # only the failed run retried
    assert re.search(r"regions-oceania\s+failed", proc.stdout)
    assert "WITHOUT the failed chapter(s) regions" in proc.stderr
    html = project / "report" / EDITION / "html"
    assert not (html / "regions.html").exists() and (html / "global.html").is_file()
    assert "Incomplete edition." in (html / "overview.html").read_text()
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(project / "report" / EDITION / f"{EDITION}.pdf"))
    try:
        assert "Incomplete edition" in pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert leftovers(project) == [] and project_processes(project) == []


@pytest.mark.parametrize("limit_from", ["config", "command line"])
def test_a_hanging_cell_is_stopped_by_the_timeout(built_copy, limit_from):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    add_cell(project, "01_overview.md", "import time\ntime.sleep(120)")
    if limit_from == "config":
        set_config(project, r"^cell_timeout = \d+", "cell_timeout = 3")
        args, limit = (), 3
    else:
        args, limit = ("--timeout", "2"), 2
    started = time.monotonic()
    proc = run_build(project, "--edition", EDITION, "--chapters", "overview", *args)
    assert time.monotonic() - started < 60
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"!! {EDITION} / chapter 'overview' failed in code cell 2" in proc.stdout
    assert f"CellTimeoutError: the cell was still running after {limit} s" in proc.stdout
    assert_nothing_lost(project, report)


def test_a_dying_kernel_is_named_with_its_chapter_and_cell(built_copy):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    add_cell(project, "01_overview.md", "import os\nos._exit(1)")
    proc = run_build(project, "--edition", EDITION, "--chapters", "overview")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"!! {EDITION} / chapter 'overview' failed in code cell 2" in proc.stdout
    assert "DeadKernelError: the kernel died while running the cell" in proc.stdout
    assert "os._exit(1)" in proc.stdout
    assert_nothing_lost(project, report)


def test_string_parameters_reach_the_notebook_unchanged(built_copy):
    project = built_copy
    value = 'He said "stop"; \\ and\nimport os; os._exit(3) # \'\'\' """'
    path = project / "notebooks" / "01_overview.md"
    path.write_text(path.read_text().replace('mmp_year: int = 2024', 'mmp_year: int = 2024\nmotto: str = ""', 1))
    add_cell(project, "01_overview.md", "print(repr(motto))")
    cfg = project / "editions" / f"{EDITION}.toml"
    cfg.write_text(cfg.read_text().replace('notebook = "notebooks/01_overview.md"\n',
                                           'notebook = "notebooks/01_overview.md"\n'
                                           f'parameters = {{ motto = {json.dumps(value)} }}\n', 1))
    proc = run_build(project, "--edition", EDITION, "--chapters", "overview", "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    nb = json.loads((project / "chapters" / EDITION / "overview.ipynb").read_text())
    printed = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"] if o.get("name") == "stdout"]
    assert "".join(printed[0]["text"]).strip() == repr(value)


@pytest.mark.parametrize("args", [("--edition", "../x"), ("--edition", "/etc/passwd"),
                                  ("--edition", EDITION, "--chapters", "overview,../../x")])
def test_names_that_could_be_paths_are_refused(tmp_path, args):
    project = make_project(tmp_path / "project")
    proc = run_build(project, *args)
    assert proc.returncode == 1 and proc.stderr.startswith("error: Invalid "), proc.stderr
    assert "expected:" in proc.stderr and "fix:" in proc.stderr
    assert not (project / "chapters").exists()


def test_a_chapter_slug_that_is_a_path_is_refused(tmp_path):
    project = make_project(tmp_path / "project")
    set_config(project, r'^slug = "overview"', 'slug = "../overview"')
    proc = run_build(project, "--edition", EDITION)
    assert proc.returncode == 1 and "Invalid chapter name '../overview'" in proc.stderr, proc.stderr
    assert not (project / "chapters").exists()


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_a_truncated_or_corrupt_file_names_source_file_and_checksum(tmp_path, mirror_copy, damage):
    project = make_project(tmp_path / "project")
    path = replace_with_copy(mirror_copy, "iom-missing-migrants/" + next(
        p.name for p in (REAL_MIRROR / "iom-missing-migrants").iterdir() if p.suffix != ".toml"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"\0" * len(data))
    proc = run_build(project, "--edition", EDITION, mirror=mirror_copy)
    assert proc.returncode == 1, proc.stderr
    assert f"pinned file iom-missing-migrants/{path.name}".lower() in proc.stderr.lower()
    assert ("wrong size" if damage == "truncated" else "Checksum mismatch") in proc.stderr
    assert "expected: " in proc.stderr and "sha256" in proc.stderr and "fix:" in proc.stderr
    assert not (project / "chapters").exists()


def _repin(project: Path, source: str, path: Path) -> None:
    """Adopt an altered file as the pinned snapshot (as an editor re-pinning a new vintage would)."""
    import hashlib

    manifest = project / "data" / "manifest.json"
    raw = json.loads(manifest.read_text())
    entry = next(f for s in raw["sources"] if s["id"] == source for f in s["files"] if f["name"] == path.name)
    entry.update(sha256=hashlib.sha256(path.read_bytes()).hexdigest(), bytes=path.stat().st_size)
    manifest.write_text(json.dumps(raw, indent=1))


@pytest.mark.parametrize("change", ["column layout", "unknown country code"])
def test_a_repinned_file_with_a_new_layout_or_codes_names_source_and_file(built_copy, mirror_copy, change):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    path = replace_with_copy(mirror_copy, "free-movement/ecowas.csv")
    text = path.read_text()
    path.write_text(text.replace("1995,2000", "y1995,y2000").replace(",2005,2010,2015,2019", ",y2005,y2010,y2015,y2019")
                    if change == "column layout" else text.replace(",BEN,", ",XBN,"))
    _repin(project, "free-movement", path)
    proc = run_build(project, "--edition", EDITION, "--chapters", "inequality", mirror=mirror_copy)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"!! {EDITION} / chapter 'inequality' failed in code cell" in proc.stdout
    if change == "column layout":
        assert "LoaderError: ecowas.csv has no year columns" in proc.stdout
        assert "free-movement/ecowas.csv" in proc.stdout
    else:
        assert "ValidationError" in proc.stdout and "free-movement/ecowas.csv" in proc.stdout and "XBN" in proc.stdout
    assert_nothing_lost(project, report)


def test_ctrl_c_stops_promptly_kills_kernels_and_leaves_no_half_written_file(built_copy, tmp_path):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    chapters = tree_digest(project / "chapters" / EDITION)
    asleep = {name: tmp_path / f"{name}.asleep" for name in ("overview", "gender")}   # each cell says it began
    add_cell(project, "01_overview.md", f"import pathlib, time\npathlib.Path({str(asleep['overview'])!r}).touch()\n"
                                        "time.sleep(300)")
    add_cell(project, "06_gender.md", f"import pathlib, time\npathlib.Path({str(asleep['gender'])!r}).touch()\n"
                                      "time.sleep(300)")
    env = {**os.environ, "WMR_PROJECT_ROOT": str(project), "WMR_DATA_MIRROR": str(REAL_MIRROR), "WMR_OFFLINE": "1"}
    # started with Ctrl-C ignored, as a shell script starts a background job: the build still takes Ctrl-C
    proc = subprocess.Popen([sys.executable, str(project / "build.py"), "--edition", EDITION,
                             "--chapters", "overview,gender", "--jobs", "2"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        wait_for(lambda: all(p.exists() for p in asleep.values()), "both kernels to enter their sleeping cells",
                 seconds=300, every=0.2)
        assert sum("ipykernel" in p for p in project_processes(project)) == 2
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        stopped = time.monotonic()
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert time.monotonic() - stopped < 15
    assert proc.returncode == 130, out + err
    assert "interrupted" in err and "Traceback" not in err
    wait_for(lambda: project_processes(project) == [], "the kernels to end", seconds=30)
    assert tree_digest(project / "chapters" / EDITION) == chapters
    assert_nothing_lost(project, report)


def _in_mount_namespace(project: Path, setup: str, build_args: str) -> dict:
    """Run a build in a private mount namespace where report/ is a real tmpfs or read-only mount.

    The checks run inside the namespace too (the mount vanishes with it) and come back as JSON.
    """
    check = project / "check.py"
    check.write_text(
        "import json, pathlib, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.conftest import leftovers, tree_digest\n"
        "here = pathlib.Path.cwd()\n"
        "same = tree_digest(here / 'report') == tree_digest(here / 'report.orig')\n"
        "print(json.dumps({'same': same, 'junk': leftovers(here)}))\n")
    shutil.copytree(project / "report", project / "report.orig")
    script = (f"set -e\ncd {project}\n{setup}\n"
              f"set +e\n{sys.executable} build.py {build_args} >build.out 2>build.err\necho $? >build.rc\n"
              f"{sys.executable} check.py >check.json\n")
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--mount"]
    env = {**os.environ, "WMR_PROJECT_ROOT": str(project), "WMR_DATA_MIRROR": str(REAL_MIRROR), "WMR_OFFLINE": "1"}
    done = subprocess.run([*unshare, "bash", "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return {"rc": int((project / "build.rc").read_text()), "stderr": (project / "build.err").read_text(),
            **json.loads((project / "check.json").read_text())}


def _prose_edit(project: Path) -> None:
    nb = project / "notebooks" / "01_overview.md"
    nb.write_text(nb.read_text().replace("## Remittances", "## Remittances\n\nA sentence added by an editor.", 1))


def tmpfs_bytes(folder: Path) -> int:
    """What the files under `folder` take on a tmpfs: each file whole memory pages (many are small)."""
    page = os.sysconf("SC_PAGE_SIZE")
    return sum(-(-p.stat().st_size // page) * page for p in folder.rglob("*") if p.is_file())


def test_a_full_disk_gives_a_clear_message_and_publishes_nothing(built_copy):
    project = built_copy
    _prose_edit(project)  # forces a new assembly, which needs room for a second copy of the edition
    # room for the published report and half of a new copy of the edition: the disk fills during the assembly
    size = tmpfs_bytes(project / "report") + tmpfs_bytes(project / "report" / EDITION) // 2
    res = _in_mount_namespace(project, f"mount -t tmpfs -o size={size} wmr-full report\ncp -a report.orig/. report/",
                              f"--edition {EDITION}")
    assert res["rc"] == 1, res["stderr"]
    assert "the disk is full" in res["stderr"] and "Nothing half-written was published" in res["stderr"]
    assert "fix:" in res["stderr"] and "Traceback" not in res["stderr"]
    assert res["same"] and res["junk"] == []
    assert project_processes(project) == []


def test_a_read_only_report_folder_gives_a_clear_message(built_copy):
    project = built_copy
    _prose_edit(project)
    res = _in_mount_namespace(project, "mount --bind report report\nmount -o remount,bind,ro report",
                              f"--edition {EDITION}")
    assert res["rc"] == 1, res["stderr"]
    assert "the file system is read-only" in res["stderr"] and "report" in res["stderr"]
    assert res["same"] and res["junk"] == []
