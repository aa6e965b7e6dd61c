"""The PDF edition: prose converted to Typst by pandoc, figures, tables and sources drawn by the Typst template.

Prose (Markdown with links, emphasis, lists, headings) goes through pandoc, with text from data (fact
displays) backslash-escaped so pandoc treats it literally. Figures, tables, the cover and the data-sources
appendix are drawn by functions of the template (templates/wmr-book.typ) from `book.json`: the prose only
names them by label, so no caption, country name or citation ever becomes Typst markup. Fonts are Typst's
bundled ones (system fonts ignored; a script they lack takes the font vendored in fonts/) and the timestamp is
the edition's release date, so the same inputs give the same PDF bytes.

A language's book is typeset from that language's documents (see localize) with the book's own words from its
book.po (see booktext); English, the source, is the edition's `language`.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pypandoc
import typst

from wmr.core import paths
from wmr.core.errors import AssemblyError
from wmr.kernel import pins
from wmr.kernel.provenance import repository_url

from . import citations, frontmatter, locales
from .booktext import Words
from .document import ChapterDoc, Figure, Prose, Table, chapter_pdf_name, label, resolve_roles, source_uses
from .editions import Edition
from .markup import markdown_literal
from .sourceline import source_lines

TEMPLATES = Path(__file__).parent / "templates"
MAIN = "book.typ"           # the book: settings, cover, front matter, chapters, data sources
LIBRARY = "wmr-book.typ"    # functions drawing figures, tables and sources from book.json
DATA = "book.json"
BODY = "body.typ"           # the chapters, written by pandoc
FIG_ROOT = "figures"
FONTS = Path(__file__).parent / "fonts"   # vendored fonts (with their licences) for scripts Typst's lack: Amiri
PDF_STANDARDS = ["ua-1"]   # tagged PDF/UA-1: structure tree, alt text, document language and title (Typst checks)
CHAPTER_START = "wmr-chapter-start"   # marker after each chapter heading: its slug and page number
TEXT_END = "wmr-text-end"             # marker after a chapter's last paragraph: its slug and page number
REFERENCES_START = "wmr-references-start"   # marker under a chapter's "References" heading: slug, page, y
LAYOUT = ("wmr-flow", "wmr-block-page", TEXT_END, REFERENCES_START, "wmr-table-end", "wmr-source-line")
_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^$@\"'&:;%=/?,])")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_:-]*$")


def esc(text: str) -> str:
    """Backslash-escape every ASCII punctuation character (pandoc Markdown treats them all literally)."""
    return markdown_literal(text)


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


def reference_key(doc: ChapterDoc, key: str) -> str:
    """The Typst label of a publication in a chapter's reference list ('ref:global:undesa2024ims')."""
    return _key(f"ref:{doc.slug}:{key}")


def _role(doc: ChapterDoc, kind: str, payload, cites: citations.Formatted | None = None) -> str:
    """Markdown for a resolved role: a fact's display, a linked figure/table number, a parameter value, a citation."""
    if kind == "cite":  # citeproc's pandoc Markdown, linked to the chapter's reference list
        text = cites.clusters[payload] if cites else esc("; ".join(payload))
        return f"[{text}](#{reference_key(doc, payload[0].removeprefix('-'))})"
    if kind == "fact":
        return esc(payload[0].display)
    if kind == "numref":
        return f"[{esc(label(payload))}](#{block_key(doc, payload)})"
    return esc(payload)


def references_markdown(doc: ChapterDoc, cites: citations.Formatted, words: Words = Words()) -> list[str]:
    """The chapter's reference list (unnumbered section), entries in the style's order, each labelled."""
    cited = set(doc.cited_keys())
    entries = [(k, e) for k, e in cites.entries.items() if k in cited]
    if not entries:
        return []
    out = [f"## {esc(words('References'))} {{.unnumbered #{_key('references:' + doc.slug)}}}", "",
           "```{=typst}", f"#place(top + left, context [#metadata((slug: {typst_string(doc.slug)}, "
           f"page: here().page(), y: here().position().y.pt()))<{REFERENCES_START}>])", "#wmr-references[", "```", ""]
    for key, entry in entries:
        out += [f"::: {{#{reference_key(doc, key)}}}", entry, ":::", ""]
    return out + ["```{=typst}", "]", "```", ""]


