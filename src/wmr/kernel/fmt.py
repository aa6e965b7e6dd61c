"""Number formats used in the report's prose and tables, so one value always prints the same way."""
from __future__ import annotations

import math

from wmr.core.errors import CoverageError, shown


def _check(value: float) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise CoverageError("A missing value cannot be formatted as a number.", expected="a number", got=shown(value), fix="record the fact only when the data has it (a coverage note says when it has not)")
    return float(value)


def count(value: float) -> str:
    """Whole number with thousands separators: 304,021,813."""
    return f"{round(_check(value)):,}"


def millions(value: float, digits: int = 1) -> str:
    """Persons in millions: '304.0 million'."""
    return f"{_check(value) / 1e6:,.{digits}f} million"


def thousands(value: float) -> str:
    """Rounded to thousands with separators: '8,747' stays '8,747'; for people counts below a million."""
    return count(value)


def usd_billions(value_usd: float, digits: int = 1) -> str:
    """US dollars in billions: 'US$831.1 billion'."""
    return f"US${_check(value_usd) / 1e9:,.{digits}f} billion"


def usd(value_usd: float) -> str:
    """US dollars in billions from a billion up, else in millions: 'US$1.2 billion', 'US$45.3 million'."""
    v = _check(value_usd)
    return usd_billions(v) if v >= 1e9 else f"US${v / 1e6:,.1f} million"


def index(value: float) -> str:
    """An index with three decimals, as UNDP prints the HDI: '0.950'."""
    return f"{_check(value):.3f}"


def percent(value: float, digits: int = 1) -> str:
    """A percentage already expressed in percent units: '3.6%'."""
    return f"{_check(value):.{digits}f}%"


def compact(value: float) -> str:
    """Short human form for large counts: 1.2 billion, 304.0 million, 45,000."""
    v = _check(value)
    if abs(v) >= 1e9:
        return f"{v / 1e9:,.1f} billion"
    if abs(v) >= 1e6:
        return f"{v / 1e6:,.1f} million"
    return count(v)


FORMATS = {"count": count, "millions": millions, "usd_billions": usd_billions, "usd": usd, "percent": percent,
           "percent_whole": lambda v: percent(v, 0), "index": index, "compact": compact, "text": str,
           "year": lambda v: str(int(v))}
