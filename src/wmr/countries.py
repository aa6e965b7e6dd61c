"""Country names and groupings for display, from the pinned M49 table (UN DESA names beyond M49)."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .sources import ims, m49

EXTRA_NAMES = {ims.UNKNOWN_ORIGIN: "Origin not specified"}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names = dict(zip(*m49.load_m49()[["iso3", "name"]].T.values))
    dest = ims.load_destination_2020()
    for code, name in zip(dest["iso3"], dest["name"]):
        if code and code not in names:
            names[code] = name
    return {**names, **EXTRA_NAMES}


def name(iso3: str) -> str:
    """UNSD name of a country or area ('United States of America'); the code itself when unknown."""
    return _names().get(iso3, iso3)


def with_names(df: pd.DataFrame, code_col: str = "iso3", name_col: str = "country") -> pd.DataFrame:
    """Copy of `df` with a name column inserted after the code column."""
    out = df.copy()
    out.insert(list(out.columns).index(code_col) + 1, name_col, [name(c) for c in out[code_col]])
    return out
