"""Citations: {cite}`key` in the prose, resolved against data/references.json (CSL-JSON) and formatted by
pandoc's citeproc with its bundled Chicago author-date style (pandoc is pinned through pypandoc_binary).

All clusters of an edition are formatted in one pandoc run with the whole bibliography present, so
author-year labels are disambiguated the same way ('2024a', '2024b') in every chapter and in both formats.
"""
from __future__ import annotations

import difflib
import html
import json
import re
import tempfile
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from wmr.core import paths
from wmr.core.errors import AssemblyError, ConfigError

BIBLIOGRAPHY = Path("data") / "references.json"
SOURCE_REFERENCES = Path("data") / "source-references.toml"
KEY_RE = re.compile(r"^[a-z][a-z0-9]*$")
REQUIRED = ("title", "publisher", "URL")
_CLUSTER_HTML = re.compile(r'<div id="c(\d+)">\s*<p><span class="citation"[^>]*>(.*?)</span></p>\s*</div>', re.S)
_ENTRY_HTML = re.compile(r'<div id="ref-([a-z0-9]+)" class="csl-entry"[^>]*>\s*(.*?)\s*</div>', re.S)
_CLUSTER_MD = re.compile(r"^::: \{#c(\d+)\}\n(.*?)\n:::$", re.S | re.M)
_ENTRY_MD = re.compile(r"^::: \{#ref-([a-z0-9]+) \.csl-entry\}\n(.*?)\n:::$", re.S | re.M)


def bibliography_path() -> Path:
    return paths.project_root() / BIBLIOGRAPHY


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> dict[str, dict]:
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"The bibliography {BIBLIOGRAPHY} cannot be read.", expected="a CSL-JSON list of references",
                          got=str(exc), fix=f"restore or fix {BIBLIOGRAPHY}") from None
    out: dict[str, dict] = {}
    for item in items:
        key = item.get("id")
        if not isinstance(key, str) or not KEY_RE.match(key) or key in out:
            raise ConfigError(f"A reference in {BIBLIOGRAPHY} has a missing, malformed or repeated id.",
                              expected="a unique id of lower-case letters and digits, e.g. 'undesa2024ims'",
                              got=repr(key), fix="correct the id")
        missing = [f for f in REQUIRED if not str(item.get(f, "")).strip()]
        if missing or not (item.get("author") or item.get("editor")):
            raise ConfigError(f"Reference '{key}' in {BIBLIOGRAPHY} is incomplete.",
                              expected="title, publisher, URL and an author or editor (a corporate author if no person)",
                              got="missing: " + ", ".join(missing or ["author/editor"]),
                              fix="complete the entry from the publication itself; never invent authors or titles")
        out[key] = item
    return out


def references() -> dict[str, dict]:
    """Every reference of the project bibliography by key (checked: id, title, publisher, URL, author/editor)."""
    path = bibliography_path()
    return _load(path, path.stat().st_mtime)


def source_references() -> dict[str, list[str]]:
    """Manifest source id -> the keys of the publications to cite for it (data/source-references.toml)."""
    path = paths.project_root() / SOURCE_REFERENCES
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    for sid, keys in table.items():
        check_keys(keys, f"{SOURCE_REFERENCES} (source '{sid}')")
    return table


def source_keys(source_id: str, where: str) -> list[str]:
    """The publications to cite for a pinned source (data/source-references.toml)."""
    table = source_references()
    if source_id not in table:
        raise AssemblyError(f"{where} cites the publication of an unknown source '{source_id}'.",
                            expected="a source id of " + str(SOURCE_REFERENCES) + ": " + ", ".join(sorted(table)),
                            got=source_id, fix="use source:<source id> or source:<parameter naming a source>")
    return list(table[source_id])


def split_keys(arg: str) -> tuple[str, ...]:
    """'a, b' -> ('a', 'b'): one role may cite several publications (one parenthetical cluster)."""
    return tuple(k.strip() for k in arg.split(",") if k.strip())


