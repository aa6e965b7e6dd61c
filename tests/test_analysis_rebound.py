"""Post-pandemic chapter: tourism panels, remittances, migrant stock editions and displacement, on real data."""
from __future__ import annotations

import pandas as pd
import pytest

from wmr.core.errors import CoverageError
from wmr.kernel import pins
from wmr.kernel.analysis import rebound
from wmr.kernel.sources import m49, tourism

from .figure_texts import cited

# --------------------------------------------------------------------------------------------- tourism

def test_tourism_panel_is_balanced_with_one_series_per_country():
    p = rebound.tourism_panel(2019, 2022)
    per = p.groupby("iso3").agg(years=("year", "nunique"), series=("series", "nunique"))
    assert (per["years"] == 4).all() and (per["series"] == 1).all()
    assert (p["region"].isin(m49.WMR_REGIONS)).all()
    # a country without a 2022 figure (France: '..' in 2022 per source.toml) is left out
    raw = tourism.load_arrivals("overnight")
    assert raw[(raw["iso3"] == "FRA") & (raw["year"] == 2022)].empty
    assert "FRA" not in set(p["iso3"])


def test_tourism_panel_spot_value_spain():
    raw = tourism.load_arrivals("overnight")
    esp = raw[(raw["iso3"] == "ESP") & raw["year"].between(2019, 2022)].set_index("year")["arrivals_thousands"]
    p = rebound.tourism_panel(2019, 2022)
    got = p[p["iso3"] == "ESP"].set_index("year")["arrivals"]
    assert got.to_dict() == {y: v * 1000 for y, v in esp.items()}
    assert got[2019] == pytest.approx(83.5e6, rel=0.01)  # UN Tourism: Spain received 83.5 million tourists in 2019


def test_tourism_regions_sum_to_world_and_index():
    by = rebound.tourism_by_region(2019, 2022)
    regions = [c for c in by.columns if c not in ("year", rebound.WORLD)]
    assert list(by["year"]) == [2019, 2020, 2021, 2022]
    assert list(by[regions].sum(axis=1)) == pytest.approx(list(by[rebound.WORLD]))
    idx = rebound.as_index(by)
    assert (idx.iloc[0, 1:] == 100).all()
    assert idx.loc[1, rebound.WORLD] == pytest.approx(100 * by.loc[1, rebound.WORLD] / by.loc[0, rebound.WORLD])
    assert idx.loc[1, rebound.WORLD] < 40  # the 2020 collapse


def test_tourism_coverage_counts():
    cov = rebound.tourism_coverage(2019, 2022).set_index("region")
    panel = rebound.tourism_panel(2019, 2022)
    assert cov.loc[rebound.WORLD, "countries"] == panel["iso3"].nunique()
    assert cov.drop(rebound.WORLD)["countries"].sum() == cov.loc[rebound.WORLD, "countries"]
    assert (cov["countries"] <= cov["reporting_first"]).all()
    raw = tourism.load_arrivals("overnight")
    assert cov.loc[rebound.WORLD, "reporting_first"] == raw.loc[(raw["year"] == 2019) & raw["iso3"].ne(""), "iso3"].nunique()


def test_transport_modes_add_up_and_spot_value():
    modes = rebound.transport_by_mode(2019, 2022)
    assert list(modes[["air", "land", "water"]].sum(axis=1)) == pytest.approx(list(modes["total"]))
    assert modes.attrs["countries"] > 50
    raw = tourism.load_arrivals_by_transport()
    # Germany reports air and water but no land row: its total still enters, land counted as zero
    deu = raw[(raw["iso3"] == "DEU") & (raw["year"] == 2019)].set_index("mode")["arrivals_thousands"]
    assert "Land" not in deu.index and deu["Air"] + deu["Water"] == deu["Total"]
    idx = rebound.as_index(modes)
    assert idx.loc[1, "air"] < idx.loc[1, "land"]  # air fell further in 2020


# --------------------------------------------------------------------------------------------- remittances

