"""The run task on its own (no cluster): it sees only what it is sent, reads pins from the worker's mirror,
verifies them, and returns the notebook, figure bytes and read log without writing into any project."""
from __future__ import annotations

import json

import nbformat
import pytest

from wmr.build import freshness, runtask
from wmr.kernel import pins

from .conftest import ROOT, replace_with_copy

CODE = """\
import os
from pathlib import Path
from wmr.kernel import pins
path = pins.resolve("free-movement", "ecowas.csv")
print(path)
Path(os.environ["WMR_FIGURES_DIR"], "fig-test.csv").write_bytes(path.read_bytes()[:64])
print(os.environ["OMP_NUM_THREADS"])
"""


def make_task(tmp_path, sources=("free-movement",)) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(CODE)]
    raw = json.loads((ROOT / "data" / "manifest.json").read_text())
    return {"key": "test-run", "name": "test", "notebook": nbformat.writes(nb), "timeout": 300,
            "sources": [s for s in raw["sources"] if s["id"] in sources], "owned": {},
            "identity": runtask.identity(list(freshness.dependency_versions())), "origin": str(tmp_path / "client"),
            "mirror": None, "cache": None}


@pytest.fixture
def worker_env(tmp_path, mirror_copy, monkeypatch):
    monkeypatch.setenv("WMR_WORKER_CACHE", str(tmp_path / "worker-cache"))
    monkeypatch.delenv("WMR_PROJECT_ROOT", raising=False)
    monkeypatch.setenv("WMR_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)
    return mirror_copy


def outputs(notebook: str) -> str:
    nb = nbformat.reads(notebook, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def test_a_task_reads_the_worker_mirror_and_returns_notebook_figures_and_reads(tmp_path, worker_env):
    pin = pins.source("free-movement").file("ecowas.csv")
    result = runtask.run_notebook(make_task(tmp_path))
    assert result["outcome"]["ok"], result["outcome"]
    printed = outputs(result["notebook"]).splitlines()
    assert printed[0] == str(worker_env.resolve() / "free-movement" / "ecowas.csv")  # the worker's own mirror
    assert printed[1] == "1"  # OMP_NUM_THREADS in the kernel
    reads = [line for line in result["reads"].splitlines() if not line.startswith("module ")]
    assert reads == [f"free-movement/ecowas.csv\t{pin.sha256}"]
    assert "module wmr.kernel.pins\t" in result["reads"]  # and the wmr modules it imported (staleness)
    assert result["figures"] == {"fig-test.csv": (worker_env / "free-movement" / "ecowas.csv").read_bytes()[:64]}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["mirror", "worker-cache"])  # nothing else written


def test_a_worker_mirror_file_with_other_bytes_fails_the_run_with_the_checksum(tmp_path, worker_env):
    path = replace_with_copy(worker_env, "free-movement/ecowas.csv")
    data = bytearray(path.read_bytes())
    data[10] = ord("X") if data[10] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))
    result = runtask.run_notebook(make_task(tmp_path))
    out = result["outcome"]
    assert not out["ok"] and out["ename"] == "PinError"
    assert "Checksum mismatch for pinned file free-movement/ecowas.csv" in out["evalue"]


def test_a_task_can_read_only_the_pins_it_was_sent(tmp_path, worker_env):
    result = runtask.run_notebook(make_task(tmp_path, sources=("unsd-m49",)))
    out = result["outcome"]
    assert not out["ok"] and out["ename"] == "PinError" and "Unknown data source 'free-movement'" in out["evalue"]


def test_a_worker_with_other_versions_refuses_the_task(tmp_path, worker_env):
    task = make_task(tmp_path)
    task["identity"] = {**task["identity"], "dependencies": {**task["identity"]["dependencies"], "pandas": "0.0.1"}}
    with pytest.raises(runtask.LibraryMismatch, match=r"pandas 0\.0\.1 \(client\) vs [\d.]+ \(worker\)"):
        runtask.run_notebook(task)
