"""Regional narratives say what sets each region apart: chosen from the pinned data, different in content and
shape from region to region, every number a fact (issue 13, point 3)."""
from __future__ import annotations

import re
import tomllib

import pytest

from wmr.kernel.analysis import gender
from wmr.kernel.analysis import regions as R
from wmr.kernel.analysis import regionstory as RS
from wmr.kernel.analysis.wording import facts_cited, plain_text, sentences, skeleton

from .conftest import ROOT


def _years(edition: str) -> RS.Years:
    p = tomllib.loads((ROOT / "editions" / f"{edition}.toml").read_text())["parameters"]
    return RS.Years(p["ims_source"], p["stock_year"], p["remittance_year"], p["refugee_year"], p["idp_year"])


EDITIONS = ["wmr-2024", "wmr-2026"]


@pytest.fixture(scope="module", params=EDITIONS)
def stories(request):
    y = _years(request.param)
    return y, {region: RS.story(y, region) for region in R.REGIONS}


def test_no_two_regions_share_a_sentence_skeleton(stories):
    _, by_region = stories
    seen: dict[str, str] = {}
    for region, story in by_region.items():
        assert len(sentences(story.markdown)) == RS.SENTENCES_PER_REGION, region
        for sent in sentences(story.markdown):
            sk = skeleton(sent)
            assert sk not in seen, f"{region} repeats a sentence of {seen.get(sk)}: {sk}"
            seen[sk] = region


def test_narratives_differ_in_content(stories):
    """Not only the words: the regions tell different things (their sets of signals are not all the same)."""
    _, by_region = stories
    topics = {region: frozenset(s for s, _, _ in story.chosen) for region, story in by_region.items()}
    assert len(set(topics.values())) >= 4, topics
    assert all(len(t) == RS.SENTENCES_PER_REGION for t in topics.values())


def test_every_number_is_a_fact_and_every_cited_fact_is_recorded(stories):
    _, by_region = stories
    for region, story in by_region.items():
        assert not re.search(r"\d", plain_text(story.markdown)), (region, plain_text(story.markdown))
        names = [f["name"] for f in story.facts]
        assert len(names) == len(set(names))
        assert set(facts_cited(story.markdown)) <= set(names), region
        assert story.markdown.startswith(RS.NAMES_REGION) or RS.NAMES_REGION in sentences(story.markdown)[0], region


def test_region_facts_are_the_same_names_in_every_region(stories):
    _, by_region = stories
    names = {region: [f["name"] for f in s.facts] for region, s in by_region.items()}
    assert len({tuple(n) for n in names.values()}) == 1


def test_the_chosen_signals_are_the_regions_most_unusual(stories):
    y, by_region = stories
    sal = RS.salience(RS.indicators(y))
    for region, story in by_region.items():
        chosen = [s for s, _, _ in story.chosen]
        skipped = [s for s in RS.SIGNALS if s not in chosen]
        # a skipped signal is never more unusual than every chosen one (it may be skipped only when its
        # phrasings were taken by earlier regions)
        assert max(sal.loc[region, skipped]) <= max(sal.loc[region, chosen]), region


def test_facts_agree_with_the_chapter_functions():
    y = _years("wmr-2026")
    facts = {f["name"]: f["value"] for f in RS.story(y, "Asia").facts}
    s = R.stock_series(y.ims_source, "Asia", y.stock_year)
    assert facts["immigrants"] == s["immigrants"].iloc[-1]
    assert facts["emigrants"] == s["emigrants"].iloc[-1]
    fem = gender.female_share_by_region(y.ims_source)
    row = fem[(fem["year"] == y.stock_year) & (fem["region"] == "Asia")].iloc[0]
    assert facts["female_share_pct"] == pytest.approx(row["female_share_pct"])
    c = R.top_corridors(y.ims_source, y.stock_year, "Asia", 1).iloc[0]
    assert facts["corridor_migrants"] == c["migrants"]
    # Asia: the lowest share of women among immigrants of the six regions (UN DESA 2024: 41.9%)
    assert ("female", "lowest") in [(s, v) for s, v, _ in RS.story(y, "Asia").chosen]


def test_wording_choices():
    assert RS.balance_variant(10, 5) == "gain_strong" and RS.balance_variant(10, 8) == "gain"
    assert RS.balance_variant(5, 8) == "loss" and RS.balance_variant(1, 3) == "loss_strong"
    assert RS.growth_variant(50, [10, 50, 30]) == "fastest" and RS.growth_variant(10, [10, 50, 30]) == "slowest"
    assert RS.growth_variant(30, [10, 50, 30]) == "rise" and RS.growth_variant(-5, [-5, 50]) == "fall"
    assert RS.within_variant(50) == "high" and RS.within_variant(49.9) == "low"
    assert RS.female_variant(52, [52, 41, 48], 48) == "highest" and RS.female_variant(41, [52, 41, 48], 48) == "lowest"
    assert RS.female_variant(49, [52, 41, 49], 48) == "above" and RS.female_variant(47, [52, 41, 47], 48) == "below"
    assert RS.remittance_variant(0.4, [0.4, 0.1], 0.3) == "largest" and RS.remittance_variant(0.1, [0.4, 0.1], 0.3) == "below"
    assert RS.displacement_variant(0.5, [0.5, 0.1], 1, 2) == "idps_most"
    assert RS.displacement_variant(0.1, [0.5, 0.1], 3, 2) == "host" and RS.displacement_variant(0.1, [0.5, 0.1], 1, 2) == "origin"
    assert RS.corridor_variant(True, True) == "within" and RS.corridor_variant(False, True) == "into"
    assert RS.corridor_variant(False, False) == "out"


def test_every_template_is_a_sentence_whose_numbers_are_facts():
    for key, phrasings in RS.TEMPLATES.items():
        assert len(phrasings) == 2 and phrasings[0] != phrasings[1], key
        for text in phrasings:
            assert text.endswith(".") and not re.search(r"\d", plain_text(text)), key
    for text in (*RS.OPENING.values(), *R.CORRIDORS_WITHIN.values()):
        assert not re.search(r"\d", plain_text(text))


def test_choose_never_hands_out_a_phrasing_twice():
    import pandas as pd

    regions = [f"r{i}" for i in range(6)]
    sal = pd.DataFrame(1.0, index=regions, columns=list(RS.SIGNALS))
    var = pd.DataFrame({s: [next(v for sig, v in RS.TEMPLATES if sig == s)] * 6 for s in RS.SIGNALS}, index=regions)
    chosen = RS.choose(sal, var)
    flat = [c for picks in chosen.values() for c in picks]
    assert len(flat) == len(set(flat))       # eight signals x two phrasings = 16 sentences for 6 x 4 wanted


@pytest.mark.parametrize("edition", EDITIONS)
def test_opening_paragraph_has_no_empty_list_and_no_typed_number(edition):
    o = RS.opening(_years(edition))
    assert "()" not in o.markdown and ": ." not in o.markdown
    assert not re.search(r"\d", plain_text(o.markdown))
    assert set(facts_cited(o.markdown)) <= {f["name"] for f in o.facts}