def chapter_markdown(doc: ChapterDoc, cites: citations.Formatted | None = None, words: Words = Words()) -> str:
    """One chapter as pandoc Markdown: labelled heading, prose, a template call per figure or table, references."""
    out = [f"# {esc(doc.title)} {{#{chapter_key(doc)}}}", "",
           "```{=typst}", f"#context [#metadata((slug: {typst_string(doc.slug)}, page: counter(page).get().first()))"
           f"<{CHAPTER_START}>]", "```", ""]
    for block in doc.blocks:
        if isinstance(block, Prose):
            out += [resolve_roles(block.markdown, doc, block.run, partial(_role, doc, cites=cites)), ""]
        elif isinstance(block, (Figure, Table)):
            out += ["```{=typst}", f"#wmr-block({typst_string(block_key(doc, block))})", "```", ""]
    # where the chapter's text ends (its page, for tables_after_the_text: a marker placed where the text is, as a
    # bare one would move to the next content printed), then the figures and tables still waiting are placed, so
    # they come before its reference list, never after it
    out += ["```{=typst}", f"#place(top + left, context [#metadata((slug: {typst_string(doc.slug)}, "
            f"page: here().page(), y: here().position().y.pt(), bottom: (page.height - margin.bottom).to-absolute().pt(), "
            f"full: (page.height - margin.top - margin.bottom).to-absolute().pt()))<{TEXT_END}>])", "#place.flush()", "```", ""]
    if cites is not None:
        out += references_markdown(doc, cites, words)
    return "\n".join(out)


def _figure_svg(fig: Figure) -> str:
    """The SVG the PDF sets: the one whose text is text (charts stay searchable), else the outlined one."""
    return fig.files.get("svg_text", fig.files["svg"])


def font_paths() -> list[str]:
    """The fonts Typst may use besides its bundled ones: the charts' DejaVu Sans and the vendored fonts."""
    return [*chart_fonts(), str(FONTS)]


def chart_fonts() -> list[str]:
    """The folder of the DejaVu Sans fonts matplotlib (pinned) draws chart text with, so Typst sets the charts'
    text in the same font; found without importing matplotlib (assembly never does)."""
    spec = importlib.util.find_spec("matplotlib")
    folder = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" if spec else None
    if folder is None or not (folder / "DejaVuSans.ttf").is_file():
        raise AssemblyError("The chart font (DejaVu Sans, shipped with matplotlib) was not found.",
                            expected="matplotlib's mpl-data/fonts/ttf/DejaVuSans.ttf", got=str(folder),
                            fix="reinstall the pinned matplotlib (bash scripts/setup.sh)")
    return [str(folder)]


def _shown_sources(block: Figure | Table) -> list[dict]:
    """The source line's entries: as the HTML edition's (each source once, however many of its files were read),
    and two sources printed alike (two pins of one publication) named once, linked to the first."""
    shown: dict[tuple, dict] = {}
    for s in source_lines(block):
        shown.setdefault((s["publisher"], s["dataset"], s["year"]), s | {"key": source_key(s["id"])})
    return list(shown.values())


def _block_data(doc: ChapterDoc, block: Figure | Table) -> dict:
    common = {"kind": block.kind, "label": label(block), "title": block.title, "caption": block.caption,
              "note": block.note,
              "sources": _shown_sources(block)}
    if isinstance(block, Figure):
        return common | {"units": block.units, "alt": block.alt, "image": f"{FIG_ROOT}/{doc.slug}/{_figure_svg(block)}"}
    return common | {"units": "", "columns": block.columns, "numeric": block.numeric, "rows": block.rows}