def test_remittance_series_and_recipients():
    rem = rebound.remittance_series(2019, 2022).set_index("year")
    assert rem.loc[2022, "world_usd"] == pytest.approx(831.1e9, rel=1e-3)  # the global overview's 2022 total
    assert rem.loc[2020, "world_usd"] < rem.loc[2019, "world_usd"] < rem.loc[2022, "world_usd"]
    rec = rebound.recipients_change(2019, 2022, 5)
    assert rec["iso3"].tolist() == ["IND", "MEX", "CHN", "PHL", "FRA"]
    ind = rec.iloc[0]
    assert ind["usd_last"] == pytest.approx(111.2e9, rel=1e-3) and ind["usd_first"] == pytest.approx(83.3e9, rel=1e-3)
    assert ind["change_pct"] == pytest.approx(100 * (ind["usd_last"] / ind["usd_first"] - 1))


# --------------------------------------------------------------------------------------------- migrant stock

def test_edition_labels():
    assert rebound.edition_label("undesa-ims-2024-bilateral") == "International Migrant Stock 2024"
    assert rebound.edition_label("undesa-ims-2019") == "International Migrant Stock 2019"


def test_stock_totals_match_un_world_figures():
    t24 = rebound.stock_totals("undesa-ims-2024-bilateral").set_index("year")["total"]
    t20 = rebound.stock_totals("undesa-ims-2020-bilateral").set_index("year")["total"]
    t19 = rebound.stock_totals("undesa-ims-2019").set_index("year")["total"]
    assert t24[2024] == 304_021_813 and t24[2020] == 275_284_032
    assert t20[2020] == 280_598_105  # UN DESA International Migrant Stock 2020: 281 million
    assert t19[2019] == 271_642_105  # UN DESA International Migrant Stock 2019: 272 million
    assert 2019 not in t20.index and 2024 not in t20.index


def test_stock_comparison_wmr_2026():
    c = rebound.stock_comparison("undesa-ims-2024-bilateral", "undesa-ims-2020-bilateral", 2024)
    assert (c["before_year"], c["before2_year"], c["previous_last_year"], c["common_year"]) == (2020, 2015, 2020, 2020)
    assert c["revision_pct"] == pytest.approx(100 * (275_284_032 / 280_598_105 - 1))


def test_stock_comparison_wmr_2024_never_mixes_editions():
    both = rebound.stock_editions("undesa-ims-2020-bilateral", "undesa-ims-2019")
    assert both.set_index("year").loc[2019, "current"] != both.set_index("year").loc[2019, "current"]  # NaN
    c = rebound.stock_comparison("undesa-ims-2020-bilateral", "undesa-ims-2019", 2020)
    assert (c["before_year"], c["previous_last_year"], c["common_year"]) == (2015, 2019, 2015)
    assert c["total"] == 280_598_105 and c["previous_last"] == 271_642_105
    with pytest.raises(CoverageError) as exc:
        rebound.stock_comparison("undesa-ims-2020-bilateral", "undesa-ims-2019", 2024)
    assert exc.value.got == "2024" and "2020" in exc.value.expected


# --------------------------------------------------------------------------------------------- displacement

def test_displacement_series_window():
    d = rebound.displacement_series(2019, 2022)
    assert d["year"].tolist() == [2019, 2020, 2021, 2022]
    assert d.set_index("year").loc[2019, "disaster"] == pytest.approx(25.3e6, rel=0.01)
    d26 = rebound.displacement_series(2019, 2024)
    assert d26["year"].tolist() == list(range(2019, 2025))
    assert pd.isna(d26.set_index("year").loc[2024, "conflict"])  # conflict figures after 2023 are not pinned
    assert pins.source(rebound.IDMC).id == "idmc-gidd"


# --------------------------------------------------------------------------------------------- the chapter's facts and figures

