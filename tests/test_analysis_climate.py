"""Disaster displacement indicators on the real pins: source.toml spot values, invariants and direct sums."""
from __future__ import annotations

import math

import pytest

from wmr.core.errors import CoverageError
from wmr.kernel.analysis import climate
from wmr.kernel.sources import hdi, idmc, ims

from .figure_texts import cited

S24 = "undesa-ims-2024-bilateral"

# source.toml (idmc-gidd, events file): disaster displacements per year; GRID 2025: storms 25.8 M, floods 18.5 M in 2024
SPOT = {2022: 32_567_846, 2023: 26_787_647, 2024: 45_763_920}


def test_hazard_types_sum_to_the_yearly_totals():
    types = climate.by_hazard_type(2024)
    assert types["year"].tolist() == list(range(2008, 2025))
    parts = [c for c in types.columns if c not in ("year", "total")]
    assert parts[-1] == climate.OTHER and len(parts) == 6
    assert (types[parts].sum(axis=1) == types["total"]).all()
    y = types.set_index("year")
    for year, total in SPOT.items():
        assert y.loc[year, "total"] == total
    assert round(y.loc[2024, "Storm"] / 1e6, 1) == 25.8 and round(y.loc[2024, "Flood"] / 1e6, 1) == 18.5
    assert climate.main_hazard_types(2024, 2) == ["Flood", "Storm"]


def test_series_stop_at_the_displacement_year():
    assert climate.by_hazard_type(2022)["year"].max() == 2022
    assert climate.by_region(2022)["year"].max() == 2022
    with pytest.raises(CoverageError) as exc:
        climate.by_country(2030, S24)
    assert exc.value.got == "2030" and exc.value.fix


def test_hazard_categories():
    cat = climate.by_hazard_category(2024).set_index("year")
    assert (cat[["weather", "geophysical", "mixed"]].sum(axis=1) == cat["total"]).all()
    assert cat.loc[2024, "mixed"] == 19_052 and cat.loc[:2023, "mixed"].eq(0).all()
    ev = idmc.load_disaster_events()
    geo_2008 = ev.loc[(ev["year"] == 2008) & (ev["hazard_category"] == "Geophysical"), "displacements"].sum()
    assert cat.loc[2008, "geophysical"] == geo_2008
    assert cat.loc[2008, "weather_share_pct"] == pytest.approx(100 * cat.loc[2008, "weather"] / cat.loc[2008, "total"])
    assert "Flood" in climate.hazard_types_of("Weather related", 2024)
    assert "Earthquake" in climate.hazard_types_of("Geophysical", 2024)


def test_country_rankings_absolute_and_relative():
    c = climate.by_country(2024, S24)
    assert c["displacements"].sum() == SPOT[2024]
    assert c.iloc[0]["iso3"] == "USA"
    top = climate.top_countries(2024, S24, 10)
    assert top["rank"].tolist() == list(range(1, 11)) and top["displacements"].is_monotonic_decreasing
    rel = climate.top_countries(2024, S24, 10, relative=True)
    assert rel["per_1000"].is_monotonic_decreasing and rel["population"].notna().all()
    # the Philippines: 8,994,202 displacements over its 2024 population in the IMS 2024 workbook (WPP 2024)
    phl = rel.set_index("iso3").loc["PHL"]
    wb = ims.load_destination_2024()
    pop = wb.query("iso3 == 'PHL' and year == 2024 and sex == 'total'").iloc[0]["population"]
    assert phl["population_year"] == 2024
    assert phl["per_1000"] == pytest.approx(1000 * 8_994_202 / pop)
    myt = c.set_index("iso3").loc["MYT"]  # Mayotte has a population in the UN DESA workbook, so a rate
    assert myt["displacements"] == 142_000 and not math.isnan(myt["per_1000"])
    assert climate.population_near(S24, 2024)["population_year"].max() == 2024
    assert climate.population_near("undesa-ims-2020-bilateral", 2022)["population_year"].max() == 2020


def test_regions_add_up_and_disaster_vs_conflict():
    reg = climate.by_region(2024)
    parts = [c for c in reg.columns if c not in ("year", "total")]
    assert (reg[parts].sum(axis=1) == reg["total"]).all()
    assert reg.set_index("year").loc[2024, "total"] == SPOT[2024]
    assert reg[climate.NO_REGION].sum() > 0  # Abyei, Kosovo, Taiwan
    dc = climate.disaster_vs_conflict(2024).set_index("year")
    assert math.isnan(dc.loc[2008, "conflict"]) and math.isnan(dc.loc[2024, "conflict"])
    assert dc.loc[2022, "conflict"] == 28_326_385 and dc.loc[2022, "disaster"] == 32_562_165  # country-year file
    assert dc.loc[2023, "conflict"] == 20_508_883  # disaggregated 2023 file
    assert dc.loc[2022, "disaster_share_pct"] == pytest.approx(100 * 32_562_165 / (32_562_165 + 28_326_385))


