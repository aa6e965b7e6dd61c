"""Editions in several languages: the `languages` key, the output layout (English where it always was, another
language under report/<edition>/<lang>/html/), the language switcher and the lang/dir attributes.

One small project (chapter 1 of wmr-2026, no profiles, HTML only) is built once for the module."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import make_project, run_build
from .test_failures import EDITION, set_config
from .test_trust_configs import refused

LANGS = ["en", "fr", "ar"]


def small_project(dest: Path, languages: list[str]) -> Path:
    """wmr-2026 with its first chapter only, no profiles, publishing `languages`."""
    project = make_project(dest, profiles={})
    cfg = project / "editions" / f"{EDITION}.toml"
    text = cfg.read_text(encoding="utf-8")
    head = text[:text.index("[[chapters]]")]
    head = re.sub(r'^languages = .*$', 'languages = ' + str(languages).replace("'", '"'), head, count=1, flags=re.M)
    cfg.write_text(head + '[[chapters]]\nslug = "overview"\nnotebook = "notebooks/01_overview.md"\n', encoding="utf-8")
    return project


def build(project: Path, *args: str):
    proc = run_build(project, "--edition", EDITION, "--html-only", "--jobs", "1", *args)
    return proc


@pytest.fixture(scope="module")
def built_langs(tmp_path_factory) -> Path:
    project = small_project(tmp_path_factory.mktemp("langs") / "project", LANGS)
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


@pytest.mark.parametrize("line, message", [
    ('languages = ["fr", "en"]', 'does not start with "en"'),
    ('languages = ["en", "xx"]', "unknown language code(s): 'xx'"),
    ('languages = ["en", "fr", "fr"]', "lists fr more than once"),
    ('languages = "en"', "has the wrong type"),
])
def test_a_wrong_languages_key_is_refused_before_anything_runs(tmp_path, line, message):
    project = make_project(tmp_path / "project")
    set_config(project, r'^languages = .*$', line)
    err = refused(project)
    assert message in err, err


def test_each_language_has_its_site_and_english_stays_where_it_was(built_langs):
    report = built_langs / "report" / EDITION
    english = [p.name for p in pages(report / "html")]
    assert "overview.html" in english and "index.html" in english
    for lang in LANGS[1:]:
        assert [p.name for p in pages(report / lang / "html")] == english, lang
        assert (report / lang / "facts.json").is_file()
    assert not (report / "en").exists()


def test_every_page_links_the_same_page_in_the_other_languages(built_langs):
    report = built_langs / "report" / EDITION
    for lang in LANGS:
        site = report / ("html" if lang == "en" else f"{lang}/html")
        for page in pages(site):
            html = page.read_text(encoding="utf-8")
            nav = re.search(r'<nav class="langs" aria-label="[^"]+">(.*?)</nav>', html, re.S)
            assert nav, f"{lang}/{page.name}: no language switcher"
            links = re.findall(r'<a href="([^"]+)" hreflang="([a-z]+)" lang="([a-z]+)"', nav.group(1))
            assert sorted(h for _, h, _ in links) == sorted(set(LANGS) - {lang}), (lang, page.name, links)
            for href, hreflang, lang_attr in links:
                assert hreflang == lang_attr
                target = (site / href).resolve()
                assert target.is_file(), f"{lang}/{page.name} links {href}, which does not exist"
                assert target.name == page.name
                assert f'<html lang="{hreflang}"' in target.read_text(encoding="utf-8")
            assert re.search(rf'<span lang="{lang}" dir="(ltr|rtl)" aria-current="page">', nav.group(1))


def test_arabic_pages_run_right_to_left_and_the_others_left_to_right(built_langs):
    report = built_langs / "report" / EDITION
    for lang, site in [("en", report / "html"), ("fr", report / "fr/html"), ("ar", report / "ar/html")]:
        for page in pages(site):
            opening = re.search(r"<html[^>]*>", page.read_text(encoding="utf-8")).group(0)
            assert opening == (f'<html lang="{lang}" dir="rtl">' if lang == "ar" else f'<html lang="{lang}">'), \
                (page, opening)


def test_the_style_sheet_uses_logical_properties_so_rtl_mirrors(built_langs):
    css = (built_langs / "report" / EDITION / "ar/html/assets/style.css").read_text(encoding="utf-8")
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right):|text-align: (?:left|right)",
                          css)
    assert physical == [], physical


def test_english_output_is_unchanged_but_for_the_switcher(built_langs, tmp_path):
    """The same project published in English only: every English page is the same, less the switcher."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(built_langs, project, symlinks=True)
    set_config(project, r"^languages = .*$", 'languages = ["en"]')
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "executed" not in proc.stdout, "changing the languages re-executed a run"
    alone = project / "report" / EDITION
    assert not (alone / "fr").exists()
    for page in pages(built_langs / "report" / EDITION / "html"):
        with_switcher = page.read_text(encoding="utf-8")
        stripped = re.sub(r'\n  <nav class="langs" aria-label="Languages">.*?</nav>', "", with_switcher, flags=re.S)
        assert stripped != with_switcher, page.name
        only_en = (alone / "html" / page.name).read_text(encoding="utf-8")
        assert "langs" not in only_en
        assert stripped == only_en, page.name


