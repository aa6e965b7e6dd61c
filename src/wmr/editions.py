"""Edition configs (editions/<id>.toml): title, the sources pinned, and the chapters with their parameters."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import notebooks, paths, pins
from .errors import ConfigError

DEFAULT_EDITION = "wmr-2026"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
DEFAULT_CELL_TIMEOUT = 600
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")  # ISO 639 language, optional ISO 3166 region: 'en', 'en-GB'
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
    warm_kernel: bool = False   # runs share one kept kernel per worker (profiles: many short runs)


@dataclass(frozen=True)
class Edition:
    id: str
    title: str
    subtitle: str
    publisher: str
    language: str            # 'en' or 'en-GB': the PDF's document language and hyphenation rules
    sources: tuple[str, ...]
    parameters: dict
    chapters: tuple[ChapterConfig, ...] = field(default_factory=tuple)
    cell_timeout: int = DEFAULT_CELL_TIMEOUT
    profiles: ChapterConfig | None = None   # the [profiles] table: one run per country or area (see profileset)

    def chapter(self, slug: str) -> ChapterConfig:
        for c in self.chapters:
            if c.slug == slug:
                return c
        raise ConfigError(f"Edition '{self.id}' has no chapter '{slug}'.",
                          expected="one of: " + ", ".join(c.slug for c in self.chapters), got=slug,
                          fix="use a chapter slug from the edition config (comma-separated for several)")


def release_date(edition_id: str):
    """The edition's fixed release date (used as the PDF timestamp so rebuilds are byte-identical)."""
    import datetime as dt

    path = paths.project_root() / "editions" / f"{edition_id}.toml"
    value = tomllib.loads(path.read_text(encoding="utf-8")).get("release_date")
    if value is None:
        raise ConfigError(f"Edition config {path.name} has no release_date.", expected="e.g. release_date = 2026-11-30",
                          got="no release_date key", fix=f"add the publication date to {path.name}")
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ConfigError(f"release_date of edition '{edition_id}' is not a date.", expected="e.g. release_date = 2026-11-30",
                          got=repr(value), fix="write the date unquoted, as TOML dates are")
    return value


def check_name(kind: str, value: object) -> str:
    """Refuse names that could be paths (`../x`, `/abs`) or odd strings: lower-case letters, digits, '-' and '_'."""
    if not isinstance(value, str) or not NAME_RE.match(value):
        raise ConfigError(f"Invalid {kind} name {value!r}.",
                          expected="lower-case letters, digits, '-' or '_' (at most 64; no '/', '.', spaces)",
                          got=repr(value), fix=f"use a plain {kind} name such as 'wmr-2026' or 'regions'")
    return value


def _language(raw: dict, path: Path) -> str:
    """The edition's `language` (required: it becomes the PDF's document language)."""
    value = raw.get("language")
    if not isinstance(value, str) or not LANGUAGE_RE.match(value):
        raise ConfigError(f"Edition config {path.name} has no valid 'language'.",
                          expected="an ISO 639 language code, optionally with a region: 'en' or 'en-GB'",
                          got="no language key" if value is None else repr(value),
                          fix=f'add language = "en" (or the edition\'s language) to {path.name}')
    return value


def available() -> list[str]:
    return sorted(p.stem for p in (paths.project_root() / "editions").glob("*.toml"))


def _type_name(value) -> str:
    return "bool" if isinstance(value, bool) else type(value).__name__


def _check_parameters(slug: str, nb_path: Path, given: dict, declared: dict[str, notebooks.Parameter]) -> None:
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ConfigError(f"Chapter '{slug}' is given parameters its notebook does not declare: {unknown}.",
                          expected="names from the parameters cell of " + nb_path.name + ": " + ", ".join(declared),
                          got=unknown, fix="remove them from the edition config or declare them in the notebook")
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
                              expected=want, got=f"{_type_name(value)} {value!r}",
                              fix=f"give '{name}' a {want} value in the edition config")


def load(edition_id: str) -> Edition:
    """Parse and validate editions/<edition_id>.toml (chapters exist, parameters match, sources pinned)."""
    check_name("edition", edition_id)
    root = paths.project_root()
    path = root / "editions" / f"{edition_id}.toml"
    if not path.is_file():
        raise ConfigError(f"Unknown edition '{edition_id}'.", expected="one of: " + ", ".join(available()),
                          got=edition_id, fix="pass --edition with one of the listed names")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Edition config {path.name} is not valid TOML.", expected="TOML", got=str(exc),
                          fix="fix the syntax at the position given") from None
    language = _language(raw, path)
    manifest = pins.load_manifest()
    unknown = [s for s in raw.get("sources", []) if s not in manifest]
    if unknown:
        raise ConfigError(f"Edition '{edition_id}' pins unknown sources {unknown}.",
                          expected="source ids from data/manifest.json: " + ", ".join(sorted(manifest)), got=unknown,
                          fix="correct the 'sources' list of the edition config")
    shared = dict(raw.get("parameters", {}))
    chapters = []
    for number, ch in enumerate(raw.get("chapters", []), start=1):
        slug = check_name("chapter", ch.get("slug"))
        nb_path = paths.inside(root / ch["notebook"], root)
        nb = notebooks.read(nb_path)
        declared = notebooks.parameters(nb, nb_path)
        own = dict(ch.get("parameters", {}))
        base = {k: v for k, v in shared.items() if k in declared}
        base["edition"] = edition_id
        runs = []
        for run in ch.get("runs", [{}]):
            run = dict(run)
            key = run.pop("key", None)
            if key is not None:
                check_name("run key", key)
            params = {**base, **own, **run}
            _check_parameters(slug + (f" (run {key})" if key else ""), nb_path, params, declared)
            runs.append(Run(slug, key, params))
        chapters.append(ChapterConfig(slug, number, nb_path, own, tuple(runs)))
    timeout = raw.get("cell_timeout", DEFAULT_CELL_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise ConfigError(f"cell_timeout of edition '{edition_id}' is not a positive whole number of seconds.",
                          expected="e.g. cell_timeout = 600", got=repr(timeout), fix="write a positive integer")
    from . import profileset  # the [profiles] table (its runs come from the pins)

    profiles = profileset.config(edition_id, raw.get("profiles"), shared, len(chapters) + 1)
    return Edition(id=edition_id, title=raw["title"], subtitle=raw.get("subtitle", ""),
                   publisher=raw.get("publisher", ""), language=language, sources=tuple(raw.get("sources", [])),
                   parameters=shared, chapters=tuple(chapters), cell_timeout=timeout, profiles=profiles)
