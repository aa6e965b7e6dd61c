"""Which country and area profiles an edition has: one run of the profile notebook per ISO3 code.

The codes are the destinations of the edition's bilateral migrant stock source (never a typed list).
Reading that table takes seconds, so the list is cached in a small JSON file keyed by the source's
sha256; a build with nothing to do reads only that file. Run keys are the lower-case ISO3 codes.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from wmr.core import paths
from wmr.core.errors import ConfigError
from wmr.kernel import pins

from . import notebooks
from .runs import ChapterConfig, Run, _check_parameters, check_name

SLUG = "profiles"
PARAMETER = "iso3"       # the notebook parameter naming the country or area
CODES_VERSION = "1"      # change when analysis.profiles.profile_codes changes (invalidates the cached lists)


def _codes_path(source_id: str) -> Path:
    src = pins.source(source_id)
    digest = hashlib.sha256("\0".join(f.sha256 for f in src.files).encode()).hexdigest()[:20]
    return paths.cache_dir() / "profiles" / f"codes-{CODES_VERSION}-{source_id}-{digest}.json"


def codes(ims_source: str) -> list[str]:
    """ISO3 codes of the countries and areas with migrant-stock estimates in `ims_source`."""
    path = _codes_path(ims_source)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    from wmr.kernel.analysis.profiles import profile_codes

    found = profile_codes(ims_source)
    paths.atomic_write_text(path, json.dumps(found) + "\n")
    return found


def config(edition_id: str, raw: dict | None, shared: dict, number: int) -> ChapterConfig | None:
    """The edition's profiles as a chapter config with one run per country or area (None: no [profiles])."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("notebook"), str):
        raise ConfigError(f"The [profiles] table of edition '{edition_id}' has no notebook.",
                          expected='[profiles] with notebook = "notebooks/profile.md"', got=repr(raw),
                          fix="name the profile notebook in the edition config")
    unknown = sorted(set(raw) - {"notebook", "parameters", "only"})
    if unknown:
        raise ConfigError(f"The [profiles] table of edition '{edition_id}' has unknown keys {unknown}.",
                          expected="notebook, parameters, only", got=unknown, fix="remove or rename them")
    root = paths.project_root()
    nb_path = paths.inside(root / raw["notebook"], root)
    declared = notebooks.parameters(notebooks.read(nb_path), nb_path)
    if PARAMETER not in declared:
        raise ConfigError(f"The profile notebook {nb_path.name} has no '{PARAMETER}' parameter.",
                          expected=f"`{PARAMETER}: str = \"DEU\"` in its parameters cell", got=sorted(declared),
                          fix="declare the parameter that names the country or area")
    own = dict(raw.get("parameters", {}))
    base = {**{k: v for k, v in shared.items() if k in declared}, **own}
    ims_source = base.get("ims_source")
    if not isinstance(ims_source, str):
        raise ConfigError(f"Edition '{edition_id}' gives its profiles no ims_source.",
                          expected="ims_source in [parameters] or [profiles.parameters]", got=repr(ims_source),
                          fix="set the bilateral migrant stock source the profiles cover")
    every = codes(ims_source)
    only = raw.get("only")
    if only is not None:  # a fixed subset (e.g. a test project's sample); the default is every country
        if not isinstance(only, list) or not only or any(c not in every for c in only):
            bad = [c for c in only if c not in every] if isinstance(only, list) else only
            raise ConfigError(f"'only' in the [profiles] table of edition '{edition_id}' names codes without a profile.",
                              expected=f"a list of ISO3 codes among the {len(every)} of {ims_source}", got=repr(bad),
                              fix="correct the codes, or remove 'only' to build every profile")
        every = [c for c in every if c in set(only)]
    runs = []
    for code in every:
        params = {**base, PARAMETER: code}
        key = check_name("run key", code.lower())
        _check_parameters(f"{SLUG} (run {key})", nb_path, params, declared)
        runs.append(Run(SLUG, key, params))
    return ChapterConfig(SLUG, number, nb_path, own, tuple(runs), keep_modules=True)


def select(cfg: ChapterConfig | None, edition_id: str, wanted: str | None) -> ChapterConfig | None:
    """The profile runs named by `--profiles DEU,IND` (all for None; none for an empty list)."""
    if cfg is None:
        if wanted:
            raise ConfigError(f"Edition '{edition_id}' has no profiles.", expected="a [profiles] table in "
                              f"editions/{edition_id}.toml", got=f"--profiles {wanted}",
                              fix="leave out --profiles, or add the [profiles] table")
        return None
    if wanted is None:
        return cfg
    asked = [c.strip().upper() for c in wanted.split(",") if c.strip()]
    by_code = {run.parameters[PARAMETER]: run for run in cfg.runs}
    bad = [c for c in asked if c not in by_code]
    if bad:
        sample = ", ".join(list(by_code)[:8])
        raise ConfigError(f"--profiles names codes with no profile in edition '{edition_id}': {', '.join(bad)}.",
                          expected=f"upper-case ISO3 codes of the {len(by_code)} countries and areas with "
                                   f"migrant-stock estimates (e.g. {sample}, ...)",
                          got=wanted, fix=f"use ISO3 codes such as DEU,IND; `python build.py status --edition "
                                          f"{edition_id}` lists every profile run (profiles-<iso3>)")
    return ChapterConfig(cfg.slug, cfg.number, cfg.notebook, cfg.parameters,
                         tuple(by_code[c] for c in dict.fromkeys(asked)), keep_modules=cfg.keep_modules)
