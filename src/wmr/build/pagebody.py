"""How one page of a chapter or profile renders: its body with roles resolved, its numbers list and sources."""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from markdown_it import MarkdownIt
from markupsafe import Markup

from wmr.kernel.provenance import shown_refs

from . import citations
from .document import ChapterDoc, Figure, Prose, Table, label, resolve_roles
from .markup import markdown_literal
from .sourceline import source_lines, summary

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
    return {"id": fact_id(doc, run, fact.name), "name": doc.fact_labels.get(fact.name) or fact_name(fact.name),
            "display": fact.display,
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
