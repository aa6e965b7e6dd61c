"""Charts in the edition's languages: a translated copy of each figure's text SVG, made at assembly from the
kernel's English one (the computation is not repeated per language).

The kernel saves `<id>.text.svg` with every label as a real `<text>` element in DejaVu Sans (svg.fonttype
none); a multi-line label is a run of consecutive `<text>` elements, one per line. Each label is translated,
in this order, by the `charts` catalog of the language (locales/<lang>/charts.po: titles, axis labels,
legend entries, annotations, category names), by the UN M49 name of a country or area (also on both sides
of an 'A → B' corridor), or, for a number, range or percentage, by Babel (CLDR): '1,000' -> '1 000',
'2.5' -> '2,5', '20%' -> '20 %'; years stay as written. A label with no translation stays English and is
counted missing in the catalog, so `--release` refuses it like any other text.

Only the `<text>` elements of translated labels change; every other byte of the SVG is the kernel's.
A translated multi-line label is re-wrapped to as many lines (balanced) at the same line spacing, centred
on the English block and aligned as the English lines were (start, middle or end, measured with the
chart font's advance widths). A label that would run outside the chart is condensed to fit (`textLength`
with `lengthAdjust`); none other is. Arabic labels are wrapped in right-to-left marks (U+200F) so that
browsers and Typst (usvg) order them right to left while matplotlib's anchors keep their physical sides,
and take an Arabic font first in their font list; they are measured for wrapping at ARABIC_SCALE of DejaVu
Sans's isolated forms and never condensed. Every translated label gets a font list that falls back
sensibly where DejaVu Sans is not installed (the HTML site shows this SVG as an image).
"""
from __future__ import annotations

import math
import re
import shutil
import textwrap
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from babel import numbers

from .catalogs import Catalog, normalise
from .localefmt import NUMBERING, _percent

DOMAIN = "charts"   # locales/<lang>/charts.po
TEXT_RUN = re.compile(r"(?:<text\b[^>]*>[^<]*</text>\s*)+")
TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")
FONT = re.compile(r"font-family: '([^']*)'")
SIZE = re.compile(r"font-size: ([\d.]+)px")
TRANSLATE = re.compile(r'transform="translate\(([-\d.e]+) ([-\d.e]+)\)( rotate\(([-\d.e]+)\))?"')
ANCHOR = re.compile(r"; text-anchor: (start|middle|end)")
VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
RLM = "\u200f"
CORRIDOR = " → "
RTL_ARROW = "←"   # the corridor's arrow in right-to-left labels
# Fonts tried in turn where the kernel's DejaVu Sans is missing (a reader's browser); Arabic text first tries
# Arabic faces (Amiri is the one the PDF books vendor).
FALLBACK = "'DejaVu Sans', 'Noto Sans', 'Liberation Sans', Arial, sans-serif"
ARABIC_FONTS = "'Noto Sans Arabic', Amiri, 'Noto Naskh Arabic', 'DejaVu Sans', Arial, sans-serif"

_N = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMERIC = re.compile(rf"^(\s*)(US\$\s?)?([−-])?({_N})(%|\+)?(?:(–)([−-])?({_N})(%)?)?(\s*)$")
YEAR = re.compile(r"^(1[89]|20|21)\d\d$")


def _number(text: str, sign: str | None, lang: str) -> str:
    """One English number ('1,234.5') as `lang` writes it, with as many decimals and grouping if it had it."""
    whole, _, frac = text.partition(".")
    if "," not in whole and YEAR.match(whole) and not frac:
        return (sign or "") + text   # a year stays as it is
    pattern = ("#,##0" if "," in whole else "0") + ("." + "0" * len(frac) if frac else "")
    return (sign or "") + numbers.format_decimal(float(text.replace(",", "")), format=pattern, locale=lang,
                                                 numbering_system=NUMBERING)


def _percent_of(text: str, sign: str | None, lang: str) -> str:
    frac = text.partition(".")[2]
    return (sign or "") + _percent(float(text.replace(",", "")), lang, len(frac))


def numeric(label: str, lang: str) -> str | None:
    """A tick label or value annotation ('1,000', '2.5', '20%', '0.30–0.40', '65+', 'US$ 5') in `lang`'s
    conventions (CLDR through Babel); None for a label that is not a number."""
    m = NUMERIC.match(label)
    if not m:
        return None
    lead, usd, sign1, n1, suffix1, dash, sign2, n2, pct2, trail = m.groups()
    first = _percent_of(n1, sign1, lang) if suffix1 == "%" else _number(n1, sign1, lang) + (suffix1 or "")
    out = first if not dash else first + dash + (_percent_of(n2, sign2, lang) if pct2 else _number(n2, sign2, lang))
    if usd:
        out = f"{usd}{out}"
    return lead + out + trail


