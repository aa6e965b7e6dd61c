"""The report's chart types in house style. Each returns (fig, plotted_data) so the CSV is exactly what is drawn.

Chart functions live in small modules by kind (lines, bars, maps, matrix) and axis helpers in `axes`;
everything is re-exported here so notebooks call `plots.line_chart(...)`.
"""
from .. import style
from .axes import break_at_gaps, headroom, index_axes, legend_outside, scaled_ticks, wrap_tick_labels
from .bars import bar_chart, grouped_barh, grouped_bars, stacked_bars
from .lines import line_chart, stacked_area, timeline
from .maps import world_map
from .matrix import heatmap, scatter

__all__ = ["style", "line_chart", "stacked_area", "bar_chart", "grouped_bars", "world_map", "stacked_bars", "wrap_tick_labels", "timeline", "heatmap", "scatter", "grouped_barh", "legend_outside", "scaled_ticks",
           "headroom", "break_at_gaps", "index_axes"]
