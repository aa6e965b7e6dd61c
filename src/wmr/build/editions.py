"""Edition configs (editions/<id>.toml): title, the sources pinned, and the chapters with their parameters."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from wmr.core import paths
from wmr.core.errors import ConfigError
from wmr.kernel import pins

from . import configschema, frontmatter, locales, notebooks, profileset
from .configschema import shown
from .runs import ChapterConfig, Run, _check_parameters, check_name

DEFAULT_EDITION = "wmr-2026"
DEFAULT_CELL_TIMEOUT = 600
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")  # ISO 639 language, optional ISO 3166 region: 'en', 'en-GB'


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
    release_date: dt.date | None = None   # the fixed publication date (the PDF's timestamp)
    data_through: int | None = None   # the last year the edition's data may describe (no anachronisms)
    front: frontmatter.FrontMatter = field(default_factory=frontmatter.FrontMatter)  # [front_matter]
    profiles: ChapterConfig | None = None   # the [profiles] table: one run per country or area (see profileset)
    languages: tuple[str, ...] = ("en",)   # the languages published, English first (see locales)

    def chapter(self, slug: str) -> ChapterConfig:
        for c in self.chapters:
            if c.slug == slug:
                return c
        raise ConfigError(f"Edition '{self.id}' has no chapter '{slug}'.",
                          expected="one of: " + ", ".join(c.slug for c in self.chapters), got=slug,
                          fix="use a chapter slug from the edition config (comma-separated for several)")


def release_date(edition_id: str):
    """The edition's fixed release date (used as the PDF timestamp so rebuilds are byte-identical)."""
    path = paths.project_root() / "editions" / f"{edition_id}.toml"
    value = tomllib.loads(path.read_text(encoding="utf-8")).get("release_date")
    if value is None:
        raise ConfigError(f"Edition config {path.name} has no release_date.", expected="e.g. release_date = 2026-11-30",
                          got="no release_date key", fix=f"add the publication date to {path.name}")
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ConfigError(f"release_date of edition '{edition_id}' is not a date.", expected="e.g. release_date = 2026-11-30",
                          got=shown(value), fix="write the date unquoted, as TOML dates are")
    return value


def _language(raw: dict, path: Path) -> str:
    """The edition's `language` (required: it becomes the PDF's document language)."""
    value = raw.get("language")
    if not isinstance(value, str) or not LANGUAGE_RE.match(value):
        raise ConfigError(f"Edition config {path.name} has no valid 'language'.",
                          expected="an ISO 639 language code, optionally with a region: 'en' or 'en-GB'",
                          got="no language key" if value is None else shown(value),
                          fix=f'add language = "en" (or the edition\'s language) to {path.name}')
    return value


def available() -> list[str]:
    return sorted(p.stem for p in (paths.project_root() / "editions").glob("*.toml"))


