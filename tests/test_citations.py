"""Citations: the bibliography, its ties to the pinned sources, {cite} resolution, formatting and the chapters'
citations. Fast: no build (the rendered reference lists are checked in test_editions_built/test_book)."""
from __future__ import annotations

import json
import re
import tomllib

import pytest

from wmr.build import citations, document
from wmr.core.errors import AssemblyError, ConfigError
from wmr.kernel import pins

from .conftest import ROOT, make_project

EDITIONS = sorted(p.stem for p in (ROOT / "editions").glob("*.toml"))
CITE_RE = re.compile(r"\{cite\}`([^`]+)`")


def _raw_bibliography() -> list[dict]:
    return json.loads((ROOT / "data" / "references.json").read_text(encoding="utf-8"))


def test_every_reference_has_an_author_title_publisher_and_url():
    items = _raw_bibliography()
    assert len(items) >= 20
    for item in items:
        assert item.get("author") or item.get("editor"), item["id"]
        assert item["title"].strip() and item["publisher"].strip(), item["id"]
        assert re.match(r"^https://\S+$", item["URL"]), item["id"]
    assert set(citations.references()) == {i["id"] for i in items}


def test_every_pinned_source_can_be_cited():
    table = tomllib.loads((ROOT / "data" / "source-references.toml").read_text(encoding="utf-8"))
    manifest = pins.load_manifest()
    assert set(manifest) <= set(table), sorted(set(manifest) - set(table))
    known = {i["id"] for i in _raw_bibliography()}
    for sid in manifest:
        assert table[sid] and set(table[sid]) <= known, sid
        assert citations.source_keys(sid, "test") == table[sid]


def test_an_unknown_key_is_an_error_naming_the_closest_keys():
    with pytest.raises(AssemblyError) as err:
        citations.check_keys(["undesa2024im"], "The prose of chapter 'global'")
    text = str(err.value)
    assert "unknown publication 'undesa2024im'" in text and "undesa2024ims" in text and "references.json" in text


def test_an_unknown_source_is_an_error_listing_the_sources():
    with pytest.raises(AssemblyError) as err:
        citations.source_keys("undesa-ims-2099", "chapter 'global'")
    assert "undesa-ims-2099" in str(err.value) and "undesa-ims-2024-bilateral" in str(err.value)


def test_citeproc_formats_author_year_and_entries_with_publisher_and_url():
    items = {i["id"]: i for i in _raw_bibliography()}
    cites = citations.format_citations([("mcauliffe2024wmr",), ("unhcr2023globaltrends", "idmc2023grid")], "html")
    assert cites.clusters[("mcauliffe2024wmr",)] == "(McAuliffe and Oucho 2024)"
    both = cites.clusters[("unhcr2023globaltrends", "idmc2023grid")]
    assert both.startswith("(") and "2023" in both and ";" in both
    for key, entry in cites.entries.items():   # the whole bibliography: each entry names its publisher and URL
        text = citations.entry_text(entry)
        assert items[key]["URL"] in text or items[key].get("DOI", "-") in text, key   # the style prefers a DOI
        assert items[key]["publisher"] in text or items[key]["publisher"] in text.replace("\u2019", "'"), key
    md = citations.format_citations([("mcauliffe2024wmr",)], "markdown")
    assert "*World Migration Report 2024*" in md.entries["mcauliffe2024wmr"]


def test_in_text_labels_are_unambiguous():
    """Two publications never share an author-year label: citeproc adds 'a', 'b' where they would."""
    keys = [(k,) for k in citations.references()]
    cites = citations.format_citations(keys, "html")
    labels = [cites.clusters[k] for k in keys]
    assert len(set(labels)) == len(labels), sorted(lbl for lbl in labels if labels.count(lbl) > 1)


def _doc(params: dict) -> document.ChapterDoc:
    return document.ChapterDoc(slug="global", number=2, title="T", params={None: params})


def test_cite_role_resolves_keys_and_pinned_sources_and_refuses_unknown_keys():
    doc = _doc({"ims_source": "undesa-ims-2020-bilateral"})
    seen = []
    out = document.resolve_roles("As shown {cite}`source:ims_source, mcauliffe2024wmr`.", doc, None,
                                 lambda kind, keys: seen.append(keys) or "[C]")
    assert out == "As shown [C]." and seen == [("undesa2020ims", "mcauliffe2024wmr")]
    assert doc.cite_keys("-source:ims_source, -mcauliffe2024wmr", None) == ("-undesa2020ims", "-mcauliffe2024wmr")
    year_only = citations.format_citations([("-mcauliffe2024wmr",)], "html")
    assert year_only.clusters[("-mcauliffe2024wmr",)] == "(2024)" and "mcauliffe2024wmr" in year_only.entries
    with pytest.raises(AssemblyError) as err:
        document.resolve_roles("See {cite}`mcauliffe2024`.", doc, None, lambda *a: "")
    assert "chapter 'global'" in str(err.value) and "mcauliffe2024wmr" in str(err.value)


