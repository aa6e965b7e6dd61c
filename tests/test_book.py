"""The PDF edition as a book: outline, cover, contents, lists, headers, captions, links, fonts, metadata, appendix.

Expected values come from the inputs (edition configs, notebooks, the pin manifest) or from the HTML edition
(figure and table numbers, section titles), never from the PDF code. Rendered pages are written to
build/test-artefacts/pdf/<edition>/ for a person to look at.
"""
from __future__ import annotations

import calendar
import ctypes
import json
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from .conftest import ROOT, make_project, run_build

EDITIONS = sorted(p.stem for p in (ROOT / "editions").glob("*.toml"))
ARTEFACTS = ROOT / "build" / "test-artefacts" / "pdf"
CM = 72 / 2.54                       # PDF points per centimetre
A4 = (21.0 * CM, 29.7 * CM)
MIN_MARGIN = 2.0 * CM                # text keeps at least this far from the page edges
HEADER_BAND, FOOTER_BAND = 2.2 * CM, 2.0 * CM
BOLD = 600                           # font weight of caption labels ('Figure 2.1' set bold)
LABEL_RE = re.compile(r"(?:^|\n)((?:Figure|Table) \d+\.\d+)")


def config(edition: str) -> dict:
    return tomllib.loads((ROOT / "editions" / f"{edition}.toml").read_text(encoding="utf-8"))


def chapter_titles(edition: str) -> list[str]:
    """Each chapter's title: the level-1 heading of its notebook, in the edition's order."""
    titles = []
    for ch in config(edition)["chapters"]:
        text = (ROOT / ch["notebook"]).read_text(encoding="utf-8")
        titles.append(re.search(r"^# (.+?)\s*$", text, re.M).group(1))
    return titles


def squash(text: str) -> str:
    """Text without any whitespace (line breaks may fall anywhere, also after a hyphen).

    pdfium reports a hyphen ending a line as U+FFFE (it assumes hyphenation); the book never hyphenates words,
    so it is the text's own hyphen.
    """
    return re.sub(r"[\s\u200b\ufeff]+", "", text.replace("\ufffe", "-"))


