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
    """Tick labels divided by `scale`, with one decimal only where a tick needs it (0.5, 1, 1.5)."""
    def label(v, _pos):
        text = f"{v / scale:,.1f}".rstrip("0").rstrip(".")
        return ("0" if text in ("-0", "") else text) + suffix
    return FuncFormatter(label)


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
    rotate = len(data) >= 7
    ax.set_xticks(xs, data[category], rotation=45 if rotate else 0, ha="right" if rotate else "center")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%") if percent else _scaled_formatter(scale))
    if len(series) > 1:
        ax.set_ylim(0, bottom.max() * 1.18)  # headroom for the legend above the tallest bar
        ax.legend(loc="upper left", ncols=min(3, len(series)))
    return fig, data[[category, *series]].copy()


def wrap_tick_labels(fig, width: int = 28, axis: str = "y"):
    """Wrap long category tick labels (e.g. of bar_chart) onto several lines; returns fig. The data is unchanged."""
    import textwrap

    for ax in fig.axes:
        ticks = ax.get_yticks() if axis == "y" else ax.get_xticks()
        labels = [textwrap.fill(t.get_text(), width) for t in (ax.get_yticklabels() if axis == "y" else ax.get_xticklabels())]
        if not any(labels):
            continue
        (ax.set_yticks if axis == "y" else ax.set_xticks)(ticks, labels)
    return fig


def timeline(data: pd.DataFrame, date: str, label: str, *, size: str = "tall", wrap: int = 48):
    """Dated events on a time axis, one row each (earliest on top), labelled with date and text; returns the rows drawn.

    Dots sit at their true dates, so gaps between milestones show; labels go right of the dot in the first
    half of the period and left of it in the second, wrapped at `wrap` characters.
    """
    import textwrap

    rows = data.sort_values(date, kind="stable").reset_index(drop=True)
    fig, ax = style.figure(size)
    dates = pd.to_datetime(rows[date])
    ys = np.arange(len(rows))[::-1]
    first, last = dates.min(), dates.max()
    middle = first + (last - first) / 2
    ax.hlines(ys, first, last, color="#eeeeee", linewidth=0.8, zorder=1)
    ax.scatter(dates, ys, s=28, color=style.ACCENT, zorder=3)
    for d, y, text in zip(dates, ys, rows[label]):
        right = d <= middle
        ax.annotate(textwrap.fill(f"{d.day} {d.strftime('%b %Y')}: {text}", wrap), (d, y),
                    xytext=(6 if right else -6, 0), textcoords="offset points", va="center",
                    ha="left" if right else "right", fontsize=7.5)
    span = last - first
    ax.set_xlim(first - span * 0.03, last + span * 0.03)
    ax.set_ylim(-0.8, len(rows) - 0.2)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    out = rows.copy()
    out[date] = dates.dt.strftime("%Y-%m-%d")
    return fig, out


