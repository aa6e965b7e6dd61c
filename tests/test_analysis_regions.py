"""Regional indicators on the real pins: totals add up to the world, coverage, spot values."""
from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from wmr.kernel.analysis import displacement
from wmr.kernel.analysis import regions as R
from wmr.kernel.sources import ims, m49
from wmr.kernel.sources import remittances as rem_src
from wmr.kernel.sources import unhcr

from .conftest import ROOT

BILATERAL = list(ims.BILATERAL)


def _years(source: str) -> list[int]:
    return sorted(int(y) for y in ims.load_bilateral(source)["year"].unique())


@pytest.mark.parametrize("source,year", [(s, y) for s in BILATERAL for y in _years(s)])
def test_six_regions_plus_unallocated_equal_world_total(source, year):
    world = ims.world_totals(source).set_index("year").loc[year, "total"]
    by_region = R.immigrants_by_region(source, year).set_index("region")["migrants"]
    assert list(by_region.index) == [*m49.WMR_REGIONS, R.UNALLOCATED]
    assert by_region.sum() == world
    # the unallocated remainder is exactly what lives in destinations M49 does not list (computed directly)
    raw = ims.load_bilateral(source)
    raw = raw[raw["year"] == year]
    outside = raw.loc[~raw["dest_iso3"].isin(set(ims.region_of())), "migrants"].sum()
    assert by_region[R.UNALLOCATED] == outside
    assert R.unallocated_stock(source, year)["immigrants"].sum() == outside


@pytest.mark.parametrize("source,year", [(s, y) for s in BILATERAL for y in _years(s)])
def test_emigrants_by_region_with_unallocated_and_unspecified_equal_world_total(source, year):
    world = ims.world_totals(source).set_index("year").loc[year, "total"]
    emi = R.emigrants_by_region(source, year).set_index("region")["migrants"]
    assert emi.sum() == world
    unknown = ims.stock_by_origin(source, year).set_index("origin_iso3").loc[ims.UNKNOWN_ORIGIN, "migrants"]
    assert emi[R.NOT_SPECIFIED] == unknown


@pytest.mark.parametrize("source,year", [("undesa-ims-2020-bilateral", 2020), ("undesa-ims-2024-bilateral", 2024)])
def test_six_regional_totals_equal_the_official_workbook_rows(source, year):
    """Independent check: UN DESA's own regional rows, with Taiwan in Asia and the Channel Islands in Europe."""
    wb = ims.destination_workbook(source)
    wb = wb[(wb["kind"] == "region") & (wb["sex"] == "total") & (wb["year"] == year)]
    un = dict(zip(wb["name"].str.upper(), wb["migrants"]))
    assert len(un) == 6
    ours = R.immigrants_by_region(source, year).set_index("region")["migrants"]
    for region in m49.WMR_REGIONS:
        assert ours[region] == un[region.upper()], region
    assert ours[R.UNALLOCATED] == 0


def test_taiwan_and_channel_islands_are_allocated_where_un_desa_puts_them():
    assert ims.region_of()["TWN"] == "Asia" and ims.region_of()["XCX"] == "Europe"
    assert "TWN" in set(R.members("Asia")["iso3"]) and "XCX" in set(R.members("Europe")["iso3"])
    assert R.unallocated_stock("undesa-ims-2024-bilateral", 2024).empty


def test_spot_values_2024_edition():
    s = "undesa-ims-2024-bilateral"
    # the 2024 workbook's regional rows (source.toml spot values)
    assert R.immigrants_by_region(s, 2024).set_index("region")["migrants"].to_dict() == {
        "Africa": 29_180_440, "Asia": 92_170_302, "Europe": 94_051_503, "Latin America and the Caribbean": 17_510_527,
        "Northern America": 61_207_877, "Oceania": 9_901_164, R.UNALLOCATED: 0}


def test_series_links_and_rankings_are_consistent():
    s, year = "undesa-ims-2020-bilateral", 2020
    for region in m49.WMR_REGIONS:
        series = R.stock_series(s, region, year).set_index("year")
        imm = R.immigrants_by_region(s, year).set_index("region").loc[region, "migrants"]
        emi = R.emigrants_by_region(s, year).set_index("region").loc[region, "migrants"]
        assert series.loc[year, "immigrants"] == imm
        assert series.loc[year, "emigrants"] == emi
        lk = R.links(s, year, region).set_index("group")
        assert lk["immigrants_from"].sum() == imm
        assert lk["emigrants_to"].sum() == emi
        assert lk.loc[region, "immigrants_from"] == lk.loc[region, "emigrants_to"] == series.loc[year, "within"]
    # spot values from the source's documentation: USA 2020 = 50,632,836; MEX -> USA 2020 = 10,853,105
    dest = R.top_destinations(s, year, "Northern America", 10)
    assert list(dest["iso3"][:2]) == ["USA", "CAN"] and dest.iloc[0]["migrants"] == 50_632_836
    assert len(dest) == 5  # Northern America has five M49 countries and areas
    for region in ("Latin America and the Caribbean", "Northern America"):
        top = R.top_corridors(s, year, region, 10).iloc[0]
        assert (top["origin_iso3"], top["dest_iso3"], top["migrants"]) == ("MEX", "USA", 10_853_105)
        assert not top["within"]
    corr = R.top_corridors(s, year, "Europe", 10)
    assert corr["migrants"].is_monotonic_decreasing and len(corr) == 10
    assert (corr["origin_iso3"] != ims.UNKNOWN_ORIGIN).all()


