"""The HTML edition: one page per chapter, a title page, a data-sources page and a search page, all offline.

Every page is checked before it is written (heading order, alt text, unique ids; see pagecheck), and the
search index is made from the rendered pages (see searchindex).
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import struct
import unicodedata
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import citations, editions, frontmatter, pins
from .document import ChapterDoc, Figure, Prose, Table, chapter_pdf_name, label, resolve_roles, source_uses
from .editions import Edition
from .markup import markdown_literal
from .pagecheck import check_page
from .provenance import shown_refs, summary
from .searchindex import index_script

TEMPLATES = Path(__file__).parent / "templates"
HEADING_RE = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.S)
# ids the page templates use themselves; headings never take them
RESERVED_IDS = {"main", "top", "sidebar", "q", "numbers", "fact-pop", "search-q", "search-status", "search-results",
                "references", "notice"}


def _sentence(text: str) -> str:
    text = str(text).strip()
    return text if text.endswith((".", "…", "!", "?")) else text + "."


def _breakable(text: str) -> Markup:
    """Escaped `text` with line-break opportunities after dots and underscores (long fact ids)."""
    return Markup("<wbr>").join(Markup.escape(part) for part in re.split(r"(?<=[._])", str(text)))


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["sentence"] = _sentence
    env.filters["breakable"] = _breakable
    return env


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")


def slugify(text: str) -> str:
    """'Where migrants live & where they come from' -> 'where-migrants-live-where-they-come-from'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class Anchors:
    """Ids of one page: headings get ids from their text, run-prefixed and de-duplicated."""

    def __init__(self, taken: set[str]):
        self.taken = set(taken)

    def claim(self, text: str, run: str | None = None) -> str:
        """An id for a heading of a run of the chapter (None for chapters with a single run)."""
        base = slugify(text) or "section"
        prefix = slugify(run or "")
        # a run's headings are prefixed by its key ('africa-key-figures'), except a heading that already
        # names the run ('Latin America and the Caribbean' in run latin_america_caribbean)
        if prefix and not set(prefix.split("-")) <= set(base.split("-")):
            base = f"{prefix}-{base}"
        ident, n = base, 2
        while ident in self.taken:
            ident, n = f"{base}-{n}", n + 1
        self.taken.add(ident)
        return ident


def fact_id(doc: ChapterDoc, run: str | None, name: str) -> str:
    return f"{doc.slug}.{run + '.' if run else ''}{name}"


def _render_role(kind: str, payload, cites: citations.Formatted | None = None) -> str:
    if kind == "cite":  # author-year text from citeproc (pandoc's HTML), linked to the chapter's reference list
        text = cites.clusters[payload] if cites else html.escape("; ".join(payload))
        return f'<a class="cite" href="#ref-{html.escape(payload[0].removeprefix("-"))}">{text}</a>'
    if kind == "fact":
        fact, doc, run = payload
        fid = html.escape(fact_id(doc, run, fact.name))
        return f'<a class="fact" href="#fact-{fid}" data-fact="{fid}">{markdown_literal(fact.display)}</a>'
    if kind == "numref":
        return f'<a class="xref" href="#{html.escape(payload.anchor)}">{label(payload)}</a>'
    return markdown_literal(payload)  # a value is text: never Markdown, HTML or a link


def _inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _permalinks(body: str) -> str:
    """Give every heading a visible '#' link to itself (hidden from assistive technology: the sidebar has them)."""
    return HEADING_RE.sub(lambda m: (f'<h{m.group(1)} id="{m.group(2)}">{m.group(3)} <a class="heading-anchor" '
                                     f'href="#{m.group(2)}" aria-hidden="true" tabindex="-1">#</a></h{m.group(1)}>'),
                          body)


def _png_size(path: Path) -> tuple[int, int] | None:
    with open(path, "rb") as fh:
        head = fh.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def reference_list(doc: ChapterDoc, cites: citations.Formatted) -> list[dict]:
    """The chapter's reference list: the publications it cites, in the style's order (author, then year)."""
    cited = set(doc.cited_keys())
    return [{"key": k, "html": Markup(entry)} for k, entry in cites.entries.items() if k in cited]


def chapter_body(doc: ChapterDoc, env: Environment,
                 cites: citations.Formatted | None = None) -> tuple[str, list[dict]]:
    """HTML of a chapter's blocks and the list of its h2 sections (for the sidebar)."""
    md = _markdown()
    anchors = Anchors(RESERVED_IDS | {b.anchor for b in doc.blocks if isinstance(b, (Figure, Table))})
    parts: list[str] = []
    sections: list[dict] = []
    base = f"figures/{doc.slug}"
    fig_t, tab_t = env.get_template("figure.html.j2"), env.get_template("table.html.j2")
    for block in doc.blocks:
        if isinstance(block, Prose):
            render = partial(_render_role, cites=cites)
            tokens = md.parse(resolve_roles(block.markdown, doc, block.run, render), {})
            for i, tok in enumerate(tokens):
                if tok.type == "heading_open":
                    title = _inline_text(tokens[i + 1])
                    tok.attrSet("id", anchors.claim(title, block.run))
                    if tok.tag == "h2":
                        sections.append({"id": tok.attrGet("id"), "text": title})
            parts.append(_permalinks(md.renderer.render(tokens, md.options, {})))
        elif isinstance(block, Figure):
            size = _png_size(doc.figures_dir / block.files["png"])
            parts.append(fig_t.render(fig=block, label=label(block), base=base, size=size,
                                      sources=[summary(s) for s in shown_refs(block)]))
        elif isinstance(block, Table):
            parts.append(tab_t.render(tab=block, label=label(block), base=base,
                                      sources=[summary(s) for s in shown_refs(block)]))
    return "\n".join(parts), sections


