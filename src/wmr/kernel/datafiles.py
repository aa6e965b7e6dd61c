"""The CSV files readers download next to figures and tables: the plotted numbers without false precision.

Computed columns carry float noise (`117547249055.86215`, `0.7390000000000001`) that no source publishes.
Before a frame is written, each float column is rounded by what it holds: whole numbers stay whole (counts
become integers), large amounts (1,000 and more: people, US dollars) are rounded to whole units, shares and
rates to two decimals, and values below one (indices such as the HDI, ratios) to four.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

WHOLE_FROM = 1000      # columns whose largest absolute value reaches this are written in whole units
SMALL_BELOW = 1        # columns whose values all stay below this keep four decimals
DECIMALS_SMALL = 4
DECIMALS = 2


def column_decimals(values: pd.Series) -> int | None:
    """Decimals a float column is written with (0 for whole numbers), or None when it is not a float column."""
    if not pd.api.types.is_float_dtype(values):
        return None
    finite = values[np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))]
    if finite.empty:
        return 0
    if np.allclose(finite, finite.round(), rtol=0, atol=1e-6):
        return 0
    largest = float(finite.abs().max())
    if largest >= WHOLE_FROM:
        return 0
    return DECIMALS if largest >= SMALL_BELOW else DECIMALS_SMALL


def rounded(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every float column rounded (see the module docstring); whole columns become integers."""
    out = df.copy()
    for col in out.columns:
        decimals = column_decimals(out[col])
        if decimals is None:
            continue
        values = out[col].round(decimals)
        whole = decimals == 0 and not np.isinf(values.to_numpy(dtype=float, na_value=np.nan)).any()
        out[col] = values.astype("Int64") if whole else values
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """`df` rounded and written as UTF-8 CSV with Unix line ends and no index."""
    return rounded(df).to_csv(index=False, lineterminator="\n").encode()