def test_coverage_counts():
    s = "undesa-ims-2024-bilateral"
    africa = R.stock_coverage(s, 2024, "Africa")
    assert (africa.n, africa.total) == (58, 60)
    assert set(africa.without) == {"British Indian Ocean Territory", "French Southern Territories"}
    assert africa.text().startswith("58 of 60 countries and areas (no data: ")
    na = R.stock_coverage(s, 2024, "Northern America")
    assert (na.n, na.total, na.without) == (5, 5, ())
    assert na.text() == "5 of 5 countries and areas"
    oceania = R.stock_coverage(s, 2024, "Oceania")
    assert (oceania.n, oceania.total) == (23, 29)
    # the region sizes are those of the M49 table (Antarctica belongs to no region), plus Taiwan Province of
    # China in Asia and the Channel Islands in Europe, as UN DESA allocates them
    sizes = {r: len(R.members(r)) for r in m49.WMR_REGIONS}
    assert sizes == {"Africa": 60, "Asia": 51, "Europe": 52, "Latin America and the Caribbean": 52,
                     "Northern America": 5, "Oceania": 29}
    assert sum(sizes.values()) == len(m49.load_m49()) - 1 + 2


def test_remittances_by_region_add_up_and_report_coverage():
    year = 2022
    k = rem_src.load_knomad_inflows()
    k = k[(k["kind"] == "country") & (k["year"] == year)]
    by = R.remittance_by_region(year).set_index("region")
    assert by["usd"].sum() == pytest.approx(k["usd"].sum(), rel=1e-12)
    assert list(R.remittance_unallocated(year)["iso3"]) == ["XKX"]
    oceania = R.remittance_inflows("Oceania", year)
    cov = R.remittance_coverage("Oceania", year)
    assert cov.n == len(oceania) == by.loc["Oceania", "countries"]
    direct = k[k["iso3"].map(ims.region_of()).eq("Oceania") & (k["usd"] > 0)]
    assert oceania["usd"].sum() == pytest.approx(direct["usd"].sum())
    assert cov.n + len(cov.without) == 29


@pytest.mark.parametrize("year", [2022, 2025])
def test_refugees_by_region_add_up_to_the_world_total(year):
    total = displacement.refugee_totals(year)["refugees"]
    by = R.refugee_by_region(year)
    assert by["hosted"].sum() == pytest.approx(total)
    assert by["originating"].sum() == pytest.approx(total)
    for region in m49.WMR_REGIONS:
        ref = R.refugees_by_country(region, year)
        row = by.set_index("region").loc[region]
        assert ref["hosted"].sum() == pytest.approx(row["hosted"])
        assert ref["originating"].sum() == pytest.approx(row["originating"])
    un = R.refugee_unallocated(year)
    assert un["originating"].sum() == pytest.approx(by.set_index("region").loc[R.UNALLOCATED, "originating"])
    assert set(un["iso3"]) <= unhcr.NON_M49


@pytest.mark.parametrize("year", [2022, 2023])
def test_idps_by_region_add_up_to_the_world_total(year):
    totals = displacement.idp_totals(year)
    by = R.idp_by_region(year)
    assert by["conflict_idps"].sum() == pytest.approx(totals["conflict_idps"])
    assert by["disaster_idps"].sum() == pytest.approx(totals["disaster_idps"])
    un = R.idp_unallocated(year)
    assert "AB9" in set(un["iso3"])
    na = R.idps_in_region("Northern America", year)
    assert set(na["iso3"]) <= {"USA", "CAN", "BMU", "GRL", "SPM"} and (na["conflict_idps"] == 0).all()


def test_the_edition_configs_run_the_regional_chapter_once_per_un_desa_region():
    for path in sorted((ROOT / "editions").glob("*.toml")):
        cfg = tomllib.loads(path.read_text())
        runs = next(c["runs"] for c in cfg["chapters"] if c["slug"] == "regions")
        assert [r["region"] for r in runs] == list(m49.WMR_REGIONS)


def test_wording_follows_the_data():
    assert R.corridors_within_sentence(0, 10).startswith("None of the {fact}`corridors_n`")
    assert R.corridors_within_sentence(10, 10).startswith("All {fact}`corridors_n`")
    assert R.corridors_within_sentence(3, 10).startswith("{fact}`corridors_within` of the {fact}`corridors_n`")
    assert R.join_names(["Abyei Area (56,000)", "Kosovo (16,000)"]) == "Abyei Area (56,000) and Kosovo (16,000)"
    assert R.join_names(["Taiwan, China (1)", "Kosovo (2)"]) == "Taiwan, China (1); and Kosovo (2)"
    assert R.scale_for(2e6) == (1e6, "millions") and R.scale_for(5e5) == (1e3, "thousands")
    assert R.join_names(["A", "B", "C"]) == "A, B and C"
    table = R.key_figures([("x", "1", 2024, R.coverage("Northern America", ["USA"]))])
    assert isinstance(table, pd.DataFrame) and table.iloc[0]["With data"] == "1 of 5 countries and areas"
