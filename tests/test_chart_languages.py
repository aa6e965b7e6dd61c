"""Charts in the edition's languages: each translated site shows its own copy of every chart, its labels
translated through locales/<lang>/charts.po, UN M49 names and CLDR numbers, while English keeps the kernel's
files.

One small project (chapters 1 and 2 of wmr-2026, no profiles, en/fr/ar, HTML only) is built once for the
module; the rebuild test re-assembles a copy of it."""
from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import polib
import pytest

from .conftest import run_build
from .test_failures import EDITION
from .test_languages import small_project

LANGS = ["en", "fr", "ar"]
CHAPTERS = ("overview", "global")
TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")
RUN = re.compile(r"(?:<text\b[^>]*>[^<]*</text>\s*)+")
ARABIC = re.compile(r"[\u0600-\u06ff]")


def build(project: Path):
    return run_build(project, "--edition", EDITION, "--html-only", "--jobs", "1")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = small_project(tmp_path_factory.mktemp("charts") / "project", LANGS)
    cfg = project / "editions" / f"{EDITION}.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + '\n[[chapters]]\nslug = "global"\n'
                   'notebook = "notebooks/02_global_overview.md"\nparameters = { top_n = 20 }\n', encoding="utf-8")
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project


def labels(svg: str) -> list[str]:
    """The labels of a chart: runs of consecutive <text> elements (a label's lines), joined by spaces."""
    return [" ".join(" ".join(unescape(t) for t in TEXT.findall(run.group(0))).replace("\u200f", "").split())
            for run in RUN.finditer(svg)]


def charts(site: Path) -> list[Path]:
    return sorted(p for slug in CHAPTERS for p in (site / "figures" / slug).glob("*.text.svg"))


def catalog(project: Path, lang: str) -> dict[str, str]:
    po = polib.pofile(str(project / "locales" / lang / "charts.po"))
    return {e.msgid: e.msgstr for e in po if e.msgstr and not e.obsolete and not e.fuzzy}


def test_english_charts_are_the_kernels_bytes(built):
    site = built / "report" / EDITION / "html"
    kernel = built / "figures" / EDITION
    files = [p for slug in CHAPTERS for p in (site / "figures" / slug).glob("*.svg")]
    assert len(files) >= 10, files
    for path in files:
        assert path.read_bytes() == (kernel / path.parent.name / path.name).read_bytes(), path


def test_french_charts_show_the_catalogs_labels_and_no_translated_english(built):
    fr, en = built / "report" / EDITION / "fr" / "html", built / "report" / EDITION / "html"
    french = catalog(built, "fr")
    assert french, "locales/fr/charts.po holds no translation"
    svgs = charts(fr)
    assert len(svgs) >= 5, svgs
    for path in svgs:
        english = labels((en / "figures" / path.parent.name / path.name).read_text(encoding="utf-8"))
        shown = labels(path.read_text(encoding="utf-8"))
        text = " ".join(shown)
        translated = [label for label in english if label in french]
        assert translated, f"{path.name}: no label of the chart is in charts.po"
        for label in translated:
            assert french[label] in text, f"{path.name}: {french[label]!r} (for {label!r}) not shown"
            if french[label] != label:
                assert label not in shown, f"{path.name}: {label!r} still in English"


def test_french_numbers_take_the_decimal_comma_and_the_charts_the_site(built):
    fr, en = built / "report" / EDITION / "fr" / "html", built / "report" / EDITION / "html"
    decimals = 0
    for path in charts(fr):
        english = labels((en / "figures" / path.parent.name / path.name).read_text(encoding="utf-8"))
        shown = labels(path.read_text(encoding="utf-8"))
        for label in english:
            if re.fullmatch(r"\d+\.\d+", label):
                decimals += 1
                assert label.replace(".", ",") in shown and label not in shown, (path.name, label)
    assert decimals >= 5, "the charts have no decimal numbers to check"
    page = (fr / "global.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="(figures/global/[^"]+)"', page)
    assert images and all(src.endswith(".text.svg") and (fr / src).is_file() for src in images), images


def test_arabic_charts_are_in_arabic_script(built):
    ar = built / "report" / EDITION / "ar" / "html"
    svgs = charts(ar)
    assert len(svgs) >= 5, svgs
    for path in svgs:
        texts = TEXT.findall(path.read_text(encoding="utf-8"))
        assert any(ARABIC.search(t) for t in texts), f"{path.name}: no Arabic text"


def test_a_rebuild_writes_the_same_translated_charts(built, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    (project / "report" / EDITION / ".assembly-key").unlink()   # same inputs, assembled again
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "executed" not in proc.stdout, "re-assembling executed a run"
    for lang in LANGS[1:]:
        before = charts(built / "report" / EDITION / lang / "html")
        after = charts(project / "report" / EDITION / lang / "html")
        assert [p.name for p in before] == [p.name for p in after] and before
        english = built / "report" / EDITION / "html" / "figures"
        assert any(p.read_bytes() != (english / p.parent.name / p.name).read_bytes() for p in before), lang
        for old, new in zip(before, after):
            assert old.read_bytes() == new.read_bytes(), (lang, old.name)


@pytest.mark.parametrize("english, lang, shown", [
    ("1,000", "fr", "1\u202f000"), ("2.5", "fr", "2,5"), ("20%", "fr", "20\u00a0%"), ("2020", "fr", "2020"),
    ("12.5%", "es", "12,5\u00a0%"), ("0.30–0.40", "fr", "0,30–0,40"), ("65+", "fr", "65+"),
    ("Migrants", "fr", None),
])
def test_numbers_in_chart_labels_follow_the_locale(english, lang, shown):
    from wmr.build.chartlang import numeric

    assert numeric(english, lang) == shown
