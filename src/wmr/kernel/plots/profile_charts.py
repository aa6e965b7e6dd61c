"""The two small charts of a country profile: migrants over time, and the top partners."""
from __future__ import annotations

import pandas as pd

from .. import style
from .axes import _scaled_formatter, wrap_label
from .lines import line_chart


def scale_for(largest: float) -> tuple[float, str]:
    """Axis scale and its word for counts up to `largest`: millions, thousands or persons."""
    if largest >= 1e6:
        return 1e6, "millions"
    if largest >= 1e4:
        return 1e3, "thousands"
    return 1.0, "persons"


def _fixed_layout(fig, **margins) -> None:
    """Fixed margins instead of the constrained layout: the same look for these small charts at half the cost."""
    fig.set_layout_engine("none")
    fig.subplotpars.update(**margins)
    for ax in fig.axes:
        ax.set_position(ax.get_subplotspec().get_position(fig))


def trend_chart(data: pd.DataFrame):
    """Immigrants and emigrants by year (a half-width line chart), the legend above the plot: inside it, it
    covered a line that starts high (the Holy See's immigrants)."""
    scale, word = scale_for(float(data[["immigrants", "emigrants"]].max().max()))
    fig, plotted = line_chart(data, "year", ["immigrants", "emigrants"], ylabel=f"Migrants ({word})", scale=scale,
                              labels={"immigrants": "Immigrants", "emigrants": "Emigrants"}, size="half")
    ax = fig.axes[0]
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, borderaxespad=0.3, frameon=False)
    _fixed_layout(fig, left=0.15, right=0.97, top=1 - LEGEND_ROW_IN / fig.get_figheight(), bottom=0.1)
    return fig, plotted


def partners_chart(data: pd.DataFrame):
    """Top origins of immigrants and top destinations of emigrants, as two panels of horizontal bars.

    Names are tick labels at the house size (style.TICK_SIZE, legible on a phone), wrapped rather than cut;
    the chart grows with its label lines, as bar charts do (axes.fit_bar_height).
    """
    groups = [g for g in ("Origins of immigrants", "Destinations of emigrants") if (data["group"] == g).any()]
    panels = [data[data["group"] == g].sort_values("migrants") for g in groups]
    labels = [[wrap_label(c) for c in sub["country"]] for sub in panels]
    heights = [max(_row_height(names) * len(names), 0.5) for names in labels] or [1.0]
    total = PANEL_TOP_IN + sum(heights) + PANEL_GAP_IN * (len(heights) - 1) + PANEL_BOTTOM_IN
    style.matplotlib.rcParams.update(style.RC)
    fig, axes = style.plt.subplots(len(heights), 1, figsize=(style.WIDTH, total), squeeze=False,
                                   gridspec_kw={"height_ratios": heights})
    widest = max((len(line) for names in labels for n in names for line in n.split("\n")), default=0)
    left = min(max(CHAR_IN * widest + 0.25, 0.8), 2.2)
    _fixed_layout(fig, left=left / style.WIDTH, right=0.96, top=1 - PANEL_TOP_IN / total,
                  bottom=PANEL_BOTTOM_IN / total, hspace=PANEL_GAP_IN / (sum(heights) / len(heights)))
    scale, word = scale_for(float(data["migrants"].max()) if len(data) else 1.0)
    for ax, g, sub, names in zip(axes[:, 0], groups, panels, labels):
        ax.barh(range(len(sub)), sub["migrants"], color=style.ACCENT)
        ax.set_yticks(range(len(sub)), names)
        ax.set_ylim(-0.6, len(sub) - 0.4)
        ax.set_title(g, loc="left")
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.xaxis.set_major_formatter(_scaled_formatter(scale))
    axes[-1, 0].set_xlabel(f"Migrants ({word})")
    if not groups:
        axes[0, 0].text(0.5, 0.5, "No partner data", ha="center", va="center", transform=axes[0, 0].transAxes)
        axes[0, 0].set_axis_off()
    return fig, data[["group", "rank", "country", "migrants"]].reset_index(drop=True)


LEGEND_ROW_IN = 0.35    # inches above the trend chart's plot: its legend
CHAR_IN = 0.075         # inches per character of a name at TICK_SIZE (DejaVu Sans), for the margin left of the bars
NAME_LINE_IN = style.TICK_SIZE * 1.25 / 72   # inches per line of a wrapped name
PANEL_TOP_IN = 0.35     # inches above the first panel (its title)
PANEL_GAP_IN = 0.75     # inches between panels: tick labels of the first, title of the second
PANEL_BOTTOM_IN = 0.6   # inches below the last panel: tick labels and the axis label


def _row_height(names: list[str]) -> float:
    """Inches per bar: room for the tallest pair of neighbouring (wrapped) names (as axes.fit_bar_height)."""
    lines = [n.count("\n") + 1 for n in names]
    pairs = [(a + b) / 2 for a, b in zip(lines, lines[1:])] or lines or [1]
    return max(NAME_LINE_IN * max(pairs) + 0.1, 0.25)
