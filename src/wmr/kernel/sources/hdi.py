"""UNDP Human Development Index (HDR 2023/24 composite indices time series): HDI, groups, population.

The file is wide (`hdi_1990`..`hdi_2022`, `pop_total_1990`.., 1076 columns); the loaders return long
tables joined on ISO3. Country names are not returned: two are garbled in this copy (CIV, TUR; see the
source.toml), so take names from M49. All 195 country codes (193 ranked in 2022, plus PRK and MCO
with population only) are known to M49; the 11 UNDP aggregates (codes starting 'ZZ', e.g.
'ZZK.WORLD') are kept apart in `load_hdi_aggregates()`.

HDI groups for years other than 2022 are not in the file: `hdi_group()` derives them from UNDP's fixed
cut-offs, which reproduce the file's own 2022 groups (`load_hdi_groups_2022()`) exactly.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from wmr.core.errors import LoaderError, ValidationError

from ..tidycache import cached_table
from ..validate import check_codes, check_columns, check_unique
from . import m49

SOURCE = "undp-hdi"
FILE = "HDR23-24_Composite_indices_complete_time_series.csv"
AGGREGATE_PREFIX = "ZZ"    # UNDP codes of groups and regions ('ZZA.VHHD' ... 'ZZK.WORLD')
WORLD_CODE = "ZZK.WORLD"
# UNDP's fixed HDI cut-offs (HDR technical notes): lower bound of each group, highest first.
GROUP_CUTOFFS = ((0.800, "Very high"), (0.700, "High"), (0.550, "Medium"), (0.0, "Low"))
GROUPS = tuple(label for _, label in GROUP_CUTOFFS)

COLUMNS = {
    "iso3": "str",          # ISO3 country code (aggregates excluded)
    "year": "int",          # calendar year, 1990-2022
    "hdi": "float",         # Human Development Index, 0-1 (NaN = not available)
    "population": "float",  # total population, persons (file: pop_total in millions, 6 decimals)
    "hdi_group": "str",     # one of GROUPS from the HDI of that year by UNDP cut-offs; '' when HDI is NaN
}
AGGREGATE_COLUMNS = {
    "code": "str",          # UNDP aggregate code, e.g. 'ZZK.WORLD', 'ZZJ.SSA'
    "name": "str",          # e.g. 'World', 'Sub-Saharan Africa', 'Very high human development'
    "year": "int",
    "hdi": "float",
    "population": "float",  # persons
}
GROUPS_2022_COLUMNS = {
    "iso3": "str",
    "hdi_group": "str",     # the file's own hdicode for 2022, spelt as GROUPS ('Very High' -> 'Very high')
}


def _parse(path: Path) -> pd.DataFrame:
    """All rows (countries and aggregates) as code, name, year, hdi, population."""
    raw = pd.read_csv(path, encoding="utf-8-sig")
    if missing := [c for c in ("iso3", "country", "hdicode") if c not in raw.columns]:
        raise LoaderError(f"{path.name} lacks id columns.", expected=["iso3", "country", "hdicode"],
                          got=list(raw.columns[:6]), fix="the pinned file changed layout: update the loader")
    parts = {}
    for indicator in ("hdi", "pop_total"):
        cols = [c for c in raw.columns if re.fullmatch(rf"{indicator}_\d{{4}}", c)]
        if not cols:
            raise LoaderError(f"{path.name} has no {indicator}_<year> columns.", expected=f"{indicator}_1990..",
                              got=list(raw.columns[:10]), fix="the pinned file changed layout: update the loader")
        long = raw.melt(id_vars=["iso3", "country"], value_vars=cols, var_name="year", value_name=indicator)
        long["year"] = long["year"].str[-4:].astype("int64")
        parts[indicator] = long.set_index(["iso3", "country", "year"])[indicator]
    df = pd.concat(parts, axis=1).reset_index().dropna(subset=["hdi", "pop_total"], how="all")
    return pd.DataFrame({
        "code": df["iso3"].astype(str),
        "name": df["country"].astype(str),
        "year": df["year"].astype("int64"),
        "hdi": df["hdi"].astype("float64"),
        "population": (df["pop_total"] * 1e6).round().astype("float64"),  # millions (6 decimals) -> persons
    }).sort_values(["code", "year"], ignore_index=True)


def _load_all() -> pd.DataFrame:
    return cached_table("undp-hdi", "2", [(SOURCE, FILE)], _parse)


def hdi_group(hdi: pd.Series) -> pd.Series:
    """HDI group of each value by UNDP's fixed cut-offs ('' for NaN)."""
    out = pd.Series("", index=hdi.index, dtype=object)
    for lower, label in reversed(GROUP_CUTOFFS):
        out[hdi >= lower] = label
    return out.astype(str)


