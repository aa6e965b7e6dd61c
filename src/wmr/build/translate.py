"""`build.py translate`: extract the English texts of an edition and update its languages' catalogs.

The msgids come from the notebooks' Markdown cells (title, paragraphs, headings, list items) and, for chapters
already executed, from their runs' payloads: prose written by code, and the titles, captions and alt texts of
figures and tables as written (with their roles). The labels drawn in the charts (titles, axis labels, legend
entries, annotations, category names) go to one `charts` catalog per language, read from the English text SVGs
of the executed chapters and profiles (see chartlang). Catalogs are updated as sphinx-intl does (see
catalogs.update).
"""
from __future__ import annotations

from pathlib import Path

from wmr.core.paths import chapters_dir, project_root

from . import booktext, catalogs, chartlang, execute, notebooks
from .editions import Edition
from .localize import FACTS, FRONT, cell_msgids, fact_messages, front_messages, messages


def chapter_messages(edition: Edition, cfg) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(msgid, where) of one chapter, in reading order, and (text, where) of its tables' columns and cells (a
    language's msgids among them: see table_messages)."""
    where = str(Path(cfg.notebook).relative_to(project_root())) if Path(cfg.notebook).is_absolute() else str(cfg.notebook)
    out: list[tuple[str, str]] = []
    cells: list[tuple[str, str]] = []
    for cell in notebooks.read(Path(cfg.notebook)).cells:
        if cell.cell_type == "markdown":
            out += [(m, where) for m in messages(cell.source)]
    if execute.is_executed(edition.id, cfg):
        from .document import Figure, Prose, load_chapter

        doc = load_chapter(edition, cfg)
        for block in doc.blocks:
            if isinstance(block, Prose):
                out += [(m, f"{where} (run output)") for m in messages(block.markdown)]
            else:
                kind = "figure" if isinstance(block, Figure) else "table"
                for part in ("title", "caption", "alt"):
                    text = catalogs.normalise(block.written.get(part, ""))
                    if text:
                        out.append((text, f"{kind} {block.id} {part}"))
                if kind == "table":
                    cells += [(text, f"table {block.id}") for text in (*block.columns, *(c for r in block.rows for c in r))]
    return out, cells


def table_messages(cells: list[tuple[str, str]], lang: str) -> list[tuple[str, str]]:
    """(msgid, where) the chapter catalog of `lang` needs for these table texts: not numbers, nor names that UN
    M49 or the names catalog give (see localize.cell_msgids)."""
    return [(msgid, where) for text, where in cells for msgid in cell_msgids(text, lang)]


def profile_messages(edition: Edition) -> list[tuple[str, str]]:
    """(msgid, where) of the country and area profiles: the profile notebook's headings and every sentence,
    title, caption, alt text and table label the profile code can write (one msgid per sentence: a profile's
    paragraphs are sentences chosen by its figures, translated one by one)."""
    from wmr.kernel.analysis import profilefigures, profiles

    nb = Path(edition.profiles.notebook)
    where = str(nb.relative_to(project_root())) if nb.is_absolute() else str(nb)
    out = [(m, where) for cell in notebooks.read(nb).cells if cell.cell_type == "markdown"
           for m in messages(cell.source)]
    out += [(t, "wmr/kernel/analysis/profiles.py") for t in profiles.texts()]
    return out + [(t, "wmr/kernel/analysis/profilefigures.py") for t in profilefigures.texts()]


def names_messages() -> list[tuple[str, str]]:
    """(msgid, where) of the names text facts show, read from the pinned data through the loaders: UN M49 regions
    and sub-regions, the places the report names that have no UN M49 name in other languages, HDI groups, IDMC causes and hazard types, and the Missing Migrants causes, routes and regions
    (a name joining several with ',' is not one)."""
    from wmr.kernel.analysis import inequality, profiles, security
    from wmr.kernel.sources import countrynames, hdi, idmc, m49
    from wmr.kernel.sources import missing_migrants as mm

    regions = m49.load_m49()
    out = [(n, "M49 regions") for col in ("region", "wmr_region", "subregion", "intermediate_region")
           for n in sorted(set(regions[col]) - {""})]
    translated = set(countrynames.load_m49_translations()["iso3"])   # the other places: no M49 name to take
    iom = countrynames.load_iom_names()
    out += [(n, "IOM names without an M49 translation") for code, n in zip(iom["iso3"], iom["name"])
            if code not in translated]
    out += [(profiles.NO_REGION, "wmr/kernel/analysis/profiles.py")]
    out += [(g, "HDI groups") for g in (*hdi.GROUPS, inequality.UNCLASSIFIED)]
    out += [(c, "IDMC causes") for c in ("Conflict and violence", "Disasters")]
    out += [(h, "IDMC hazard types") for h in sorted(set(idmc.load_disaster_events()["hazard_type"]) - {""})]
    incidents = mm.load_incidents()
    out += [(c, "Missing Migrants causes") for c in sorted(set(mm.cause_categories(incidents["cause"])))]
    out += [(r, "Missing Migrants routes") for r in sorted(set(incidents["route"])) if r and "," not in r]
    out += [(security.NO_ROUTE, "wmr/kernel/analysis/security.py")]
    return out + [(r, "Missing Migrants regions") for r in sorted(set(incidents["region"])) if r and "," not in r]


