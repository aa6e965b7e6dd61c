"""Bar charts: ranked horizontal bars, grouped and stacked bars."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .. import style
from .axes import _scaled_formatter, fit_bar_height, legend_label, scaled_ticks, wrap_label


def bar_chart(data: pd.DataFrame, label: str, value: str, *, xlabel: str, scale: float = 1.0,
              highlight: Sequence[str] = (), size: str = "tall", value_format: str = "{:,.1f}"):
    """Horizontal bars, largest on top, each labelled with its value (divided by `scale`)."""
    data = data.sort_values(value, ascending=True)
    fig, ax = style.figure(size)
    colors = [style.PALETTE[1] if lab in highlight else style.ACCENT for lab in data[label]]
    ys = np.arange(len(data))
    bars = ax.barh(ys, data[value], color=colors)
    ax.set_yticks(ys, [wrap_label(lab) for lab in data[label]])
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(_scaled_formatter(scale))
    ax.set_xlabel(legend_label(xlabel))
    for bar, v in zip(bars, data[value]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + value_format.format(v / scale),
                va="center", fontsize=style.ANNOTATION_SIZE)
    ax.margins(x=0.16)
    fig._wmr_bar_series = 1
    fit_bar_height(fig)
    return fig, data[[label, value]].iloc[::-1].reset_index(drop=True)


def grouped_bars(data: pd.DataFrame, category: str, series: Sequence[str], *, ylabel: str, scale: float = 1.0,
                 labels: dict[str, str] | None = None, size: str = "full", percent: bool = False):
    """Vertical bars for several series per category."""
    fig, ax = style.figure(size)
    labels = labels or {}
    n = len(series)
    xs = np.arange(len(data))
    width = 0.8 / n
    for i, col in enumerate(series):
        ax.bar(xs + (i - (n - 1) / 2) * width, data[col], width, label=labels.get(col, col))
    many = len(data) >= 7   # a narrow chart: many category labels stand upright
    ax.set_xticks(xs, data[category], rotation=90 if many else 0, ha="center")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%") if percent else _scaled_formatter(scale))
    if n > 1:  # above the plot, where it cannot cover bars
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(2, n), borderaxespad=0.3)
    return fig, data[[category, *series]].copy()


def stacked_bars(data: pd.DataFrame, category: str, series: Sequence[str], *, ylabel: str, scale: float = 1.0,
                 labels: dict[str, str] | None = None, size: str = "full", percent: bool = False,
                 colors: Sequence[str] | None = None):
    """Vertical bars per category with the series stacked on each other (parts of a total); NaN counts as 0."""
    fig, ax = style.figure(size)
    labels = labels or {}
    colors = list(colors) if colors else style.PALETTE
    xs = np.arange(len(data))
    bottom = np.zeros(len(data))
    for i, col in enumerate(series):
        vals = data[col].fillna(0).to_numpy(dtype=float)
        ax.bar(xs, vals, 0.75, bottom=bottom, label=labels.get(col, col), color=colors[i % len(colors)])
        bottom += vals
    rotate = len(data) >= 7   # a narrow chart: many category labels stand upright
    ax.set_xticks(xs, data[category], rotation=90 if rotate else 0, ha="center")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%") if percent else _scaled_formatter(scale))
    if len(series) > 1:  # above the plot, where it cannot cover bars
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(2, len(series)), borderaxespad=0.3)
    return fig, data[[category, *series]].copy()


def grouped_barh(data: pd.DataFrame, label: str, series: Sequence[str], *, xlabel: str, scale: float = 1.0,
                 labels: dict[str, str] | None = None, size: str = "tall", value_format: str = "{:,.1f}",
                 wrap: int = 24):
    """Horizontal bars for several series per category, first row on top, each bar labelled with its value.

    Category labels longer than `wrap` characters are wrapped; the returned data is `data[[label, *series]]`.
    """
    fig, ax = style.figure(size)
    labels = labels or {}
    n = len(series)
    ys = np.arange(len(data))[::-1]
    height = 0.8 / n
    for i, col in enumerate(series):
        pos = ys + ((n - 1) / 2 - i) * height
        vals = data[col].fillna(0).to_numpy(dtype=float)
        bars = ax.barh(pos, vals, height, label=legend_label(labels.get(col, col)),
                       color=style.PALETTE[i % len(style.PALETTE)])
        for bar, v in zip(bars, vals):
            if v:  # no label on empty bars (no figure)
                ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + value_format.format(v / scale),
                        va="center", fontsize=style.ANNOTATION_SIZE)
    ax.set_yticks(ys, [wrap_label(t, wrap) for t in data[label]])
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    scaled_ticks(fig, scale, "x")
    ax.set_xlabel(legend_label(xlabel))
    ax.margins(x=0.18)
    if n > 1:  # above the plot: inside it, the legend would cover bars of a narrow chart
        ax.legend(loc="lower right", bbox_to_anchor=(1, 1.0), ncols=1, borderaxespad=0.3)
    fig._wmr_bar_series = n
    fit_bar_height(fig, n)
    if n > 1:
        fig.set_figheight(fig.get_figheight() + 0.2 * sum(legend_label(labels.get(c, c)).count("\n") + 1 for c in series))
    return fig, data[[label, *series]].reset_index(drop=True)