def _file_data(pin: pins.FilePin, words: Words) -> dict:
    rf = pin.retrieved_from or {}
    return {"name": pin.name, "bytes": words.count(pin.bytes), "sha256": pin.sha256, "repo": rf.get("repo", ""),
            "commit": rf.get("commit", ""), "path": rf.get("path", ""), "repository_url": repository_url(pin) or "",
            "download_url": pin.download_url or "", "owned_path": pin.owned_path or ""}


def _sources_data(edition: Edition, docs: list[ChapterDoc], words: Words) -> list[dict]:
    """Every source the edition pins or a chapter cites, with its files and the blocks that cite it."""
    manifest = pins.load_manifest()
    uses = source_uses(docs)
    out = []
    for sid in dict.fromkeys([*edition.sources, *sorted(uses)]):
        s = manifest[sid]
        used = [{"chapter": words("Chapter %(number)s", number=u.doc.number), "key": chapter_key(u.doc), "facts": u.facts,
                 "items": [{"text": label(b), "key": block_key(u.doc, b)} for b in u.blocks]}
                for u in uses.get(sid, [])]
        out.append({"id": s.id, "key": source_key(s.id), "title": s.title, "publisher": s.publisher,
                    "edition": s.edition, "citation": s.citation, "license": s.license, "url": s.url,
                    "files": [_file_data(f, words) for f in s.files], "used": used})
    return out


def _front_data(edition: Edition, words: Words) -> dict:
    """The imprint's fields for the template (the citation and notes are set by pandoc: front.typ, citation.typ)."""
    fm = edition.front
    return {"official": fm.official, "notice": words.text(fm.notice), "copyright": words.text(fm.copyright),
            "licence": words.text(fm.licence),
            "disclaimer": [words.text(" ".join(p.split())) for p in fm.disclaimer.split("\n\n") if p.strip()],
            "identifiers": [list(i) for i in fm.identifiers], "acronyms": [list(a) for a in fm.acronyms]}


def front_markdown(edition: Edition, cites: citations.Formatted, words: Words = Words()) -> str:
    """Editorial notes, then acronyms and glossary (with the references of the definitions), as pandoc Markdown."""
    fm = edition.front   # in another language's book, as localize.edition_in translated it
    out = []
    for note in fm.notes:
        out += [f"# {esc(note.title)} {{.unnumbered}}", "", note.markdown, ""]
    out += [f"# {esc(words('Acronyms and glossary'))} {{.unnumbered #front:glossary}}", "",
            f"## {esc(words('Acronyms'))} {{.unnumbered}}", "",
            "```{=typst}", "#wmr-acronyms()", "```", "", f"## {esc(words('Glossary'))} {{.unnumbered}}", ""]
    for t in fm.glossary:
        cite = f" [{cites.clusters[t.cite]}](#{_key('ref:front:' + t.cite[0])})" if t.cite else ""
        out += [f"**{esc(t.term)}**", f":   {esc(t.definition)}{cite}", ""]
    cited = {k for t in fm.glossary for k in t.cite}
    entries = [(k, e) for k, e in cites.entries.items() if k in cited]
    if entries:
        out += [f"## {esc(words('References'))} {{.unnumbered}}", "", "```{=typst}", "#wmr-references[", "```", ""]
        for key, entry in entries:
            out += [f"::: {{#{_key('ref:front:' + key)}}}", entry, ":::", ""]
        out += ["```{=typst}", "]", "```", ""]
    return "\n".join(out)


