"""A chapter's runs (one per region, country or none) and the checks on their names and parameters."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wmr.core.errors import ConfigError

from . import notebooks
from .configschema import shown

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "list": (list,), "dict": (dict,)}


@dataclass(frozen=True)
class Run:
    """One execution of a chapter notebook: a chapter may run once per region (or other key)."""

    chapter: str
    key: str | None
    parameters: dict

    @property
    def name(self) -> str:
        return f"{self.chapter}-{self.key}" if self.key else self.chapter


@dataclass(frozen=True)
class ChapterConfig:
    slug: str
    number: int
    notebook: Path
    parameters: dict
    runs: tuple[Run, ...]
    keep_modules: bool = False   # its runs keep the wmr modules loaded in a worker's kernel (one notebook run many times)


def check_name(kind: str, value: object) -> str:
    """Refuse names that could be paths (`../x`, `/abs`) or odd strings: lower-case letters, digits, '-' and '_'."""
    if not isinstance(value, str) or not NAME_RE.match(value):
        raise ConfigError(f"Invalid {kind} name {shown(value)}.",
                          expected="lower-case letters, digits, '-' or '_' (at most 64; no '/', '.', spaces)",
                          got=shown(value), fix=f"use a plain {kind} name such as 'wmr-2026' or 'regions'")
    return value


def _type_name(value) -> str:
    return "bool" if isinstance(value, bool) else type(value).__name__


def _check_parameters(slug: str, nb_path: Path, given: dict, declared: dict[str, notebooks.Parameter]) -> None:
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ConfigError(f"Chapter '{slug}' is given parameters its notebook does not declare: {unknown}.",
                          expected="names from the parameters cell of " + nb_path.name + ": " + ", ".join(declared),
                          got=", ".join(shown(k) for k in unknown),
                          fix="remove them from the edition config or declare them in the notebook")
    missing = sorted(set(declared) - set(given))
    if missing:
        raise ConfigError(f"Chapter '{slug}' lacks parameters its notebook declares: {missing}.",
                          expected="a value for each of: " + ", ".join(declared), got=sorted(given),
                          fix="add them to [parameters] or to the chapter's parameters in the edition config")
    for name, value in given.items():
        want = declared[name].type_name
        allowed = TYPES.get(want)
        if allowed is None:
            raise ConfigError(f"Parameter '{name}' of {nb_path.name} has no type annotation.",
                              expected="e.g. `stock_year: int = 2024`", got=declared[name].default,
                              fix="annotate the parameter in the notebook's parameters cell")
        if not isinstance(value, allowed) or (isinstance(value, bool) and want != "bool"):
            raise ConfigError(f"Parameter '{name}' of chapter '{slug}' has the wrong type.",
                              expected=want, got=f"{_type_name(value)} {shown(value)}",
                              fix=f"give '{name}' a {want} value in the edition config")
        _check_bounds(slug, nb_path, declared[name], value)


def _check_bounds(slug: str, nb_path: Path, param: notebooks.Parameter, value: object) -> None:
    """Refuse a number outside the range its parameters cell declares (`# ... range 1..50`)."""
    if param.low is None and param.high is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if (param.low is not None and value < param.low) or (param.high is not None and value > param.high):
        span = (f"from {param.low} to {param.high}" if param.low is not None and param.high is not None
                else f"at least {param.low}" if param.low is not None else f"at most {param.high}")
        raise ConfigError(f"Parameter '{param.name}' of chapter '{slug}' is out of range.",
                          expected=f"{param.type_name} {span} (declared in the parameters cell of {nb_path.name})",
                          got=shown(value), fix=f"give '{param.name}' a value {span} in the edition config")