def test_tourism_facts_and_alt_text_from_the_panel():
    p = rebound.tourism_panel(2019, 2022)
    world = p.groupby("year")["arrivals"].sum()
    index = 100 * world / world[2019]
    facts = {s["name"]: s for s in rebound.tourism_facts(2019, 2022)}
    assert facts["tourism_trough_year"]["value"] == index.idxmin() == 2020
    assert facts["tourism_trough_pct"]["display"] == f"{index.min():.0f}%"
    assert facts["tourism_last_pct"]["value"] == pytest.approx(index[2022])
    assert facts["tourism_countries"]["value"] == p["iso3"].nunique() and facts["tourism_countries"]["year"] == 2022
    assert all(s["sources"] == [rebound.TOURISM] for s in facts.values())
    by_region = p[p["year"] == 2022].groupby("region")["arrivals"].sum() / p[p["year"] == 2019].groupby("region")["arrivals"].sum()
    assert facts["tourism_best_region"]["value"] == by_region.idxmax()
    assert facts["tourism_best_pct"]["display"] == f"{100 * by_region.max():.0f}%"
    assert (facts["tourism_base_year"]["value"], facts["tourism_last_year"]["value"]) == (2019, 2022)
    assert rebound.tourism_facts(2019, 2022).displays()["index_base"] == "100" and facts["index_base"]["year"] == 2019
    spec = rebound.tourism_figure(2019, 2022)
    assert "fell to {fact}`tourism_trough_pct` of their {fact}`tourism_base_year` level" in spec["alt"]
    ax = spec["fig"].axes[0]                  # the index frame: base line at 100
    assert ax.get_ylim() == (0, 145) and list(ax.get_yticks()) == [0, 20, 40, 60, 80, 100]
    assert any(list(line.get_ydata()) == [100, 100] and line.get_linestyle() == "--" for line in ax.lines)
    assert ax.get_legend() is None and len(spec["fig"].legends) == 1   # seven long names: below the chart (see below)
    from wmr.kernel import style

    assert cited(spec, set(facts))
    transport = {s["name"] for s in rebound.transport_facts(2019, 2022)}
    assert cited(rebound.transport_figure(2019, 2022), set(facts) | transport)


def test_remittance_and_recipient_facts():
    from wmr.kernel.analysis import remittances

    w = remittances.world_series(2019, 2023).set_index("year")
    facts = {s["name"]: s for s in rebound.remittance_facts(2019, 2023)}
    assert facts["rem_dip_year"]["value"] == 2020
    assert facts["rem_world_dip_pct"]["value"] == pytest.approx(100 * (w.loc[2020, "world_usd"] / w.loc[2019, "world_usd"] - 1))
    assert facts["rem_world_last"]["year"] == 2023 and facts["rem_world_base"]["year"] == 2019
    assert facts["rem_world_last"]["sources"] == rebound.remittance_sources(2023)
    rec = {s["name"]: s for s in rebound.recipient_facts(2019, 2023, 10)}
    top = remittances.top_recipients(2023, 10)
    series = remittances.country_series(list(top["iso3"]), 2019, 2023).set_index("year")
    change = 100 * (top.set_index("iso3")["usd"] / series.loc[2019] - 1)
    assert rec["rec_top"]["value"] == "India" and rec["rec_up_count"]["value"] == int((change > 0).sum())
    assert rec["rec_fastest_pct"]["value"] == pytest.approx(change.max())
    assert (facts["rem_base_year"]["value"], facts["rem_last_year"]["value"]) == (2019, 2023)
    assert cited(rebound.remittances_figure(2019, 2023), set(facts))
    assert "rec_slowest_pct" in cited(rebound.recipients_figure(2019, 2023, 10), set(facts) | set(rec))


def test_stock_facts_from_the_bilateral_tables():
    from wmr.kernel.sources import ims

    totals = {s: ims.load_bilateral(s).groupby("year")["migrants"].sum() for s in ("undesa-ims-2024-bilateral",
                                                                                 "undesa-ims-2020-bilateral")}
    cur, prev = totals["undesa-ims-2024-bilateral"], totals["undesa-ims-2020-bilateral"]
    facts = {s["name"]: s for s in rebound.stock_facts("undesa-ims-2024-bilateral", "undesa-ims-2020-bilateral", 2024)}
    assert facts["stock_total"]["value"] == cur[2024] == 304_021_813
    assert facts["stock_before_year"]["value"] == 2020
    assert facts["stock_growth_pct"]["value"] == pytest.approx(100 * (cur[2024] / cur[2020] - 1))
    assert facts["revision_pct"]["value"] == pytest.approx(100 * (cur[2020] / prev[2020] - 1))
    assert facts["revision_pct"]["sources"] == ["undesa-ims-2024-bilateral", "undesa-ims-2020-bilateral"]
    assert facts["prev_last_total"]["sources"] == ["undesa-ims-2020-bilateral"]
    spec = rebound.stock_figure("undesa-ims-2024-bilateral", "undesa-ims-2020-bilateral", 2024)
    assert facts["stock_last_year"]["value"] == 2024 and facts["common_year"]["value"] == 2020
    assert spec["fig"].axes[0].lines[1].get_linestyle() == "--"
    assert cited(spec, set(facts)) == ["ims_edition", "stock_total", "stock_last_year", "common_year", "common_current",
                                       "common_previous", "ims_prev_edition"]


