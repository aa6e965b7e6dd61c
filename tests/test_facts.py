import math

import numpy as np
import pytest

from wmr.core.errors import AssemblyError, ChapterError, CoverageError
from wmr.kernel import fmt
from wmr.kernel.facts import Ledger, make_fact


def test_formats():
    assert fmt.count(304021813) == "304,021,813"
    assert fmt.millions(304021813) == "304.0 million"
    assert fmt.usd_billions(831103e6) == "US$831.1 billion"
    assert fmt.percent(48.0312) == "48.0%"
    assert fmt.compact(1_234_567_890) == "1.2 billion"
    assert fmt.compact(45_123) == "45,123"


def test_missing_value_cannot_be_formatted():
    with pytest.raises(CoverageError) as exc:
        fmt.millions(math.nan)
    assert exc.value.expected == "a number"


def test_fact_display_and_numpy_values():
    import numpy as np

    f = make_fact("migrants", np.int64(280598105), unit="persons", year=np.float64(2020), sources=["x"], fmt="millions")
    assert f.value == 280598105 and isinstance(f.value, int)
    assert f.year == 2020 and isinstance(f.year, int)
    assert f.display == "280.6 million"


@pytest.mark.parametrize("kwargs, match", [
    ({"name": "Bad Name"}, "not a valid name"),
    ({"fmt": "roman"}, "Unknown number format"),
    ({"sources": []}, "no sources"),
    ({"value": "", "fmt": "text"}, "empty display"),       # an empty list of names joined: nothing to show
    ({"display": "  "}, "empty display"),
])
def test_bad_facts_are_rejected(kwargs, match):
    args = {"name": "ok", "value": 1, "unit": "u", "year": 2020, "sources": ["s"], "fmt": "count"} | kwargs
    name = args.pop("name")
    value = args.pop("value")
    with pytest.raises(ChapterError, match=match):
        make_fact(name, value, **args)


def test_ledger_unknown_fact_names_close_matches():
    led = Ledger("overview")
    led.add(make_fact("migrants_total", 1, unit="u", year=2020, sources=["s"]))
    with pytest.raises(AssemblyError) as exc:
        led.get("migrants_totl")
    assert "migrants_total" in str(exc.value)
    assert led.to_json()["overview.migrants_total"]["display"] == "1"


def test_fact_specs_share_year_and_sources_unless_overridden():
    from wmr.kernel.facts import FactSpecs

    specs = FactSpecs(year=2024, sources=["a", "b"])
    specs.add("total", 304021813, "persons", "millions")
    specs.add("first", 153916063, "persons", "millions", year=1990, sources=["a"])
    specs.year_of("first_year", np.float64(1990))
    by = {s["name"]: s for s in specs}
    assert (by["total"]["year"], by["total"]["sources"]) == (2024, ["a", "b"])
    assert (by["first"]["year"], by["first"]["sources"]) == (1990, ["a"])
    assert by["first_year"]["value"] == 1990 and by["first_year"]["unit"] == "year" and by["first_year"]["fmt"] == "year"
    assert specs.displays() == {"total": "304.0 million", "first": "153.9 million", "first_year": "1990"}
    specs.sources.append("c")          # a later change of the defaults does not reach specs already added
    assert by["total"]["sources"] == ["a", "b"]


def test_fact_specs_keep_row_labels_beside_the_specs():
    """A key-figures table's row labels stay out of the specs (each spec stays Chapter.fact's keyword arguments)."""
    from wmr.kernel.facts import FactSpecs, make_fact

    specs = FactSpecs(year=2024, sources=["a"])
    specs.add("total", 304021813, "persons", "millions", label="International migrants")
    specs.add("total_country", "the World", "country", "text")
    specs.add("share", 3.7, "percent", "percent", label="Share of the population")
    assert specs.labels == {"total": "International migrants", "share": "Share of the population"}
    assert list(specs.labels) == ["total", "share"]
    assert all("label" not in s for s in specs)
    assert [make_fact(**s).display for s in specs] == ["304.0 million", "the World", "3.7%"]


def test_chapter_record_records_each_spec_once(monkeypatch, tmp_path):
    from wmr.kernel import chapter
    from wmr.kernel.facts import FactSpecs

    monkeypatch.setenv(chapter.FIGURES_ENV, str(tmp_path))
    shown = []
    monkeypatch.setattr(chapter, "_display", lambda payload, mime, text: shown.append(payload))
    ch = chapter.Chapter()
    specs = FactSpecs(year=2020, sources=["s"])
    specs.add("a", 1.25, "percent", "percent")
    specs.add("b", 3, "countries")
    got = ch.record(specs)
    assert {n: f.display for n, f in got.items()} == {"a": "1.2%", "b": "3"}
    assert [p["name"] for p in shown] == ["a", "b"] and set(ch.facts) == {"a", "b"}
    with pytest.raises(ChapterError, match="recorded twice"):
        ch.record(specs[:1])


def test_captions_and_alt_text_state_numbers_through_facts(monkeypatch, tmp_path):
    """A figure's caption and alt text cite recorded facts by role: the payload shows their displays and keeps
    the texts as written (what the no-typed-numbers check reads); an unrecorded fact or another role is refused."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from wmr.kernel import chapter

    monkeypatch.setenv(chapter.FIGURES_ENV, str(tmp_path))
    monkeypatch.setattr(chapter, "source_record", lambda s: {"id": s})
    shown = []
    monkeypatch.setattr(chapter, "_display", lambda payload, mime, text: shown.append(payload))
    ch = chapter.Chapter()
    ch.fact("first_year", 2008, unit="year", year=2008, sources=["s"], fmt="year")
    ch.fact("total", 1_234_567, unit="persons", year=2020, sources=["s"], fmt="millions")
    caption = "Figures start in {fact}`first_year`."
    alt = "Bar chart: {fact}`total` people in all."
    ch.figure("fig-x", plt.figure(), title="A title", caption=caption, alt=alt,
              data=pd.DataFrame({"a": [1]}), sources=["s"])
    payload = shown[-1]
    assert (payload["caption"], payload["alt"]) == ("Figures start in 2008.", "Bar chart: 1.2 million people in all.")
    assert payload["written"] == {"title": "A title", "caption": caption, "alt": alt}
    with pytest.raises(ChapterError, match="has not recorded"):
        ch.figure("fig-y", plt.figure(), title="t", caption="{fact}`nope`", alt="a", data=pd.DataFrame({"a": [1]}),
                  sources=["s"])
    with pytest.raises(ChapterError, match="only \\{fact\\} roles"):
        ch.table("tab-z", pd.DataFrame({"a": [1]}), title="t", caption="See {numref}`fig-x`.", sources=["s"])
