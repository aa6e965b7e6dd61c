"""The PDF edition: prose converted to Typst by pandoc, figures, tables and sources drawn by the Typst template.

Prose (Markdown with links, emphasis, lists, headings) goes through pandoc, with text from data (fact
displays) backslash-escaped so pandoc treats it literally. Figures, tables, the cover and the data-sources
appendix are drawn by functions of the template (templates/wmr-book.typ) from `book.json`: the prose only
names them by label, so no caption, country name or citation ever becomes Typst markup. Fonts are Typst's
bundled ones (system fonts ignored) and the timestamp is the edition's release date, so the same inputs
give the same PDF bytes.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from functools import partial
from pathlib import Path

import pypandoc
import typst

from . import paths, pins
from .document import ChapterDoc, Figure, Prose, Table, label, resolve_roles, source_uses
from .editions import Edition
from .errors import AssemblyError
from .provenance import publication_year, repository_url, summary

TEMPLATES = Path(__file__).parent / "templates"
MAIN = "book.typ"           # the book: settings, cover, front matter, chapters, data sources
LIBRARY = "wmr-book.typ"    # functions drawing figures, tables and sources from book.json
DATA = "book.json"
BODY = "body.typ"           # the chapters, written by pandoc
FIG_ROOT = "figures"
_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^$@\"'&:;%=/?,])")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_:-]*$")


def esc(text: str) -> str:
    """Backslash-escape every ASCII punctuation character (pandoc Markdown treats them all literally)."""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split()))


def typst_string(text: str) -> str:
    """`text` as a Typst string literal: only backslash, quote and line breaks need escaping."""
    body = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{body}"'


def _key(text: str) -> str:
    if not _KEY.match(text):
        raise AssemblyError(f"'{text}' cannot be used as a label in the PDF edition.",
                            expected="lower-case letters, digits, '-', '_' and ':'", got=text,
                            fix="rename the chapter slug, run key or figure/table id")
    return text


def chapter_key(doc: ChapterDoc) -> str:
    """The Typst label of a chapter's heading ('chapter:global'); pandoc's own ids never contain ':'."""
    return _key(f"chapter:{doc.slug}")


def block_key(doc: ChapterDoc, block: Figure | Table) -> str:
    """The Typst label of a figure or table, unique in the book ('wmr:regions:africa-fig-trend')."""
    return _key(f"wmr:{doc.slug}:{block.anchor}")


def source_key(source_id: str) -> str:
    """The Typst label of a source's entry in the data-sources appendix."""
    return _key(f"source:{source_id}")


def _role(doc: ChapterDoc, kind: str, payload) -> str:
    """Markdown for a resolved role: a fact's display, a linked figure/table number, a parameter value."""
    if kind == "fact":
        return esc(payload[0].display)
    if kind == "numref":
        return f"[{esc(label(payload))}](#{block_key(doc, payload)})"
    return esc(payload)


def chapter_markdown(doc: ChapterDoc) -> str:
    """One chapter as pandoc Markdown: labelled heading, prose, and a template call per figure or table."""
    out = [f"# {esc(doc.title)} {{#{chapter_key(doc)}}}", ""]
    for block in doc.blocks:
        if isinstance(block, Prose):
            out += [resolve_roles(block.markdown, doc, block.run, partial(_role, doc)), ""]
        elif isinstance(block, (Figure, Table)):
            out += ["```{=typst}", f"#wmr-block({typst_string(block_key(doc, block))})", "```", ""]
    return "\n".join(out)


def _block_data(doc: ChapterDoc, block: Figure | Table) -> dict:
    common = {"kind": block.kind, "label": label(block), "title": block.title, "caption": block.caption,
              "note": block.note, "sources": [vars(summary(s)) | {"key": source_key(s), "year": publication_year(s)} for s in block.sources]}
    if isinstance(block, Figure):
        return common | {"units": block.units, "alt": block.alt, "image": f"{FIG_ROOT}/{doc.slug}/{block.files['svg']}"}
    return common | {"units": "", "columns": block.columns, "numeric": block.numeric, "rows": block.rows}


def _file_data(pin: pins.FilePin) -> dict:
    rf = pin.retrieved_from or {}
    return {"name": pin.name, "bytes": f"{pin.bytes:,}", "sha256": pin.sha256, "repo": rf.get("repo", ""),
            "commit": rf.get("commit", ""), "path": rf.get("path", ""), "repository_url": repository_url(pin) or "",
            "download_url": pin.download_url or "", "owned_path": pin.owned_path or ""}


