"""The report's chart types in house style. Each returns (fig, plotted_data) so the CSV is exactly what is drawn."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Polygon
from matplotlib.ticker import FuncFormatter

from . import style


def _scaled_formatter(scale: float, suffix: str = ""):
    return FuncFormatter(lambda v, _pos: f"{v / scale:,.0f}{suffix}" if scale != 1 else f"{v:,.0f}{suffix}")


def line_chart(data: pd.DataFrame, x: str, series: Sequence[str], *, ylabel: str, scale: float = 1.0,
               labels: dict[str, str] | None = None, percent: bool = False, size: str = "full", markers: bool = True):
    """Lines of one or more columns against x (years); `scale` divides the axis labels (1e6 -> millions)."""
    fig, ax = style.figure(size)
    labels = labels or {}
    for col in series:
        sub = data[[x, col]].dropna()
        ax.plot(sub[x], sub[col], marker="o" if markers else None, markersize=3.5, linewidth=2,
                label=labels.get(col, col))
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.1f}%") if percent else _scaled_formatter(scale))
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(_year_locator(data[x]))
    if len(series) > 1:
        ax.legend(loc="upper left", ncols=min(3, len(series)))
    return fig, data[[x, *series]].copy()


def _year_locator(years: pd.Series):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=min(10, max(2, years.nunique())), integer=True)


def stacked_area(data: pd.DataFrame, x: str, series: Sequence[str], *, ylabel: str, scale: float = 1.0,
                 labels: dict[str, str] | None = None, size: str = "full"):
    """Stacked areas of several columns against x."""
    fig, ax = style.figure(size)
    labels = labels or {}
    sub = data[[x, *series]].fillna(0)
    ax.stackplot(sub[x], *[sub[c] for c in series], labels=[labels.get(c, c) for c in series],
                 colors=style.PALETTE[: len(series)], alpha=0.9)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(_scaled_formatter(scale))
    ax.xaxis.set_major_locator(_year_locator(sub[x]))
    ax.legend(loc="upper left", ncols=min(3, len(series)))
    return fig, data[[x, *series]].copy()


def bar_chart(data: pd.DataFrame, label: str, value: str, *, xlabel: str, scale: float = 1.0,
              highlight: Sequence[str] = (), size: str = "tall", value_format: str = "{:,.1f}"):
    """Horizontal bars, largest on top, each labelled with its value (divided by `scale`)."""
    data = data.sort_values(value, ascending=True)
    fig, ax = style.figure(size)
    colors = [style.PALETTE[1] if lab in highlight else style.ACCENT for lab in data[label]]
    bars = ax.barh(data[label], data[value], color=colors)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(_scaled_formatter(scale))
    ax.set_xlabel(xlabel)
    for bar, v in zip(bars, data[value]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + value_format.format(v / scale),
                va="center", fontsize=7.5)
    ax.margins(x=0.12)
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
    ax.set_xticks(xs, data[category], rotation=0 if len(data) < 7 else 30, ha="center" if len(data) < 7 else "right")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%") if percent else _scaled_formatter(scale))
    if n > 1:
        ax.legend(ncols=min(4, n))
    return fig, data[[category, *series]].copy()


def world_map(shapes: pd.DataFrame, values: pd.DataFrame, *, iso3: str, value: str, bins: Sequence[float],
              legend_title: str, size: str = "map"):
    """Choropleth of `value` by ISO3 on Natural Earth shapes; countries without data are hatched grey.

    `shapes` has columns iso3 and geometry (GeoJSON dict); returns the plotted values table.
    """
    fig, ax = style.figure(size)
    ax.set_axis_off()
    ax.grid(False)
    colors = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"][: len(bins) - 1]
    cmap = ListedColormap(colors)
    norm = BoundaryNorm(bins, cmap.N)
    lookup = dict(zip(values[iso3], values[value]))
    patches, vals, missing = [], [], []
    for code, geom in zip(shapes["iso3"], shapes["geometry"]):
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            patch = Polygon(np.asarray(poly[0]), closed=True)
            v = lookup.get(code)
            if v is None or pd.isna(v):
                missing.append(patch)
            else:
                patches.append(patch)
                vals.append(v)
    coll = PatchCollection(patches, cmap=cmap, norm=norm, edgecolor="white", linewidth=0.2)
    coll.set_array(np.asarray(vals))
    ax.add_collection(coll)
    ax.add_collection(PatchCollection(missing, facecolor="#f0f0f0", edgecolor="#bdbdbd", linewidth=0.2, hatch="///"))
    ax.set_xlim(-170, 190)
    ax.set_ylim(-58, 85)
    ax.set_aspect("equal")
    cb = fig.colorbar(coll, ax=ax, orientation="horizontal", fraction=0.05, pad=0.02, aspect=40, spacing="uniform")
    cb.set_label(legend_title)
    plotted = values[[iso3, value]][values[iso3].isin(set(shapes["iso3"]))].sort_values(iso3).reset_index(drop=True)
    return fig, plotted
