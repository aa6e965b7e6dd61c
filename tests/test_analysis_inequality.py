"""Migration by HDI group and free-movement regimes, on the real pinned data.

Spot values: world totals, OOO and corridor figures from the IMS 2024 source.toml; HDI groups from the
file's own 2022 hdicode; ECOWAS and Schengen member counts from the free-movement source.toml. Other
checks recompute a value a different way (straight from the raw by-sex table) or test invariants.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wmr.core.errors import ConfigError
from wmr.core.protocol import ROLE_RE
from wmr.kernel import plots, style
from wmr.kernel.analysis import inequality as q
from wmr.kernel.facts import make_fact
from wmr.kernel.sources import free_movement, hdi, ims

S24 = "undesa-ims-2024-bilateral"
S20 = "undesa-ims-2020-bilateral"
WORLD_2024 = {1990: 153_916_063, 2020: 275_284_032, 2024: 304_021_813}  # source.toml spot values
OOO_2024 = 22_065_614


def test_hdi_and_population_years():
    assert q.hdi_year_for(2024) == 2022
    assert q.hdi_year_for(2020) == 2020
    assert q.hdi_year_for(1990) == 1990
    assert q.population_year_for(2024) == 2024  # the edition workbook has every stock year
    with pytest.raises(ConfigError):
        q.hdi_year_for(1985)


def test_groups_2022_reproduce_the_files_own_groups():
    derived = q.groups(2022)
    published = hdi.load_hdi_groups_2022().set_index("iso3")["hdi_group"]
    assert derived.sort_index().equals(published.sort_index().rename(derived.name))
    assert derived.value_counts().to_dict() == {"Very high": 69, "High": 49, "Medium": 42, "Low": 33}
    assert q.groups(2024).equals(derived)  # after the last HDI year: the latest groups


def test_shares_sum_to_world_totals():
    for side in ("dest", "origin"):
        df = q.by_group(S24, side, 2022)
        totals = df.groupby("year")["migrants"].sum()
        for year, total in WORLD_2024.items():
            assert totals[year] == total
        assert np.allclose(df.groupby("year")["share_pct"].sum(), 100)
        assert set(df["group"]) == set(q.ALL_GROUPS) and (df["hdi_year"] == 2022).all()


def test_very_high_destinations_recomputed_from_raw_by_sex_table():
    raw = ims.load_bilateral(S24)
    raw = raw[raw["year"] == 2024]
    vh = set(hdi.load_hdi_groups_2022().query("hdi_group == 'Very high'")["iso3"])
    expected = int(raw.loc[raw["dest_iso3"].isin(vh), "migrants"].sum())
    got = q.by_group(S24, "dest", 2022).query("year == 2024 and group == 'Very high'")["migrants"].iloc[0]
    assert got == expected
    assert got > 52_375_047  # at least the United States alone (source.toml)


def test_unclassified_origins_are_reported_not_dropped():
    uncl = q.unclassified_breakdown(S24, 2024, 2022, "origin")
    assert uncl.iloc[0]["iso3"] == "OOO" and uncl.iloc[0]["migrants"] == OOO_2024
    assert "PRI" in set(uncl["iso3"]) and "IND" not in set(uncl["iso3"])
    by = q.by_group(S24, "origin", 2022).query("year == 2024").set_index("group")["migrants"]
    assert by[q.UNCLASSIFIED] == uncl["migrants"].sum()


def test_varying_groups_use_each_years_hdi():
    df = q.classified_stocks(S24, None)
    used = df.groupby("year")["hdi_year"].first().to_dict()
    assert used[1990] == 1990 and used[2020] == 2020 and used[2024] == 2022
    # Mexico -> USA 2024 corridor (source.toml) is one row, classified by 2022 HDI
    row = df[(df["year"] == 2024) & (df["origin_iso3"] == "MEX") & (df["dest_iso3"] == "USA")].iloc[0]
    assert row["migrants"] == 11_279_561 and row["origin_group"] == "High" and row["dest_group"] == "Very high"
    # fewer countries had an HDI in 1990, so more migrants are unclassified than with fixed groups
    vary = q.by_group(S24, "dest", None).query("year == 1990").set_index("group")["share_pct"]
    fixed = q.by_group(S24, "dest", 2022).query("year == 1990").set_index("group")["share_pct"]
    assert vary[q.UNCLASSIFIED] > fixed[q.UNCLASSIFIED]


def test_matrix_margins_and_table():
    m = q.matrix(S24, 2024, 2022)
    dest = q.by_group(S24, "dest", 2022).query("year == 2024").set_index("group")["migrants"]
    orig = q.by_group(S24, "origin", 2022).query("year == 2024").set_index("group")["migrants"]
    assert m.sum(axis=0).equals(dest.reindex(m.columns).rename_axis("destination").astype("int64"))
    assert m.sum(axis=1).equals(orig.reindex(m.index).rename_axis("origin").astype("int64"))
    assert m.to_numpy().sum() == WORLD_2024[2024]
    d = q.direction_shares(m)
    assert d["higher_pct"] + d["same_pct"] + d["lower_pct"] == pytest.approx(100)
    assert 0 < d["classified_pct"] < 100
    t = q.matrix_table(S24, [1990, 2024], 2022)
    assert list(t["Year"].unique()) == ["1990", "2024"] and len(t) == 12
    total = t[(t["Year"] == "2024") & (t["Origin"] == "Total")]["Total"].iloc[0]
    assert total == pytest.approx(WORLD_2024[2024] / 1e3)
    with pytest.raises(ConfigError):
        q.matrix(S24, 2019, 2022)


def test_country_emigration_rate_recomputed():
    rates = q.country_emigration_rates(S24, 2024).set_index("iso3")
    ind = rates.loc["IND"]
    wb = ims.load_destination_2024()  # one denominator: the 2024 workbook's own population (Table 2, WPP 2024)
    pop = wb.query("iso3 == 'IND' and year == 2024 and sex == 'total'").iloc[0]["population"]
    assert ind["emigrants"] == 18_533_845  # source.toml
    assert ind["rate_pct"] == pytest.approx(100 * 18_533_845 / (18_533_845 + pop))
    assert ind["hdi"] == pytest.approx(0.644) and ind["hdi_group"] == "Medium"
    assert (ind["hdi_year"], ind["population_year"]) == (2022, 2024)
    assert len(rates) == 193 and rates["rate_pct"].between(0, 100).all()


def test_group_emigration_rate_pooled():
    rates = q.emigration_rates(S20, 2022)
    row = rates.query("year == 2020 and group == 'Low'").iloc[0]
    low = set(q.groups(2022)[lambda s: s == "Low"].index)
    em = ims.stock_by_origin(S20, 2020).set_index("origin_iso3")["migrants"]
    wb = ims.load_destination_2020()  # the 2020 workbook's own population
    pop = wb.query("kind == 'country' and year == 2020 and sex == 'total'").set_index("iso3")["population"]
    e, p = em.reindex(sorted(low)).fillna(0).sum(), pop.reindex(sorted(low)).sum()
    assert row["countries"] == 33 and row["population_year"] == 2020
    assert row["rate_pct"] == pytest.approx(100 * e / (e + p))


def test_rates_by_hdi_band():
    rates = q.country_emigration_rates(S24, 2024)
    bands = q.rates_by_hdi_band(rates, 0.1)
    assert bands["countries"].sum() == len(rates)
    assert bands["band"].iloc[0] == "0.30–0.40" and bands["band"].iloc[-1] == "0.90–1.00"
    first = rates[rates["hdi"] < 0.4]
    assert "NER" in set(first["iso3"])  # HDI 0.394 (source.toml)
    assert bands["countries"].iloc[0] == len(first)
    assert bands["median_pct"].iloc[0] == pytest.approx(first["rate_pct"].median())
    # lower bounds belong to their band, 1.0 to the last one
    edge = pd.DataFrame({"iso3": list("abcd"), "hdi": [0.35, 0.4, 0.8, 1.0], "rate_pct": [1.0, 2.0, 3.0, 4.0],
                         "emigrants": [1, 2, 3, 4], "population": [99, 98, 97, 96]})
    got = q.rates_by_hdi_band(edge, 0.1).set_index("band")["countries"].to_dict()
    assert got == {"0.30–0.40": 1, "0.40–0.50": 1, "0.80–0.90": 1, "0.90–1.00": 1}


def test_group_summary():
    s = q.group_summary(S24, 2024, 2022).set_index("group")
    assert s.loc[list(q.GROUPS), "population_pct"].sum() == pytest.approx(100)
    assert s["immigrants_pct"].sum() == pytest.approx(100) and s["emigrants_pct"].sum() == pytest.approx(100)
    assert s.loc["Very high", "countries"] == 69 and np.isnan(s.loc[q.UNCLASSIFIED, "rate_pct"])


def test_free_movement_membership_and_shares():
    assert q.membership_year_for(1990) is None
    assert q.membership_year_for(2024) == 2019 and q.membership_year_for(2015) == 2015
    eco = q.free_movement_shares(S24, "ECOWAS").set_index("year")
    assert 1990 not in eco.index and eco.loc[2024, "membership_year"] == 2019
    assert eco.loc[1995, "members"] == 16 and eco.loc[2024, "members"] == 15  # Mauritania left in 2000
    sch = q.free_movement_shares(S24, "Schengen").set_index("year")
    assert sch.loc[1995, "members"] == 7 and sch.loc[2010, "members"] == 25
    # recompute Schengen 2010 a different way: corridors flagged by a merge
    members = free_movement.load_free_movement().query("regime == 'Schengen' and year == 2010 and member")["iso3"]
    df = ims.load_bilateral(S24).query("year == 2010")
    flag = pd.Series(True, index=members.to_numpy())
    df = df[df["origin_iso3"].map(flag).fillna(False).astype(bool)]
    inside = df["dest_iso3"].map(flag).fillna(False).astype(bool) & (df["dest_iso3"] != df["origin_iso3"])
    assert sch.loc[2010, "share_pct"] == pytest.approx(100 * df.loc[inside, "migrants"].sum() / df["migrants"].sum())
    fixed = q.free_movement_shares(S24, "Schengen", fixed_membership_year=2019)
    assert fixed["year"].min() == 1990 and (fixed["members"] == 26).all()
    assert fixed["share_pct"].between(0, 100).all()
    with pytest.raises(ConfigError):
        q.free_movement_shares(S24, "Mercosur")


def test_heatmap_and_scatter_return_plotted_data():
    m = q.share_matrix(q.matrix(S24, 2024, 2022))
    fig, data = plots.heatmap(m, xlabel="to", ylabel="from", legend_title="%")
    style.close(fig)
    assert list(data.columns) == ["origin", *q.ALL_GROUPS] and len(data) == 5
    rates = q.country_emigration_rates(S24, 2024)
    fig, data = plots.scatter(rates, "hdi", "rate_pct", xlabel="HDI", ylabel="%", group="hdi_group", label="country",
                              annotate=["India"], logy=True)
    style.close(fig)
    assert list(data.columns) == ["country", "hdi", "rate_pct", "hdi_group"] and len(data) == (rates["rate_pct"] > 0).sum()


def _chapter_specs() -> list[dict]:
    """Every fact chapter 4 records (IMS 2024, HDI 2022), in the notebook's order."""
    return [*q.classification_setup_facts(S24, 2024, 2022), *q.immigrant_share_facts(S24, 2024, 2022),
            *q.emigrant_share_facts(S24, 2024, 2022), *q.varying_groups_facts(S24, 2024),
            *q.group_rate_facts(S24, 2024, 2022), *q.country_rate_facts(S24, 2024),
            *q.matrix_facts(S24, 2024, 2022), *q.free_movement_facts(S24, 2024)]


