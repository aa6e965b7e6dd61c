"""UNHCR Refugee Population Statistics (R package `refugees` 2025.12.1 data files, read with pyreadr).

Tables (persons, float64; years as int64; origin `coo_iso` and asylum `coa_iso` are ISO3):
- `load_population()`: end-year stocks by year x origin x asylum, 1951-2025. The keys are unique in this
  release (checked: no aggregation needed); zeros mean none reported; `oip` is NaN except ~155 rows (from
  2018, mostly Venezuelans).
- `load_unrwa()`: Palestine refugees under UNRWA mandate by host territory, 1952-2025.
- `load_idmc_idps()`: IDMC conflict IDP stocks as republished by UNHCR, 1990-2025 (global 'UNK' rows only
  before ~2008). Differs from UNHCR `idps` (IDPs protected or assisted by UNHCR).
- `load_solutions()`: returns, resettlement, naturalisation, 1959-2025 (NaN = not reported).
- `load_asylum_applications()`, `load_asylum_decisions()`: 2000-2025, by procedure and decision level.
- `load_flows()`: new arrivals of refugees and asylum seekers by year x origin x asylum, 1962-2025.
- `load_demographics()`: sex and age breakdown, 2025 only in this release (older years are not pinned).
- `load_countries()`: UNHCR country reference (UNHCR code, ISO3, UNHCR and UNSD regions).

Codes not known to UNSD M49, kept and documented in `NON_M49`:
- UNK  unknown or various origin (UNHCR code UKN); the `flows` file spells it 'UKN'
- XXA  stateless (UNHCR code STA); the `flows` file spells it 'STA'
- TIB  Tibetan (origin)
- AB9  Abyei Area (IDMC code, in `idmc`)
- XXX  unknown (in `countries` only)
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pyreadr

from wmr.core.errors import LoaderError

from ..tidycache import cached_table
from ..validate import check_columns, check_no_nulls, check_unique, require_documented_codes
from . import m49

SOURCE = "unhcr-population"
NON_M49 = frozenset({"UNK", "XXA", "TIB", "AB9", "UKN", "STA", "XXX"})

_KEYS = ["year", "coo_iso", "coa_iso"]
_PLACES = {
    "year": "int",          # end of year (31 December) for stocks; calendar year for flows and decisions
    "coo_name": "str",      # country of origin, UNHCR name
    "coo_iso": "str",       # country of origin, ISO3 (see NON_M49)
    "coa_name": "str",      # country of asylum or residence, UNHCR name
    "coa_iso": "str",       # country of asylum or residence, ISO3
}
POPULATION_COLUMNS = {
    **_PLACES,
    "refugees": "float",           # refugees under UNHCR mandate (incl. refugee-like situations), persons
    "asylum_seekers": "float",     # asylum seekers with pending claims, persons
    "returned_refugees": "float",  # refugees returned during the year, persons
    "idps": "float",               # IDPs protected or assisted by UNHCR, persons
    "returned_idps": "float",      # IDPs returned during the year, persons
    "stateless": "float",          # stateless persons, persons
    "ooc": "float",                # others of concern to UNHCR, persons
    "oip": "float",                # other people in need of international protection (NaN = not reported)
    "hst": "float",                # host community members, persons
}
UNRWA_COLUMNS = {**_PLACES, "refugees": "float"}  # Palestine refugees under UNRWA mandate, persons
IDMC_COLUMNS = {**_PLACES, "idps": "float"}       # IDPs due to conflict and violence (IDMC), persons
SOLUTIONS_COLUMNS = {
    **_PLACES,
    "returned_refugees": "float",  # refugees returned to origin during the year (NaN = not reported)
    "resettlement": "float",       # refugees resettled to the asylum country during the year
    "naturalisation": "float",     # refugees naturalised in the asylum country during the year
    "returned_idps": "float",      # IDPs returned during the year
}
FLOWS_COLUMNS = {
    **_PLACES,
    "refugees": "float",           # newly recognised refugees, persons (NaN = not reported)
    "asylum_seekers": "float",     # new asylum applications, persons
    "refugee_like": "float",       # persons in refugee-like situations
    "oip": "float",                # other people in need of international protection
}
APPLICATIONS_COLUMNS = {
    **_PLACES,
    "procedure_type": "str",  # G government, U UNHCR, J joint procedure
    "app_type": "str",        # UNHCR application type code (e.g. N new); see the refugees package docs
    "dec_level": "str",       # UNHCR decision level code (FI first instance, AR administrative review, JR judicial review...)
    "app_pc": "str",          # P persons, C cases (unit of `applied`)
    "applied": "float",       # applications lodged during the year (persons or cases, see app_pc)
}
DECISIONS_COLUMNS = {
    **_PLACES,
    "procedure_type": "str",  # G government, U UNHCR, J joint procedure
    "dec_level": "str",       # UNHCR decision level code (FI first instance, AR administrative review, JR judicial review...)
    "dec_pc": "str",          # P persons, C cases (unit of the decision counts)
    "dec_recognized": "float",  # recognised as refugees (Convention status)
    "dec_other": "float",       # complementary protection
    "dec_rejected": "float",    # rejected
    "dec_closed": "float",      # otherwise closed
    "dec_total": "float",       # all decisions
}
_AGES = ["0_4", "5_11", "12_17", "18_59", "60", "other", "total"]
DEMOGRAPHICS_COLUMNS = {
    **_PLACES,
    "pop_type": "str",    # REF, ASY, OOC, OIP, IDP, RET, STA, RDP, HST (population type)
    "location": "str",    # place within the asylum country (admin area, camp, 'Dispersed ...')
    "loc_type": "str",    # V various/dispersed, U urban, R rural
    "acc_type": "str",    # accommodation: I individual, P planned camp, C collective, R reception, S self-settled, U unknown
    # persons by sex (f_, m_) and age band: 0-4, 5-11, 12-17, 18-59, 60 and over, other (age unknown), total
    **{f"{sex}_{age}": "float" for sex in "fm" for age in _AGES},
    "total": "float",     # all persons, including those not disaggregated by sex
}
COUNTRIES_COLUMNS = {
    "iso3": "str",           # ISO3 ('' where UNHCR gives none: CRB, CUR, TIB); XXA stateless, XXX unknown
    "unhcr_code": "str",     # UNHCR country code (the `coo`/`coa` codes)
    "name": "str",           # UNHCR name
    "unhcr_region": "str",   # UNHCR regional bureau ('' for stateless, unknown and some territories)
    "unsd_region": "str",
    "unsd_subregion": "str",
    "unsd_imregion": "str",  # UNSD intermediate region ('' where none)
}

# file stem -> (columns, unique keys); the R object inside each file is named like the file.
_TABLES = {
    "population": (POPULATION_COLUMNS, _KEYS),
    "unrwa": (UNRWA_COLUMNS, _KEYS),
    "idmc": (IDMC_COLUMNS, _KEYS),
    "solutions": (SOLUTIONS_COLUMNS, _KEYS),
    "flows": (FLOWS_COLUMNS, _KEYS),
    "asylum_applications": (APPLICATIONS_COLUMNS, [*_KEYS, "procedure_type", "app_type", "dec_level", "app_pc"]),
    "asylum_decisions": (DECISIONS_COLUMNS, [*_KEYS, "procedure_type", "dec_level", "dec_pc"]),
    "demographics": (DEMOGRAPHICS_COLUMNS, [*_KEYS, "pop_type", "location", "loc_type", "acc_type"]),
}
_RENAME = {"unrwa": {"total": "refugees"}, "idmc": {"total": "idps"}}


def _read_rda(path: Path, stem: str) -> pd.DataFrame:
    objects = pyreadr.read_r(path)
    if stem not in objects:
        raise LoaderError(f"R data file {path.name} lacks the expected data frame.", expected=stem, got=list(objects),
                          fix="the pinned file changed layout: update wmr/sources/unhcr.py")
    return objects[stem]


def _parse(stem: str, path: Path) -> pd.DataFrame:
    raw = _read_rda(path, stem).rename(columns=_RENAME.get(stem, {}))
    schema = _TABLES[stem][0]
    if missing := [c for c in schema if c not in raw.columns]:
        raise LoaderError(f"UNHCR table '{stem}' lacks columns.", expected=list(schema), got=list(raw.columns),
                          fix="the pinned file changed layout: update wmr/sources/unhcr.py")
    df = raw[list(schema)].copy()
    for col, kind in schema.items():
        if col == "year":
            df[col] = df[col].astype("int64")  # floats in the R objects
        elif kind == "float":
            df[col] = df[col].astype("float64")
        else:
            df[col] = df[col].fillna("").astype(str)  # flows has 35 rows without an origin name
    return df.sort_values(_TABLES[stem][1]).reset_index(drop=True)


def _load(stem: str) -> pd.DataFrame:
    schema, keys = _TABLES[stem]
    table = f"unhcr-{stem}"
    df = cached_table(table, "1", [(SOURCE, f"{stem}.rda")], partial(_parse, stem))
    check_columns(df, table, schema)
    check_unique(df, table, keys)
    check_no_nulls(df, table, keys)
    _report_codes(pd.concat([df["coo_iso"], df["coa_iso"]]), table)
    return df


def load_population() -> pd.DataFrame:
    """Refugees, asylum seekers, IDPs, stateless and others of concern by year x origin x asylum, 1951-2025.

    Why: the global refugee and forced displacement figures (e.g. 29.4 million refugees at end-2022).
    """
    return _load("population")


def load_unrwa() -> pd.DataFrame:
    """Palestine refugees under UNRWA's mandate by year x host territory, 1952-2025 (persons).

    Why: the total refugee figure adds them to UNHCR's refugees (5.9 million at end-2022).
    """
    return _load("unrwa")


def load_idmc_idps() -> pd.DataFrame:
    """IDPs due to conflict and violence (IDMC figures republished by UNHCR) by year x country, 1990-2025.

    Why: the forcibly displaced total and IDP stocks after 2022, which the pinned IDMC files lack.
    """
    return _load("idmc")


def load_solutions() -> pd.DataFrame:
    """Durable solutions by year x origin x asylum, 1959-2025: returns, resettlement, naturalisation.

    Why: the governance chapter's resettlement and return figures.
    """
    return _load("solutions")


def load_flows() -> pd.DataFrame:
    """New refugee and asylum-seeker arrivals by year x origin x asylum, 1962-2025 (NaN = not reported).

    Why: displacement during a year, as opposed to end-year stocks.
    """
    return _load("flows")


def load_asylum_applications() -> pd.DataFrame:
    """Asylum applications lodged by year x origin x asylum x procedure, 2000-2025 (persons or cases).

    Why: trends in new asylum claims; filter app_pc == 'P' to count persons.
    """
    return _load("asylum_applications")


def load_asylum_decisions() -> pd.DataFrame:
    """Asylum decisions by year x origin x asylum x procedure, 2000-2025 (persons or cases, see dec_pc).

    Why: recognition rates in the governance chapter.
    """
    return _load("asylum_decisions")


def load_demographics() -> pd.DataFrame:
    """Sex and age breakdown of UNHCR populations by origin x asylum x population type x location, 2025.

    Why: the gender chapter's shares of women and children. Only 2025 is in this release; about half of
    `total` is disaggregated by sex (f_total + m_total < total).
    """
    return _load("demographics")


def _parse_countries(path: Path) -> pd.DataFrame:
    raw = _read_rda(path, "countries").rename(columns={"iso_code": "iso3"})
    if missing := [c for c in COUNTRIES_COLUMNS if c not in raw.columns]:
        raise LoaderError("UNHCR table 'countries' lacks columns.", expected=list(COUNTRIES_COLUMNS),
                          got=list(raw.columns), fix="the pinned file changed layout: update wmr/sources/unhcr.py")
    return raw[list(COUNTRIES_COLUMNS)].fillna("").astype(str).reset_index(drop=True)


def load_countries() -> pd.DataFrame:
    """UNHCR country reference: UNHCR code, ISO3, name, UNHCR bureau and UNSD regions (232 rows).

    Why: to translate UNHCR codes and to show UNHCR's own regional grouping where a chapter quotes it.
    """
    df = cached_table("unhcr-countries", "1", [(SOURCE, "countries.rda")], _parse_countries)
    check_columns(df, "unhcr-countries", COUNTRIES_COLUMNS)
    check_unique(df, "unhcr-countries", ["unhcr_code"])
    _report_codes(df.loc[df["iso3"].ne(""), "iso3"], "unhcr-countries")
    return df


def _report_codes(codes: pd.Series, table: str) -> None:
    """Keep codes M49 does not know when documented in NON_M49; any other stops the load."""
    require_documented_codes(codes.unique(), table, m49.known_iso3(), NON_M49, "wmr/kernel/sources/unhcr.py")
