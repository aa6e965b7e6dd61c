"""Free-movement and Natural Earth loaders, on the real pinned files (spot values from source.toml)."""
from __future__ import annotations

import pandas as pd
import pytest

from wmr.core.errors import ConfigError, ValidationError
from wmr.kernel.sources import free_movement, naturalearth
from wmr.kernel.validate import check_codes, check_unique


@pytest.fixture(scope="module")
def regimes() -> pd.DataFrame:
    return free_movement.load_free_movement()


def test_free_movement_schema(regimes):
    assert list(regimes.columns) == list(free_movement.COLUMNS)
    assert set(regimes["regime"]) == {"ECOWAS", "Schengen"}
    assert sorted(regimes["year"].unique()) == [1995, 2000, 2005, 2010, 2015, 2019]
    assert len(regimes) == (16 + 26) * 6
    assert free_movement.unknown_codes(regimes) == set()


def test_member_counts(regimes):
    counts = regimes[regimes["member"]].groupby(["regime", "year"]).size()
    assert counts["Schengen"].to_dict() == {1995: 7, 2000: 10, 2005: 15, 2010: 25, 2015: 26, 2019: 26}
    assert counts["ECOWAS"][1995] == 16 and counts["ECOWAS"][2019] == 15
    assert len(free_movement.members("Schengen", 2010)) == 25
    assert len(free_movement.members("ECOWAS", 2019)) == 15


def test_mauritania_left_ecowas(regimes):
    mrt = regimes[(regimes["regime"] == "ECOWAS") & (regimes["iso3"] == "MRT")].set_index("year")["member"]
    assert mrt.to_dict() == {1995: True, 2000: False, 2005: False, 2010: False, 2015: False, 2019: False}


def test_unknown_regime_or_year_is_a_config_error():
    with pytest.raises(ConfigError):
        free_movement.members("Schengen", 2024)
    with pytest.raises(ConfigError):
        free_movement.members("EU", 2019)


def test_naturalearth_countries():
    countries = naturalearth.load_countries()
    assert list(countries.columns) == ["iso3", "name", "geometry"]
    assert len(countries) == 177
    by_code = countries.set_index("iso3")
    # ISO_A3 is -99 for these: the code comes from ADM0_A3.
    assert by_code.loc["FRA", "name"] == "France" and by_code.loc["NOR", "name"] == "Norway"
    # ISO_A3_EH gives the ISO code where ADM0_A3 has Natural Earth's own.
    assert {"PSE", "ESH", "SSD"} <= set(by_code.index) and not {"PSX", "SAH", "SDS"} & set(by_code.index)
    assert naturalearth.unknown_codes(countries) == set(naturalearth.NON_M49) == {"CYN", "KOS", "SOL", "TWN"}
    geometry = by_code.loc["FRA", "geometry"]
    assert geometry["type"] == "MultiPolygon" and isinstance(geometry["coordinates"], list)
    assert {g["type"] for g in countries["geometry"]} == {"Polygon", "MultiPolygon"}


def test_naturalearth_code_rule():
    assert naturalearth._iso3({"ISO_A3_EH": "-99", "ADM0_A3": "FRA"}) == "FRA"
    assert naturalearth._iso3({"ISO_A3_EH": "PSE", "ADM0_A3": "PSX"}) == "PSE"


def test_validation_errors_fire(regimes):
    with pytest.raises(ValidationError, match="duplicate"):
        check_unique(pd.concat([regimes, regimes.head(2)]), "free movement", ["regime", "iso3", "year"])
    with pytest.raises(ValidationError, match="malformed"):
        check_codes(["FRA", "-99"], "naturalearth", {"FRA"})
    assert free_movement.unknown_codes(regimes.assign(iso3="XYZ")) == {"XYZ"}
