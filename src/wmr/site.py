"""The HTML edition: one page per chapter, a title page with contents and a data-sources page, all offline."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin

from . import pins
from .document import ChapterDoc, Figure, Prose, Table, label, resolve_roles
from .editions import Edition
from .provenance import source_line

TEMPLATES = Path(__file__).parent / "templates"
H2_RE = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]),
                       undefined=StrictUndefined, keep_trailing_newline=True)


def _markdown() -> MarkdownIt:
    return (MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
            .use(anchors_plugin, min_level=2, max_level=3, permalink=False))


def _render_role(kind: str, payload) -> str:
    if kind == "fact":
        fact, doc, run = payload
        fid = f"{doc.slug}.{run + '.' if run else ''}{fact.name}"
        srcs = ", ".join(fact.sources)
        tip = f"{fid} · {fact.unit}, {fact.year} · sources: {srcs}"
        return (f'<span class="fact" data-fact="{html.escape(fid)}" title="{html.escape(tip)}">'
                f'{html.escape(fact.display)}</span>')
    if kind == "numref":
        return f'<a class="xref" href="#{html.escape(payload.anchor)}">{label(payload)}</a>'
    return html.escape(payload)


def chapter_body(doc: ChapterDoc, env: Environment) -> tuple[str, list[dict]]:
    """HTML of a chapter's blocks and the list of its h2 sections (for the sidebar)."""
    md = _markdown()
    parts: list[str] = []
    base = f"figures/{doc.slug}"
    fig_t, tab_t = env.get_template("figure.html.j2"), env.get_template("table.html.j2")
    for block in doc.blocks:
        if isinstance(block, Prose):
            parts.append(md.render(resolve_roles(block.markdown, doc, block.run, _render_role)))
        elif isinstance(block, Figure):
            parts.append(fig_t.render(fig=block, label=label(block), base=base, source=source_line(block.sources)))
        elif isinstance(block, Table):
            parts.append(tab_t.render(tab=block, label=label(block), base=base, source=source_line(block.sources)))
    body = "\n".join(parts)
    sections = [{"id": m.group(1), "text": html.unescape(re.sub("<[^>]+>", "", m.group(2)))}
                for m in H2_RE.finditer(body)]
    return body, sections


def _sources_context(edition: Edition, docs: list[ChapterDoc]) -> list[dict]:
    manifest = pins.load_manifest()
    used: dict[str, list[dict]] = {}
    for doc in docs:
        for block in doc.blocks:
            if isinstance(block, (Figure, Table)):
                for sid in block.sources:
                    used.setdefault(sid, []).append({"href": f"{doc.slug}.html#{block.anchor}", "text": label(block)})
        for sid in sorted(doc.sources_used()):
            used.setdefault(sid, [])
            entry = {"href": f"{doc.slug}.html", "text": f"Chapter {doc.number}"}
            if entry not in used[sid]:
                used[sid].insert(0, entry)
    ids = list(dict.fromkeys([*edition.sources, *sorted(used)]))
    return [{**vars(manifest[sid]), "used": used.get(sid, [])} for sid in ids]


def build_site(edition: Edition, docs: list[ChapterDoc], target: Path, facts: dict, pdf_name: str) -> None:
    """Write the whole site into `target` (a fresh staging folder)."""
    env = _env()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES / "assets", target / "assets")
    common = {"edition": edition, "chapters": docs, "pdf_name": pdf_name}
    (target / "index.html").write_text(env.get_template("index.html.j2").render(current=None, sections=[], **common),
                                       encoding="utf-8")
    for i, doc in enumerate(docs):
        body, sections = chapter_body(doc, env)
        page = env.get_template("chapter.html.j2").render(
            current=doc, sections=sections, body=Markup(body), prev=docs[i - 1] if i else None,
            next=docs[i + 1] if i + 1 < len(docs) else None, **common)
        (target / f"{doc.slug}.html").write_text(page, encoding="utf-8")
        dest = target / "figures" / doc.slug
        dest.mkdir(parents=True, exist_ok=True)
        for block in doc.blocks:
            if isinstance(block, (Figure, Table)):
                for name in block.files.values():
                    shutil.copy2(doc.figures_dir / name, dest / name)
    (target / "sources.html").write_text(
        env.get_template("sources.html.j2").render(current=None, sections=[], sources=_sources_context(edition, docs),
                                                   **common), encoding="utf-8")
    (target / "facts.json").write_text(json.dumps(facts, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                       encoding="utf-8")
