"""Free-movement regimes by year: ECOWAS and Schengen membership flags (1995-2019).

Two small hand-compiled tables from the WMR 2022 chapter 7 scripts (see the source.toml): one row per
state that belonged at some point, one 0/1 column per snapshot year of the UN DESA 2019 edition (1995,
2000, 2005, 2010, 2015, 2019). Country spellings are informal, so only the ISO3 column is used. They
do not reflect later changes (Croatia, Bulgaria and Romania joining Schengen; the 2024/2025 ECOWAS
withdrawals of Burkina Faso, Mali and Niger). All codes are known to M49.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from wmr.core.errors import ConfigError, LoaderError, ValidationError

from ..tidycache import cached_table
from ..validate import check_codes, check_columns, check_no_nulls, check_unique
from . import m49

SOURCE = "free-movement"
FILES = {"ECOWAS": "ecowas.csv", "Schengen": "schengen.csv"}  # regime -> file

COLUMNS = {
    "regime": "str",   # 'ECOWAS' or 'Schengen'
    "iso3": "str",     # member state (ever), ISO3
    "year": "int",     # snapshot year (mid-year of the UN DESA estimates)
    "member": "bool",  # True when the state belonged (ECOWAS) or applied Schengen rules (Schengen) that year
}


def _parse_one(regime: str, path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path).dropna(subset=["alpha3"])  # drops the blank and 'Source: <url>' footer rows
    years = [c for c in raw.columns if re.fullmatch(r"\d{4}", str(c))]
    if not years:
        raise LoaderError(f"{path.name} has no year columns.", expected="Country,alpha3,1995,...",
                          got=list(raw.columns), fix="the pinned file changed layout: update the loader")
    long = raw.melt(id_vars=["alpha3"], value_vars=years, var_name="year", value_name="flag")
    if not long["flag"].isin([0, 1]).all():
        raise LoaderError(f"{path.name} holds flags other than 0 and 1.", expected=[0, 1],
                          got=sorted(set(long["flag"]) - {0, 1})[:5], fix="check the pinned file")
    return pd.DataFrame({"regime": regime, "iso3": long["alpha3"].astype(str).str.strip(),
                         "year": long["year"].astype("int64"), "member": long["flag"].eq(1)})


def _parse(*paths: Path) -> pd.DataFrame:
    parts = [_parse_one(regime, path) for regime, path in zip(FILES, paths)]
    return pd.concat(parts, ignore_index=True).sort_values(["regime", "year", "iso3"], ignore_index=True)


def load_free_movement() -> pd.DataFrame:
    """ECOWAS and Schengen membership by state and year (one row per regime x iso3 x year).

    Why: flags corridors inside free-movement areas (e.g. intra-ECOWAS or intra-Schengen migrant stocks)
    when joined with the bilateral stocks of the matching years.
    """
    df = cached_table("free-movement", "1", [(SOURCE, f) for f in FILES.values()], _parse)
    check_columns(df, "free movement", COLUMNS)
    check_unique(df, "free movement", ["regime", "iso3", "year"])
    check_no_nulls(df, "free movement", list(COLUMNS))
    if unknown := unknown_codes(df):
        files = ", ".join(f"{SOURCE}/{f}" for f in FILES.values())
        raise ValidationError(f"Tidy table 'free movement' (from {files}) holds codes unknown to M49.",
                              expected="M49 ISO3 codes",
                              got=sorted(unknown), fix="correct or document the codes in wmr/sources/free_movement.py")
    return df


def members(regime: str, year: int) -> set[str]:
    """ISO3 codes of the states in `regime` ('ECOWAS' or 'Schengen') in snapshot `year`."""
    df = load_free_movement()
    sel = df[(df["regime"] == regime) & (df["year"] == year)]
    if sel.empty:
        raise ConfigError(f"No free-movement flags for {regime} in {year}.",
                              expected=f"regime in {list(FILES)}, year in {sorted(df['year'].unique().tolist())}",
                              got=f"{regime}, {year}", fix="use a listed regime and snapshot year")
    return set(sel.loc[sel["member"], "iso3"])


def unknown_codes(df: pd.DataFrame) -> set[str]:
    """ISO3 codes of `df` that UNSD M49 does not list (none in the pinned files)."""
    return check_codes(df["iso3"], "free movement", m49.known_iso3())
