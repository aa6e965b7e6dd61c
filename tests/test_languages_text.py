"""Translated sites show no English where a translation exists: region, sub-region, HDI group, cause and hazard
names from locales/<lang>/names.po, dates per CLDR, the country and area profiles from locales/<lang>/profiles.po
with money per locale, and names sorted by the language's collation.

One small project (chapter 1 and five profiles of wmr-2026, languages en/fr/ar, HTML only) is built once for the
module; the expected words are read from the PO files and the expected numbers from Babel, not from the code."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
from pathlib import Path

import polib
import pytest
from babel import Locale, dates, numbers

from .conftest import ROOT, make_project, run_build
from .test_failures import EDITION
from .test_languages import build, pages

LANGS = ["en", "fr", "ar"]
PROFILES = ["DEU", "VAT", "TWN", "EGY", "ZMB"]   # EGY and ZMB: French names whose code-point order is not collated


def translations(lang: str, catalog: str) -> dict[str, str]:
    """msgid -> msgstr of a catalog in git, read with polib (what the page must show)."""
    return {e.msgid: e.msgstr for e in polib.pofile(str(ROOT / "locales" / lang / f"{catalog}.po"))
            if e.msgstr and not e.obsolete}


@pytest.fixture(scope="module")
def built_text(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("langtext") / "project", profiles={EDITION: PROFILES})
    cfg = project / "editions" / f"{EDITION}.toml"
    text = cfg.read_text(encoding="utf-8")
    head, profiles = text[:text.index("[[chapters]]")], text[text.index("[profiles]"):]
    head = re.sub(r'^languages = .*$', 'languages = ["en", "fr", "ar"]', head, count=1, flags=re.M)
    cfg.write_text(head + '[[chapters]]\nslug = "overview"\nnotebook = "notebooks/01_overview.md"\n\n' + profiles,
                   encoding="utf-8")
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project


def site(project: Path, lang: str) -> Path:
    return project / "report" / EDITION / ("html" if lang == "en" else f"{lang}/html")


def facts(project: Path, lang: str) -> dict:
    path = project / "report" / EDITION / ("facts.json" if lang == "en" else f"{lang}/facts.json")
    return json.loads(path.read_text(encoding="utf-8"))


def visible(page: Path) -> str:
    """The page's text (tags dropped, entities decoded)."""
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_every_language_has_the_same_fact_ids_and_values(built_text):
    english = facts(built_text, "en")
    assert any(k.startswith("profiles.DEU.") for k in english) and any(k.startswith("overview.") for k in english)
    for lang in LANGS[1:]:
        local = facts(built_text, lang)
        assert local.keys() == english.keys(), lang
        assert [local[k]["value"] for k in english] == [english[k]["value"] for k in english], lang
        assert any(local[k]["display"] != english[k]["display"] for k in english), f"{lang}: nothing localized"


def test_region_subregion_and_hdi_group_are_in_the_language_of_the_site(built_text):
    english = facts(built_text, "en")
    checked = 0
    for lang in LANGS[1:]:
        names = translations(lang, "names")
        for code in PROFILES:
            text = visible(site(built_text, lang) / f"profile-{code.lower()}.html")
            for fact in ("region", "subregion", "hdi_group"):
                key = f"profiles.{code}.{fact}"
                if key not in english or english[key]["display"] not in names:
                    continue
                word, local = english[key]["display"], names[english[key]["display"]]
                assert local in text, (lang, code, fact, local)
                assert facts(built_text, lang)[key]["display"] == local
                if word != local:
                    assert not re.search(rf"\b{re.escape(word)}\b", text), (lang, code, f"English {word!r} left")
                checked += 1
    assert checked >= 12, checked   # DEU: Western Europe, Very high ... in both languages


def test_profile_pages_read_in_the_language_with_no_english_sentence_left(built_text):
    from wmr.kernel.analysis import profilefigures, profiles

    english_texts = [t for t in profiles.texts() + profilefigures.texts() if "{" not in t and len(t) > 12]
    sentences = translations("fr", "profiles")
    for lang in LANGS[1:]:
        for code in PROFILES:
            page = site(built_text, lang) / f"profile-{code.lower()}.html"
            html = page.read_text(encoding="utf-8")
            assert 'class="untranslated' not in html, (lang, code)
            text = visible(page)
            left = [t for t in english_texts if t in text]
            assert left == [], (lang, code, left)
    deu = visible(site(built_text, "fr") / "profile-deu.html")
    assert sentences["Key figures: {fact}`name`"].replace("{fact}`name`", "Allemagne") in deu
    assert sentences["**Coverage.**"].strip("*") in deu
    assert sentences["Remittances received"] in deu and sentences["Human Development Index"] in deu
    vat = visible(site(built_text, "fr") / "profile-vat.html")
    assert sentences["no data"] in vat   # the Holy See: key figures without data


