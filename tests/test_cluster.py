"""Runs on a real Dask cluster: `dask scheduler` and `dask worker` processes on 127.0.0.1.

Each worker is a separate process group with its own working directory, its own mirror (symlinks to the
real files, not the project's mirror path) and its own cache, and no WMR_PROJECT_ROOT: it sees the project
only through what a task carries. Every wait has a deadline; every process is killed at the end.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, leftovers, link_mirror, make_project, project_processes, run_build, tree_digest, wait_for

DASK = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
DASK_WORKER = [sys.executable, "-m", "distributed.cli.dask_worker"]


class LocalDask:
    """A scheduler and workers started as the `dask` command line would, each in its own session."""

    def __init__(self, base: Path):
        self.base = base
        base.mkdir(parents=True)
        self.procs: dict[str, subprocess.Popen] = {}
        file = base / "scheduler.json"
        self._start("scheduler", [*DASK, "--host", "127.0.0.1", "--port", "0", "--dashboard-address",
                                  "127.0.0.1:0", "--scheduler-file", str(file)], base, dict(os.environ))
        wait_for(lambda: file.is_file() and file.stat().st_size > 0, "the scheduler file", 120, every=0.2)
        import json

        self.address = wait_for(lambda: json.loads(file.read_text()).get("address"), "the scheduler address", 180,
                                every=0.2)
        assert self.address.startswith("tcp://127.0.0.1:"), self.address

    def _start(self, name: str, cmd: list[str], cwd: Path, env: dict) -> None:
        with open(self.base / f"{name}.log", "w") as log:
            self.procs[name] = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True)

    def add_worker(self, name: str, **env_extra: str) -> None:
        """A worker with one thread, its own working directory, mirror and cache (the tidy tables shared)."""
        home = self.base / name
        (home / "cache").mkdir(parents=True)
        (ROOT / "data" / "cache" / "tidy").mkdir(parents=True, exist_ok=True)
        (home / "cache" / "tidy").symlink_to(ROOT / "data" / "cache" / "tidy")
        env = {k: v for k, v in os.environ.items() if k not in ("WMR_PROJECT_ROOT", "WMR_SCHEDULER")}
        env.update(WMR_DATA_MIRROR=str(link_mirror(home / "mirror")), WMR_OFFLINE="1",
                   WMR_WORKER_CACHE=str(home / "cache"), **env_extra)
        self._start(name, [*DASK_WORKER, self.address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                           "--name", name, "--local-directory", str(home / "scratch"),
                           "--dashboard-address", "127.0.0.1:0"], home, env)

    def workers(self) -> dict[str, str]:
        """Connected workers: name -> address."""
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            return {str(w["name"]): addr for addr, w in client.scheduler_info(n_workers=-1)["workers"].items()}

    def wait_workers(self, names: set[str]) -> None:
        wait_for(lambda: names <= set(self.workers()), f"workers {sorted(names)}", 180, every=0.2)

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def close(self) -> None:
        for name in list(self.procs):
            if name != "scheduler":
                self.kill(name)
        self.kill("scheduler")

    def session_of(self, pid: int) -> str | None:
        """Which of our processes' sessions (worker name) `pid` belongs to, through its parents."""
        sessions = {proc.pid: name for name, proc in self.procs.items()}
        while pid > 1:
            try:
                sid = os.getsid(pid)
                if sid in sessions:
                    return sessions[sid]
                pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                return None
        return None


@pytest.fixture
def dask_cluster(tmp_path):
    cluster = LocalDask(tmp_path / "dask")
    try:
        yield cluster
    finally:
        cluster.close()


def executed_notebooks(project: Path) -> list[Path]:
    return sorted((project / "chapters").rglob("*.ipynb")) if (project / "chapters").exists() else []


def kernels_of(project: Path) -> list[int]:
    return [int(p.split(":")[0]) for p in project_processes(project) if "ipykernel" in p]


