"""Contract checks for tidy tables: columns and types, unique keys, known country codes."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from wmr.core.errors import ValidationError

KINDS = {
    "int": pd.api.types.is_integer_dtype,
    "float": pd.api.types.is_float_dtype,
    "number": pd.api.types.is_numeric_dtype,
    "str": lambda s: pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s),
    "bool": pd.api.types.is_bool_dtype,
}


def check_columns(df: pd.DataFrame, table: str, schema: dict[str, str]) -> None:
    """Each column in `schema` must exist with the given kind ('int', 'float', 'number', 'str', 'bool')."""
    missing = [c for c in schema if c not in df.columns]
    if missing:
        raise ValidationError(f"Tidy table '{table}' lacks columns.", expected=list(schema), got=list(df.columns),
                              fix="the raw file's layout changed: update the loader and its tests")
    for col, kind in schema.items():
        if not KINDS[kind](df[col]):
            raise ValidationError(f"Column '{col}' of tidy table '{table}' has the wrong type.",
                                  expected=kind, got=str(df[col].dtype),
                                  fix="cast the column in the loader (years are integers, counts numeric)")


def check_unique(df: pd.DataFrame, table: str, keys: list[str]) -> None:
    """No two rows share the same key."""
    dup = df.duplicated(subset=keys, keep=False)
    if dup.any():
        sample = df.loc[dup, keys].head(3).to_dict("records")
        raise ValidationError(f"Tidy table '{table}' has duplicate keys {keys}.", expected="unique keys",
                              got=f"{int(dup.sum())} duplicated rows, e.g. {sample}",
                              fix="aggregate or de-duplicate the rows in the loader")


def check_codes(codes: Iterable[str], table: str, known: set[str], allowed_extra: set[str] = frozenset()) -> set[str]:
    """Return the codes not known to M49 (beyond `allowed_extra`); raise if any are malformed."""
    codes = set(c for c in codes if isinstance(c, str))
    bad = sorted(c for c in codes if len(c) != 3 or not c.isalpha() or not c.isupper())
    bad = [c for c in bad if c not in allowed_extra]
    if bad:
        raise ValidationError(f"Tidy table '{table}' holds malformed ISO3 codes.", expected="three upper-case letters",
                              got=bad[:10], fix="map the raw codes to ISO3 in the loader")
    return codes - known - set(allowed_extra)


def require_documented_codes(codes: Iterable[str], table: str, known: set[str], documented: frozenset[str],
                             module: str) -> None:
    """Codes unknown to M49 (`known`) are kept only when the loader documents them (its NON_M49); others stop it."""
    if new := check_codes(codes, table, known, allowed_extra=documented):
        raise ValidationError(f"Tidy table '{table}' holds country codes that M49 and this module do not know.",
                              expected="M49 ISO3 codes or one of " + ", ".join(sorted(documented)), got=sorted(new),
                              fix=f"map the codes in the loader, or keep and document them in NON_M49 of {module}")


def check_no_nulls(df: pd.DataFrame, table: str, columns: list[str]) -> None:
    """Key columns must be complete."""
    for col in columns:
        n = int(df[col].isna().sum())
        if n:
            raise ValidationError(f"Column '{col}' of tidy table '{table}' has missing values.", expected="no missing values",
                                  got=f"{n} missing", fix="drop or fill those rows in the loader")
