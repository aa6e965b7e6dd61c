"""Translation catalogs (polib): the sphinx-intl-like update, role checks and the lookup with its misses."""
from __future__ import annotations

import polib
import pytest

from wmr.build import catalogs
from wmr.build.localize import Translator, messages
from wmr.core.errors import AssemblyError
from wmr.core.paths import ROOT_ENV

P1 = "At least {fact}`mmp_dead_missing` migrants died or went missing during migration in {param}`mmp_year`."
P2 = "Women and girls made up {fact}`female` of them."


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    return tmp_path


def entries(path):
    return {e.msgid: e for e in polib.pofile(str(path))}


def test_update_adds_marks_fuzzy_keeps_obsolete_and_is_stable(root):
    path = root / "locales/fr/overview.po"
    assert catalogs.update("fr", "overview", [(P1, "nb"), (P2, "nb")])
    po = polib.pofile(str(path))
    po.find(P1).msgstr = "Au moins {fact}`mmp_dead_missing` migrants sont morts en {param}`mmp_year`."
    po.find(P2).msgstr = "Les femmes et les filles en représentaient {fact}`female`."
    po.save()
    before = path.read_bytes()
    assert not catalogs.update("fr", "overview", [(P1, "nb"), (P2, "nb")])   # unchanged input: file untouched
    assert path.read_bytes() == before
    changed = P1.replace("At least", "At the very least")
    assert catalogs.update("fr", "overview", [(changed, "nb"), ("A new heading", "nb")])
    got = entries(path)
    assert "fuzzy" in got[changed].flags and got[changed].previous_msgid == P1
    assert got[changed].msgstr.startswith("Au moins")
    assert got["A new heading"].msgstr == "" and not got["A new heading"].fuzzy
    assert got[P2].obsolete and got[P2].msgstr.startswith("Les femmes")
    cat = catalogs.Catalog.load("fr", "overview")
    assert cat.get(changed) is None and cat.missing == [changed] and changed in cat.fuzzy
    assert "1 missing (1 outdated)" in catalogs.release_problems([cat])[0]


def test_a_translation_that_drops_or_adds_a_role_is_refused(root):
    catalogs.update("fr", "overview", [(P1, "nb")])
    path = root / "locales/fr/overview.po"
    po = polib.pofile(str(path))
    po.find(P1).msgstr = "Au moins {fact}`mmp_dead_missing` {fact}`other` migrants sont morts."
    po.save()
    with pytest.raises(AssemblyError) as err:
        catalogs.Catalog.load("fr", "overview")
    text = err.value.message()
    assert str(path) in text and "At least" in text
    assert "missing: {param}`mmp_year`" in text and "extra: {fact}`other`" in text


def test_untranslated_text_shows_in_english_marked(root):
    md = "## Remittances\n\n- " + P1 + "\n- " + P2 + "\n\nA paragraph\nwrapped over lines.\n"
    assert messages(md) == ["Remittances", P1, P2, "A paragraph wrapped over lines."]
    catalogs.update("fr", "overview", [(m, "nb") for m in messages(md)])
    path = root / "locales/fr/overview.po"
    po = polib.pofile(str(path))
    po.find("Remittances").msgstr = "Envois de fonds"
    po.find(P2).msgstr = "Les femmes et les filles en représentaient {fact}`female`."
    po.save()
    tr = Translator(catalogs.Catalog.load("fr", "overview"), "fr")
    out = tr.markdown(md)
    assert out.startswith("## Envois de fonds\n\n")
    assert f'- <span lang="en" dir="ltr" class="untranslated">{P1}</span>\n- Les femmes' in out
    assert '<div class="untranslated" lang="en" dir="ltr"><span class="untranslated-mark" lang="fr">non traduit</span>' in out
    assert tr.catalog.missing == [P1, "A paragraph wrapped over lines."]