_DISPLAYS: dict[str, str] = {}


def words(text: str) -> str:
    """A caption or alt text as the reader sees it: each {fact} role replaced by the chapter fact's display."""
    if not _DISPLAYS:
        _DISPLAYS.update({s["name"]: make_fact(**s).display for s in _chapter_specs()})
    return ROLE_RE.sub(lambda m: _DISPLAYS[m.group("arg")], text)


def test_fact_specs_have_chapter_fact_keys_and_unique_names():
    keys = {"name", "value", "unit", "year", "sources", "fmt", "display", "note"}
    specs = _chapter_specs()
    assert all(set(s) == keys for s in specs)
    names = [s["name"] for s in specs]
    assert len(names) == len(set(names)) == 121
    assert {"early_year", "n_very_high", "n_low", "imm_vh_peak_pct", "em_gain_group", "rate_rise_pp", "n_rate_above_10",
            "cell_gain_from", "cell_loss_pp", "band_top_from", "schengen_fixed_first_pct"} <= set(names)
    assert all(not (isinstance(s["value"], float) and np.isnan(s["value"])) for s in specs)


def test_fact_spec_values_match_spot_values_and_independent_computation():
    setup = {s["name"]: s for s in q.classification_setup_facts(S24, 2024, 2022)}
    assert setup["early_year"]["value"] == 1990 and setup["pop_year"]["value"] == 2024
    assert [setup[f"n_{k}"]["value"] for k in ("very_high", "high", "medium", "low")] == [69, 49, 42, 33]
    assert setup["cutoff_very_high"]["display"] == "0.800"
    imm = {s["name"]: s for s in q.immigrant_share_facts(S24, 2024, 2022)}
    assert imm["migrants_early"]["value"] == WORLD_2024[1990] and imm["migrants_last"]["value"] == WORLD_2024[2024]
    # very high HDI destinations in 2024, straight from the stocks and the file's 2022 groups
    df = q.stocks(S24)
    vh = set(hdi.load_hdi_groups_2022().query("hdi_group == 'Very high'")["iso3"])
    last = df[df["year"] == 2024]
    expected = 100 * last.loc[last["dest_iso3"].isin(vh), "migrants"].sum() / last["migrants"].sum()
    assert imm["imm_vh_last_pct"]["value"] == pytest.approx(expected, rel=1e-12)
    assert imm["imm_vh_last_pct"]["sources"] == [S24, q.HDI] and imm["imm_vh_last_pct"]["fmt"] == "percent"
    em = {s["name"]: s for s in q.emigrant_share_facts(S24, 2024, 2022)}
    assert em["em_unknown_last"]["value"] == OOO_2024 and em["em_unknown_last"]["sources"] == [S24]


