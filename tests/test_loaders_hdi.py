"""UNDP HDI loaders, on the real pinned file (spot values from source.toml)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wmr.core.errors import ValidationError
from wmr.kernel.sources import hdi
from wmr.kernel.validate import check_columns, check_unique


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return hdi.load_hdi()


def _at(df: pd.DataFrame, iso3: str, year: int, column: str = "hdi"):
    sel = df[(df["iso3"] == iso3) & (df["year"] == year)]
    assert len(sel) == 1
    return sel[column].iloc[0]


def test_schema_and_shape(table):
    assert list(table.columns) == list(hdi.COLUMNS)
    assert table["iso3"].nunique() == 195  # 193 with an hdicode, plus PRK and MCO (population only)
    assert (table["year"].min(), table["year"].max()) == (1990, 2022)
    assert not table["iso3"].str.startswith(hdi.AGGREGATE_PREFIX).any()
    assert hdi.unknown_codes(table) == set()


def test_spot_values(table):
    expected_2022 = {"CHE": 0.967, "NOR": 0.966, "DEU": 0.950, "USA": 0.927, "TUR": 0.855, "KOR": 0.929,
                     "IND": 0.644, "CIV": 0.534, "NER": 0.394, "AFG": 0.462}
    for iso3, value in expected_2022.items():
        assert _at(table, iso3, 2022) == pytest.approx(value, abs=1e-9), iso3
    assert _at(table, "AFG", 1990) == pytest.approx(0.284)
    assert _at(table, "IND", 2022, "hdi_group") == "Medium"
    assert _at(table, "CIV", 2022, "hdi_group") == "Low"
    assert _at(table, "IND", 2022, "population") > 1.4e9  # persons, not millions


def test_aggregates_and_world_population():
    agg = hdi.load_hdi_aggregates()
    assert agg["code"].nunique() == 11 and agg["code"].str.startswith("ZZ").all()
    world = agg[agg["code"] == hdi.WORLD_CODE].set_index("year")
    assert world.loc[1990, "hdi"] == pytest.approx(0.601)
    assert world.loc[2020, "hdi"] == pytest.approx(0.736)
    assert world.loc[2022, "hdi"] == pytest.approx(0.739)
    pop = hdi.world_population().set_index("year")["population"]
    assert pop[2022] == pytest.approx(7_940.6e6, rel=1e-5)
    assert pop.index.min() == 1990 and pop.is_monotonic_increasing


def test_groups_2022_match_the_cut_offs(table):
    groups = hdi.load_hdi_groups_2022()
    assert groups["hdi_group"].value_counts().to_dict() == {"Very high": 69, "High": 49, "Medium": 42, "Low": 33}
    assert groups.set_index("iso3").loc["KOR", "hdi_group"] == "Very high"
    derived = table[table["year"] == 2022].merge(groups, on="iso3", suffixes=("_derived", "_file"))
    assert len(derived) == 193
    assert (derived["hdi_group_derived"] == derived["hdi_group_file"]).all()


def test_hdi_group_boundaries():
    values = pd.Series([0.0, 0.549, 0.550, 0.699, 0.700, 0.799, 0.800, 1.0, np.nan])
    assert hdi.hdi_group(values).tolist() == ["Low", "Low", "Medium", "Medium", "High", "High",
                                              "Very high", "Very high", ""]


def test_groups_per_year_use_that_years_hdi(table):
    afg = table[table["iso3"] == "AFG"].set_index("year")
    assert afg.loc[1990, "hdi_group"] == "Low" and afg.loc[2022, "hdi_group"] == "Low"
    assert (table.loc[table["hdi"].isna(), "hdi_group"] == "").all()
    assert set(table["hdi_group"]) == {*hdi.GROUPS, ""}


def test_validation_errors_fire(table):
    sample = table.head(3)
    with pytest.raises(ValidationError, match="duplicate"):
        check_unique(pd.concat([sample, sample]), "hdi", ["iso3", "year"])
    with pytest.raises(ValidationError, match="wrong type"):
        check_columns(sample.assign(year=sample["year"].astype(str)), "hdi", hdi.COLUMNS)
    with pytest.raises(ValidationError, match="ABC"):
        hdi._report_codes(pd.Series(["AFG", "ABC"]), "hdi")
