"""Axis helpers shared by the chart types: tick formats, wrapped labels, legends outside the plot."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .. import style


def _scaled_formatter(scale: float, suffix: str = ""):
    """Tick labels divided by `scale`, with one decimal only where a tick needs it (0.5, 1, 1.5)."""
    def label(v, _pos):
        text = f"{v / scale:,.1f}".rstrip("0").rstrip(".")
        return ("0" if text in ("-0", "") else text) + suffix
    return FuncFormatter(label)


def _year_locator(years: pd.Series):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=min(10, max(2, years.nunique())), integer=True)


LABEL_CHARS = 26        # category labels wrap at most this wide, so they leave the chart room on a phone
ROW_OVERHEAD_IN = 0.85  # inches of a horizontal bar chart that are not rows: ticks, axis label, margins
LINE_IN = 0.155         # inches per line of a category label (10 pt text)


def wrap_label(text: str, width: int = LABEL_CHARS) -> str:
    """`text` wrapped onto lines of at most `width` characters (never wider than LABEL_CHARS)."""
    import textwrap

    return textwrap.fill(str(text), min(width, LABEL_CHARS), break_long_words=False)


LEGEND_CHARS = 40       # legend entries wrap at this width, so a legend never runs past the chart


def legend_label(text: str) -> str:
    """A legend entry wrapped to LEGEND_CHARS characters a line."""
    import textwrap

    return textwrap.fill(str(text), LEGEND_CHARS, break_long_words=False)


def fit_bar_height(fig, series: int = 1):
    """Give a horizontal bar chart the height its rows need (label lines, bars per row); returns fig.

    Rows are evenly spaced, so the spacing must fit the tallest pair of neighbouring labels: a three-line
    label between one-line labels borrows room from its neighbours.
    """
    ax = fig.axes[0]
    lines = [t.get_text().count("\n") + 1 for t in ax.get_yticklabels()]
    if not lines:
        return fig
    pairs = [(a + b) / 2 for a, b in zip(lines, lines[1:])] or lines
    row = max(LINE_IN * max(pairs) + 0.06, 0.13 * series + 0.08, 0.22)
    fig.set_figheight(ROW_OVERHEAD_IN + row * len(lines))
    return fig


def wrap_tick_labels(fig, width: int = 28, axis: str = "y"):
    """Wrap long category tick labels (e.g. of bar_chart) onto several lines; returns fig. The data is unchanged.

    Labels never get wider than LABEL_CHARS; a bar chart's height then grows with its label lines.
    """
    for ax in fig.axes:
        ticks = ax.get_yticks() if axis == "y" else ax.get_xticks()
        labels = [wrap_label(t.get_text().replace("\n", " "), width)
                  for t in (ax.get_yticklabels() if axis == "y" else ax.get_xticklabels())]
        if not any(labels):
            continue
        (ax.set_yticks if axis == "y" else ax.set_xticks)(ticks, labels)
    if axis == "y" and fig.axes and getattr(fig, "_wmr_bar_series", 0):
        fit_bar_height(fig, fig._wmr_bar_series)
    return fig


RIGHT_LEGEND_CHARS = 16  # a legend to the right of a chart with longer entries goes below it instead


def legend_outside(fig, where: str = "right", ncols: int = 1, reverse: bool = False):
    """Move the first axes' legend outside the plot area ('right' or 'below') so it never covers data.

    `reverse=True` lists the entries in reverse order, e.g. to match the visual order of stacked bars.
    Charts are narrow (style.WIDTH), so a legend with entries longer than RIGHT_LEGEND_CHARS goes below.
    """
    ax = fig.axes[0]
    handles, labels = ax.get_legend_handles_labels()
    if where == "right" and max((len(t) for t in labels), default=0) > RIGHT_LEGEND_CHARS:
        where = "below"
    labels = [legend_label(t) for t in labels]
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    if reverse:
        handles, labels = handles[::-1], labels[::-1]
    if where == "below":
        fig.legend(handles, labels, loc="outside lower center", ncols=ncols)
    else:
        fig.legend(handles, labels, loc="outside right upper", ncols=ncols)
    return fig


def scaled_ticks(fig, scale: float, axis: str = "x"):
    """Nice tick steps in scaled units (0.5, 1, 2.5 ...) labelled with the decimals they need; returns fig.

    Use after bar_chart & co. when the scaled range is small (ticks 0, 0.5, 1 instead of 0, 0, 1).
    """
    from matplotlib.ticker import MaxNLocator

    class _Scaled(MaxNLocator):
        def tick_values(self, vmin, vmax):
            return super().tick_values(vmin / scale, vmax / scale) * scale

    for ax in fig.axes[:1]:
        target = ax.xaxis if axis == "x" else ax.yaxis
        target.set_major_locator(_Scaled(nbins=6, steps=[1, 2, 2.5, 5, 10]))

        def _label(v, _pos):
            step = np.diff(target.get_majorticklocs()).min() / scale if len(target.get_majorticklocs()) > 1 else 1
            decimals = next((d for d in range(4) if abs(round(step, d) - step) < 1e-9), 3)
            return f"{v / scale:,.{decimals}f}"
        target.set_major_formatter(FuncFormatter(_label))
    return fig


def headroom(fig, top: float, factor: float = 1.3):
    """Start the y axis at 0 and end it at `factor` x `top` (the highest value), leaving room for a legend; returns fig."""
    fig.axes[0].set_ylim(0, factor * top)
    return fig


def break_at_gaps(fig, data: pd.DataFrame, x: str, series: list[str]):
    """Redraw each line of `series` with gaps where a value is missing, instead of joining the points around it.

    line_chart drops missing points, so its lines bridge them; returns fig.
    """
    for line, col in zip(fig.axes[0].lines, series):
        line.set_data(data[x], data[col])
    return fig


def index_axes(fig, *, base: float = 100, top: float = 145, ncols: int = 4, color: str | None = None):
    """An index chart's frame: a dashed line at `base` (e.g. 2019 = 100), y from 0 to `top` with ticks up to
    `base`, and the legend in one row at the top, clear of the lines; returns fig."""
    ax = fig.axes[0]
    ax.axhline(base, color=color or style.MUTED, linewidth=0.8, linestyle="--", zorder=0)
    ax.set_ylim(0, top)
    ax.set_yticks(range(0, int(base) + 1, 20))
    ax.legend(loc="upper center", ncols=ncols)
    return fig