def html_pages(html_dir: Path, slug: str) -> list[str]:
    """A chapter's pages in the HTML edition in reading order: its page, then its run pages (listed on it)."""
    page = (html_dir / f"{slug}.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="run-pages".*?</nav>', page, re.S)
    runs = re.findall(r'href="([^"#]+\.html)"', nav.group(0)) if nav else []
    return [page] + [(html_dir / name).read_text(encoding="utf-8") for name in runs]


def html_labels(html_dir: Path, slugs: list[str], kind: str) -> list[str]:
    """'Figure 2.1', ... of the HTML edition, in chapter order (kind: 'figure' or 'table')."""
    out = []
    for slug in slugs:
        for page in html_pages(html_dir, slug):
            for block in page.split(f'<figure class="wmr-{kind}"')[1:]:
                out.append(re.search(r'class="label" href="#[^"]+">((?:Figure|Table) [\d.]+)<', block).group(1))
    return out


def _text(fragment: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", fragment)).rstrip("#").strip()


def html_sections(html_dir: Path, slug: str) -> list[str]:
    """The sections of a chapter in the HTML edition: the h2 titles of its page (without its 'Numbers' and reference lists), or,
    for a chapter with a page per run, the titles of those pages."""
    pages = html_pages(html_dir, slug)
    if len(pages) > 1:
        return [_text(re.search(r'<h1 id="top">(.*?)</h1>', p, re.S).group(1)) for p in pages[1:]]
    return [_text(m.group(2)) for m in re.finditer(r'<h2 id="([^"]+)">(.*?)</h2>', pages[0], re.S)
            if m.group(1) not in ("numbers", "references")]


@dataclass
class Book:
    edition: str
    path: Path
    doc: pdfium.PdfDocument
    texts: list[str]
    toc: list[tuple[int, str, int]]               # (level, title, page index)
    html: Path
    slugs: list[str]
    titles: list[str]
    captions: dict[str, int] = field(default_factory=dict)   # 'Figure 2.1' -> page index of its caption

    def page_of(self, title: str) -> int:
        return next(page for level, t, page in self.toc if level == 0 and t == title)

    @property
    def chapter_pages(self) -> list[int]:
        return [self.page_of(f"{n} {t}") for n, t in enumerate(self.titles, start=1)]

    @property
    def appendix(self) -> int:
        return self.page_of("Data sources")

    def band(self, index: int, bottom: float, top: float) -> str:
        page = self.doc[index]
        return page.get_textpage().get_text_bounded(0, bottom, page.get_width(), top)

    def body(self, index: int) -> str:
        """The text between the running header and the footer."""
        return self.band(index, FOOTER_BAND, self.doc[index].get_height() - HEADER_BAND)

    def footer(self, index: int) -> str:
        return self.band(index, 0, FOOTER_BAND).strip()

    def header(self, index: int) -> str:
        height = self.doc[index].get_height()
        return self.band(index, height - HEADER_BAND, height).strip()


def _captions(doc: pdfium.PdfDocument, texts: list[str], pages: range) -> dict[str, int]:
    """Caption labels: 'Figure N.M' / 'Table N.M' starting a line in bold, on the given pages."""
    found: dict[str, list[int]] = {}
    for i in pages:
        tp = doc[i].get_textpage()
        for m in LABEL_RE.finditer(texts[i]):
            if pdfium_c.FPDFText_GetFontWeight(tp.raw, m.start(1)) >= BOLD:
                found.setdefault(m.group(1), []).append(i)
    duplicates = {k: v for k, v in found.items() if len(v) > 1}
    assert duplicates == {}, f"caption labels printed more than once: {duplicates}"
    return {k: v[0] for k, v in found.items()}


@pytest.fixture(scope="module", params=EDITIONS)
def book(request, built) -> Book:
    edition = request.param
    path = built / "report" / edition / f"{edition}.pdf"
    assert path.is_file(), f"{path} missing: test_book must run on the session build before tests that rebuild"
    doc = pdfium.PdfDocument(str(path))
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]  # indices are character indices
    toc = [(item.level, item.get_title(), item.get_dest().get_index()) for item in doc.get_toc()]
    slugs = [c["slug"] for c in config(edition)["chapters"]]
    b = Book(edition, path, doc, texts, toc, built / "report" / edition / "html", slugs, chapter_titles(edition))
    b.captions = _captions(doc, texts, range(b.chapter_pages[0], b.appendix))
    yield b
    doc.close()


def test_outline_has_every_chapter_section_list_and_source(book):
    top = [t for level, t, _ in book.toc if level == 0]
    chapters = [f"{n} {t}" for n, t in enumerate(book.titles, start=1)]
    notes = [n["title"] for n in config(book.edition)["front_matter"]["notes"]]
    assert top == ["Contents", "List of figures", "List of tables", *notes, "Acronyms and glossary", *chapters,
                   "Data sources"]
    for n, (slug, title) in enumerate(zip(book.slugs, chapters), start=1):
        start = next(i for i, (level, t, _) in enumerate(book.toc) if level == 0 and t == title)
        children = []
        for level, t, _ in book.toc[start + 1:]:
            if level == 0:
                break
            if level == 1:
                children.append(t)
        want = [f"{n}.{k} {s}" for k, s in enumerate(html_sections(book.html, slug), start=1)]
        assert children == [*want, "References"], slug   # the reference list ends the chapter, unnumbered
    manifest = {s["id"]: s for s in json.loads((ROOT / "data" / "manifest.json").read_text())["sources"]}
    appendix = [t for level, t, page in book.toc if level == 1 and page >= book.appendix]
    assert appendix == [manifest[sid]["title"] for sid in config(book.edition)["sources"]]


def test_metadata_comes_from_the_edition_config(book):
    cfg = config(book.edition)
    meta = book.doc.get_metadata_dict()
    assert meta["Title"] == cfg["title"]
    assert meta["Author"] == cfg["publisher"]
    assert meta["CreationDate"].startswith("D:" + cfg["release_date"].strftime("%Y%m%d"))
    size = pdfium_c.FPDFCatalog_GetLanguage(book.doc.raw, None, 0)
    buf = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFCatalog_GetLanguage(book.doc.raw, buf, size)
    assert bytes(buf).decode("utf-16-le").rstrip("\x00") == cfg["language"]


def test_cover_shows_title_subtitle_edition_and_publication_date(book):
    cfg = config(book.edition)
    date = cfg["release_date"]
    cover = squash(book.texts[0])
    for want in (cfg["title"], cfg["subtitle"], cfg["publisher"], book.edition,
                 f"{date.day} {calendar.month_name[date.month]} {date.year}"):
        assert squash(want) in cover, want
    assert book.header(0) == "" and book.footer(0) == ""


def test_pages_are_a4_and_text_stays_inside_the_margins(book):
    outside = []
    for i in range(len(book.doc)):
        page = book.doc[i]
        width, height = page.get_size()
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, (i, width, height)
        tp = page.get_textpage()
        for r in range(tp.count_rects()):
            left, bottom, right, top = tp.get_rect(r)
            if left < MIN_MARGIN or right > width - MIN_MARGIN or bottom < MIN_MARGIN / 2 or top > height - MIN_MARGIN / 2:
                outside.append((i + 1, round(left), round(right), tp.get_text_bounded(left, bottom, right, top)[:40]))
    assert outside == []


def test_contents_page_numbers_match_the_chapter_pages(book):
    start, end = book.page_of("Contents"), book.page_of("List of figures")
    contents = " ".join(re.sub(r"( ?\.){3,}", " … ", book.texts[i]) for i in range(start, end))
    contents = " ".join(contents.split())
    numbers = [book.footer(i) for i in book.chapter_pages]
    assert numbers[0] == "1"
    for n, (title, page, number) in enumerate(zip(book.titles, book.chapter_pages, numbers), start=1):
        m = re.search(re.escape(f"{n} {title}") + r" … (\d+)", contents)
        assert m and m.group(1) == number, (title, number)
    # page numbers run on without gaps: roman in the front matter, arabic from chapter 1
    arabic = [book.footer(i) for i in range(book.chapter_pages[0], len(book.doc))]
    assert arabic == [str(k) for k in range(1, len(arabic) + 1)]
    assert book.footer(1) == ""   # the imprint, on the back of the cover
    front = [book.footer(i) for i in range(2, book.chapter_pages[0])]
    assert front[:3] == ["i", "ii", "iii"][:len(front)]


def test_chapters_open_on_a_new_page_with_number_and_title_and_no_header(book):
    for n, (title, page) in enumerate(zip(book.titles, book.chapter_pages), start=1):
        assert squash(book.texts[page]).startswith(squash(f"Chapter {n} {title}")), (n, book.texts[page][:80])
        assert book.header(page) == ""


def test_running_headers_name_the_chapter(book):
    cfg = config(book.edition)
    bounds = [*book.chapter_pages, book.appendix]
    checked = 0
    for n, title in enumerate(book.titles, start=1):
        for page in range(bounds[n - 1] + 1, bounds[n]):
            assert squash(book.header(page)) == squash(f"{n} {title} {cfg['title']}"), (page, book.header(page))
            checked += 1
    assert checked >= len(book.titles)


def test_figure_and_table_numbers_match_the_html_edition(book):
    for kind, word in (("figure", "Figure"), ("table", "Table")):
        html = html_labels(book.html, book.slugs, kind)
        pdf = sorted((k for k in book.captions if k.startswith(word)), key=lambda k: book.captions[k])
        assert len(pdf) == len(html), kind
        assert sorted(pdf) == sorted(html), kind
    assert html_labels(book.html, book.slugs, "figure"), "the HTML edition has no figures to compare with"


def test_lists_of_figures_and_tables_give_each_caption_its_page(book):
    for title, kind, word in (("List of figures", "figure", "Figure"), ("List of tables", "table", "Table")):
        start = book.page_of(title)
        end = min(p for level, t, p in book.toc if level == 0 and p > start)
        listing = "\n".join(book.body(i) for i in range(start, end))
        # each entry runs from its label to the next one and ends with its page number
        parts = re.split(rf"(?:^|\n)({word} \d+\.\d+)\b", listing)
        entries = {label: entry.split()[-1] for label, entry in zip(parts[1::2], parts[2::2])}
        want = {label: book.footer(book.captions[label]) for label in html_labels(book.html, book.slugs, kind)}
        assert entries == want, kind


SOURCE_RE = re.compile(r"Sources?:")


def test_captions_are_above_and_source_lines_beneath(book):
    """Number and title above each figure and table, its source line beneath: on the same page, or, for a table
    that continues on the next page (its header row repeated at the top), beneath the table's last rows."""
    for label, page in book.captions.items():
        text = book.texts[page]
        tp = book.doc[page].get_textpage()
        # the caption is the bold label; prose may also start a line with 'Table 9.2 brings ...'
        caption = next(m for m in re.finditer(rf"(?:^|\n)({re.escape(label)})\b", text)
                       if pdfium_c.FPDFText_GetFontWeight(tp.raw, m.start(1)) >= BOLD)
        following = LABEL_RE.search(text, caption.end(1))
        source = SOURCE_RE.search(text, caption.end(1), following.start(1) if following else len(text))
        if source:
            assert tp.get_charbox(source.start())[3] < tp.get_charbox(caption.start(1))[1], label  # below the caption
            continue
        assert label.startswith("Table"), (label, page)   # a figure is never split from its source line
        # its header row: the first bold line after the caption's title line
        starts = [caption.end(1) + m.start() + 1 for m in re.finditer(r"\n(?=\S)", text[caption.end(1):])]
        header = next(" ".join(text[i:].split("\n", 1)[0].split()) for i in starts[1:]
                      if pdfium_c.FPDFText_GetFontWeight(tp.raw, i) >= BOLD)
        end = page + 1
        while True:
            nxt = book.texts[end]
            lines = [" ".join(line.split()) for line in nxt.splitlines()]
            assert header in lines, (label, end + 1, header)   # the header row repeated on the continuation page
            following = LABEL_RE.search(nxt)
            source = SOURCE_RE.search(nxt, 0, following.start(1) if following else len(nxt))
            if source:
                break
            end += 1
            assert end - page < 3, (label, "no source line on the three pages the table spans")


def _link_target(doc: pdfium.PdfDocument, link) -> tuple[int | None, str | None]:
    """(destination page index, URI) of a link annotation."""
    dest = pdfium_c.FPDFLink_GetDest(doc.raw, link)
    action = pdfium_c.FPDFLink_GetAction(link)
    if not dest and action and pdfium_c.FPDFAction_GetType(action) == pdfium_c.PDFACTION_GOTO:
        dest = pdfium_c.FPDFAction_GetDest(doc.raw, action)
    if dest:
        return pdfium_c.FPDFDest_GetDestPageIndex(doc.raw, dest), None
    if action and pdfium_c.FPDFAction_GetType(action) == pdfium_c.PDFACTION_URI:
        size = pdfium_c.FPDFAction_GetURIPath(doc.raw, action, None, 0)
        buf = ctypes.create_string_buffer(size)
        pdfium_c.FPDFAction_GetURIPath(doc.raw, action, buf, size)
        return None, buf.value.decode()
    return None, None


def _link_targets_at(doc: pdfium.PdfDocument, page, x: float, y: float) -> list[int | None]:
    """Target pages of the links whose quadrilaterals hold the point: a link wrapping over two lines (a long
    citation) has a bounding rectangle over both lines, so the rectangle alone can claim a neighbour's text."""
    targets, pos, link = [], ctypes.c_int(0), pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(pos), ctypes.byref(link)):
        quads = [pdfium_c.FS_QUADPOINTSF() for _ in range(pdfium_c.FPDFLink_CountQuadPoints(link))]
        for i, q in enumerate(quads):
            pdfium_c.FPDFLink_GetQuadPoints(link, i, q)
        boxes = [(min(q.x1, q.x2, q.x3, q.x4), min(q.y1, q.y2, q.y3, q.y4), max(q.x1, q.x2, q.x3, q.x4),
                  max(q.y1, q.y2, q.y3, q.y4)) for q in quads]
        if not boxes:
            r = pdfium_c.FS_RECTF()
            pdfium_c.FPDFLink_GetAnnotRect(link, r)
            boxes = [(r.left, r.bottom, r.right, r.top)]
        if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in boxes):
            targets.append(_link_target(doc, link)[0])
    return targets


