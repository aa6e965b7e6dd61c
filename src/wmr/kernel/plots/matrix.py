"""Two-dimensional views: annotated heatmaps and labelled scatter plots."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .. import style


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
            ax.text(j, i, text, ha="center", va="center", fontsize=style.ANNOTATION_SIZE,
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
        ax.legend(title=None, ncols=min(2, len(keys)), loc="lower left", bbox_to_anchor=(0, 1.0), borderaxespad=0.3)
    else:
        ax.scatter(sub[x], sub[y], s=16, alpha=0.8, color=style.ACCENT, edgecolor="white", linewidth=0.4)
    if label and annotate:
        renderer = fig.canvas.get_renderer()
        placed = []
        named = sub[sub[label].isin(list(annotate))].sort_values(y, ascending=False)
        for _, r in named.iterrows():
            for step in range(8):  # move a label down until it clears the labels already placed
                text = ax.annotate(str(r[label]), (r[x], r[y]), xytext=(4, 3 - 9 * step), textcoords="offset points",
                                   fontsize=style.ANNOTATION_SIZE)
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
