"""Configs, parameters and names are checked before any kernel starts: one test per row of the README's failure table.

Each test breaks a scratch copy of the project's inputs and checks the message (what, expected, got, fix), the
exit status, and that nothing was built: no chapters/, figures/ or report/ folder appears and no process remains.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import make_project, project_processes, run_build, tree_digest
from .test_failures import EDITION, assert_nothing_lost, set_config


def config(project: Path) -> Path:
    return project / "editions" / f"{EDITION}.toml"


def refused(project: Path, *args: str) -> str:
    """Run a build that must be refused before anything starts; returns its stderr."""
    proc = run_build(project, "--edition", EDITION, *args)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    err = proc.stderr
    assert err.startswith("error: ") and "Traceback" not in err, err
    assert "expected:" in err and "got:" in err and "fix:" in err, err
    for folder in ("chapters", "figures", "report"):
        assert not (project / folder).exists(), f"{folder}/ was created"
    assert project_processes(project) == []
    return err


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def test_a_misspelt_edition_key_is_refused_listing_the_valid_keys(project):
    set_config(project, r"^cell_timeout = ", "cell_timout = ")
    err = refused(project)
    assert "unknown key(s): 'cell_timout' (did you mean 'cell_timeout'?)" in err
    assert re.search(r"expected: keys from: title, .*cell_timeout, .*chapters", err), err


def test_a_misspelt_chapter_key_is_refused(project):
    set_config(project, r"^parameters = \{ top_n = 20 \}", "parameter = { top_n = 20 }")
    err = refused(project)
    assert "Chapter 2 in editions/wmr-2026.toml has unknown key(s): 'parameter' (did you mean 'parameters'?)" in err
    assert "slug, notebook, parameters, runs" in err


@pytest.mark.parametrize("key, pattern", [("notebook", r'^notebook = "notebooks/01_overview.md"\n'),
                                          ("title", r"^title = .*\n")])
def test_a_missing_required_key_is_named(project, key, pattern):
    set_config(project, pattern, "")
    err = refused(project)
    assert f"lacks required key(s): {key}." in err


@pytest.mark.parametrize("line, replacement, where, expected, got", [
    (r"^parameters = \{ top_n = 20 \}", "parameters = 20", "Key 'parameters' of Chapter 2", "a table", "integer 20"),
    (r"^cell_timeout = 600", 'cell_timeout = "600"', "Key 'cell_timeout' of The edition config", "an integer",
     "string '600'"),
    (r"^cell_timeout = 600", "cell_timeout = true", "Key 'cell_timeout' of The edition config", "an integer",
     "boolean True"),
    (r'^  "unsd-m49", ', "  3, ", "Item 6 of 'sources' of The edition config", "a string", "integer 3"),
])
def test_a_wrong_type_says_what_was_expected(project, line, replacement, where, expected, got):
    set_config(project, line, replacement)
    err = refused(project)
    assert f"{where} in editions/wmr-2026.toml has the wrong type." in err
    assert f"expected: {expected}" in err and f"got:      {got}" in err


def test_parameters_given_as_a_number_name_the_key(project):
    set_config(project, r"^\[parameters\]\n(.*\n)*?\n", "parameters = 20\n\n")
    err = refused(project)
    assert "Key 'parameters' of The edition config in editions/wmr-2026.toml has the wrong type." in err
    assert "expected: a table" in err and "got:      integer 20" in err


@pytest.mark.parametrize("value", ['"2026-11-30"', "2026-11-30T10:00:00", "20261130"])
def test_a_malformed_release_date_is_refused_before_any_kernel_starts(project, value):
    set_config(project, r"^release_date = .*$", f"release_date = {value}")
    err = refused(project)
    assert "Key 'release_date' of The edition config" in err and "a date, e.g. release_date = 2026-11-30" in err


def test_an_impossible_release_date_is_refused_as_invalid_toml(project):
    set_config(project, r"^release_date = .*$", "release_date = 2026-13-45")
    err = refused(project)
    assert "is not valid TOML" in err


@pytest.mark.parametrize("value, shown", [(-5, "-5"), (0, "0"), (51, "51")])
def test_a_parameter_outside_its_declared_range_is_refused(project, value, shown):
    set_config(project, r"^parameters = \{ top_n = 20 \}", f"parameters = {{ top_n = {value} }}")
    err = refused(project)
    assert "Parameter 'top_n' of chapter 'global' is out of range." in err
    assert "expected: int from 1 to 50 (declared in the parameters cell of 02_global_overview.md)" in err
    assert f"got:      {shown}\n" in err


def test_an_oversized_value_is_refused_without_being_echoed(project):
    set_config(project, r"^parameters = \{ top_n = 20 \}", 'parameters = { top_n = 20, motto = "' + "x" * 10_000_000 + '" }')
    err = refused(project)
    assert "is too long" in err and "at most 4,096 characters" in err and "10,000,000 characters" in err
    assert len(err) < 2000, len(err)


def test_an_oversized_wrong_type_is_not_echoed(project):
    set_config(project, r"^parameters = \{ top_n = 20 \}", "parameters = { top_n = [" + "1," * 100_000 + "] }")
    err = refused(project)
    assert "Parameter 'top_n' of chapter 'global' has the wrong type." in err and len(err) < 2000, len(err)


def test_a_duplicate_chapter_slug_names_both_chapters(project):
    set_config(project, r'^slug = "inequality"', 'slug = "overview"')
    err = refused(project)
    assert "Chapter slug 'overview' is used twice in editions/wmr-2026.toml: by chapter 1 and chapter 4" in err


def test_a_duplicate_chapter_slug_never_replaces_a_published_chapter(built_copy):
    """The case that published a wrong edition with exit 0: two chapters named 'overview', --html-only."""
    project = built_copy
    report = tree_digest(project / "report" / EDITION)
    chapters = tree_digest(project / "chapters" / EDITION)
    set_config(project, r'^slug = "inequality"', 'slug = "overview"')
    proc = run_build(project, "--edition", EDITION, "--html-only")
    assert proc.returncode == 1 and "Chapter slug 'overview' is used twice" in proc.stderr, proc.stderr
    assert tree_digest(project / "chapters" / EDITION) == chapters
    assert_nothing_lost(project, report)


def test_a_duplicate_run_key_names_both_runs(project):
    set_config(project, r'\{ key = "asia", region = "Asia" \}', '{ key = "africa", region = "Asia" }')
    err = refused(project)
    assert "Run key 'africa' is used twice in chapter 'regions' of editions/wmr-2026.toml: by run 1 and run 2." in err


def test_a_run_and_a_chapter_writing_the_same_notebook_are_refused(project):
    set_config(project, r'^slug = "inequality"', 'slug = "regions-africa"')
    err = refused(project)
    assert "would write the same executed notebook 'regions-africa.ipynb'" in err
    assert "chapter 'regions' run 'africa' and chapter 'regions-africa'" in err


def test_a_run_that_is_not_a_table_is_refused(project):
    set_config(project, r'\{ key = "asia", region = "Asia" \}', '"asia"')
    err = refused(project)
    assert "Item 2 of 'runs' of Chapter 3 in editions/wmr-2026.toml has the wrong type." in err


@pytest.mark.parametrize("damage", ["missing key", "not json"])
def test_a_malformed_pin_manifest_is_one_clear_error_not_a_key_error(project, damage):
    manifest = project / "data" / "manifest.json"
    text = manifest.read_text()
    manifest.write_text(re.sub(r'"title": "[^"]*",', "", text, count=1) if damage == "missing key" else text[:-20])
    err = refused(project)
    if damage == "missing key":
        assert "The pin manifest manifest.json is malformed." in err and "KeyError: 'title'" in err
    else:
        assert "The pin manifest manifest.json is not valid JSON." in err
    assert "Traceback" not in err and "Unexpected internal error" not in err