def load(edition_id: str) -> Edition:
    """Parse and validate editions/<edition_id>.toml: schema, unique names, parameters, bounds, sources pinned."""
    check_name("edition", edition_id)
    root = paths.project_root()
    path = root / "editions" / f"{edition_id}.toml"
    if not path.is_file():
        raise ConfigError(f"Unknown edition '{edition_id}'.", expected="one of: " + ", ".join(available()),
                          got=edition_id, fix="pass --edition with one of the listed names")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Edition config {path.name} is not valid TOML.", expected="TOML", got=shown(str(exc)),
                          fix="fix the syntax at the position given") from None
    file = f"editions/{path.name}"
    configschema.check_table(raw, configschema.EDITION_KEYS, "The edition config", file)
    configschema.check_text_sizes(raw, f"A value in {file}", fix="shorten the value")
    language = _language(raw, path)
    languages = locales.check_languages(raw.get("languages"), file)
    release = release_date(edition_id)  # checked now, before any kernel starts
    manifest = pins.load_manifest()
    unknown = [s for s in raw["sources"] if s not in manifest]
    if unknown:
        raise ConfigError(f"Edition '{edition_id}' pins unknown sources {[shown(s) for s in unknown]}.",
                          expected="source ids from data/manifest.json: " + ", ".join(sorted(manifest)),
                          got=", ".join(shown(s) for s in unknown), fix="correct the 'sources' list of the edition config")
    shared = dict(raw.get("parameters", {}))
    chapters = []
    slugs: dict[str, int] = {}
    run_names: dict[str, str] = {}
    for number, ch in enumerate(raw["chapters"], start=1):
        configschema.check_table(ch, configschema.CHAPTER_KEYS, f"Chapter {number}", file)
        slug = check_name("chapter", ch["slug"])
        if slug in slugs:
            raise ConfigError(f"Chapter slug '{slug}' is used twice in {file}: by chapter {slugs[slug]} and "
                              f"chapter {number} (their notebooks and figures would overwrite each other).",
                              expected="a different slug for every [[chapters]] entry", got=f"slug = \"{slug}\" twice",
                              fix=f"rename one of the two chapters in {file}")
        slugs[slug] = number
        nb_path = paths.inside(root / ch["notebook"], root)
        nb = notebooks.read(nb_path)
        declared = notebooks.parameters(nb, nb_path)
        own = dict(ch.get("parameters", {}))
        base = {k: v for k, v in shared.items() if k in declared}
        runs = []
        keys: dict[str, int] = {}
        for index, run in enumerate(ch.get("runs", [{}]), start=1):
            if "runs" in ch:
                configschema.check_table(run, {"key": configschema.RUN_KEY}, f"Run {index} of chapter '{slug}'", file,
                                         extra=True)
            run = dict(run)
            key = run.pop("key", None)
            if key is not None:
                check_name("run key", key)
                if key in keys:
                    raise ConfigError(f"Run key '{key}' is used twice in chapter '{slug}' of {file}: by run "
                                      f"{keys[key]} and run {index}.", expected="a different key for every run",
                                      got=f"key = \"{key}\" twice", fix=f"rename one of the two runs in {file}")
                keys[key] = index
            params = {**base, **own, **run}
            _check_parameters(slug + (f" (run {key})" if key else ""), nb_path, params, declared)
            name = Run(slug, key, params).name
            where = f"chapter '{slug}'" + (f" run '{key}'" if key else "")
            if name in run_names:
                raise ConfigError(f"Two runs of {file} would write the same executed notebook '{name}.ipynb': "
                                  f"{run_names[name]} and {where}.", expected="distinct chapter slugs and run keys",
                                  got=name, fix=f"rename the chapter or the run key in {file}")
            run_names[name] = where
            runs.append(Run(slug, key, params))
        chapters.append(ChapterConfig(slug, number, nb_path, own, tuple(runs), keep_modules=len(runs) > 1))
    timeout = raw.get("cell_timeout", DEFAULT_CELL_TIMEOUT)
    if timeout < 1:
        raise ConfigError(f"cell_timeout of edition '{edition_id}' is not a positive whole number of seconds.",
                          expected="e.g. cell_timeout = 600", got=shown(timeout), fix="write a positive integer")
    through = raw.get("data_through")
    if through is not None and not 1900 <= through <= 2199:
        raise ConfigError(f"data_through of edition '{edition_id}' is not a year.", expected="e.g. data_through = 2024",
                          got=shown(through), fix="write the last year the edition's data may describe, unquoted")

    profiles = profileset.config(edition_id, raw.get("profiles"), shared, len(chapters) + 1)
    return Edition(id=edition_id, title=raw["title"], subtitle=raw.get("subtitle", ""),
                   publisher=raw.get("publisher", ""), language=language, sources=tuple(raw["sources"]),
                   parameters=shared, chapters=tuple(chapters), cell_timeout=timeout, release_date=release,
                   data_through=through,
                   front=frontmatter.parse(raw, path.name), profiles=profiles, languages=languages)