# ---------------------------------------------------------------------------------------------- figures and tables

def _shares_2022_groups(side: str) -> pd.DataFrame:
    """% of all migrants by the file's 2022 HDI group (unclassified = none), year x group, straight from the stocks."""
    df = q.stocks(S24)
    g = hdi.load_hdi_groups_2022().set_index("iso3")["hdi_group"]
    df = df.assign(group=df[f"{side}_iso3"].map(g).fillna(q.UNCLASSIFIED))
    t = df.groupby(["year", "group"])["migrants"].sum().unstack(fill_value=0)
    return 100 * t.div(t.sum(axis=1), axis=0)


def test_share_figures_text_and_frame():
    dest, orig = _shares_2022_groups("dest"), _shares_2022_groups("origin")
    spec = q.immigrant_shares_figure(S24, 2024, 2022)
    assert (f"rose from {dest.loc[1990, 'Very high']:.1f}% in 1990 to {dest.loc[2024, 'Very high']:.1f}% in 2024, while "
            f"low HDI countries hosted {dest.loc[1990, 'Low']:.1f}% and then {dest.loc[2024, 'Low']:.1f}%.") in words(spec["alt"])
    assert spec["title"].endswith("1990–2024") and spec["sources"] == [S24, q.HDI]
    assert spec["fig"].axes[0].get_ylim() == (0, 100)
    style.close(spec["fig"])
    spec = q.emigrant_shares_figure(S24, 2024, 2022)
    assert f"rose from {orig.loc[1990, 'Medium']:.1f}% to {orig.loc[2024, 'Medium']:.1f}%." in words(spec["alt"])
    assert spec["fig"].axes[0].get_ylim() == (0, 60) and "HDI of 2022" in words(spec["caption"])
    style.close(spec["fig"])


