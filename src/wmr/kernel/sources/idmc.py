"""IDMC Global Internal Displacement Database (GIDD): three exports of different vintages.

Tables (persons as float64; NaN = no figure, which is not zero):
- `load_country_year()`: conflict and disaster displacement by country and year, 2008-2022 (GRID 2023
  edition; rounded national figures). Disaster stocks only from 2019.
- `load_sadd_estimates()`: IDPs by sex and age band, 2021-2022 (modelled estimates; the age bands overlap,
  e.g. 0-4 lies inside 0-14; 'Both sexes' = 'Female' + 'Male').
- `load_disaster_events()`: disaster displacements by event and country, 2008-2024 (GRID 2025 edition).
  Rows have no unique key: an event spanning countries or years has a row for each, events before ~2016
  often lack an `event_id`, and 11 rows repeat another row exactly (generic '01/01' events); all rows are
  kept because IDMC's published totals include them.
- `load_disaggregated_2023()`: the 2023 figure-level table (one row per reported figure), reduced to the
  columns chapters use. It has no sex or age columns (sex/age figures exist only as SADD estimates).

- `load_gdidata_stocks()`: IDP stocks at the end of 2009-2024 by country, cause (conflict, disaster), sex
  and age, from the iom-gdidata package: end-2024 from `idmc_stocks.rda` (GRID 2025), 2009-2023 from
  `idmc_stocks_2009-2023.rda` (GRID 2024); each row names its file. Disaster stocks start in 2019.

The vintages differ (e.g. 2022 disaster displacements 32,562,165 in the country-year file, 32,567,846 in
the events file): never mix files within one series.

Codes not known to UNSD M49, kept and documented in `NON_M49`:
- AB9  Abyei Area (IDMC code)
- XKX  Kosovo
- TWN  Taiwan (China, Taiwan Province of; absent from the UNSD M49 overview)
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from wmr.core.errors import LoaderError, ValidationError

from ..tidycache import cached_table
from ..validate import check_columns, check_no_nulls, check_unique, require_documented_codes
from . import m49

SOURCE = "idmc-gidd"
GDIDATA = "iom-gdidata"
GDIDATA_FILES = ("idmc_stocks_2009-2023.rda", "idmc_stocks.rda")  # older first; both hold an R object 'idmc_stocks'
GDIDATA_COLUMNS = {
    "iso3": "str",          # ISO3 (AB9 = Abyei Area)
    "year": "int",          # end of year
    "cause": "str",         # 'conflict' or 'disaster'
    "sex": "str",           # 'female', 'male' or 'unknown' (IDMC SADD estimates)
    "age": "str",           # '0-4', '5-11', '12-17', '18-59', '60+' or 'unknown'
    "idps": "int",          # persons
    "file": "str",          # the pinned file the row comes from
}
FILE_COUNTRY_YEAR = "IDMC_Internal_Displacement_Conflict-Violence_Disasters.xlsx"
FILE_DISAGGREGATED = "IDMC_GIDD_Internal_Displacement_Disaggregated.xlsx"
FILE_EVENTS = "IDMC_GIDD_Disasters_Internal_Displacement_Data.xlsx"
NON_M49 = frozenset({"AB9", "XKX", "TWN"})

COUNTRY_YEAR_COLUMNS = {
    "iso3": "str",
    "name": "str",              # IDMC name
    "year": "int",
    "conflict_stock": "float",  # IDPs due to conflict and violence at year end, persons
    "conflict_new": "float",    # internal displacements (movements) due to conflict during the year
    "disaster_new": "float",    # internal displacements due to disasters during the year
    "disaster_stock": "float",  # IDPs due to disasters at year end (from 2019)
}
SADD_COLUMNS = {
    "iso3": "str",
    "name": "str",
    "year": "int",
    "sex": "str",      # 'Female', 'Male' or 'Both sexes'
    "cause": "str",    # 'Conflict' or 'Disaster'
    "age": "str",      # age band in years as IDMC labels it ('0-1', '0-4', ..., '25-64', '65+'); bands overlap
    "idps": "float",   # estimated IDPs of that sex and age at year end, persons
}
EVENT_COLUMNS = {
    "iso3": "str",
    "name": "str",
    "year": "int",                  # year of the displacement figure (an event can span two years)
    "event_id": "int",              # IDMC event id (nullable: <NA> for many events before ~2016)
    "event_name": "str",
    "start_date": "datetime",       # date the event started
    "hazard_category": "str",       # 'Weather related', 'Geophysical', 'Mixed disasters'
    "hazard_type": "str",           # Flood, Storm, Earthquake, Drought, Wildfire, ...
    "hazard_subtype": "str",
    "displacements": "float",       # internal displacements (rounded), persons
    "displacement_occurred": "str",  # whether preventive evacuations were reported ('' = not stated)
}
DISAGGREGATED_COLUMNS = {
    "figure_id": "int",         # IDMC figure id (unique)
    "iso3": "str",
    "name": "str",
    "geo_region": "str",        # IDMC geographical region
    "year": "int",              # 2023 only
    "cause": "str",             # 'Conflict' or 'Disaster'
    "category": "str",          # 'Internal Displacements' (flow) or 'IDPs' (stock)
    "unit": "str",              # unit of reported_figures: 'Person' or 'Household'
    "reported_figures": "float",  # figure as reported (persons or households)
    "household_size": "float",  # persons per household used for conversion (NaN for persons)
    "total_figures": "float",   # persons
    "hazard_category": "str",   # disasters only ('' for conflict)
    "hazard_sub_category": "str",
    "hazard_type": "str",
    "hazard_subtype": "str",
    "violence_type": "str",     # conflict only ('' for disasters): NIAC, IAC, OSV, unclear
    "event_id": "int",
    "event_name": "str",
    "start_date": "datetime",   # flows: start of the displacement (NaT for stocks)
    "end_date": "datetime",
    "stock_date": "datetime",   # stocks: date of the IDP figure (NaT for flows)
    "displacement_occurred": "str",
}
_KINDS = {"datetime": pd.api.types.is_datetime64_any_dtype}


def _read(path: Path, sheet: str) -> pd.DataFrame:
    try:
        return pd.read_excel(path, sheet_name=sheet)
    except ValueError as exc:  # raised for a missing sheet
        raise LoaderError(f"IDMC workbook {path.name} lacks sheet '{sheet}'.", expected=sheet, got=str(exc),
                          fix="the pinned workbook changed layout: update wmr/sources/idmc.py") from None


def _select(raw: pd.DataFrame, columns: dict[str, str], schema: dict[str, str], where: str) -> pd.DataFrame:
    """Rename raw columns to the schema's names and cast them: str ('' for missing), float, int, datetime."""
    if missing := [c for c in columns if c not in raw.columns]:
        raise LoaderError(f"IDMC sheet {where} lacks columns.", expected=list(columns), got=list(raw.columns),
                          fix="the pinned workbook changed layout: update wmr/sources/idmc.py")
    df = raw[list(columns)].rename(columns=columns)
    for col, kind in schema.items():
        if kind == "str":
            df[col] = df[col].fillna("").astype(str).str.strip()
        elif kind == "float":
            df[col] = df[col].astype("float64")
        elif kind == "int":
            df[col] = df[col].astype("Int64" if df[col].isna().any() else "int64")
        elif kind == "datetime":
            df[col] = pd.to_datetime(df[col])
    return df[list(schema)]


