"""The regions chapter's sections on the real pins: every caption and alt text cites recorded facts only (no typed
numbers), the facts the alt texts cite agree with the charts' data, and no fact name is recorded twice."""
from __future__ import annotations

import re
import tomllib

import pytest

from wmr.core.protocol import ROLE_RE
from wmr.kernel import fmt, style
from wmr.kernel.analysis import regions as R
from wmr.kernel.analysis import regionsections as q
from wmr.kernel.analysis import regionstory as RS
from wmr.kernel.facts import make_fact

from .conftest import ROOT

EDITIONS = ["wmr-2024", "wmr-2026"]


def _params(edition: str) -> tuple[RS.Years, int]:
    ed = tomllib.loads((ROOT / "editions" / f"{edition}.toml").read_text())
    p = ed["parameters"]
    top_n = next(c for c in ed["chapters"] if c["slug"] == "regions")["parameters"]["top_n"]
    return RS.Years(p["ims_source"], p["stock_year"], p["remittance_year"], p["refugee_year"], p["idp_year"]), top_n


def _run(y: RS.Years, region: str, top_n: int) -> tuple[dict, dict]:
    """What the notebook records for one region, in its order: (facts by name, figures and table by id)."""
    facts: dict = {}

    def record(specs) -> None:
        for spec in specs:
            assert spec["name"] not in facts, f"{region}: fact '{spec['name']}' recorded twice"
            facts[spec["name"]] = make_fact(**spec)

    record(RS.opening(y).facts)
    record(RS.story(y, region).facts)
    blocks = {}
    record(q.trend_facts(y, region))
    blocks["fig-trend"] = q.trend_figure(y, region)
    record(q.link_facts(y, region))
    blocks["fig-links"] = q.links_figure(y, region)
    record(q.country_facts(y, region, top_n))
    blocks["fig-top-destinations"] = q.destinations_figure(y, region, top_n)
    blocks["fig-top-origins"] = q.origins_figure(y, region, top_n)
    blocks["fig-corridors"] = q.corridors_figure(y, region, top_n)
    record(q.remittance_facts(y, region))
    blocks["fig-remittances"] = q.remittances_figure(y, region, top_n)
    record(q.refugee_facts(y, region))
    blocks["fig-refugees"] = q.refugees_figure(y, region, top_n)
    record(q.idp_facts(y, region))
    blocks["fig-idps"] = q.idps_figure(y, region, top_n)
    blocks["tab-key-figures"] = q.key_figures_table(y, region)
    for b in blocks.values():
        if "fig" in b:
            style.close(b["fig"])
    return facts, blocks


FAST = {("wmr-2026", "Africa"), ("wmr-2024", "Oceania")}   # in the fast subset; every other region is `build`


@pytest.fixture(scope="module", ids=lambda p: f"{p[0]}-{p[1]}",
                params=[pytest.param((e, r), marks=() if (e, r) in FAST else pytest.mark.build)
                        for e in EDITIONS for r in R.REGIONS])
def run(request):
    edition, region = request.param
    y, top_n = _params(edition)
    return y, region, top_n, *_run(y, region, top_n)


def test_captions_and_alt_texts_cite_recorded_facts_and_type_no_number(run):
    _, region, _, facts, blocks = run
    for ident, b in blocks.items():
        for part in ("caption", "alt"):
            text = b.get(part, "")
            if not text:
                continue
            cited = [m.group("arg") for m in ROLE_RE.finditer(text)]
            assert set(cited) <= set(facts), (region, ident, part, set(cited) - set(facts))
            typed = re.findall(r"\S*\d\S*", ROLE_RE.sub("", text).replace("M49", ""))
            assert typed == [], (region, ident, part, typed)
        assert "{fact}" in b.get("alt", "{fact}"), f"{ident}: the alt text states no number"


def test_alt_text_numbers_are_the_charts_numbers(run):
    """The facts an alt text cites are the values the chart plots (computed here from the regions functions)."""
    y, region, top_n, facts, blocks = run
    series = R.stock_series(y.ims_source, region, y.stock_year)
    assert facts["immigrants"].value == series["immigrants"].iloc[-1]
    assert facts["emigrants_first"].value == series["emigrants"].iloc[0]
    assert facts["first_year"].value == series["year"].iloc[0] and facts["last_year"].value == y.stock_year
    dest = blocks["fig-top-destinations"]["data"]
    assert facts["top_dest_migrants"].value == dest["migrants"].max()
    assert facts["top_orig_migrants"].value == blocks["fig-top-origins"]["data"]["migrants"].max()
    corr = blocks["fig-corridors"]["data"]
    assert facts["corridor_migrants"].value == corr["migrants"].iloc[0]
    assert facts["corridors_within"].value == corr["within"].sum() and facts["corridors_n"].value == len(corr) == top_n
    rem = blocks["fig-remittances"]["data"]
    assert facts["remit_top_usd"].display == fmt.usd_billions(rem["usd"].max())
    ref = R.refugees_by_country(region, y.refugee_year)
    assert facts["refugees_hosted"].display == fmt.compact(ref["hosted"].sum())
    assert facts["refugees_originating"].display == fmt.compact(ref["originating"].sum())
    assert facts["ref_top_host_n"].value == ref["hosted"].max()
    idp = R.idps_in_region(region, y.idp_year)
    assert facts["idp_top_n"].value == (idp["conflict_idps"] + idp["disaster_idps"]).max()
    # the caption's coverage is the key-figures table's count for remittances
    table = blocks["tab-key-figures"]["df"].set_index("Indicator")
    assert table.loc["Remittance inflows (current US$)", "With data"] == (
        f"{facts['cov_remit'].display} of {facts['n_members'].display} countries and areas")
