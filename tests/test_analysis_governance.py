"""Governance chapter: the milestones table and the UNHCR asylum-decision and solutions indicators, on real data."""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
import pyreadr
import pytest

from wmr.core import paths
from wmr.core.errors import LoaderError, ValidationError
from wmr.kernel import countries, pins, style
from wmr.kernel.analysis import governance
from wmr.kernel.sources import milestones

from .figure_texts import cited

GOOD = ("id,date,event,citation\n"
        "a,2005-10-05,First,Somewhere (2005)\n"
        "b,2006-09-14,Second,A/RES/58/208\n")


# ------------------------------------------------------------------------------------------- milestones

def test_milestones_load_validated_and_in_date_order():
    ms = milestones.load_milestones()
    assert list(ms.columns) == milestones.COLUMNS
    assert pd.api.types.is_datetime64_any_dtype(ms["date"])
    assert ms["date"].is_monotonic_increasing and ms["id"].is_unique
    assert (ms["citation"].str.len() > 20).all()
    assert ms["date"].min() == pd.Timestamp("2005-10-05")  # Global Commission on International Migration report
    assert ms["date"].max() == pd.Timestamp("2022-05-17")  # first International Migration Review Forum


def test_milestones_file_is_the_pinned_one():
    path = pins.resolve(milestones.SOURCE, milestones.FILE)
    assert path.resolve() == (paths.project_root() / "data" / "milestones.csv").resolve()


@pytest.mark.parametrize("ident, date, symbol", [
    ("new-york-declaration", "2016-09-19", "A/RES/71/1"),
    ("gcm-endorsed", "2018-12-19", "A/RES/73/195"),
    ("gcr-affirmed", "2018-12-17", "A/RES/73/151"),
    ("imrf-2022", "2022-05-17", "A/RES/76/266"),
])
def test_milestones_cite_the_resolutions(ident, date, symbol):
    row = milestones.milestone(milestones.load_milestones(), ident)
    assert row["date"] == pd.Timestamp(date)
    assert re.search(re.escape(symbol) + r"\b", row["citation"])


