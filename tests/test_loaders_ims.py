"""UN DESA International Migrant Stock loaders, on the real pinned files (spot values from source.toml)."""
from __future__ import annotations

import pandas as pd
import pytest

from wmr.core.errors import ConfigError, LoaderError, ValidationError
from wmr.kernel import pins
from wmr.kernel.sources import ims
from wmr.kernel.validate import check_unique

B2024, B2020, B2019 = "undesa-ims-2024-bilateral", "undesa-ims-2020-bilateral", "undesa-ims-2019-bilateral"


@pytest.fixture(scope="module")
def bi2024() -> pd.DataFrame:
    return ims.load_bilateral(B2024)


@pytest.fixture(scope="module")
def bi2020() -> pd.DataFrame:
    return ims.load_bilateral(B2020)


@pytest.fixture(scope="module")
def bi2019() -> pd.DataFrame:
    return ims.load_bilateral_2019()


@pytest.fixture(scope="module")
def dest2020() -> pd.DataFrame:
    return ims.load_destination_2020()


@pytest.fixture(scope="module")
def total2019() -> pd.DataFrame:
    return ims.load_total_2019()


def _value(df: pd.DataFrame, column: str, **where) -> float:
    sel = df
    for key, val in where.items():
        sel = sel[sel[key] == val]
    assert len(sel) == 1, f"{where} selects {len(sel)} rows"
    return sel[column].iloc[0]


# ------------------------------------------------------------------------------------------- bilateral

def test_bilateral_2024_schema_and_world_totals(bi2024):
    assert list(bi2024.columns) == list(ims.BILATERAL_COLUMNS)
    assert len(bi2024) == 153_296
    assert set(bi2024["sex"].unique()) == {"female", "male"}
    totals = bi2024.groupby("year")["migrants"].sum().to_dict()
    assert totals == {1990: 153_916_063, 1995: 163_176_002, 2000: 174_566_152, 2005: 192_788_721,
                      2010: 221_020_392, 2015: 250_042_020, 2020: 275_284_032, 2024: 304_021_813}
    assert int((bi2024["migrants"] == 0).sum()) == 14_925
    assert bi2024["imputed"].any() and not bi2024["imputed"].all()


def test_world_totals_2024_by_sex():
    w = ims.world_totals(B2024).set_index("year")
    assert w.loc[2024, "total"] == 304_021_813
    assert w.loc[2024, "female"] == 146_012_018
    assert w.loc[2024, "male"] == 158_009_795
    assert w.loc[2024, "female_share_pct"] == pytest.approx(48.03, abs=0.005)


def test_stock_by_destination_and_origin_2024():
    dest = ims.stock_by_destination(B2024, 2024).set_index("dest_iso3")["migrants"]
    assert dest["USA"] == 52_375_047
    assert dest.nlargest(10).to_dict() == {
        "USA": 52_375_047, "DEU": 16_750_084, "SAU": 13_683_841, "GBR": 11_845_479, "FRA": 9_186_757,
        "ESP": 8_870_527, "CAN": 8_805_839, "ARE": 8_157_000, "AUS": 8_111_404, "RUS": 7_605_774}
    origin = ims.stock_by_origin(B2024, 2024).set_index("origin_iso3")["migrants"]
    assert origin["IND"] == 18_533_845 and origin["CHN"] == 11_701_619 and origin["MEX"] == 11_596_529
    assert origin[ims.UNKNOWN_ORIGIN] == 22_065_614
    assert origin.sum() == dest.sum() == 304_021_813


def test_corridor_mex_usa(bi2024, bi2020):
    for df, year, expected in [(bi2024, 2024, 11_279_561), (bi2020, 2020, 10_853_105)]:
        sel = df[(df["year"] == year) & (df["dest_iso3"] == "USA") & (df["origin_iso3"] == "MEX")]
        assert len(sel) == 2 and sel["migrants"].sum() == expected


def test_bilateral_2020_matches_its_edition(bi2020):
    assert len(bi2020) == 170_618
    w = ims.world_totals(B2020).set_index("year")
    assert w["total"].to_dict() == {1990: 152_986_157, 1995: 161_289_976, 2000: 173_230_585, 2005: 191_446_828,
                                    2010: 220_983_187, 2015: 247_958_644, 2020: 280_598_105}
    assert (w.loc[2020, "male"], w.loc[2020, "female"]) == (145_655_844, 134_942_261)
    assert ims.stock_by_destination(B2020, 2020).set_index("dest_iso3").loc["USA", "migrants"] == 50_632_836


