"""UN DESA International Migrant Stock (IMS): bilateral stocks and destination workbooks, three editions.

Tables
- `load_bilateral(source_id)`: destination x origin x sex, 2024 and 2020 editions (long-format `.rda`
  conversions by the gdidata package). An absent (destination, origin, sex) combination means the UN had
  too little data to estimate it; 0 means a definite absence, except for destinations in years before
  they were separate areas (CUW, MNE, SSD to 2005, SXM to 2000): zeros where the workbook has '..'.
- `load_bilateral_2019()`: destination x origin, both sexes, 2019 edition (third-party reshaped CSV with
  UN names, mapped to ISO3 here). Dropped: its five sub-regional total rows (Caribbean, Melanesia,
  Micronesia, Polynesia, South America: 9,764,598 migrants in 2019, which would double count) and the
  '..'/'-' cells; it has no unknown-origin columns, so sums fall short of the UN totals.
- `load_destination_2020()`: the 2020 destination workbook (Tables 1, 2, 3, 4 and 6) as one long table of
  world, groups, regions and countries.
- `load_total_2019()`: the 2019 total workbook (Tables 1 and 2, income groups from its ANNEX).
- `stock_by_destination`, `stock_by_origin`, `world_totals`: the summaries chapters use.

Codes not known to UNSD M49 are kept in the tables and reported by `unknown_codes()`; a code beyond the
documented ones stops the load (ValidationError) so a new pin cannot slip one in unnoticed:
- TWN  Taiwan ('China, Taiwan Province of China', UN code 158, absent from the UNSD M49 overview): a
  destination and origin in the 2024 edition; the 2020 workbook lists it with population only.
- XCX  Channel Islands (UN DESA code 830; the M49 overview lists Guernsey GGY and Jersey JEY instead).
  XCX is the code of the gdidata files; the workbooks and the 2019 CSV are mapped to it so editions join.
- OOO  origin not specified (UN 'Other' origins) in the bilateral files: not a country, never reported.

UN DESA editions revise earlier years: never mix editions in one series.
"""
from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pandas as pd
import pyreadr

from wmr.core.errors import ConfigError, LoaderError, ValidationError

from ..tidycache import cached_table
from ..validate import check_codes, check_columns, check_no_nulls, check_unique
from . import m49

# Bilateral sources in .rda form: source id -> (file, name of the R object inside it).
BILATERAL = {
    "undesa-ims-2024-bilateral": ("undesa_stocks.rda", "undesa_stocks"),
    "undesa-ims-2020-bilateral": ("undesa_stocks_2020.rda", "undesa_stocks_2020"),
}
SOURCE_2019_BILATERAL = "undesa-ims-2019-bilateral"
FILE_2019_BILATERAL = "UN_MigrantStockByOriginAndDestination_2019_clean.csv"
BILATERAL_SOURCES = (*BILATERAL, SOURCE_2019_BILATERAL)
SOURCE_2020 = "undesa-ims-2020"
FILE_2020 = "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
SOURCE_2024 = "undesa-ims-2024"
FILE_2024 = "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"
SOURCE_2019 = "undesa-ims-2019"
FILE_2019 = "undesa_pd_2019_migrant_stock_total_dataset.xlsx"

UNKNOWN_ORIGIN = "OOO"
WORLD_CODE = 900  # UN DESA location code of WORLD; codes from 900 up are aggregates, lower ones countries
# UN location codes of areas missing from the UNSD M49 overview, and the code used for them (see above).
ISO3_NOT_IN_M49 = {158: "TWN", 830: "XCX"}
NON_M49 = frozenset(ISO3_NOT_IN_M49.values())
# UN 2019 spellings that neither the M49 table nor the 2020 workbook know, -> ISO3. None are needed for the
# pinned files; add a commented entry here if a new pin brings one (load_bilateral_2019 names it).
EXTRA_NAMES_2019: dict[str, str] = {}
KINDS = ("world", "sdg_region", "development_group", "income_group", "region", "subregion", "country")

