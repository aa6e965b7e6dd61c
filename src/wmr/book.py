"""The PDF edition: the chapters as pandoc Markdown, converted to Typst by pandoc, compiled by Typst.

Text from data (captions, country names, fact displays) is backslash-escaped for pandoc, which then
escapes it for Typst, so no data string can inject markup. Fonts are Typst's bundled ones (system fonts
ignored) and the timestamp is fixed, so the same inputs give the same PDF bytes.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pypandoc
import typst

from . import pins
from .document import ChapterDoc, Figure, Prose, Table, label, resolve_roles
from .editions import Edition
from .errors import AssemblyError
from .provenance import short_license, source_line

TEMPLATE = Path(__file__).parent / "templates" / "book.typ"
_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^$@\"'&:;%=/?,])")


def esc(text: str) -> str:
    """Backslash-escape every ASCII punctuation character (pandoc Markdown treats them all literally)."""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split()))


def _role(kind: str, payload) -> str:
    if kind == "fact":
        return esc(payload[0].display)
    if kind == "numref":
        return esc(label(payload))
    return esc(payload)


def chapter_markdown(doc: ChapterDoc, fig_root: str) -> str:
    """One chapter as pandoc Markdown: numbered heading, prose, figures (SVG) and pipe tables."""
    out = [f"# {esc(doc.title)} {{#ch-{doc.slug}}}", ""]
    for block in doc.blocks:
        if isinstance(block, Prose):
            out += [resolve_roles(block.markdown, doc, block.run, _role), ""]
        elif isinstance(block, Figure):
            caption = f"{label(block)}. {block.title}. {block.caption}"
            if block.note:
                caption += f" Note: {block.note}"
            caption += " " + source_line(block.sources)
            out += [f"![{esc(caption)}]({fig_root}/{doc.slug}/{block.files['svg']}){{#{block.anchor} width=100%}}", ""]
        elif isinstance(block, Table):
            out += [_pipe_table(block), ""]
    return "\n".join(out)


def _pipe_table(tab: Table) -> str:
    header = "| " + " | ".join(esc(c) for c in tab.columns) + " |"
    rule = "|" + "|".join("---:" if n else ":---" for n in tab.numeric) + "|"
    rows = ["| " + " | ".join(esc(v) for v in row) + " |" for row in tab.rows]
    caption = f"{label(tab)}. {tab.title}. {tab.caption}"
    if tab.note:
        caption += f" Note: {tab.note}"
    caption += " " + source_line(tab.sources)
    return "\n".join([header, rule, *rows, "", f": {esc(caption)} {{#{tab.anchor}}}"])


def sources_markdown(edition: Edition, docs: list[ChapterDoc]) -> str:
    """Unnumbered closing section listing every source with citation, licence and checksums."""
    manifest = pins.load_manifest()
    used = sorted(set(edition.sources).union(*(d.sources_used() for d in docs)))
    out = ["# Data sources {.unnumbered #data-sources}", ""]
    for sid in used:
        s = manifest[sid]
        out += [f"**{esc(s.title)}** ({esc(sid)}). {esc(s.citation)} Licence: {esc(short_license(s.license))}.", ""]
        for f in s.files:
            out += [f"- {esc(f.name)}: {f.bytes:,} bytes, SHA-256 {esc(f.sha256)}".replace(",", "\\,"), ""]
    return "\n".join(out)


def _metadata(edition: Edition) -> str:
    meta = {"title": edition.title, "subtitle": edition.subtitle, "publisher": edition.publisher,
            "edition-id": edition.id}
    return "---\n" + "\n".join(f"{k}: {json.dumps(esc(v))}" for k, v in meta.items()) + "\n---\n"


def build_pdf(edition: Edition, docs: list[ChapterDoc], workdir: Path, target: Path, release_date: dt.date) -> int:
    """Write the book to `target` (via `workdir`); returns the number of pages."""
    fig_root = "figures"
    for doc in docs:
        dest = workdir / fig_root / doc.slug
        dest.mkdir(parents=True, exist_ok=True)
        for fig in doc.figures:
            shutil.copy2(doc.figures_dir / fig.files["svg"], dest / fig.files["svg"])
    md = _metadata(edition) + "\n" + "\n\n".join(chapter_markdown(d, fig_root) for d in docs)
    md += "\n\n" + sources_markdown(edition, docs)
    (workdir / "book.md").write_text(md, encoding="utf-8")
    typ = pypandoc.convert_text(md, "typst", format="markdown", extra_args=[f"--template={TEMPLATE}", "--wrap=preserve"])
    (workdir / "book.typ").write_text(typ, encoding="utf-8")
    stamp = int(dt.datetime.combine(release_date, dt.time(12), tzinfo=dt.timezone.utc).timestamp())
    try:
        pdf = typst.compile(str(workdir / "book.typ"), root=str(workdir), ignore_system_fonts=True, timestamp=stamp)
    except Exception as exc:  # typst raises its own error type with the compiler's diagnostics
        raise AssemblyError("Typst could not compile the PDF edition.", expected="a valid Typst document",
                            got=str(exc)[:2000], fix=f"inspect {workdir / 'book.typ'} at the position given") from None
    target.write_bytes(pdf)
    return page_count(pdf)


def page_count(pdf: bytes) -> int:
    """Pages in a PDF written by Typst (counts page objects, not page-tree nodes)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
