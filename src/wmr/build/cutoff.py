"""No anachronisms: nothing in an edition may describe a year after the edition's `data_through`.

Checked when a chapter is assembled, on what the reader sees: each fact's year, and the `year` column of
each figure's plotted data and each table's data (CSV files written by the chapter).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from wmr.core.errors import AssemblyError

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
_YEAR_COLUMNS = {"year", "years"}


def years_in(value) -> list[int]:
    """The calendar years a fact's `year` field names (an int, or text such as '2019–2024')."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    return [int(y) for y in _YEAR.findall(str(value))]


def csv_years(path: Path) -> list[int]:
    """Every year in the year column(s) of a figure's or table's data file (none when it has no such column)."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        cols = [i for i, name in enumerate(header) if name.strip().lower() in _YEAR_COLUMNS]
        if not cols:
            return []
        return [y for row in reader for i in cols if i < len(row) for y in years_in(row[i].replace(",", ""))]


def check(edition: str, data_through: int | None, chapter: str, kind: str, ident: str, years: list[int]) -> None:
    """Raise when any of `years` lies after `data_through` (the edition's last data year)."""
    if data_through is None or not years or max(years) <= data_through:
        return
    late = sorted({y for y in years if y > data_through})
    raise AssemblyError(
        f"Chapter '{chapter}' of edition '{edition}': {kind} '{ident}' describes {', '.join(map(str, late))}, "
        f"after the edition's data_through year {data_through}.",
        expected=f"data for {data_through} or earlier", got=f"year {late[-1]}",
        fix=f"use the edition's own vintage for {kind} '{ident}' (parameters in editions/{edition}.toml), or say in "
            "the chapter that this vintage has no such data")