BILATERAL_COLUMNS = {
    "year": "int",          # mid-year (1 July) of the estimate
    "dest_iso3": "str",     # country or area of destination, ISO3
    "origin_iso3": "str",   # country or area of origin, ISO3; 'OOO' = origin not specified
    "sex": "str",           # 'female' or 'male' (no both-sexes rows: sum the two)
    "migrants": "int",      # international migrant stock, persons
    "imputed": "bool",      # True when the UN had no data for the destination and imputed it (type_i)
}
BILATERAL_2019_COLUMNS = {
    "year": "int",          # mid-year (1 July) of the estimate: 1990, 1995, ..., 2015, 2019
    "dest_iso3": "str",     # destination, ISO3 (mapped from the UN name)
    "origin_iso3": "str",   # origin, ISO3 (no unknown-origin rows in this file)
    "migrants": "int",      # international migrant stock, both sexes, persons
}
DESTINATION_COLUMNS = {
    "m49": "int",           # UN location code (M49 numeric for countries; 900 and up for aggregates)
    "name": "str",          # UN name, without indentation and trailing '*'
    "iso3": "str",          # ISO3 for countries (TWN, XCX beyond M49); '' for aggregates
    "kind": "str",          # one of KINDS, read from the workbook's layout (see _kinds_2020)
    "year": "int",          # mid-year (1 July)
    "sex": "str",           # 'total', 'male' or 'female'
    "migrants": "float",    # international migrant stock, persons (NaN = not available)
    "population": "float",  # total population, persons (Table 2 is in thousands; converted)
    "migrant_share_pct": "float",  # migrants as % of the population of that sex
    "female_share_pct": "float",   # female migrants as % of all migrants (sex 'total' only, else NaN)
    "refugees": "float",    # refugees and asylum seekers, persons (sex 'total' only; NaN also for '~')
}
TOTAL_2019_COLUMNS = {
    **{c: DESTINATION_COLUMNS[c] for c in ("m49", "name", "iso3", "kind", "year", "sex", "migrants", "population")},
    "income_group": "str",  # World Bank income group in the ANNEX (countries only; '' for aggregates)
}
DESTINATION_KEYS = ["m49", "kind", "year", "sex"]  # 'Australia and New Zealand' is both SDG region and subregion

_NA = ["..", "~"]  # '..' not available; '~' suppressed for privacy (fewer than five persons)
_YEAR_COLUMN = re.compile(r"(\d{4})(?:\.([12]))?")  # 1990 = both sexes, '1990.1' males, '1990.2' females
_SEX_OF_BLOCK = {None: "total", "1": "male", "2": "female"}
_SEX_ORDER = {"total": 0, "male": 1, "female": 2}
# Section labels of the 2019 workbook (rows without a code), matched in this order: 'SDG' first, because
# 'Sustainable Development Goal (SDG) regions' also contains 'development'.
_SECTIONS_2019 = (("(sdg)", "sdg_region"), ("income", "income_group"), ("geographic", "region"),
                  ("development", "development_group"))
# ANNEX columns of the 2019 workbook holding the mutually exclusive World Bank income groups.
_INCOME_COLUMNS_2019 = ("High-income Countries", "Upper-middle-income Countries", "Lower-middle-income Countries",
                        "Low-income Countries", "No income group available")


# ---------------------------------------------------------------------------------------------- bilateral

def _parse_bilateral(obj: str, path: Path) -> pd.DataFrame:
    raw = pyreadr.read_r(path)
    if obj not in raw:
        raise LoaderError(f"R data file {path.name} lacks the expected data frame.", expected=obj, got=list(raw),
                          fix="the pinned file changed layout: update BILATERAL in wmr/sources/ims.py")
    r = raw[obj]
    needed = ["geo", "t", "from", "sex", "n", "type_i"]
    if missing := [c for c in needed if c not in r.columns]:
        raise LoaderError(f"Data frame '{obj}' lacks columns.", expected=needed, got=list(r.columns),
                          fix="the pinned file changed layout: update the loader and its tests")
    return pd.DataFrame({
        "year": r["t"].astype("int64"),
        "dest_iso3": r["geo"].astype(str),
        "origin_iso3": r["from"].astype(str),
        "sex": r["sex"].astype(str),
        "migrants": r["n"].astype("int64"),
        "imputed": r["type_i"].eq(1),
    })


def load_bilateral(source_id: str) -> pd.DataFrame:
    """Migrant stock by destination x origin x sex (persons) for the 2024 or 2020 edition.

    Why: the origin x destination matrix behind corridors, emigrants by origin and regional aggregates.
    Both sexes are the sum of the 'female' and 'male' rows; 'OOO' origins complete the UN totals.
    """
    if source_id not in BILATERAL:
        raise ConfigError(f"'{source_id}' is not a by-sex bilateral migrant stock source.",
                          expected="one of: " + ", ".join(BILATERAL), got=source_id,
                          fix="use load_bilateral_2019() for the 2019 edition, which has no breakdown by sex")
    file, obj = BILATERAL[source_id]
    df = cached_table(source_id, "1", [(source_id, file)], partial(_parse_bilateral, obj))
    check_columns(df, source_id, BILATERAL_COLUMNS)
    check_unique(df, source_id, ["year", "dest_iso3", "origin_iso3", "sex"])
    if bad := sorted(set(df["sex"].unique()) - {"female", "male"}):
        raise ValidationError(f"Column 'sex' of '{source_id}' has unexpected values.",
                              expected=["female", "male"], got=bad, fix="map the values in the loader")
    _report_codes(df, source_id)
    return df


