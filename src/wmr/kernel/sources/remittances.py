"""Remittances: World Bank-KNOMAD inflows/outflows (June 2023) and three WDI indicator downloads (2023-05).

Tables
- `load_knomad_inflows()`, `load_knomad_outflows()`: US$ million by economy and year, 2000-2022. KNOMAD
  is the source for 2022 (the WDI vintage has partial 2022 values). Its rows carry names only: they are
  mapped to ISO3 with the WDI files' own (Country Name, Country Code) pairs, both being World Bank names,
  plus `_KNOMAD_NAMES` for the three names spelt differently. The inflows file ends with two aggregate
  rows, `WORLD` and `LMIC` (kind 'aggregate', iso3 ''); Venezuela is excluded from both.
- `load_wdi(indicator)`: 'received' and 'paid' (current US$) or 'pct_gdp' (received, % of GDP), 1970-2022,
  countries and World Bank aggregates (WLD, LMY, ... flagged `is_aggregate`).
- `load_wdi_countries()` and `income_groups()`: the World Bank income classification pinned with WDI
  (metadata sheet of the 'received' file). Venezuela, RB is unclassified in this vintage.

Caveats: KNOMAD zeros in early years often mean "no data", not zero. WDI 2022 is preliminary: 'received'
2022 is partial (Philippines), 'paid' 2022 has 75 values (its World 2022 is not a world total), 'pct_gdp'
has no 2022 value. Missing values are absent rows.

- `load_data360_inflows()`: the World Bank-KNOMAD inflows of the Data360 bulk file (wb-knomad-data360),
  2000-2023, in the same columns. The file has no aggregates: `WORLD` is the sum over all economies (as in
  the KNOMAD workbook), `LMIC` the sum over economies that the pinned WDI classification puts in a low- or
  middle-income group. Zeros mean "no data" there and are dropped.
- `load_inflows(source)`: the inflows table of either pinned vintage.

Codes not known to UNSD M49, kept and documented in `NON_M49`:
- XKX  Kosovo (World Bank code)
- CHI  Channel Islands (World Bank code; M49 lists Guernsey and Jersey)
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from wmr.core.errors import ConfigError, LoaderError

from .. import pins
from ..tidycache import cached_table
from ..validate import check_columns, check_no_nulls, check_unique, require_documented_codes
from . import m49

SOURCE = "wb-remittances"
DATA360 = "wb-knomad-data360"
DATA360_FILE = "WB_KNOMAD.csv"
DATA360_INFLOWS = "WB_KNOMAD_MRI"
DATA360_OUTFLOWS = "WB_KNOMAD_MRO"
DATA360_ESTIMATE = "E"   # OBS_STATUS of an estimated value (every 2023 outflow in the pinned file)
INFLOW_SOURCES = (SOURCE, DATA360)  # oldest vintage first
LMIC_GROUPS = ("Low income", "Lower middle income", "Upper middle income")
KNOMAD_INFLOWS = "remittance-inflows.xlsx"
KNOMAD_OUTFLOWS = "remittance-outflows.xlsx"
WDI_FILES = {  # indicator -> (file, WDI indicator code, unit of `value`)
    "received": ("personal-remittances-received.xls", "BX.TRF.PWKR.CD.DT", "current US$"),
    "paid": ("personal-remittances-paid.xls", "BM.TRF.PWKR.CD.DT", "current US$"),
    "pct_gdp": ("remittances-received-percent-gdp.xls", "BX.TRF.PWKR.DT.GD.ZS", "% of GDP"),
}
NAMES_FILE = WDI_FILES["received"][0]  # source of World Bank names -> codes, and of the income groups

WORLD = "World"                            # KNOMAD aggregate rows (inflows file only), as spelt there
LMIC = "Low-and Middle-Income Countries"
AGGREGATES = (WORLD, LMIC)
NON_M49 = frozenset({"XKX", "CHI"})

# KNOMAD names that differ from the WDI spelling (KNOMAD name -> WDI name); the code then comes from WDI.
_KNOMAD_NAMES = {
    "Czech Republic": "Czechia",
    "Faeroe Islands": "Faroe Islands",
    "Türkiye, Rep. of": "Turkiye",
}

KNOMAD_COLUMNS = {
    "iso3": "str",          # ISO3 (World Bank code) for economies; '' for aggregates
    "name": "str",          # name as in the KNOMAD file (World Bank short name); stable for aggregates
    "kind": "str",          # 'country' or 'aggregate'
    "year": "int",
    "usd_million": "float",  # remittances, current US$ million (the file's unit)
    "usd": "float",          # the same in US$ (usd_million * 1e6)
}
KNOMAD_OUTFLOW_COLUMNS = {
    **KNOMAD_COLUMNS,
    "pct_gdp": "float",     # outflows as % of GDP (IMF WEO GDP); given for 2022 only, NaN in other years
}
DATA360_OUTFLOW_COLUMNS = {
    **KNOMAD_OUTFLOW_COLUMNS,
    "estimate": "bool",     # the file flags the value as an estimate (OBS_STATUS 'E')
}
WDI_COLUMNS = {
    "iso3": "str",          # World Bank code: ISO3 for economies, WB codes (WLD, LMY, SSF...) for aggregates
    "name": "str",          # World Bank name
    "year": "int",
    "value": "float",       # current US$ ('received', 'paid') or % of GDP ('pct_gdp'); see WDI_FILES
    "is_aggregate": "bool",  # True for WB aggregates (empty Region in the metadata; also INX 'Not classified')
    "income_group": "str",  # World Bank income group; '' for aggregates and unclassified economies
}
WDI_COUNTRY_COLUMNS = {
    "iso3": "str",          # World Bank code
    "name": "str",          # World Bank table name
    "region": "str",        # World Bank region; '' for aggregates
    "income_group": "str",  # 'Low income', 'Lower middle income', 'Upper middle income', 'High income' or ''
    "is_aggregate": "bool",
}


# ---------------------------------------------------------------------------------------------- WDI

def _read_xls(path: Path, sheet: str, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():  # pandas deprecates xlrd in favour of calamine, which is not installed
        warnings.filterwarnings("ignore", message=".*xlrd engine is deprecated.*")
        try:
            return pd.read_excel(path, sheet_name=sheet, engine="xlrd", **kwargs)
        except ValueError as exc:  # raised for a missing sheet
            raise LoaderError(f"WDI file {path.name} lacks sheet '{sheet}'.", expected=sheet, got=str(exc),
                              fix="the pinned file changed layout: update wmr/sources/remittances.py") from None


def _parse_wdi_countries(path: Path) -> pd.DataFrame:
    meta = _read_xls(path, "Metadata - Countries")
    data = _read_xls(path, "Data", skiprows=3)
    df = pd.DataFrame({
        "iso3": meta["Country Code"].astype(str),
        "name": meta["TableName"].astype(str),
        "region": meta["Region"].fillna("").astype(str),
        "income_group": meta["IncomeGroup"].fillna("").astype(str),
    })
    # Codes in the data sheet without metadata (INX 'Not classified') are not economies.
    extra = data.loc[~data["Country Code"].isin(df["iso3"]), ["Country Code", "Country Name"]]
    extra = pd.DataFrame({"iso3": extra["Country Code"].astype(str), "name": extra["Country Name"].astype(str),
                          "region": "", "income_group": ""})
    df = pd.concat([df, extra], ignore_index=True)
    df["is_aggregate"] = df["region"].eq("")
    return df


def load_wdi_countries() -> pd.DataFrame:
    """World Bank economies and aggregates with region and income group (WDI metadata, 2023-05 vintage).

    Why: income groupings must come from the pinned World Bank classification, never from typed lists.
    """
    df = cached_table("wdi-countries", "1", [(SOURCE, NAMES_FILE)], _parse_wdi_countries)
    check_columns(df, "wdi-countries", WDI_COUNTRY_COLUMNS)
    check_unique(df, "wdi-countries", ["iso3"])
    _report_codes(df.loc[~df["is_aggregate"], "iso3"], "wdi-countries")
    return df


def income_groups() -> dict[str, str]:
    """Map ISO3 -> World Bank income group for classified economies (the pinned WDI classification)."""
    df = load_wdi_countries()
    df = df[~df["is_aggregate"] & df["income_group"].ne("")]
    return dict(zip(df["iso3"], df["income_group"]))


def _parse_wdi(path: Path, meta_path: Path) -> pd.DataFrame:
    raw = _read_xls(path, "Data", skiprows=3)
    needed = ["Country Name", "Country Code", "Indicator Code"]
    if missing := [c for c in needed if c not in raw.columns]:
        raise LoaderError(f"WDI file {path.name} lacks columns.", expected=needed, got=list(raw.columns)[:6],
                          fix="read the Data sheet with skiprows=3; update the loader if the layout changed")
    years = [c for c in raw.columns if str(c).isdigit()]
    long = raw.melt(id_vars=["Country Code", "Country Name"], value_vars=years, var_name="year", value_name="value")
    long = long.dropna(subset=["value"])
    meta = _parse_wdi_countries(meta_path).set_index("iso3")
    codes = long["Country Code"].astype(str)
    return pd.DataFrame({
        "iso3": codes,
        "name": long["Country Name"].astype(str),
        "year": long["year"].astype("int64"),
        "value": long["value"].astype("float64"),
        "is_aggregate": codes.map(meta["is_aggregate"]).fillna(True).astype(bool),
        "income_group": codes.map(meta["income_group"]).fillna("").astype(str),
    }).sort_values(["iso3", "year"]).reset_index(drop=True)


def load_wdi(indicator: str) -> pd.DataFrame:
    """One WDI remittance indicator, long: 'received' / 'paid' (current US$) or 'pct_gdp' (% of GDP).

    Why: the long WDI series (from 1970) and World Bank aggregates; use KNOMAD for 2022.
    """
    if indicator not in WDI_FILES:
        raise ConfigError(f"Unknown WDI remittance indicator '{indicator}'.", expected="one of: " + ", ".join(WDI_FILES),
                          got=indicator, fix="use 'received', 'paid' or 'pct_gdp'")
    file = WDI_FILES[indicator][0]
    table = f"wdi-{indicator}"
    df = cached_table(table, "1", [(SOURCE, file), (SOURCE, NAMES_FILE)], _parse_wdi)
    check_columns(df, table, WDI_COLUMNS)
    check_unique(df, table, ["iso3", "year"])
    _report_codes(df.loc[~df["is_aggregate"], "iso3"], table)
    return df


# ---------------------------------------------------------------------------------------------- KNOMAD

def _wb_name_codes(wdi_path: Path) -> dict[str, str]:
    data = _read_xls(wdi_path, "Data", skiprows=3)
    return dict(zip(data["Country Name"].astype(str), data["Country Code"].astype(str)))


def _parse_knomad(path: Path, wdi_path: Path, *, skiprows: int) -> pd.DataFrame:
    raw = pd.read_excel(path, sheet_name=0, skiprows=skiprows)
    first = raw.columns[0]
    if "US$ million" not in str(first):
        raise LoaderError(f"KNOMAD file {path.name} does not start with the expected header.",
                          expected="first column 'Remittance inflows/outflows (US$ million)'", got=str(first),
                          fix="check skiprows and the file's layout; update wmr/sources/remittances.py")
    # The table ends at the first blank name; footnotes (Note, Date, citation) follow it.
    end = raw[first].isna().idxmax() if raw[first].isna().any() else len(raw)
    body = raw.iloc[:end].rename(columns={first: "name"})
    body = body.rename(columns={c: int(str(c)) for c in body.columns if str(c).strip().isdigit()})
    years = [c for c in body.columns if isinstance(c, int)]
    # Blank strings (' ' in 2018 of the inflows file) are missing values; anything else must be numeric.
    values = body[years].replace(r"^\s*$", float("nan"), regex=True).apply(pd.to_numeric)
    body = pd.concat([body[["name"]], values, body.drop(columns=["name", *years])], axis=1)
    body["name"] = body["name"].astype(str).str.strip()

    codes = _wb_name_codes(wdi_path)
    lookup = {n: codes.get(_KNOMAD_NAMES.get(n, n), "") for n in body["name"]}
    has_data = values.notna().any(axis=1)
    unmatched = sorted(n for n, ok in zip(body["name"], has_data) if ok and not lookup[n] and n not in AGGREGATES)
    if unmatched:
        raise LoaderError(f"KNOMAD file {path.name} has economies whose names match no World Bank name.",
                          expected="names found in the WDI Data sheet (Country Name)", got=unmatched,
                          fix="add the KNOMAD spelling to _KNOMAD_NAMES in wmr/sources/remittances.py")
    long = body.melt(id_vars=["name"], value_vars=years, var_name="year", value_name="usd_million").dropna(
        subset=["usd_million"])
    aggregate = long["name"].isin(AGGREGATES)
    df = pd.DataFrame({
        "iso3": long["name"].map(lookup).where(~aggregate, "").astype(str),
        "name": long["name"].astype(str),
        "kind": aggregate.map({True: "aggregate", False: "country"}).astype(str),
        "year": long["year"].astype("int64"),
        "usd_million": long["usd_million"].astype("float64"),
    })
    df["usd"] = df["usd_million"] * 1e6
    pct = [c for c in body.columns if "% of GDP" in str(c)]
    if pct:  # outflows: '% of GDP in 2022', attached to the 2022 rows
        year = int(str(pct[0])[-4:])
        share = pd.to_numeric(body.set_index("name")[pct[0]])
        df["pct_gdp"] = df["name"].map(share).where(df["year"].eq(year)).astype("float64")
    return df.sort_values(["kind", "name", "year"]).reset_index(drop=True)


def _parse_inflows(path: Path, wdi_path: Path) -> pd.DataFrame:
    return _parse_knomad(path, wdi_path, skiprows=0)


def _parse_outflows(path: Path, wdi_path: Path) -> pd.DataFrame:
    return _parse_knomad(path, wdi_path, skiprows=1)  # a blank first row precedes the header


def _validate_knomad(df: pd.DataFrame, table: str, schema: dict[str, str]) -> pd.DataFrame:
    check_columns(df, table, schema)
    check_unique(df, table, ["name", "year"])
    check_no_nulls(df, table, ["iso3", "name", "year", "usd_million"])
    countries = df[df["kind"].eq("country")]
    check_unique(countries, table, ["iso3", "year"])
    _report_codes(countries["iso3"], table)
    return df


def load_knomad_inflows() -> pd.DataFrame:
    """Remittance inflows by receiving economy, 2000-2022 (US$ million and US$), plus World and LMIC totals.

    Why: the headline remittance figures of the WMR (e.g. 831 billion US$ to the world in 2022).
    """
    df = cached_table("knomad-inflows", "1", [(SOURCE, KNOMAD_INFLOWS), (SOURCE, NAMES_FILE)], _parse_inflows)
    return _validate_knomad(df, "knomad-inflows", KNOMAD_COLUMNS)


def load_knomad_outflows() -> pd.DataFrame:
    """Remittance outflows by sending economy, 2000-2022 (US$ million and US$); % of GDP for 2022.

    Why: the top remittance-sending countries. The file has no World or other aggregate rows.
    """
    df = cached_table("knomad-outflows", "1", [(SOURCE, KNOMAD_OUTFLOWS), (SOURCE, NAMES_FILE)], _parse_outflows)
    return _validate_knomad(df, "knomad-outflows", KNOMAD_OUTFLOW_COLUMNS)


def _data360_rows(path: Path, indicator: str) -> pd.DataFrame:
    """The economies' positive values of one Data360 indicator: iso3, name, kind, year, usd_million, estimate."""
    wanted = {"REF_AREA", "REF_AREA_LABEL", "INDICATOR", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"}
    raw = pd.read_csv(path, usecols=lambda c: c in wanted)
    needed = sorted(wanted)
    if missing := [c for c in needed if c not in raw.columns]:
        raise LoaderError(f"Data360 file {path.name} lacks columns {missing}.", expected=needed, got=list(raw.columns),
                          fix="the pinned file changed layout: update wmr/sources/remittances.py")
    raw = raw[(raw["INDICATOR"] == indicator) & raw["OBS_VALUE"].gt(0)]  # 0 = no data in KNOMAD tables
    if raw.empty:
        raise LoaderError(f"Data360 file {path.name} has no {indicator} rows.", expected=indicator, got="none",
                          fix="check the INDICATOR codes of the pinned file")
    return pd.DataFrame({"iso3": raw["REF_AREA"].astype(str), "name": raw["REF_AREA_LABEL"].astype(str),
                         "kind": "country", "year": raw["TIME_PERIOD"].astype("int64"),
                         "usd_million": raw["OBS_VALUE"].astype("float64"),
                         "estimate": raw["OBS_STATUS"].eq(DATA360_ESTIMATE).to_numpy()})


def _parse_data360(path: Path, meta_path: Path) -> pd.DataFrame:
    countries = _data360_rows(path, DATA360_INFLOWS).drop(columns="estimate")
    groups = _parse_wdi_countries(meta_path)
    lmic = set(groups.loc[groups["income_group"].isin(LMIC_GROUPS), "iso3"])
    aggregates = [countries.groupby("year", as_index=False)["usd_million"].sum().assign(name=WORLD),
                  countries[countries["iso3"].isin(lmic)].groupby("year", as_index=False)["usd_million"].sum()
                  .assign(name=LMIC)]
    df = pd.concat([countries, *(a.assign(iso3="", kind="aggregate") for a in aggregates)], ignore_index=True)
    df["usd"] = df["usd_million"] * 1e6
    return df[list(KNOMAD_COLUMNS)].sort_values(["kind", "name", "year"]).reset_index(drop=True)


def load_data360_inflows() -> pd.DataFrame:
    """Remittance inflows by receiving economy, 2000-2023 (World Bank-KNOMAD via Data360), World and LMIC sums.

    Why: the newest pinned remittance vintage (2023). Same columns as load_knomad_inflows.
    """
    df = cached_table("knomad-data360-inflows", "1", [(DATA360, DATA360_FILE), (SOURCE, NAMES_FILE)], _parse_data360)
    return _validate_knomad(df, "knomad-data360-inflows", KNOMAD_COLUMNS)


def _parse_data360_outflows(path: Path) -> pd.DataFrame:
    df = _data360_rows(path, DATA360_OUTFLOWS)
    df["usd"] = df["usd_million"] * 1e6
    df["pct_gdp"] = float("nan")   # the Data360 file gives US$ only
    return df[list(DATA360_OUTFLOW_COLUMNS)].sort_values(["name", "year"]).reset_index(drop=True)


def load_data360_outflows() -> pd.DataFrame:
    """Remittance outflows by sending economy, 2000-2023 (World Bank-KNOMAD via Data360); no % of GDP.

    Why: remittances sent in the newest pinned year (2023), as received are. `estimate` marks the values the
    file flags as estimates (all of 2023).
    """
    df = cached_table("knomad-data360-outflows", "1", [(DATA360, DATA360_FILE)], _parse_data360_outflows)
    return _validate_knomad(df, "knomad-data360-outflows", DATA360_OUTFLOW_COLUMNS)


def _of_vintage(source: str, what: str, loaders: dict) -> pd.DataFrame:
    if source not in loaders:
        raise ConfigError(f"'{source}' is not a pinned remittance {what} source.", expected=list(loaders), got=source,
                          fix="use one of the listed source ids")
    return loaders[source]()


def load_outflows(source: str) -> pd.DataFrame:
    """The outflows table of one pinned remittance vintage (see INFLOW_SOURCES; both files hold outflows too)."""
    return _of_vintage(source, "outflow", {SOURCE: load_knomad_outflows, DATA360: load_data360_outflows})


def load_inflows(source: str) -> pd.DataFrame:
    """The inflows table of one pinned remittance vintage (see INFLOW_SOURCES)."""
    return _of_vintage(source, "inflow", {SOURCE: load_knomad_inflows, DATA360: load_data360_inflows})


INFLOW_FILES = {SOURCE: [(SOURCE, KNOMAD_INFLOWS), (SOURCE, NAMES_FILE)],
                DATA360: [(DATA360, DATA360_FILE), (SOURCE, NAMES_FILE)]}  # the files load_inflows(source) reads


def last_inflow_year(source: str) -> int:
    """The last year of one pinned inflow vintage; parsed once per process (a profile run asks many times), its
    files logged as read on every call, so each run's record of what it read stays complete."""
    for sid, fname in INFLOW_FILES[source]:
        pins.resolve(sid, fname)
    return _last_inflow_year(source)


@pins.memo(maxsize=None)
def _last_inflow_year(source: str) -> int:
    return int(load_inflows(source)["year"].max())


# ---------------------------------------------------------------------------------------------- codes

def _report_codes(codes: pd.Series, table: str) -> None:
    """Keep codes M49 does not know when documented in NON_M49; any other stops the load."""
    require_documented_codes(codes.unique(), table, m49.known_iso3(), NON_M49, "wmr/kernel/sources/remittances.py")
