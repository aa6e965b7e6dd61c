"""Front matter of an edition, from the [front_matter] table of its config: the unofficial-reproduction notice,
imprint (copyright, licence, ISBN/ISSN/DOI when given), suggested citation (also as BibTeX and RIS), disclaimer,
optional foreword or editorial notes, and the acronyms and glossary of one project file (data/glossary.toml).
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from wmr.core import paths
from wmr.core.errors import ConfigError

DEFAULT_GLOSSARY = "data/glossary.toml"
IDENTIFIERS = {  # name -> (pattern, example)
    "isbn": (re.compile(r"^(97[89][- ]?)?\d{1,5}[- ]?\d{1,7}[- ]?\d{1,7}[- ]?[\dX]$"), "978-92-9268-000-0"),
    "issn": (re.compile(r"^\d{4}-\d{3}[\dX]$"), "1561-5502"),
    "doi": (re.compile(r"^10\.\d{4,9}/\S+$"), "10.18356/example"),
}
TEXT_KEYS = ("notice", "copyright", "licence", "disclaimer", "citation_author")
ALLOWED = {"official", "glossary", "notes", *TEXT_KEYS, *IDENTIFIERS}


@dataclass(frozen=True)
class Note:
    """A foreword or editorial note: its title and Markdown text (read from a project file)."""

    title: str
    markdown: str


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    cite: tuple[str, ...] = ()   # bibliography keys of the definition's source
    english: str = ""            # the term as the glossary file writes it (its anchor in every language)


@dataclass(frozen=True)
class FrontMatter:
    official: bool = False
    notice: str = ""
    copyright: str = ""
    licence: str = ""
    disclaimer: str = ""
    citation_author: str = ""
    isbn: str = ""
    issn: str = ""
    doi: str = ""
    notes: tuple[Note, ...] = ()
    acronyms: tuple[tuple[str, str], ...] = ()
    glossary: tuple[GlossaryEntry, ...] = field(default_factory=tuple)

    @property
    def identifiers(self) -> list[tuple[str, str]]:
        """The identifiers given, as (label, value): ISBN, ISSN, DOI."""
        return [(name.upper(), getattr(self, name)) for name in IDENTIFIERS if getattr(self, name)]


def _text(table: dict, key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"[front_matter] {key} of {where} is not text.", expected="a TOML string",
                          got=repr(value), fix=f'write {key} = "..."')
    return " ".join(value.split()) if key != "disclaimer" else value.strip()


def _project_file(value: object, key: str, where: str) -> Path:
    root = paths.project_root()
    if not isinstance(value, str) or not value:
        raise ConfigError(f"[front_matter] {key} of {where} is not a file name.", expected="a path inside the project",
                          got=repr(value), fix="give a path relative to the project root")
    path = paths.inside(root / value, root)
    if not path.is_file():
        raise ConfigError(f"[front_matter] {key} of {where} names a missing file.", expected="an existing file",
                          got=value, fix="create the file or correct the path")
    return path


def load_glossary(path: Path) -> tuple[tuple[tuple[str, str], ...], tuple[GlossaryEntry, ...]]:
    """Acronyms (short, long) and glossary entries from the project's glossary file, each sorted."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name} is not valid TOML.", expected="TOML", got=str(exc),
                          fix="fix the syntax at the position given") from None
    acronyms, terms = [], []
    for a in raw.get("acronyms", []):
        if not a.get("short") or not a.get("long"):
            raise ConfigError(f"An acronym in {path.name} lacks its short or long form.", expected="short and long",
                              got=repr(a), fix="give both")
        acronyms.append((a["short"], a["long"]))
    for t in raw.get("terms", []):
        if not t.get("term") or not t.get("definition"):
            raise ConfigError(f"A glossary entry in {path.name} lacks its term or definition.",
                              expected="term and definition", got=repr(t), fix="give both")
        terms.append(GlossaryEntry(t["term"], " ".join(t["definition"].split()), tuple(t.get("cite", [])), t["term"]))
    return (tuple(sorted(acronyms, key=lambda a: a[0].casefold())),
            tuple(sorted(terms, key=lambda t: t.term.casefold())))