def _names_to_iso3(workbook_2020: Path) -> tuple[dict[str, str], set[str]]:
    """UN country name -> ISO3 (2020 workbook names via their code; M49 names win), and aggregate names."""
    sheet = _read_workbook(workbook_2020, ["Table 1"], header=10)["Table 1"]
    rows = _identity(sheet, "Table 1", type_col=4)
    lookup = _iso3_lookup()
    countries = rows[rows["m49"] < WORLD_CODE]
    names = {n: lookup[c] for n, c in zip(countries["name"], countries["m49"]) if c in lookup}
    table = m49.load_m49()
    names.update(zip(table["name"], table["iso3"]))
    names.update(EXTRA_NAMES_2019)
    return names, set(rows.loc[rows["m49"] >= WORLD_CODE, "name"])


def _parse_bilateral_2019(csv_path: Path, workbook_2020: Path, _m49_path: Path) -> pd.DataFrame:
    raw = pd.read_csv(csv_path, encoding="utf-8", na_values=["..", "-"])
    if not {"Year", "Dest"} <= set(raw.columns):
        raise LoaderError(f"{csv_path.name} lacks its id columns.", expected=["Year", "Dest", "<origins>..."],
                          got=list(raw.columns[:5]), fix="the pinned file changed layout: update the loader")
    long = raw.melt(id_vars=["Year", "Dest"], var_name="origin", value_name="migrants")
    names, aggregates = _names_to_iso3(workbook_2020)
    # The reshaped CSV kept five sub-regional total rows as destinations (Caribbean, Melanesia, Micronesia,
    # Polynesia, South America): they would double count, so aggregate names are dropped.
    long = long[~long["Dest"].isin(aggregates) & ~long["origin"].isin(aggregates)]
    long = long.assign(dest_iso3=long["Dest"].map(names), origin_iso3=long["origin"].map(names))
    unmapped = long[long["dest_iso3"].isna() | long["origin_iso3"].isna()]
    if unmapped["migrants"].notna().any():
        carrying = unmapped[unmapped["migrants"].notna()]
        bad = sorted(set(carrying.loc[carrying["dest_iso3"].isna(), "Dest"])
                     | set(carrying.loc[carrying["origin_iso3"].isna(), "origin"]))
        raise LoaderError("UN country names in the 2019 bilateral CSV cannot be mapped to ISO3.",
                          expected="names of the M49 table or of the 2020 IMS workbook", got=bad,
                          fix="add the spelling to EXTRA_NAMES_2019 in wmr/sources/ims.py, with a comment")
    # Dropped here: '..' and '-' cells (not available; the four '-' are Montenegro 1990-2005, before it
    # existed) and unmapped names without any data.
    long = long.dropna(subset=["dest_iso3", "origin_iso3", "migrants"])
    if (long["migrants"] % 1 != 0).any():
        raise LoaderError(f"{csv_path.name} holds fractional migrant counts.", expected="whole persons",
                          got=long.loc[long["migrants"] % 1 != 0, "migrants"].head(3).tolist(),
                          fix="check the pinned file")
    return pd.DataFrame({
        "year": long["Year"].astype("int64"),
        "dest_iso3": long["dest_iso3"].astype(str),
        "origin_iso3": long["origin_iso3"].astype(str),
        "migrants": long["migrants"].astype("int64"),
    }).sort_values(["year", "dest_iso3", "origin_iso3"], ignore_index=True)


def load_bilateral_2019() -> pd.DataFrame:
    """Migrant stock by destination x origin, both sexes (persons), 2019 edition.

    Why: corridors and emigrants by origin as published with WMR 2020/2022. The file has no
    unknown-origin columns, so destination sums fall short of the UN totals (use load_total_2019 for those).
    """
    inputs = [(SOURCE_2019_BILATERAL, FILE_2019_BILATERAL), (SOURCE_2020, FILE_2020), (m49.SOURCE, m49.FILE)]
    df = cached_table(SOURCE_2019_BILATERAL, "1", inputs, _parse_bilateral_2019)
    check_columns(df, SOURCE_2019_BILATERAL, BILATERAL_2019_COLUMNS)
    check_unique(df, SOURCE_2019_BILATERAL, ["year", "dest_iso3", "origin_iso3"])
    _report_codes(df, SOURCE_2019_BILATERAL)
    return df


