"""A language's copy of the assembled edition: the same chapters, facts and figures, with the texts translated
(catalogs), the numbers displayed per the locale (CLDR, see localefmt) and country names per UN M49.

Nothing is computed again: the executed runs are read once and only their rendering changes per language.
A text without a translation (missing, or fuzzy: its English changed) shows in English, marked untranslated.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from functools import lru_cache

from wmr.core.errors import AssemblyError
from wmr.core.protocol import ROLE_RE

from .catalogs import NAMES, Catalog, normalise, release_problems
from .chartlang import Labels, localize_figures
from .collation import sort_key
from .document import ChapterDoc, Figure, Prose, Table
from .editions import Edition
from .localefmt import format_date_text, format_fact, format_names, join_names, number_text, scaled_text
from .locales import SOURCE
from .pagebody import fact_name

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
MARKS = {"fr": "non traduit", "es": "sin traducir", "ar": "غير مترجم", "ru": "не переведено", "zh": "未翻译"}


@lru_cache(maxsize=8)
def country_names(lang: str) -> dict[str, str]:
    """English country or area name (IOM house style or M49) -> its UN M49 name in `lang`."""
    from wmr.kernel.sources import countrynames as cn

    local = cn.load_m49_translations()
    local = dict(zip(local.loc[local["lang"] == lang, "iso3"], local.loc[local["lang"] == lang, "name"]))
    out: dict[str, str] = {}
    for table in (cn.load_m49_names(), cn.load_iom_names()):
        for iso3, name in zip(table["iso3"], table["name"]):
            if iso3 in local:
                out[name] = local[iso3]
    return out


@lru_cache(maxsize=8)
def names_catalog(lang: str) -> Catalog:
    """locales/<lang>/names.po: region, sub-region, HDI group, hazard, cause and route names (official UN terms),
    loaded once per language and process; it records the names it could not translate."""
    return Catalog.load(lang, NAMES)


def place_name(english: str, lang: str) -> str | None:
    """A region, group or other name of the names catalog in `lang`; a name written in lower case mid-sentence
    ('very high', 'flood') finds its capitalised msgid and keeps the lower case. None when not a catalog name."""
    if lang == SOURCE:
        return english
    catalog = names_catalog(lang)
    for msgid in (english, english[:1].upper() + english[1:]):
        if msgid in catalog.msgids:
            done = catalog.get(msgid)
            if done is not None and msgid != english:
                done = done[:1].lower() + done[1:]
            return done
    return None


def text_display(english: str, unit: str, lang: str) -> str | None:
    """How `lang` shows a text fact displayed `english`: a country or area by its UN M49 name, a region or group
    from the names catalog, a date per CLDR, a list of such names in the language's list pattern; None: as is."""
    countries = country_names(lang)

    def one(text: str) -> str | None:   # a name, or a name with its number in brackets: 'Germany (16.8 million)'
        if name := countries.get(text.removeprefix("the ")) or place_name(text, lang):
            return name
        m = NAMED.match(text)
        return f"{name} ({value})" if m and (name := one(m.group(1))) and (value := _value(m.group(2), lang)) \
            else None

    if (shown := one(english)) or unit == "date":
        return shown or format_date_text(english, lang)
    parts = [p for p in re.split(r",\s+|\s+and\s+", english) if p]
    if len(parts) > 1:
        local = [one(p) for p in parts]
        if all(local):
            return format_names(local, lang)
    return None


def _fact(fact, lang: str, words: "Translator | None" = None):
    """The fact as `lang` shows it: numbers per CLDR, names per M49 or the names catalog, dates per CLDR; with
    `words` (facts.po) its unit and note too; values unchanged."""
    if words is not None:
        fact = replace(fact, unit=words.text(fact.unit) or fact.unit if fact.unit else fact.unit,
                       note=cell_text(fact.note, lang, words) if fact.note else fact.note)
    if fact.fmt == "text" or (fact.fmt is None and isinstance(fact.value, str)):
        shown = text_display(str(fact.display), fact.unit, lang)
        return replace(fact, display=shown) if shown else fact
    return replace(fact, display=format_fact(fact.value, fact.fmt, lang, fact.display))


