"""Human security indicators on the real pinned data (spot values from the sources' source.toml files,
or recomputed here in a different way from the raw loader tables)."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from wmr.kernel.analysis import security
from wmr.kernel.sources import missing_migrants, unhcr

from .figure_texts import cited


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return missing_migrants.load_incidents()


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return unhcr.load_population()


# ------------------------------------------------------------------------------ Missing Migrants

def test_mmp_by_year_spot_values():
    years = security.mmp_by_year(2014, 2024).set_index("year")
    # source.toml spot values (2020 includes the 13 undated incidents, see the loader docstring)
    assert years.loc[2014, "dead_and_missing"] == 5_441
    assert years.loc[2023, "dead_and_missing"] == 8_747
    assert years.loc[2024, "dead_and_missing"] == 9_002
    assert years.loc[2020, "dead_and_missing"] == 4_327
    assert list(years.index) == list(range(2014, 2025))  # stops at the requested year: 2025 is partial


def test_mmp_by_year_stops_at_vintage():
    years = security.mmp_by_year(2014, 2022)
    assert years["year"].max() == 2022
    assert years["dead_and_missing"].sum() == 55_305  # 5441+6961+8249+6400+5016+5430+4327+6276+7205


def test_mmp_sex_and_children_only_where_recorded(incidents):
    got = security.mmp_sex_age_total(2014, 2024)
    df = incidents[incidents["year"].between(2014, 2024)]
    # recompute: incidents with any sex count whose female + male counts do not exceed the dead and missing
    ok = [(f if f == f else 0) + (m if m == m else 0) <= dm and (f == f or m == m)
          for f, m, dm in zip(df["females"], df["males"], df["dead_and_missing"])]
    sub = df[ok]
    females, males = sub["females"].sum(), sub["males"].sum()
    assert got["females"] == females and got["males"] == males
    assert got["sex_recorded"] == females + males
    assert got["female_share_pct"] == pytest.approx(100 * females / (females + males))
    assert got["sex_coverage_pct"] == pytest.approx(100 * (females + males) / df["dead_and_missing"].sum())
    assert 20 < got["female_share_pct"] < 30 and 30 < got["sex_coverage_pct"] < 45
    kids = df.loc[df["children"] <= df["dead_and_missing"], "children"].sum()
    assert got["children"] == kids
    assert got["excluded_incidents"] == 43  # sex or child counts above the dead and missing (survivors counted)


def test_mmp_by_year_parts_match_total():
    years = security.mmp_by_year(2014, 2024)
    total = security.mmp_sex_age_total(2014, 2024)
    for col in ("dead_and_missing", "sex_recorded", "females", "males", "children", "excluded_incidents"):
        assert years[col].sum() == total[col]
    assert (years["sex_recorded"] == years["females"] + years["males"]).all()
    assert (years["sex_coverage_pct"] <= 100).all() and (years["female_share_pct"] <= 100).all()


def test_mmp_regions_sum_to_year_totals():
    wide = security.mmp_by_region(2014, 2024, 6)
    years = security.mmp_by_year(2014, 2024)
    parts = wide.drop(columns="year").sum(axis=1)
    assert parts.tolist() == years["dead_and_missing"].tolist()
    assert list(wide.columns)[1] == "Mediterranean" and list(wide.columns)[-1] == security.OTHER_REGIONS
    assert len(wide.columns) == 1 + 6 + 1


def test_mmp_region_totals_spot_value():
    regions = security.mmp_region_totals(2014, 2025).set_index("region")
    assert regions.loc["Mediterranean", "dead_and_missing"] == 31_827  # source.toml, all years
    assert regions["share_pct"].sum() == pytest.approx(100)


def test_mmp_routes_spot_value(incidents):
    r2023 = security.mmp_routes(2023, 2023)
    assert (r2023.iloc[0]["route"], r2023.iloc[0]["dead_and_missing"]) == ("Central Mediterranean", 2_526)
    assert r2023["share_pct"].sum() == pytest.approx(100)
    unnamed = incidents.loc[incidents["year"].eq(2023) & incidents["route"].eq(""), "dead_and_missing"].sum()
    assert r2023.set_index("route").loc[security.NO_ROUTE, "dead_and_missing"] == unnamed


def test_mmp_causes_count_combined_causes_under_each(incidents):
    causes = security.mmp_causes(2014, 2025).set_index("cause")
    assert len(causes) == 7
    # source.toml gives the rows with a single cause; incidents with several causes count under each
    harsh = "Harsh environmental conditions / lack of adequate shelter, food, water"
    single = {"Drowning": 4_507, "Violence": 1_910, "Accidental death": 878, harsh: 2_380}
    for label, n in single.items():
        combined = (incidents["cause"].str.contains(label, regex=False) & incidents["cause"].ne(label)).sum()
        assert causes.loc[label, "incidents"] == n + combined
    assert causes.loc["Drowning", "incidents"] == 4_507 + 21  # 21 combined incidents include drowning
    single = incidents[incidents["cause"] == "Drowning"]["dead_and_missing"].sum()
    assert causes.loc["Drowning", "dead_and_missing"] >= single
    # combined causes make the parts exceed the total a little
    assert causes["dead_and_missing"].sum() > incidents["dead_and_missing"].sum()


# ------------------------------------------------------------------------------ UNHCR and IDMC

def test_country_label_for_codes_outside_m49():
    assert security.country_label("UNK") == "Unknown or various origins"
    assert security.country_label("XXA") == "Stateless"
    assert security.country_label("SYR") == "Syrian Arab Republic"


def test_top_countries_2022(population):
    orig = security.top_countries(2022, "origin", 10)
    asy = security.top_countries(2022, "asylum", 10)
    # UNHCR Global Trends 2022: Syria 6.5, Ukraine 5.7, Afghanistan 5.7 million refugees and OIP
    assert orig["iso3"].head(3).tolist() == ["SYR", "UKR", "AFG"]
    assert orig.iloc[0]["refugees_oip"] == 6_559_736
    assert asy.iloc[0]["iso3"] == "TUR"
    # the largest bilateral stock (source.toml) is part of Türkiye's total
    tur = population[(population["year"] == 2022) & (population["coa_iso"] == "TUR")]
    assert asy.iloc[0]["refugees"] == tur["refugees"].sum() >= 3_535_898
    assert list(orig["rank"]) == list(range(1, 11))
    assert orig["refugees_oip"].is_monotonic_decreasing
    world = security.refugees_oip_total(2022)
    assert world == 29_429_078 + 5_217_456  # refugees + oip, source.toml spot values
    assert orig["share_pct"].iloc[0] == pytest.approx(100 * 6_559_736 / world)


def test_displacement_series_stops_at_vintages():
    disp = security.displacement_series(2000, 2025, 2023).set_index("year")
    assert disp.index.min() == 2000 and disp.index.max() == 2025
    assert disp.loc[2022, "refugees"] == 29_429_078 and disp.loc[2022, "unrwa"] == 5_887_353
    assert disp.loc[2022, "conflict_idps"] == 62_479_565  # IDMC country-year file
    assert pd.isna(disp.loc[2024, "conflict_idps"])  # idp_year stops the IDMC series
    assert pd.isna(disp.loc[2010, "oip"]) and disp.loc[2022, "oip"] == 5_217_456
    assert pd.isna(disp.loc[2000, "conflict_idps"])  # IDMC figures start in 2008
    assert pd.isna(disp.loc[2008, "conflict_idps"])  # ... but the country-year file has no 2008 stocks
    assert disp.dropna(subset=["conflict_idps"]).index.min() == 2009
    old = security.displacement_series(2000, 2022, 2022)
    assert old["year"].max() == 2022


def test_solutions_series(population):
    sol = security.solutions_series(2000, 2022).set_index("year")
    raw = unhcr.load_solutions()
    assert sol.loc[2022, "resettlement"] == raw.loc[raw["year"] == 2022, "resettlement"].sum()
    # returns in the solutions table equal returns in the population table
    assert sol.loc[2022, "returned_refugees"] == population.loc[population["year"] == 2022, "returned_refugees"].sum()
    assert sol.index.max() == 2022 and len(sol) == 23


def test_record_phrases():
    sol = security.solutions_series(1959, 2025)
    assert security.last_year_at_least(sol, "returned_refugees", 2022) == 2005
    assert security.record("returned_refugees", 2022) == ("most_since", 2005)
    assert security.record("resettlement", 2025) == ("fewer_than", 2024)
    kind, start = security.record("returned_idps", 2025)
    assert kind == "first_in_records" and start == int(sol.dropna(subset=["returned_idps"])["year"].min())
    text = security.solutions_text(2025)
    assert "Resettlement was lower than in {fact}`resettlement_ref_year`." in text
    assert "{" + "resettlement}" not in text and not re.search(r"\d", re.sub(r"\{[a-z]+\}`[^`]*`", "", text))


# ------------------------------------------------------------------------------ the chapter's facts and figures

def test_mmp_facts_and_figures_cite_the_raw_incidents(incidents):
    raw = incidents[incidents["year"].between(2014, 2024)].groupby("year")["dead_and_missing"].agg(["sum", "size"])
    facts = {s["name"]: s for s in security.mmp_facts(2024)}
    assert facts["mmp_first_year"]["value"] == 2014 and facts["mmp_total_period"]["value"] == raw["sum"].sum()
    assert (facts["mmp_last"]["value"], facts["mmp_prev"]["value"], facts["mmp_prev"]["year"]) == (9_002, 8_747, 2023)
    assert facts["mmp_incidents_last"]["value"] == raw.loc[2024, "size"]
    assert facts["mmp_peak_year"]["value"] == raw["sum"].idxmax() and facts["mmp_low_year"]["value"] == 2020
    assert facts["mmp_daily_last"]["display"] == "25"                      # 9,002 / 365 = 24.7
    assert all(s["sources"] == [security.MMP] for s in facts.values())
    names = set(facts) | {s["name"] for s in security.sex_age_facts(2024)}
    for spec in (security.mmp_trend_figure(2024), security.women_children_figure(2024)):
        assert cited(spec, names)
    assert spec["title"].endswith("2014–2024")
    table = security.mmp_years_table(2024)["df"]
    assert table["Dead and missing"].tolist() == raw["sum"].tolist()


def test_region_route_and_cause_facts(incidents):
    df = incidents[incidents["year"].between(2014, 2024)]
    routes = df[df["route"] != ""].groupby("route")["dead_and_missing"].sum().sort_values(ascending=False)
    in_2024 = incidents[incidents["year"] == 2024].groupby("region")["dead_and_missing"].sum().sort_values()
    facts = {s["name"]: s for s in [*security.mmp_facts(2024), *security.region_facts(2024, 6),
                                    *security.route_facts(2024, 10), *security.cause_facts(2024)]}
    assert facts["region_1"]["value"] == "Mediterranean" and facts["top_regions"]["value"] == 6
    assert (facts["region_last_1"]["value"], facts["region_last_1_dead"]["value"]) == (in_2024.index[-1], in_2024.iloc[-1])
    assert [facts[f"route_{i}"]["value"] for i in (1, 2, 3)] == list(routes.index[:3])
    assert facts["route_1_dead"]["value"] == routes.iloc[0]
    unnamed = df.loc[df["route"] == "", "dead_and_missing"].sum()
    assert facts["no_route_share_pct"]["value"] == pytest.approx(100 * unnamed / df["dead_and_missing"].sum())
    assert facts["cause_1"]["value"] == "drowning" and facts["top_n"]["value"] == 10
    for spec in (security.regions_figure(2024, 6), security.routes_figure(2024, 10), security.causes_figure(2024)):
        assert cited(spec, set(facts))
    assert len(spec["data"]) == 7


def test_displacement_and_country_facts(population):
    facts = {s["name"]: s for s in [*security.displacement_facts(2000, 2025, 2023),
                                    *security.top_country_facts(2022, 10)]}
    disp = security.displacement_series(2000, 2025, 2023).set_index("year")
    assert facts["idps_first_year"]["value"] == 2009 and facts["idps_last_year"]["value"] == 2023
    assert facts["idps_to_refugees"]["value"] == pytest.approx(disp.loc[2023, "conflict_idps"] / disp.loc[2023, "refugees"])
    assert facts["refugees_multiple"]["display"] == f"{disp.loc[2025, 'refugees'] / disp.loc[2000, 'refugees']:.1f}"
    assert facts["refugees_last_year"]["value"] == 2025 and facts["oip_first_year"]["value"] == 2018
    assert facts["origin_1"]["value"] == "the Syrian Arab Republic" and facts["origin_1_people"]["value"] == 6_559_736
    assert facts["asylum_1"]["value"] == "Türkiye"
    assert cited(security.displacement_figure(2000, 2025, 2023), set(facts))
    for side in ("origin", "asylum"):
        spec = security.top_countries_figure(2022, side, 10)
        assert set(cited(spec, set(facts))) >= {f"{side}_{i}_people" for i in (1, 2, 3)}


def test_solution_facts_match_the_raw_solutions():
    raw = unhcr.load_solutions()
    s = raw[raw["year"].between(2000, 2025)].groupby("year")[security.SOLUTIONS].sum(min_count=1)
    facts = {x["name"]: x for x in [*security.displacement_facts(2000, 2025, 2023), *security.solution_facts(2000, 2025)]}
    assert facts["resettlement_last"]["value"] == s.loc[2025, "resettlement"]
    assert facts["resettlement_peak_year"]["value"] == s["resettlement"].idxmax()
    assert facts["resettlement_ref_year"]["value"] == 2024                  # lower than in 2024 (test_record_phrases)
    assert facts["solutions_years"]["value"] == 26
    assert facts["idp_returns_above_years"]["value"] == (s["returned_idps"] > s["returned_refugees"]).sum()
    for spec in (security.returns_figure(2000, 2025), security.resettlement_figure(2000, 2025)):
        assert cited(spec, set(facts))
