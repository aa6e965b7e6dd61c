"""Global migration governance milestones: the project's own small dated table (data/milestones.csv).

The one hand-made table the report uses (chapter 8's timeline). Each row is a dated event with the
official document that records it; the file is pinned like the external sources (source id
`wmr-milestones`), so an edit changes its checksum and re-runs the chapter.

Columns of `load_milestones()`:
- `id`        short key, lower-case-with-dashes, unique (chapters look events up by it)
- `date`      the event's (first) day, datetime64; the CSV holds ISO dates yyyy-mm-dd
- `event`     short description, as shown in the timeline
- `citation`  where the event and its date are documented (resolution symbol, report, URL)
Rows are in date order (ties keep file order).
"""
from __future__ import annotations

import re

import pandas as pd

from wmr.core.errors import LoaderError, ValidationError

from .. import pins

SOURCE = "wmr-milestones"
FILE = "milestones.csv"
COLUMNS = ["id", "date", "event", "citation"]
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse(path) -> pd.DataFrame:
    """Read and validate a milestones CSV (the contract above); raises on any malformed row."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if list(raw.columns) != COLUMNS:
        raise LoaderError(f"Milestones file {FILE} does not have the expected columns.", expected=COLUMNS,
                          got=list(raw.columns), fix="keep the header 'id,date,event,citation' in data/milestones.csv")
    raw = raw.apply(lambda s: s.str.strip())
    for col in COLUMNS:
        if (empty := raw.index[raw[col].eq("")].tolist()):
            raise ValidationError(f"Milestones file {FILE} has rows without '{col}'.", expected=f"a {col} in every row",
                                  got=f"rows {[i + 2 for i in empty]} (file line numbers)",
                                  fix="complete those rows: every milestone needs an id, date, event and citation")
    if (bad := raw.loc[~raw["id"].str.match(_ID_RE), "id"].tolist()):
        raise ValidationError(f"Milestones file {FILE} has malformed ids.", expected="lower-case-with-dashes", got=bad,
                              fix="rename the ids")
    if raw["id"].duplicated().any():
        raise ValidationError(f"Milestones file {FILE} has duplicate ids.", expected="unique ids",
                              got=sorted(raw.loc[raw["id"].duplicated(), "id"]), fix="give each milestone its own id")
    dates = pd.to_datetime(raw["date"].where(raw["date"].str.match(_DATE_RE)), format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        raise ValidationError(f"Milestones file {FILE} has dates that are not ISO dates.", expected="yyyy-mm-dd",
                              got=raw.loc[dates.isna(), "date"].tolist(), fix="write dates as yyyy-mm-dd")
    if not dates.is_monotonic_increasing:
        raise ValidationError(f"Milestones file {FILE} is not in date order.", expected="rows sorted by date",
                              got=raw["date"].tolist(), fix="sort the rows by date")
    return pd.DataFrame({"id": raw["id"], "date": dates, "event": raw["event"], "citation": raw["citation"]})


def load_milestones() -> pd.DataFrame:
    """The verified, validated milestones table (id, date, event, citation), in date order.

    Why: the governance chapter's timeline and the dates its prose cites.
    """
    return parse(pins.resolve(SOURCE, FILE))


def milestone(df: pd.DataFrame, ident: str) -> pd.Series:
    """One milestone row by id, or an error listing the known ids."""
    rows = df[df["id"] == ident]
    if rows.empty:
        raise LoaderError(f"No milestone with id '{ident}'.", expected="one of: " + ", ".join(df["id"]), got=ident,
                          fix="use an id from data/milestones.csv")
    return rows.iloc[0]
