"""The two small charts of a country profile: migrants over time, and the top partners."""
from __future__ import annotations

import pandas as pd

from .. import style
from .axes import _scaled_formatter
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
    """Immigrants and emigrants by year (a half-width line chart)."""
    scale, word = scale_for(float(data[["immigrants", "emigrants"]].max().max()))
    fig, plotted = line_chart(data, "year", ["immigrants", "emigrants"], ylabel=f"Migrants ({word})", scale=scale,
                              labels={"immigrants": "Immigrants", "emigrants": "Emigrants"}, size="half")
    _fixed_layout(fig, left=0.15, right=0.97, top=0.96, bottom=0.1)
    return fig, plotted


def partners_chart(data: pd.DataFrame):
    """Top origins of immigrants and top destinations of emigrants, as two panels of horizontal bars."""
    groups = [g for g in ("Origins of immigrants", "Destinations of emigrants") if (data["group"] == g).any()]
    style.matplotlib.rcParams.update(style.RC)
    fig, axes = style.plt.subplots(len(groups) or 1, 1, figsize=style.SIZES["half"], squeeze=False)
    _fixed_layout(fig, left=0.42, right=0.96, top=0.92, bottom=0.13, hspace=0.5)
    scale, word = scale_for(float(data["migrants"].max()) if len(data) else 1.0)
    for ax, g in zip(axes[:, 0], groups):
        sub = data[data["group"] == g].sort_values("migrants")
        ax.barh([_short(c) for c in sub["country"]], sub["migrants"], color=style.ACCENT)
        ax.set_title(g, loc="left", fontsize=9)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.xaxis.set_major_formatter(_scaled_formatter(scale))
        ax.tick_params(axis="y", labelsize=7.5)
    axes[-1, 0].set_xlabel(f"Migrants ({word})")
    if not groups:
        axes[0, 0].text(0.5, 0.5, "No partner data", ha="center", va="center", transform=axes[0, 0].transAxes)
        axes[0, 0].set_axis_off()
    return fig, data[["group", "rank", "country", "migrants"]].reset_index(drop=True)


def _short(name: str, width: int = 26) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"