def load_hdi() -> pd.DataFrame:
    """HDI, population (persons) and derived HDI group by country and year (one row per iso3 x year).

    Why: the 'migration and human development' analysis classifies origins and destinations by HDI
    group per year. Rows where both HDI and population are missing are dropped.
    """
    df = _load_all()
    df = df[~df["code"].str.startswith(AGGREGATE_PREFIX)].rename(columns={"code": "iso3"})
    df = df.drop(columns="name").reset_index(drop=True)
    df["hdi_group"] = hdi_group(df["hdi"])
    check_columns(df, "hdi", COLUMNS)
    check_unique(df, "hdi", ["iso3", "year"])
    if not df["hdi"].dropna().between(0, 1).all():
        raise ValidationError("HDI values outside 0-1.", expected="0 <= hdi <= 1",
                              got=df.loc[~df["hdi"].between(0, 1) & df["hdi"].notna(), "hdi"].head(3).tolist(),
                              fix="check the pinned file")
    _report_codes(df["iso3"], "hdi")
    return df


def load_hdi_aggregates() -> pd.DataFrame:
    """HDI and population (persons) of UNDP's aggregates by year; world = code WORLD_CODE.

    Why: the world population per year (for migrants as a share of the world's people) and the HDI of
    UNDP regions and groups.
    """
    df = _load_all()
    df = df[df["code"].str.startswith(AGGREGATE_PREFIX)].reset_index(drop=True)
    check_columns(df, "hdi aggregates", AGGREGATE_COLUMNS)
    check_unique(df, "hdi aggregates", ["code", "year"])
    if not df["code"].eq(WORLD_CODE).any():
        raise ValidationError("The HDI file has no world aggregate.", expected=WORLD_CODE,
                              got=sorted(df["code"].unique()), fix="update WORLD_CODE in wmr/sources/hdi.py")
    return df


def world_population() -> pd.DataFrame:
    """World population by year from UNDP (year, population in persons)."""
    df = load_hdi_aggregates()
    return df.loc[df["code"] == WORLD_CODE, ["year", "population"]].reset_index(drop=True)


def population_near(year: int) -> pd.DataFrame:
    """iso3, population, population_year: each country's population of the latest year not after `year`."""
    h = load_hdi().dropna(subset=["population"])
    h = h[h["year"] <= year].sort_values("year").groupby("iso3").tail(1)
    return h[["iso3", "population", "year"]].rename(columns={"year": "population_year"}).reset_index(drop=True)


def latest_year_with(column: str, year: int) -> int | None:
    """The latest year not after `year` for which the file has any `column` value (None if there is none)."""
    years = sorted(int(y) for y in load_hdi().dropna(subset=[column])["year"].unique())
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else None


def _parse_groups(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, encoding="utf-8-sig", usecols=["iso3", "hdicode"]).dropna(subset=["hdicode"])
    return pd.DataFrame({"iso3": raw["iso3"].astype(str),
                         "hdi_group": raw["hdicode"].astype(str).str.strip().str.capitalize()})


def load_hdi_groups_2022() -> pd.DataFrame:
    """Each country's HDI group for 2022 as published in the file (hdicode): iso3, hdi_group.

    Why: the report's own classification; countries without an HDI in 2022 (PRK, MCO) are absent.
    """
    df = cached_table("undp-hdi-groups-2022", "1", [(SOURCE, FILE)], _parse_groups)
    check_columns(df, "hdi groups 2022", GROUPS_2022_COLUMNS)
    check_unique(df, "hdi groups 2022", ["iso3"])
    if bad := sorted(set(df["hdi_group"]) - set(GROUPS)):
        raise ValidationError("Unexpected HDI group labels.", expected=GROUPS, got=bad, fix="map them in the loader")
    _report_codes(df["iso3"], "hdi groups 2022")
    return df


def unknown_codes(df: pd.DataFrame) -> set[str]:
    """ISO3 codes of `df` that UNSD M49 does not list (none in the pinned file)."""
    return check_codes(df["iso3"], "hdi", m49.known_iso3())


def _report_codes(codes: pd.Series, table: str) -> None:
    if unknown := check_codes(codes, table, m49.known_iso3()):
        raise ValidationError(f"Tidy table '{table}' holds country codes unknown to M49.", expected="M49 ISO3 codes",
                              got=sorted(unknown), fix="map the codes in wmr/sources/hdi.py, or document and keep them")