def test_bilateral_codes_beyond_m49_are_kept_and_reported(bi2024, bi2020):
    assert ims.unknown_codes(bi2024) == {"TWN", "XCX"}
    assert ims.unknown_codes(bi2020) == {"XCX"}
    assert "TWN" in bi2024["dest_iso3"].unique()
    assert ims.UNKNOWN_ORIGIN not in ims.unknown_codes(bi2024)


def test_bilateral_2019_corridor_and_dropped_aggregates(bi2019):
    assert list(bi2019.columns) == list(ims.BILATERAL_2019_COLUMNS)
    sel = bi2019[(bi2019["year"] == 2019) & (bi2019["dest_iso3"] == "USA") & (bi2019["origin_iso3"] == "MEX")]
    assert sel["migrants"].tolist() == [11_489_684]
    assert bi2019.groupby("year")["dest_iso3"].nunique().eq(232).all()
    assert ims.unknown_codes(bi2019) == {"XCX"}  # Channel Islands, mapped via UN code 830
    # The raw CSV's 2019 cells sum to 270,048,342 (source.toml), which includes five sub-regional total
    # rows; the loader drops those rows, so the country rows sum to the rest.
    raw = pd.read_csv(pins.resolve(B2019, ims.FILE_2019_BILATERAL), na_values=["..", "-"])
    raw19 = raw[raw["Year"] == 2019].set_index("Dest").drop(columns="Year")
    assert raw19.to_numpy(na_value=0).sum() == 270_048_342
    subregions = ["Caribbean", "Melanesia", "Micronesia", "Polynesia", "South America"]
    dropped = raw19.loc[subregions].to_numpy(na_value=0).sum()
    assert bi2019.loc[bi2019["year"] == 2019, "migrants"].sum() == 270_048_342 - dropped == 260_283_744


def test_bilateral_2019_summaries():
    dest = ims.stock_by_destination(B2019, 2019).set_index("dest_iso3")["migrants"]
    assert dest["USA"] < 50_661_149  # below the UN total: the CSV has no unknown-origin columns
    with pytest.raises(ConfigError):
        ims.world_totals(B2019)


def test_bad_parameters_are_config_errors():
    with pytest.raises(ConfigError, match="2019"):
        ims.load_bilateral(B2019)
    with pytest.raises(ConfigError):
        ims.stock_by_origin("undesa-ims-2020")
    with pytest.raises(ConfigError) as exc:
        ims.stock_by_destination(B2024, 2019)
    assert "2024" in str(exc.value)  # lists the valid years


# ------------------------------------------------------------------------------------------- workbooks

def test_destination_2020_schema_and_kinds(dest2020):
    assert list(dest2020.columns) == list(ims.DESTINATION_COLUMNS)
    kinds = dest2020.drop_duplicates(["m49", "kind"])["kind"].value_counts().to_dict()
    assert kinds == {"world": 1, "sdg_region": 8, "development_group": 7, "income_group": 5, "region": 6,
                     "subregion": 21, "country": 235}
    assert len(dest2020) == 283 * 7 * 3
    regions = dest2020.loc[dest2020["kind"] == "region", "name"].unique().tolist()
    assert regions == ["AFRICA", "ASIA", "EUROPE", "LATIN AMERICA AND THE CARIBBEAN", "NORTHERN AMERICA", "OCEANIA"]
    assert (dest2020.loc[dest2020["kind"] != "country", "iso3"] == "").all()
    assert (dest2020.loc[dest2020["kind"] == "country", "iso3"] != "").all()
    assert ims.unknown_codes(dest2020) == {"TWN", "XCX"}