def book_data(edition: Edition, docs: list[ChapterDoc], release_date: dt.date,
              incomplete: list[str] | tuple[str, ...] = (), words: Words = Words()) -> dict:
    """Everything the template draws from data: edition metadata, figures and tables by label, sources; `words`:
    the book's language and its fixed words (English, the edition's `language`, by default)."""
    lang, _, region = edition.language.partition("-") if words.lang == locales.SOURCE else (words.lang, "", "")
    extra = {} if words.lang == locales.SOURCE else {"words": words.table(), "fonts": list(locales.book_fonts(lang)),
                                                     "dir": locales.direction(lang)}
    return {
        "edition": {"id": edition.id, "title": words.text(edition.title), "subtitle": words.text(edition.subtitle),
                    "publisher": edition.publisher, "lang": lang, "region": region or None,
                    "date": {"year": release_date.year, "month": release_date.month, "day": release_date.day},
                    "published": words.date(release_date), "front": _front_data(edition, words)} | extra,
        "blocks": {block_key(d, b): _block_data(d, b) for d in docs for b in d.blocks if isinstance(b, (Figure, Table))},
        "sources": _sources_data(edition, docs, words),
        "incomplete": list(incomplete),  # chapters that failed: the cover says the edition is incomplete
    }


def _write_typst(target: Path, markdown: str) -> None:
    """Convert pandoc Markdown to a Typst file that can use the template's functions."""
    body = pypandoc.convert_text(markdown, "typst", format="markdown", extra_args=["--wrap=preserve"])
    target.write_text(f'#import "{LIBRARY}": *\n\n{body}', encoding="utf-8")


def _write_inputs(edition: Edition, docs: list[ChapterDoc], workdir: Path, release_date: dt.date,
                  incomplete: list[str], words: Words = Words()) -> Path:
    """Write the Typst sources, book.json and the figures into `workdir`; returns the main file."""
    for doc in docs:
        dest = workdir / FIG_ROOT / doc.slug
        dest.mkdir(parents=True, exist_ok=True)
        for fig in doc.figures:
            shutil.copy2(doc.figures_dir / _figure_svg(fig), dest / _figure_svg(fig))
    data = book_data(edition, docs, release_date, incomplete, words)
    (workdir / DATA).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    glossary_clusters = [t.cite for t in edition.front.glossary if t.cite]
    cites = citations.format_citations([c for d in docs for c in d.cite_clusters()] + glossary_clusters, "markdown",
                                       words.lang)
    md = "\n\n".join(chapter_markdown(d, cites, words) for d in docs)
    (workdir / "body.md").write_text(md, encoding="utf-8")
    _write_typst(workdir / BODY, md)
    _write_typst(workdir / "front.typ", front_markdown(edition, cites, words))
    _write_typst(workdir / "citation.typ", frontmatter.suggested_citation(edition, release_date, "markdown"))
    for name in (MAIN, LIBRARY):
        shutil.copyfile(TEMPLATES / name, workdir / name)
    return workdir / MAIN


def _compile(compiler, edition: Edition, workdir: Path, stamp: int, sys_inputs: dict[str, str], what: str) -> bytes:
    """Compile with `compiler`; Typst's errors and warnings become an AssemblyError (sources kept)."""
    try:
        pdf, warnings = compiler.compile_with_warnings(format="pdf", pdf_standards=PDF_STANDARDS, timestamp=stamp,
                                                       sys_inputs=sys_inputs)
    except Exception as exc:  # typst raises its own error type with the compiler's diagnostics
        raise AssemblyError(f"Typst could not compile {what}.", expected="a valid PDF/UA-1 Typst document",
                            got=_first_errors(getattr(exc, "diagnostic", "") or str(exc)),
                            fix=f"inspect the files in {_keep(workdir, edition)} at the positions given") from None
    if warnings:  # e.g. an unknown font, or a layout that did not settle (page numbers could be wrong)
        raise AssemblyError(f"Typst compiled {what} with warnings.", expected="no warnings",
                            got="; ".join(dict.fromkeys(w.message for w in warnings)),
                            fix=f"inspect the files in {_keep(workdir, edition)}; fix the template or the data it names")
    return pdf


