"""Governance chapter: the milestones table and the UNHCR asylum-decision and solutions indicators, on real data."""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import pyreadr
import pytest

from wmr import paths, pins
from wmr.analysis import governance
from wmr.errors import LoaderError, ValidationError
from wmr.sources import milestones

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
