"""The languages an edition is published in: which codes are known, where each language's site lives, and the
links of the language switcher.

English is the source language: it stays where single-language editions always were (report/<edition>/html/);
another language goes to report/<edition>/<lang>/html/. Adding a language takes its catalogs and a line here.
"""
from __future__ import annotations

from wmr.core.errors import ConfigError, shown

SOURCE = "en"
# Each known locale code -> its name in its own language (the switcher's link text) and its script direction.
NAMES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية",
                         "ru": "Русский", "zh": "中文"}
RTL = frozenset({"ar"})
# Fonts a language's PDF book sets its text in before Typst's bundled Libertinus Serif, for a script that font
# lacks (vendored in wmr/build/fonts/ with their licences; see book.FONTS).
BOOK_FONTS: dict[str, tuple[str, ...]] = {"ar": ("Amiri",)}


def check_languages(raw: object, file: str) -> tuple[str, ...]:
    """The edition's `languages` (default ["en"]): known codes, each once, English first."""
    if raw is None:
        return (SOURCE,)
    example = 'languages = ["en", "fr", "es", "ar"]'
    codes = list(raw)  # the schema checked it is an array of strings
    unknown = [c for c in codes if c not in NAMES]
    if unknown:
        raise ConfigError(f"'languages' of {file} names unknown language code(s): {', '.join(shown(c) for c in unknown)}.",
                          expected="codes from: " + ", ".join(NAMES), got=", ".join(shown(c) for c in codes),
                          fix=f"correct the codes in {file} (e.g. {example})")
    if not codes or codes[0] != SOURCE:
        raise ConfigError(f"'languages' of {file} does not start with \"en\".",
                          expected=f'"en" first: the report is written in English and translated ({example})',
                          got=shown(codes), fix=f'put "en" first in the languages of {file}')
    if len(set(codes)) != len(codes):
        twice = sorted({c for c in codes if codes.count(c) > 1})
        raise ConfigError(f"'languages' of {file} lists {', '.join(twice)} more than once.",
                          expected="each language once", got=shown(codes), fix=f"remove the repeated code(s) in {file}")
    return tuple(codes)


def site_dir(lang: str) -> str:
    """The folder of a language's site inside report/<edition>/: 'html' for English, '<lang>/html' otherwise."""
    return "html" if lang == SOURCE else f"{lang}/html"


def book_fonts(lang: str) -> tuple[str, ...]:
    """The fonts `lang`'s book sets first (none: Typst's bundled fonts cover its script)."""
    return BOOK_FONTS.get(lang, ())


def pdf_name(edition_id: str, lang: str) -> str:
    """A language's book inside report/<edition>/: '<edition>.pdf' for English, '<lang>/<edition>-<lang>.pdf'."""
    return f"{edition_id}.pdf" if lang == SOURCE else f"{lang}/{edition_id}-{lang}.pdf"


def direction(lang: str) -> str:
    """'rtl' for a right-to-left script, else 'ltr'."""
    return "rtl" if lang in RTL else "ltr"


def switcher(languages: tuple[str, ...], lang: str, page: str) -> list[dict]:
    """The switcher's entries for `page` (a file of the site) seen from language `lang`'s site: every language
    of the edition with its own name and the relative link to the same page in it (None for the current one)."""
    if len(languages) < 2:
        return []   # nothing to switch to: a single-language edition has no switcher
    up = "../" if lang == SOURCE else "../../"   # from <site>/page up to report/<edition>/
    return [{"lang": code, "name": NAMES[code], "dir": direction(code),
             "href": None if code == lang else f"{up}{site_dir(code)}/{page}"} for code in languages]