def _write_chapter_inputs(edition: Edition, doc: ChapterDoc, workdir: Path, release_date: dt.date,
                          first_page: int, cites: citations.Formatted, words: Words = Words()) -> dict[str, str]:
    """A chapter's own data file and body (its blocks, the sources it uses); returns the Typst sys.inputs."""
    data = book_data(edition, [doc], release_date, words=words)
    data["edition"] |= {"document-title": words("%(title)s, Chapter %(number)s: %(chapter)s",
                                                title=data["edition"]["title"], number=doc.number, chapter=doc.title),
                        "first-page": first_page}
    data["sources"] = [s for s in data["sources"] if s["used"]]
    name = f"chapter-{doc.number:02d}"
    (workdir / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    _write_typst(workdir / f"{name}.typ", chapter_markdown(doc, cites, words))
    return {"chapter": str(doc.number), "data": f"{name}.json", "body": f"{name}.typ"}


def compile_book(compiler, edition: Edition, workdir: Path, stamp: int) -> tuple[bytes, dict[str, str]]:
    """The book's PDF and the layout choices it was made with (Typst inputs 'split', 'tails' and 'tops', see
    tables_to_split, tables_after_the_text, lone_source_lines and blocks_after_the_references): laid out again while
    the layout asks for more. Choices are only ever added, so this settles
    (usually after two or three layouts)."""
    chosen: dict[str, set[str]] = {"split": set(), "tails": set(), "tops": set()}
    while True:
        inputs = {k: json.dumps(sorted(v)) for k, v in chosen.items()}
        pdf = _compile(compiler, edition, workdir, stamp, inputs, "the PDF edition")
        query = {name: json.loads(compiler.query(f"<{name}>", field="value")) for name in LAYOUT}
        more = {"split": tables_to_split(query["wmr-flow"]) | tables_after_the_text(
                    query["wmr-block-page"], query[TEXT_END], query["wmr-source-line"]),
                "tails": lone_source_lines(query["wmr-table-end"], query["wmr-source-line"]),
                "tops": blocks_after_the_references(query["wmr-block-page"], query[REFERENCES_START])}
        if all(more[k] <= chosen[k] for k in chosen):
            return pdf, inputs
        for k in chosen:
            chosen[k] |= more[k]


def lone_source_lines(ends: list[dict], sources: list[dict]) -> set[str]:
    """Tables whose source line is printed on a later page than their last row (`ends`, `sources`: key, page)."""
    last_row = {m["key"]: m["page"] for m in ends}
    return {m["key"] for m in sources if m["key"] in last_row and m["page"] != last_row[m["key"]]}


def build_pdf(edition: Edition, docs: list[ChapterDoc], workdir: Path, target: Path, release_date: dt.date,
              incomplete: list[str] | tuple[str, ...] = (), words: Words = Words(), chapters: bool = True) -> int:
    """Write the book to `target` and, with `chapters`, each chapter's own PDF to `target`'s chapters/ folder (via
    `workdir`); returns the number of pages of the book. `incomplete`: failed chapters; `words`: the book's
    language (its documents `docs` are that language's, see localize)."""
    main = _write_inputs(edition, docs, workdir, release_date, list(incomplete), words)
    stamp = int(dt.datetime.combine(release_date, dt.time(12), tzinfo=dt.timezone.utc).timestamp())
    compiler = typst.Compiler(str(main), root=str(workdir), font_paths=font_paths(), ignore_system_fonts=True)
    pdf, layout = compile_book(compiler, edition, workdir, stamp)
    if not chapters:
        paths.atomic_write_bytes(target, pdf)
        return page_count(pdf)
    starts = {m["slug"]: m["page"] for m in json.loads(compiler.query(f"<{CHAPTER_START}>", field="value"))}
    cites = citations.format_citations([c for d in docs for c in d.cite_clusters()], "markdown")
    compilers = threading.local()   # a compiler per thread; pandoc and Typst release the GIL

    def chapter_pdf(doc: ChapterDoc) -> bytes:
        if not hasattr(compilers, "one"):
            compilers.one = typst.Compiler(str(main), root=str(workdir), font_paths=font_paths(),
                                           ignore_system_fonts=True)
        inputs = _write_chapter_inputs(edition, doc, workdir, release_date, starts[doc.slug], cites, words)
        inputs |= layout   # its pages as in the book
        return _compile(compilers.one, edition, workdir, stamp, inputs, f"the PDF of chapter {doc.number} ({doc.slug})")

    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:   # the chapters two at a time
        chapters = dict(zip([chapter_pdf_name(edition, d) for d in docs], pool.map(chapter_pdf, docs)))
    paths.atomic_write_bytes(target, pdf)
    folder = target.parent / "chapters"
    folder.mkdir(exist_ok=True)
    for name, chapter_pdf in chapters.items():
        paths.atomic_write_bytes(folder / name, chapter_pdf)
    return page_count(pdf)


SPLIT_HEIGHT = 0.7   # a table filling at least this share of a page's text area may be split over two pages ...
SPLIT_LEFT = 0.3     # ... where it is called, when at least this share of the page is left there and it does not fit


def tables_to_split(blocks: list[dict]) -> set[str]:
    """The tables to set where they are called, continued on the next page, rather than floated: big ones that do
    not fit the space left on their page, where that space is large. Floated, each would leave that space empty
    (the text before it has run out: the chapter's other figures are waiting to be placed too).

    `blocks`: the template's report of each block (<wmr-flow>): key, kind, its height, the space left on the page
    where it is called and the page's text height, in points.
    """
    return {b["key"] for b in blocks if b["kind"] == "table" and b["height"] >= SPLIT_HEIGHT * b["full"]
            and b["height"] > b["left"] >= SPLIT_LEFT * b["full"]}


def tables_after_the_text(blocks: list[dict], text_ends: list[dict], source_lines: list[dict]) -> set[str]:
    """The tables to set where they are called rather than floated because, floated, they land after their
    chapter's text has ended, beneath a page left more than MAX_EMPTY empty: after the text only the other
    waiting figures can share a page, and a table that does not fit beside them leaves their page part empty.
    Set where it is called, it continues on the next page instead (header repeated), filling that space.

    `blocks`: where each figure or table is printed (<wmr-block-page>: key, whether a table, page); `text_ends`:
    where each chapter's text ends (<wmr-text-end>: slug, page, y, and the text area's bottom and height);
    `source_lines`: where each block's source line, its last line, is printed (<wmr-source-line>: key, page, y).
    """
    end = {m["slug"]: m for m in text_ends}
    lowest: dict[int, float] = {m["page"]: m["y"] for m in text_ends}
    for m in source_lines:
        lowest[m["page"]] = max(lowest.get(m["page"], 0.0), m["y"])
    out = set()
    for b in blocks:
        e = end[b["key"].split(":")[1]]
        before = b["page"] - 1
        if b["table"] and b["page"] > e["page"] and before in lowest \
                and e["bottom"] - lowest[before] > MAX_EMPTY * e["full"]:
            out.add(b["key"])
    return out


MAX_EMPTY = 0.4   # the share of a page's text area a page (not a chapter's last) may leave empty at its foot


def blocks_after_the_references(blocks: list[dict], starts: list[dict]) -> set[str]:
    """The figures and tables to float to the top of a page only: floated to the bottom of the page where their
    chapter's reference list starts, they were printed beneath it (the list flows on above a bottom float), while
    a chapter's figures and tables come before its references. At the top they are placed above it.

    `blocks`: where each figure or table is printed (<wmr-block-page>: key, page, y); `starts`: where each
    chapter's reference list starts (<wmr-references-start>: slug, page, y), in points from the page's top.
    """
    start = {m["slug"]: (m["page"], m["y"]) for m in starts}
    return {b["key"] for b in blocks if (slug := b["key"].split(":")[1]) in start
            and (b["page"], b["y"]) > start[slug]}


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
