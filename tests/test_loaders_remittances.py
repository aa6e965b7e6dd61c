"""World Bank-KNOMAD and WDI remittance loaders, on the pinned files (spot values from source.toml)."""
from __future__ import annotations

import pandas as pd
import pytest

from wmr.core.errors import ConfigError, LoaderError, ValidationError
from wmr.kernel import pins
from wmr.kernel.sources import remittances


@pytest.fixture(scope="module")
def inflows() -> pd.DataFrame:
    return remittances.load_knomad_inflows()


def _value(df: pd.DataFrame, name: str, year: int, col: str = "usd_million") -> float:
    rows = df[df["name"].eq(name) & df["year"].eq(year)]
    assert len(rows) == 1, (name, year, len(rows))
    return float(rows[col].iloc[0])


def test_knomad_inflows_spot_values(inflows):
    assert round(_value(inflows, remittances.WORLD, 2022)) == 831_103
    assert round(_value(inflows, remittances.WORLD, 2021)) == 791_114
    assert round(_value(inflows, remittances.LMIC, 2022)) == 647_193
    for name, value in [("India", 111_222), ("Mexico", 61_100), ("China", 51_000), ("Philippines", 38_049)]:
        assert round(_value(inflows, name, 2022)) == value
    assert _value(inflows, remittances.WORLD, 2022, "usd") == pytest.approx(831_103e6, rel=1e-6)


def test_knomad_inflows_shape(inflows):
    assert list(inflows.columns) == list(remittances.KNOMAD_COLUMNS)
    assert set(inflows["year"]) == set(range(2000, 2023))
    aggregates = inflows[inflows["kind"].eq("aggregate")]
    assert set(aggregates["name"]) == {remittances.WORLD, remittances.LMIC}
    assert set(aggregates["iso3"]) == {""}
    countries = inflows[inflows["kind"].eq("country")]
    assert countries["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    # names mapped through the manual map and WDI names, footnotes dropped
    codes = dict(zip(countries["name"], countries["iso3"]))
    assert codes["Türkiye, Rep. of"] == "TUR" and codes["Egypt, Arab Rep."] == "EGY" and codes["Kosovo"] == "XKX"
    assert not inflows["name"].str.startswith(("Note", "Date", "When using")).any()


def test_knomad_outflows():
    out = remittances.load_knomad_outflows()
    usa = out[out["iso3"].eq("USA") & out["year"].eq(2022)].iloc[0]
    sau = out[out["iso3"].eq("SAU") & out["year"].eq(2022)].iloc[0]
    assert round(usa["usd_million"]) == 79_153 and round(usa["pct_gdp"], 2) == 0.31
    assert round(sau["usd_million"]) == 39_349 and round(sau["pct_gdp"], 2) == 3.54
    assert out.loc[out["year"].ne(2022), "pct_gdp"].isna().all()
    assert set(out["kind"]) == {"country"}


def test_wdi_spot_values():
    rec = remittances.load_wdi("received").set_index(["iso3", "year"])["value"]
    assert rec[("WLD", 2019)] == pytest.approx(6.562e11, rel=1e-3)
    assert rec[("WLD", 2021)] == pytest.approx(7.352e11, rel=1e-3)
    assert rec[("LMY", 2021)] == pytest.approx(5.674e11, rel=1e-3)
    paid = remittances.load_wdi("paid").set_index(["iso3", "year"])["value"]
    assert paid[("WLD", 2021)] == pytest.approx(4.619e11, rel=1e-3)
    pct = remittances.load_wdi("pct_gdp")
    assert pct["year"].max() == 2021  # no 2022 values in this vintage
    pct = pct.set_index(["iso3", "year"])["value"]
    assert round(pct[("TON", 2021)], 1) == 46.2 and round(pct[("PHL", 2021)], 2) == 9.31


def test_wdi_aggregates_and_income_groups():
    rec = remittances.load_wdi("received")
    flags = rec.drop_duplicates("iso3").set_index("iso3")["is_aggregate"]
    assert flags["WLD"] and flags["LMY"] and flags["SSF"] and not flags["IND"] and not flags["XKX"]
    groups = remittances.income_groups()
    assert groups["IND"] == "Lower middle income" and groups["USA"] == "High income"
    assert "WLD" not in groups and "VEN" not in groups  # aggregates; Venezuela unclassified in this vintage
    assert set(groups.values()) == {"Low income", "Lower middle income", "Upper middle income", "High income"}


def test_unknown_wdi_indicator_lists_valid_names():
    with pytest.raises(ConfigError, match="pct_gdp"):
        remittances.load_wdi("sent")


def test_unmatched_knomad_name_with_data_raises(tmp_path):
    bad = pd.DataFrame({"Remittance inflows (US$ million)": ["India", "Atlantis", None, "Note: footnote"],
                        2021: [1.0, 2.0, None, None], 2022: [3.0, None, None, None]})
    path = tmp_path / "inflows.xlsx"
    bad.to_excel(path, index=False)
    wdi = pins.resolve(remittances.SOURCE, remittances.NAMES_FILE)
    with pytest.raises(LoaderError, match="match no World Bank name") as err:
        remittances._parse_inflows(path, wdi)
    assert "Atlantis" in str(err.value)


def test_undocumented_code_fails_validation():
    with pytest.raises(ValidationError, match="do not know"):
        remittances._report_codes(pd.Series(["IND", "XYZ"]), "test")