def _check(df: pd.DataFrame, table: str, schema: dict[str, str], keys: list[str] | None) -> pd.DataFrame:
    check_columns(df, table, {c: k for c, k in schema.items() if k != "datetime"})
    for col in (c for c, k in schema.items() if k == "datetime"):
        if not _KINDS["datetime"](df[col]):
            raise ValidationError(f"Column '{col}' of tidy table '{table}' has the wrong type.", expected="datetime",
                                  got=str(df[col].dtype), fix="parse the column with pd.to_datetime in the loader")
    if keys:
        check_unique(df, table, keys)
    check_no_nulls(df, table, ["iso3", "year"])
    require_documented_codes(df["iso3"].unique(), table, m49.known_iso3(), NON_M49, "wmr/kernel/sources/idmc.py")
    return df


def _parse_country_year(path: Path) -> pd.DataFrame:
    columns = {"ISO3": "iso3", "Name": "name", "Year": "year",
               "Conflict Stock Displacement": "conflict_stock", "Conflict Internal Displacements": "conflict_new",
               "Disaster Internal Displacements": "disaster_new", "Disaster Stock Displacement": "disaster_stock"}
    raw = _read(path, "1_Displacement_data")
    df = _select(raw, columns, COUNTRY_YEAR_COLUMNS, "1_Displacement_data")
    return df.sort_values(["iso3", "year"]).reset_index(drop=True)