FACTS = "facts"   # locales/<lang>/facts.po: the names, units and notes the numbers lists show


@lru_cache(maxsize=8)
def facts_catalog(lang: str) -> Catalog:
    """facts.po of `lang`, loaded once per process (shared by every chapter and profile)."""
    return Catalog.load(lang, FACTS)


def fact_messages(docs: list, lang: str) -> list[tuple[str, str]]:
    """(msgid, where) of facts.po: every fact's name for readers, unit and note (its words; see cell_msgids)."""
    out = []
    for doc in docs:
        for ledger in doc.ledgers.values():
            for name, fact in ledger.facts.items():
                where = f"facts of {doc.slug}"
                out += [(fact_name(name), where)] + ([(normalise(fact.unit), where)] if fact.unit else [])
                out += [(m, where) for m in cell_msgids(fact.note, lang)] if fact.note else []
    return out


def _param(value: object, lang: str) -> object:
    """A parameter as {param} shows it in `lang`: a region or other name in the language (names catalog or UN
    M49); other values (years, source ids) as they are."""
    return (text_display(value, "", lang) or value) if isinstance(value, str) else value


def split_units(markdown: str) -> list[tuple[str, str, str]]:
    """The translatable units of a Markdown text: (prefix, text, kind) per paragraph, heading or list item,
    in order; blank-line separators and code are kept as untranslatable units (kind '')."""
    units: list[tuple[str, str, str]] = []
    for block in re.split(r"(\n\s*\n)", markdown):
        if not block.strip() or block.lstrip().startswith(("```", "<")):
            units.append(("", block, ""))
            continue
        lines = block.strip("\n").split("\n")
        if all(LIST_ITEM.match(line) or line.startswith("  ") for line in lines) and LIST_ITEM.match(lines[0]):
            items: list[list[str]] = []
            for line in lines:
                m = LIST_ITEM.match(line)
                items.append([m.group(1), m.group(2)]) if m else items[-1].__setitem__(1, items[-1][1] + " " + line)
            for i, (prefix, text) in enumerate(items):
                units.append((prefix, text, "item"))
                if i < len(items) - 1:
                    units.append(("", "\n", ""))
        elif (m := HEADING.match(lines[0])) and len(lines) == 1:
            units.append((m.group(1) + " ", m.group(2), "heading"))
        else:
            units.append(("", block, "paragraph"))
    return units


def messages(markdown: str) -> list[str]:
    """The msgids of a Markdown text (normalised)."""
    return [normalise(text) for _, text, kind in split_units(markdown) if kind]


SENTENCE_END = re.compile(r"(?<=\.)\s+|(?<=\.\*\*)\s+")   # after 'lived abroad.' or a bold lead-in '**Coverage.**'


class Translator:
    """Translates one chapter's texts with its catalog, marking in the page what has no translation.
    `sentences`: a paragraph the catalog lacks is translated sentence by sentence (profiles: their paragraphs
    are sentences chosen by the figures, and the catalog holds the sentences)."""

    def __init__(self, catalog: Catalog, lang: str, sentences: bool = False):
        self.catalog, self.lang, self.sentences = catalog, lang, sentences

    def text(self, english: str) -> str | None:
        if not normalise(english):
            return english
        if not self.sentences or normalise(english) in self.catalog.entries:
            return self.catalog.get(english)
        done = [self.catalog.get(part) for part in SENTENCE_END.split(normalise(english))]
        return None if None in done else " ".join(done)

    def markdown(self, markdown: str) -> str:
        out = []
        for prefix, text, kind in split_units(markdown):
            if not kind:
                out.append(text)
                continue
            done = self.text(text)
            if done is not None:
                out.append(prefix + done)
            elif kind == "paragraph":
                out.append(f'<div class="untranslated" lang="en" dir="ltr"><span class="untranslated-mark" lang="{self.lang}">'
                           f'{MARKS.get(self.lang, "untranslated")}</span>\n\n{text.strip()}\n\n</div>')
            else:
                out.append(f'{prefix}<span lang="en" dir="ltr" class="untranslated">{normalise(text)}</span>')
        return "".join(out)

    def plain(self, english: str, written: str, doc: ChapterDoc, run: str | None) -> str:
        """A title, caption or alt text: the translation of its written form, its {fact} roles shown in the
        language; the English text as rendered when it has no translation."""
        if not written:
            return english
        done = self.text(written)
        if done is None:
            return english
        return ROLE_RE.sub(lambda m: str(doc.ledgers[run].get(m.group("arg").strip()).display)
                           if m.group("role") == "fact" else m.group(0), done)


