"""Country and area names for display: one naming table for every chapter, table, chart and map.

IOM house style where the pinned IOM table has the code, the UNSD M49 name otherwise
(`sources.countrynames`). `in_text` gives the running-text form: the IOM table's own flag says which
names take 'the' ('the United States of America', 'the Philippines', 'the Kingdom of the Netherlands').
"""
from __future__ import annotations


import pandas as pd

from . import pins
from .sources import countrynames, ims

EXTRA_NAMES = {ims.UNKNOWN_ORIGIN: "Origin not specified"}  # not a country: what the reader needs to know
SOURCES = list(countrynames.SOURCES)  # the pinned naming table, for source lines of name-only facts


@pins.memo(maxsize=1)
def _table() -> tuple[dict[str, str], frozenset[str]]:
    iom = countrynames.load_iom_names()
    names = {**dict(zip(countrynames.load_m49_names()["iso3"], countrynames.load_m49_names()["name"])),
             **dict(zip(iom["iso3"], iom["name"])), **EXTRA_NAMES}
    return names, frozenset(iom.loc[iom["with_the"], "iso3"])


def name(iso3: str) -> str:
    """The name of a country or area ('Türkiye', 'United States of America'); the code itself when unknown."""
    return _table()[0].get(iso3, iso3)


def in_text(iso3: str, capital: bool = False) -> str:
    """The name as it runs in a sentence, with its article: 'the Philippines' ('The Philippines' at a start)."""
    shown = name(iso3)
    if iso3 in _table()[1]:
        shown = ("The " if capital else "the ") + shown
    return shown


def with_names(df: pd.DataFrame, code_col: str = "iso3", name_col: str = "country") -> pd.DataFrame:
    """Copy of `df` with a name column inserted after the code column."""
    out = df.copy()
    out.insert(list(out.columns).index(code_col) + 1, name_col, [name(c) for c in out[code_col]])
    return out
