"""House style for figures: colours, fonts, sizes and deterministic saving (same bytes on every build).

Figures are drawn at their printed size: WIDTH inches wide (set at natural size in the PDF, two charts to a
page where they fit) with text of at least MIN_TEXT points. The HTML edition shows the same SVG scaled to
the screen; on a 390 px phone it is about 356 px wide, so text shrinks by 356 / (WIDTH * 96) and tick
labels of TICK_SIZE points stay above 10 CSS pixels (PHONE_WIDTH_PX, checked by the tests).
"""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from wmr.core.errors import ChapterError, shown

# Colour-blind-safe palette (Okabe-Ito), led by a dark blue with >= 4.5:1 contrast on white.
PALETTE = ["#0b4f8a", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a6a00", "#000000"]
ACCENT = PALETTE[0]
MUTED = "#8a8a8a"

WIDTH = 4.6            # inches: every chart's width
TICK_SIZE = 10.0       # points: tick labels, axis labels
LEGEND_SIZE = 9.5      # points: legends
ANNOTATION_SIZE = 9.0  # points: values written on bars, cells and points
MIN_TEXT = ANNOTATION_SIZE
PHONE_WIDTH_PX = 356   # CSS pixels a figure gets on a 390 px wide phone (page padding and border taken off)

RC = {
    "font.family": "DejaVu Sans",
    "font.size": TICK_SIZE,
    "axes.titlesize": TICK_SIZE + 0.5,
    "axes.labelsize": TICK_SIZE,
    "xtick.labelsize": TICK_SIZE,
    "ytick.labelsize": TICK_SIZE,
    "legend.fontsize": LEGEND_SIZE,
    "legend.title_fontsize": LEGEND_SIZE,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "svg.hashsalt": "wmr",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "figure.dpi": 100,
}

# (width, height) in inches; bar charts then fit their height to their rows (plots.axes.fit_bar_height)
SIZES = {"full": (WIDTH, 3.1), "tall": (WIDTH, 4.6), "map": (WIDTH, 2.8), "half": (WIDTH, 3.0)}


def figure(size: str = "full", **subplot_kw):
    """A new (fig, ax) in house style; size is one of SIZES."""
    matplotlib.rcParams.update(RC)
    fig, ax = plt.subplots(figsize=SIZES[size], layout="constrained", **subplot_kw)
    return fig, ax


def render(fig, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes with no timestamps or random ids ('svg': text as outlines, for browsers
    without the font; 'svg-text': text as text, for the PDF, which has the font)."""
    matplotlib.rcParams.update(RC)
    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=200, metadata={"Software": None})
    elif fmt == "svg":
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    elif fmt == "svg-text":  # text kept as <text> in DejaVu Sans: the PDF sets it as real, searchable text
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    else:
        raise ChapterError(f"Figure format {fmt!r} is not one the build writes.", expected="png or svg", got=shown(fmt), fix="save figures through Chapter.figure")
    return buf.getvalue()


def render_formats(fig) -> dict[str, bytes]:
    """The figure as text SVG, SVG and PNG (see render), laid out once: the layout engine runs for the first and
    is then switched off, so the other two draw the same positions (laying out three times cost a fifth of a
    regional run)."""
    out = {"svg-text": render(fig, "svg-text")}
    fig.set_layout_engine("none")
    out["svg"] = render(fig, "svg")
    out["png"] = render(fig, "png")
    return out


def close(fig) -> None:
    plt.close(fig)
