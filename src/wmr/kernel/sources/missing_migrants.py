"""IOM Missing Migrants Project (MMP): deaths and disappearances during migration, by incident, 2014-2025.

Table
- `load_incidents()`: one row per incident (export of mid-2025, incidents to 2025-04-15; 2025 is partial).
  Counts are minimum estimates, revised continuously by IOM.
- `cause_categories(causes)`: the base cause(s) of each incident. Several causes are joined by ','
  without a space ('Drowning,Violence'), while the label 'Harsh environmental conditions / lack of
  adequate shelter, food, water' itself holds ', ': split only on commas not followed by a space.

Quirks handled: nine Main IDs start with a byte-order mark (one every ~2,000 rows of the export), removed;
13 incidents (2020.MMP01xxx) have no date, year or month: `year` comes from the Main ID prefix (which equals
Incident Year wherever both exist), so year 2020 sums to 4,327 dead and missing against 4,314 when those
13 are left out; one incident has date '0' (NaT). Several text fields keep their combined values as given
('Incident,Split Incident', 'Mediterranean,North America', source quality '3,5'). Text comes from the data
(locations include HTML such as '<p>'): escape it before it reaches HTML.

MMP has no country codes (names only), so no codes are checked against M49.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from wmr.core.errors import LoaderError

from ..tidycache import cached_table
from ..validate import check_columns, check_no_nulls, check_unique

SOURCE = "iom-missing-migrants"
FILE = "Missing_Migrants_Global_Figures_allData.xlsx"

COLUMNS = {
    "main_id": "str",           # MMP main id, 'YYYY.MMPnnnnn' (unique)
    "incident_id": "str",       # incident id(s); split incidents list several, joined by ','
    "incident_type": "str",     # 'Incident', 'Split Incident', 'Cumulative Incident' (or a ','-joined pair)
    "region": "str",            # MMP region of incident (e.g. 'Mediterranean', 'North America')
    "date": "datetime",         # incident date (NaT when missing)
    "year": "int",              # incident year (from the Main ID prefix where the date is missing)
    "month": "int",             # month 1-12 (nullable Int64: <NA> when missing)
    "dead": "float",            # number of dead (NaN = not recorded)
    "missing": "float",         # minimum estimated number of missing (NaN = not recorded)
    "dead_and_missing": "int",  # total dead and missing, persons (never missing)
    "survivors": "float",       # NaN = not recorded
    "females": "float",         # dead and missing who were female (NaN = not recorded)
    "males": "float",
    "children": "float",
    "country_of_origin": "str",  # as given; several joined by ','; 'Unknown' or '' when not known
    "region_of_origin": "str",
    "cause": "str",             # cause of death as given (combined causes joined by ',' without space)
    "country_of_incident": "str",
    "route": "str",             # migration route ('' when none, e.g. 'Central Mediterranean')
    "location": "str",          # free-text location of the incident (may contain HTML)
    "lat": "float",             # latitude, degrees (from 'Coordinates')
    "lon": "float",             # longitude, degrees
    "unsd_grouping": "str",     # UNSD geographical (sub-region) grouping, or 'Uncategorized'
    "source_quality": "str",    # 1 (one unverified source) to 5 (official records); '3,5' where combined
}
_RAW = {
    "Main ID": "main_id", "Incident ID": "incident_id", "Incident Type": "incident_type",
    "Region of Incident": "region", "Incident Date": "date", "Incident Year": "year", "Month": "month",
    "Number of Dead": "dead", "Minimum Estimated Number of Missing": "missing",
    "Total Number of Dead and Missing": "dead_and_missing", "Number of Survivors": "survivors",
    "Number of Females": "females", "Number of Males": "males", "Number of Children": "children",
    "Country of Origin": "country_of_origin", "Region of Origin": "region_of_origin", "Cause of Death": "cause",
    "Country of Incident": "country_of_incident", "Migration Route": "route", "Location of Incident": "location",
    "Coordinates": "coordinates", "UNSD Geographical Grouping": "unsd_grouping", "Source Quality": "source_quality",
}
_MONTHS = {m: i for i, m in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December"), start=1)}
_MAIN_ID = re.compile(r"(\d{4})\.MMP\d+")
_CAUSE_SEPARATOR = r",(?! )"  # ',' joins causes; ', ' belongs to a label


def _text(s: pd.Series) -> pd.Series:
    return s.map(lambda v: "" if pd.isna(v) else str(v)).str.replace("\ufeff", "", regex=False).str.strip()


def _parse(path: Path) -> pd.DataFrame:
    raw = pd.read_excel(path, sheet_name=0)
    if missing := [c for c in _RAW if c not in raw.columns]:
        raise LoaderError(f"MMP workbook {path.name} lacks columns.", expected=list(_RAW), got=list(raw.columns),
                          fix="the pinned export changed layout: update wmr/sources/missing_migrants.py")
    raw = raw.rename(columns=_RAW)
    df = pd.DataFrame({c: _text(raw[c]) for c, kind in COLUMNS.items() if kind == "str"})
    if bad := df.loc[~df["main_id"].str.fullmatch(_MAIN_ID), "main_id"].tolist():
        raise LoaderError("MMP Main IDs do not all read 'YYYY.MMPnnnn'.", expected="e.g. 2014.MMP00001", got=bad[:5],
                          fix="clean the ids in wmr/sources/missing_migrants.py")
    df["year"] = raw["year"].fillna(df["main_id"].str[:4].astype("int64")).astype("int64")
    df["date"] = pd.to_datetime(raw["date"].where(raw["date"].map(lambda v: isinstance(v, str))), format="%Y-%m-%d")
    month = _text(raw["month"])
    if bad := sorted(set(month) - set(_MONTHS) - {""}):
        raise LoaderError("MMP column Month holds unexpected values.", expected=list(_MONTHS), got=bad,
                          fix="map the values in wmr/sources/missing_migrants.py")
    df["month"] = month.map(_MONTHS).astype("Int64")
    for col in ("dead", "missing", "survivors", "females", "males", "children"):
        df[col] = raw[col].astype("float64")
    df["dead_and_missing"] = raw["dead_and_missing"].astype("int64")
    coords = _text(raw["coordinates"]).str.extract(r"^(-?[\d.]+),\s*(-?[\d.]+)$")
    df["lat"], df["lon"] = coords[0].astype("float64"), coords[1].astype("float64")
    return df[list(COLUMNS)]


def load_incidents() -> pd.DataFrame:
    """Migrant deaths and disappearances by incident, 2014 to April 2025 (persons; minimum estimates).

    Why: the human security chapter (e.g. 8,747 dead and missing in 2023, 9,002 in 2024) and by sex.
    """
    df = cached_table("mmp-incidents", "1", [(SOURCE, FILE)], _parse)
    check_columns(df, "mmp-incidents", {c: k for c, k in COLUMNS.items() if k != "datetime"})
    check_unique(df, "mmp-incidents", ["main_id"])
    check_no_nulls(df, "mmp-incidents", ["main_id", "year", "dead_and_missing", "lat", "lon"])
    return df


def cause_categories(causes: pd.Series) -> pd.Series:
    """Base cause(s) of death per incident: one row per (incident, base cause), the index of `causes` repeated.

    Combined causes ('Drowning,Violence') yield one row per base cause (7 in this export), so an incident
    with two causes counts under both: sum its dead and missing per cause, not across causes.
    """
    return causes.str.split(_CAUSE_SEPARATOR, regex=True).explode().str.strip().rename("cause_category")
