"""Fact displays per locale, through Babel (CLDR): digits, separators, spaces, percent signs, "million" words
and currency symbols as each language writes them.

The kernel records each fact's value and its format name (`fmt`, see wmr.kernel.fmt.FORMATS); English keeps
the display the kernel wrote, and another language formats the same value here: French "304,0 millions" and
"3,7 %" (with CLDR's narrow and ordinary no-break spaces), Spanish "304,0 millones", Arabic per CLDR `ar`.
"""
from __future__ import annotations

import math

from babel import Locale, numbers

from wmr.core.errors import AssemblyError, shown

from .locales import SOURCE

NUMBERING = "default"   # the locale's own digits (CLDR defaultNumberingSystem)


def _number(value: float, lang: str, digits: int) -> str:
    """`value` with exactly `digits` decimals, grouped and punctuated as `lang` writes numbers."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=lang, numbering_system=NUMBERING)


def _scaled(value: float, lang: str, magnitude: int, digits: int = 1) -> str:
    """`value` in millions (magnitude 6) or billions (9) with the CLDR long compact word: '304,0 millions'."""
    locale = Locale.parse(lang)
    scaled = value / 10 ** magnitude
    rounded = round(scaled, digits)
    forms = locale.compact_decimal_formats["long"]
    form = locale.plural_form(rounded)
    pattern = (forms.get(form) or forms["other"]).get("1" + "0" * magnitude) or forms["other"]["1" + "0" * magnitude]
    return f"{pattern.prefix[0]}{_number(scaled, lang, digits)}{pattern.suffix[0]}"


def _percent(value: float, lang: str, digits: int = 1) -> str:
    """A value already in percent units with the locale's percent pattern and sign: '3,7 %'."""
    pattern = numbers.parse_pattern(Locale.parse(lang).percent_formats[None].pattern)
    pattern.frac_prec = (digits, digits)
    return pattern.apply(value / 100, lang, numbering_system=NUMBERING)


def _usd_billions(value: float, lang: str) -> str:
    """US dollars in billions: the long compact billions in the locale's currency pattern with its US$ symbol."""
    locale = Locale.parse(lang)
    pattern = numbers.parse_pattern(locale.currency_formats["standard"].pattern)
    symbol = locale.currency_symbols.get("USD", "US$")
    amount = _scaled(value, lang, 9)
    return (pattern.prefix[0] + amount + pattern.suffix[0]).replace("¤", symbol)


def _compact(value: float, lang: str) -> str:
    if abs(value) >= 1e9:
        return _scaled(value, lang, 9)
    if abs(value) >= 1e6:
        return _scaled(value, lang, 6)
    return _number(round(value), lang, 0)


FORMATTERS = {
    "count": lambda v, lang: _number(round(v), lang, 0),
    "millions": lambda v, lang: _scaled(v, lang, 6),
    "percent": _percent,
    "usd_billions": _usd_billions,
    "compact": _compact,
    "year": lambda v, lang: numbers.format_decimal(int(v), format="0", locale=lang, numbering_system=NUMBERING),
}


def format_fact(value: object, fmt: str, lang: str, english: str) -> str:
    """How language `lang` shows a fact whose value is `value`, recorded with format `fmt` and shown in English as
    `english` (kept as it is for English, for text facts and for facts recorded with a display of their own)."""
    if lang == SOURCE or fmt not in FORMATTERS:
        return english
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(float(value)):
        raise AssemblyError(f"A fact recorded with the number format '{fmt}' holds no number.",
                            expected="an int or float value", got=shown(value),
                            fix="record the fact with fmt='text' or with a numeric value")
    return FORMATTERS[fmt](float(value), lang)