def test_cross_references_link_to_their_figures_and_tables(book):
    checked = 0
    for page in range(book.chapter_pages[0], book.appendix):
        p = book.doc[page]
        tp = p.get_textpage()
        for m in re.finditer(r"(?:Figure|Table) \d+\.\d+", book.texts[page]):
            if m.group(0) not in book.captions or pdfium_c.FPDFText_GetFontWeight(tp.raw, m.start()) >= BOLD:
                continue  # a caption label, or a label of another chapter's text
            left, bottom, right, top = tp.get_charbox(m.start() + 2)
            targets = _link_targets_at(book.doc, p, (left + right) / 2, (bottom + top) / 2)
            assert targets, (page, m.group(0))
            assert book.captions[m.group(0)] in targets, (page, m.group(0), targets)
            checked += 1
    assert checked >= len(book.captions) // 2


def test_source_urls_and_repositories_are_clickable(book):
    uris = set()
    for page in range(len(book.doc)):
        p = book.doc[page]
        pos, link = ctypes.c_int(0), pdfium_c.FPDF_LINK()
        while pdfium_c.FPDFLink_Enumerate(p.raw, ctypes.byref(pos), ctypes.byref(link)):
            uris.add(_link_target(book.doc, link)[1])
    manifest = {s["id"]: s for s in json.loads((ROOT / "data" / "manifest.json").read_text())["sources"]}
    for sid in config(book.edition)["sources"]:
        s = manifest[sid]
        if s["url"]:
            assert s["url"] in uris, s["url"]
        for f in s["files"]:
            if f.get("download_url"):
                assert f["download_url"] in uris, f["download_url"]
                rf = f["retrieved_from"]
                assert any(u and u.startswith(f"https://github.com/{rf['repo']}/blob/{rf['commit']}/") for u in uris), rf


