"""Front matter from the edition config: notice, imprint fields, identifiers, suggested citation (BibTeX, RIS),
notes, acronyms and glossary; bad configs are clear errors. Fast: no build."""
from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from wmr.build import citations, editions, frontmatter
from wmr.core.errors import ConfigError

from .conftest import ROOT

EDITIONS = sorted(p.stem for p in (ROOT / "editions").glob("*.toml"))
STANDARD_TERMS = ("International migrant", "Refugee", "Asylum-seeker", "Internally displaced person (IDP)",
                  "Remittances", "UNRWA", "M49")


def _raw(edition: str) -> dict:
    return tomllib.loads((ROOT / "editions" / f"{edition}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("edition", EDITIONS)
def test_editions_say_they_are_unofficial_reproductions_not_iom_publications(edition):
    raw = _raw(edition)
    fm = editions.load(edition).front
    assert raw["front_matter"]["official"] is False and fm.official is False
    assert "unofficial reproduction from public data" in fm.notice.lower()
    assert "not a publication of the International Organization for Migration" in fm.notice
    assert "IOM" not in raw["publisher"]
    assert fm.copyright and fm.licence and "not prepared, reviewed or endorsed" in fm.disclaimer
    assert [n.title for n in fm.notes] == ["Editorial note"] and fm.notes[0].markdown.strip()


def test_glossary_defines_the_standard_terms_and_cites_real_publications():
    fm = editions.load("wmr-2026").front
    terms = [t.term for t in fm.glossary]
    assert all(t in terms for t in STANDARD_TERMS), terms
    assert terms == sorted(terms, key=str.casefold)
    shorts = [a[0] for a in fm.acronyms]
    assert {"IDMC", "UNHCR", "UNRWA", "UN DESA", "KNOMAD", "HDI", "IOM", "IDP"} <= set(shorts)
    known = set(citations.references())
    for t in fm.glossary:
        assert len(t.definition) > 60 and t.cite and set(t.cite) <= known, t.term


def _parse(**changes) -> frontmatter.FrontMatter:
    raw = _raw("wmr-2026")
    table = dict(raw["front_matter"])
    for key, value in changes.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    return frontmatter.parse({**raw, "front_matter": table}, "wmr-2026.toml")


def test_identifiers_are_printed_only_when_given_and_checked():
    assert _parse().identifiers == []
    fm = _parse(isbn="978-92-9268-598-9", doi="10.18356/example-2026", issn="1561-5502")
    assert fm.identifiers == [("ISBN", "978-92-9268-598-9"), ("ISSN", "1561-5502"), ("DOI", "10.18356/example-2026")]
    with pytest.raises(ConfigError) as err:
        _parse(doi="doi.org/10.1/x")
    assert "doi" in str(err.value) and "doi.org/10.1/x" in str(err.value) and "10.18356" in str(err.value)


@pytest.mark.parametrize("changes, says", [
    ({"notice": None}, "unofficial edition without a notice"),
    ({"official": None}, "official = false"),
    ({"copyright": None}, "no copyright"),
    ({"colophon": "x"}, "unknown keys ['colophon']"),
    ({"notes": [{"title": "Foreword", "file": "editions/notes/missing.md"}]}, "missing file"),
    ({"glossary": "../outside.toml"}, "outside"),
])
def test_bad_front_matter_is_a_clear_error(changes, says):
    with pytest.raises(ConfigError) as err:
        _parse(**changes)
    assert says in str(err.value) and "fix:" in str(err.value)


def test_suggested_citation_and_its_bibtex_and_ris_come_from_the_config():
    ed = editions.load("wmr-2026")
    date = dt.date(2026, 11, 30)
    text = citations.entry_text(frontmatter.suggested_citation(ed, date, "html"))
    assert text.startswith(ed.front.citation_author + ". 2026.") and "World Migration Report 2026" in text
    assert "Unofficial reproduction" in text
    bib = frontmatter.bibtex(ed, date)
    assert bib.startswith("@techreport{wmr2026,") and '"{World Migration Report generator project}"' in bib
    assert 'year = "2026"' in bib and "Unofficial reproduction from public data" in bib
    ris = frontmatter.ris(ed, date).splitlines()
    assert ris[0] == "TY  - RPRT" and ris[-1].startswith("ER  -")
    assert "AU  - World Migration Report generator project" in ris and "PY  - 2026" in ris
    assert not any(line.strip() == "1." for line in ris)
    with_doi = editions.Edition(**{**vars(ed), "front": _parse(doi="10.18356/example-2026")})
    assert "DO  - 10.18356/example-2026" in frontmatter.ris(with_doi, date)
    assert "10.18356/example-2026" in frontmatter.bibtex(with_doi, date)


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_html_pages_show_the_notice_and_the_imprint_offers_the_citation(built, edition):
    html = built / "report" / edition / "html"
    fm = editions.load(edition).front
    for page in sorted(html.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert f'<aside class="notice" id="notice" aria-label="Edition notice"><p>{fm.notice}' in text, page.name
    imprint = (html / "imprint.html").read_text(encoding="utf-8")
    for part in ("Imprint", "Suggested citation", "Disclaimer", "Editorial note", fm.citation_author,
                 'href="citation.bib"', 'href="citation.ris"'):
        assert part in imprint, part
    assert (html / "citation.bib").read_text(encoding="utf-8").startswith("@techreport{")
    assert (html / "citation.ris").read_text(encoding="utf-8").startswith("TY  - RPRT")
    glossary = (html / "glossary.html").read_text(encoding="utf-8")
    for term in STANDARD_TERMS:
        assert f">{term}</dt>" in glossary, term
    assert '<a class="cite" href="#ref-' in glossary and '<section class="references"' in glossary