class Labels:
    """Translates the chart labels of one language; its catalog records the labels it had no translation for."""

    def __init__(self, lang: str, countries: dict[str, str]):
        """`countries`: English country or area name -> its UN M49 name in `lang` (localize.country_names)."""
        self.lang = lang
        self.catalog = Catalog.load(lang, DOMAIN)
        self.countries = countries

    def get(self, english: str) -> str | None:
        """`english` (a whole label, its lines joined) in the language; None if it has no translation."""
        key = normalise(english)
        if not key or not re.search(r"[^\W\d_]", key):   # no letters: a number, a range or punctuation
            return numeric(english, self.lang) if key else english
        if key in self.catalog.entries:
            return self.catalog.entries[key]
        if country := self._country(key):
            return country
        if (done := numeric(english, self.lang)) is not None:
            return done
        return self.catalog.get(key)   # recorded missing (or outdated)

    def _country(self, key: str) -> str | None:
        if key in self.countries:
            return self.countries[key]
        if CORRIDOR in key:
            ends = key.split(CORRIDOR)
            if len(ends) == 2 and all(e in self.countries for e in ends):
                return CORRIDOR.join(self.countries[e] for e in ends)
        return None


def is_catalog_label(english: str, countries: dict[str, str]) -> bool:
    """Whether a chart label goes into the charts catalog: it has letters and is neither a country or area
    with an M49 name (nor a corridor between two) nor a number."""
    key = normalise(english)
    if not re.search(r"[^\W\d_]", key) or NUMERIC.match(key) or key in countries:
        return False
    ends = key.split(CORRIDOR)
    return not (len(ends) == 2 and all(e in countries for e in ends))


@dataclass
class Line:
    """One `<text>` element of a label: its attributes, its text and where it sits."""

    attrs: str
    text: str
    start: int
    end: int


def labels(svg: str) -> list[list[Line]]:
    """The labels of a text SVG in drawing order, each a list of its lines (consecutive `<text>` elements)."""
    out = []
    for run in TEXT_RUN.finditer(svg):
        lines = []
        for m in TEXT.finditer(run.group(0)):
            text = ElementTree.fromstring(f"<text>{m.group(2)}</text>").text or ""
            lines.append(Line(m.group(1), text, run.start() + m.start(), run.start() + m.end()))
        out.append(lines)
    return out


def label_text(lines: list[Line]) -> str:
    """A label's whole English text: its lines joined by spaces (a msgid of the charts catalog)."""
    return normalise(" ".join(line.text for line in lines))


@lru_cache(maxsize=1)
def _advances() -> tuple[dict[int, float], float]:
    """DejaVu Sans advance widths per code point, in em (the font matplotlib laid the charts out with)."""
    from fontTools.ttLib import TTFont

    from .book import chart_fonts

    font = TTFont(str(Path(chart_fonts()[0]) / "DejaVuSans.ttf"), lazy=True)
    em = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    widths = {cp: hmtx[glyph][0] / em for cp, glyph in font.getBestCmap().items()}
    return widths, widths.get(ord("n"), 0.6)


# Arabic set in its joined forms is narrower than DejaVu Sans's isolated forms: Chromium sets these charts'
# Arabic labels in Amiri (the books' Arabic face) at 0.44-0.76 of that measure, in DejaVu Sans at 0.61-0.88.
ARABIC_SCALE = 0.8


def width(text: str, size: float) -> float:
    """Width of `text` in DejaVu Sans at `size` px (no kerning, as matplotlib's SVG layout); Arabic letters
    count ARABIC_SCALE of their isolated forms' width."""
    widths, default = _advances()
    return sum(widths.get(ord(c), default) * (ARABIC_SCALE if ARABIC.match(c) else 1.0) for c in text) * size


def wrap(text: str, lines: int) -> list[str]:
    """`text` in at most `lines` lines of balanced length (words are not broken)."""
    if lines <= 1:
        return [text]
    longest = max(len(w) for w in text.split())
    for limit in range(longest, len(text) + 1):
        out = textwrap.wrap(text, limit, break_long_words=False, break_on_hyphens=False)
        if len(out) <= lines:
            return out
    return [text]


def _fmt(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".")


