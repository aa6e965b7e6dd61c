"""House style for figures: colours, fonts and deterministic saving (same bytes on every build)."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Colour-blind-safe palette (Okabe-Ito), led by a dark blue with >= 4.5:1 contrast on white.
PALETTE = ["#0b4f8a", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a6a00", "#000000"]
ACCENT = PALETTE[0]
MUTED = "#8a8a8a"

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
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

SIZES = {"full": (7.0, 3.8), "tall": (7.0, 5.2), "map": (7.0, 3.6), "half": (4.6, 3.2)}


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
        raise ValueError(f"unsupported figure format {fmt!r}")
    return buf.getvalue()


def close(fig) -> None:
    plt.close(fig)