def test_data_sources_appendix_has_citation_licence_and_checksum_of_every_pin(book):
    appendix = squash(" ".join(book.texts[book.appendix:]))
    manifest = {s["id"]: s for s in json.loads((ROOT / "data" / "manifest.json").read_text())["sources"]}
    for sid in config(book.edition)["sources"]:
        s = manifest[sid]
        for want in (s["title"], s["citation"], s["license"], *(f["sha256"] for f in s["files"])):
            assert squash(want) in appendix, (sid, want[:60])


def test_data_sources_headings_are_kept_with_their_first_fields(book):
    """No source's heading is left at the foot of a page: its id, publisher, edition and citation follow it there."""
    alone = []
    for level, title, page in book.toc:
        if level == 1 and page >= book.appendix:
            text = squash(book.texts[page])
            after = text[text.find(squash(title)) + len(squash(title)):]
            if not all(field in after for field in ("Sourceid", "Publisher", "Edition", "Citation")):
                alone.append((page + 1, title))
    assert alone == []


def test_text_has_chapter_titles_and_key_fact_displays(book):
    text = squash(" ".join(book.texts))
    for title in book.titles:
        assert squash(title) in text
    facts = json.loads((book.path.parent / "facts.json").read_text(encoding="utf-8"))
    overview = {k: f["display"] for k, f in facts.items() if k.startswith("overview.")}
    assert len(overview) >= 14
    chapter_one = squash(" ".join(book.texts[book.chapter_pages[0]:book.chapter_pages[1]]))
    assert [k for k, d in overview.items() if squash(d) not in chapter_one] == []


