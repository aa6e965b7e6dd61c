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

from . import catalogs, chartlang, execute, notebooks
from .editions import Edition
from .localize import messages


def chapter_messages(edition: Edition, cfg) -> list[tuple[str, str]]:
    """(msgid, where) of one chapter, in reading order."""
    where = str(Path(cfg.notebook).relative_to(project_root())) if Path(cfg.notebook).is_absolute() else str(cfg.notebook)
    out: list[tuple[str, str]] = []
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
    return out


def chart_messages(edition: Edition, lang: str) -> list[tuple[str, str]]:
    """(msgid, where) of the labels of every executed chart of the edition (chapters, then profiles) that the
    `charts` catalog of `lang` must translate: not numbers, and not countries or areas with an M49 name."""
    from .document import load_chapter
    from .localize import country_names
    from .profiledoc import load_profile

    countries = country_names(lang)
    docs = [load_chapter(edition, cfg) for cfg in edition.chapters if execute.is_executed(edition.id, cfg)]
    if edition.profiles is not None:
        docs += [load_profile(edition, edition.profiles, run) for run in edition.profiles.runs
                 if (chapters_dir(edition.id) / f"{run.name}.ipynb").is_file()]
    out: list[tuple[str, str]] = []
    for doc in docs:
        for fig in doc.figures:
            if "svg_text" not in fig.files:
                continue
            svg = (doc.figures_dir / fig.files["svg_text"]).read_text(encoding="utf-8")
            where = f"{edition.id}/{doc.slug}/{fig.id}"
            out += [(text, where) for text in map(chartlang.label_text, chartlang.labels(svg))
                    if chartlang.is_catalog_label(text, countries)]
    return out


# Texts the site code (not a template) puts on pages: figure and table labels, sidebar sections.
CODE_MESSAGES = ["Figure", "Table", "References", "Numbers on this page", "Numbers in this chapter"]


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
    """Update locales/<lang>/<slug>.po of every chapter and locales/<lang>/site.po for every language but English.

    The catalogs are shared by the editions (a chapter's texts differ little between them), so each holds the
    texts of every edition that declares the language: a text only one edition has is not made obsolete by
    the other. Returns the files changed.
    """
    wanted: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for edition in editions:
        for cfg in edition.chapters:
            msgs = chapter_messages(edition, cfg)
            for lang in edition.languages[1:]:
                wanted.setdefault((lang, cfg.slug), []).extend(msgs)
        for lang in edition.languages[1:]:
            if labels := chart_messages(edition, lang):   # no executed chart: charts.po is left as it is
                wanted.setdefault((lang, chartlang.DOMAIN), []).extend(labels)
    site = site_messages()
    for lang in dict.fromkeys(lang for e in editions for lang in e.languages[1:]):
        wanted[(lang, catalogs.SITE)] = site
    changed = [catalogs.catalog_path(lang, name) for (lang, name), msgs in wanted.items()
               if catalogs.update(lang, name, msgs)]
    for path in changed:
        say(f"   updated {path.relative_to(project_root())}")
    if not changed:
        say("   catalogs up to date")
    return changed
