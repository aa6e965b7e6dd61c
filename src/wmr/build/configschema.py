"""The edition config's schema: every key it may hold, its type, and whether it is required.

Adding a config key is one line in `EDITION_KEYS` (or `CHAPTER_KEYS`). Every key of a config is checked
against the schema before anything runs: unknown keys are refused with the valid ones listed, missing
required keys are named, wrong types say what was expected. Values are never echoed in full (see `shown`).
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from wmr.core.errors import SHOWN_CHARS, ConfigError, shown

MAX_TEXT = 4096        # characters in any one string of a config (titles, parameter values)


@dataclass(frozen=True)
class Key:
    """One config key: the accepted Python types (as TOML gives them) and an example of a valid line."""

    types: tuple[type, ...]
    example: str
    required: bool = False
    items: type | None = None   # for lists: the type of every item


TEXT, INT, DATE, LIST, TABLE = (str,), (int,), (dt.date,), (list,), (dict,)

EDITION_KEYS: dict[str, Key] = {
    "title": Key(TEXT, 'title = "World Migration Report 2026"', required=True),
    "subtitle": Key(TEXT, 'subtitle = "Key data and analysis"'),
    "publisher": Key(TEXT, 'publisher = "International Organization for Migration (IOM)"'),
    "language": Key(TEXT, 'language = "en"', required=True),
    "languages": Key(LIST, 'languages = ["en", "fr", "es", "ar"] (English first; see README, Languages)', items=str),
    "release_date": Key(DATE, "release_date = 2026-11-30 (a TOML date, unquoted)", required=True),
    "cell_timeout": Key(INT, "cell_timeout = 600"),
    "front_matter": Key(TABLE, '[front_matter] with official, notice, copyright, licence, disclaimer, citation_author',
                        required=True),
    "profiles": Key(TABLE, '[profiles] with notebook = "notebooks/profile.md"'),
    "data_through": Key(INT, "data_through = 2024 (the last year the edition's data may describe)"),
    "sources": Key(LIST, 'sources = ["unsd-m49", "undp-hdi"]', required=True, items=str),
    "parameters": Key(TABLE, "[parameters] followed by lines such as stock_year = 2024"),
    "chapters": Key(LIST, '[[chapters]] with slug = "overview" and notebook = "notebooks/01_overview.md"',
                    required=True, items=dict),
}

CHAPTER_KEYS: dict[str, Key] = {
    "slug": Key(TEXT, 'slug = "overview"', required=True),
    "notebook": Key(TEXT, 'notebook = "notebooks/01_overview.md"', required=True),
    "parameters": Key(TABLE, "parameters = { top_n = 10 }"),
    "runs": Key(LIST, 'runs = [{ key = "africa", region = "Africa" }]', items=dict),
}

RUN_KEY = Key(TEXT, 'key = "africa"', required=True)   # a run's other keys are parameters of its notebook


def type_name(value: object) -> str:
    """The TOML name of a value's type, as a config author knows it."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dt.datetime):
        return "date-time"
    names = {str: "string", int: "integer", float: "float", dt.date: "date", list: "array", dict: "table"}
    return next((n for t, n in names.items() if isinstance(value, t)), type(value).__name__)


def _wanted(types: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", dt.date: "a date", list: "an array",
             dict: "a table", bool: "true or false"}
    return " or ".join(names.get(t, t.__name__) for t in types)


def _is(value: object, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in types:
        return False   # TOML true is not the integer 1
    if isinstance(value, dt.datetime) and dt.datetime not in types:
        return False   # a date-time is not a date
    return isinstance(value, types)


def check_text_sizes(value: object, where: str, fix: str) -> None:
    """Refuse any string longer than MAX_TEXT inside `value` (nested tables and arrays included)."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ConfigError(f"{where} is too long.", expected=f"at most {MAX_TEXT:,} characters",
                          got=f"{len(value):,} characters, beginning {shown(value[:SHOWN_CHARS])}", fix=fix)
    if isinstance(value, dict):
        for k, v in value.items():
            check_text_sizes(v, f"{where}, key '{k}'", fix)
    elif isinstance(value, list):
        for i, v in enumerate(value, start=1):
            check_text_sizes(v, f"{where}, item {i}", fix)


def check_table(raw: object, schema: dict[str, Key], where: str, file: str, *, extra: bool = False) -> None:
    """Check one TOML table against `schema`; `extra` lets keys outside the schema through (run parameters)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} in {file} is not a table.", expected="a table of keys",
                          got=f"{type_name(raw)} {shown(raw)}", fix=f"write it as a TOML table in {file}")
    unknown = [k for k in raw if k not in schema]
    if unknown and not extra:
        hints = [f"'{k}' (did you mean '{m[0]}'?)" if (m := difflib.get_close_matches(k, schema, n=1)) else f"'{k}'"
                 for k in unknown]
        raise ConfigError(f"{where} in {file} has unknown key(s): {', '.join(hints)}.",
                          expected="keys from: " + ", ".join(schema), got=", ".join(shown(k) for k in unknown),
                          fix=f"correct or remove the key(s) in {file}")
    missing = [k for k, key in schema.items() if key.required and k not in raw]
    if missing:
        raise ConfigError(f"{where} in {file} lacks required key(s): {', '.join(missing)}.",
                          expected="; ".join(schema[k].example for k in missing),
                          got=" and ".join(f"no {k} key" for k in missing),
                          fix=f"add the missing key(s) to {file}")
    for name, key in schema.items():
        if name not in raw:
            continue
        value = raw[name]
        if not _is(value, key.types):
            raise ConfigError(f"Key '{name}' of {where} in {file} has the wrong type.",
                              expected=f"{_wanted(key.types)}, e.g. {key.example}",
                              got=f"{type_name(value)} {shown(value)}", fix=f"correct '{name}' in {file}")
        if key.items is not None:
            for i, item in enumerate(value, start=1):
                if not _is(item, (key.items,)):
                    raise ConfigError(f"Item {i} of '{name}' of {where} in {file} has the wrong type.",
                                      expected=f"{_wanted((key.items,))} in every item, e.g. {key.example}",
                                      got=f"{type_name(item)} {shown(item)}", fix=f"correct '{name}' in {file}")