class _Layout:
    """Writes translated labels into one SVG, keeping them inside its canvas: a label too long for the room
    between its anchor and the edge is wrapped onto more lines (horizontal labels, while the taller block
    reaches no other English label's place), and a Latin-script line still too long is condensed to the
    room (`textLength`). Arabic is only estimated (see `width`), so it
    is never condensed: a wrong `textLength` would stretch it."""

    MAX_EXTRA_LINES = 3   # more lines than the English label had, as long as they reach no other label

    def __init__(self, svg: str, runs: list[list[Line]]):
        box = VIEWBOX.search(svg)
        self.w, self.h = (float(box.group(1)), float(box.group(2))) if box else (float("inf"), float("inf"))
        self.boxes = [_english_box(lines) for lines in runs]   # where the English labels are

    def _collides(self, box: tuple[float, float, float, float], own: int) -> bool:
        """Whether `box` (x0, x1, y0, y1) would reach into another horizontal label's place."""
        x0, x1, y0, y1 = box
        return any(b is not None and i != own and b[0] < x1 and x0 < b[1] and b[2] < y1 and y0 < b[3]
                   for i, b in enumerate(self.boxes))

    def label(self, lines: list[Line], done: str, own: int) -> str:
        """The `<text>` elements of a translated label (`own`: its index among the chart's labels)."""
        first = lines[0]
        size = float(SIZE.search(first.attrs).group(1)) if SIZE.search(first.attrs) else 10.0
        place = _where(first.attrs)
        if place is None:   # not a form matplotlib writes: the text alone changes
            return self._element(first.attrs, done, None)
        x, y, angle, anchor = place
        if len(lines) > 1:   # lines laid out from their starts: align as the English lines were
            places = [_where(line.attrs) for line in lines]
            xs, ys = [p[0] for p in places], [p[1] for p in places]
            widths = [width(line.text, size) for line in lines]
            spread = {k: max(x + k * w for x, w in zip(xs, widths)) - min(x + k * w for x, w in zip(xs, widths))
                      for k in (0.0, 0.5, 1.0)}
            k = min(spread, key=lambda key: (spread[key], key))
            x, anchor = sum(x + k * w for x, w in zip(xs, widths)) / len(xs), ANCHORS[k]
            step, centre = (ys[-1] - ys[0]) / (len(ys) - 1), sum(ys) / len(ys)
        else:
            if anchor is None:   # a rotated tick label laid out from its start: its end sits at the tick
                w = width(first.text, size)
                x, y = x + w * math.cos(math.radians(angle)), y + w * math.sin(math.radians(angle))
                anchor = "end" if angle else "start"
            step, centre = 1.2 * size, y
        room = self._room(x, y, angle, anchor)
        count = len(lines)
        parts = wrap(done, count)
        while angle == 0 and room is not None and any(width(p, size) > room for p in parts) and len(parts) == count:
            more = wrap(done, count + 1)
            if count == len(lines) + self.MAX_EXTRA_LINES or self._collides(_box(x, centre, step, anchor, more, size), own):
                break
            count, parts = count + 1, more
        out = []
        for j, part in enumerate(parts):
            yj = centre + (j - (len(parts) - 1) / 2) * step
            out.append(self._element(_at(first.attrs, x, yj, angle, anchor), part, room, size))
        return "\n      ".join(out)

    def _element(self, attrs: str, text: str, room: float | None, size: float = 10.0) -> str:
        arabic = bool(ARABIC.search(text))
        attrs = FONT.sub(lambda m: "font-family: " + (ARABIC_FONTS if arabic else FALLBACK), attrs, count=1)
        if room is not None and not arabic and width(text, size) > room:
            attrs += f' textLength="{_fmt(room)}" lengthAdjust="spacingAndGlyphs"'
        if not arabic:
            return f"<text{attrs}>{escape(text)}</text>"
        # A corridor reads right to left, so its arrow points left; Amiri has no arrows: DejaVu Sans draws it
        arrow = f'<tspan style="font-family: {FALLBACK}">{RTL_ARROW}</tspan>'
        return f"<text{attrs}>{escape(RLM + text + RLM).replace(CORRIDOR.strip(), arrow)}</text>"

    def _room(self, x: float, y: float, angle: float, anchor: str) -> float | None:
        """How long a line anchored at (x, y) may be without leaving the canvas (None: not known)."""
        margin = 1.0
        if angle == 0:
            before, after = x - margin, self.w - x - margin
        elif angle == -90:   # reading upwards
            before, after = self.h - y - margin, y - margin
        else:
            return None
        return {"start": after, "end": before, "middle": 2 * min(before, after)}[anchor]


ANCHORS = {0.0: "start", 0.5: "middle", 1.0: "end"}
ASCENT, DESCENT = 0.8, 0.25   # of the font size, above and below the baseline