def test_milestones_parse_accepts_good_file(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(GOOD)
    df = milestones.parse(p)
    assert df["id"].tolist() == ["a", "b"] and df["date"].dt.year.tolist() == [2005, 2006]


@pytest.mark.parametrize("text, error", [
    (GOOD.replace("citation", "source"), LoaderError),             # wrong header
    (GOOD.replace("A/RES/58/208", ""), ValidationError),            # row without citation
    (GOOD.replace("2006-09-14", "14/09/2006"), ValidationError),    # not ISO
    (GOOD.replace("2006-09-14", "2006-02-30"), ValidationError),    # impossible date
    (GOOD.replace("2006-09-14", "2004-09-14"), ValidationError),    # out of order
    (GOOD.replace("b,2006", "a,2006"), ValidationError),            # duplicate id
])
def test_milestones_parse_rejects_bad_files(tmp_path, text, error):
    p = tmp_path / "m.csv"
    p.write_text(text)
    with pytest.raises(error):
        milestones.parse(p)


def test_milestone_lookup_unknown_id():
    with pytest.raises(LoaderError):
        milestones.milestone(milestones.load_milestones(), "no-such-event")


# ------------------------------------------------------------------------------------------- decisions

@lru_cache(maxsize=1)
def _raw_decisions() -> pd.DataFrame:
    """The decisions R object read directly, without the loader (an independent path to the same numbers)."""
    return pyreadr.read_r(pins.resolve("unhcr-population", "asylum_decisions.rda"))["asylum_decisions"]


def test_total_recognition_rate_matches_direct_computation():
    raw = _raw_decisions()
    for year in (2010, 2022):
        r = raw[(raw["year"] == year) & (raw["dec_pc"] == "P")]
        pos = r["dec_recognized"].sum() + r["dec_other"].sum()
        expected = 100 * pos / (pos + r["dec_rejected"].sum())
        row = governance.decisions_by_year(2000, 2025).set_index("year").loc[year]
        assert row["trr_pct"] == pytest.approx(expected)
        assert row["substantive"] == pytest.approx(pos + r["dec_rejected"].sum())


def test_decisions_by_year_spot_values_and_invariants():
    dec = governance.decisions_by_year(2000, 2022)
    assert dec["year"].tolist() == list(range(2000, 2023))
    row = dec.set_index("year").loc[2022]
    assert row["recognized"] == 533_725 and row["complementary"] == 181_125 and row["rejected"] == 573_680
    assert row["trr_pct"] == pytest.approx(55.48, abs=0.01)
    assert (dec["refugee_status_pct"] <= dec["trr_pct"]).all()
    assert dec["trr_pct"].between(0, 100).all()


def test_case_share_small_in_recent_years():
    assert 0 < governance.case_share(2022) < 2
    raw = _raw_decisions()
    r = raw[raw["year"] == 2022]
    sub = r[["dec_recognized", "dec_other", "dec_rejected"]].sum(axis=1)
    assert governance.case_share(2022) == pytest.approx(100 * sub[r["dec_pc"] == "C"].sum() / sub.sum())


def test_origins_sum_to_world_except_unknown_origin():
    year = 2022
    world = governance.decisions_by_year(year, year).iloc[0]
    by = governance.by_origin(year)
    raw = _raw_decisions()
    unk = raw[(raw["year"] == year) & (raw["dec_pc"] == "P") & raw["coo_iso"].isin(governance.UNKNOWN_ORIGINS)]
    unk_sub = unk[["dec_recognized", "dec_other", "dec_rejected"]].to_numpy().sum()
    assert by["substantive"].sum() + unk_sub == pytest.approx(world["substantive"])
    assert not by["iso3"].isin(governance.UNKNOWN_ORIGINS).any()
    assert (by["country"] != "").all()


def test_top_origins_2022():
    top = governance.top_origins(2022, 5)
    assert top["iso3"].tolist() == ["AFG", "SYR", "UKR", "VEN", "IRQ"]
    assert top["rank"].tolist() == [1, 2, 3, 4, 5]
    assert top["substantive"].is_monotonic_decreasing
    afg = top.iloc[0]
    assert afg["country"] == "Afghanistan" and afg["trr_pct"] == pytest.approx(100 * 109_530 / 125_342)


def test_origin_rates_blank_below_threshold():
    rates = governance.origin_rates(["UKR", "VEN"], 2000, 2022)
    assert list(rates.columns) == ["year", "UKR", "VEN"] and rates["year"].tolist() == list(range(2000, 2023))
    assert rates.set_index("year").loc[2022, "UKR"] == pytest.approx(100 * 111_996 / 113_474)
    raw = _raw_decisions()
    ven = raw[(raw["coo_iso"] == "VEN") & (raw["dec_pc"] == "P")]
    sub = ven.groupby("year")[["dec_recognized", "dec_other", "dec_rejected"]].sum().sum(axis=1)
    few = [int(y) for y, v in sub.items() if v < governance.MIN_DECISIONS and 2000 <= y <= 2022]
    enough = [int(y) for y, v in sub.items() if v >= governance.MIN_DECISIONS and 2000 <= y <= 2022]
    assert 2000 in few and 2004 in enough
    assert rates.set_index("year").loc[few, "VEN"].isna().all()
    assert rates.set_index("year").loc[enough, "VEN"].notna().all()


# ------------------------------------------------------------------------------------------- solutions

def test_solutions_spot_values():
    sol = governance.solutions_by_year(2000, 2025).set_index("year")
    assert sol.loc[2022, "resettlement"] == 114_242  # UNHCR Global Trends 2022: 114,300 resettled
    assert sol.loc[2020, "resettlement"] == sol["resettlement"].min()  # COVID-19 low
    raw = pyreadr.read_r(pins.resolve("unhcr-population", "solutions.rda"))["solutions"]
    assert sol.loc[2024, "returned_refugees"] == raw.loc[raw["year"] == 2024, "returned_refugees"].sum()


def test_resettlement_countries_2022():
    res = governance.resettlement_countries(2022, 2022, 3)
    assert res["iso3"].tolist() == ["CAN", "USA", "AUS"]
    assert res["resettled"].tolist() == [47_550, 28_945, 17_325]
    assert res.iloc[0]["share_pct"] == pytest.approx(100 * 47_550 / 114_242)
    full = governance.resettlement_countries(2019, 2025, 500)
    assert full["share_pct"].sum() == pytest.approx(100)


# ------------------------------------------------------------------------------------------- the chapter's facts and figures

def _by_year_raw(last: int) -> pd.DataFrame:
    """Decisions in persons by year from the R object directly, with the total recognition rate."""
    raw = _raw_decisions()
    r = raw[(raw["dec_pc"] == "P") & raw["year"].between(governance.FIRST_YEAR, last)]
    g = r.groupby("year")[["dec_recognized", "dec_other", "dec_rejected", "dec_closed"]].sum()
    g["trr"] = 100 * (g["dec_recognized"] + g["dec_other"]) / g[["dec_recognized", "dec_other", "dec_rejected"]].sum(axis=1)
    return g


def test_milestone_facts_and_timeline_text_come_from_the_table():
    csv = pd.read_csv(pins.resolve(milestones.SOURCE, milestones.FILE), parse_dates=["date"])
    facts = {s["name"]: s for s in governance.milestone_facts()}
    assert facts["date_gcm_endorsed"]["value"] == "19 December 2018" and facts["date_gcm_endorsed"]["year"] == 2018
    assert facts["milestones_n"]["value"] == len(csv)
    assert facts["milestones_span"]["value"] == csv["date"].dt.year.max() - csv["date"].dt.year.min()
    assert all(s["sources"] == [milestones.SOURCE] for s in facts.values())
    spec = governance.milestones_figure()
    style.close(spec["fig"])
    busiest_month = csv["date"].dt.to_period("M").value_counts().idxmax()      # December 2018: three events
    assert facts["milestones_cluster_month"]["value"] == busiest_month.strftime("%B %Y")
    assert facts["milestones_cluster_year"]["value"] == 2016 and facts["milestones_first_year"]["value"] == 2005
    assert "the events cluster in {fact}`milestones_cluster_year` and in {fact}`milestones_cluster_month`," in spec["alt"]
    assert cited(spec, set(facts))
    assert spec["title"].endswith(f"{csv['date'].min().year}–{csv['date'].max().year}")
    table = governance.milestones_table(spec["data"])["df"]
    assert list(table.columns) == ["Date", "Event", "Documented in"] and len(table) == len(csv)


@pytest.mark.parametrize("last", [2022, 2025])
def test_decision_facts_match_the_raw_decisions(last):
    g = _by_year_raw(last)
    facts = {s["name"]: s for s in governance.decision_facts(last)}
    assert facts["trr_first"]["value"] == pytest.approx(g["trr"].iloc[0]) and facts["trr_first"]["year"] == 2000
    assert facts["trr_last"]["value"] == pytest.approx(g["trr"].iloc[-1]) and facts["trr_last"]["year"] == last
    assert facts["trr_peak_year"]["value"] == g["trr"].idxmax() and facts["trr_low_year"]["value"] == g["trr"].idxmin()
    assert facts["closed_last"]["value"] == g["dec_closed"].iloc[-1]
    assert all(s["sources"] == [governance.SOURCE] for s in facts.values())
    assert facts["decisions_last_year"]["value"] == last
    spec = governance.recognition_rate_figure(last)
    assert cited(spec, set(facts)) == ["trr_first", "decisions_first_year", "trr_peak", "trr_peak_year", "trr_last",
                                       "decisions_last_year"]
    assert cited(governance.decisions_figure(last), set(facts))
    assert spec["fig"].axes[0].get_ylim() == pytest.approx((0, 1.3 * g["trr"].max()))   # room for the legend
    style.close(spec["fig"])


def test_origin_facts_and_trend_with_gaps():
    raw = _raw_decisions()
    r = raw[(raw["year"] == 2022) & (raw["dec_pc"] == "P") & ~raw["coo_iso"].isin(governance.UNKNOWN_ORIGINS)]
    sub = r.groupby("coo_iso")[["dec_recognized", "dec_other", "dec_rejected"]].sum().sum(axis=1).sort_values(ascending=False)
    facts = {s["name"]: s for s in governance.origin_facts(2022, 10, 5)}
    assert facts["origin_first"]["value"] == "Afghanistan" and facts["origin_first_decisions"]["value"] == sub.iloc[0]
    world = _by_year_raw(2022).loc[2022, ["dec_recognized", "dec_other", "dec_rejected"]].sum()
    assert facts["origins_top_share"]["value"] == pytest.approx(100 * sub.iloc[:10].sum() / world)
    spec = governance.origins_figure(2022, 10, 5)
    ax = spec["fig"].axes[0]
    codes = ["AFG", "SYR", "UKR", "VEN", "IRQ"]                 # the five largest origins of 2022, in order
    assert list(sub.index[:5]) == codes
    assert list(spec["data"].columns) == ["year", *(countries.name(c) for c in codes)]
    rates = governance.origin_rates(codes, 2000, 2022)
    for line, code in zip(ax.lines, rates.columns[1:]):       # a year left out is a gap, not a bridged line
        assert np.isnan(np.asarray(line.get_ydata(), dtype=float)).sum() == rates[code].isna().sum()
    assert list(ax.get_yticks()) == [0, 20, 40, 60, 80, 100]
    assert "fewer than {fact}`min_decisions` substantive decisions" in spec["caption"]
    others = governance.top_origins(2022, 5)["trr_pct"].iloc[1:]     # the other origins drawn
    assert (facts["origins_shown_low_trr"]["value"], facts["origins_shown_high_trr"]["value"]) == (others.min(), others.max())
    assert cited(spec, set(facts) | {"decisions_last_year"})
    style.close(spec["fig"])
    table = governance.origins_table(2022, 10)["df"]
    assert len(table) == 10 and table["Substantive decisions"].tolist() == sub.iloc[:10].tolist()


def test_solution_and_resettlement_facts_match_the_raw_solutions():
    raw = pyreadr.read_r(pins.resolve("unhcr-population", "solutions.rda"))["solutions"]
    s = raw[raw["year"].between(2000, 2025)].groupby("year")[["returned_refugees", "resettlement"]].sum()
    facts = {x["name"]: x for x in governance.solution_facts(2025)}
    assert facts["returns_peak_year"]["value"] == s["returned_refugees"].idxmax()
    assert facts["resettlement_low_year"]["value"] == s["resettlement"].idxmin() == 2020
    assert facts["resettlement_last"]["value"] == s.loc[2025, "resettlement"]
    res = {x["name"]: x for x in governance.resettlement_country_facts(2025, 10)}
    assert res["compact_first_year"]["value"] == 2019 and res["compact_first_year"]["sources"] == [milestones.SOURCE]
    assert res["resettled_since_compact"]["value"] == s.loc[2019:2025, "resettlement"].sum()
    by = raw[raw["year"].between(2019, 2025)].groupby("coa_iso")["resettlement"].sum().sort_values(ascending=False)
    assert res["resettlement_top_share"]["value"] == pytest.approx(100 * by.iloc[0] / by.sum())
    assert facts["solutions_last_year"]["value"] == 2025
    assert res["resettlement_top_resettled"]["value"] == by.iloc[0]
    names = set(facts) | set(res)
    spec = governance.resettlement_figure(2025)
    assert "peaked at {fact}`resettlement_peak` in {fact}`resettlement_peak_year`" in spec["alt"]
    for spec in (spec, governance.returns_figure(2025), governance.resettlement_countries_figure(2025, 10)):
        assert cited(spec, names)