# ---------------------------------------------------------------------------------------------- workbooks

def _read_workbook(path: Path, sheets: list[str], header: int) -> dict[str, pd.DataFrame]:
    try:
        return pd.read_excel(path, sheet_name=sheets, header=header, na_values=_NA)
    except ValueError as exc:  # raised for a missing sheet
        raise LoaderError(f"Workbook {path.name} lacks an expected sheet.", expected=sheets, got=str(exc),
                          fix="the pinned workbook changed layout: update the loader") from None


def _identity(sheet: pd.DataFrame, sheet_name: str, type_col: int | None, code_col: int = 3) -> pd.DataFrame:
    """Row identity by column position: name (col 1, cleaned), location code (`code_col`), type of data."""
    names = sheet.iloc[:, 1].astype(str).str.strip().str.rstrip("*").str.strip()
    codes = pd.to_numeric(sheet.iloc[:, code_col], errors="coerce")
    if names.str.upper().eq("WORLD").sum() != 1 or codes.eq(WORLD_CODE).sum() != 1:
        raise LoaderError(f"Sheet '{sheet_name}' has no single WORLD row with code {WORLD_CODE}.",
                          expected=f"name in column 2, UN location code in column {code_col + 1}",
                          got=list(sheet.columns[:5]),
                          fix="the pinned workbook changed layout: update the loader")
    types = sheet.iloc[:, type_col].fillna("").astype(str).str.strip() if type_col is not None else ""
    return pd.DataFrame({"row": sheet.index, "name": names, "m49": codes, "type": types})


def _long(sheet: pd.DataFrame, sheet_name: str, value: str, total_only: bool = False) -> pd.DataFrame:
    """The year columns of one sheet as rows: row (position), year, sex, value."""
    parts = []
    for col in sheet.columns:
        match = _YEAR_COLUMN.fullmatch(str(col))
        if not match or (total_only and match[2]):
            continue
        if not pd.api.types.is_numeric_dtype(sheet[col]):
            bad = sorted({v for v in sheet[col] if isinstance(v, str)})[:5]
            raise LoaderError(f"Column {col!r} of sheet '{sheet_name}' holds text.", expected="numbers, '..' or '~'",
                              got=bad, fix="add the marker to _NA in wmr/sources/ims.py if it means 'not available'")
        parts.append(pd.DataFrame({"row": sheet.index, "year": int(match[1]),
                                   "sex": _SEX_OF_BLOCK[match[2]], value: sheet[col].astype("float64")}))
    if not parts:
        raise LoaderError(f"Sheet '{sheet_name}' has no year columns.", expected="1990, 1995, ...",
                          got=list(sheet.columns), fix="the pinned workbook changed layout: update the loader")
    return pd.concat(parts, ignore_index=True)


def _same_rows(sheets: dict[str, pd.DataFrame], first: pd.DataFrame, code_col: int = 3) -> None:
    for name, sheet in sheets.items():
        codes = pd.to_numeric(sheet.iloc[:, code_col], errors="coerce")
        if not codes.fillna(-1).reset_index(drop=True).equals(first["m49"].fillna(-1).reset_index(drop=True)):
            raise LoaderError(f"Sheet '{name}' lists different rows than the first table.",
                              expected="the same location codes in the same order", got=f"{len(codes)} rows",
                              fix="the pinned workbook changed layout: join the sheets on codes in the loader")


def _iso3_lookup() -> dict[int, str]:
    m = m49.load_m49()
    return {**ISO3_NOT_IN_M49, **dict(zip(m["m49"].astype(int), m["iso3"]))}


def _finish(rows: pd.DataFrame, values: pd.DataFrame, source: str) -> pd.DataFrame:
    """Join row identity and values; add ISO3 for countries; sort; parquet-friendly types."""
    rows = rows[rows["kind"] != "label"].copy()
    rows["m49"] = rows["m49"].astype("int64")
    lookup = _iso3_lookup()
    countries = rows["kind"].eq("country")
    missing = rows.loc[countries & ~rows["m49"].isin(list(lookup)), ["name", "m49"]]
    if len(missing):
        raise LoaderError(f"Countries of {source} have UN codes unknown to M49.", expected="codes in the M49 table",
                          got=missing.to_dict("records"), fix="map the code in ISO3_NOT_IN_M49 (documented)")
    rows["iso3"] = rows["m49"].map(lookup).where(countries, "").astype(str)
    df = rows.merge(values, on="row", validate="one_to_many")
    df = df.sort_values(["row", "year", "sex"], key=lambda s: s.map(_SEX_ORDER) if s.name == "sex" else s)
    return df.drop(columns=["row", "type"]).reset_index(drop=True)