def test_the_french_profile_shows_money_and_counts_in_french_format(built_text):
    french, english = facts(built_text, "fr"), facts(built_text, "en")
    text = visible(site(built_text, "fr") / "profile-deu.html")
    amount = french["profiles.DEU.received_usd"]
    value = amount["value"]
    assert value == english["profiles.DEU.received_usd"]["value"] and english["profiles.DEU.received_usd"]["fmt"]
    # independently of the code: Babel's long compact decimal and the French currency pattern and symbol
    scaled = numbers.format_compact_decimal(value, format_type="long", fraction_digits=1, locale="fr")
    if "," not in scaled:   # Babel drops a trailing ',0'
        scaled = re.sub(r"^(\d+)", r"\1,0", scaled)
    expected = f"{scaled}\u00a0{Locale.parse('fr').currency_symbols['USD']}"
    assert amount["display"] == expected, (amount["display"], expected)
    assert expected in text
    assert not re.search(r"US\$\s?\d", text) and "billion" not in text   # no English amount left ('US$20.4 billion')
    hosted = french["profiles.DEU.hosted_refugees"]
    local = numbers.format_decimal(round(hosted["value"]), locale="fr")
    assert "\u202f" in local and hosted["display"] == local and local in text


def test_the_profiles_index_groups_by_translated_region_and_sorts_by_collation(built_text):
    names = translations("fr", "names")
    html = (site(built_text, "fr") / "profiles.html").read_text(encoding="utf-8")
    africa = re.search(r'<h3 id="region-africa">([^<]+)<.*?</ul>', html, re.S)
    assert africa and africa.group(1).strip() == names["Africa"]
    listed = re.findall(r'<a href="profile-[a-z]+\.html">([^<]+)</a>', africa.group(0))
    egypt, zambia = (htmllib.unescape(n) for n in listed)
    assert (egypt, zambia) == ("Égypte", "Zambie")   # code-point order would put 'Zambie' first
    assert names["Europe"] in html and "Profiles by region" not in html


def test_collation_sorts_french_m49_names_as_readers_expect():
    from wmr.build.collation import sort_key
    from wmr.build.localize import country_names

    english = {"Egypt": "EGY", "Ecuador": "ECU", "Spain": "ESP", "Zambia": "ZMB"}
    french = [country_names("fr")[name] for name in english]   # the M49 French names of the pinned taxonomy
    assert sorted(french) != sorted(french, key=sort_key)
    assert sorted(french, key=sort_key) == ["Égypte", "Équateur", "Espagne", "Zambie"]


@pytest.mark.parametrize("lang", ["fr", "es", "ar"])
def test_text_facts_show_names_and_dates_in_the_language(lang):
    from wmr.build.localize import text_display

    names = translations(lang, "names")
    for english in ("Very high", "Western Europe", "Latin America and the Caribbean", "Sahara Desert crossing"):
        assert text_display(english, "name", lang) == names[english]
    lower = names["Very high"]
    assert text_display("very high", "HDI group", lang) == lower[:1].lower() + lower[1:]
    assert text_display("flood", "hazard type", lang) == names["Flood"][:1].lower() + names["Flood"][1:]
    assert text_display("drowning", "cause", lang) == names["Drowning"][:1].lower() + names["Drowning"][1:]
    assert text_display("10 December 2018", "date", lang) == dates.format_date(dt.date(2018, 12, 10), "long",
                                                                                locale=lang)
    month = text_display("December 2018", "date", lang)
    assert month == dates.format_skeleton("yMMMM", dt.date(2018, 12, 1), locale=lang) and "December" not in month
    assert text_display("International Migrant Stock 2024", "edition", lang) is None


def test_translate_keeps_the_names_and_profiles_catalogs_in_git_up_to_date(built_text, tmp_path):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(built_text, project, symlinks=True)
    proc = run_build(project, "translate", "--edition", EDITION)
    assert proc.returncode == 0, proc.stderr
    for lang in LANGS[1:]:
        for name in ("names", "profiles", "site"):
            path = project / "locales" / lang / f"{name}.po"
            assert path.read_bytes() == (ROOT / "locales" / lang / f"{name}.po").read_bytes(), \
                f"{path.name} of {lang} is not up to date with the English text"