def _chapter(doc: ChapterDoc, lang: str, site: Catalog, catalog: Catalog | None = None,
             sentences: bool = False, title: str | None = None) -> tuple[ChapterDoc, Catalog]:
    """A chapter (or, with `catalog`, `sentences` and its `title` given, a profile) in `lang`."""
    catalog = catalog or Catalog.load(lang, doc.slug)
    tr = Translator(catalog, lang, sentences)
    words = Translator(facts_catalog(lang), lang)
    ledgers = {run: type(ledger)(ledger.chapter, {n: _fact(f, lang, words) for n, f in ledger.facts.items()})
               for run, ledger in doc.ledgers.items()}
    labels = {n: words.text(fact_name(n)) or fact_name(n) for ledger in doc.ledgers.values() for n in ledger.facts}
    params = {run: {name: _param(value, lang) for name, value in values.items()} for run, values in doc.params.items()}
    new = replace(doc, title=title or tr.text(doc.title) or doc.title, blocks=[], ledgers=ledgers, refs={},
                  params=params, fact_labels=labels)
    moved = {}
    for block in doc.blocks:
        if isinstance(block, Prose):
            new.blocks.append(replace(block, markdown=tr.markdown(block.markdown)))
            continue
        w = block.written
        changes = {"title": tr.plain(block.title, w.get("title", ""), new, block.run),
                   "caption": tr.plain(block.caption, w.get("caption", ""), new, block.run)}
        if isinstance(block, Figure):
            changes["alt"] = tr.plain(block.alt, w.get("alt", ""), new, block.run)
        word = "Figure" if isinstance(block, Figure) else "Table"
        changes["label_word"] = site.get(word) or word
        moved[id(block)] = replace(block, **changes)
        if isinstance(block, Table) and not sentences:   # a profile's key figures: see _profile
            moved[id(block)] = _cells(moved[id(block)], {}, tr, lang)
        new.blocks.append(moved[id(block)])
    new.refs = {key: moved.get(id(b), b) for key, b in doc.refs.items()}
    return new, catalog


OTHERS = re.compile(r"^(.+?),? and (\d+) others?$")                   # 'Albania, Andorra and 34 others'
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")   # '2022', '1,000', '29.4'; not the comma after a year
NAMED = re.compile(r"^(.+) \(([^()]+)\)$")                              # 'Germany (16.8 million)'
ISO3 = re.compile(r"^[A-Z]{3}$")                                          # a country code, as it is
SEMICOLON = {"ar": "؛ "}   # between a cell's parts, where the language does not write '; '

TEMPLATED = 60   # a cell up to this long with numbers among its words is looked up with the numbers as placeholders


def cell_template(text: str) -> tuple[str, list[str]]:
    """A table text with its numbers replaced by placeholders ('Female share %(n1)s (%)') and the numbers, so
    one msgid serves every year and count ('Arrivals 2019', 'Arrivals 2022'); longer texts are looked up whole."""
    found = NUMBER.findall(text)
    if not found or len(text) > TEMPLATED or "http" in text:
        return text, []
    counter = iter(range(1, len(found) + 1))
    return NUMBER.sub(lambda m: f"%(n{next(counter)})s", text), found