def _kinds_2020(rows: pd.DataFrame, typed_aggregates: frozenset[str] = frozenset()) -> list[str]:
    """Kind of each row of the 2020 workbook, read from its layout.

    Codes below 900 are countries or areas (235 rows: 232 with a 'Type of data', plus Taiwan, Saint
    Barthélemy and Saint Martin, listed with population only); 900 is WORLD. The rows between WORLD and
    the first capitalised name (AFRICA) are the summary block, in three runs: names with 'income' are
    income groups, names with 'develop' development groups (developed, LDC, LLDC, SIDS), the rest SDG
    regions. From AFRICA on, capitalised aggregates are regions and the others sub-regions.
    """
    typed = rows["type"].ne("") & rows["m49"].ge(WORLD_CODE) & ~rows["name"].isin(typed_aggregates)
    if typed.any():
        raise LoaderError("An aggregate row of the 2020 workbook has a 'Type of data'.",
                          expected=f"'Type of data' only on country rows (codes below {WORLD_CODE})",
                          got=rows.loc[typed, "name"].tolist(),
                          fix="the pinned workbook changed layout: update _kinds_2020")
    kinds, geographic = [], False
    for name, code in zip(rows["name"], rows["m49"]):
        geographic = geographic or (code != WORLD_CODE and name.isupper())
        if code < WORLD_CODE:
            kinds.append("country")
        elif code == WORLD_CODE:
            kinds.append("world")
        elif geographic:
            kinds.append("region" if name.isupper() else "subregion")
        elif "income" in name.lower():
            kinds.append("income_group")
        elif "develop" in name.lower():
            kinds.append("development_group")
        else:
            kinds.append("sdg_region")
    if not geographic:
        raise LoaderError("The 2020 workbook has no capitalised geographic region rows.", expected="AFRICA, ASIA, ...",
                          got="none", fix="the pinned workbook changed layout: update _kinds_2020")
    return kinds


def _parse_destination_2020(path: Path, _m49_path: Path) -> pd.DataFrame:
    sheets = _read_workbook(path, ["Table 1", "Table 2", "Table 3", "Table 4", "Table 6"], header=10)
    rows = _identity(sheets["Table 1"], "Table 1", type_col=4)
    _same_rows(sheets, rows)
    rows["kind"] = _kinds_2020(rows)
    values = _long(sheets["Table 1"], "Table 1", "migrants")
    for sheet, value, total_only in [("Table 2", "population", False), ("Table 3", "migrant_share_pct", False),
                                     ("Table 4", "female_share_pct", True), ("Table 6", "refugees", True)]:
        more = _long(sheets[sheet], sheet, value, total_only)
        values = values.merge(more, on=["row", "year", "sex"], how="left", validate="one_to_one")
    values["population"] = (values["population"] * 1000).round()  # thousands (3 decimals) -> persons
    return _finish(rows, values, SOURCE_2020)[list(DESTINATION_COLUMNS)]


def load_destination_2020() -> pd.DataFrame:
    """Migrant stock, population, migrant share, female share and refugees by destination, 2020 edition.

    Why: the official 2020-edition figures for the world, SDG regions, development and income groups,
    regions, sub-regions and countries (WMR 2022/2024 totals, shares of population, refugees in the stock).
    One row per (m49, kind, year, sex); select a kind before summing.
    """
    df = cached_table("undesa-ims-2020-destination", "1", [(SOURCE_2020, FILE_2020), (m49.SOURCE, m49.FILE)],
                      _parse_destination_2020)
    _validate_destination(df, SOURCE_2020, DESTINATION_COLUMNS)
    return df