def kill_kernels(project: Path) -> None:
    for pid in kernels_of(project):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_an_edition_built_on_a_cluster_is_byte_identical_to_the_embedded_build(built, dask_cluster, tmp_path):
    edition = "wmr-2024"
    dask_cluster.add_worker("worker-a")
    dask_cluster.add_worker("worker-b")
    dask_cluster.wait_workers({"worker-a", "worker-b"})
    project = make_project(tmp_path / "on-cluster" / "project")
    shared = (project / "data" / "cache").resolve()   # the client's own download cache (the tidy tables shared)
    (project / "data" / "cache").unlink()
    for item in shared.iterdir():
        if item.name != "downloads":
            (project / "data" / "cache" / item.name).parent.mkdir(parents=True, exist_ok=True)
            (project / "data" / "cache" / item.name).symlink_to(item)
    t0 = time.monotonic()
    # a sample of the edition, executed on the cluster: the chapter with most figures, the six regional runs spread
    # over both workers, two profiles (kept kernels on the workers). The assembly is the client's code either way
    # (its bytes: test_book.py's two assemblies); the HTML is assembled here to show the client needs no mirror.
    proc = run_build(project, "--edition", edition, "--chapters", "global,regions", "--profiles", "VAT,DEU",
                     "--html-only", "--scheduler", dask_cluster.address, mirror=tmp_path / "the-client-has-no-mirror")
    print(f"cluster build of a sample of {edition}: {time.monotonic() - t0:.1f} s")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"on the Dask cluster at {dask_cluster.address}" in proc.stdout
    assert re.search(r"Dask: 2 worker\(s\), 2 thread\(s\)", proc.stdout)
    assert "cached" not in proc.stdout  # really executed, nothing reused
    runs = set(re.findall(r"^   (\S+)\s+executed", proc.stdout, re.M))
    assert {"global", "profiles-vat", "profiles-deu"} < runs and sum(r.startswith("regions-") for r in runs) == 6
    for folder in ("chapters", "figures"):
        mine = tree_digest(project / folder / edition)
        embedded = {k: v for k, v in tree_digest(built / folder / edition).items() if k in mine}
        assert len(mine) >= len(runs) and mine.keys() == embedded.keys(), folder
        assert [k for k in mine if mine[k] != embedded[k]] == [], folder
    fetched = project / "data" / "cache" / "downloads"   # the pins the assembly reads came from a worker's mirror
    assert sorted(str(p.relative_to(fetched)) for p in fetched.rglob("*") if p.is_file()) == [
        "naturalearth-110m/ne_110m_admin_0_countries.json", "unsd-m49/m49-overview.csv"]
    for name in ("worker-a", "worker-b"):  # workers never wrote into a project, theirs or the client's
        home = dask_cluster.base / name
        assert not any((home / d).exists() for d in ("chapters", "figures", "report"))
    assert leftovers(project) == [] and project_processes(project) == []


