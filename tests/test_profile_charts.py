"""The profile charts on real profiles: partner names whole, at the house text size (legible on a phone),
not overlapping one another and not cut off at the figure's edge."""
from __future__ import annotations

import pytest

from wmr.kernel import style
from wmr.kernel.analysis import profiles as P
from wmr.kernel.plots import profile_charts

from .test_analysis_profiles import P2026


# IRL and HKG have the longest partner names (the United Kingdom, Macao SAR: three lines); VAT has one panel
@pytest.mark.parametrize("code", ["IRL", "HKG", "VAT", "USA"])
def test_partner_names_are_whole_at_the_house_size_and_inside_the_figure(code):
    data = P.partners_data(P.load(code, P2026))
    fig, plotted = profile_charts.partners_chart(data)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        width, height = fig.bbox.width, fig.bbox.height
        shown = []
        for ax in fig.axes:
            labels = [t for t in ax.get_yticklabels() if t.get_text()]
            boxes = [t.get_window_extent(renderer) for t in labels]
            for t, box in zip(labels, boxes):
                assert t.get_fontsize() >= style.TICK_SIZE, t.get_text()
                assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height, t.get_text()
            for a, b in zip(boxes, boxes[1:]):
                assert not a.overlaps(b), (code, [t.get_text() for t in labels])
            title = ax.title.get_window_extent(renderer)
            assert not any(title.overlaps(b) for b in boxes), ax.title.get_text()
            shown.append([t.get_text().replace("\n", " ") for t in labels][::-1])   # largest first
        groups = [g for g in ("Origins of immigrants", "Destinations of emigrants") if (plotted["group"] == g).any()]
        assert shown == [plotted[plotted["group"] == g].sort_values("migrants", ascending=False)["country"].tolist()
                         for g in groups]
    finally:
        style.close(fig)


# VAT's immigrants start at the top left of the plot, where a legend inside the plot covered them
@pytest.mark.parametrize("code", ["VAT", "DEU"])
def test_trend_legend_covers_no_point_of_a_line_and_stays_inside_the_figure(code):
    fig, _plotted = profile_charts.trend_chart(P.trend_data(P.load(code, P2026)))
    try:
        fig.canvas.draw()
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
        assert legend.x0 >= 0 and legend.y0 >= 0 and legend.x1 <= fig.bbox.width and legend.y1 <= fig.bbox.height
        covered = [(line.get_label(), x, y) for line in ax.get_lines()
                   for x, y in ax.transData.transform(line.get_xydata()) if legend.contains(x, y)]
        assert covered == [], code
    finally:
        style.close(fig)