def _parse_gdidata(*paths: Path) -> pd.DataFrame:
    import pyreadr

    parts = []
    for path, name in zip(paths, GDIDATA_FILES):
        raw = pyreadr.read_r(path)
        if "idmc_stocks" not in raw:
            raise LoaderError(f"R data file {path.name} lacks the expected data frame.", expected="idmc_stocks",
                              got=list(raw), fix="the pinned file changed layout: update wmr/sources/idmc.py")
        r = raw["idmc_stocks"]
        needed = ["geo", "t", "cause", "sex", "age", "n"]
        if missing := [c for c in needed if c not in r.columns]:
            raise LoaderError(f"R data file {path.name} lacks columns.", expected=needed, got=list(r.columns),
                              fix="the pinned file changed layout: update wmr/sources/idmc.py")
        parts.append(pd.DataFrame({"iso3": r["geo"].astype(str), "year": r["t"].astype("int64"),
                                   "cause": r["cause"].astype(str), "sex": r["sex"].astype(str),
                                   "age": r["age"].astype(str), "idps": r["n"].astype("int64"), "file": name}))
    old, new = parts
    old = old[~old["year"].isin(set(new["year"]))]  # a year in both files: the newer file wins
    return pd.concat([old, new], ignore_index=True).sort_values(["year", "iso3", "cause", "sex", "age"],
                                                                 ignore_index=True)


def load_gdidata_stocks() -> pd.DataFrame:
    """IDPs at the end of 2009-2024 by country, cause, sex and age (persons), from iom-gdidata.

    Why: the newest pinned IDP stocks (end-2024, GRID 2025) for wmr-2026, by conflict and by disasters.
    """
    df = cached_table("idmc-gdidata-stocks", "1", [(GDIDATA, f) for f in GDIDATA_FILES], _parse_gdidata)
    check_columns(df, "idmc-gdidata-stocks", GDIDATA_COLUMNS)
    check_unique(df, "idmc-gdidata-stocks", ["iso3", "year", "cause", "sex", "age"])
    if bad := sorted(set(df["cause"]) - {"conflict", "disaster"}):
        raise ValidationError("Column 'cause' of 'idmc-gdidata-stocks' has unexpected values.",
                              expected=["conflict", "disaster"], got=bad, fix="map the values in the loader")
    require_documented_codes(df["iso3"].unique(), "idmc-gdidata-stocks", m49.known_iso3(), NON_M49, "wmr/kernel/sources/idmc.py")
    return df


def load_country_year() -> pd.DataFrame:
    """Conflict and disaster displacement (new displacements and IDP stocks) by country, 2008-2022.

    Why: the WMR 2024 displacement figures (e.g. 28.3 million conflict displacements in 2022).
    """
    df = cached_table("idmc-country-year", "1", [(SOURCE, FILE_COUNTRY_YEAR)], _parse_country_year)
    return _check(df, "idmc-country-year", COUNTRY_YEAR_COLUMNS, ["iso3", "year"])