def _parse_destination_2024(path: Path, _m49_path: Path) -> pd.DataFrame:
    sheets = _read_workbook(path, ["Table 1", "Table 2", "Table 3", "Table 4"], header=10)
    rows = _identity(sheets["Table 1"], "Table 1", type_col=3, code_col=4)
    _same_rows({k: v for k, v in sheets.items() if k != "Table 2"}, rows, code_col=4)
    # Table 2 (population) has no location code column: it lists the same rows, keyed by the Index column.
    index = sheets["Table 1"].iloc[:, 0].reset_index(drop=True)
    if not sheets["Table 2"].iloc[:, 0].reset_index(drop=True).equals(index):
        raise LoaderError("Table 2 of the 2024 workbook lists different rows than Table 1.",
                          expected="the same Index column", got=f"{len(sheets['Table 2'])} rows",
                          fix="the pinned workbook changed layout: join Table 2 on its Index in the loader")
    # The 2024 workbook gives the sub-region Australia/New Zealand the data type of its two countries.
    rows["kind"] = _kinds_2020(rows, typed_aggregates=frozenset({"Australia/New Zealand"}))
    values = _long(sheets["Table 1"], "Table 1", "migrants")
    for sheet, value, total_only in [("Table 2", "population", False), ("Table 3", "migrant_share_pct", False),
                                     ("Table 4", "female_share_pct", True)]:
        more = _long(sheets[sheet], sheet, value, total_only)
        values = values.merge(more, on=["row", "year", "sex"], how="left", validate="one_to_one")
    values["population"] = (values["population"] * 1000).round()  # thousands (3 decimals) -> persons
    values["refugees"] = float("nan")  # the 2024 workbook has no refugee table
    return _finish(rows, values, SOURCE_2024)[list(DESTINATION_COLUMNS)]


def load_destination_2024() -> pd.DataFrame:
    """Migrant stock, population (WPP 2024), migrant share and female share by destination, 2024 edition.

    Why: the official 2024-edition figures and the population UN DESA itself divides by (Table 2), for the
    world, groups, regions and countries. Same columns as load_destination_2020 (refugees all NaN).
    """
    df = cached_table("undesa-ims-2024-destination", "1", [(SOURCE_2024, FILE_2024), (m49.SOURCE, m49.FILE)],
                      _parse_destination_2024)
    _validate_destination(df, SOURCE_2024, DESTINATION_COLUMNS)
    return df


# Official destination workbook of each migrant stock edition (the population it divides by, its regions).
WORKBOOKS = {"undesa-ims-2024-bilateral": (SOURCE_2024, load_destination_2024),
             "undesa-ims-2020-bilateral": (SOURCE_2020, load_destination_2020),
             SOURCE_2019_BILATERAL: (SOURCE_2019, lambda: load_total_2019())}


def destination_workbook(ims_source: str) -> pd.DataFrame:
    """The official destination workbook of the edition of `ims_source` (see WORKBOOKS)."""
    if ims_source not in WORKBOOKS:
        raise ConfigError(f"'{ims_source}' has no pinned official destination workbook.",
                          expected="one of: " + ", ".join(WORKBOOKS), got=ims_source,
                          fix="use a by-sex bilateral source of the 2020 or 2024 edition")
    return WORKBOOKS[ims_source][1]()


def workbook_source(ims_source: str) -> str:
    """Source id of the official destination workbook of `ims_source`'s edition."""
    if ims_source not in WORKBOOKS:
        destination_workbook(ims_source)  # raises the ConfigError
    return WORKBOOKS[ims_source][0]


def workbook_regions(ims_source: str) -> dict[str, str]:
    """ISO3 -> geographic region as the edition's workbook lists it (each country follows its region row).

    Why: UN DESA allocates areas the M49 overview lacks (Taiwan Province of China to Eastern Asia, the
    Channel Islands to Northern Europe); its regional totals are sums over exactly these countries.
    """
    wb = destination_workbook(ims_source)
    rows = wb[(wb["year"] == wb["year"].max()) & (wb["sex"] == "total")]
    out, region = {}, None
    for kind, nm, iso3 in zip(rows["kind"], rows["name"], rows["iso3"]):
        if kind == "region":
            region = nm
        elif kind == "country" and region is not None:
            out[iso3] = region
    return out