@pytest.mark.build   # executes notebooks in a project of its own
def test_a_worker_killed_during_a_run_does_not_stop_the_build(dask_cluster, tmp_path):
    dask_cluster.add_worker("worker-a")
    dask_cluster.add_worker("worker-b")
    dask_cluster.wait_workers({"worker-a", "worker-b"})
    project = make_project(tmp_path / "project")
    env = {**os.environ, "WMR_PROJECT_ROOT": str(project), "WMR_OFFLINE": "1",
           "WMR_DATA_MIRROR": str(tmp_path / "the-client-has-no-mirror")}
    build = subprocess.Popen([sys.executable, str(project / "build.py"), "--edition", "wmr-2026", "--chapters",
                              "governance", "--html-only", "--scheduler", dask_cluster.address],
                             cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        kernel = wait_for(lambda: kernels_of(project), "the run's kernel", 180, every=0.2)[0]
        victim = dask_cluster.session_of(kernel)
        assert victim in ("worker-a", "worker-b")
        dask_cluster.kill(victim)  # the worker (nanny and worker process) dies mid-run...
        kill_kernels(project)      # ...and with its machine, its kernel
        t0 = time.monotonic()
        out, err = build.communicate(timeout=900)
        print(f"rest of the build after killing {victim}: {time.monotonic() - t0:.1f} s")
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
        kill_kernels(project)
    assert build.returncode == 0, out + err
    assert re.search(r"^   governance\s+executed", out, re.M), out
    assert (project / "chapters" / "wmr-2026" / "governance.ipynb").is_file()
    assert (project / "report" / "wmr-2026" / "html" / "governance.html").is_file()
    survivor = ({"worker-a", "worker-b"} - {victim}).pop()
    assert survivor in dask_cluster.workers() and victim not in dask_cluster.workers()


def _fake_distribution(folder: Path, name: str, version: str) -> Path:
    """A dist-info folder that makes importlib.metadata report another installed version of `name`."""
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return folder


@pytest.mark.parametrize("difference", ["library", "dependency"])
def test_a_worker_with_a_different_library_or_dependency_is_refused(dask_cluster, tmp_path, difference):
    if difference == "library":  # the same package with one changed line
        other = tmp_path / "other-src"
        shutil.copytree(ROOT / "src" / "wmr", other / "wmr", ignore=shutil.ignore_patterns("__pycache__"))
        with open(other / "wmr" / "fmt.py", "a") as fh:
            fh.write("\n# a local change on one worker\n")
        path, expected = str(other), "wmr library code"
    else:
        import pandas

        path = f"{_fake_distribution(tmp_path / 'fake', 'pandas', '0.0.1')}:{ROOT / 'src'}"
        expected = f"pandas {pandas.__version__} (client) vs 0.0.1 (worker)"
    dask_cluster.add_worker("good-worker")
    dask_cluster.add_worker("odd-worker", PYTHONPATH=path)
    dask_cluster.wait_workers({"good-worker", "odd-worker"})
    project = make_project(tmp_path / "project")
    proc = run_build(project, "--edition", "wmr-2026", "--chapters", "governance", "--scheduler",
                     dask_cluster.address, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    err = proc.stderr
    assert "error: Worker odd-worker (tcp://127.0.0.1:" in err and expected in err, err
    assert "good-worker" not in err and "no run was sent to the cluster" in err and "Traceback" not in err
    assert not re.search(r"running", proc.stdout)
    assert executed_notebooks(project) == []
    assert project_processes(project) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_unreachable_scheduler_is_a_clear_error_before_any_run(tmp_path, monkeypatch, how):
    project = make_project(tmp_path / "project")
    address = f"tcp://127.0.0.1:{_free_port()}"
    if how == "option":
        proc = run_build(project, "--edition", "wmr-2026", "--chapters", "governance", "--scheduler", address,
                         timeout=300)
    else:
        monkeypatch.setenv("WMR_SCHEDULER", address)
        proc = run_build(project, "--edition", "wmr-2026", "--chapters", "governance", timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"error: Cannot reach the Dask scheduler at {address}; no run was started." in proc.stderr
    assert "fix:" in proc.stderr and "Traceback" not in proc.stderr
    assert "running" not in proc.stdout
    assert executed_notebooks(project) == []
    assert project_processes(project) == []


def test_a_malformed_scheduler_address_is_refused(tmp_path):
    project = make_project(tmp_path / "project")
    proc = run_build(project, "--edition", "wmr-2026", "--scheduler", "localhost:8786", timeout=120)
    assert proc.returncode == 1
    assert "not of the form tcp://HOST:PORT" in proc.stderr and "got:      localhost:8786" in proc.stderr


def test_a_no_op_build_starts_no_cluster(built_copy):
    proc = run_build(built_copy, "--edition", "wmr-2024", "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Dask:" not in proc.stdout and "running" not in proc.stdout
    assert re.search(r"^   overview\s+cached", proc.stdout, re.M)


def test_worker_identities_name_every_difference():
    from wmr.build import runtask

    client = {"library": "a" * 64, "python": "3.11.7", "dependencies": {"pandas": "3.1.1", "numpy": "2.4.6"}}
    assert runtask.differences(client, dict(client)) == []
    worker = {"library": "b" * 64, "python": "3.11.7", "dependencies": {"pandas": "3.0.0"}}
    assert runtask.differences(client, worker) == [
        f"wmr library code (fingerprint {'a' * 12} (client) vs {'b' * 12} (worker))",
        "numpy 2.4.6 (client) vs (none) (worker)",
        "pandas 3.1.1 (client) vs 3.0.0 (worker)"]
    err = runtask.refusal("w1 (tcp://127.0.0.1:1)", ["pandas 3.1.1 (client) vs 3.0.0 (worker)"]).message()
    assert err.startswith("Worker w1 (tcp://127.0.0.1:1) runs a different wmr library")
    assert "got:      pandas 3.1.1 (client) vs 3.0.0 (worker)" in err