def _parse_sadd(path: Path) -> pd.DataFrame:
    raw = _read(path, "2_IDPs_SADD_estimates")
    ids = {"ISO3": "iso3", "Country": "name", "Year": "year", "Sex": "sex", "Cause": "cause"}
    if missing := [c for c in ids if c not in raw.columns]:
        raise LoaderError("IDMC sheet 2_IDPs_SADD_estimates lacks columns.", expected=list(ids),
                          got=list(raw.columns), fix="the pinned workbook changed layout: update wmr/sources/idmc.py")
    ages = [c for c in raw.columns if c not in ids]
    long = raw.rename(columns=ids).melt(id_vars=list(ids.values()), value_vars=ages, var_name="age", value_name="idps")
    long["age"] = long["age"].astype(str)
    df = _select(long, {c: c for c in SADD_COLUMNS}, SADD_COLUMNS, "2_IDPs_SADD_estimates")
    return df.sort_values(["iso3", "year", "cause", "sex", "age"]).reset_index(drop=True)


def load_sadd_estimates() -> pd.DataFrame:
    """IDPs by sex and age band (estimates), by country, cause and year, 2021-2022 (long: one row per band).

    Why: the gender chapter's internally displaced women and children.
    """
    df = cached_table("idmc-sadd", "1", [(SOURCE, FILE_COUNTRY_YEAR)], _parse_sadd)
    return _check(df, "idmc-sadd", SADD_COLUMNS, ["iso3", "year", "cause", "sex", "age"])


def _parse_events(path: Path) -> pd.DataFrame:
    columns = {"ISO3": "iso3", "Country / Territory": "name", "Year": "year", "Event ID": "event_id",
               "Event Name": "event_name", "Date of Event (start)": "start_date", "Hazard Category": "hazard_category",
               "Hazard Type": "hazard_type", "Hazard Sub Type": "hazard_subtype",
               "Disaster Internal Displacements": "displacements", "Displacement occurred": "displacement_occurred"}
    raw = _read(path, "1_Disaster_Displacement_data")
    return _select(raw, columns, EVENT_COLUMNS, "1_Disaster_Displacement_data")


def load_disaster_events() -> pd.DataFrame:
    """Disaster displacements by event, country and year with hazard category/type, 2008-2024 (file order).

    Why: the climate chapter's displacement by hazard (e.g. 45.8 million in 2024: storms and floods).
    """
    df = cached_table("idmc-disaster-events", "1", [(SOURCE, FILE_EVENTS)], _parse_events)
    return _check(df, "idmc-disaster-events", EVENT_COLUMNS, None)


def _parse_disaggregated(path: Path) -> pd.DataFrame:
    columns = {"ID": "figure_id", "ISO3": "iso3", "Country": "name", "Geographical region": "geo_region",
               "Year": "year", "Figure cause": "cause", "Figure category": "category", "Figure unit": "unit",
               "Reported figures": "reported_figures", "Household size": "household_size",
               "Total figures": "total_figures", "Hazard category": "hazard_category",
               "Hazard sub category": "hazard_sub_category", "Hazard type": "hazard_type",
               "Hazard sub type": "hazard_subtype", "Violence type": "violence_type", "Event ID": "event_id",
               "Event name": "event_name", "Start date": "start_date", "End date": "end_date",
               "Stock date": "stock_date", "Displacement occurred": "displacement_occurred"}
    raw = _read(path, "1_Disaggregated_Data")
    df = _select(raw, columns, DISAGGREGATED_COLUMNS, "1_Disaggregated_Data")
    return df.sort_values("figure_id").reset_index(drop=True)


def load_disaggregated_2023() -> pd.DataFrame:
    """The 2023 figure-level table: one row per reported figure with cause, category, hazard and event.

    Why: 2023 conflict figures, absent from the country-year file; sum `total_figures` by iso3, cause and
    category for national totals (e.g. conflict IDPs 68.3 million).
    """
    df = cached_table("idmc-disaggregated-2023", "1", [(SOURCE, FILE_DISAGGREGATED)], _parse_disaggregated)
    return _check(df, "idmc-disaggregated-2023", DISAGGREGATED_COLUMNS, ["figure_id"])
