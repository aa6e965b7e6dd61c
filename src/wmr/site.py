"""The HTML edition: a page per chapter (a chapter run once per region gets a page per region), a title page,
a data-sources page and a search page, all offline.

Every page is checked before it is written (heading order, alt text, unique ids; see pagecheck), and the
search index is made from the rendered pages (see searchindex).
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import citations, editions, frontmatter, pins
from .document import ChapterDoc, Figure, Prose, Table, chapter_pdf_name, label, resolve_roles, source_uses
from .editions import Edition
from .markup import markdown_literal
from .pagecheck import check_page
from .provenance import shown_refs, source_lines, summary
from .searchindex import index_script

TEMPLATES = Path(__file__).parent / "templates"
HEADING_RE = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.S)
# ids the page templates use themselves; headings never take them
RESERVED_IDS = {"main", "top", "sidebar", "q", "numbers", "fact-pop", "search-q", "search-status", "search-results",
                "run-pages-title", "references", "notice"}


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


# Facts whose value is a connecting word ('more', 'grown', 'mainly intra-regional') read as plain text: only
# numbers and data-driven names (countries, regions, corridors) are highlighted as facts.
WORD_UNITS = {"comparison", "direction", "wording", "text"}


STACK_COLUMNS = 4      # a table this wide, or with cells this long, reads as one labelled block per row on phones
STACK_CELL_CHARS = 60


def stacks_on_a_phone(table: Table) -> bool:
    """Whether a table is shown row by row (each value labelled with its column) on narrow screens: it would
    otherwise scroll sideways or squeeze long text into narrow columns."""
    return len(table.columns) >= STACK_COLUMNS or any(len(str(v)) > STACK_CELL_CHARS for row in table.rows for v in row)


def highlighted(fact) -> bool:
    """Whether a fact is shown as a highlighted number with provenance (numbers and names) or as plain text."""
    return any(ch.isdigit() for ch in str(fact.display)) or fact.unit not in WORD_UNITS


# Abbreviations of fact names spelled out for readers ('imm_change_pct' -> 'Immigrants change (%)')
NAME_WORDS = {"pct": "(%)", "imm": "immigrants", "emi": "emigrants", "idp": "IDP", "idps": "IDPs", "cov": "coverage:",
              "remit": "remittances", "ref": "refugees", "n": "number", "usd": "(US$)", "dest": "destination",
              "orig": "origin", "mmp": "missing migrants", "hdi": "HDI", "gcm": "GCM"}


def fact_name(name: str) -> str:
    """A fact's name for readers: 'imm_change_pct' -> 'Immigrants change (%)'."""
    text = " ".join(NAME_WORDS.get(word, word) for word in name.split("_") if word)
    return text[:1].upper() + text[1:]


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


def _svg_size(path: Path) -> tuple[int, int] | None:
    """The CSS pixel size of a matplotlib SVG (its width and height are given in points)."""
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    m = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"[^>]*\sheight="([\d.]+)pt"', head)
    if not m:
        return None
    return round(float(m.group(1)) * 4 / 3), round(float(m.group(2)) * 4 / 3)


@dataclass
class Page:
    """One HTML page: a whole chapter, or, for a chapter with runs (regions), its opening or one run."""

    doc: ChapterDoc
    file: str
    title: str
    run: str | None = None                             # the run shown by a run page
    blocks: list = field(default_factory=list)
    children: list = field(default_factory=list)       # run pages of a chapter's opening page

    @property
    def label(self) -> str:
        """'3 Africa' or '2 Migration and migrants: a global overview' (pager, search results)."""
        return f"{self.doc.number} {self.title}"


def _plain_role(kind: str, payload) -> str:
    if kind == "fact":
        return str(payload[0].display)
    if kind == "numref":
        return label(payload)
    return str(payload)


def _run_title(doc: ChapterDoc, run: str, blocks: list) -> str:
    """A run page's title: the run's first heading ('Africa'), else its region parameter or key."""
    md = _markdown()
    for block in blocks:
        if isinstance(block, Prose):
            tokens = md.parse(resolve_roles(block.markdown, doc, run, _plain_role), {})
            for i, tok in enumerate(tokens):
                if tok.type == "heading_open":
                    return _inline_text(tokens[i + 1])
    return str(doc.params.get(run, {}).get("region") or run.replace("_", " ").title())


