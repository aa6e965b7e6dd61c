"""UNSD M49 country and region codes: the only source of region and sub-region groupings."""
from __future__ import annotations


import pandas as pd

from .. import pins
from ..tidycache import cached_table
from ..validate import check_columns, check_unique

SOURCE = "unsd-m49"
FILE = "m49-overview.csv"

# The six regions UN DESA and the WMR use: M49 regions, with the Americas split into its two sub-regions.
WMR_REGIONS = ("Africa", "Asia", "Europe", "Latin America and the Caribbean", "Northern America", "Oceania")

COLUMNS = {
    "iso3": "str",          # ISO 3166 alpha-3 code
    "m49": "int",           # UN M49 numeric code
    "name": "str",          # country or area name (UNSD spelling)
    "region": "str",        # M49 region (Africa, Americas, Asia, Europe, Oceania; '' for Antarctica)
    "subregion": "str",     # M49 sub-region
    "intermediate_region": "str",
    "wmr_region": "str",    # one of WMR_REGIONS ('' for Antarctica)
    "ldc": "bool", "lldc": "bool", "sids": "bool",
}


def _parse(path) -> pd.DataFrame:
    raw = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df = pd.DataFrame({
        "iso3": raw["ISO-alpha3 Code"],
        "m49": raw["M49 Code"].astype(int),
        "name": raw["Country or Area"],
        "region": raw["Region Name"],
        "subregion": raw["Sub-region Name"],
        "intermediate_region": raw["Intermediate Region Name"],
        "ldc": raw["Least Developed Countries (LDC)"].eq("x"),
        "lldc": raw["Land Locked Developing Countries (LLDC)"].eq("x"),
        "sids": raw["Small Island Developing States (SIDS)"].eq("x"),
    })
    df = df[df["iso3"] != ""].reset_index(drop=True)
    americas = df["region"].eq("Americas")
    df.insert(6, "wmr_region", df["region"].where(~americas, df["subregion"]))
    return df


def load_m49() -> pd.DataFrame:
    """Countries and areas with M49 region, sub-region, WMR region and LDC/LLDC/SIDS flags (one row per ISO3)."""
    df = cached_table("m49", "1", [(SOURCE, FILE)], _parse)
    check_columns(df, "m49", COLUMNS)
    check_unique(df, "m49", ["iso3"])
    return df


@pins.memo(maxsize=1)
def known_iso3() -> frozenset[str]:
    """All ISO3 codes known to M49 (for validating other sources' codes)."""
    return frozenset(load_m49()["iso3"])
