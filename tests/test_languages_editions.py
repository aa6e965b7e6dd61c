"""Both editions as configured in git, in every language they declare (the session's `built_all_languages`
project: every chapter, a sample of profiles, HTML and PDFs): each language's site, book and facts, complete
translations, and a rebuild that writes the same bytes in every language."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from .conftest import ROOT, copy_built, run_build

EDITIONS = sorted(p.stem for p in (ROOT / "editions").glob("*.toml"))


def languages(edition: str) -> list[str]:
    return tomllib.loads((ROOT / "editions" / f"{edition}.toml").read_text(encoding="utf-8"))["languages"]


def site(project: Path, edition: str, lang: str) -> Path:
    report = project / "report" / edition
    return report / "html" if lang == "en" else report / lang / "html"


def book(project: Path, edition: str, lang: str) -> Path:
    report = project / "report" / edition
    return report / f"{edition}.pdf" if lang == "en" else report / lang / f"{edition}-{lang}.pdf"


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_edition_declares_the_un_languages_it_publishes(edition):
    assert languages(edition) == ["en", "fr", "es", "ar"]


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_language_has_its_site_its_book_and_the_same_facts(built_all_languages, edition):
    import pypdfium2 as pdfium

    english_pages = sorted(p.name for p in site(built_all_languages, edition, "en").glob("*.html"))
    english = json.loads((built_all_languages / "report" / edition / "facts.json").read_text(encoding="utf-8"))
    assert len(english) > 1000
    for lang in languages(edition)[1:]:
        assert sorted(p.name for p in site(built_all_languages, edition, lang).glob("*.html")) == english_pages, lang
        facts = json.loads((site(built_all_languages, edition, lang).parent / "facts.json").read_text(encoding="utf-8"))
        assert facts.keys() == english.keys(), lang
        assert [facts[k]["value"] for k in english] == [english[k]["value"] for k in english], lang
        changed = sum(facts[k]["display"] != english[k]["display"] for k in english)
        assert changed > len(english) // 4, (lang, changed)   # numbers and names shown as the language writes them
        assert len(pdfium.PdfDocument(book(built_all_languages, edition, lang))) > 60, lang


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_in_every_language_switches_to_the_same_page(built_all_languages, edition):
    langs = languages(edition)
    for lang in langs:
        for page in site(built_all_languages, edition, lang).glob("*.html"):
            html = page.read_text(encoding="utf-8")
            opening = re.search(r"<html[^>]*>", html).group(0)
            assert opening == (f'<html lang="{lang}" dir="rtl">' if lang == "ar" else f'<html lang="{lang}">'), page
            nav = re.search(r'<nav class="langs" aria-label="[^"]+">(.*?)</nav>', html, re.S).group(1)
            links = re.findall(r'<a href="([^"]+)" hreflang="([a-z]+)" lang="\2"', nav)
            assert sorted(h for _, h in links) == sorted(set(langs) - {lang}), (lang, page.name)
            for href, other in links:
                target = site(built_all_languages, edition, other) / page.name
                assert (page.parent / href).resolve() == target.resolve()


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_release_of_each_edition_finds_every_text_translated(built_all_languages, edition, tmp_path):
    """`--release` refuses an edition with a missing or outdated translation in any language: both editions pass,
    and no page of any language shows a text marked untranslated."""
    from wmr.build import booktext, editions

    project = copy_built(built_all_languages, tmp_path / "project")
    proc = run_build(project, "--edition", edition, "--html-only", "--release")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert "executed" not in proc.stdout
    for lang in languages(edition)[1:]:
        marked = [p.name for p in site(project, edition, lang).glob("*.html")
                  if 'class="untranslated' in p.read_text(encoding="utf-8")]
        assert marked == [], (lang, marked)
        words = booktext.release_catalog(editions.load(edition), lang)   # the book's words (a full build checks)
        assert words.missing == [], (lang, words.missing[:5])


def test_chapter_tables_read_in_the_language(built_all_languages):
    """A chapter's table: columns from the chapter catalog, countries by their UN M49 names, counts per CLDR."""
    html = (site(built_all_languages, "wmr-2026", "fr") / "global.html").read_text(encoding="utf-8")
    table = re.search(r"<table.*?</table>", html, re.S).group(0)
    assert "<th" in table and "Rang" in table and "Rank" not in table
    assert "États-Unis d’Amérique" in table and "United States" not in table
    arabic = (site(built_all_languages, "wmr-2026", "ar") / "overview.html").read_text(encoding="utf-8")
    table = re.search(r"<table.*?</table>", arabic, re.S).group(0)
    assert not re.search(r">[^<]*\b(?:Indicator|Value|Year|million|billion)\b", table), table[:600]


def test_a_region_page_is_titled_with_the_regions_name_in_the_language(built_all_languages):
    for lang, africa in (("fr", "Afrique"), ("es", "África"), ("ar", "أفريقيا")):
        html = (site(built_all_languages, "wmr-2026", lang) / "regions-africa.html").read_text(encoding="utf-8")
        assert f'<h1 id="top">{africa}</h1>' in html, lang


def test_a_rebuild_writes_the_same_bytes_in_every_language(built_all_languages, tmp_path):
    """wmr-2026 assembled again from the same executed runs, in a new process: every file of every language
    (sites, facts, translated charts, books) has the same bytes."""
    project = copy_built(built_all_languages, tmp_path / "project")
    report = project / "report" / "wmr-2026"
    before = {str(p.relative_to(report)): p.read_bytes() for p in report.rglob("*") if p.is_file()}
    for key in (".assembly-key", ".pdf-keys.json"):
        (report / key).unlink()
    proc = run_build(project, "--edition", "wmr-2026")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert "executed" not in proc.stdout
    after = {str(p.relative_to(report)): p.read_bytes() for p in report.rglob("*") if p.is_file()}
    assert after.keys() == before.keys()
    for lang in languages("wmr-2026"):
        prefix = "" if lang == "en" else f"{lang}/"
        files = [k for k in before if (k.startswith(prefix) if prefix else "/" not in k or k.startswith("html/"))]
        assert len(files) > 50, lang
        assert [k for k in files if after[k] != before[k]] == [], lang
