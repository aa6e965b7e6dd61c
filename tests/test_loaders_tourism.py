"""UN Tourism (UNWTO) arrivals loaders, on the pinned workbook (spot values from source.toml)."""
from __future__ import annotations

import pandas as pd
import pytest

from wmr.core.errors import ConfigError, LoaderError
from wmr.kernel.sources import tourism


@pytest.fixture(scope="module")
def arrivals() -> pd.DataFrame:
    return tourism.load_arrivals()


def test_total_arrivals_spot_values(arrivals):
    table = arrivals.set_index(["iso3", "year"])["arrivals_thousands"]
    expected = {
        "ESP": (126_170, 36_410, 51_631, 104_968),
        "MEX": (97_406, 51_128, 55_301, 65_995),
        "TUR": (51_747, 15_971, 30_039, 51_388),
        "FRA": (217_877, 117_109, 141_297, None),
        "USA": (165_478, 44_792, 66_594, None),
    }
    for iso3, values in expected.items():
        for year, value in zip(range(2019, 2023), values):
            if value is None:
                assert (iso3, year) not in table.index  # '..' = not available: no row
            else:
                assert table[(iso3, year)] == value


def test_total_arrivals_coverage(arrivals):
    assert list(arrivals.columns) == list(tourism.ARRIVALS_COLUMNS)
    per_year = arrivals.groupby("year").size()
    assert per_year[2022] == 101 and per_year[2019] == 134
    assert (arrivals["year"].min(), arrivals["year"].max()) == (1995, 2022)
    assert arrivals["series"].eq("VF").mean() > 0.99  # totals count visitors


def test_code_quirks_mapped(arrivals):
    names = arrivals.drop_duplicates("m49").set_index("m49")["iso3"]
    assert names[535] == "CUW" and names[663] == "SXM" and names[158] == "TWN" and names[886] == "YEM"
    assert names[461] == ""  # Saba: no ISO3 of its own


def test_overnight_tourists_series():
    tourists = tourism.load_arrivals("overnight")
    assert set(tourists["series"]) <= {"TF", "THS", "TCE", ""}
    assert tourists.set_index(["iso3", "year"]).loc[("ESP", 2019), "arrivals_thousands"] == pytest.approx(83_509, abs=1)


def test_arrivals_by_transport():
    df = tourism.load_arrivals_by_transport()
    assert set(df["mode"]) == {"Total", "Air", "Water", "Land"}
    alb = df[df["iso3"].eq("ALB") & df["year"].eq(1995)].set_index("mode")
    assert (alb.loc["Air", "arrivals_thousands"], alb.loc["Water", "arrivals_thousands"],
            alb.loc["Land", "arrivals_thousands"], alb.loc["Total", "arrivals_thousands"]) == (45, 83, 176, 304)
    assert set(alb["series"]) == {"VF"}  # modes take the series of the country's total


def test_unknown_indicator_lists_valid_names():
    with pytest.raises(ConfigError, match="overnight"):
        tourism.load_arrivals("departures")


def test_unknown_country_code_raises():
    df = pd.DataFrame({"m49": [724, 999], "name": ["SPAIN", "NOWHERE"], "year": [2019, 2019],
                       "series": ["VF", "VF"], "arrivals_thousands": [1.0, 2.0]})
    with pytest.raises(LoaderError, match="999"):
        tourism._with_iso3(df, "test", tourism.ARRIVALS_COLUMNS)
