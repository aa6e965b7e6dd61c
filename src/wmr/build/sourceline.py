"""Source summaries and source lines, worked out once per process: they depend only on the pins, and every
page of every language shows them (a fact's sources, a figure's source line)."""
from __future__ import annotations

from functools import lru_cache

from wmr.kernel import provenance

summary = lru_cache(maxsize=None)(provenance.summary)
_lines = lru_cache(maxsize=None)(provenance.lines_for)


def source_lines(item) -> list[dict]:
    """provenance.source_lines of a figure or table, shared by every page showing the same sources (read only)."""
    return _lines(tuple(provenance.shown_refs(item)))
