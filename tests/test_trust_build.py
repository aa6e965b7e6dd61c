"""Trust nothing: names, values, caches, the environment, concurrent builds and crashes (issue 15).

Each test breaks a private copy of the built project (or of its inputs) and checks the message, the exit status,
that the published report is unchanged byte for byte when the build must fail, and that no process or
temporary file remains: one test per row of the README's failure table.
"""
from __future__ import annotations

import fcntl
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from .conftest import (
    REAL_MIRROR,
    leftovers,
    make_project,
    page_elements,
    project_processes,
    run_build,
    tree_digest,
    wait_for,
)
from .test_failures import EDITION, assert_nothing_lost, set_config

LOCK = f"chapters/.build-{EDITION}.lock"   # where the README says the edition's build lock lives


def append_cell(project: Path, notebook: str, code: str) -> None:
    """Append a code cell at the end of a chapter notebook (after the cell that creates `ch`)."""
    path = project / "notebooks" / notebook
    path.write_text(path.read_text().rstrip("\n") + f"\n\n```{{code-cell}} ipython3\n{code}\n```\n")


def append_prose(project: Path, notebook: str, text: str) -> None:
    path = project / "notebooks" / notebook
    path.write_text(path.read_text().rstrip("\n") + f"\n\n{text}\n")


def build_env(project: Path, **extra: str) -> dict:
    return {**os.environ, "WMR_PROJECT_ROOT": str(project), "WMR_DATA_MIRROR": str(REAL_MIRROR), "WMR_OFFLINE": "1",
            **extra}


def start_build(project: Path, *args: str, **env: str) -> subprocess.Popen:
    """Start `build.py ARGS` in its own session (so the test can kill the whole build), output line by line."""
    return subprocess.Popen([sys.executable, "-u", str(project / "build.py"), *args], cwd=project,
                            env=build_env(project, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def lines_of(stream) -> queue.Queue:
    """The lines of a pipe, read by a thread into a queue (so a test can wait for one with a deadline)."""
    q: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [q.put(line) for line in stream], daemon=True).start()
    return q


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


# ------------------------------------------------------------------ names


def test_a_fact_recorded_twice_is_refused_naming_both_cells(built_copy):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    append_cell(project, "01_overview.md",
                'ch.fact("migrants_total", 1, unit="people", year=stock_year, sources=["unsd-m49"])')
    proc = run_build(project, "--edition", EDITION, "--chapters", "overview", "--html-only")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"!! {EDITION} / chapter 'overview' failed in code cell" in proc.stdout
    assert re.search(r"ChapterError: Fact 'migrants_total' is recorded twice in chapter 'overview': first in the cell "
                     r"executed as \[\d+\] as '[\d.,]+ million', again in the cell executed as \[\d+\] as '1'",
                     proc.stdout), proc.stdout
    assert_nothing_lost(project, report)


def test_a_figure_id_used_twice_is_refused_naming_both(built_copy):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    append_cell(project, "01_overview.md", "import pandas as pd\n"
                'ch.table("tab-dup", pd.DataFrame({"a": [1]}), title="First", caption="c", sources=["unsd-m49"])\n'
                'ch.table("tab-dup", pd.DataFrame({"a": [2]}), title="Second", caption="c", sources=["unsd-m49"])')
    proc = run_build(project, "--edition", EDITION, "--chapters", "overview", "--html-only")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"Figure/table id 'tab-dup' is used twice in chapter 'overview': first by table 'First' in the "
                     r"cell executed as \[\d+\], again by table 'Second'", proc.stdout), proc.stdout
    assert_nothing_lost(project, report)


# ------------------------------------------------------------------ values are text

PAYLOAD = ("[a link](http://example.org/x) ![an image](http://example.org/i.png) <b>bold</b> "
           "<script>alert(1)</script> *emphasis* `code` #set text(red) #emph[typst] $x^2$ &amp; \\ done\n"
           "# A new heading")




