"""Chapters read like a report: each opens with three to five key messages built from facts, and no build
jargon reaches the prose readers see (method notes belong on the data sources page)."""
from __future__ import annotations

import re
from html import unescape

import pytest

from .conftest import ROOT

EDITIONS = sorted(p.stem for p in (ROOT / "editions").glob("*.toml"))
JARGON = re.compile(r"\b(pinned|pins|M49 table|ISO3|ISO 3166|parquet|sha256|notebook|papermill|fact id)\b", re.I)
FACT_ID = re.compile(r"\b[a-z]+\.[a-z0-9]+_[a-z0-9_.]+\b")          # 'overview.migrants_total'


def _prose(page: str) -> list[str]:
    """The text of the chapter's paragraphs and list items, without figures, tables, the numbers list,
    the reference list and the facts' values (text computed by code cells, checked where it is made)."""
    article = re.search(r"<article class=\"chapter\">(.*)</article>", page, re.S).group(1)
    for pattern in (r"<figure\b.*?</figure>", r"<section class=\"facts-appendix\".*?</section>",
                    r"<section class=\"references\".*?</section>", r"<a class=\"fact\"[^>]*>.*?</a>"):
        article = re.sub(pattern, "", article, flags=re.S)
    blocks = re.findall(r"<(p|li)\b[^>]*>(.*?)</\1>", article, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split()) for _, body in blocks]


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_chapter_prose_has_no_build_jargon_or_fact_ids(built, edition):
    html = built / "report" / edition / "html"
    found = []
    for page in sorted(html.glob("*.html")):
        if page.name in ("sources.html", "search.html"):
            continue
        text = page.read_text(encoding="utf-8")
        if '<article class="chapter">' not in text:
            continue
        for para in _prose(text):
            for m in (*JARGON.finditer(para), *FACT_ID.finditer(para)):
                found.append((page.name, m.group(0), para[:80]))
    assert found == []


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_chapter_opens_with_three_to_five_key_messages_built_from_facts(built, edition):
    import tomllib

    cfg = tomllib.loads((ROOT / "editions" / f"{edition}.toml").read_text(encoding="utf-8"))
    for ch in cfg["chapters"]:
        page = (built / "report" / edition / "html" / f"{ch['slug']}.html").read_text(encoding="utf-8")
        m = re.search(r'<h1 id="top">.*?</h1>\s*<p><strong>Key messages</strong></p>\s*<ul>(.*?)</ul>', page, re.S)
        assert m, ch["slug"]
        items = re.findall(r"<li>(.*?)</li>", m.group(1), re.S)
        assert 3 <= len(items) <= 5, (ch["slug"], len(items))
        assert all('class="fact"' in item for item in items), ch["slug"]


def test_notebook_prose_has_no_build_jargon():
    """The same rule where it is written: the Markdown cells of the chapter notebooks."""
    found = []
    for nb in sorted((ROOT / "notebooks").glob("*.md")):
        in_code = False
        for n, line in enumerate(nb.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("```{code-cell}"):
                in_code = True
            elif line.startswith("```") and in_code:
                in_code = False
            elif not in_code and n > 10 and JARGON.search(line):
                found.append((nb.name, n, line[:80]))
    assert found == []


def test_editorial_notes_and_glossary_have_no_build_jargon():
    texts = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "editions" / "notes").glob("*.md")}
    texts["glossary.toml"] = "\n".join(l for l in (ROOT / "data" / "glossary.toml").read_text(encoding="utf-8")
                                       .splitlines() if not l.startswith("#"))
    assert texts and {name: JARGON.findall(text) for name, text in texts.items() if JARGON.search(text)} == {}