def _executed_docs(edition: Edition) -> list:
    """The edition's executed chapters, then its executed profiles (loaded once per edition)."""
    from .document import load_chapter
    from .profiledoc import load_profile

    if edition.id not in _DOCS:
        docs = [load_chapter(edition, cfg) for cfg in edition.chapters if execute.is_executed(edition.id, cfg)]
        if edition.profiles is not None:
            docs += [load_profile(edition, edition.profiles, run) for run in edition.profiles.runs
                     if (chapters_dir(edition.id) / f"{run.name}.ipynb").is_file()]
        _DOCS[edition.id] = docs
    return _DOCS[edition.id]


_DOCS: dict[str, list] = {}


def chart_messages(edition: Edition, lang: str) -> list[tuple[str, str]]:
    """(msgid, where) of the labels of every executed chart of the edition (chapters, then profiles) that the
    `charts` catalog of `lang` must translate: not numbers, and not countries or areas with an M49 name."""
    from .localize import country_names

    countries = country_names(lang)
    out: list[tuple[str, str]] = []
    for doc in _executed_docs(edition):
        for fig in doc.figures:
            if "svg_text" not in fig.files:
                continue
            svg = (doc.figures_dir / fig.files["svg_text"]).read_text(encoding="utf-8")
            where = f"{edition.id}/{doc.slug}/{fig.id}"
            out += [(text, where) for text in map(chartlang.label_text, chartlang.labels(svg))
                    if chartlang.is_catalog_label(text, countries)]
    return out


# Texts the site code (not a template) puts on pages: figure and table labels, sidebar sections.
CODE_MESSAGES = ["Figure", "Table", "References", "Numbers on this page", "Numbers in this chapter", "numbers",
                 "Countries and areas", "Numbers in this profile", "%(name)s (profile)"]


def site_messages() -> list[tuple[str, str]]:
    """(msgid, where) of the site templates' `_()` strings (Jinja's Babel extractor) and of the site code."""
    from babel.messages.extract import extract_from_file
    from jinja2.ext import babel_extract

    from .site import TEMPLATES

    out: list[tuple[str, str]] = []
    for path in sorted(TEMPLATES.glob("*.j2")):
        for _line, message, _comments, _context in extract_from_file(babel_extract, str(path)):
            if isinstance(message, str):
                out.append((message, f"templates/{path.name}"))
    return out + [(m, "wmr/build/site.py") for m in CODE_MESSAGES]


def translate(editions: list[Edition], say=print) -> list[Path]:
    """Update locales/<lang>/<slug>.po of every chapter, profiles.po, site.po (the site templates), names.po (the
    names text facts show), facts.po (the numbers lists' names, units and notes), front.po (the editions' notes, acronyms and glossary) and book.po (the PDF book's words and the editions' front-matter texts) for every
    language but English.

    The catalogs are shared by the editions (a chapter's texts differ little between them), so each holds the
    texts of every edition that declares the language: a text only one edition has is not made obsolete by
    the other. Returns the files changed.
    """
    wanted: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for edition in editions:
        for cfg in edition.chapters:
            msgs, cells = chapter_messages(edition, cfg)
            for lang in edition.languages[1:]:
                wanted.setdefault((lang, cfg.slug), []).extend(msgs + table_messages(cells, lang))
        if edition.profiles is not None:
            msgs = profile_messages(edition)
            for lang in edition.languages[1:]:
                wanted.setdefault((lang, edition.profiles.slug), []).extend(msgs)
        for lang in edition.languages[1:]:
            if facts := fact_messages(_executed_docs(edition), lang):   # no executed run: facts.po stays as it is
                wanted.setdefault((lang, FACTS), []).extend(facts)
            if labels := chart_messages(edition, lang):   # no executed chart: charts.po is left as it is
                wanted.setdefault((lang, chartlang.DOMAIN), []).extend(labels)
    site = site_messages()
    langs = list(dict.fromkeys(lang for e in editions for lang in e.languages[1:]))
    names = names_messages() if langs else []
    for lang in langs:
        wanted[(lang, catalogs.SITE)] = site
        wanted[(lang, booktext.BOOK)] = booktext.messages([e for e in editions if lang in e.languages])
        wanted[(lang, catalogs.NAMES)] = names
        wanted[(lang, FRONT)] = [m for e in editions if lang in e.languages for m in front_messages(e)]
    changed = [catalogs.catalog_path(lang, name) for (lang, name), msgs in wanted.items()
               if catalogs.update(lang, name, msgs)]
    for path in changed:
        say(f"   updated {path.relative_to(project_root())}")
    if not changed:
        say("   catalogs up to date")
    return changed
