"""UN Tourism (UNWTO) statistics, all-data download: inbound arrivals, total and by mode of transport, 1995-2022.

Tables (thousands of arrivals, float64; '..' = not available, absent rows):
- `load_arrivals(indicator)`: arrivals of non-resident visitors per country and year; 'total' (default,
  the 'Total arrivals' rows, series VF for almost all countries) or 'overnight' (tourists), 'same_day',
  'cruise'. The `series` says what is counted and varies by country: VF visitors at frontiers (incl.
  same-day), TF tourists at frontiers, THS tourists in hotels, TCE tourists in all accommodation; do not
  compare levels across series. 2022 is incomplete (101 countries with a total; 134 in 2019); no world
  total.
- `load_arrivals_by_transport()`: the same totals split by mode ('Air', 'Water', 'Land'; 'Total' kept). The
  mode rows carry no series of their own: they break down the country's total (Albania 1995: 45 + 83 +
  176 = 304), so they take the series of its 'Total' row.

Countries are keyed by UNWTO's numeric code `m49`, which is mostly UN M49 and mapped to ISO3 through the
pinned M49 table, except the codes in `_CODE_QUIRKS` (obsolete or shifted codes of this workbook). Areas
with no ISO3 of their own (Saba, Sint Eustatius, Serbia and Montenegro) keep iso3 ''.

Codes not known to UNSD M49, kept and documented in `NON_M49`:
- TWN  Taiwan Province of China (UNWTO code 158; absent from the UNSD M49 overview)
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from wmr.core.errors import ConfigError, LoaderError

from ..tidycache import cached_table
from ..validate import check_columns, check_no_nulls, check_unique, require_documented_codes
from . import m49

SOURCE = "unwto-tourism"
FILE = "unwto-all-data-download_2022.xlsx"
SHEET_ARRIVALS = " Inbound Tourism-Arrivals"  # sic: leading space
SHEET_TRANSPORT = "Inbound Tourism-Transport"
NON_M49 = frozenset({"TWN"})
# Indicators of the arrivals sheet: parameter of load_arrivals() -> the workbook's label.
INDICATORS = {
    "total": "Total arrivals",                       # visitors: tourists + same-day (series mostly VF)
    "overnight": "Overnights visitors (tourists)",   # tourists (series TF, THS or TCE)
    "same_day": "Same-day visitors (excursionists)",
    "cruise": "of which, cruise passengers",         # part of same-day visitors
}

# UNWTO codes that differ from the current UNSD M49 overview: code -> ISO3 ('' = no ISO3 of its own).
_CODE_QUIRKS = {
    534: "",     # 'BONAIRE' (M49 534 is Sint Maarten; Bonaire is part of BES, 535)
    535: "CUW",  # 'CURAÇAO' (M49 535 is Bonaire, Sint Eustatius and Saba; Curaçao is 531)
    663: "SXM",  # 'SINT MAARTEN (DUTCH PART)' (M49 663 is the French part; the Dutch part is 534)
    461: "",     # 'SABA' (part of BES)
    658: "",     # 'SINT EUSTATIUS' (part of BES)
    891: "",     # 'SERBIA AND MONTENEGRO' (dissolved 2006)
    230: "ETH",  # 'ETHIOPIA' (pre-1993 code)
    280: "DEU",  # 'GERMANY' (pre-1990 code)
    736: "SDN",  # 'SUDAN' (pre-2011 code)
    886: "YEM",  # 'YEMEN' (pre-2000 code)
    158: "TWN",  # 'TAIWAN PROVINCE OF CHINA' (ISO 3166 code; not in the M49 overview)
}

ARRIVALS_COLUMNS = {
    "iso3": "str",      # ISO3 ('' for Saba, Sint Eustatius, Bonaire, Serbia and Montenegro)
    "m49": "int",       # UNWTO numeric country code (M49 in most cases; see _CODE_QUIRKS)
    "name": "str",      # UNWTO name (upper case, as in the workbook)
    "year": "int",
    "series": "str",    # VF, TF, THS or TCE (see the module docstring); '' when not given
    "arrivals_thousands": "float",  # arrivals, thousands
}
TRANSPORT_COLUMNS = {
    **{c: ARRIVALS_COLUMNS[c] for c in ("iso3", "m49", "name", "year")},
    "mode": "str",      # 'Total', 'Air', 'Water' or 'Land'
    "series": "str",    # series of the country's 'Total' row
    "arrivals_thousands": "float",
}

# Column positions of the sheets (header on row 2): code, series number, name, indicator labels, series, years.
_CODE, _SERIES_NO, _NAME, _SERIES, _FIRST_YEAR_COL = 0, 1, 3, 10, 11


def _read(path: Path, sheet: str) -> pd.DataFrame:
    try:
        raw = pd.read_excel(path, sheet_name=sheet, header=None)
    except ValueError as exc:  # raised for a missing sheet
        raise LoaderError(f"UNWTO workbook {path.name} lacks sheet '{sheet}'.", expected=sheet, got=str(exc),
                          fix="the pinned workbook changed layout: update wmr/sources/tourism.py") from None
    header = raw.iloc[2].tolist()
    if header[:4] != ["C.", "S.", "C. & S.", "Basic data and indicators"] or header[_SERIES] != "Series":
        raise LoaderError(f"UNWTO sheet '{sheet}' does not have the expected header row.",
                          expected="row 3: C., S., C. & S., Basic data and indicators, ..., Series, 1995...",
                          got=header[:12], fix="the pinned workbook changed layout: update wmr/sources/tourism.py")
    return raw


def _parse(sheet: str, label_cols: tuple[int, ...], path: Path) -> pd.DataFrame:
    """Rows whose label (in one of `label_cols`) is set and that carry a country code, long by year."""
    raw = _read(path, sheet)
    header = raw.iloc[2]
    years = {i: int(y) for i, y in header.items() if i >= _FIRST_YEAR_COL and str(y).isdigit()}
    body = raw.iloc[3:]
    is_country = body[_SERIES_NO].astype(str).eq("0") & body[_NAME].notna()
    names = body[_NAME].where(is_country).ffill()
    rows = body[body[_CODE].notna() & ~is_country].copy()
    rows["label"] = rows[list(label_cols)].bfill(axis=1).iloc[:, 0]
    rows = rows[rows["label"].notna()]
    rows["name"] = names.loc[rows.index].astype(str)
    rows["series"] = rows[_SERIES].fillna("").astype(str).str.strip()
    long = rows.melt(id_vars=[_CODE, "name", "label", "series"], value_vars=list(years), var_name="col",
                     value_name="value")
    long = long[long["value"].ne("..") & long["value"].notna()]
    return pd.DataFrame({
        "m49": long[_CODE].astype("int64"),
        "name": long["name"].astype(str),
        "year": long["col"].map(years).astype("int64"),
        "label": long["label"].astype(str).str.strip(),
        "series": long["series"].astype(str),
        "arrivals_thousands": pd.to_numeric(long["value"]).astype("float64"),
    })


def _parse_arrivals(path: Path) -> pd.DataFrame:
    df = _parse(SHEET_ARRIVALS, (5, 6, 7), path)
    if bad := sorted(set(df["label"]) - set(INDICATORS.values())):
        raise LoaderError(f"UNWTO sheet '{SHEET_ARRIVALS}' has unexpected indicator labels.",
                          expected=list(INDICATORS.values()), got=bad, fix="update INDICATORS in wmr/sources/tourism.py")
    df["indicator"] = df.pop("label").map({v: k for k, v in INDICATORS.items()}).astype(str)
    return df.sort_values(["indicator", "m49", "year"]).reset_index(drop=True)


def _parse_transport(path: Path) -> pd.DataFrame:
    df = _parse(SHEET_TRANSPORT, (5, 6), path).rename(columns={"label": "mode"})
    # Mode rows break down the country's total: they take its series (a country has one series per year).
    total = df[df["mode"].eq("Total")].set_index(["m49", "year"])["series"]
    df["series"] = pd.Series(list(zip(df["m49"], df["year"])), index=df.index).map(total).fillna("").astype(str)
    return df.sort_values(["m49", "year", "mode"]).reset_index(drop=True)


def _with_iso3(df: pd.DataFrame, table: str, schema: dict[str, str]) -> pd.DataFrame:
    codes = dict(zip(m49.load_m49()["m49"], m49.load_m49()["iso3"])) | _CODE_QUIRKS
    if unknown := sorted(set(df["m49"]) - set(codes)):
        raise LoaderError(f"UNWTO table '{table}' has country codes that neither M49 nor the loader knows.",
                          expected="UN M49 numeric codes", got=unknown,
                          fix="add the code to _CODE_QUIRKS in wmr/sources/tourism.py")
    df.insert(0, "iso3", df["m49"].map(codes).astype(str))
    df = df[list(schema)]
    check_columns(df, table, schema)
    check_no_nulls(df, table, list(schema))
    require_documented_codes(df.loc[df["iso3"].ne(""), "iso3"].unique(), table, m49.known_iso3(), NON_M49, "wmr/kernel/sources/tourism.py")
    return df


def load_arrivals(indicator: str = "total") -> pd.DataFrame:
    """International (inbound) arrivals by country and year, 1995-2022, thousands, with the series counted.

    `indicator`: 'total' (all visitors: the 'Total arrivals' rows; Spain 2019: 126 million), 'overnight'
    (tourists: the TF/THS/TCE series, closest to WDI ST.INT.ARVL), 'same_day' or 'cruise'.
    Why: the post-pandemic chapter's collapse and rebound of international travel.
    """
    if indicator not in INDICATORS:
        raise ConfigError(f"Unknown UNWTO arrivals indicator '{indicator}'.", expected="one of: " + ", ".join(INDICATORS),
                          got=indicator, fix="use 'total', 'overnight', 'same_day' or 'cruise'")
    df = cached_table("unwto-arrivals", "1", [(SOURCE, FILE)], _parse_arrivals)
    df = df[df["indicator"].eq(indicator)].drop(columns="indicator").reset_index(drop=True)
    df = _with_iso3(df, "unwto-arrivals", ARRIVALS_COLUMNS)
    check_unique(df, "unwto-arrivals", ["m49", "year"])
    return df


def load_arrivals_by_transport() -> pd.DataFrame:
    """Inbound arrivals by mode of transport (Air, Water, Land and Total), country and year, thousands.

    Why: air travel's share of arrivals, the closest pinned substitute for air passenger counts.
    """
    df = cached_table("unwto-arrivals-transport", "1", [(SOURCE, FILE)], _parse_transport)
    df = _with_iso3(df, "unwto-arrivals-transport", TRANSPORT_COLUMNS)
    check_unique(df, "unwto-arrivals-transport", ["m49", "year", "mode"])
    return df