def _sources_data(edition: Edition, docs: list[ChapterDoc]) -> list[dict]:
    """Every source the edition pins or a chapter cites, with its files and the blocks that cite it."""
    manifest = pins.load_manifest()
    uses = source_uses(docs)
    out = []
    for sid in dict.fromkeys([*edition.sources, *sorted(uses)]):
        s = manifest[sid]
        used = [{"chapter": f"Chapter {u.doc.number}", "key": chapter_key(u.doc), "facts": u.facts,
                 "items": [{"text": label(b), "key": block_key(u.doc, b)} for b in u.blocks]}
                for u in uses.get(sid, [])]
        out.append({"id": s.id, "key": source_key(s.id), "title": s.title, "publisher": s.publisher,
                    "edition": s.edition, "citation": s.citation, "license": s.license, "url": s.url,
                    "files": [_file_data(f) for f in s.files], "used": used})
    return out


def book_data(edition: Edition, docs: list[ChapterDoc], release_date: dt.date,
              incomplete: list[str] | tuple[str, ...] = ()) -> dict:
    """Everything the template draws from data: edition metadata, figures and tables by label, sources."""
    lang, _, region = edition.language.partition("-")
    return {
        "edition": {"id": edition.id, "title": edition.title, "subtitle": edition.subtitle,
                    "publisher": edition.publisher, "lang": lang, "region": region or None,
                    "date": {"year": release_date.year, "month": release_date.month, "day": release_date.day}},
        "blocks": {block_key(d, b): _block_data(d, b) for d in docs for b in d.blocks if isinstance(b, (Figure, Table))},
        "sources": _sources_data(edition, docs),
        "incomplete": list(incomplete),  # chapters that failed: the cover says the edition is incomplete
    }


def _write_inputs(edition: Edition, docs: list[ChapterDoc], workdir: Path, release_date: dt.date,
                  incomplete: list[str]) -> Path:
    """Write the Typst sources, book.json and the figures into `workdir`; returns the main file."""
    for doc in docs:
        dest = workdir / FIG_ROOT / doc.slug
        dest.mkdir(parents=True, exist_ok=True)
        for fig in doc.figures:
            shutil.copy2(doc.figures_dir / fig.files["svg"], dest / fig.files["svg"])
    data = book_data(edition, docs, release_date, incomplete)
    (workdir / DATA).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    md = "\n\n".join(chapter_markdown(d) for d in docs)
    (workdir / "body.md").write_text(md, encoding="utf-8")
    body = pypandoc.convert_text(md, "typst", format="markdown", extra_args=["--wrap=preserve"])
    (workdir / BODY).write_text(f'#import "{LIBRARY}": *\n\n{body}', encoding="utf-8")
    for name in (MAIN, LIBRARY):
        shutil.copyfile(TEMPLATES / name, workdir / name)
    return workdir / MAIN


def build_pdf(edition: Edition, docs: list[ChapterDoc], workdir: Path, target: Path, release_date: dt.date,
              incomplete: list[str] | tuple[str, ...] = ()) -> int:
    """Write the book to `target` (via `workdir`); returns the number of pages. `incomplete`: failed chapters."""
    main = _write_inputs(edition, docs, workdir, release_date, list(incomplete))
    stamp = int(dt.datetime.combine(release_date, dt.time(12), tzinfo=dt.timezone.utc).timestamp())
    try:
        pdf, warnings = typst.compile_with_warnings(str(main), root=str(workdir), ignore_system_fonts=True,
                                                    timestamp=stamp)
    except Exception as exc:  # typst raises its own error type with the compiler's diagnostics
        raise AssemblyError("Typst could not compile the PDF edition.", expected="a valid Typst document",
                            got=_first_errors(getattr(exc, "diagnostic", "") or str(exc)),
                            fix=f"inspect the files in {_keep(workdir, edition)} at the positions given") from None
    if warnings:  # e.g. an unknown font, or a layout that did not settle (page numbers could be wrong)
        raise AssemblyError("Typst compiled the PDF edition with warnings.", expected="no warnings",
                            got="; ".join(dict.fromkeys(w.message for w in warnings)),
                            fix=f"inspect the files in {_keep(workdir, edition)}; fix the template or the data it names")
    paths.atomic_write_bytes(target, pdf)
    return page_count(pdf)


def _keep(workdir: Path, edition: Edition) -> Path:
    """Copy the Typst sources of a failed PDF to build/pdf-failed/<edition>/ (the staging folder is deleted)."""
    kept = paths.project_root() / "build" / "pdf-failed" / edition.id
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(workdir, kept)
    return kept


def _first_errors(diagnostics: str, limit: int = 8) -> str:
    """Typst's distinct errors with their positions, causes first (missing labels are usually consequences)."""
    lines = [l.strip() for l in diagnostics.splitlines()]
    errors = [e + (" at " + lines[i + 1].lstrip("┌─ ") if i + 1 < len(lines) and lines[i + 1].startswith("┌─") else "")
              for i, e in enumerate(lines) if e.startswith("error:")]
    errors = sorted(dict.fromkeys(errors), key=lambda e: "does not exist in the document" in e)
    return "\n            ".join(errors[:limit]) or diagnostics[:2000]


def page_count(pdf: bytes) -> int:
    """Pages in a PDF written by Typst (counts page objects, not page-tree nodes)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
