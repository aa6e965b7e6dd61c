"""Shared fixtures: a temporary mirror built from the real one, and a temporary project for build tests."""
from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_MIRROR = Path(os.environ.get("WMR_DATA_MIRROR", ROOT.parent / "shared" / "wmr-sources")).resolve()

os.environ.setdefault("MPLCONFIGDIR", str(ROOT / "data" / "cache" / "mplconfig"))


@pytest.fixture
def mirror_copy(tmp_path, monkeypatch) -> Path:
    """A throw-away mirror: symlinks to the real files, except what a test replaces with a copy."""
    mirror = link_mirror(tmp_path / "mirror")
    monkeypatch.setenv("WMR_DATA_MIRROR", str(mirror))
    return mirror


def link_mirror(mirror: Path) -> Path:
    """A mirror folder of symlinks to the real mirror's files (cheap; a test may replace one with a copy)."""
    for src_dir in REAL_MIRROR.iterdir():
        if src_dir.is_dir():
            (mirror / src_dir.name).mkdir(parents=True)
            for f in src_dir.rglob("*"):
                if f.is_file():
                    target = mirror / src_dir.name / f.relative_to(src_dir)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.symlink_to(f)
    return mirror


def replace_with_copy(mirror: Path, rel: str) -> Path:
    """Turn one symlinked mirror file into a real, writable copy (so a test may alter its bytes)."""
    path = mirror / rel
    real = path.resolve()
    path.unlink()
    shutil.copyfile(real, path)
    return path


# Tests build a sample of the country and area profiles, never all of them (CI keeps its time): the edge cases
# (tiny states, places outside M49, no remittance or IDP data, names that differ between the IMS editions) and
# the countries the chapters name (top destinations, origins and remittance recipients).
PROFILE_SAMPLE = ["DEU", "GBR", "IND", "MEX", "USA", "VAT", "TUV", "TKL", "XCX", "TWN"]
PROFILE_SAMPLES = {"wmr-2024": [c for c in PROFILE_SAMPLE if c != "TWN"],  # no TWN estimates in the 2020 edition
                   "wmr-2026": PROFILE_SAMPLE}


def make_project(dest: Path, profiles: dict[str, list[str]] | None = None, all_languages: bool = False) -> Path:
    """A scratch copy of the project's inputs sharing the real tidy cache, building only a sample of profiles.

    Published in English only unless `all_languages`: the editions' other languages are tested on the session's
    `built` project (both editions in every language) and in the language tests' own projects, and would
    otherwise add three sites and books to every build of the other tests."""
    from wmr.build.scratch import make_project as copy_inputs

    project = copy_inputs(ROOT, dest)
    for edition in ("wmr-2024", "wmr-2026"):
        cfg = project / "editions" / f"{edition}.toml"
        text = cfg.read_text(encoding="utf-8")
        assert re.search(r'^languages = \["en", ', text, re.M), f"{cfg.name} declares its languages"
        if not all_languages:
            text = re.sub(r"^languages = .*$", 'languages = ["en"]', text, count=1, flags=re.M)
        codes = (PROFILE_SAMPLES if profiles is None else profiles).get(edition)
        if codes is not None:
            assert text.rstrip().endswith('notebook = "notebooks/profile.md"'), "the [profiles] table must end the config"
            text = text.rstrip() + "\nonly = [" + ", ".join(f'"{c}"' for c in codes) + "]\n"
        cfg.write_text(text, encoding="utf-8")
    return project