def check_keys(keys: Iterable[str], where: str) -> None:
    """Refuse a key that is not in the bibliography, naming the closest keys."""
    known = references()
    for key in (k.removeprefix("-") for k in keys):
        if key not in known:
            close = difflib.get_close_matches(key, known, n=5, cutoff=0.5)
            raise AssemblyError(f"{where} cites an unknown publication '{key}'.",
                                expected="a key of " + str(BIBLIOGRAPHY) + (": closest " + ", ".join(close) if close else ""),
                                got=key, fix=f"correct the key, or add the publication to {BIBLIOGRAPHY}")


@dataclass(frozen=True)
class Formatted:
    """Citations formatted for one output: in-text text per cluster of keys, reference-list entry per key."""

    clusters: dict[tuple[str, ...], str]
    entries: dict[str, str]


def _document(clusters: list[tuple[str, ...]], lang: str = "en") -> str:
    def item(key: str) -> str:  # '-key' suppresses the author (citeproc prints the year only)
        return "-@" + key[1:] if key.startswith("-") else "@" + key

    blocks = [f"::: {{#c{i}}}\n[{'; '.join(item(k) for k in keys)}]\n:::" for i, keys in enumerate(clusters)]
    # `lang`: citeproc's terms ('and', 'accessed', 'n.d.') in the language, from pandoc's bundled CSL locales
    head = "nocite: '@*'\n" + (f"lang: {lang}\n" if lang != "en" else "")
    return f"---\n{head}---\n\n" + "\n\n".join(blocks) + "\n\n::: {#refs}\n:::\n"


def run_citeproc(clusters: list[tuple[str, ...]], to: str, extra: list[dict] | None = None,
                 lang: str = "en") -> Formatted:
    """Format `clusters` with pandoc's citeproc to 'html' or 'markdown' (pandoc Markdown, for the PDF), with the
    citation terms of language `lang`."""
    import pypandoc  # imported here: loading the bibliography never needs pandoc

    items = list(references().values()) + list(extra or [])
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "references.json"
        bib.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        out = pypandoc.convert_text(_document(clusters, lang), "html" if to == "html" else "markdown-citations",
                                    format="markdown", extra_args=["--citeproc", f"--bibliography={bib}", "--wrap=none"])
    cluster_re, entry_re = (_CLUSTER_HTML, _ENTRY_HTML) if to == "html" else (_CLUSTER_MD, _ENTRY_MD)
    texts = {int(m.group(1)): m.group(2).strip() for m in cluster_re.finditer(out)}
    entries = {m.group(1): m.group(2).strip() for m in entry_re.finditer(out)}
    if len(texts) != len(clusters) or len(entries) != len(items):
        raise AssemblyError("pandoc's citeproc returned an unexpected document.",
                            expected=f"{len(clusters)} citations and {len(items)} entries",
                            got=f"{len(texts)} citations and {len(entries)} entries",
                            fix="check the pinned pypandoc_binary version and data/references.json")
    return Formatted({c: texts[i] for i, c in enumerate(clusters)}, entries)


@lru_cache(maxsize=8)
def _cached(clusters: tuple[tuple[str, ...], ...], to: str, mtime: float, lang: str) -> Formatted:
    return run_citeproc(list(clusters), to, lang=lang)


def format_citations(clusters: Iterable[tuple[str, ...]], to: str, lang: str = "en") -> Formatted:
    """In-text citations and reference-list entries for every cluster cited in an edition (in `lang`'s terms;
    the references themselves keep the language they were published in)."""
    unique = tuple(dict.fromkeys(clusters))
    for keys in unique:
        check_keys(keys, "The edition")
    return _cached(unique, to, bibliography_path().stat().st_mtime, lang)


def entry_text(entry_html: str) -> str:
    """A reference-list entry as plain text (for search and tests)."""
    return html.unescape(re.sub(r"<[^>]+>", "", entry_html))
