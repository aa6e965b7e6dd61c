"""The HTML edition: a page per chapter (a chapter run once per region gets a page per region), a title page,
a data-sources page and a search page, all offline.

Every page is checked before it is written (heading order, alt text, unique ids; see pagecheck), and the
search index is made from the rendered pages (see searchindex).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from wmr.kernel import pins

from . import citations, editions, frontmatter, locales
from .document import ChapterDoc, Figure, Table, chapter_pdf_name, label, source_uses
from .booktext import Words
from .editions import Edition
from .localefmt import format_fact
from .pagebody import (
    Page,
    _breakable,
    _cite_html,
    _markdown,
    _sentence,
    chapter_body,
    chapter_pages,
    page_facts,
    reference_list,
    slugify,
)
from .catalogs import Catalog
from .pagecheck import check_page
from .searchindex import index_script
from .sourceline import summary

TEMPLATES = Path(__file__).parent / "templates"


def _env(catalog: Catalog | None = None, lang: str = locales.SOURCE) -> Environment:
    """The templates' environment; `_()` in a template translates with `catalog` (site.po of a language; None:
    English). A translation is trusted like the template (it may hold the same links); a missing one shows
    the English text."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]),
                      undefined=StrictUndefined, keep_trailing_newline=True, extensions=["jinja2.ext.i18n"])

    def gettext(message: str) -> str:
        return (catalog.get(message) if catalog else None) or message

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals["gettext_plain"] = gettext
    env.globals["number"] = lambda n: format_fact(n, "count", lang, f"{n:,}")   # a byte count, as `lang` writes it
    env.globals["page_lang"] = lang   # the snippets (figure, table, source line) mark English text in other pages
    env.filters["sentence"] = _sentence
    env.filters["breakable"] = _breakable
    return env


def _sources_context(edition: Edition, docs: list[ChapterDoc], block_pages: dict[int, str],
                     fact_pages: dict[tuple[str, str], list[str]], _=lambda text: text) -> list[dict]:
    """The edition's sources grouped by publication (publisher and dataset), each pin with where it is used."""
    manifest = pins.load_manifest()
    used: dict[str, list[dict]] = {}
    for sid, uses in source_uses(docs).items():
        for use in uses:
            items = [{"href": f"{block_pages[id(b)]}#{b.anchor}", "text": label(b)} for b in use.blocks]
            if use.facts:
                for where in fact_pages.get((use.doc.slug, sid), []):
                    items.append({"href": f"{where}#numbers", "text": _("numbers") if len(items) == len(use.blocks)
                                  else _("numbers") + " (" + where.removesuffix(".html") + ")"})
            used.setdefault(sid, []).append({"href": f"{use.doc.slug}.html",
                                             "text": _("Chapter %(number)s").replace("%(number)s", str(use.doc.number)),
                                             "items": items})
    ids = list(dict.fromkeys([*edition.sources, *sorted(used)]))
    groups: dict[tuple[str, str], dict] = {}
    for sid in ids:
        short = summary(sid)
        key = (short.publisher, short.dataset)
        pin = {**vars(manifest[sid]), "summary": short, "used": used.get(sid, [])}
        if key not in groups:
            groups[key] = {"id": f"source-{slugify(sid)}", "title": manifest[sid].title, "summary": short, "pins": []}
        groups[key]["pins"].append(pin)
    for g in groups.values():   # a publication pinned in several forms is titled by its short name
        if len(g["pins"]) > 1:
            g["title"] = g["summary"].dataset
    return list(groups.values())


def _write(target: Path, name: str, page: str, source: str = "") -> None:
    check_page(name, page, source)
    (target / name).write_text(page, encoding="utf-8")