def test_values_are_printed_as_text_in_every_output(built_copy):
    project = built_copy
    path = project / "notebooks" / "01_overview.md"
    path.write_text(path.read_text().replace("mmp_year: int = 2024", 'mmp_year: int = 2024\nmotto: str = ""', 1))
    cfg = project / "editions" / f"{EDITION}.toml"   # not set_config: re.sub would read the payload's backslashes
    cfg.write_text(cfg.read_text().replace('notebook = "notebooks/01_overview.md"\n', 'notebook = "notebooks/01_overview.md"\n'
                                           f'parameters = {{ motto = {json.dumps(PAYLOAD)} }}\n', 1))
    append_cell(project, "01_overview.md",
                'ch.fact("motto_text", motto, unit="text", year=stock_year, sources=["unsd-m49"], display=motto)\n'
                "import pandas as pd\n"
                'ch.table("tab-motto", pd.DataFrame({"motto": [motto]}), title=motto, caption=motto, sources=["unsd-m49"])')
    append_prose(project, "01_overview.md", "The parameter reads {param}`motto` and the fact reads {fact}`motto_text`.")
    proc = run_build(project, "--edition", EDITION, "--chapters", "overview")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = project / "report" / EDITION
    one_line = " ".join(PAYLOAD.split())

    page = (report / "html" / "overview.html").read_text()
    parsed = page_elements(page)
    text = " ".join("".join(parsed.text).split())
    assert text.count(one_line) >= 2, "parameter and fact printed literally in the prose"
    assert not [a for t, a in parsed.tags if t == "img" and "example.org" in a.get("src", "")]
    assert not [a for t, a in parsed.tags if t == "a" and "example.org" in a.get("href", "")]
    assert "<b>bold</b>" not in page and "<script>alert(1)</script>" not in page
    assert "<h1>A new heading" not in page and not re.search(r"<h\d[^>]*>A new heading", page)
    assert "<em>emphasis</em>" not in page and "<code>code</code>" not in page

    index = (report / "html" / "assets" / "search-index.js").read_text()
    data = json.loads(index[index.index("=") + 1:].rstrip().rstrip(";"))
    assert any(one_line in s["text"] for s in data["sections"])

    facts = json.loads((report / "facts.json").read_text())
    assert facts["overview.motto_text"]["display"] == PAYLOAD and facts["overview.motto_text"]["value"] == PAYLOAD

    import csv

    with open(project / "figures" / EDITION / "overview" / "tab-motto.csv", newline="") as fh:
        assert list(csv.reader(fh)) == [["motto"], [PAYLOAD]]
    table = project / "report" / EDITION / "html" / "figures" / "overview" / "tab-motto.csv"
    assert table.read_bytes() == (project / "figures" / EDITION / "overview" / "tab-motto.csv").read_bytes()

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(report / f"{EDITION}.pdf"))
    try:
        words = " ".join(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).split())
    finally:
        pdf.close()
    for piece in ("[a link](http://example.org/x)", "<b>bold</b>", "#set text(red)", "#emph[typst]", "$x^2$",
                  "# A new heading"):
        assert piece in words, piece
    assert leftovers(project) == [] and project_processes(project) == []


# ------------------------------------------------------------------ caches prove themselves


def _drop_fact_output(notebook: Path, name: str) -> None:
    nb = json.loads(notebook.read_text())
    for cell in nb["cells"]:
        cell["outputs"] = [o for o in cell.get("outputs", [])
                           if o.get("data", {}).get("application/vnd.wmr.fact+json", {}).get("name") != name]
    notebook.write_text(json.dumps(nb, indent=1))


