"""The global overview chapter's sections on the real pins: captions and alt texts cite recorded facts only, the
facts they cite are the charts' numbers, and no fact name is recorded twice."""
from __future__ import annotations

import re
import tomllib

import pytest

from wmr.core.protocol import ROLE_RE
from wmr.kernel import style
from wmr.kernel.analysis import displacement, migrants, remittances
from wmr.kernel.analysis import global_overview as q
from wmr.kernel.facts import make_fact

from .conftest import ROOT

EDITIONS = ["wmr-2024", "wmr-2026"]


@pytest.fixture(scope="module", params=EDITIONS)
def run(request):
    """What the notebook records in one edition, in its order: (parameters, facts by name, figures and table by id)."""
    ed = tomllib.loads((ROOT / "editions" / f"{request.param}.toml").read_text())
    p = {**ed["parameters"], **next(c for c in ed["chapters"] if c["slug"] == "global").get("parameters", {})}
    ims, year, top_n = p["ims_source"], p["stock_year"], p["top_n"]
    facts: dict = {}

    def record(specs) -> None:
        for spec in specs:
            assert spec["name"] not in facts, f"fact '{spec['name']}' recorded twice"
            facts[spec["name"]] = make_fact(**spec)

    blocks = {}
    record(q.stock_facts(ims, year))
    blocks["fig-stock-trend"] = q.stock_trend_figure(ims, year)
    blocks["fig-share-population"] = q.share_figure(ims, year)
    record(q.country_facts(ims, year, top_n))
    blocks["fig-top-destinations"] = q.destinations_figure(ims, year, top_n)
    blocks["fig-top-origins"] = q.origins_figure(ims, year, top_n)
    record(q.majority_facts(ims, year))
    blocks["fig-map-share"] = q.share_map_figure(ims, year)
    record(q.remittance_facts(p["remittance_year"]))
    blocks["fig-remittances"] = q.remittances_figure(p["remittance_year"])
    record(q.displacement_facts(p["refugee_year"], p["idp_year"], p["displacement_year"]))
    blocks["fig-displacement"] = q.displacement_figure(p["refugee_year"], p["idp_year"])
    blocks["fig-new-displacements"] = q.new_displacements_figure(p["idp_year"], p["displacement_year"])
    blocks["tab-top-countries"] = q.top_countries_table(ims, year)
    for b in blocks.values():
        if "fig" in b:
            style.close(b["fig"])
    return p, facts, blocks


def test_captions_and_alt_texts_cite_recorded_facts_and_type_no_number(run):
    _, facts, blocks = run
    for ident, b in blocks.items():
        for part in ("caption", "alt"):
            text = b.get(part, "")
            cited = [m.group("arg") for m in ROLE_RE.finditer(text)]
            assert set(cited) <= set(facts), (ident, part, set(cited) - set(facts))
            assert re.findall(r"\S*\d\S*", ROLE_RE.sub("", text)) == [], (ident, part)
        if ident.startswith("fig-"):
            assert "{fact}" in b["alt"], f"{ident}: the alt text states no number"


def test_cited_facts_are_the_charts_numbers(run):
    p, facts, blocks = run
    world = migrants.world_series(p["ims_source"])
    assert facts["migrants_first"].value == world["total"].iloc[0]
    assert facts["first_year"].value == world["year"].iloc[0] and facts["last_year"].value == p["stock_year"]
    assert facts["migrants_total"].value == world.loc[world["year"] == p["stock_year"], "total"].iloc[0]
    assert facts["top_destination_migrants"].value == blocks["fig-top-destinations"]["data"]["migrants"].max()
    assert facts["top_origin_migrants"].value == blocks["fig-top-origins"]["data"]["migrants"].max()
    shares = migrants.country_shares(p["ims_source"], p["stock_year"])
    assert facts["countries_majority_migrants"].value == len(shares[shares["share_pct"] >= 50]) > 0
    rem = remittances.world_series(q.REMITTANCES_FROM, p["remittance_year"])
    assert (facts["remittances_first"].value, facts["remittances_world"].value) == (rem["world_usd"].iloc[0],
                                                                                     rem["world_usd"].iloc[-1])
    idps = displacement.idp_stocks(p["idp_year"]).dropna(subset=["conflict_idps"])
    assert facts["idps_first_year"].value == idps["year"].iloc[0]
    assert facts["idps_conflict_last"].value == idps["conflict_idps"].iloc[-1]
    flows = blocks["fig-new-displacements"]["data"]
    assert facts["new_disaster_peak_year"].value == flows.loc[flows["disaster"].idxmax(), "year"]
    assert blocks["fig-new-displacements"]["title"].startswith("New internal displacements by cause, 2008–")


def test_conflict_gap_is_said_only_when_the_files_stop_early(run):
    """wmr-2026 shows new displacements to 2024 but the pinned conflict figures end in 2023; wmr-2024 ends in 2022."""
    p, facts, blocks = run
    flows = blocks["fig-new-displacements"]["data"]
    last_conflict = int(flows.dropna(subset=["conflict"])["year"].max())
    caption = blocks["fig-new-displacements"]["caption"]
    if last_conflict < p["displacement_year"]:
        assert facts["new_conflict_last_year"].display == str(last_conflict)
        assert "after {fact}`new_conflict_last_year`" in caption
    else:
        assert "new_conflict_last_year" not in facts and "after" not in caption
    assert (p["displacement_year"] == 2024) == (last_conflict < p["displacement_year"])