def font_name(obj) -> str:
    """The base name of the font a PDF text object (pypdfium2) is set in, without the subset prefix."""
    font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    buf = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, buf, size)
    return buf.value.decode().split("+")[-1]


def test_fonts_are_bundled_with_typst_and_charts_are_vector(book):
    # Typst's bundled fonts, and DejaVu Sans of the charts' text (from the pinned matplotlib, see book.chart_fonts)
    bundled = ("LibertinusSerif", "NewCM", "NewComputerModern", "DejaVuSansMono", "DejaVuSans")
    fonts, images = set(), 0
    for page in range(len(book.doc)):
        for obj in book.doc[page].get_objects(max_depth=15):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                fonts.add(font_name(obj))
            elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += 1
    assert fonts and all(f.startswith(bundled) for f in fonts), fonts
    # figures are embedded from their SVG files: vector paths; raster only where the SVG itself holds an image
    svgs = list((book.path.parents[2] / "figures" / book.edition).rglob("*.svg"))
    raster = sum(svg.read_text(encoding="utf-8").count("<image") for svg in svgs)
    assert images <= raster
    for label, page in book.captions.items():
        if label.startswith("Figure"):
            paths = [o for o in book.doc[page].get_objects(max_depth=15) if o.type == pdfium_c.FPDF_PAGEOBJ_PATH]
            assert len(paths) >= 5, label   # lines, bars, axes (the chart's text is text, not outlines)


