"""The PDF books' own words in each language: the fixed words of the Typst templates (each a `tr("...")` call) and
of the book code, and the texts of the edition config's front matter (title, notice, imprint, disclaimer),
translated through locales/<lang>/book.po; dates and counts per locale through Babel (CLDR).

English is the source: its words are the msgids themselves, so the English book is set exactly as before.
A missing translation shows the English text (and is listed by `--release`, as the site's are).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal

from .catalogs import Catalog, normalise
from .localefmt import NUMBERING
from .locales import SOURCE

BOOK = "book"   # the catalog of the books' words: locales/<lang>/book.po
TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_FILES = ("book.typ", "wmr-book.typ")
_CALL = re.compile(r'\btr(?:-around)?\("([^"\\]*)"')   # tr("...") and tr-around("...", ...): msgids hold no quote

# Texts the book code (book.py), not a template, writes into the book.
CODE_MESSAGES = ["Chapter %(number)s", "References", "Acronyms and glossary", "Acronyms", "Glossary",
                 "%(title)s, Chapter %(number)s: %(chapter)s"]


def template_messages() -> list[tuple[str, str]]:
    """(msgid, where) of the book templates' tr() calls and of the book code, in reading order."""
    out = []
    for name in TEMPLATE_FILES:
        out += [(m, f"templates/{name}") for m in _CALL.findall((TEMPLATES / name).read_text(encoding="utf-8"))]
    return out + [(m, "wmr/build/book.py") for m in CODE_MESSAGES]


def edition_texts(edition) -> list[str]:
    """The texts of an edition config the book prints: title, subtitle, notice, copyright, licence and the
    disclaimer's paragraphs (each a msgid, whitespace normalised)."""
    fm = edition.front
    texts = [edition.title, edition.subtitle, fm.notice, fm.copyright, fm.licence,
             *(p for p in fm.disclaimer.split("\n\n") if p.strip())]
    return [normalise(t) for t in texts if t and t.strip()]


def messages(editions: list) -> list[tuple[str, str]]:
    """(msgid, where) of book.po: the templates' and code's words, then each edition's front-matter texts."""
    out = template_messages()
    for edition in editions:
        out += [(t, f"editions/{edition.id}.toml") for t in edition_texts(edition)]
    return out


class Words:
    """The book's words in one language (`catalog`: its book.po; None for English, the source)."""

    def __init__(self, lang: str = SOURCE, catalog: Catalog | None = None):
        self.lang, self.catalog = lang, catalog

    @classmethod
    def load(cls, lang: str) -> "Words":
        return cls(lang, None if lang == SOURCE else Catalog.load(lang, BOOK))

    def __call__(self, english: str, **values: object) -> str:
        """`english` in the book's language, its %(name)s placeholders replaced by `values`."""
        text = (self.catalog.get(english) if self.catalog and english.strip() else None) or english
        return text % {k: str(v) for k, v in values.items()} if values else text

    def text(self, english: str) -> str:
        """A text of the edition config (normalised as its msgid), translated; English as written if missing."""
        if self.catalog is None or not english.strip():
            return english
        return self.catalog.get(normalise(english)) or english

    def table(self) -> dict[str, str]:
        """Every template msgid -> its translation (book.json "words", read by tr() in the templates)."""
        return {} if self.catalog is None else {m: self(m) for m, _ in template_messages()}

    def date(self, day: dt.date) -> str:
        """A date as the book prints it: '30 November 2026' in English (as always), CLDR's long form otherwise."""
        return f"{day.day} {day:%B %Y}" if self.lang == SOURCE else format_date(day, "long", locale=self.lang)

    def count(self, n: int) -> str:
        """A whole number with the locale's digits and grouping ('1,234,567'; French '1 234 567'), as the facts."""
        return f"{n:,}" if self.lang == SOURCE else format_decimal(n, locale=self.lang, numbering_system=NUMBERING)


def release_catalog(edition, lang: str) -> Catalog:
    """`lang`'s book.po with every text the edition's book uses looked up, so its missing ones are listed (for
    `--release`, see localize.check_release)."""
    words = Words.load(lang)
    words.table()
    for text in edition_texts(edition):
        words.text(text)
    return words.catalog
