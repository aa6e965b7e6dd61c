"""Each language's PDF book: report/<edition>/<lang>/<edition>-<lang>.pdf, typeset from that language's documents
with the book's words from locales/<lang>/book.po, its document language set and tagged PDF/UA-1; Arabic right to
left in the Amiri font vendored in wmr/build/fonts/. The language's site links its own book, and an --html-only
rebuild keeps the books byte for byte.

One small project (chapter 1 of wmr-2026, languages en, fr, ar, with the PDFs) is built once for the module."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, run_build
from .test_book import font_name
from .test_failures import EDITION
from .test_languages import small_project

LANGS = ["en", "fr", "ar"]
ARABIC = re.compile(r"[\u0600-\u06FF]")
BIDI_CONTROLS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")   # inserted by PDF text extraction
CHAPTER_ONE = "Report overview: key facts and figures"   # the English title: the msgid of its translations


def test_every_word_of_the_book_templates_is_translated_in_git():
    """Each tr("...") of the Typst templates (read here, not through the extractor) has a translation in
    locales/<lang>/book.po, keeping its placeholders; `build.py translate` extracts the same msgids."""
    import polib

    from wmr.build import booktext

    calls = []
    for name in ("book.typ", "wmr-book.typ"):
        calls += re.findall(r'\btr(?:-around)?\("([^"]+)"', (ROOT / "src/wmr/build/templates" / name).read_text(encoding="utf-8"))
    assert "Contents" in calls and "Chapter %(number)s" in calls and len(set(calls)) > 30
    assert set(calls) <= {m for m, _ in booktext.messages([])}
    for lang in ("fr", "es", "ar"):
        po = {e.msgid: e.msgstr for e in polib.pofile(str(ROOT / "locales" / lang / "book.po")) if not e.obsolete}
        missing = [m for m in set(calls) if not po.get(m)]
        assert missing == [], (lang, missing)
        placeholders = [m for m in calls if sorted(re.findall(r"%\(\w+\)s", m)) != sorted(re.findall(r"%\(\w+\)s", po[m]))]
        assert placeholders == [], (lang, placeholders)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = small_project(tmp_path_factory.mktemp("langpdf") / "project", LANGS)
    proc = run_build(project, "--edition", EDITION, "--jobs", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project


def book(project: Path, lang: str) -> Path:
    report = project / "report" / EDITION
    return report / f"{EDITION}.pdf" if lang == "en" else report / lang / f"{EDITION}-{lang}.pdf"


def translation(lang: str, name: str, msgid: str) -> str:
    """The msgstr of `msgid` in the repository's locales/<lang>/<name>.po (read with polib)."""
    import polib

    entry = polib.pofile(str(ROOT / "locales" / lang / f"{name}.po")).find(msgid)
    assert entry is not None and entry.msgstr, (lang, name, msgid)
    return entry.msgstr


def pdf_text(path: Path) -> str:
    """The PDF's text (pypdfium2), whitespace collapsed."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return " ".join(BIDI_CONTROLS.sub("", text).split())


def fonts(path: Path) -> set[str]:
    """The base names of the fonts the PDF's text is set in (subset prefixes removed)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(path)
    out = set()
    for i in range(len(doc)):
        for obj in doc[i].get_objects(max_depth=15):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                out.add(font_name(obj))
    return out


def test_each_language_has_its_own_book_and_its_site_links_it(built):
    report = built / "report" / EDITION
    assert book(built, "en").is_file()
    for lang in LANGS[1:]:
        assert book(built, lang).is_file(), lang
        assert book(built, lang).read_bytes().startswith(b"%PDF"), lang
        assert not (report / lang / "chapters").exists(), "a language publishes its book only"
        index = (report / lang / "html/index.html").read_text(encoding="utf-8")
        links = re.findall(r'href="([^"]+\.pdf)"', index)
        assert links and {(report / lang / "html" / h).resolve() for h in links} == {book(built, lang).resolve()}, \
            (lang, links)
    english = (report / "html/index.html").read_text(encoding="utf-8")
    assert {(report / "html" / h).resolve() for h in re.findall(r'href="([^"]+\.pdf)"', english)} == \
        {book(built, "en").resolve()}
    assert not (report / "en").exists()