def test_classification_figure_compares_fixed_and_changing_groups():
    h = hdi.load_hdi()
    g1990 = h[(h["year"] == 1990) & h["hdi"].notna()].set_index("iso3")["hdi_group"]
    s = q.stocks(S24)
    s1990 = s[s["year"] == 1990]
    vh_1990 = 100 * s1990.loc[s1990["dest_iso3"].map(g1990).eq("Very high"), "migrants"].sum() / s1990["migrants"].sum()
    spec = q.classification_figure(S24, 2024, 2022)
    assert spec["data"].set_index("year").loc[1990, "varying"] == pytest.approx(vh_1990)
    assert f"climbs from {vh_1990:.1f}% in 1990" in words(spec["alt"]) and "(2022 for 2024)" in words(spec["caption"])
    assert spec["fig"].axes[0].get_legend()._loc == 7          # 'center right', clear of the lines
    style.close(spec["fig"])


def test_rate_and_matrix_figures():
    rates = q.country_emigration_rates(S24, 2024)
    spec = q.country_rates_figure(S24, 2024)
    top = rates.sort_values("rate_pct").iloc[-1]
    assert (f"Scatter plot of {len(rates)} countries: emigration rates range from {rates['rate_pct'].min():.1f}% to "
            f"{top['rate_pct']:.1f}% ({top['country']})") in words(spec["alt"])
    assert "the three highest rates are named" in spec["caption"]
    style.close(spec["fig"])
    spec = q.group_rates_figure(S24, 2024, 2022)
    pooled = spec["data"].set_index("year")[list(q.GROUPS)]
    assert spec["fig"].axes[0].get_ylim() == pytest.approx((0, 1.3 * pooled.max().max()))
    style.close(spec["fig"])
    s = q.stocks(S24)
    s = s[s["year"] == 2024]
    g = hdi.load_hdi_groups_2022().set_index("iso3")["hdi_group"]
    hi_to_vh = s[s["origin_iso3"].map(g).eq("High") & s["dest_iso3"].map(g).eq("Very high")]["migrants"].sum()
    spec = q.matrix_figure(S24, 2024, 2022)
    assert f"high to very high HDI ({100 * hi_to_vh / s['migrants'].sum():.1f}% of all migrants)" in words(spec["alt"])
    style.close(spec["fig"])
    table = q.matrix_table_spec(S24, 2024, 2022)
    assert list(table["df"].columns) == ["Year", "From", "To very high", "To high", "To medium", "To low",
                                         "To unclassified", "Total"]
    assert table["title"].endswith("1990 and 2024 (thousands)")