def cell_msgids(text: str, lang: str) -> list[str]:
    """The msgids a chapter's table cell or column needs from the chapter catalog: none when the cell is a
    number, a country or area (UN M49), a catalog name, such a name with its number in brackets, a list of those
    or a count of millions; a cell of parts separated by ';' needs those of each part."""
    key = normalise(text)
    if "; " in key:
        return [m for part in key.split("; ") for m in cell_msgids(part, lang)]
    if not re.search(r"[^\W\d_]", key) or ISO3.match(key) or scaled_text(key, lang) or text_display(key, "", lang):
        return []
    if (m := OTHERS.match(key)) and _name_list(m.group(1), lang):
        return ["%(names)s and %(n1)s others"]
    return [] if _name_list(key, lang) else [cell_template(key)[0]]


def _value(text: str, lang: str) -> str | None:
    """A number or a count of millions in `lang`; None when `text` is neither."""
    if scaled := scaled_text(text, lang):
        return scaled
    return number_text(text, lang) if not re.search(r"[^\W\d_]", text) else None


def _name_list(text: str, lang: str) -> list[str] | None:
    """The names of a comma-separated list of countries, areas or catalog names in `lang` (a name may hold a
    comma itself: 'Bonaire, Sint Eustatius and Saba'); None unless every item is such a name."""
    countries, parts, out, i = country_names(lang), text.split(", "), [], 0
    while i < len(parts):
        for j in range(len(parts), i, -1):   # the longest name first
            name = ", ".join(parts[i:j])
            if local := countries.get(name.removeprefix("the ")) or place_name(name, lang):
                out.append(local)
                i = j
                break
        else:
            return None
    return out


def cell_text(text: str, lang: str, tr: Translator) -> str:
    """A table cell or column of a chapter in `lang`: numbers per CLDR, names per UN M49 or the names catalog,
    the other words from the chapter catalog (numbers kept in place); untranslated, the English text."""
    key = normalise(text)
    if not key:
        return text
    if "; " in key:
        return SEMICOLON.get(lang, "; ").join(cell_text(part, lang, tr) for part in key.split("; "))
    if ISO3.match(key):
        return key
    if value := _value(key, lang):
        return value
    if shown := text_display(key, "", lang):
        return shown
    if local := _name_list(key, lang):
        return join_names(local, lang)
    if (m := OTHERS.match(key)) and (local := _name_list(m.group(1), lang)):
        done = tr.text("%(names)s and %(n1)s others")
        if done is None:
            return text
        return done.replace("%(names)s", join_names(local, lang)).replace("%(n1)s", number_text(m.group(2), lang))
    template, found = cell_template(key)
    done = tr.text(template)
    if done is None:
        return text
    for i, number in enumerate(found, 1):
        done = done.replace(f"%(n{i})s", number_text(number, lang))
    return done


def _cells(table: Table, shown: dict[str, str], tr: Translator, lang: str) -> Table:
    """A table in `lang` (`shown`: a profile's English fact displays -> their displays in `lang`; a profile's
    labels are whole msgids of the profiles catalog)."""
    def cell(text: str) -> str:
        if text in shown:
            return shown[text]
        if tr.sentences:
            if re.search(r"[^\W\d_]", text):
                return tr.text(text) or text
            return number_text(text, lang) if text.strip() else text
        return cell_text(text, lang, tr)
    return replace(table, columns=[cell(c) for c in table.columns],
                   rows=[[cell(c) for c in row] for row in table.rows])


def _profile(doc, lang: str, site: Catalog, catalog: Catalog):
    """A profile in `lang`: its texts sentence by sentence from the profiles catalog, its facts, name, region
    and key figures table in the language."""
    name = _fact(doc.ledgers[doc.iso3].facts["name"], lang).display   # its title: the name in the language
    new, _ = _chapter(doc, lang, site, catalog, sentences=True, title=str(name))
    facts = new.ledgers[doc.iso3].facts
    before = doc.ledgers[doc.iso3].facts
    shown = {str(before[n].display): str(f.display) for n, f in facts.items()}
    tr = Translator(catalog, lang)
    moved = {id(b): _cells(b, shown, tr, lang) for b in new.blocks if isinstance(b, Table)}
    new.blocks = [moved.get(id(b), b) for b in new.blocks]
    new.refs = {key: moved.get(id(b), b) for key, b in new.refs.items()}
    region = place_name(doc.region, lang) or doc.region
    subregion = (place_name(doc.subregion, lang) or doc.subregion) if doc.subregion else ""
    return replace(new, region_name=region, subregion_name=subregion)


