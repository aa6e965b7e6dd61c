"""Charts over time: lines, stacked areas and a dated timeline."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .. import style
from .axes import _scaled_formatter, _year_locator, fit_bar_height, legend_label, wrap_label

INSIDE_LEGEND_CHARS = 40  # longer legends would run past the plot area: they go below it instead


def line_chart(data: pd.DataFrame, x: str, series: Sequence[str], *, ylabel: str, scale: float = 1.0,
               labels: dict[str, str] | None = None, percent: bool = False, size: str = "full", markers: bool = True):
    """Lines of one or more columns against x (years); `scale` divides the axis labels (1e6 -> millions)."""
    fig, ax = style.figure(size)
    labels = labels or {}
    for col in series:
        sub = data[[x, col]].dropna()
        ax.plot(sub[x], sub[col], marker="o" if markers else None, markersize=3.5, linewidth=2,
                label=labels.get(col, col))
    ax.set_ylabel(legend_label(ylabel))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.1f}%") if percent else _scaled_formatter(scale))
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(_year_locator(data[x]))
    if len(series) > 1:
        _legend(fig, ax, [labels.get(c, c) for c in series])
    return fig, data[[x, *series]].copy()


def _legend(fig, ax, names: list[str]) -> None:
    """Short legends in the plot's top left corner; long ones below the plot in two columns.

    Both are the axes' own legend, so a notebook's later `ax.legend(...)` or `legend_outside` replaces it.
    """
    if sum(len(n) for n in names) > INSIDE_LEGEND_CHARS:
        ncols = 1 if max(len(n) for n in names) > 22 else 2
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles, [legend_label(t) for t in labels], loc="upper center", bbox_to_anchor=(0.5, 0),
                  borderaxespad=2.6, ncols=ncols)
    else:
        ax.legend(loc="upper left", ncols=min(3, len(names)))


def stacked_area(data: pd.DataFrame, x: str, series: Sequence[str], *, ylabel: str, scale: float = 1.0,
                 labels: dict[str, str] | None = None, size: str = "full"):
    """Stacked areas of several columns against x."""
    fig, ax = style.figure(size)
    labels = labels or {}
    sub = data[[x, *series]].fillna(0)
    ax.stackplot(sub[x], *[sub[c] for c in series], labels=[labels.get(c, c) for c in series],
                 colors=style.PALETTE[: len(series)], alpha=0.9)
    ax.set_ylabel(legend_label(ylabel))
    ax.yaxis.set_major_formatter(_scaled_formatter(scale))
    ax.xaxis.set_major_locator(_year_locator(sub[x]))
    handles, names = ax.get_legend_handles_labels()   # above the plot: the areas fill it
    ax.legend(handles, [legend_label(t) for t in names], loc="lower left", bbox_to_anchor=(0, 1.0),
              ncols=1 if max(len(t) for t in names) > 22 else 2, borderaxespad=0.3)
    return fig, data[[x, *series]].copy()


def timeline(data: pd.DataFrame, date: str, label: str, *, size: str = "tall", wrap: int = 48):
    """Dated events on a time axis, one row each (earliest on top), named by their date and text; returns the rows drawn.

    Dots sit at their true dates, so gaps between milestones show; each row's date and text are its label on
    the left (wrapped to fit a narrow chart), so no label runs past the chart on a phone.
    """
    rows = data.sort_values(date, kind="stable").reset_index(drop=True)
    fig, ax = style.figure(size)
    dates = pd.to_datetime(rows[date])
    ys = np.arange(len(rows))[::-1]
    first, last = dates.min(), dates.max()
    ax.hlines(ys, first, last, color="#eeeeee", linewidth=0.8, zorder=1)
    ax.scatter(dates, ys, s=28, color=style.ACCENT, zorder=3)
    labels = [wrap_label(f"{d.day} {d.strftime('%b %Y')}: {text}", wrap) for d, text in zip(dates, rows[label])]
    span = last - first
    ax.set_xlim(first - span * 0.04, last + span * 0.04)
    ax.set_yticks(ys, labels)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.tick_params(axis="y", length=0)
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=5))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.spines["left"].set_visible(False)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    fit_bar_height(fig)
    out = rows.copy()
    out[date] = dates.dt.strftime("%Y-%m-%d")
    return fig, out