def parse(raw: dict, where: str) -> FrontMatter:
    """Validate the [front_matter] table of an edition config (`where` names the file for messages)."""
    table = raw.get("front_matter")
    if not isinstance(table, dict):
        raise ConfigError(f"{where} has no [front_matter] table.",
                          expected="[front_matter] with official, notice, copyright, licence, disclaimer, citation_author",
                          got="none", fix="add the table (see editions/wmr-2026.toml)")
    unknown = sorted(set(table) - ALLOWED)
    if unknown:
        raise ConfigError(f"[front_matter] of {where} has unknown keys {unknown}.", expected=", ".join(sorted(ALLOWED)),
                          got=unknown, fix="remove or rename them")
    official = table.get("official")
    if not isinstance(official, bool):
        raise ConfigError(f"[front_matter] of {where} does not say whether the edition is official.",
                          expected="official = false (a reproduction) or true", got=repr(official),
                          fix="add official = false unless the publisher itself releases this edition")
    values = {k: _text(table, k, where) for k in TEXT_KEYS}
    if not official and not values["notice"]:
        raise ConfigError(f"{where} is an unofficial edition without a notice.",
                          expected='notice = "Unofficial reproduction from public data ..."', got="no notice",
                          fix="add the notice shown on the cover, the imprint and every HTML page")
    for key in ("copyright", "licence", "citation_author"):
        if not values[key]:
            raise ConfigError(f"[front_matter] of {where} has no {key}.", expected=f"{key} = \"...\"", got="none",
                              fix=f"add {key}: it is printed on the imprint page")
    for name, (pattern, example) in IDENTIFIERS.items():
        values[name] = _text(table, name, where)
        if values[name] and not pattern.match(values[name]):
            raise ConfigError(f"[front_matter] {name} of {where} is malformed.", expected=f"e.g. {example}",
                              got=values[name], fix=f"correct the {name.upper()} or remove it")
    notes = []
    for n in table.get("notes", []):
        if not isinstance(n, dict) or not n.get("title"):
            raise ConfigError(f"A note in [front_matter] of {where} has no title.",
                              expected='{ title = "Editorial note", file = "editions/notes/....md" }', got=repr(n),
                              fix="give each note a title and a file")
        notes.append(Note(n["title"], _project_file(n.get("file"), "notes.file", where).read_text(encoding="utf-8")))
    acronyms, glossary = load_glossary(_project_file(table.get("glossary", DEFAULT_GLOSSARY), "glossary", where))
    return FrontMatter(official=official, notes=tuple(notes), acronyms=acronyms, glossary=glossary, **values)


def citation_item(edition, release_date: dt.date) -> dict:
    """The edition itself as a CSL-JSON item (formatted by citeproc, exported as BibTeX and RIS)."""
    fm = edition.front
    item = {"id": edition.id.replace("-", ""), "type": "report",
            "author": [{"literal": fm.citation_author}], "title": edition.title,
            "publisher": edition.publisher, "issued": {"date-parts": [[release_date.year, release_date.month,
                                                                        release_date.day]]},
            "genre": "Unofficial reproduction from public data" if not fm.official else ""}
    if edition.subtitle:
        item["title"] = f"{edition.title}: {edition.subtitle}"
    for name, key in (("doi", "DOI"), ("isbn", "ISBN"), ("issn", "ISSN")):
        if getattr(fm, name):
            item[key] = getattr(fm, name)
    return {k: v for k, v in item.items() if v}


def suggested_citation(edition, release_date: dt.date, to: str) -> str:
    """The edition's reference-list entry, formatted by citeproc like every other reference ('html' or 'markdown')."""
    from . import citations

    item = citation_item(edition, release_date)
    return citations.run_citeproc([], to, extra=[item]).entries[item["id"]]


def bibtex(edition, release_date: dt.date) -> str:
    """The edition's citation as BibTeX (written by pybtex; the corporate author and title kept verbatim in braces)."""
    from pybtex.database import BibliographyData, Entry, Person

    item = citation_item(edition, release_date)
    fields = {"title": "{" + item["title"] + "}", "institution": item["publisher"], "year": str(release_date.year),
              "month": release_date.strftime("%b").lower()}
    for csl, field_name in (("genre", "type"), ("DOI", "doi"), ("ISBN", "isbn"), ("ISSN", "issn")):
        if csl in item:
            fields[field_name] = item[csl]
    entry = Entry("techreport", fields=fields,
                  persons={"author": [Person("{" + a["literal"] + "}") for a in item["author"]]})
    return BibliographyData({item["id"]: entry}).to_string("bibtex")


def ris(edition, release_date: dt.date) -> str:
    """The edition's citation as RIS (written by rispy)."""
    import rispy

    class _Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:  # rispy numbers references ('1.'); RIS readers expect none
            return ""

    item = citation_item(edition, release_date)
    ref = {"type_of_reference": "RPRT", "authors": [a["literal"] for a in item["author"]], "title": item["title"],
           "year": str(release_date.year), "date": release_date.strftime("%Y/%m/%d"), "publisher": item["publisher"]}
    if "genre" in item:
        ref["notes"] = [item["genre"]]
    if "DOI" in item:
        ref["doi"] = item["DOI"]
    if "ISBN" in item or "ISSN" in item:
        ref["issn"] = item.get("ISBN") or item["ISSN"]   # RIS 'SN' holds either
    return rispy.dumps([ref], implementation=_Writer)