def _chapter_citations(edition: str) -> dict[str, set[str]]:
    """Per chapter of an edition, the publications its notebook cites (source:<parameter> resolved by the config)."""
    from wmr.build import editions

    ed = editions.load(edition)
    out = {}
    for cfg in ed.chapters:
        text = cfg.notebook.read_text(encoding="utf-8")
        keys: set[str] = set()
        for run in cfg.runs:
            doc = document.ChapterDoc(slug=cfg.slug, number=cfg.number, title="", params={None: run.parameters})
            for arg in CITE_RE.findall(text):
                keys |= {k.removeprefix("-") for k in doc.cite_keys(arg, None)}
        out[cfg.slug] = keys
    return out


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_chapter_cites_at_least_five_real_publications(edition):
    known = set(citations.references())
    for slug, keys in _chapter_citations(edition).items():
        assert keys <= known, (slug, keys - known)
        assert len(keys) >= 5, (edition, slug, sorted(keys))


def test_an_edition_cites_the_edition_of_the_data_it_pins():
    assert "undesa2020ims" in _chapter_citations("wmr-2024")["global"]
    assert "undesa2024ims" not in _chapter_citations("wmr-2024")["global"]
    assert "undesa2024ims" in _chapter_citations("wmr-2026")["global"]


def test_a_reference_without_a_url_is_refused(tmp_path, monkeypatch):
    project = make_project(tmp_path / "project")
    items = _raw_bibliography()
    del items[0]["URL"]
    (project / "data" / "references.json").write_text(json.dumps(items), encoding="utf-8")
    monkeypatch.setenv("WMR_PROJECT_ROOT", str(project))
    with pytest.raises(ConfigError) as err:
        citations.references()
    assert items[0]["id"] in str(err.value) and "URL" in str(err.value)


def _page(built, edition: str, name: str) -> str:
    return (built / "report" / edition / "html" / name).read_text(encoding="utf-8")


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_html_citations_link_to_the_chapter_reference_list(built, edition):
    """Every {cite} in a chapter is an author-year link to an entry of the reference list at its end."""
    from wmr.build import editions

    bib = citations.references()
    html = built / "report" / edition / "html"
    for cfg in editions.load(edition).chapters:
        # a chapter run once per region has a page per region, each ending with the references it cites
        names = [f"{cfg.slug}.html"] + sorted(p.name for p in html.glob(f"{cfg.slug}-*.html"))
        cited: set[str] = set()
        for name in names:
            page = _page(built, edition, name)
            links = re.findall(r'<a class="cite" href="#ref-([a-z0-9]+)">\((.*?)\)</a>', page, re.S)
            assert "{cite}" not in page
            if not links:
                continue
            refs = re.search(r'<section class="references".*?</section>', page, re.S)
            assert refs, name
            entries = dict(re.findall(r'<li id="ref-([a-z0-9]+)">(.*?)</li>', refs.group(0), re.S))
            for key, entry in entries.items():
                text = citations.entry_text(entry)
                assert bib[key]["URL"] in text or bib[key].get("DOI", "-") in text, key
            assert {k for k, _ in links} <= set(entries), name
            assert all(re.search(r"\b(1[89]|20)\d\d[a-z]?\b|n\.d\.", text) for _, text in links), links
            cited |= set(entries)
        assert len(cited) >= 5, (cfg.slug, sorted(cited))


@pytest.mark.build
def test_pdf_chapters_end_with_their_reference_lists(built):
    """The PDF prints the same references as the HTML edition at the end of each chapter, author-year in text."""
    import pypdfium2 as pdfium

    for edition in EDITIONS:
        pdf = pdfium.PdfDocument(str(built / "report" / edition / f"{edition}.pdf"))
        text = re.sub(r"\s+", " ", " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
        pdf.close()
        assert text.count("References") >= 10  # nine chapters and the glossary
        html = _page(built, edition, "global.html")
        first = re.search(r'<a class="cite" href="#ref-[a-z0-9]+">(.*?)</a>', html).group(1)
        assert citations.entry_text(first) in text
        assert "McAuliffe, Marie, and Linda Adhiambo Oucho, eds. 2024. World Migration Report 2024." in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_an_edition_cites_no_publication_issued_after_its_release(edition):
    """No anachronisms: every report or book an edition cites (chapters and glossary) was out by its release
    date; data sets are exempt (they are what the edition pins)."""
    from wmr.build import editions

    release = editions.release_date(edition)
    refs = citations.references()
    cited = set().union(*_chapter_citations(edition).values())
    cited |= {k for t in editions.load(edition).front.glossary for k in t.cite}
    late = []
    for key in sorted(cited):
        item = refs[key]
        parts = item.get("issued", {}).get("date-parts", [[]])[0]
        if item["type"] != "dataset" and parts and tuple(parts) > (release.year, release.month, release.day)[:len(parts)]:
            late.append((key, parts))
    assert late == []