def test_destination_2020_spot_values(dest2020):
    world = dest2020[dest2020["kind"] == "world"]
    tot = world[world["sex"] == "total"].set_index("year")
    assert tot["migrants"].to_dict() == {1990: 152_986_157, 1995: 161_289_976, 2000: 173_230_585,
                                         2005: 191_446_828, 2010: 220_983_187, 2015: 247_958_644, 2020: 280_598_105}
    assert _value(world, "migrants", year=2020, sex="male") == 145_655_844
    assert _value(world, "migrants", year=2020, sex="female") == 134_942_261
    assert tot.loc[2020, "population"] == pytest.approx(7_794_798_729, abs=1)
    assert tot.loc[2020, "migrant_share_pct"] == pytest.approx(3.5998, abs=1e-4)
    assert tot.loc[1990, "migrant_share_pct"] == pytest.approx(2.8718, abs=1e-4)
    assert tot.loc[2020, "female_share_pct"] == pytest.approx(48.09, abs=0.005)
    assert tot.loc[2020, "refugees"] == 33_807_795
    assert world.loc[world["sex"] != "total", ["female_share_pct", "refugees"]].isna().all().all()
    sdg = dest2020[(dest2020["kind"] == "sdg_region") & (dest2020["year"] == 2020) & (dest2020["sex"] == "total")]
    assert sdg.set_index("name")["migrants"].to_dict() == {
        "Sub-Saharan Africa": 22_221_538, "Northern Africa and Western Asia": 49_767_746,
        "Central and Southern Asia": 19_427_576, "Eastern and South-Eastern Asia": 19_591_106,
        "Latin America and the Caribbean": 14_794_623, "Oceania (excluding Australia and New Zealand)": 313_069,
        "Australia and New Zealand": 9_067_584, "Europe and Northern America": 145_414_863}
    countries = dest2020[(dest2020["kind"] == "country") & (dest2020["year"] == 2020) & (dest2020["sex"] == "total")]
    c = countries.set_index("iso3")
    assert c.loc["USA", "name"] == "United States of America"  # '*' and spaces stripped
    assert c.loc[["USA", "DEU", "SAU", "RUS", "IND"], "migrants"].tolist() == [
        50_632_836, 15_762_457, 13_454_842, 11_636_911, 4_878_704]
    assert c.loc["ARE", "migrant_share_pct"] == pytest.approx(88.13, abs=0.005)
    assert pd.isna(c.loc["TWN", "migrants"]) and c.loc["TWN", "population"] > 20e6


def test_destination_2020_agrees_with_bilateral_2020(dest2020):
    countries = dest2020[(dest2020["kind"] == "country") & (dest2020["sex"] == "total")].dropna(subset=["migrants"])
    bilateral = ims.stock_by_destination(B2020)
    merged = countries.merge(bilateral, left_on=["iso3", "year"], right_on=["dest_iso3", "year"],
                             how="outer", suffixes=("_wb", "_bi"), indicator=True)
    # Where the workbook has '..' (CUW, SXM, MNE, SSD before they existed) the bilateral file has zeros.
    only_bilateral = merged[merged["_merge"] != "both"]
    assert set(only_bilateral["_merge"]) == {"right_only"} and (only_bilateral["migrants_bi"] == 0).all()
    assert set(only_bilateral["dest_iso3"]) == {"CUW", "SXM", "MNE", "SSD"}
    both = merged[merged["_merge"] == "both"]
    assert len(both) > 1600 and (both["migrants_wb"] == both["migrants_bi"]).all()


def test_total_2019_spot_values(total2019):
    assert list(total2019.columns) == list(ims.TOTAL_2019_COLUMNS)
    kinds = total2019.drop_duplicates(["m49", "kind"])["kind"].value_counts().to_dict()
    assert kinds == {"world": 1, "development_group": 4, "income_group": 6, "region": 6, "sdg_region": 7,
                     "subregion": 23, "country": 232}
    world = total2019[total2019["kind"] == "world"]
    tot = world[world["sex"] == "total"].set_index("year")
    assert tot["migrants"][[1990, 2000, 2010, 2015, 2019]].tolist() == [
        153_011_473, 173_588_441, 220_781_909, 248_861_296, 271_642_105]
    assert _value(world, "migrants", year=2019, sex="male") == 141_488_004
    assert _value(world, "migrants", year=2019, sex="female") == 130_154_101
    assert tot.loc[2019, "population"] == pytest.approx(7_713_468_100, abs=1)
    c = total2019[(total2019["kind"] == "country") & (total2019["year"] == 2019) & (total2019["sex"] == "total")]
    c = c.set_index("iso3")
    assert c.loc["USA", "income_group"] == "High-income" and c.loc["BDI", "income_group"] == "Low-income"
    assert c["income_group"].value_counts().sum() == 232
    assert (total2019.loc[total2019["kind"] != "country", "income_group"] == "").all()
    sdg = total2019.loc[total2019["kind"] == "sdg_region", "name"].unique().tolist()
    assert "EUROPE AND NORTHERN AMERICA" in sdg and "EUROPE" not in sdg and "OCEANIA" in sdg


