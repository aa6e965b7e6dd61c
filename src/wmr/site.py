"""The HTML edition: one page per chapter, a title page, a data-sources page and a search page, all offline.

Every page is checked before it is written (heading order, alt text, unique ids; see pagecheck), and the
search index is made from the rendered pages (see searchindex).
"""
from __future__ import annotations

import html
import json
import re
import shutil
import struct
import unicodedata
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import pins
from .document import ChapterDoc, Figure, Prose, Table, label, resolve_roles, source_uses
from .editions import Edition
from .pagecheck import check_page
from .provenance import summary
from .searchindex import index_script

TEMPLATES = Path(__file__).parent / "templates"
HEADING_RE = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.S)
# ids the page templates use themselves; headings never take them
RESERVED_IDS = {"main", "top", "sidebar", "q", "numbers", "fact-pop", "search-q", "search-status", "search-results"}


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


def _render_role(kind: str, payload) -> str:
    if kind == "fact":
        fact, doc, run = payload
        fid = html.escape(fact_id(doc, run, fact.name))
        return f'<a class="fact" href="#fact-{fid}" data-fact="{fid}">{html.escape(fact.display)}</a>'
    if kind == "numref":
        return f'<a class="xref" href="#{html.escape(payload.anchor)}">{label(payload)}</a>'
    return html.escape(payload)


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


def chapter_body(doc: ChapterDoc, env: Environment) -> tuple[str, list[dict]]:
    """HTML of a chapter's blocks and the list of its h2 sections (for the sidebar)."""
    md = _markdown()
    anchors = Anchors(RESERVED_IDS | {b.anchor for b in doc.blocks if isinstance(b, (Figure, Table))})
    parts: list[str] = []
    sections: list[dict] = []
    base = f"figures/{doc.slug}"
    fig_t, tab_t = env.get_template("figure.html.j2"), env.get_template("table.html.j2")
    for block in doc.blocks:
        if isinstance(block, Prose):
            tokens = md.parse(resolve_roles(block.markdown, doc, block.run, _render_role), {})
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
                                      sources=[summary(s) for s in block.sources]))
        elif isinstance(block, Table):
            parts.append(tab_t.render(tab=block, label=label(block), base=base,
                                      sources=[summary(s) for s in block.sources]))
    return "\n".join(parts), sections


def chapter_facts(doc: ChapterDoc) -> list[dict]:
    """Every fact of the chapter in recorded order, for the 'Numbers in this chapter' list."""
    out = []
    for run, ledger in doc.ledgers.items():
        for name, fact in ledger.facts.items():
            out.append({"id": fact_id(doc, run, name), "display": fact.display, "unit": fact.unit,
                        "year": "" if fact.year is None else fact.year, "note": fact.note,
                        "sources": [summary(s) for s in fact.sources]})
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


def build_site(edition: Edition, docs: list[ChapterDoc], target: Path, facts: dict, pdf_name: str | None,
               incomplete: list[str] | None = None, profiles: list | None = None) -> None:
    """Write the whole site into `target` (a fresh staging folder); `incomplete` names chapters left out;
    `profiles` (ProfileDoc) make the "Countries and areas" part (see profilesite)."""
    env = _env()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES / "assets", target / "assets")
    common = {"edition": edition, "chapters": docs, "pdf_name": pdf_name, "incomplete": incomplete or [],
              "profiles_index": "profiles.html" if profiles else None}
    searchable: list[dict] = []
    index = env.get_template("index.html.j2").render(current=None, sections=[], page="index", prev=None,
                                                     next=docs[0] if docs else None, **common)
    _write(target, "index.html", index)
    for i, doc in enumerate(docs):
        body, sections = chapter_body(doc, env)
        facts_list = chapter_facts(doc)
        if facts_list:
            sections.append({"id": "numbers", "text": "Numbers in this chapter"})
        page = env.get_template("chapter.html.j2").render(
            current=doc, sections=sections, body=Markup(body), facts=facts_list, page="chapter",
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
    if profiles:
        from .profilesite import build_profile_pages

        searchable += build_profile_pages(env, target, profiles, common)
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