def chapter_pages(doc: ChapterDoc) -> list[Page]:
    """The pages of a chapter: one, or for a chapter run once per region its opening and a page per run."""
    runs = list(doc.ledgers)
    if len(runs) <= 1:
        return [Page(doc, f"{doc.slug}.html", doc.title, None, list(doc.blocks))]
    opening = Page(doc, f"{doc.slug}.html", doc.title, None,
                   [b for b in doc.blocks if isinstance(b, Prose) and b.opening])
    for run in runs:
        blocks = [b for b in doc.blocks if b.run == run and not (isinstance(b, Prose) and b.opening)]
        opening.children.append(Page(doc, f"{doc.slug}-{slugify(run)}.html", _run_title(doc, run, blocks), run, blocks))
    return [opening, *opening.children]


def _cite_html(keys: tuple[str, ...], cites: citations.Formatted | None) -> str:
    """Author-year text from citeproc (pandoc's HTML), linked to the page's reference list."""
    text = cites.clusters[keys] if cites else html.escape("; ".join(keys))
    return f'<a class="cite" href="#ref-{html.escape(keys[0].removeprefix("-"))}">{text}</a>'


class _Renderer:
    """Renders the roles of one page: facts (noting which are cited), citations and cross-references to any page.

    Values (facts, parameters) are text: never parsed as Markdown, HTML or a link (see markup.markdown_literal).
    """

    def __init__(self, page: Page, block_pages: dict[int, str], cites: citations.Formatted | None = None):
        self.page = page
        self.block_pages = block_pages
        self.cites = cites
        self.cited: list[tuple[str | None, str]] = []
        self.cite_keys: dict[str, None] = {}

    def __call__(self, kind: str, payload) -> str:
        if kind == "cite":
            self.cite_keys.update(dict.fromkeys(k.removeprefix("-") for k in payload))
            return _cite_html(payload, self.cites)
        if kind == "fact":
            fact, doc, run = payload
            if not highlighted(fact):
                return markdown_literal(str(fact.display))
            self.cited.append((run, fact.name))
            fid = html.escape(fact_id(doc, run, fact.name))
            return f'<a class="fact" href="#fact-{fid}" data-fact="{fid}">{markdown_literal(fact.display)}</a>'
        if kind == "numref":
            where = self.block_pages.get(id(payload), self.page.file)
            prefix = "" if where == self.page.file else where
            return f'<a class="xref" href="{html.escape(prefix)}#{html.escape(payload.anchor)}">{label(payload)}</a>'
        return markdown_literal(payload)


def _render_role(kind: str, payload) -> str:
    """Roles of a single-page chapter (for callers that render prose outside a page)."""
    doc = payload[1] if kind == "fact" else None
    page = Page(doc, f"{doc.slug}.html" if doc else "", "")
    return _Renderer(page, {})(kind, payload)


def reference_list(keys, cites: citations.Formatted) -> list[dict]:
    """A page's reference list: the publications it cites, in the style's order (author, then year)."""
    cited = set(keys)
    return [{"key": k, "html": Markup(entry)} for k, entry in cites.entries.items() if k in cited]