def _kinds_2019(rows: pd.DataFrame) -> list[str]:
    """Kind of each row of the 2019 workbook, read from its section label rows (rows without a code).

    Sections: 'UN development groups', 'World Bank income groups', 'Geographic regions' (the six regions)
    and 'Sustainable Development Goal (SDG) regions'. In the SDG section capitalised rows are SDG regions,
    except EUROPE and NORTHERN AMERICA, which split the SDG region EUROPE AND NORTHERN AMERICA (their names
    are part of its name) and, like the mixed-case rows, are sub-regions. Codes below 900 are countries.
    """
    kinds, section, sdg_region = [], None, ""
    for name, code in zip(rows["name"], rows["m49"]):
        if pd.isna(code):
            section = next((kind for key, kind in _SECTIONS_2019 if key in name.lower()), None)
            if section is None:
                raise LoaderError(f"Unknown section label {name!r} in the 2019 workbook.",
                                  expected=[key for key, _ in _SECTIONS_2019], got=name,
                                  fix="the pinned workbook changed layout: update _SECTIONS_2019")
            kinds.append("label")
        elif code < WORLD_CODE:
            kinds.append("country")
        elif code == WORLD_CODE:
            kinds.append("world")
        elif section == "sdg_region":
            new_sdg = name.isupper() and name not in sdg_region
            sdg_region = name if new_sdg else sdg_region
            kinds.append("sdg_region" if new_sdg else "subregion")
        elif section is None:
            raise LoaderError(f"Aggregate {name!r} precedes every section label in the 2019 workbook.",
                              expected="a section label row before it", got=name,
                              fix="the pinned workbook changed layout: update _kinds_2019")
        else:
            kinds.append(section)
    return kinds


