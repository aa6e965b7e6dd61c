"""UNHCR refugee statistics loaders, on the pinned .rda files (spot values from source.toml)."""
from __future__ import annotations

import pandas as pd
import pytest

from wmr.core.errors import ValidationError
from wmr.kernel.sources import unhcr
from wmr.kernel.validate import check_unique


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return unhcr.load_population()


def test_population_spot_values(population):
    by_year = population.groupby("year")[["refugees", "asylum_seekers", "oip", "idps", "stateless"]].sum()
    assert by_year.loc[2022, "refugees"] == 29_429_078
    assert by_year.loc[2023, "refugees"] == 31_637_408
    assert by_year.loc[2024, "refugees"] == 30_958_200
    assert by_year.loc[2025, "refugees"] == 28_461_306
    assert by_year.loc[2022, "asylum_seekers"] == 5_442_312
    assert by_year.loc[2022, "oip"] == 5_217_456
    assert by_year.loc[2022, "idps"] == 57_321_197
    assert by_year.loc[2022, "stateless"] == 4_428_314
    top = population[population["year"].eq(2022)].nlargest(1, "refugees").iloc[0]
    assert (top["coo_iso"], top["coa_iso"], top["refugees"]) == ("SYR", "TUR", 3_535_898)


def test_population_schema(population):
    assert list(population.columns) == list(unhcr.POPULATION_COLUMNS)
    assert population["year"].dtype == "int64"
    assert (population["year"].min(), population["year"].max()) == (1951, 2025)
    assert population["oip"].notna().sum() < 200  # NaN = not reported, kept
    assert population["refugees"].notna().all()


def test_unrwa_and_idmc_totals():
    assert unhcr.load_unrwa().groupby("year")["refugees"].sum()[2022] == 5_887_353
    idmc = unhcr.load_idmc_idps()
    assert idmc.groupby("year")["idps"].sum()[2022] == 61_246_388
    assert "AB9" in set(idmc["coa_iso"])  # non-M49 code kept


def test_other_tables_shapes():
    assert unhcr.load_solutions().shape == (21_258, len(unhcr.SOLUTIONS_COLUMNS))
    assert unhcr.load_flows().shape == (105_868, len(unhcr.FLOWS_COLUMNS))
    apps = unhcr.load_asylum_applications()
    assert apps.shape == (120_597, len(unhcr.APPLICATIONS_COLUMNS))
    assert (apps["year"].min(), apps["year"].max()) == (2000, 2025)
    dec = unhcr.load_asylum_decisions()
    assert dec.shape == (113_929, len(unhcr.DECISIONS_COLUMNS))
    assert set(dec["dec_pc"]) == {"P", "C"}


def test_demographics_2025_by_sex():
    dem = unhcr.load_demographics()
    assert set(dem["year"]) == {2025}
    assert {"f_0_4", "m_60", "f_other", "f_total", "m_total"} <= set(dem.columns)
    assert set(dem["pop_type"]) == {"REF", "ASY", "OOC", "OIP", "IDP", "RET", "STA", "RDP", "HST"}
    assert round(dem["f_total"].sum() / 1e6, 1) == 43.0
    assert round(dem["m_total"].sum() / 1e6, 1) == 41.3
    assert round(dem["total"].sum() / 1e6, 1) == 156.0


def test_countries():
    c = unhcr.load_countries().set_index("unhcr_code")
    assert len(c) == 232
    assert c.loc["ALG", "iso3"] == "DZA" and c.loc["STA", "iso3"] == "XXA" and c.loc["TIB", "iso3"] == ""


def test_duplicate_keys_fail_validation(population):
    doubled = pd.concat([population.head(3), population.head(1)])
    with pytest.raises(ValidationError, match="duplicate keys"):
        check_unique(doubled, "unhcr-population", ["year", "coo_iso", "coa_iso"])


def test_undocumented_code_fails_validation():
    with pytest.raises(ValidationError, match="do not know"):
        unhcr._report_codes(pd.Series(["SYR", "QQQ"]), "test")