def chapter_body(page: Page, env: Environment, block_pages: dict[int, str],
                 cites: citations.Formatted | None = None) -> tuple[str, list[dict], "_Renderer"]:
    """HTML of a page's blocks, its h2 sections (for the sidebar) and its renderer (the facts and works cited).

    On a run page the run's first heading is the page's title (h1), so it is left out and deeper headings
    move up one level.
    """
    doc = page.doc
    md = _markdown()
    anchors = Anchors(RESERVED_IDS | {b.anchor for b in page.blocks if isinstance(b, (Figure, Table))})
    render = _Renderer(page, block_pages, cites)
    parts: list[str] = []
    sections: list[dict] = []
    base = f"figures/{doc.slug}"
    fig_t, tab_t = env.get_template("figure.html.j2"), env.get_template("table.html.j2")
    title_dropped = page.run is None
    for block in page.blocks:
        if isinstance(block, Prose):
            tokens = md.parse(resolve_roles(block.markdown, doc, block.run, render), {})
            keep = []
            i = 0
            while i < len(tokens):
                tok = tokens[i]
                if tok.type == "heading_open" and not title_dropped:
                    title_dropped = True
                    i += 3                                    # heading_open, inline, heading_close
                    continue
                if page.run is not None and tok.type in ("heading_open", "heading_close"):
                    tok.tag = f"h{max(2, int(tok.tag[1]) - 1)}"
                if tok.type == "heading_open":
                    title = _inline_text(tokens[i + 1])
                    tok.attrSet("id", anchors.claim(title, block.run))
                    if tok.tag == "h2":
                        sections.append({"id": tok.attrGet("id"), "text": title})
                keep.append(tok)
                i += 1
            parts.append(_permalinks(md.renderer.render(keep, md.options, {})))
        elif isinstance(block, Figure):
            size = _svg_size(doc.figures_dir / block.files["svg"])
            parts.append(fig_t.render(fig=block, label=label(block), base=base, size=size,
                                      sources=source_lines(block)))
        elif isinstance(block, Table):
            parts.append(tab_t.render(tab=block, label=label(block), base=base, sources=source_lines(block),
                                      stack=stacks_on_a_phone(block)))
    return "\n".join(parts), sections, render


def _fact_row(doc: ChapterDoc, run: str | None, fact) -> dict:
    sources = {}
    for s in shown_refs(fact):   # two pins of one publication are named once, a long name by its acronym
        short = summary(s)
        acronym = re.search(r"\(([A-Z][A-Z0-9]{1,9})\)$", short.dataset)
        name = acronym.group(1) if acronym and len(short.dataset) > 30 else short.dataset
        sources.setdefault(short.dataset, {"id": short.id, "dataset": name, "title": short.dataset})
    return {"id": fact_id(doc, run, fact.name), "name": fact_name(fact.name), "display": fact.display,
            "unit": fact.unit, "year": "" if fact.year is None else fact.year, "note": fact.note,
            "sources": list(sources.values()), "source_ids": list(fact.sources)}


def page_facts(page: Page, cited: list[tuple[str | None, str]], elsewhere: set = frozenset()) -> list[dict]:
    """The facts listed under 'Numbers on this page', in recorded order: every number of a one-page chapter;
    on a run page the numbers of its run but those its chapter's opening page lists (`elsewhere`); on an
    opening page the numbers it cites. Any fact the page's prose cites is listed."""
    doc = page.doc
    wanted: dict[tuple, None] = {}
    if not page.children:
        for run, ledger in doc.ledgers.items():
            if page.run is None or run == page.run:
                wanted.update({(run, name): None for name, fact in ledger.facts.items()
                               if highlighted(fact) and name not in elsewhere})
    wanted.update(dict.fromkeys(cited))
    return [_fact_row(doc, run, doc.ledgers[run].facts[name]) for run, name in wanted]


def chapter_facts(doc: ChapterDoc) -> list[dict]:
    """Every highlighted fact of the chapter in recorded order."""
    return [_fact_row(doc, run, fact) for run, ledger in doc.ledgers.items() for fact in ledger.facts.values()
            if highlighted(fact)]