def test_chapter_one_reads_in_french_with_french_numbers_and_names(built_langs):
    report = built_langs / "report" / EDITION
    html = (report / "fr/html/overview.html").read_text(encoding="utf-8")
    assert "<h1 id=\"top\">Vue d’ensemble du rapport : faits et chiffres clés</h1>" in html
    assert "Chapitre 1" in html and "Sommaire" in html and "Tableau 1.1" in html
    assert 'class="untranslated' not in html, "chapter 1 and the site strings it uses are translated"
    assert re.search(r'data-fact="overview\.migrants_total">\d{3},\d millions</a>', html)
    assert re.search("data-fact=\"overview\\.migrants_share_pct\">\\d+,\\d\u00a0%</a>", html)
    # the UN M49 French name of India (ocha-country-taxonomy, column 'M49 French')
    assert 'data-fact="overview.top_origin_1_country">Inde</a>' in html
    english = __import__("json").loads((report / "facts.json").read_text(encoding="utf-8"))
    french = __import__("json").loads((report / "fr/facts.json").read_text(encoding="utf-8"))
    assert french.keys() == english.keys()
    assert all(french[k]["value"] == english[k]["value"] for k in english)


def test_a_missing_translation_shows_english_marked_and_release_refuses_it(built_langs, tmp_path):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(built_langs, project, symlinks=True)
    (project / "locales/ar/overview.po").unlink()   # chapter 1 without its Arabic catalog
    before = (project / "report" / EDITION / "html/overview.html").read_bytes()
    proc = build(project, "--release")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "has missing or outdated translations in 'ar'" in proc.stderr
    assert re.search(r"locales/ar/overview\.po: \d+ missing, e\.g\. 'Report overview", proc.stderr), proc.stderr
    assert (project / "report" / EDITION / "html/overview.html").read_bytes() == before, "a refused release published"
    proc = build(project)   # a draft publishes the English text, marked
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (project / "report" / EDITION / "ar/html/overview.html").read_text(encoding="utf-8")
    assert '<div class="untranslated" lang="en" dir="ltr"><span class="untranslated-mark" lang="ar">' in html
    assert "Report overview: key facts and figures" in html   # the English title
    set_config(project, r"^languages = .*$", 'languages = ["en", "fr"]')
    proc = build(project, "--release")   # French is complete for chapter 1 and its pages
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_catalog_of_the_project_is_complete_for_chapter_one(built_langs):
    """The catalogs in git translate chapter 1 and its pages in every language: no page is marked untranslated."""
    for lang in LANGS[1:]:
        html = (built_langs / "report" / EDITION / lang / "html/overview.html").read_text(encoding="utf-8")
        assert 'class="untranslated' not in html, lang


def test_translate_updates_catalogs_and_changes_nothing_on_unchanged_input(built_langs, tmp_path):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(built_langs, project, symlinks=True)
    # the templates decide site.po whatever is built; the other catalogs hold the texts of both editions' executed
    # runs, notes and charts, which this one-chapter project does not have (their completeness: the release test
    # of test_languages_editions)
    kept = ("site.po",)
    french = {name: (project / "locales/fr" / name).read_bytes() for name in kept}
    for name in ("overview.po", "site.po"):   # as if Arabic were new: translate makes its catalogs
        (project / "locales/ar" / name).unlink()
    proc = run_build(project, "translate", "--edition", EDITION)
    assert proc.returncode == 0, proc.stderr
    assert "updated locales/ar/overview.po" in proc.stdout and "updated locales/ar/site.po" in proc.stdout
    assert {name: (project / "locales/fr" / name).read_bytes() for name in kept} == french, \
        "the French catalogs in git are not up to date with the English text"
    arabic = {p.name: p.read_bytes() for p in (project / "locales/ar").glob("*.po")}
    proc = run_build(project, "translate", "--edition", EDITION)
    assert "catalogs up to date" in proc.stdout
    assert {p.name: p.read_bytes() for p in (project / "locales/ar").glob("*.po")} == arabic