def _income_2019(annex: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """World Bank income group of each country row from the ANNEX 'Y' flags ('' for aggregates)."""
    if missing := [c for c in _INCOME_COLUMNS_2019 if c not in annex.columns]:
        raise LoaderError("The 2019 ANNEX lacks income-group columns.", expected=list(_INCOME_COLUMNS_2019),
                          got=list(annex.columns), fix="the pinned workbook changed layout: update the loader")
    flags = annex[list(_INCOME_COLUMNS_2019)].eq("Y")
    countries = rows["m49"].lt(WORLD_CODE).to_numpy()
    if not flags[countries].sum(axis=1).eq(1).all():
        raise LoaderError("A country of the 2019 ANNEX has not exactly one income group.", expected="one 'Y'",
                          got=rows.loc[countries & ~flags.sum(axis=1).eq(1).to_numpy(), "name"].tolist(),
                          fix="check the pinned workbook")
    labels = flags.idxmax(axis=1).str.replace(" Countries", "", regex=False)
    return labels.where(countries, "")


def _parse_total_2019(path: Path, _m49_path: Path) -> pd.DataFrame:
    sheets = _read_workbook(path, ["Table 1", "Table 2", "ANNEX"], header=15)
    rows = _identity(sheets["Table 1"], "Table 1", type_col=4)
    _same_rows(sheets, rows)
    rows["kind"] = _kinds_2019(rows)
    rows["income_group"] = _income_2019(sheets["ANNEX"], rows)
    values = _long(sheets["Table 1"], "Table 1", "migrants").merge(
        _long(sheets["Table 2"], "Table 2", "population"), on=["row", "year", "sex"], how="left", validate="one_to_one")
    values["population"] = (values["population"] * 1000).round()  # thousands -> persons
    return _finish(rows, values, SOURCE_2019)[list(TOTAL_2019_COLUMNS)]


def load_total_2019() -> pd.DataFrame:
    """Migrant stock and population by destination (world, groups, regions, countries), 2019 edition.

    Why: the previous edition's official totals (WMR 2020: 272 million in 2019) and each country's World
    Bank income group in 2019. One row per (m49, kind, year, sex); select a kind before summing.
    """
    df = cached_table("undesa-ims-2019-total", "1", [(SOURCE_2019, FILE_2019), (m49.SOURCE, m49.FILE)],
                      _parse_total_2019)
    _validate_destination(df, SOURCE_2019, TOTAL_2019_COLUMNS)
    return df


def _validate_destination(df: pd.DataFrame, table: str, schema: dict[str, str]) -> None:
    check_columns(df, table, schema)
    check_unique(df, table, DESTINATION_KEYS)
    check_no_nulls(df, table, ["m49", "name", "iso3", "kind", "year", "sex"])
    if bad := sorted(set(df["kind"].unique()) - set(KINDS)):
        raise ValidationError(f"Column 'kind' of '{table}' has unexpected values.", expected=KINDS, got=bad,
                              fix="fix the kind rules in wmr/sources/ims.py")
    _report_codes(df, table)


# ---------------------------------------------------------------------------------------------- codes

def unknown_codes(df: pd.DataFrame) -> set[str]:
    """Country codes in the ISO3 columns of `df` that UNSD M49 does not list (e.g. TWN, XCX).

    'OOO' (origin not specified) and '' (aggregates) are not country codes and are left out.
    """
    columns = [c for c in df.columns if c.endswith("iso3")]
    codes = set().union(*(set(df[c].unique()) for c in columns)) - {""}
    return check_codes(codes, "ims", m49.known_iso3(), allowed_extra={UNKNOWN_ORIGIN})


def _report_codes(df: pd.DataFrame, table: str) -> None:
    if new := unknown_codes(df) - NON_M49:
        raise ValidationError(f"Tidy table '{table}' holds country codes that M49 and this module do not know.",
                              expected="M49 ISO3 codes or one of " + ", ".join(sorted(NON_M49)), got=sorted(new),
                              fix="map the codes in the loader, or keep and document them in NON_M49 of "
                                  "wmr/sources/ims.py")


# ---------------------------------------------------------------------------------------------- summaries

def _both_sexes(source_id: str) -> pd.DataFrame:
    """year, dest_iso3, origin_iso3, migrants (both sexes) for any bilateral source."""
    if source_id == SOURCE_2019_BILATERAL:
        return load_bilateral_2019()
    if source_id not in BILATERAL:
        raise ConfigError(f"'{source_id}' is not a bilateral migrant stock source.",
                          expected="one of: " + ", ".join(BILATERAL_SOURCES), got=source_id,
                          fix="pass one of the listed source ids")
    df = load_bilateral(source_id)
    return df.groupby(["year", "dest_iso3", "origin_iso3"], as_index=False)["migrants"].sum()


def _in_year(df: pd.DataFrame, year: int | None, source_id: str) -> pd.DataFrame:
    if year is None:
        return df
    years = sorted(int(y) for y in df["year"].unique())
    if year not in years:
        raise ConfigError(f"Year {year} is not in {source_id}.", expected=years, got=year,
                          fix="use one of the listed mid-year estimates")
    return df[df["year"] == year]


def stock_by_destination(source_id: str, year: int | None = None) -> pd.DataFrame:
    """Migrants living in each destination (both sexes): columns dest_iso3, year, migrants (persons).

    Why: destination rankings and maps. For the 2019 CSV these sums lack unknown origins and fall short of
    the UN destination totals (e.g. USA 2019: 48.1 vs 50.7 million).
    """
    df = _in_year(_both_sexes(source_id), year, source_id)
    return df.groupby(["dest_iso3", "year"], as_index=False)["migrants"].sum()


def stock_by_origin(source_id: str, year: int | None = None) -> pd.DataFrame:
    """Emigrants from each origin (both sexes), 'OOO' = origin not specified: origin_iso3, year, migrants."""
    df = _in_year(_both_sexes(source_id), year, source_id)
    return df.groupby(["origin_iso3", "year"], as_index=False)["migrants"].sum()


def world_totals(source_id: str) -> pd.DataFrame:
    """World migrant stock by year: year, total, male, female (persons), female_share_pct.

    Why: the headline series. Only the by-sex bilateral sources sum to the UN world totals; the 2019 CSV
    lacks sex and unknown origins, so use load_total_2019() for 2019-edition totals.
    """
    if source_id == SOURCE_2019_BILATERAL:
        raise ConfigError("World totals cannot be computed from the 2019 bilateral CSV.",
                          expected="one of: " + ", ".join(BILATERAL), got=source_id,
                          fix="use load_total_2019() (kind == 'world') for 2019-edition world totals")
    by_sex = load_bilateral(source_id).groupby(["year", "sex"])["migrants"].sum().unstack("sex")
    out = pd.DataFrame({"year": by_sex.index.astype("int64"),
                        "total": (by_sex["female"] + by_sex["male"]).astype("int64").to_numpy(),
                        "male": by_sex["male"].astype("int64").to_numpy(),
                        "female": by_sex["female"].astype("int64").to_numpy()})
    out["female_share_pct"] = 100 * out["female"] / out["total"]
    return out


def desa_allocations() -> dict[str, str]:
    """ISO3 -> WMR region of areas the M49 overview lacks, where UN DESA's 2020 workbook lists them.

    Why: UN DESA's regional totals include China, Taiwan Province of China (Eastern Asia, so Asia) and the
    Channel Islands (Northern Europe, so Europe); read from the workbook's layout, not typed here. The 2020
    workbook (pinned by both editions) places them as the 2024 one does (tests check both).
    """
    by_upper = {r.upper(): r for r in m49.WMR_REGIONS}
    known = m49.known_iso3()
    return {iso3: by_upper[region.upper()] for iso3, region in workbook_regions("undesa-ims-2020-bilateral").items()
            if iso3 not in known}


def region_of() -> dict[str, str]:
    """Map ISO3 -> WMR region (empty regions dropped), with UN DESA's allocation of non-M49 areas."""
    df = m49.load_m49()
    df = df[df["wmr_region"] != ""]
    return {**desa_allocations(), **dict(zip(df["iso3"], df["wmr_region"]))}