def _sources_context(edition: Edition, docs: list[ChapterDoc], block_pages: dict[int, str],
                     fact_pages: dict[tuple[str, str], list[str]]) -> list[dict]:
    """The edition's sources grouped by publication (publisher and dataset), each pin with where it is used."""
    manifest = pins.load_manifest()
    used: dict[str, list[dict]] = {}
    for sid, uses in source_uses(docs).items():
        for use in uses:
            items = [{"href": f"{block_pages[id(b)]}#{b.anchor}", "text": label(b)} for b in use.blocks]
            if use.facts:
                for where in fact_pages.get((use.doc.slug, sid), []):
                    items.append({"href": f"{where}#numbers", "text": "numbers" if len(items) == len(use.blocks)
                                  else "numbers (" + where.removesuffix(".html") + ")"})
            used.setdefault(sid, []).append({"href": f"{use.doc.slug}.html", "text": f"Chapter {use.doc.number}",
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
        current_file="imprint.html", sections=[], page="imprint", published=f"{release_date.day} {release_date:%B %Y}",
        citation=Markup(frontmatter.suggested_citation(edition, release_date, "html")), notes=notes,
        disclaimer=[" ".join(p.split()) for p in fm.disclaimer.split("\n\n") if p.strip()], **common)
    _write(target, "imprint.html", imprint)
    (target / "citation.bib").write_text(frontmatter.bibtex(edition, release_date), encoding="utf-8")
    (target / "citation.ris").write_text(frontmatter.ris(edition, release_date), encoding="utf-8")
    terms = [{"id": slugify(t.term), "term": t.term, "definition": t.definition,
              "cite": Markup(_cite_html(t.cite, cites)) if t.cite else ""} for t in fm.glossary]
    references = reference_list((k for t in fm.glossary for k in t.cite), cites)
    glossary = env.get_template("glossary.html.j2").render(current_file="glossary.html", sections=[], page="glossary",
                                                           terms=terms, references=references, **common)
    _write(target, "glossary.html", glossary)
    return [{"url": "imprint.html", "title": "About this edition", "html": imprint, "first_anchor": "top"},
            {"url": "glossary.html", "title": "Acronyms and glossary", "html": glossary, "first_anchor": "top"}]


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
               chapter_pdfs: dict[str, bool] | None = None) -> None:
    """Write the whole site into `target` (a fresh staging folder); `incomplete` names chapters left out;
    `pdf_stale`: an HTML-only build kept a PDF made from older inputs; `profiles` (ProfileDoc) make the
    "Countries and areas" part (see profilesite); `chapter_pdfs`: slug -> stale for the chapters whose own PDF
    is published (default: every chapter's, current, when there is a book)."""
    env = _env()
    if chapter_pdfs is None:
        chapter_pdfs = {d.slug: False for d in docs} if pdf_name else {}
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES / "assets", target / "assets")
    pages_by_doc = {d.slug: chapter_pages(d) for d in docs}
    pages = [p for d in docs for p in pages_by_doc[d.slug]]
    block_pages = {id(b): p.file for p in pages for b in p.blocks if isinstance(b, (Figure, Table))}
    toc = _toc(docs, pages_by_doc)
    common = {"edition": edition, "toc": toc, "pdf_name": pdf_name, "incomplete": incomplete or [],
              "pdf_stale": pdf_stale, "profiles_index": "profiles.html" if profiles else None}
    searchable: list[dict] = []
    glossary_clusters = [t.cite for t in edition.front.glossary if t.cite]
    cites = citations.format_citations([c for d in docs for c in d.cite_clusters()] + glossary_clusters, "html")
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
            sections.append({"id": "references", "text": "References"})
        if pg.children:
            opening_names = {name for _, name in cited}
        facts_list = page_facts(pg, cited, opening_names if pg.run else set())
        for f in facts_list:
            for sid in f["source_ids"]:
                where = fact_pages.setdefault((doc.slug, sid), [])
                if pg.file not in where:
                    where.append(pg.file)
        if facts_list:
            sections.append({"id": "numbers", "text": "Numbers on this page" if pg.run or pg.children
                             else "Numbers in this chapter"})
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
                    shutil.copy2(doc.figures_dir / name, dest / name)
    if profiles:
        from .profilesite import build_profile_pages

        searchable += build_profile_pages(env, target, profiles, common)
    searchable += _front_pages(edition, env, target, common, cites, release_date or edition.release_date
                               or editions.release_date(edition.id))
    sources = env.get_template("sources.html.j2").render(current_file="sources.html", sections=[], page="sources",
                                                         groups=_sources_context(edition, docs, block_pages, fact_pages),
                                                         **common)
    _write(target, "sources.html", sources)
    searchable.append({"url": "sources.html", "title": "Data sources", "kind": "sources", "html": sources,
                       "first_anchor": "top"})
    (target / "assets" / "search-index.js").write_text(index_script(searchable), encoding="utf-8")
    _write(target, "search.html", env.get_template("search.html.j2").render(current_file="search.html", sections=[],
                                                                            page="search", **common))
    (target / "facts.json").write_text(json.dumps(facts, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                       encoding="utf-8")