def _front_pages(edition: Edition, env: Environment, target: Path, common: dict, cites: citations.Formatted,
                 release_date: dt.date) -> list[dict]:
    """The imprint page (citation, disclaimer, notes), the acronyms and glossary page and the citation downloads."""
    fm = edition.front
    md = _markdown()
    notes = [{"id": f"note-{slugify(n.title)}", "title": n.title, "html": Markup(md.render(n.markdown))}
             for n in fm.notes]
    imprint = env.get_template("imprint.html.j2").render(
        current_file="imprint.html", sections=[], page="imprint", published=Words(common["page_lang"]).date(release_date),
        citation=Markup(frontmatter.suggested_citation(edition, release_date, "html")), notes=notes,
        disclaimer=[" ".join(p.split()) for p in fm.disclaimer.split("\n\n") if p.strip()], **common)
    _write(target, "imprint.html", imprint)
    (target / "citation.bib").write_text(frontmatter.bibtex(edition, release_date), encoding="utf-8")
    (target / "citation.ris").write_text(frontmatter.ris(edition, release_date), encoding="utf-8")
    terms = [{"id": slugify(t.english or t.term), "term": t.term, "definition": t.definition,
              "cite": Markup(_cite_html(t.cite, cites)) if t.cite else ""} for t in fm.glossary]
    references = reference_list((k for t in fm.glossary for k in t.cite), cites)
    glossary = env.get_template("glossary.html.j2").render(current_file="glossary.html", sections=[], page="glossary",
                                                           terms=terms, references=references, **common)
    _write(target, "glossary.html", glossary)
    _ = env.globals["gettext_plain"]
    return [{"url": "imprint.html", "title": _("About this edition"), "html": imprint, "first_anchor": "top"},
            {"url": "glossary.html", "title": _("Acronyms and glossary"), "html": glossary, "first_anchor": "top"}]


def _figure_text(doc: ChapterDoc, block: Figure) -> str:
    """The words in a figure's data (country, region and corridor names), so search finds what charts show."""
    path = doc.figures_dir / block.files.get("csv", "")
    if not block.files.get("csv") or not path.is_file():
        return ""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    words: dict[str, None] = {}
    for row in rows[1:]:
        for cell in row:
            cell = cell.strip()
            if cell and re.search(r"[^\W\d_]", cell) and not re.fullmatch(r"[A-Z0-9]{2,3}|True|False|nan", cell):
                words[cell] = None
    return " · ".join(words)


def _toc(docs: list[ChapterDoc], pages_by_doc: dict[str, list[Page]]) -> list[dict]:
    """The contents: each chapter with its figure and table counts and, for a chapter with runs, its run pages."""
    return [{"href": pages_by_doc[d.slug][0].file, "number": d.number, "title": d.title, "slug": d.slug,
             "figures": len(d.figures), "tables": len(d.tables),
             "children": [{"href": p.file, "title": p.title} for p in pages_by_doc[d.slug][1:]]} for d in docs]