def heatmap(matrix: pd.DataFrame, *, xlabel: str, ylabel: str, legend_title: str, value_format: str = "{:.1f}",
            center: float | None = None, size: str = "full"):
    """Annotated grid of a matrix (rows = index, columns = columns); `center` gives a diverging scale around it.

    Returns the plotted matrix as a table (index as its first column).
    """
    from matplotlib.colors import TwoSlopeNorm

    fig, ax = style.figure(size)
    ax.grid(False)
    values = matrix.to_numpy(dtype=float)
    if center is None:
        cmap, norm = "Blues", None
    else:
        span = max(float(np.nanmax(np.abs(values - center))), 1e-9)
        cmap, norm = "RdBu_r", TwoSlopeNorm(vcenter=center, vmin=center - span, vmax=center + span)
    im = ax.imshow(values, cmap=cmap, norm=norm, aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns])
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index])
    ax.tick_params(length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    lo, hi = im.norm.vmin, im.norm.vmax
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if np.isnan(v):
                continue
            dark = abs(im.norm(v) - (0.5 if center is not None else 0)) > (0.3 if center is not None else 0.6)
            text = value_format.format(v)
            if not text.strip("+-0.,"):  # a value that rounds to zero prints without a sign
                text = text.lstrip("+-")
            ax.text(j, i, text, ha="center", va="center", fontsize=8.5,
                    color="white" if dark and hi > lo else "black")
    cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    cb.set_label(legend_title)
    cb.outline.set_visible(False)
    return fig, matrix.reset_index()


def scatter(data: pd.DataFrame, x: str, y: str, *, xlabel: str, ylabel: str, group: str | None = None,
            order: Sequence[str] | None = None, label: str | None = None, annotate: Sequence[str] = (),
            logy: bool = False, percent: bool = False, size: str = "full"):
    """Points of y against x, coloured by `group` (in `order`); rows whose `label` is in `annotate` are named.

    Returns the plotted columns (label, x, y, group), rows without x or y left out.
    """
    fig, ax = style.figure(size)
    cols = [c for c in (label, x, y, group) if c]
    sub = data[cols].dropna(subset=[x, y])
    if logy:
        sub = sub[sub[y] > 0]
        ax.set_yscale("log")
    ax.grid(axis="both", visible=True)
    if group:
        keys = list(order) if order else sorted(sub[group].unique())
        for i, key in enumerate(keys):
            part = sub[sub[group] == key]
            ax.scatter(part[x], part[y], s=16, alpha=0.8, color=style.PALETTE[i % len(style.PALETTE)],
                       edgecolor="white", linewidth=0.4, label=str(key))
        ax.legend(title=None, ncols=min(4, len(keys)), loc="upper center", bbox_to_anchor=(0.5, 1.12))
    else:
        ax.scatter(sub[x], sub[y], s=16, alpha=0.8, color=style.ACCENT, edgecolor="white", linewidth=0.4)
    if label and annotate:
        renderer = fig.canvas.get_renderer()
        placed = []
        named = sub[sub[label].isin(list(annotate))].sort_values(y, ascending=False)
        for _, r in named.iterrows():
            for step in range(8):  # move a label down until it clears the labels already placed
                text = ax.annotate(str(r[label]), (r[x], r[y]), xytext=(4, 3 - 9 * step), textcoords="offset points",
                                   fontsize=7.5)
                box = text.get_window_extent(renderer)
                if not any(box.overlaps(other) for other in placed):
                    break
                text.remove()
            placed.append(box)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fmt = (lambda v, _p: f"{v:g}%") if percent else (lambda v, _p: f"{v:g}")
    ax.yaxis.set_major_formatter(FuncFormatter(fmt))
    return fig, sub.reset_index(drop=True)


def grouped_barh(data: pd.DataFrame, label: str, series: Sequence[str], *, xlabel: str, scale: float = 1.0,
                 labels: dict[str, str] | None = None, size: str = "tall", value_format: str = "{:,.1f}",
                 wrap: int = 30):
    """Horizontal bars for several series per category, first row on top, each bar labelled with its value.

    Category labels longer than `wrap` characters are wrapped; the returned data is `data[[label, *series]]`.
    """
    import textwrap

    fig, ax = style.figure(size)
    labels = labels or {}
    n = len(series)
    ys = np.arange(len(data))[::-1]
    height = 0.8 / n
    for i, col in enumerate(series):
        pos = ys + ((n - 1) / 2 - i) * height
        vals = data[col].fillna(0).to_numpy(dtype=float)
        bars = ax.barh(pos, vals, height, label=labels.get(col, col), color=style.PALETTE[i % len(style.PALETTE)])
        for bar, v in zip(bars, vals):
            if v:  # no label on empty bars (no figure)
                ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + value_format.format(v / scale),
                        va="center", fontsize=7 if n > 1 else 7.5)
    ax.set_yticks(ys, [textwrap.fill(str(t), wrap) for t in data[label]])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    scaled_ticks(fig, scale, "x")
    ax.set_xlabel(xlabel)
    ax.margins(x=0.14)
    if n > 1:
        ax.legend(loc="lower right", ncols=1)
    return fig, data[[label, *series]].reset_index(drop=True)


def legend_outside(fig, where: str = "right", ncols: int = 1, reverse: bool = False):
    """Move the first axes' legend outside the plot area ('right' or 'below') so it never covers data.

    `reverse=True` lists the entries in reverse order, e.g. to match the visual order of stacked bars.
    """
    ax = fig.axes[0]
    handles, labels = ax.get_legend_handles_labels()
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
