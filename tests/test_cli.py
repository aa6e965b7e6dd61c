"""Bad input stops the build before any kernel starts, with one clear message and a non-zero exit."""
from __future__ import annotations

import re

import pytest

from .conftest import make_project, replace_with_copy, run_build


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project")


def assert_clean_failure(proc, *needles):
    assert proc.returncode == 1, proc.stdout + proc.stderr
    err = proc.stderr
    assert err.startswith("error: "), err
    assert "Traceback" not in err and "Traceback" not in proc.stdout
    for needle in needles:
        assert needle in err, (needle, err)
    assert "expected:" in err and "fix:" in err



def test_unknown_edition(project):
    proc = run_build(project, "--edition", "wmr-1999")
    assert_clean_failure(proc, "wmr-1999", "wmr-2024", "wmr-2026")
    assert not (project / "chapters").exists()


def test_unknown_chapter(project):
    proc = run_build(project, "--edition", "wmr-2026", "--chapters", "overview,nonsense")
    assert_clean_failure(proc, "nonsense", "overview, global")
    assert not (project / "chapters").exists()


def test_unknown_parameter(project):
    cfg = project / "editions" / "wmr-2026.toml"
    cfg.write_text(cfg.read_text().replace('parameters = { top_n = 20 }', 'parameters = { top_n = 20, colour = "red" }'))
    proc = run_build(project, "--edition", "wmr-2026")
    assert_clean_failure(proc, "colour", "top_n")
    assert not (project / "chapters").exists()


def test_parameter_of_the_wrong_type(project):
    cfg = project / "editions" / "wmr-2026.toml"
    cfg.write_text(re.sub(r"(?m)^stock_year = 2024", 'stock_year = "2024"', cfg.read_text()))
    proc = run_build(project, "--edition", "wmr-2026")
    assert_clean_failure(proc, "stock_year", "int", "str '2024'")
    assert not (project / "chapters").exists()


def test_missing_parameter(project):
    cfg = project / "editions" / "wmr-2026.toml"
    cfg.write_text(cfg.read_text().replace("parameters = { top_n = 20 }\n", ""))
    proc = run_build(project, "--edition", "wmr-2026")
    assert_clean_failure(proc, "top_n")


def test_checksum_mismatch_names_the_file(project, mirror_copy):
    path = replace_with_copy(mirror_copy, "unsd-m49/m49-overview.csv")
    path.write_bytes(path.read_bytes().replace(b"Algeria", b"Algerie"))
    proc = run_build(project, "--edition", "wmr-2026", mirror=mirror_copy)
    assert_clean_failure(proc, "unsd-m49/m49-overview.csv", "Checksum mismatch", "sha256 cd2540a6")
    assert not (project / "chapters").exists()


def test_missing_file_names_the_file(project, mirror_copy):
    (mirror_copy / "wb-remittances" / "remittance-inflows.xlsx").unlink()
    proc = run_build(project, "--edition", "wmr-2024", mirror=mirror_copy)
    assert_clean_failure(proc, "wb-remittances/remittance-inflows.xlsx")
    assert not (project / "chapters").exists()


def test_unreadable_file(project, mirror_copy):
    target = mirror_copy / "free-movement" / "ecowas.csv"
    target.unlink()
    target.mkdir()
    proc = run_build(project, "--edition", "wmr-2026", mirror=mirror_copy)
    assert_clean_failure(proc, "free-movement/ecowas.csv", "cannot be read")


def test_missing_mirror(project, tmp_path):
    proc = run_build(project, "--edition", "wmr-2026", mirror=tmp_path / "no-mirror-here")
    assert_clean_failure(proc, "mirror", "no-mirror-here", "WMR_DATA_MIRROR")
    assert not (project / "chapters").exists()


def test_verbose_shows_the_traceback(project):
    proc = run_build(project, "--edition", "wmr-1999", "--verbose")
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr


def test_verify_prints_one_line_per_source(project):
    proc = run_build(project, "verify")
    assert proc.returncode == 0, proc.stderr
    lines = [l for l in proc.stdout.splitlines() if l.startswith("ok ")]
    import json

    n_sources = len(json.loads((project / "data" / "manifest.json").read_text())["sources"])
    assert len(lines) == n_sources
