import math

import pytest

from wmr import fmt
from wmr.errors import AssemblyError, ChapterError
from wmr.facts import Ledger, make_fact


def test_formats():
    assert fmt.count(304021813) == "304,021,813"
    assert fmt.millions(304021813) == "304.0 million"
    assert fmt.usd_billions(831103e6) == "US$831.1 billion"
    assert fmt.percent(48.0312) == "48.0%"
    assert fmt.compact(1_234_567_890) == "1.2 billion"
    assert fmt.compact(45_123) == "45,123"


def test_missing_value_cannot_be_formatted():
    with pytest.raises(ValueError):
        fmt.millions(math.nan)


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