def test_free_movement_figure_and_groups_table():
    eco = q.free_movement_shares(S24, "ECOWAS")
    spec = q.free_movement_figure(S24, 2024)
    assert f"fell from {eco['share_pct'].iloc[0]:.1f}% in {int(eco['year'].iloc[0])}" in words(spec["alt"])
    assert "Schengen (members of 2019)" in [t.get_text() for t in spec["fig"].axes[0].get_legend().get_texts()]
    assert spec["sources"] == [S24, q.FREE_MOVEMENT]
    style.close(spec["fig"])
    glance = q.groups_table(S24, 2024, 2022)["df"]
    assert glance["HDI group"].tolist() == list(q.ALL_GROUPS)
    assert glance["Countries"].iloc[:4].tolist() == [69, 49, 42, 33]
    assert glance["Immigrants (%)"].tolist() == pytest.approx(_shares_2022_groups("dest").loc[2024, list(q.ALL_GROUPS)].tolist())


def test_captions_and_alt_texts_cite_chapter_facts_and_type_no_number():
    """Every number in chapter 4's captions and alt text is a recorded fact cited by role (issue 14)."""
    specs = [q.immigrant_shares_figure(S24, 2024, 2022), q.emigrant_shares_figure(S24, 2024, 2022),
             q.classification_figure(S24, 2024, 2022), q.group_rates_figure(S24, 2024, 2022),
             q.country_rates_figure(S24, 2024), q.rate_bands_figure(S24, 2024), q.matrix_figure(S24, 2024, 2022),
             q.matrix_change_figure(S24, 2024, 2022), q.matrix_table_spec(S24, 2024, 2022),
             q.free_movement_figure(S24, 2024), q.groups_table(S24, 2024, 2022)]
    names = {s["name"] for s in _chapter_specs()}
    for spec in specs:
        for part in ("caption", "alt"):
            text = spec.get(part, "")
            assert {m.group("arg") for m in ROLE_RE.finditer(text)} <= names, (spec["title"], part)
            assert not any(ch.isdigit() for ch in ROLE_RE.sub("", text)), (spec["title"], part, text)
        if "fig" in spec:
            assert "{fact}" in spec["alt"]
            style.close(spec["fig"])
    alt = words(q.rate_bands_figure(S24, 2024)["alt"])
    bands = q.rates_by_hdi_band(q.country_emigration_rates(S24, 2024), 0.1)
    hi = bands.loc[bands["median_pct"].idxmax()]
    assert f"highest in the HDI band {hi['band']} ({hi['median_pct']:.1f}%)" in alt   # the chart's band label, as facts