def test_displacement_facts_and_summary_table():
    from wmr.kernel.analysis import displacement

    d = displacement.new_displacements(2024)
    d = d[d["year"] >= 2019].set_index("year")
    facts = {s["name"]: s for s in rebound.displacement_facts(2019, 2024)}
    assert facts["disaster_peak_year"]["value"] == d["disaster"].idxmax()
    assert facts["conflict_last_year"]["value"] == d["conflict"].dropna().index.max()
    spec = rebound.displacement_figure(2019, 2024)
    missing = [str(int(y)) for y in d.index[d["conflict"].isna()]]
    assert missing == ["2024"] and facts["conflict_missing_year_1"]["value"] == 2024
    assert "conflict_missing_year_2" not in facts
    assert spec["caption"].endswith(" Conflict figures for {fact}`conflict_missing_year_1` are not in the pinned files.")
    assert cited(spec, set(facts))
    complete = rebound.displacement_figure(2019, 2023)           # no year without conflict figures: no such sentence
    assert complete["caption"].endswith("more than once.") and "conflict_missing_year_1" not in {
        s["name"] for s in rebound.displacement_facts(2019, 2023)}
    from wmr.kernel import style

    style.close(complete["fig"])
    table = rebound.summary_table("undesa-ims-2024-bilateral", "undesa-ims-2020-bilateral", 2024, 2019, 2022, 2023, 2024)["df"]
    assert len(table) == 6
    assert table["Change (%)"].tolist() == pytest.approx((100 * (table["Latest value"] / table["Base value"] - 1)).tolist())
    row = table.set_index("Indicator").loc["New internal displacements, disasters"]
    assert (row["Base value"], row["Latest value"]) == (d.loc[2019, "disaster"], d.loc[2024, "disaster"])


@pytest.mark.parametrize("current, previous, year", [("undesa-ims-2020-bilateral", "undesa-ims-2019", 2020),
                                                     ("undesa-ims-2024-bilateral", "undesa-ims-2020-bilateral", 2024)])
def test_stock_figure_keeps_its_plot_wide_and_its_legend_inside_the_figure(current, previous, year):
    """The two editions' long names once made a one-row legend wider than the chart: the plot was squeezed to
    a sliver with overprinted years, and the legend cut at the figure's edge."""
    from wmr.kernel import style

    fig = rebound.stock_figure(current, previous, year)["fig"]
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        plot = fig.axes[0].get_window_extent(renderer)
        legend = fig.axes[0].get_legend().get_window_extent(renderer)
        assert plot.width >= 0.6 * fig.bbox.width
        assert legend.x0 >= 0 and legend.x1 <= fig.bbox.width and legend.y0 >= 0
        assert not legend.overlaps(plot)
    finally:
        style.close(fig)


def test_tourism_figure_keeps_its_plot_wide_and_its_legend_of_seven_lines_inside_the_figure():
    """The world and six regions, long names, in one row at the top ran past both edges of the chart and squeezed
    its plot."""
    from wmr.kernel import style

    fig = rebound.tourism_figure(2019, 2022)["fig"]
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        plot = fig.axes[0].get_window_extent(renderer)
        legends = [*fig.legends, *filter(None, [fig.axes[0].get_legend()])]
        assert len(legends) == 1 and len(legends[0].get_texts()) == 7
        box = legends[0].get_window_extent(renderer)
        assert plot.width >= 0.6 * fig.bbox.width
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width and box.y0 >= 0 and not box.overlaps(plot)
    finally:
        style.close(fig)