def chapter_facts(doc: ChapterDoc) -> list[dict]:
    """Every fact of the chapter in recorded order, for the 'Numbers in this chapter' list."""
    out = []
    for run, ledger in doc.ledgers.items():
        for name, fact in ledger.facts.items():
            out.append({"id": fact_id(doc, run, name), "display": fact.display, "unit": fact.unit,
                        "year": "" if fact.year is None else fact.year, "note": fact.note,
                        "sources": [summary(s) for s in shown_refs(fact)]})
    return out


def _sources_context(edition: Edition, docs: list[ChapterDoc]) -> list[dict]:
    """Every source of the edition with, per chapter that uses it, the figures, tables and numbers citing it."""
    manifest = pins.load_manifest()
    used: dict[str, list[dict]] = {}
    for sid, uses in source_uses(docs).items():
        for use in uses:
            items = [{"href": f"{use.doc.slug}.html#{b.anchor}", "text": label(b)} for b in use.blocks]
            if use.facts:
                items.append({"href": f"{use.doc.slug}.html#numbers", "text": "numbers"})
            used.setdefault(sid, []).append({"href": f"{use.doc.slug}.html", "text": f"Chapter {use.doc.number}",
                                             "items": items})
    ids = list(dict.fromkeys([*edition.sources, *sorted(used)]))
    return [{**vars(manifest[sid]), "summary": summary(sid), "used": used.get(sid, [])} for sid in ids]


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
        current=None, sections=[], page="imprint", published=f"{release_date.day} {release_date:%B %Y}",
        citation=Markup(frontmatter.suggested_citation(edition, release_date, "html")), notes=notes,
        disclaimer=[" ".join(p.split()) for p in fm.disclaimer.split("\n\n") if p.strip()], **common)
    _write(target, "imprint.html", imprint)
    (target / "citation.bib").write_text(frontmatter.bibtex(edition, release_date), encoding="utf-8")
    (target / "citation.ris").write_text(frontmatter.ris(edition, release_date), encoding="utf-8")
    terms = [{"id": slugify(t.term), "term": t.term, "definition": t.definition,
              "cite": Markup(_render_role("cite", t.cite, cites)) if t.cite else ""} for t in fm.glossary]
    cited = {k for t in fm.glossary for k in t.cite}
    references = [{"key": k, "html": Markup(e)} for k, e in cites.entries.items() if k in cited]
    glossary = env.get_template("glossary.html.j2").render(current=None, sections=[], page="glossary", terms=terms,
                                                           references=references, **common)
    _write(target, "glossary.html", glossary)
    return [{"url": "imprint.html", "title": "About this edition", "html": imprint, "first_anchor": "top"},
            {"url": "glossary.html", "title": "Acronyms and glossary", "html": glossary, "first_anchor": "top"}]


def build_site(edition: Edition, docs: list[ChapterDoc], target: Path, facts: dict, pdf_name: str | None,
               incomplete: list[str] | None = None, pdf_stale: bool = False,
               release_date: dt.date | None = None) -> None:
    """Write the whole site into `target` (a fresh staging folder); `incomplete` names chapters left out."""
    env = _env()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES / "assets", target / "assets")
    common = {"edition": edition, "chapters": docs, "pdf_name": pdf_name, "incomplete": incomplete or [],
              "pdf_stale": pdf_stale}  # an HTML-only build kept a PDF made from older inputs
    searchable: list[dict] = []
    glossary_clusters = [t.cite for t in edition.front.glossary if t.cite]
    cites = citations.format_citations([c for d in docs for c in d.cite_clusters()] + glossary_clusters, "html")
    index = env.get_template("index.html.j2").render(current=None, sections=[], page="index", prev=None,
                                                     next=docs[0] if docs else None, **common)
    _write(target, "index.html", index)
    for i, doc in enumerate(docs):
        body, sections = chapter_body(doc, env, cites)
        references = reference_list(doc, cites)
        if references:
            sections.append({"id": "references", "text": "References"})
        facts_list = chapter_facts(doc)
        if facts_list:
            sections.append({"id": "numbers", "text": "Numbers in this chapter"})
        page = env.get_template("chapter.html.j2").render(
            current=doc, sections=sections, body=Markup(body), facts=facts_list, page="chapter", references=references,
            chapter_pdf=f"../chapters/{chapter_pdf_name(edition, doc)}" if pdf_name else None,
            prev=docs[i - 1] if i else None, next=docs[i + 1] if i + 1 < len(docs) else None, **common)
        _write(target, f"{doc.slug}.html", page, source=f"the chapter '{doc.slug}'")
        searchable.append({"url": f"{doc.slug}.html", "title": f"{doc.number} {doc.title}", "html": page,
                           "first_anchor": "top"})
        dest = target / "figures" / doc.slug
        dest.mkdir(parents=True, exist_ok=True)
        for block in doc.blocks:
            if isinstance(block, (Figure, Table)):
                for name in block.files.values():
                    shutil.copy2(doc.figures_dir / name, dest / name)
    searchable += _front_pages(edition, env, target, common, cites, release_date or editions.release_date(edition.id))
    sources = env.get_template("sources.html.j2").render(current=None, sections=[], page="sources",
                                                         sources=_sources_context(edition, docs), **common)
    _write(target, "sources.html", sources)
    searchable.append({"url": "sources.html", "title": "Data sources", "kind": "sources", "html": sources,
                       "first_anchor": "top"})
    (target / "assets" / "search-index.js").write_text(index_script(searchable), encoding="utf-8")
    _write(target, "search.html", env.get_template("search.html.j2").render(current=None, sections=[],
                                                                            page="search", **common))
    (target / "facts.json").write_text(json.dumps(facts, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                       encoding="utf-8")