def run_build(project: Path, *args: str, mirror: Path | None = None, timeout: int = 1500):
    """Run `python build.py ARGS` against a scratch project; returns the CompletedProcess."""
    import subprocess
    import sys

    env = {**os.environ, "WMR_PROJECT_ROOT": str(project), "WMR_DATA_MIRROR": str(mirror or REAL_MIRROR),
           "WMR_OFFLINE": "1"}
    return subprocess.run([sys.executable, str(project / "build.py"), *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _shared_folder(base: Path) -> Path:
    """The session's folder shared by the test processes (a worker's base folder is popen-gwN inside it)."""
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def start_built(shared: Path) -> None:
    """Start building both editions in the background, once per session (the first test process to ask does).

    Called when collection ends, so the build runs while the processes test what needs no build; the `built`
    fixture then waits for it. WMR_TEST_BUILT=/path/to/project reuses a project an earlier session built
    (copied, so the tests cannot change it): for re-running a few built-edition tests while working on them.
    """
    import fcntl
    import subprocess
    import sys

    project, rc = shared / "built" / "project", shared / "built.rc"
    langs, langs_rc = shared / "built-langs" / "project", shared / "built-langs.rc"
    with open(shared / "built.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file closes, also if this process dies
        if (shared / "built.started").exists():
            return
        (shared / "built.started").touch()
        if os.environ.get("WMR_TEST_BUILT"):
            copy_built(Path(os.environ["WMR_TEST_BUILT"]), project)
            rc.write_text("0")
            if os.environ.get("WMR_TEST_BUILT_LANGS"):
                copy_built(Path(os.environ["WMR_TEST_BUILT_LANGS"]), langs)
                langs_rc.write_text("0")
            return
        make_project(project)
        configs = shared / "built-langs-configs"   # the same project in every language its editions declare
        make_project(configs / "project", all_languages=True)
        env = {**os.environ, "WMR_PROJECT_ROOT": str(project), "WMR_DATA_MIRROR": str(REAL_MIRROR),
               "WMR_OFFLINE": "1"}
        out, err, tmp = shared / "built.out", shared / "built.err", shared / "built.rc.tmp"
        log = project / "build.log"   # the build's output, kept with the project (a test reads it)
        # then a copy of it published in every language: assembled again, no run executed
        script = (f'"$0" "$1" --all >"{out}" 2>"{err}"; code=$?; cp "{out}" "{log}"; '
                  f'echo $code >"{tmp}" && mv "{tmp}" "{rc}"; '
                  f'if [ $code = 0 ]; then mkdir -p "{langs.parent}" && cp -a "{project}" "{langs}" && '
                  f'cp "{configs}"/project/editions/*.toml "{langs}/editions/" && '
                  f'WMR_PROJECT_ROOT="{langs}" "$0" "{langs}/build.py" --all >"{shared}/built-langs.out" '
                  f'2>"{shared}/built-langs.err"; code=$?; fi; '
                  f'echo $code >"{tmp}" && mv "{tmp}" "{langs_rc}"')
        proc = subprocess.Popen(["bash", "-c", script, sys.executable, str(project / "build.py")], cwd=project,
                                env=env, stdin=subprocess.DEVNULL, start_new_session=True)
        (shared / "built.pid").write_text(str(proc.pid))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session) -> None:
    if any({"built", "built_all_languages"} & set(item.fixturenames) for item in session.items):
        start_built(_shared_folder(session.config._tmp_path_factory.getbasetemp()))


def pytest_sessionfinish(session) -> None:
    """A session that ends before the background build (Ctrl-C, -x) stops it."""
    import signal

    factory = getattr(session.config, "_tmp_path_factory", None)
    shared = _shared_folder(factory.getbasetemp()) if factory else None
    if shared and (shared / "built.pid").exists() and not (shared / "built.rc").exists() \
            and not os.environ.get("PYTEST_XDIST_WORKER"):
        try:
            os.killpg(int((shared / "built.pid").read_text()), signal.SIGTERM)
        except (ProcessLookupError, ValueError):
            pass


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Both editions built once for the whole test session (the expensive part of the suite).

    The build starts in the background as soon as the tests are collected (`start_built`); the tests run in
    two pytest-xdist processes (`addopts` in pyproject.toml) and each waits here for it the first time a test
    needs it (a failed build fails every such test, with the build's output).
    """
    shared = _shared_folder(tmp_path_factory.getbasetemp())
    start_built(shared)
    rc = shared / "built.rc"
    wait_for(rc.exists, "the background build of both editions", seconds=3000, every=1)
    project = shared / "built" / "project"
    if rc.read_text().strip() != "0":
        raise AssertionError(f"build failed ({rc.read_text().strip()}):\n{(shared / 'built.out').read_text()}\n"
                             f"{(shared / 'built.err').read_text()}")
    return project


@pytest.fixture(scope="session")
def built_all_languages(built, tmp_path_factory) -> Path:
    """The session's built project published in every language its editions declare (both editions in English,
    French, Spanish and Arabic): a copy of `built` assembled again in the background once `built` is done. The
    other tests take `built`, in English only, so their rebuilds assemble one language."""
    shared = _shared_folder(tmp_path_factory.getbasetemp())
    rc = shared / "built-langs.rc"
    wait_for(rc.exists, "the background build of both editions in every language", seconds=3000, every=1)
    if rc.read_text().strip() != "0":
        out = shared / "built-langs.out"
        raise AssertionError(f"build failed ({rc.read_text().strip()}):\n{out.read_text() if out.exists() else ''}\n"
                             f"{(shared / 'built-langs.err').read_text() if out.exists() else ''}")
    return shared / "built-langs" / "project"


def copy_built(built: Path, dest: Path) -> Path:
    """A private copy of the session's built project (inputs and outputs), for tests that change or break it."""
    shutil.copytree(built, dest, symlinks=True)
    return dest


@pytest.fixture
def built_copy(built, tmp_path) -> Path:
    return copy_built(built, tmp_path / "project")


def file_stats(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under `root` (symlinked folders not followed): cheap to take."""
    stats = {}
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            st = p.stat()
            stats[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return stats


@pytest.fixture(autouse=True)
def _shared_built_project_unchanged(request):
    """A test that uses the session's `built` project must not change it (other tests read it): one that needs
    to build or edit takes `built_copy`. Checked after each such test, from file sizes and times."""
    names = [n for n in ("built", "built_all_languages") if n in request.fixturenames]
    if not names:
        yield
        return
    built = request.getfixturevalue(names[-1])
    before = file_stats(built)
    yield
    after = file_stats(built)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == [], f"the test changed the shared built project (take built_copy instead): {changed[:10]}"


def wait_for(condition, what: str, seconds: float = 300, every: float = 0.05):
    """Poll `condition` until it returns something truthy (and return that), failing with `what` after `seconds`."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def project_processes(project: Path) -> list[str]:
    """Processes (build, workers, kernels) still running for `project`: they inherit WMR_PROJECT_ROOT, and
    kernels (which run in a worker's own temporary project) carry WMR_BUILD_PROJECT."""
    markers = {f"WMR_PROJECT_ROOT={project}".encode(), f"WMR_BUILD_PROJECT={project}".encode()}
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if markers & set((proc / "environ").read_bytes().split(b"\0")):
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found.append(f"{proc.name}: {cmdline[:120]}")
        except OSError:
            continue
    return found


class PageElements(HTMLParser):
    """The start tags (with attributes) and the text of an HTML page, for checks of what a page contains."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def page_elements(page: str) -> PageElements:
    """Parse `page` (HTML text) into its tags and text."""
    parser = PageElements()
    parser.feed(page)
    return parser


def tab_to(page, selector: str, presses: int) -> None:
    """Press Tab (at most `presses` times) until the focused element matches `selector`; fail if it never does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"no element matching {selector!r} reachable with the Tab key ({presses} presses)")


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under `root` by relative path (to show that nothing changed, byte for byte)."""
    import hashlib

    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    """Temporary or half-written files a build must never leave in its output folders."""
    out = []
    for name in ("chapters", "figures", "report"):
        for p in (project / name).rglob("*"):
            if p.name.startswith((".staging-", ".old-")) or ".tmp-" in p.name:
                out.append(str(p.relative_to(project)))
    return out


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if {"built", "built_langs"} & set(item.fixturenames):   # an edition built (or a copy of one): `-m "not build"`
            item.add_marker(pytest.mark.build)                 # leaves it out
    # Files whose tests need the session's built project go last, so both test processes work on everything else
    # while it builds in the background (xdist hands out files in this order: `--no-loadscope-reorder`); files
    # that build their own projects go first, as they take longest.
    waits = {item.path for item in items if "built" in item.fixturenames}
    builds = {item.path for item in items if item.get_closest_marker("build")}
    items.sort(key=lambda item: 2 if item.path in waits else 0 if item.path in builds else 1)
