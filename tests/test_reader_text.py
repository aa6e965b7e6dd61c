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


# A fact is a number or a name (issue 13, point 3; issue 18: translated text keeps the roles, so no fact may be
# an English phrase). The rule, for every fact of an edition's facts.json:
# - a number (int or float value) is shown as a number: digits with separators and decimals, optionally 'US$',
#   '%', ' million' or ' billion' (the words around it are plain text);
# - a text value is a name (a country, region, route, cause, edition, date) or a list of names: at most 9 words
#   and 60 characters, no sentence punctuation (. ; : ! ?), none of the words that make a clause or a comparison
#   (was, were, has, hosted, more, fewer, grown, than, not...), and no digits unless the name has them ('Kosovo
#   (SCR 1244)', 'International Migrant Stock 2024', '25 September 2015').
NUMBER_SHOWN = re.compile(r"^(US\$)?[-+−]?\d[\d,]*(\.\d+)?( million| billion)?%?$")
CLAUSE_WORDS = re.compile(r"\b(more|fewer|less|most|least|grown|fallen|rose|fell|above|below|none|no|was|were|is|are|"
                          r"has|have|had|hosted|counted|lived|gives?|records?|refers?|reports?|not|than|from|to)\b", re.I)
NAMES_WITH_DIGITS = ("date", "edition")
NOT_YET_CONVERTED: dict[str, str] = {}   # fact-id pattern -> why it is still an exception


def _names() -> set[str]:
    from wmr.kernel import countries
    from wmr.kernel.sources import countrynames

    codes = set(countrynames.load_m49_names()["iso3"]) | set(countrynames.load_iom_names()["iso3"])
    return {countries.name(c) for c in codes}


def _all_names(shown: str, names: set[str]) -> bool:
    """A name, or a list of names ('Abyei Area, Kosovo (SCR 1244)'), each a known one."""
    return all(part.removeprefix("the ") in names for part in re.split(r", | and ", shown))


def fact_problems(facts: dict[str, dict], names: set[str]) -> dict[str, str]:
    """Fact id -> what breaks the rule above."""
    out = {}
    for ident, f in facts.items():
        shown = f["display"]
        if not isinstance(f["value"], str):
            if not NUMBER_SHOWN.match(shown):
                out[ident] = f"number shown with words: {shown!r}"
            continue
        bare = shown.removeprefix("the ")
        if len(shown) > 60 or len(shown.split()) > 9:
            out[ident] = f"longer than a name: {shown[:60]!r}"
        elif re.search(r"[.;:!?]", shown):
            out[ident] = f"sentence punctuation: {shown!r}"
        elif CLAUSE_WORDS.search(shown) and bare not in names:
            out[ident] = f"a clause or comparison word: {shown!r}"
        elif re.search(r"\d", shown) and f["unit"] not in NAMES_WITH_DIGITS and not _all_names(bare, names):
            out[ident] = f"a number inside a name: {shown!r}"
    return out


def test_the_fact_rule_catches_phrases_and_numbers_in_names():
    names = {"United States of America", "Kosovo (SCR 1244)"}
    facts = {
        "a": {"value": "the United States of America", "display": "the United States of America", "unit": "country"},
        "b": {"value": "Kosovo (SCR 1244)", "display": "Kosovo (SCR 1244)", "unit": "country"},
        "c": {"value": "more", "display": "more", "unit": "comparison"},
        "d": {"value": "Germany (16.8 million)", "display": "Germany (16.8 million)", "unit": "country"},
        "e": {"value": "counted more emigrants than immigrants", "display": "counted more emigrants than immigrants",
              "unit": "wording"},
        "f": {"value": 3, "display": "none", "unit": "corridors"},
        "g": {"value": 4.9, "display": "4.9 percentage points", "unit": "percentage points"},
        "h": {"value": 1.2e9, "display": "US$1.2 billion", "unit": "US$"},
        "i": {"value": "25 September 2015", "display": "25 September 2015", "unit": "date"},
        "j": {"value": "UNHCR has no data. More later.", "display": "UNHCR has no data. More later.", "unit": "text"},
        "k": {"value": "Kosovo (SCR 1244) and the United States of America", "unit": "areas",
              "display": "Kosovo (SCR 1244) and the United States of America"},
        "l": {"value": "Kosovo (SCR 1244), Germany 2024", "display": "Kosovo (SCR 1244), Germany 2024", "unit": "areas"},
    }
    assert sorted(fact_problems(facts, names)) == ["c", "d", "e", "f", "g", "j", "l"]


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_fact_is_a_number_or_a_name(built, edition):
    import json

    facts = json.loads((built / "report" / edition / "facts.json").read_text(encoding="utf-8"))
    problems = fact_problems(facts, _names())
    excused = {i for i in problems if any(re.fullmatch(p, i) for p in NOT_YET_CONVERTED)}
    assert {i: p for i, p in problems.items() if i not in excused} == {}
    stale = [p for p in NOT_YET_CONVERTED if not any(re.fullmatch(p, i) for i in problems)]
    assert stale == [], "these exceptions are fixed: remove them from NOT_YET_CONVERTED"


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_names_in_running_text_take_their_articles(built, edition):
    """A fact naming a country that takes 'the' in the IOM naming table ('the Philippines') shows it, alone or in
    a list; only a profile's title (its 'name' fact) is the bare name."""
    import json

    from wmr.kernel.sources import countrynames

    iom = countrynames.load_iom_names()
    with_the = set(iom.loc[iom["with_the"], "name"])
    facts = json.loads((built / "report" / edition / "facts.json").read_text(encoding="utf-8"))
    bare = {}
    for ident, f in facts.items():
        if not isinstance(f["value"], str) or ident.endswith(".name"):
            continue
        shown = f["display"]
        items = [shown] if shown.removeprefix("the ").removeprefix("The ") in with_the else re.split(r", | and ", shown)
        bare.update({ident: shown for item in items if item in with_the})
    assert with_the and bare == {}
