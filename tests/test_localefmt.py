"""Fact displays per locale (Babel/CLDR). The expected strings are written from the CLDR rules, not computed:
fr: decimal ',', group U+202F (narrow no-break space), percent '#,##0 %' with U+00A0, long compact 'million(s)'
    with the plural 'one' for i = 0 or 1; es: decimal ',', group '.', 'millones' (plural 'one' only for n = 1);
ar (Babel's CLDR: default numbering latn): '.', ',', percent without space, 'مليون' / 'ملايين' (plural 'few' for
n % 100 in 3..10), currency pattern starting with U+200F (right-to-left mark)."""
from __future__ import annotations

import pytest

from wmr.build.localefmt import format_fact
from wmr.core.errors import AssemblyError

NNBSP, NBSP, RLM = "\u202f", "\u00a0", "\u200f"

CASES = [
    (304_021_813, "millions", "fr", "304,0 millions"),
    (1_540_000, "millions", "fr", "1,5 million"),
    (3.72, "percent", "fr", f"3,7{NBSP}%"),
    (304_021_813, "count", "fr", f"304{NNBSP}021{NNBSP}813"),
    (831_140_000_000, "usd_billions", "fr", f"831,1 milliards{NBSP}$US"),
    (2024, "year", "fr", "2024"),
    (45_000, "compact", "fr", f"45{NNBSP}000"),
    (304_021_813, "millions", "es", "304,0 millones"),
    (1_540_000, "millions", "es", "1,5 millones"),
    (3.72, "percent", "es", f"3,7{NBSP}%"),
    (304_021_813, "count", "es", "304.021.813"),
    (304_021_813, "millions", "ar", "304.0 ملايين"),
    (11_200_000, "millions", "ar", "11.2 مليون"),
    (3.72, "percent", "ar", "3.7%"),
    (831_140_000_000, "usd_billions", "ar", f"{RLM}831.1 مليار{NBSP}US$"),
]


@pytest.mark.parametrize("value,fmt,lang,expected", CASES)
def test_cldr_display(value, fmt, lang, expected):
    assert format_fact(value, fmt, lang, english="unused") == expected


def test_english_and_text_keep_the_recorded_display():
    assert format_fact(304_021_813, "millions", "en", english="304.0 million") == "304.0 million"
    assert format_fact("India", "text", "fr", english="India") == "India"
    assert format_fact(12.0, None, "fr", english="12 given by hand") == "12 given by hand"   # no format recorded


def test_a_number_format_without_a_number_is_refused():
    with pytest.raises(AssemblyError, match="holds no number"):
        format_fact("n/a", "percent", "fr", english="n/a")


def test_a_fact_records_the_format_of_its_display():
    from wmr.kernel.facts import make_fact

    fact = make_fact("migrants_total", 304_021_813, unit="persons", year=2024, sources=["s"], fmt="millions")
    assert fact.to_json()["fmt"] == "millions" and fact.display == "304.0 million"
    assert format_fact(fact.value, fact.fmt, "fr", fact.display) == "304,0 millions"
    by_hand = make_fact("n", 0, unit="persons", year=2024, sources=["s"], display="none")
    assert by_hand.fmt is None   # a display given by hand is kept in every language