def localize(edition: Edition, lang: str, docs: list, profiles: list, site: Catalog, figures: Path | None = None
             ) -> tuple[list, list, list[Catalog]]:
    """The chapters and profiles of language `lang` (their facts: same ids and values as English; profiles sorted
    by their name in the language), and the catalogs (with what they missed); `site`: the language's site.po;
    `figures`: the language site's figure folder, where the charts' translated copies are written (see chartlang)."""
    pairs = [_chapter(d, lang, site) for d in docs]
    docs, catalogs = [d for d, _ in pairs], [c for _, c in pairs]
    if profiles:
        catalog = Catalog.load(lang, profiles[0].slug)
        profiles = sorted((_profile(d, lang, site, catalog) for d in profiles),
                          key=lambda d: (sort_key(d.title), d.iso3))
        catalogs.append(catalog)
    if figures is not None:
        labels = Labels(lang, country_names(lang))
        docs = [localize_figures(d, labels, figures / d.slug) for d in docs]
        profiles = [localize_figures(p, labels, figures / "profiles") for p in profiles]
        catalogs.append(labels.catalog)
    return docs, profiles, catalogs + [names_catalog(lang), facts_catalog(lang)]


FRONT = "front"   # locales/<lang>/front.po: the editions' notes, acronyms and glossary


def edition_in(edition: Edition, lang: str, front: Catalog) -> Edition:
    """The edition as `lang` publishes it: its title, subtitle and front-matter texts from book.po (as the book
    prints them), its notes, acronyms and glossary from `front` (front.po); an untranslated text stays English
    (a note's paragraph marked as such)."""
    from .booktext import Words

    words, fm = Words.load(lang), edition.front
    tr = Translator(front, lang)
    notes = tuple(replace(n, title=tr.text(n.title) or n.title, markdown=tr.markdown(n.markdown)) for n in fm.notes)
    glossary = tuple(replace(t, term=tr.text(t.term) or t.term, definition=tr.text(t.definition) or t.definition)
                     for t in fm.glossary)
    front_matter = replace(
        fm, notice=words.text(fm.notice), copyright=words.text(fm.copyright), licence=words.text(fm.licence),
        disclaimer="\n\n".join(words.text(" ".join(p.split())) for p in fm.disclaimer.split("\n\n") if p.strip()),
        notes=notes, acronyms=tuple((short, tr.text(long) or long) for short, long in fm.acronyms), glossary=glossary)
    return replace(edition, title=words.text(edition.title),
                   subtitle=words.text(edition.subtitle) if edition.subtitle else edition.subtitle, front=front_matter)


def front_messages(edition: Edition) -> list[tuple[str, str]]:
    """(msgid, where) of the edition's notes (titles and paragraphs), acronyms' long forms and glossary."""
    fm = edition.front
    out = [(m, f"notes of {edition.id}") for n in fm.notes for m in [normalise(n.title), *messages(n.markdown)]]
    out += [(normalise(long), "data/glossary.toml (acronyms)") for _, long in fm.acronyms]
    return out + [(normalise(x), "data/glossary.toml (glossary)") for t in fm.glossary for x in (t.term, t.definition)]


def check_release(edition: Edition, lang: str, catalogs: list[Catalog]) -> None:
    """Refuse to release an edition with a missing or outdated translation, listing them per catalog."""
    if problems := release_problems(catalogs):
        raise AssemblyError(f"Edition '{edition.id}' has missing or outdated translations in '{lang}'; a release "
                            "publishes none.", expected="every msgid of the catalogs translated, none fuzzy",
                            got="\n  " + "\n  ".join(problems),
                            fix="translate them (python3 build.py translate adds new texts to the catalogs), "
                                "or build without --release for a draft")