def test_cover_contents_lists_and_chapter_openings_render(book):
    """Render the pages a reader sees first to PNG (for a person to look at) and check they are not blank."""
    folder = ARTEFACTS / book.edition
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pages = {"00-cover": 0, "01-contents": book.page_of("Contents"), "02-list-of-figures": book.page_of("List of figures"),
             "03-list-of-tables": book.page_of("List of tables"), "99-data-sources": book.appendix}
    pages |= {f"{10 + n}-chapter-{slug}": p for n, (slug, p) in enumerate(zip(book.slugs, book.chapter_pages), start=1)}
    for name, index in pages.items():
        image = book.doc[index].render(scale=100 / 72).to_pil()
        image.save(folder / f"{name}.png")
        grey = image.convert("L")
        inked = sum(grey.histogram()[:200]) / (grey.width * grey.height)
        assert inked > 0.005, (name, inked)


def test_two_assemblies_give_identical_bytes(built, monkeypatch, tmp_path):
    """The book is a function of its inputs: assembling again (here, in this process, into another folder) gives
    the bytes the build published (the first assembly, in the build's process). One edition: the other's
    book is the same code on other inputs, and each assembly takes half a minute."""
    from wmr.build import book as pdf_book
    from wmr.build import document, editions

    monkeypatch.setenv("WMR_PROJECT_ROOT", str(built))
    for edition in ["wmr-2026"]:
        ed = editions.load(edition)
        docs = [document.load_chapter(ed, c) for c in ed.chapters]
        work = tmp_path / edition
        (work / "typst").mkdir(parents=True)
        pdf_book.build_pdf(ed, docs, work / "typst", work / "book.pdf", editions.release_date(edition))
        chapters = {p.name: p.read_bytes() for p in sorted((work / "chapters").glob("*.pdf"))}
        published = (built / "report" / edition / f"{edition}.pdf").read_bytes()
        assert (work / "book.pdf").read_bytes() == published, edition
        published_chapters = {p.name: p.read_bytes() for p in (built / "report" / edition / "chapters").glob("*.pdf")}
        assert len(chapters) == len(ed.chapters) and chapters == published_chapters, edition


@pytest.mark.parametrize("line, problem", [("", "no language key"), ('language = "English"\n', "'English'")])
def test_missing_or_invalid_language_is_a_clear_error(tmp_path, line, problem):
    project = make_project(tmp_path / "project")
    cfg = project / "editions" / "wmr-2026.toml"
    cfg.write_text(re.sub(r"(?m)^language = .*\n", line, cfg.read_text(encoding="utf-8")), encoding="utf-8")
    proc = run_build(project, "--edition", "wmr-2026")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "language" in proc.stderr and problem in proc.stderr and "fix:" in proc.stderr
    assert not (project / "chapters").exists()