def _box(x: float, centre: float, step: float, anchor: str, parts: list[str], size: float
         ) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) of horizontal lines `parts` anchored at x, centred on `centre`, `step` apart."""
    w = max(width(p, size) for p in parts)
    x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
    half = (len(parts) - 1) / 2 * step
    return x0, x0 + w, centre - half - ASCENT * size, centre + half + DESCENT * size


def _english_box(lines: list[Line]) -> tuple[float, float, float, float] | None:
    """Where a horizontal English label is (None for a rotated one or one in a form not known)."""
    boxes = []
    for line in lines:
        place = _where(line.attrs)
        if place is None or place[2] != 0:
            return None
        size = float(SIZE.search(line.attrs).group(1)) if SIZE.search(line.attrs) else 10.0
        boxes.append(_box(place[0], place[1], 0, place[3] or "start", [line.text], size))
    return (min(b[0] for b in boxes), max(b[1] for b in boxes), min(b[2] for b in boxes), max(b[3] for b in boxes))
XY = re.compile(r' x="([-\d.e]+)" y="([-\d.e]+)" transform="rotate\(([-\d.e]+) [-\d.e]+ [-\d.e]+\)"')


def _where(attrs: str) -> tuple[float, float, float, str | None] | None:
    """(x, y, rotation in degrees, text-anchor or None) of a matplotlib `<text>`: anchored ('x', 'y', rotate
    about them, a text-anchor) or laid out from its start ('translate(x y) rotate(a)', no anchor)."""
    if m := XY.search(attrs):
        anchor = ANCHOR.search(attrs)
        return float(m.group(1)), float(m.group(2)), float(m.group(3)) + 0.0, anchor.group(1) if anchor else "start"
    if m := TRANSLATE.search(attrs):
        return float(m.group(1)), float(m.group(2)), float(m.group(4) or 0) + 0.0, None
    return None


def _at(attrs: str, x: float, y: float, angle: float, anchor: str) -> str:
    """`attrs` placed at (x, y) with `anchor`, in the form it was written in."""
    if XY.search(attrs):
        attrs = XY.sub(lambda m: f' x="{_fmt(x)}" y="{_fmt(y)}" transform="rotate({m.group(3)} {_fmt(x)} {_fmt(y)})"',
                       attrs)
        return ANCHOR.sub(f"; text-anchor: {anchor}", attrs)
    rotation = f" rotate({_fmt(angle)})" if angle else ""
    attrs = TRANSLATE.sub(f'transform="translate({_fmt(x)} {_fmt(y)}){rotation}"', attrs)
    return re.sub(r'style="([^"]*)"', lambda m: f'style="{m.group(1)}; text-anchor: {anchor}"', attrs, count=1)


def translate_svg(svg: str, tr: Labels) -> str:
    """The text SVG `svg` with its labels in `tr`'s language (unchanged bytes where nothing is translated)."""
    runs = labels(svg)
    layout = _Layout(svg, runs)
    out, at = [], 0
    for own, lines in enumerate(runs):
        english = label_text(lines)
        done = tr.get(english)
        if done is None or done == english and not ARABIC.search(done):
            continue
        out += [svg[at:lines[0].start], layout.label(lines, done, own)]
        at = lines[-1].end
    return "".join(out) + svg[at:]


def localize_figures(doc, tr: Labels, dest: Path):
    """`doc` with its figures pointing at their translated copies, written with the figures' other files into
    `dest` (the language site's figure folder): the records' 'svg' and 'svg_text' both name the translated
    text SVG, which the site shows and the PDF sets. The plotted data (CSV) keeps its English column names."""
    if not doc.figures:
        return doc
    dest.mkdir(parents=True, exist_ok=True)
    moved = {}
    for block in doc.figures:
        files = dict(block.files)
        text_svg = files.get("svg_text")
        for kind, name in files.items():
            if kind in ("svg", "svg_text"):
                continue
            shutil.copyfile(doc.figures_dir / name, dest / name)
        if text_svg:
            english = (doc.figures_dir / text_svg).read_text(encoding="utf-8")
            (dest / text_svg).write_text(translate_svg(english, tr), encoding="utf-8")
            files["svg"] = text_svg
        else:
            shutil.copyfile(doc.figures_dir / files["svg"], dest / files["svg"])
        moved[id(block)] = replace(block, files=files)
    for table in doc.tables:   # the folder moves: the tables' files (CSV) come along
        for name in table.files.values():
            shutil.copyfile(doc.figures_dir / name, dest / name)
    new = replace(doc, figures_dir=dest, blocks=[moved.get(id(b), b) for b in doc.blocks])
    new.refs = {key: moved.get(id(b), b) for key, b in doc.refs.items()}
    return new
