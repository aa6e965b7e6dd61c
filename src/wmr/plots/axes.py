"""Axis helpers shared by the chart types: tick formats, wrapped labels, legends outside the plot."""
from __future__ import annotations


import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter



def _scaled_formatter(scale: float, suffix: str = ""):
    """Tick labels divided by `scale`, with one decimal only where a tick needs it (0.5, 1, 1.5)."""
    def label(v, _pos):
        text = f"{v / scale:,.1f}".rstrip("0").rstrip(".")
        return ("0" if text in ("-0", "") else text) + suffix
    return FuncFormatter(label)


def _year_locator(years: pd.Series):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=min(10, max(2, years.nunique())), integer=True)


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