# ------------------------------------------------------------------------------------------- rules and errors

def test_kinds_2020_rules():
    rows = pd.DataFrame({
        "name": ["WORLD", "Sub-Saharan Africa", "Developed regions", "Land-locked Developing Countries (LLDC)",
                 "High-income countries", "AFRICA", "Eastern Africa", "Burundi", "China, Taiwan Province of China"],
        "m49": [900, 947, 901, 1636, 1503, 903, 910, 108, 158],
        "type": ["", "", "", "", "", "", "", "B R", ""]})
    assert ims._kinds_2020(rows) == ["world", "sdg_region", "development_group", "development_group",
                                     "income_group", "region", "subregion", "country", "country"]
    rows.loc[1, "type"] = "B"
    with pytest.raises(LoaderError, match="Type of data"):
        ims._kinds_2020(rows)


def test_kinds_2019_rules():
    rows = pd.DataFrame({
        "name": ["WORLD", "UN development groups", "More developed regions", "World Bank income groups",
                 "High-income countries", "Geographic regions", "Africa",
                 "Sustainable Development Goal (SDG) regions", "EUROPE AND NORTHERN AMERICA", "EUROPE",
                 "Eastern Europe", "Belarus", "NORTHERN AMERICA", "OCEANIA"],
        "m49": [900, None, 901, None, 1503, None, 903, None, 1829, 917, 923, 112, 918, 909]})
    assert ims._kinds_2019(rows) == ["world", "label", "development_group", "label", "income_group", "label",
                                     "region", "label", "sdg_region", "subregion", "subregion", "country",
                                     "subregion", "sdg_region"]
    rows.loc[1, "name"] = "Something else"
    with pytest.raises(LoaderError, match="Unknown section label"):
        ims._kinds_2019(rows)


def test_text_in_year_column_is_a_loader_error():
    sheet = pd.DataFrame({"name": ["WORLD"], 1990: ["n/a"]})
    with pytest.raises(LoaderError, match="holds text"):
        ims._long(sheet, "Table 1", "migrants")


def test_unmappable_2019_name_with_data_is_a_loader_error(tmp_path, monkeypatch):
    csv = tmp_path / "bilateral.csv"
    csv.write_text("Year,Dest,Mexico,Atlantis\n2019,United States of America,5,..\n2019,Atlantis,1,2\n",
                   encoding="utf-8")
    monkeypatch.setattr(ims, "_names_to_iso3", lambda _: ({"Mexico": "MEX", "United States of America": "USA"}, set()))
    with pytest.raises(LoaderError) as exc:
        ims._parse_bilateral_2019(csv, tmp_path, tmp_path)
    assert "Atlantis" in str(exc.value)
    # A name without any data is dropped instead.
    csv.write_text("Year,Dest,Mexico,Atlantis\n2019,United States of America,5,..\n", encoding="utf-8")
    out = ims._parse_bilateral_2019(csv, tmp_path, tmp_path)
    assert out.to_dict("records") == [{"year": 2019, "dest_iso3": "USA", "origin_iso3": "MEX", "migrants": 5}]


def test_validation_errors_fire(bi2020):
    sample = bi2020.head(5)
    with pytest.raises(ValidationError, match="duplicate"):
        check_unique(pd.concat([sample, sample.head(1)]), "t", ["year", "dest_iso3", "origin_iso3", "sex"])
    bad = sample.assign(dest_iso3=["ZZZ"] * 5)
    assert ims.unknown_codes(bad) == {"ZZZ"}
    with pytest.raises(ValidationError, match="ZZZ"):
        ims._report_codes(bad, "t")
    with pytest.raises(ValidationError, match="malformed"):
        ims.unknown_codes(sample.assign(origin_iso3=["mex"] * 5))