def test_each_book_is_pdf_ua_in_its_language(built):
    import pikepdf

    for lang in LANGS:
        with pikepdf.open(book(built, lang)) as pdf:
            assert str(pdf.open_metadata().get("pdfuaid:part")) == "1", lang
            assert pdf.Root.MarkInfo.Marked is True
            assert str(pdf.Root.Lang) == lang, (lang, pdf.Root.Lang)


def test_the_french_book_is_the_translation(built):
    text = pdf_text(book(built, "fr"))
    title = translation("fr", "overview", CHAPTER_ONE)
    assert " ".join(title.split()) in text
    chapter = translation("fr", "book", "Chapter %(number)s") % {"number": 1}
    for words in (chapter, translation("fr", "book", "Contents"), translation("fr", "book", "Data sources"),
                  translation("fr", "book", "List of tables")):
        assert words in text, words
    assert CHAPTER_ONE not in text and "List of tables" not in text
    assert "30 novembre 2026" in text   # the release date per CLDR (Babel), not "30 November 2026"


def test_the_arabic_book_is_arabic_in_the_vendored_font_right_to_left(built):
    import pypdfium2 as pdfium

    path = book(built, "ar")
    text = pdf_text(path)
    assert len(ARABIC.findall(text)) > 2000, "the Arabic book's text is not in Arabic script"
    title = translation("ar", "overview", CHAPTER_ONE)
    # each word of the title (PDF text of right-to-left runs may come out in visual order: words compared)
    assert all(w in text or w[::-1] in text for w in title.split() if ARABIC.search(w)), title
    assert CHAPTER_ONE not in text
    used = fonts(path)
    assert any(f.startswith("Amiri") for f in used), used
    assert (ROOT / "src/wmr/build/fonts/Amiri-Regular.ttf").is_file()
    assert "SIL OPEN FONT LICENSE" in (ROOT / "src/wmr/build/fonts/OFL-Amiri.txt").read_text(encoding="utf-8")
    assert not any(f.startswith("Amiri") for f in fonts(book(built, "fr")))
    # right to left: the chapter's label ("Chapter 1" in Arabic) on its opening page ends at the right margin
    doc = pdfium.PdfDocument(path)
    width = doc[0].get_width()
    word = translation("ar", "book", "Chapter %(number)s").split()[0]
    page = next(i for i in range(len(doc)) if word in BIDI_CONTROLS.sub("", doc[i].get_textpage().get_text_range()))
    tp = doc[page].get_textpage()
    index, count = tp.search(word).get_next()
    boxes = [tp.get_charbox(i) for i in range(index, index + count)]
    margin = 2.3 / 2.54 * 72
    assert abs(max(b[2] for b in boxes) - (width - margin)) < 3 and min(b[0] for b in boxes) > width / 2, boxes


def test_html_only_keeps_the_language_books_byte_for_byte(built, tmp_path):
    from wmr.build import pdfkeys

    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    before = {lang: book(project, lang).read_bytes() for lang in LANGS}
    proc = run_build(project, "--edition", EDITION, "--jobs", "1", "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = project / "report" / EDITION
    assert {lang: book(project, lang).read_bytes() for lang in LANGS} == before
    names = pdfkeys.published(report)
    assert {f"fr/{EDITION}-fr.pdf", f"ar/{EDITION}-ar.pdf", f"{EDITION}.pdf"} <= set(names), names
    assert f'href="../{EDITION}-fr.pdf"' in (report / "fr/html/index.html").read_text(encoding="utf-8")
    assert "pdf-stale" not in (report / "fr/html/index.html").read_text(encoding="utf-8")
    # a language no longer published takes its book with it (no leftovers)
    cfg = project / "editions" / f"{EDITION}.toml"
    cfg.write_text(re.sub(r"^languages = .*$", 'languages = ["en", "fr"]', cfg.read_text(encoding="utf-8"),
                          flags=re.M), encoding="utf-8")
    proc = run_build(project, "--edition", EDITION, "--jobs", "1", "--html-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (report / "ar").exists()
    assert book(project, "fr").read_bytes() == before["fr"]
