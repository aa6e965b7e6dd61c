"""IDMC (GIDD) and IOM Missing Migrants loaders, on the pinned workbooks (spot values from source.toml)."""
from __future__ import annotations

import pandas as pd
import pytest

from wmr.core.errors import LoaderError, ValidationError
from wmr.kernel.sources import idmc, missing_migrants

# ---------------------------------------------------------------------------------------------- IDMC

def test_idmc_country_year_spot_values():
    df = idmc.load_country_year()
    assert list(df.columns) == list(idmc.COUNTRY_YEAR_COLUMNS)
    y2022 = df[df["year"].eq(2022)]
    assert y2022["conflict_new"].sum() == 28_326_385
    assert y2022["disaster_new"].sum() == 32_562_165
    assert y2022["conflict_stock"].sum() == 62_479_565
    assert y2022["disaster_stock"].sum() == 8_660_169
    ukr = df.set_index(["iso3", "year"]).loc[("UKR", 2022)]
    assert ukr["conflict_new"] == 16_870_000
    assert (df["year"].min(), df["year"].max()) == (2008, 2022)
    assert df.loc[df["year"].lt(2019), "disaster_stock"].isna().all()  # disaster stocks start in 2019
    assert "AB9" in set(df["iso3"])  # Abyei kept


def test_idmc_sadd_estimates():
    df = idmc.load_sadd_estimates()
    assert set(df["year"]) == {2021, 2022}
    assert set(df["sex"]) == {"Female", "Male", "Both sexes"}
    assert {"0-4", "0-17", "65+"} <= set(df["age"])
    wide = df.pivot_table(index=["iso3", "year", "cause", "age"], columns="sex", values="idps")
    assert (wide["Female"] + wide["Male"] == wide["Both sexes"]).all()


def test_idmc_disaster_events_spot_values():
    df = idmc.load_disaster_events()
    assert len(df) == 22_119
    by_year = df.groupby("year")["displacements"].sum()
    assert by_year[2024] == 45_763_920
    assert by_year[2023] == 26_787_647
    assert by_year[2022] == 32_567_846
    hazards = df[df["year"].eq(2024)].groupby("hazard_type")["displacements"].sum()
    assert round(hazards["Storm"] / 1e6, 1) == 25.8 and round(hazards["Flood"] / 1e6, 1) == 18.5
    assert pd.api.types.is_datetime64_any_dtype(df["start_date"])
    assert df["event_id"].isna().any() and pd.api.types.is_integer_dtype(df["event_id"])


def test_idmc_disaggregated_2023_totals():
    df = idmc.load_disaggregated_2023()
    assert len(df) == 11_290 and set(df["year"]) == {2023}
    totals = df.groupby(["cause", "category"])["total_figures"].sum()
    assert totals[("Conflict", "Internal Displacements")] == 20_508_883
    assert totals[("Conflict", "IDPs")] == 68_281_190
    assert totals[("Disaster", "Internal Displacements")] == 26_790_940
    assert totals[("Disaster", "IDPs")] == 7_615_544
    assert df["iso3"].nunique() == 159
    assert (df.loc[df["cause"].eq("Conflict"), "hazard_type"] == "").all()


# ---------------------------------------------------------------------------------------------- MMP

@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return missing_migrants.load_incidents()


def test_mmp_yearly_totals(incidents):
    by_year = incidents.groupby("year")["dead_and_missing"].sum()
    expected = {2014: 5_441, 2015: 6_961, 2016: 8_249, 2017: 6_400, 2018: 5_016, 2019: 5_430, 2021: 6_276,
                2022: 7_205, 2023: 8_747, 2024: 9_002, 2025: 1_322}
    assert {y: by_year[y] for y in expected} == expected
    # 13 incidents without year or month (2020.MMP01xxx) get their year from the Main ID: 4,314 + 13
    assert by_year[2020] == 4_327
    with_month = incidents["month"].notna()
    assert (~with_month).sum() == 13
    assert incidents.loc[incidents["year"].eq(2020) & with_month, "dead_and_missing"].sum() == 4_314


def test_mmp_columns_and_quirks(incidents):
    assert list(incidents.columns) == list(missing_migrants.COLUMNS)
    assert len(incidents) == 19_255
    assert incidents["main_id"].str.fullmatch(r"\d{4}\.MMP\d+").all()  # byte-order marks removed
    assert incidents.groupby("region")["dead_and_missing"].sum().max() == 31_827
    route_2023 = incidents[incidents["year"].eq(2023)].groupby("route")["dead_and_missing"].sum()
    assert route_2023.idxmax() == "Central Mediterranean" and route_2023.max() == 2_526
    assert incidents["lat"].between(-90, 90).all() and incidents["lon"].between(-180, 180).all()
    row = incidents.set_index("main_id").loc["2014.MMP00001"]
    assert (row["lat"], row["lon"]) == (31.650259, -110.366453) and row["month"] == 1
    assert pd.isna(incidents.set_index("main_id").loc["2020.MMP01343", "date"])  # date '0'
    assert incidents["females"].isna().mean() > 0.5  # not recorded stays NaN


def test_mmp_cause_categories(incidents):
    cats = missing_migrants.cause_categories(incidents["cause"])
    assert cats.nunique() == 7
    assert "Harsh environmental conditions / lack of adequate shelter, food, water" in set(cats)
    assert len(cats) == len(incidents) + 30  # 29 combined rows, one of them with three causes
    fixture = pd.Series(["Drowning,Violence",
                         "Harsh environmental conditions / lack of adequate shelter, food, water,Mixed or unknown"])
    assert missing_migrants.cause_categories(fixture).tolist() == [
        "Drowning", "Violence", "Harsh environmental conditions / lack of adequate shelter, food, water",
        "Mixed or unknown"]


def test_mmp_missing_column_raises(tmp_path):
    path = tmp_path / "mmp.xlsx"
    pd.DataFrame({"Main ID": ["2014.MMP00001"], "Incident ID": ["2014.MMP00001"]}).to_excel(path, index=False)
    with pytest.raises(LoaderError, match="lacks columns"):
        missing_migrants._parse(path)


def test_idmc_undocumented_code_fails_validation():
    df = pd.DataFrame({"iso3": ["AFG", "QQQ"], "year": [2022, 2022], "value": [1.0, 2.0]})
    with pytest.raises(ValidationError, match="do not know"):
        idmc._check(df, "test", {"iso3": "str", "year": "int", "value": "float"}, ["iso3", "year"])
