"""The one naming table: IOM house-style country and area names (iom-gdidata), M49 names otherwise (OCHA).

Tables
- `load_iom_names()`: iom-gdidata `countrynames.rda`: iso3, name (IOM House Style, e.g. 'Türkiye',
  'Kingdom of the Netherlands', 'Occupied Palestinian Territory'), with_the (True when running text puts
  'the' before the name). 257 rows, M49 areas plus Kosovo, the Channel Islands, Abyei, Taiwan Province of
  China, 'Stateless' and 'Unknown'. The file's `name` of Kosovo reads 'Kosovo (SCR 2144)', a typo its own
  `name_sort` and `name_text` columns spell 'Kosovo (SCR 1244)': the loader takes that spelling.
- `load_m49_names()`: ocha-country-taxonomy: iso3, name (UNSD M49 English name), for codes IOM lacks.
- `load_m49_translations()`: ocha-country-taxonomy: iso3, lang, name: the UN M49 names in the other UN
  languages (columns 'M49 French', ...), for the editions in those languages.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from wmr.core.errors import LoaderError

from ..tidycache import cached_table
from ..validate import check_columns, check_unique

IOM = "iom-gdidata"
IOM_FILE = "countrynames.rda"
OCHA = "ocha-country-taxonomy"
OCHA_FILE = "ocha-countries-territories-taxonomy.csv"
SOURCES = (IOM, OCHA)
# Rows whose `name` disagrees with the file's own name_sort/name_text by a typo (see the module docstring).
_USE_NAME_SORT = frozenset({"XKX"})

IOM_COLUMNS = {"iso3": "str", "name": "str", "with_the": "bool"}
M49_COLUMNS = {"iso3": "str", "name": "str"}


def _parse_iom(path: Path) -> pd.DataFrame:
    import pyreadr

    raw = pyreadr.read_r(path)
    if "countrynames" not in raw:
        raise LoaderError(f"R data file {path.name} lacks the expected data frame.", expected="countrynames",
                          got=list(raw), fix="the pinned file changed layout: update wmr/sources/countrynames.py")
    r = raw["countrynames"]
    needed = ["iso3", "name", "name_sort", "with_the"]
    if missing := [c for c in needed if c not in r.columns]:
        raise LoaderError(f"{path.name} lacks columns.", expected=needed, got=list(r.columns),
                          fix="the pinned file changed layout: update wmr/sources/countrynames.py")
    name = r["name"].where(~r["iso3"].isin(_USE_NAME_SORT), r["name_sort"])
    return pd.DataFrame({"iso3": r["iso3"].astype(str), "name": name.astype(str).str.strip(),
                         "with_the": r["with_the"].fillna(0).eq(1)})


def load_iom_names() -> pd.DataFrame:
    """IOM house-style names by ISO3, with the article flag for running text."""
    df = cached_table("iom-countrynames", "1", [(IOM, IOM_FILE)], _parse_iom)
    check_columns(df, "iom-countrynames", IOM_COLUMNS)
    check_unique(df, "iom-countrynames", ["iso3"])
    return df


def _parse_m49(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    needed = ["ISO 3166-1 Alpha 3-Codes", "M49 English"]
    if missing := [c for c in needed if c not in raw.columns]:
        raise LoaderError(f"{path.name} lacks columns.", expected=needed, got=list(raw.columns[:10]),
                          fix="the pinned file changed layout: update wmr/sources/countrynames.py")
    raw = raw[raw["ISO 3166-1 Alpha 3-Codes"].ne("") & raw["M49 English"].ne("")]
    return pd.DataFrame({"iso3": raw["ISO 3166-1 Alpha 3-Codes"], "name": raw["M49 English"].str.strip()}).drop_duplicates(
        "iso3").reset_index(drop=True)


def load_m49_names() -> pd.DataFrame:
    """UNSD M49 English names by ISO3 (OCHA taxonomy), the fallback for codes without an IOM name."""
    df = cached_table("ocha-m49-names", "1", [(OCHA, OCHA_FILE)], _parse_m49)
    check_columns(df, "ocha-m49-names", M49_COLUMNS)
    check_unique(df, "ocha-m49-names", ["iso3"])
    return df


M49_LANGUAGES = {"fr": "M49 French", "es": "M49 Spanish", "ar": "M49 Arabic", "ru": "M49 Russian", "zh": "M49 Chinese"}
M49_LANG_COLUMNS = {"iso3": "str", "lang": "str", "name": "str"}


def _parse_m49_translations(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    needed = ["ISO 3166-1 Alpha 3-Codes", *M49_LANGUAGES.values()]
    if missing := [c for c in needed if c not in raw.columns]:
        raise LoaderError(f"{path.name} lacks columns.", expected=needed, got=missing,
                          fix="the pinned file changed layout: update wmr/sources/countrynames.py")
    raw = raw[raw["ISO 3166-1 Alpha 3-Codes"].ne("")].drop_duplicates("ISO 3166-1 Alpha 3-Codes")
    parts = [pd.DataFrame({"iso3": raw["ISO 3166-1 Alpha 3-Codes"], "lang": lang, "name": raw[col].str.strip()})
             for lang, col in M49_LANGUAGES.items()]
    out = pd.concat(parts, ignore_index=True)
    return out[out["name"].ne("")].reset_index(drop=True)


def load_m49_translations() -> pd.DataFrame:
    """UN M49 names in French, Spanish, Arabic, Russian and Chinese by ISO3 (OCHA taxonomy)."""
    df = cached_table("ocha-m49-translations", "1", [(OCHA, OCHA_FILE)], _parse_m49_translations)
    check_columns(df, "ocha-m49-translations", M49_LANG_COLUMNS)
    check_unique(df, "ocha-m49-translations", ["iso3", "lang"])
    return df