def test_bin_label():
    assert [climate.bin_label(v) for v in (0, 1e3, 1e5, 1e6, 1e7)] == ["0", "1,000", "100,000", "1 million", "10 million"]


def test_unassigned_areas_and_files_note():
    # names from the naming table (IOM house style); Taiwan Province of China is in Asia, as UN DESA allocates it
    assert climate.unassigned_areas(2024) == ["Abyei Area", "Kosovo (SCR 1244)"]
    dc = climate.disaster_vs_conflict(2024)
    assert [(lo, hi) for _, lo, hi in climate.file_runs(dc)][:2] == [(2008, 2022), (2023, 2023)]
    assert climate.files_note(dc).startswith("Figures for {fact}`dc_run_1_first`–{fact}`dc_run_1_last` from the "
                                             "country-year file; {fact}`dc_run_2_first` from the figure-level file")
    assert climate.files_note(climate.disaster_vs_conflict(2022)) == \
        "Figures for {fact}`dc_run_1_first`–{fact}`dc_run_1_last` from the country-year file."


# ------------------------------------------------------------------------------ the chapter's facts and figures

def test_disaster_and_hazard_facts_and_their_figures():
    ev = idmc.load_disaster_events()
    per_year = ev[ev["year"] <= 2024].groupby("year")["displacements"].sum()
    facts = {s["name"]: s for part in (climate.disaster_facts(2024), climate.hazard_facts(2024)) for s in part}
    assert facts["disaster_last"]["value"] == SPOT[2024] and facts["disaster_period"]["value"] == per_year.sum()
    assert facts["disaster_peak_year"]["value"] == per_year.idxmax() and facts["n_years"]["value"] == 17
    assert facts["displacement_last_year"]["value"] == 2024 and facts["hazard_types_shown"]["value"] == 5
    weather = ev[(ev["year"] <= 2024) & (ev["hazard_category"] == "Weather related")].groupby("year")["displacements"].sum()
    assert facts["weather_share_max"]["value"] == pytest.approx((100 * weather / per_year).max())
    by_type = ev[ev["year"] <= 2024].groupby("hazard_type")["displacements"].sum().sort_values(ascending=False)
    assert facts["hazard_1"]["value"] == by_type.index[0].lower() and facts["hazard_top_last"]["value"] == "storm"
    assert facts["hazard_2_share"]["value"] == pytest.approx(100 * by_type.iloc[1] / per_year.sum())
    for spec in (climate.hazard_types_figure(2024), climate.weather_share_figure(2024)):
        assert cited(spec, set(facts))


def test_country_conflict_and_region_facts_and_their_figures():
    facts = {s["name"]: s for part in (climate.disaster_facts(2024), climate.country_facts(2024, S24, 10),
                                       climate.conflict_facts(2024, 2023), climate.region_facts(2024)) for s in part}
    c = climate.by_country(2024, S24)
    assert facts["top_1"]["value"] == "the United States of America" and facts["top_1_value"]["value"] == c.iloc[0]["displacements"]
    assert facts["map_big_n"]["value"] == (c["displacements"] >= 1e6).sum()
    assert facts["map_big_asia"]["value"] == ((c["displacements"] >= 1e6) & (c["region"] == "Asia")).sum()
    assert facts["rel_1"]["value"] == "Mayotte" and facts["population_year"]["value"] == 2024
    assert (facts["dc_run_1_first"]["value"], facts["dc_run_1_last"]["value"], facts["dc_run_2_first"]["value"]) == \
        (2008, 2022, 2023)
    assert (facts["dc_no_conflict_year_1"]["value"], facts["dc_no_conflict_year_2"]["value"]) == (2008, 2024)
    assert "dc_no_conflict_year_3" not in facts and facts["dc_last_year"]["value"] == 2023
    assert facts["no_region_areas"]["value"] == "Abyei Area, Kosovo (SCR 1244)"
    assert facts["region_top"]["value"] == "Asia" and facts["region_top"]["sources"] == [climate.IDMC, "unsd-m49"]
    for spec in (climate.top_countries_figure(2024, S24, 10), climate.relative_figure(2024, S24, 10),
                 climate.top_countries_table(2024, S24, 10), climate.disaster_conflict_figure(2024),
                 climate.regions_figure(2024), climate.map_figure(2024, S24)):
        assert cited(spec, set(facts))