def test_a_cached_notebook_that_lost_an_output_is_stale_and_not_published(built_copy):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    _drop_fact_output(project / "chapters" / EDITION / "overview.ipynb", "migrants_total")
    status = run_build(project, "status", "--edition", EDITION, "--chapters", "overview")
    assert status.returncode == 0, status.stderr
    assert re.search(r"overview\s+stale: the executed notebook lost 1 recorded output\(s\): fact migrants_total",
                     status.stdout), status.stdout

    proc = run_build(project, "--edition", EDITION, "--chapters", "global", "--html-only")  # overview only assembled
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "The executed notebook overview.ipynb cannot be trusted." in proc.stderr
    assert "lost 1 recorded output(s): fact migrants_total" in proc.stderr and "fix:" in proc.stderr
    assert_nothing_lost(project, report)

    proc = run_build(project, "--edition", EDITION, "--chapters", "overview", "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"overview\s+executed", proc.stdout), proc.stdout
    assert "overview.migrants_total" in json.loads((project / "report" / EDITION / "facts.json").read_text())


def _private_tidy_cache(project: Path) -> Path:
    """Give the project its own tidy cache (copies of the shared one's files), so a test may damage it."""
    shared = (project / "data" / "cache").resolve()
    (project / "data" / "cache").unlink()
    cache = project / "data" / "cache"
    cache.mkdir()
    for item in shared.iterdir():
        if item.name != "tidy":
            (cache / item.name).symlink_to(item)
    shutil.copytree(shared / "tidy", cache / "tidy")
    return cache / "tidy"


def _readable(path: Path) -> bool:
    import pyarrow.parquet as pq

    try:
        pq.read_table(path)
        return True
    except Exception:
        return False


@pytest.mark.parametrize("damage", ["truncated", "bad footer"])
def test_an_unreadable_tidy_cache_file_is_discarded_and_rebuilt(built_copy, damage):
    project = built_copy
    tidy = _private_tidy_cache(project)
    damaged = next(tidy.glob("undesa-ims-2024-bilateral-*.parquet"))   # the overview chapter reads it
    data = damaged.read_bytes()
    damaged.write_bytes(data[: len(data) // 2] if damage == "truncated"   # a cut-short file: no footer
                        else data[:-8] + (2**31 - 1).to_bytes(4, "little") + b"PAR1")   # a footer that lies
    assert not _readable(damaged)
    proc = run_build(project, "--edition", EDITION, "--chapters", "overview", "--force", "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ArrowInvalid" not in proc.stdout + proc.stderr
    if damage == "truncated":  # noticed before any kernel starts, in one line
        notices = [line for line in proc.stdout.splitlines() if "discarded the unreadable tidy cache file" in line]
        assert notices == [f"   notice: discarded the unreadable tidy cache file data/cache/tidy/{damaged.name}; it "
                           "is rebuilt from the verified raw file when a chapter next reads it"], proc.stdout
    assert _readable(damaged), "rebuilt from the raw file by the chapter that read it"
    assert leftovers(project) == [] and project_processes(project) == []


# ------------------------------------------------------------------ the environment


@pytest.mark.parametrize("kind", ["symlink loop", "a file"])
def test_a_mirror_path_that_loops_or_is_a_file_gets_a_clear_message(tmp_path, kind):
    project = make_project(tmp_path / "project")
    if kind == "symlink loop":
        mirror = tmp_path / "loop-a"
        mirror.symlink_to(tmp_path / "loop-b")
        (tmp_path / "loop-b").symlink_to(mirror)
        expected = "The data mirror path cannot be resolved: it is a symbolic link loop."
    else:
        mirror = tmp_path / "mirror.txt"
        mirror.write_text("not a folder")
        expected = "The data mirror path is a file, not a folder."
    for command in ("build", "verify"):
        proc = run_build(project, command, "--edition", EDITION, mirror=mirror) if command == "build" else \
            run_build(project, command, mirror=mirror)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert proc.stderr.startswith(f"error: {expected}"), proc.stderr
        assert str(mirror) in proc.stderr and "fix:" in proc.stderr and "Traceback" not in proc.stderr
    assert not (project / "chapters").exists() and project_processes(project) == []


def test_an_unreadable_mirror_folder_gets_a_clear_message(tmp_path, monkeypatch):
    """As root every folder is readable, so the refusal of the operating system is simulated."""
    from wmr.core import paths
    from wmr.core.errors import PinError

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    monkeypatch.setenv("WMR_DATA_MIRROR", str(mirror))

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(paths.os, "listdir", refuse)
    with pytest.raises(PinError) as err:
        paths.check_mirror()
    assert err.value.message().startswith("The data mirror folder cannot be read.")
    assert f"{mirror}: Permission denied" in err.value.message()


def test_build_py_builds_the_project_it_lives_in_whatever_the_working_directory(tmp_path):
    project = make_project(tmp_path / "project")
    set_config(project, r"^cell_timeout = ", "only_in_this_copy = 1\ncell_timeout = ")
    elsewhere = make_project(tmp_path / "elsewhere")   # a valid project as the working directory
    env = {k: v for k, v in build_env(project).items() if k != "WMR_PROJECT_ROOT"}
    for cwd in (elsewhere, tmp_path, Path("/")):
        proc = subprocess.run([sys.executable, str(project / "build.py"), "status", "--edition", EDITION], cwd=cwd,
                              env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "unknown key(s): 'only_in_this_copy'" in proc.stderr, (cwd, proc.stderr)
    fixed = subprocess.run([sys.executable, str(elsewhere / "build.py"), "status", "--edition", EDITION], cwd=project,
                           env=env, capture_output=True, text=True, timeout=300)
    assert fixed.returncode == 0 and "stale run(s)" in fixed.stdout, fixed.stderr


# ------------------------------------------------------------------ one build per edition at a time


def _hold_lock(project: Path):
    path = project / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "w")
    fcntl.flock(fh, fcntl.LOCK_EX)
    fh.write(f"pid {os.getpid()}, since the test began\n")
    fh.flush()
    return fh


def test_a_second_build_of_an_edition_waits_or_refuses_and_other_editions_run(built_copy):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    holder = _hold_lock(project)
    try:
        proc = run_build(project, "--edition", EDITION, "--no-wait")
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert f"Another build of edition '{EDITION}' is running (pid {os.getpid()}, since the test began)" in proc.stderr
        assert "fix:" in proc.stderr
        assert_nothing_lost(project, report)

        other = run_build(project, "--edition", "wmr-2024", "--no-wait")   # a different edition runs side by side
        assert other.returncode == 0, other.stdout + other.stderr

        waiting = start_build(project, "--edition", EDITION)
        out = lines_of(waiting.stdout)
        line = out.get(timeout=120)
        while "waiting" not in line:
            line = out.get(timeout=120)
        assert f"waiting: another build of '{EDITION}' is running (pid {os.getpid()}" in line
        assert waiting.poll() is None
    finally:
        holder.close()   # the first build "finishes"
    try:
        assert waiting.wait(timeout=300) == 0, waiting.stderr.read()
    finally:
        if waiting.poll() is None:
            os.killpg(waiting.pid, signal.SIGKILL)
    assert_nothing_lost(project, report)


# ------------------------------------------------------------------ crashes heal


def test_only_leftovers_of_dead_builds_are_removed(built_copy, tmp_path):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    # a short TMPDIR: a kernel's ipc socket path (TMPDIR/wmr-kernel-<pid>-<x>/kernel-N) must stay under the
    # 107-byte limit of Unix socket names, which pytest's deep tmp_path could pass ("File name too long")
    sockets = Path(tempfile.mkdtemp(prefix="wmrk-", dir="/tmp"))
    dead, alive = dead_pid(), os.getpid()
    made = {}
    for pid in (dead, alive):
        made[pid] = [project / "figures" / f".staging-{EDITION}-{pid}-abcd1234",
                     project / "report" / f".staging-{EDITION}-{pid}-abcd1234",
                     sockets / f"wmr-kernel-{pid}-abcd1234"]
        for folder in made[pid]:
            folder.mkdir()
            (folder / "partial").write_text("half")
        made[pid].append(project / "chapters" / EDITION / f".overview.ipynb.tmp-{pid}")
        made[pid][-1].write_text("{")
    other_edition = project / "report" / f".staging-wmr-2024-{dead}-abcd1234"
    other_edition.mkdir()
    proc = subprocess.run([sys.executable, str(project / "build.py"), "--edition", EDITION], cwd=project,
                          env=build_env(project, TMPDIR=str(sockets)), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "removed 4 folder(s)/file(s) left by an interrupted build" in proc.stdout, proc.stdout
    assert not any(p.exists() for p in made[dead])
    assert all(p.exists() for p in made[alive]) and other_edition.exists()  # a live build's, another edition's
    for p in [*made[alive], other_edition]:
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    assert_nothing_lost(project, report)


@pytest.mark.parametrize("stage", ["executing", "assembling"])
def test_a_build_killed_at_any_stage_is_healed_by_the_next(built_copy, tmp_path, stage):
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    # a short TMPDIR: a kernel's ipc socket path (TMPDIR/wmr-kernel-<pid>-<x>/kernel-N) must stay under the
    # 107-byte limit of Unix socket names, which pytest's deep tmp_path could pass ("File name too long")
    sockets = Path(tempfile.mkdtemp(prefix="wmrk-", dir="/tmp"))
    if stage == "executing":
        append_cell(project, "01_overview.md", "import time\ntime.sleep(600)")
        args = ("--edition", EDITION, "--chapters", "overview")
        reached = lambda: (any("ipykernel" in p for p in project_processes(project))  # noqa: E731
                           and list((project / "figures").glob(".staging-*")) and list(sockets.glob("wmr-kernel-*")))
    else:
        path = project / "notebooks" / "01_overview.md"
        path.write_text(path.read_text().replace("## Remittances", "## Remittances\n\nAn edited sentence.", 1))
        args = ("--edition", EDITION)
        reached = lambda: list((project / "report").glob(".staging-*"))  # noqa: E731
    build = start_build(project, *args, TMPDIR=str(sockets))
    try:   # a build that ends before the stage fails the test at once, with its output
        wait_for(lambda: reached() or build.poll() is not None, f"the build to reach the {stage} stage", seconds=600,
                 every=0.02)
        assert build.poll() is None, f"the build ended before the {stage} stage (exit {build.returncode}):\n" + \
            build.stdout.read()[-3000:] + build.stderr.read()[-6000:]
    finally:
        os.killpg(build.pid, signal.SIGKILL)   # everything in the build's session, no chance to clean up
        build.wait(timeout=60)
    wait_for(lambda: project_processes(project) == [], "the build's workers and kernels to end", seconds=60)
    assert tree_digest(project / "report" / EDITION) == report, "the published report changed"
    assert leftovers(project), "the killed build left nothing to heal (the test did not kill it mid-stage)"

    if stage == "executing":
        path = project / "notebooks" / "01_overview.md"
        path.write_text(path.read_text().replace("\n\n```{code-cell} ipython3\nimport time\ntime.sleep(600)\n```\n", "\n"))
    proc = subprocess.run([sys.executable, str(project / "build.py"), "--edition", EDITION, "--html-only"],
                          cwd=project, env=build_env(project, TMPDIR=str(sockets)), capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "left by an interrupted build" in proc.stdout, proc.stdout
    assert leftovers(project) == [] and list(sockets.glob("wmr-kernel-*")) == []
    assert project_processes(project) == []


# ------------------------------------------------------------------ --html-only keeps the PDF


def published_pdfs(project: Path) -> dict[str, str]:
    """Every PDF of the published edition (the book, each chapter's, the profiles PDF) by path: its sha256."""
    return {name: digest for name, digest in tree_digest(project / "report" / EDITION).items()
            if name.endswith(".pdf")}


@pytest.mark.parametrize("edit", [False, True], ids=["nothing changed", "prose edited"])
def test_html_only_keeps_every_published_pdf_and_marks_the_stale_ones(built_copy, edit):
    project = built_copy
    before = published_pdfs(project)
    chapter_pdfs = sorted(n for n in before if n.startswith("chapters/"))
    assert f"{EDITION}.pdf" in before and f"{EDITION}-profiles.pdf" in before
    assert len(chapter_pdfs) == 9 and f"chapters/{EDITION}-01-overview.pdf" in chapter_pdfs, sorted(before)
    if edit:
        path = project / "notebooks" / "01_overview.md"
        path.write_text(path.read_text().replace("## Remittances", "## Remittances\n\nAn edited sentence.", 1))
    proc = run_build(project, "--edition", EDITION, "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert published_pdfs(project) == before, "a published PDF was deleted or changed"
    html = project / "report" / EDITION / "html"
    index = (html / "index.html").read_text()
    assert f'href="../{EDITION}.pdf"' in index
    assert ("out of date" in index) == edit
    overview = (html / "overview.html").read_text()
    assert ("An edited sentence." in overview) == edit
    marks = {}
    for name in chapter_pdfs:   # each chapter page links its own PDF, marked only if that chapter changed
        slug = re.match(rf"chapters/{EDITION}-\d\d-(.+)\.pdf$", name).group(1)
        kicker = re.search(r'<p class="kicker">(.*?)</p>', (html / f"{slug}.html").read_text(), re.S).group(1)
        assert f'href="../{name}"' in kicker, (slug, kicker)
        marks[slug] = "out of date" in kicker
    assert marks == {slug: edit and slug == "overview" for slug in marks}
    assert ("out of date" in (html / "global.html").read_text()) == edit   # the book's link, in every page's menu
    assert leftovers(project) == [] and project_processes(project) == []
    if not edit:
        return
    proc = run_build(project, "--edition", EDITION)   # a full build makes every PDF current again
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert published_pdfs(project).keys() == before.keys()
    assert "out of date" not in (html / "index.html").read_text() + (html / "overview.html").read_text()
    assert leftovers(project) == [] and project_processes(project) == []


def test_a_kill_between_the_two_renames_of_a_swap_is_undone(tmp_path, monkeypatch):
    """The published edition is moved aside, then the new one moved in: a kill in between is healed."""
    from wmr.build import recovery

    project = make_project(tmp_path / "project")
    monkeypatch.setenv("WMR_PROJECT_ROOT", str(project))
    old = project / "report" / f".old-{EDITION}"
    (old / "html").mkdir(parents=True)
    (old / "html" / "index.html").write_text("the published edition")
    said: list[str] = []
    recovery.heal(EDITION, said.append)
    assert (project / "report" / EDITION / "html" / "index.html").read_text() == "the published edition"
    assert not old.exists() and said == [f"   restored report/{EDITION} from an interrupted publication"]
    assert leftovers(project) == []


def test_a_socket_folder_of_a_zombie_process_is_removed(tmp_path, monkeypatch):
    """A worker killed with its parent can stay a zombie where init does not reap orphans (seen in CI): its kernel
    socket folder must still count as left by a dead process, and a live process's folder must be kept."""
    from wmr.build import recovery

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    wait_for(lambda: Path(f"/proc/{child.pid}/stat").read_text().split(") ")[1].startswith("Z"),
             "the child to end unreaped", seconds=30, every=0.01)
    dead = tmp_path / f"wmr-kernel-{child.pid}-abc"
    live = tmp_path / f"wmr-kernel-{os.getpid()}-abc"
    dead.mkdir()
    live.mkdir()
    try:
        recovery.remove_dead_sockets()
        assert not dead.exists() and live.exists()
    finally:
        child.wait()
