"""Fact displays per locale, through Babel (CLDR): digits, separators, spaces, percent signs, "million" words
and currency symbols as each language writes them.

The kernel records each fact's value and its format name (`fmt`, see wmr.kernel.fmt.FORMATS); English keeps
the display the kernel wrote, and another language formats the same value here: French "304,0 millions" and
"3,7 %" (with CLDR's narrow and ordinary no-break spaces), Spanish "304,0 millones", Arabic per CLDR `ar`.
"""
from __future__ import annotations

import datetime as dt
import math
import re

from babel import Locale, dates, lists, numbers

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
    return _in_dollars(_scaled(value, lang, 9), lang)


def _in_dollars(amount: str, lang: str) -> str:
    """An amount already written in words ('1,2 milliard') in the locale's currency pattern with its US$ symbol."""
    locale = Locale.parse(lang)
    pattern = numbers.parse_pattern(locale.currency_formats["standard"].pattern)
    symbol = locale.currency_symbols.get("USD", "US$")
    return (pattern.prefix[0] + amount + pattern.suffix[0]).replace("¤", symbol)


def _usd(value: float, lang: str) -> str:
    """US dollars in billions from a billion up, else in millions (kernel format 'usd'), per the locale."""
    return _in_dollars(_scaled(value, lang, 9 if value >= 1e9 else 6), lang)


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
    "usd": _usd,
    "percent_whole": lambda v, lang: _percent(v, lang, 0),
    "index": lambda v, lang: _number(v, lang, 3),
    "compact": _compact,
    "year": lambda v, lang: numbers.format_decimal(int(v), format="0", locale=lang, numbering_system=NUMBERING),
}


PLAIN_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)$")   # '107%', '+10.8', '0.550', '1,234'


def number_text(english: str, lang: str) -> str:
    """A number a chapter displayed by hand in English ('107%', '-8.9', '0.550') written as `lang` writes numbers,
    with the same sign, decimals and percent sign; any other display is returned as it is."""
    m = PLAIN_NUMBER.match(english)
    if lang == SOURCE or not m or re.fullmatch(r"\d{4}", english):   # a year stays as it is written
        return english
    sign, whole, decimals, percent = m.groups()
    number = float(whole.replace(",", "") + ("." + decimals if decimals else ""))
    digits = len(decimals or "")
    return sign + (_percent(number, lang, digits) if percent else _number(number, lang, digits))


def format_fact(value: object, fmt: str, lang: str, english: str) -> str:
    """How language `lang` shows a fact whose value is `value`, recorded with format `fmt` and shown in English as
    `english` (kept as it is for English and text facts; a number given a display by hand keeps its digits and
    takes the language's separators and percent sign)."""
    if lang == SOURCE:
        return english
    if fmt not in FORMATTERS:
        return number_text(english, lang) if fmt is None else english
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(float(value)):
        raise AssemblyError(f"A fact recorded with the number format '{fmt}' holds no number.",
                            expected="an int or float value", got=shown(value),
                            fix="record the fact with fmt='text' or with a numeric value")
    return FORMATTERS[fmt](float(value), lang)


ENGLISH_MONTHS = {name: n for n, name in Locale.parse(SOURCE).months["format"]["wide"].items()}
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([A-Z][a-z]+) (\d{4})$")   # '10 December 2018' (a date fact's display)
MONTH_YEAR = re.compile(r"^([A-Z][a-z]+) (\d{4})$")                # 'December 2018'


def format_date_text(english: str, lang: str) -> str | None:
    """A date as the kernel writes it ('10 December 2018', 'December 2018') in `lang` (CLDR long date or
    month-and-year skeleton: '10 décembre 2018', 'décembre 2018'); None when it is not such a date."""
    if m := DAY_MONTH_YEAR.match(english):
        if m.group(2) in ENGLISH_MONTHS:
            day = dt.date(int(m.group(3)), ENGLISH_MONTHS[m.group(2)], int(m.group(1)))
            return dates.format_date(day, format="long", locale=lang)
    elif (m := MONTH_YEAR.match(english)) and m.group(1) in ENGLISH_MONTHS:
        return dates.format_skeleton("yMMMM", dt.date(int(m.group(2)), ENGLISH_MONTHS[m.group(1)], 1), locale=lang)
    return None


def format_names(names: list[str], lang: str) -> str:
    """Names as a list in `lang`'s words ('Oman, Bhoutan et Maldives'), through CLDR list patterns."""
    return lists.format_list(names, style="standard", locale=lang)


def join_names(names: list[str], lang: str) -> str:
    """Names run together with the separator `lang` puts between the middle items of a list ('A, B, C'), for a
    list that goes on in words ('... and 34 others')."""
    middle = Locale.parse(lang).list_patterns["standard"]["middle"]
    out = names[0]
    for name in names[1:]:
        out = middle.format(out, name)
    return out


SCALED = re.compile(r"^(US\$)?(-?\d[\d,]*(?:\.(\d+))?) (million|billion)$")


def scaled_text(english: str, lang: str) -> str | None:
    """A count or an amount of US dollars a chapter's table shows in words ('304.0 million', 'US$21.3 billion')
    as `lang` writes it ('304,0 millions', '21,3 milliards $US'), with the same decimals; None when `english`
    is not such a number."""
    m = SCALED.match(english)
    if not m:
        return None
    if lang == SOURCE:
        return english
    usd, number, decimals, word = m.groups()
    magnitude = 6 if word == "million" else 9
    amount = _scaled(float(number.replace(",", "")) * 10 ** magnitude, lang, magnitude, len(decimals or ""))
    return _in_dollars(amount, lang) if usd else amount