def build_site(edition: Edition, docs: list[ChapterDoc], target: Path, facts: dict, pdf_name: str | None,
               incomplete: list[str] | None = None, pdf_stale: bool = False,
               release_date: dt.date | None = None, profiles: list | None = None,
               chapter_pdfs: dict[str, bool] | None = None, lang: str = locales.SOURCE,
               catalog: Catalog | None = None) -> None:
    """Write the whole site into `target` (a fresh staging folder); `incomplete` names chapters left out;
    `pdf_stale`: an HTML-only build kept a PDF made from older inputs; `profiles` (ProfileDoc) make the
    "Countries and areas" part (see profilesite); `chapter_pdfs`: slug -> stale for the chapters whose own PDF
    is published (default: every chapter's, current, when there is a book); `lang`: the language of this site
    (its pages link to the same page in the edition's other languages) and `catalog` its site.po."""
    env = _env(catalog, lang)
    _ = env.globals["gettext_plain"]
    if chapter_pdfs is None:
        chapter_pdfs = {d.slug: False for d in docs} if pdf_name else {}
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES / "assets", target / "assets")
    pages_by_doc = {d.slug: chapter_pages(d) for d in docs}
    pages = [p for d in docs for p in pages_by_doc[d.slug]]
    block_pages = {id(b): p.file for p in pages for b in p.blocks if isinstance(b, (Figure, Table))}
    toc = _toc(docs, pages_by_doc)
    common = {"edition": edition, "toc": toc, "pdf_name": pdf_name, "incomplete": incomplete or [],
              "pdf_stale": pdf_stale, "profiles_index": "profiles.html" if profiles else None,
              "page_lang": edition.language if lang == locales.SOURCE else lang, "page_dir": locales.direction(lang),
              "lang_links": lambda page: locales.switcher(edition.languages, lang, page)}
    searchable: list[dict] = []
    glossary_clusters = [t.cite for t in edition.front.glossary if t.cite]
    cites = citations.format_citations([c for d in docs for c in d.cite_clusters()] + glossary_clusters, "html", lang)
    first = {"href": pages[0].file, "label": pages[0].label} if pages else None
    index = env.get_template("index.html.j2").render(current_file="index.html", sections=[], page="index", prev=None,
                                                     next=first, **common)
    _write(target, "index.html", index)
    fact_pages: dict[tuple[str, str], list[str]] = {}
    opening_names: set[str] = set()   # numbers the opening page of a chapter with runs lists (world totals)
    for i, pg in enumerate(pages):
        doc = pg.doc
        body, sections, render = chapter_body(pg, env, block_pages, cites)
        cited = render.cited
        references = reference_list(render.cite_keys, cites)
        if references:
            sections.append({"id": "references", "text": _("References")})
        if pg.children:
            opening_names = {name for _, name in cited}
        facts_list = page_facts(pg, cited, opening_names if pg.run else set())
        for f in facts_list:
            for sid in f["source_ids"]:
                where = fact_pages.setdefault((doc.slug, sid), [])
                if pg.file not in where:
                    where.append(pg.file)
        if facts_list:
            sections.append({"id": "numbers", "text": _("Numbers on this page") if pg.run or pg.children
                             else _("Numbers in this chapter")})
        prev = pages[i - 1] if i else None
        nxt = pages[i + 1] if i + 1 < len(pages) else None
        page = env.get_template("chapter.html.j2").render(
            current_file=pg.file, current=doc, run_page=pg, sections=sections, body=Markup(body), facts=facts_list,
            page="chapter", references=references,
            chapter_pdf=f"../chapters/{chapter_pdf_name(edition, doc)}" if doc.slug in chapter_pdfs else None,
            chapter_pdf_stale=chapter_pdfs.get(doc.slug, False),
            prev={"href": prev.file, "label": prev.label} if prev else None,
            next={"href": nxt.file, "label": nxt.label} if nxt else None, **common)
        _write(target, pg.file, page, source=f"the chapter '{doc.slug}'" + (f" (run {pg.run})" if pg.run else ""))
        extra = [{"anchor": b.anchor, "title": f"{label(b)} {b.title}", "text": _figure_text(doc, b)}
                 for b in pg.blocks if isinstance(b, Figure)]
        searchable.append({"url": pg.file, "title": pg.label if pg.run is None else f"{doc.number} {doc.title} › {pg.title}",
                           "html": page, "first_anchor": "top", "extra": [e for e in extra if e["text"]]})
    for doc in docs:
        dest = target / "figures" / doc.slug
        dest.mkdir(parents=True, exist_ok=True)
        for block in doc.blocks:
            if isinstance(block, (Figure, Table)):
                for name in block.files.values():
                    if doc.figures_dir != dest:   # a translated site's figures are written there already
                        shutil.copy2(doc.figures_dir / name, dest / name)
    if profiles:
        from .profilesite import build_profile_pages

        searchable += build_profile_pages(env, target, profiles, common)
    searchable += _front_pages(edition, env, target, common, cites, release_date or edition.release_date
                               or editions.release_date(edition.id))
    sources = env.get_template("sources.html.j2").render(current_file="sources.html", sections=[], page="sources",
                                                         groups=_sources_context(edition, docs, block_pages, fact_pages, _),
                                                         **common)
    _write(target, "sources.html", sources)
    searchable.append({"url": "sources.html", "title": _("Data sources"), "kind": "sources", "html": sources,
                       "first_anchor": "top"})
    (target / "assets" / "search-index.js").write_text(index_script(searchable), encoding="utf-8")
    _write(target, "search.html", env.get_template("search.html.j2").render(current_file="search.html", sections=[],
                                                                            page="search", **common))
    (target / "facts.json").write_text(json.dumps(facts, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                       encoding="utf-8")
