"""Checks of the built editions an editor signs (issue 12): one denominator, one name per code, no
anachronisms, headline totals with their components, source lines from what was read."""
from __future__ import annotations

import csv
import json
import tomllib
from collections import defaultdict

import pytest

from .conftest import ROOT

EDITIONS = sorted(p.stem for p in (ROOT / "editions").glob("*.toml"))
NAME_COLUMNS = ("country", "name", "Country", "Destination", "Origin")


def _facts(built, edition: str) -> dict:
    return json.loads((built / "report" / edition / "facts.json").read_text())


@pytest.mark.parametrize("edition", EDITIONS)
def test_key_share_fact_equals_last_point_of_the_share_figure(built, edition):
    facts = _facts(built, edition)
    with open(built / "figures" / edition / "global" / "fig-share-population.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    last = rows[-1]
    assert int(last["year"]) == facts["overview.migrants_share_pct"]["year"]
    # the figure's CSV is rounded to 2 decimals (the data's precision): agreement within half its last digit
    assert float(last["share_pct"]) == pytest.approx(facts["overview.migrants_share_pct"]["value"], abs=0.005)
    assert facts["global.share_last_pct"]["value"] == pytest.approx(float(last["share_pct"]), abs=0.005)
    # one population series: the edition's official workbook, named in both facts' sources
    workbook = {"wmr-2024": "undesa-ims-2020", "wmr-2026": "undesa-ims-2024"}[edition]
    assert workbook in facts["overview.migrants_share_pct"]["sources"]
    assert workbook in facts["global.countries_majority_migrants"]["sources"]


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_code_is_shown_under_two_names(built, edition):
    seen: dict[str, set[str]] = defaultdict(set)
    for path in (built / "figures" / edition).rglob("*.csv"):
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            cols = reader.fieldnames or []
            if "iso3" not in cols:
                continue
            named = [c for c in cols if c in NAME_COLUMNS]
            for row in reader:
                for c in named[:1]:
                    if row[c] and row["iso3"]:
                        seen[row["iso3"]].add(row[c])
    assert len(seen) > 100
    twice = {k: v for k, v in seen.items() if len(v) > 1}
    assert twice == {}
    assert seen.get("TUR") == {"Türkiye"}


@pytest.mark.parametrize("edition", EDITIONS)
def test_nothing_after_data_through(built, edition):
    through = tomllib.loads((ROOT / "editions" / f"{edition}.toml").read_text())["data_through"]
    late = [k for k, f in _facts(built, edition).items() if isinstance(f["year"], int) and f["year"] > through]
    assert late == []


def test_headline_totals_carry_their_components(built):
    for edition in EDITIONS:
        facts = _facts(built, edition)
        for chapter in ("overview", "global"):
            total = facts[f"{chapter}.displaced_total"]
            assert total["unit"] == "persons" and total["value"] > 1e8
            for part in ("UNHCR", "UNRWA", "asylum-seekers", "international protection", "conflict", "disasters"):
                assert part in total["note"], (edition, chapter, part)
            assert facts[f"{chapter}.refugees_incl_unrwa"]["value"] > facts[f"{chapter}.stateless"]["value"] > 0


def test_source_lines_name_the_files_read(built):
    facts = _facts(built, "wmr-2026")
    assert any(r.startswith("iom-gdidata/idmc_stocks") for r in facts["overview.idps_conflict"]["reads"])
    old = _facts(built, "wmr-2024")
    assert old["overview.idps_conflict"]["reads"] == [
        "idmc-gidd/IDMC_Internal_Displacement_Conflict-Violence_Disasters.xlsx"]
    page = (built / "report" / "wmr-2026" / "html" / "global.html").read_text(encoding="utf-8")
    assert "idmc_stocks.rda" in page
