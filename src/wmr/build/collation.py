"""Sorting names as readers of a language expect: the Unicode Collation Algorithm (pyuca, its default table),
not code-point order, so that French 'Égypte' comes before 'Espagne' and 'Zambie', not after them.

Why one module: every list the site sorts by name (profiles index, search index) sorts with the same key.
"""
from __future__ import annotations

from functools import lru_cache

from pyuca import Collator


@lru_cache(maxsize=1)
def _collator() -> Collator:
    return Collator()   # DUCET, the table pyuca ships (loading it takes a moment: once per process)


def sort_key(name: str) -> tuple:
    """The collation key of `name` (UCA, DUCET): accents and case weigh less than letters."""
    return _collator().sort_key(name)