def _struct_elements(pdf) -> list:
    """Every element of a PDF's structure tree (pikepdf dictionaries with /S), depth first."""
    import pikepdf

    out, stack = [], [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            out.append(node)
            if "/K" in node:
                stack.append(node.K)
    return out


def _chapter_pdfs(book) -> list[Path]:
    return [book.path.parent / "chapters" / f"{book.edition}-{n:02d}-{slug}.pdf"
            for n, slug in enumerate(book.slugs, start=1)]


def test_pdf_is_tagged_pdf_ua_with_language_and_alt_text_on_every_figure(book):
    """PDF/UA-1 as Typst writes it: identification, marked content, language, title shown, a structure tree in
    which every figure carries the alt text its notebook gave it (the same count as the HTML edition's figures)."""
    import pikepdf

    for path in [book.path, *_chapter_pdfs(book)]:
        with pikepdf.open(path) as pdf:
            assert str(pdf.open_metadata().get("pdfuaid:part")) == "1", path.name
            assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == config(book.edition)["language"]
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            elements = _struct_elements(pdf)
            kinds = {str(e.S) for e in elements}
            assert {"/Document", "/H1", "/P", "/Link"} <= kinds, (path.name, kinds)
            figures = [e for e in elements if str(e.S) == "/Figure" and "/Alt" in e]
            if path == book.path:
                assert {"/TOC", "/TOCI", "/Figure", "/Table", "/TH", "/Caption"} <= kinds, kinds
                # the same alt texts as the chapters' figures in the HTML edition: a chapter's page and its run pages
                # (a page per region), not the profile pages (their figures are in the profiles PDF)
                html_alts = [unescape(a) for slug in book.slugs for page in html_pages(book.html, slug)
                             for a in re.findall(r'<img [^>]*alt="([^"]*)"', page)]
                assert len(html_alts) == len(book.captions) - len([k for k in book.captions if k.startswith("Table")])
                assert sorted(str(f.Alt) for f in figures) == sorted(html_alts)
            assert all(str(f.Alt).strip() for f in figures)


def test_each_chapter_is_its_own_pdf_numbered_as_in_the_book(book):
    """chapters/<edition>-NN-<slug>.pdf: the chapter's pages with the book's page numbers, the same figure
    numbers and its reference list and data sources; written again byte for byte (see the assembly test)."""
    for n, (path, title, first) in enumerate(zip(_chapter_pdfs(book), book.titles, book.chapter_pages), start=1):
        assert path.is_file(), path
        doc = pdfium.PdfDocument(str(path))
        texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
        assert squash(f"Chapter {n}") in squash(texts[0]) and squash(title) in squash(texts[0])
        footer = doc[0].get_textpage().get_text_bounded(0, 0, doc[0].get_width(), FOOTER_BAND).strip()
        assert footer == book.footer(first), (path.name, footer)
        labels = sorted(set(LABEL_RE.findall("\n".join(texts))))
        assert labels == sorted({k for k, p in book.captions.items() if k.split()[1].split(".")[0] == str(n)}), path.name
        assert "Data sources" in texts[-1] or any("Data sources" in t for t in texts[-6:])
        doc.close()


def test_chart_text_is_real_text(book):
    """Axis labels and legends stay text (searchable, selectable, read aloud): the PDF's text holds the chart's
    own strings, taken from the text-SVG the chapter wrote."""
    from xml.etree import ElementTree

    svgs = sorted((book.path.parents[2] / "figures" / book.edition / "global").glob("*.text.svg"))
    assert svgs
    words = set()
    for svg in svgs:
        for el in ElementTree.parse(svg).iter("{http://www.w3.org/2000/svg}text"):
            words |= {w for w in "".join(el.itertext()).split() if len(w) > 4 and w.isalpha()}
    text = " ".join(book.texts)
    assert words and len([w for w in words if w in text]) >= 0.9 * len(words), sorted(w for w in words if w not in text)


def test_cover_and_imprint_say_the_edition_is_an_unofficial_reproduction(book):
    cfg = config(book.edition)
    notice = squash(cfg["front_matter"]["notice"])
    assert notice in squash(book.texts[0]) and notice in squash(book.texts[1])
    imprint = squash(book.texts[1])
    for part in ("Imprint", "Suggested citation", "Disclaimer", cfg["front_matter"]["copyright"],
                 "WorldMigrationReportgeneratorproject.", str(cfg["release_date"].year)):
        assert squash(part) in imprint, part
    assert book.page_of("Acronyms and glossary") < book.chapter_pages[0]
    assert book.page_of("Editorial note") < book.chapter_pages[0]


def test_tables_name_their_sources_and_attributions_are_whole(book):
    """Readers see source names, not the manifest's ids, in the chapters (ids stay in the data-sources
    appendix); no source line or attribution is cut off with an ellipsis."""
    from wmr.kernel import pins

    ids = sorted(set(pins.load_manifest()) - {"free-movement"}, key=len, reverse=True)  # also plain English
    chapters = "\n".join(book.texts[book.chapter_pages[0]:book.appendix])
    assert [i for i in ids if i in chapters] == []
    table_page = book.captions["Table 1.1"]
    assert "International Migrant Stock" in book.texts[table_page]
    assert "…" not in "".join(book.texts)


MAX_EMPTY = 0.40   # no page's text area may end more than this much empty, except a chapter's (or part's) last


def empty_below(image, top: float, bottom: float) -> float:
    """Share of the band [top, bottom) of a page image (pixel rows) left blank below its last inked row."""
    grey = image.convert("L").point(lambda v: 255 if v < 200 else 0)   # ink: anything darker than light grey
    box = grey.crop((0, int(top), grey.width, int(bottom))).getbbox()
    if box is None:
        return 1.0
    return (bottom - top - box[3]) / (bottom - top)


def test_no_page_ends_more_than_40_percent_empty_except_at_a_chapters_end(book):
    """Render every page: figures sized to their content fill pages, so only the last page of a chapter, front-matter
    part or the book (the next page opens without a running header) may end with a large gap."""
    folder = ARTEFACTS / book.edition / "pages"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    scale = 0.5
    gaps = {}
    for i in range(len(book.doc)):
        image = book.doc[i].render(scale=scale).to_pil()
        image.save(folder / f"page-{i + 1:03d}.png")
        height = book.doc[i].get_height()
        empty = empty_below(image, HEADER_BAND * scale, (height - FOOTER_BAND) * scale)
        last_of_part = i + 1 == len(book.doc) or book.header(i + 1) == ""
        if empty > MAX_EMPTY and not last_of_part:
            gaps[i + 1] = round(empty, 2)
    assert gaps == {}, f"pages (1-based) ending more than {MAX_EMPTY:.0%} empty: {gaps}"


def _bold_label_top(book: Book, label: str, page: int) -> float:
    """The height (PDF points from the page's foot) of the top of a caption's bold label on `page`."""
    tp = book.doc[page].get_textpage()
    m = next(m for m in re.finditer(rf"(?:^|\n)({re.escape(label)})\b", book.texts[page])
             if pdfium_c.FPDFText_GetFontWeight(tp.raw, m.start(1)) >= BOLD)
    return tp.get_charbox(m.start(1))[3]


def test_each_chapter_places_its_figures_and_tables_before_its_references(book):
    """A chapter's reference list ends it: none of its figures or tables is printed after the page where its
    references start, nor beneath the "References" heading on that page (a float at the page's foot)."""
    for n, title in enumerate(book.titles, start=1):
        start = next(i for i, (level, t, _) in enumerate(book.toc) if level == 0 and t == f"{n} {title}")
        refs = next(p for level, t, p in book.toc[start + 1:] if level == 1 and t == "References")
        tp = book.doc[refs].get_textpage()
        heading = next(m.start(1) for m in re.finditer(r"(?:^|\n)(References)\s*\n", book.texts[refs])
                       if pdfium_c.FPDFText_GetFontWeight(tp.raw, m.start(1)) >= BOLD)
        heading_top = tp.get_charbox(heading)[3]
        late = [(label, page + 1) for label, page in book.captions.items()
                if label.split()[1].split(".")[0] == str(n)
                and (page > refs or page == refs and _bold_label_top(book, label, page) < heading_top)]
        assert late == [], (n, refs + 1, late)


def source_line(tp, text: str, start: int) -> str:
    """The source line starting at character `start`: the run of characters in its (small) type size."""
    size = pdfium_c.FPDFText_GetFontSize(tp.raw, start)
    end = start
    while end < len(text) and (text[end].isspace() or abs(pdfium_c.FPDFText_GetFontSize(tp.raw, end) - size) < 0.05):
        end += 1
    return " ".join(text[start:end].split())


def test_source_lines_name_each_source_once(book):
    """'Sources: UN DESA, International Migrant Stock 2020; World Bank, ...': each source once, even when a
    figure read several of its files (the files are listed in the data-sources appendix)."""
    checked = 0
    for label, page in book.captions.items():
        tp = book.doc[page].get_textpage()
        text = book.texts[page]
        start = next(m.start(1) for m in re.finditer(rf"(?:^|\n)({re.escape(label)})\b", text)
                     if pdfium_c.FPDFText_GetFontWeight(tp.raw, m.start(1)) >= BOLD)   # the caption, not prose
        following = LABEL_RE.search(text, start + len(label))
        m = SOURCE_RE.search(text, start, following.start(1) if following else len(text))
        if not m:
            continue   # a table continued on the next page (see test_captions_are_above_and_source_lines_beneath)
        line = source_line(tp, text, m.start())
        entries = [e.strip().rstrip(".") for e in line.split(":", 1)[1].split(";")]
        assert len(entries) == len(set(entries)), (label, line)
        assert line.startswith("Sources:" if len(entries) > 1 else "Source:"), (label, line)
        checked += 1
    assert checked >= len(book.captions) - 3


def overlapping_lines(page) -> bool:
    """Whether two lines of text on the page overprint each other (their boxes overlap, baselines differ)."""
    tp = page.get_textpage()
    rects = [tp.get_rect(r) for r in range(tp.count_rects())]
    return any(min(r1, r2) - max(l1, l2) > 5 and min(t1, t2) - max(b1, b2) > 2 and abs(b1 - b2) > 1.5
               for k, (l1, b1, r1, t1) in enumerate(rects) for (l2, b2, r2, t2) in rects[k + 1:])


def test_no_lines_of_text_overprint(book):
    """Markers the template leaves in the text (where a figure is called) take no room: no line of a paragraph
    is printed over another."""
    assert [i + 1 for i in range(len(book.doc)) if overlapping_lines(book.doc[i])] == []
