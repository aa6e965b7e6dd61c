"""Mobility before and after COVID-19: tourism arrivals, remittances, migrant stocks between editions, displacement.

Tourism: UN Tourism publishes no world total in the pinned workbook and coverage shrinks after 2019, so
world and regional series are sums over a balanced panel: the countries that report arrivals in every
compared year, each with the same statistical series throughout (a country switching, e.g., from tourists
at frontiers to tourists in hotels would break its own trend). Series differ between countries (see
wmr.kernel.sources.tourism), so levels are indicative and the series are shown as indices (first year = 100).
Regions are the WMR's six (UN M49).
"""
from __future__ import annotations

import pandas as pd

from wmr.core.errors import not_covered

from .. import fmt, pins, plots
from ..countries import in_text, with_names
from ..facts import FactSpecs, cited_list
from ..sources import ims, m49, tourism
from . import displacement, remittances

TOURISM = tourism.SOURCE
REMITTANCES = remittances.SOURCE  # the June 2023 vintage; remittance_sources(last) names the one a figure reads
remittance_sources = remittances.sources_for
IDMC = displacement.IDMC
WORLD = "World"
MODES = {"Air": "air", "Land": "land", "Water": "water", "Total": "total"}


def tourism_panel(first: int, last: int, indicator: str = "overnight") -> pd.DataFrame:
    """Balanced panel: iso3, region, series, year, arrivals (persons) for countries reporting every year first..last."""
    a = tourism.load_arrivals(indicator)
    a = a[a["year"].between(first, last) & a["iso3"].ne("")]
    years = last - first + 1
    per = a.groupby("iso3").agg(n=("year", "nunique"), series=("series", "nunique"))
    keep = per.index[(per["n"] == years) & (per["series"] == 1)]
    out = a[a["iso3"].isin(keep)].copy()
    out["region"] = out["iso3"].map(ims.region_of()).fillna("")
    out["arrivals"] = out["arrivals_thousands"] * 1000
    return out[["iso3", "region", "series", "year", "arrivals"]].sort_values(["iso3", "year"]).reset_index(drop=True)


def tourism_by_region(first: int, last: int, indicator: str = "overnight") -> pd.DataFrame:
    """year, World and one column per WMR region: arrivals (persons) summed over the balanced panel."""
    p = tourism_panel(first, last, indicator)
    wide = p.pivot_table(index="year", columns="region", values="arrivals", aggfunc="sum")
    wide = wide.reindex(columns=[r for r in m49.WMR_REGIONS if r in wide.columns])
    wide.insert(0, WORLD, p.groupby("year")["arrivals"].sum())
    return wide.rename_axis(columns=None).reset_index()


def as_index(df: pd.DataFrame, x: str = "year") -> pd.DataFrame:
    """Each column except `x` divided by its first row, times 100 (first row = 100)."""
    out = df.copy()
    cols = [c for c in out.columns if c != x]
    out[cols] = 100 * out[cols] / out[cols].iloc[0]
    return out


def tourism_coverage(first: int, last: int, indicator: str = "overnight") -> pd.DataFrame:
    """Per region and World: countries in the panel, countries reporting in `first`, arrivals first and last, index last."""
    a = tourism.load_arrivals(indicator)
    reporting = a[(a["year"] == first) & a["iso3"].ne("")].assign(region=lambda d: d["iso3"].map(ims.region_of()).fillna(""))
    p = tourism_panel(first, last, indicator)
    rows = []
    for region in [WORLD, *m49.WMR_REGIONS]:
        sub = p if region == WORLD else p[p["region"] == region]
        rep = reporting if region == WORLD else reporting[reporting["region"] == region]
        a0 = sub.loc[sub["year"] == first, "arrivals"].sum()
        a1 = sub.loc[sub["year"] == last, "arrivals"].sum()
        rows.append({"region": region, "countries": sub["iso3"].nunique(), "reporting_first": rep["iso3"].nunique(),
                     "arrivals_first": a0, "arrivals_last": a1, "index_last": 100 * a1 / a0 if a0 else float("nan")})
    return pd.DataFrame(rows)


def transport_by_mode(first: int, last: int) -> pd.DataFrame:
    """year, air, land, water, total: arrivals (persons) by mode, over countries reporting the split every year.

    A country's mode rows add up to its total (a mode it lacks, e.g. land for an island, counts as zero); it
    enters only if it reports a total every year with one series throughout.
    """
    t = tourism.load_arrivals_by_transport()
    t = t[t["year"].between(first, last) & t["iso3"].ne("")]
    wide = t.pivot_table(index=["iso3", "year"], columns="mode", values="arrivals_thousands", aggfunc="sum")
    wide = wide.reindex(columns=list(MODES)).dropna(subset=["Total"])
    series = t[t["mode"] == "Total"].groupby("iso3")["series"].nunique()
    years = wide.reset_index().groupby("iso3")["year"].nunique()
    keep = years.index[(years == last - first + 1) & (series.reindex(years.index) == 1)]
    wide = wide[wide.index.get_level_values("iso3").isin(keep)].fillna(0) * 1000
    out = wide.groupby("year").sum().rename(columns=MODES).rename_axis(columns=None).reset_index()
    out.attrs["countries"] = len(keep)
    return out


def remittance_series(first: int, last: int) -> pd.DataFrame:
    """year, world_usd, lmic_usd (current US$) first..last, from the World Bank-KNOMAD aggregates."""
    return remittances.world_series(first, last)


def recipients_change(first: int, last: int, n: int = 10) -> pd.DataFrame:
    """The n largest recipients in `last`: rank, iso3, country, usd_first, usd_last, change_pct (current US$)."""
    top = remittances.top_recipients(last, n)
    wide = remittances.country_series(list(top["iso3"]), first, last).set_index("year")
    out = top[["rank", "iso3"]].copy()
    out["usd_first"] = [wide.loc[first, c] if first in wide.index and c in wide.columns else float("nan")
                        for c in out["iso3"]]
    out["usd_last"] = top["usd"].to_numpy()
    out["change_pct"] = 100 * (out["usd_last"] / out["usd_first"] - 1)
    return with_names(out)


def edition_label(ims_source: str) -> str:
    """The UN DESA edition a migrant stock source belongs to, e.g. 'International Migrant Stock 2024'."""
    return pins.source(ims_source).title.split(":")[0].strip()


def stock_totals(ims_source: str) -> pd.DataFrame:
    """year, total: world migrant stock (persons) in one UN DESA edition (bilateral sources or the 2019 workbook)."""
    if ims_source == ims.SOURCE_2019:
        t = ims.load_total_2019()
        t = t[(t["kind"] == "world") & (t["sex"] == "total")]
        out = pd.DataFrame({"year": t["year"].astype("int64"), "total": t["migrants"].astype("float64")})
    else:
        w = ims.world_totals(ims_source)
        out = pd.DataFrame({"year": w["year"], "total": w["total"].astype("float64")})
    return out.sort_values("year").reset_index(drop=True)


def stock_editions(current: str, previous: str) -> pd.DataFrame:
    """year, current, previous: world totals of two editions side by side (NaN where an edition has no estimate)."""
    cur = stock_totals(current).rename(columns={"total": "current"})
    prev = stock_totals(previous).rename(columns={"total": "previous"})
    return cur.merge(prev, on="year", how="outer").sort_values("year").reset_index(drop=True)


def stock_comparison(current: str, previous: str, year: int) -> dict:
    """Headline comparison of editions: current edition's `year` and the two estimates before it, the previous
    edition's last estimate, and the latest year both editions estimate with the revision between them."""
    both = stock_editions(current, previous)
    cur = both.dropna(subset=["current"])
    cur = cur[cur["year"] <= year]
    if cur.empty or cur["year"].iloc[-1] != year or len(cur) < 3:
        raise not_covered(f"{current} estimate for {year} with two earlier ones", year, [int(y) for y in cur["year"]])
    prev = both.dropna(subset=["previous"])
    common = both.dropna(subset=["current", "previous"]).iloc[-1]
    return {"year": year, "total": cur["current"].iloc[-1],
            "before_year": int(cur["year"].iloc[-2]), "before": cur["current"].iloc[-2],
            "before2_year": int(cur["year"].iloc[-3]), "before2": cur["current"].iloc[-3],
            "previous_last_year": int(prev["year"].iloc[-1]), "previous_last": prev["previous"].iloc[-1],
            "common_year": int(common["year"]), "common_current": common["current"],
            "common_previous": common["previous"],
            "revision_pct": 100 * (common["current"] / common["previous"] - 1)}


def displacement_series(first: int, last: int) -> pd.DataFrame:
    """year, conflict, disaster, file: new internal displacements (IDMC) first..last (NaN = not in the pins)."""
    d = displacement.new_displacements(last)
    return d[d["year"] >= first].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- the chapter
# Facts (FactSpecs: keyword arguments of Chapter.fact) and figures/tables (keyword arguments of Chapter.figure
# and Chapter.table, chart included) of chapter 9, so the notebook reads as the chapter's prose and short calls.

INDEX_BASE = 100   # the value of an index in its base year


def _index_pct(value: float) -> str:
    """An index (base year = 100) as the percentage of the base year it is: '72%'."""
    return fmt.percent(value, 0)


def tourism_facts(base: int, last: int) -> FactSpecs:
    """The tourism panel (countries, arrivals), the world's trough and latest index, the best and worst region."""
    tidx = as_index(tourism_by_region(base, last))
    cov = tourism_coverage(base, last)
    world, regions = cov.iloc[0], cov.iloc[1:]
    trough, t_last = tidx.loc[tidx[WORLD].idxmin()], tidx.iloc[-1]
    best, worst = regions.loc[regions["index_last"].idxmax()], regions.loc[regions["index_last"].idxmin()]
    low = int(trough["year"])
    out = FactSpecs(year=last, sources=[TOURISM])
    out.year_of("tourism_base_year", base)
    out.year_of("tourism_last_year", last)
    out.add("index_base", INDEX_BASE, "index points", year=base)
    out.add("tourism_countries", int(world["countries"]), "countries")
    out.add("tourism_reporting_base", int(world["reporting_first"]), "countries", year=base)
    out.add("tourism_base_arrivals", world["arrivals_first"], "arrivals", "compact", year=base)
    out.add("tourism_last_arrivals", world["arrivals_last"], "arrivals", "compact")
    out.year_of("tourism_trough_year", low)
    out.add("tourism_trough_pct", trough[WORLD], "percent of base year", "percent", year=low,
            display=_index_pct(trough[WORLD]))
    out.add("tourism_trough_loss_pct", 100 - trough[WORLD], "percent", "percent", year=low,
            display=_index_pct(100 - trough[WORLD]))
    out.add("tourism_last_pct", t_last[WORLD], "percent of base year", "percent", display=_index_pct(t_last[WORLD]))
    for key, row in (("best", best), ("worst", worst)):
        out.add(f"tourism_{key}_region", row["region"], "region", "text")
        out.add(f"tourism_{key}_pct", row["index_last"], "percent of base year", "percent",
                display=_index_pct(row["index_last"]))
    return out


def tourism_figure(base: int, last: int) -> dict:
    """Tourist arrivals by region as an index (base = 100); the alt text cites the facts of tourism_facts."""
    tidx = as_index(tourism_by_region(base, last))
    fig, data = plots.line_chart(tidx, "year", list(tidx.columns[1:]), ylabel=f"Index ({base} = 100)")
    plots.index_axes(fig)
    plots.legend_outside(fig, "below", ncols=2)   # world and six regions: one row at the top ran past the chart
    return dict(fig=fig, data=data, sources=[TOURISM], units=f"index, {base} = 100",
                title=f"International tourist arrivals by region, {base}–{last}",
                caption="Arrivals of overnight visitors (tourists), summed over the {fact}`tourism_countries` countries "
                        "that report them in every year from {fact}`tourism_base_year` to {fact}`tourism_last_year` "
                        "with the same statistical series, indexed to {fact}`tourism_base_year` = {fact}`index_base`. "
                        "UN Tourism publishes no world total in the pinned data.",
                alt="Line chart: worldwide, tourist arrivals fell to {fact}`tourism_trough_pct` of their "
                    "{fact}`tourism_base_year` level in {fact}`tourism_trough_year` and recovered to "
                    "{fact}`tourism_last_pct` in {fact}`tourism_last_year`; {fact}`tourism_best_region` recovered most "
                    "({fact}`tourism_best_pct`) and {fact}`tourism_worst_region` least ({fact}`tourism_worst_pct`).")


def tourism_table(base: int, last: int) -> dict:
    """Arrivals and panel coverage by region, base and last year."""
    table = tourism_coverage(base, last).rename(columns={
        "region": "Region", "countries": "Countries in panel", "reporting_first": f"Countries reporting in {base}",
        "arrivals_first": f"Arrivals {base}", "arrivals_last": f"Arrivals {last}",
        "index_last": f"{last} as % of {base}"})
    return dict(df=table, sources=[TOURISM],
                formats={f"Arrivals {base}": "compact", f"Arrivals {last}": "compact", f"{last} as % of {base}": "percent"},
                title=f"International tourist arrivals and data coverage by region, {base} and {last}",
                caption="Overnight visitors (tourists) in the countries reporting in every year of the period with one "
                        "statistical series; the statistical series (tourists at frontiers, or in accommodation) differs "
                        "between countries.")


TRANSPORT = ("air", "land", "water")


def transport_facts(base: int, last: int) -> FactSpecs:
    """Arrivals by mode of transport: each mode's index in the year after `base` and in `last`, air's share."""
    modes = transport_by_mode(base, last)
    midx = as_index(modes)
    trough, m_last, m0, m1 = midx.iloc[1], midx.iloc[-1], modes.iloc[0], modes.iloc[-1]
    low = int(trough["year"])
    out = FactSpecs(year=last, sources=[TOURISM])
    out.add("transport_countries", modes.attrs["countries"], "countries")
    out.year_of("transport_first_year", low)
    for mode in TRANSPORT:
        out.add(f"{mode}_trough_pct", trough[mode], "percent of base year", "percent", year=low,
                display=_index_pct(trough[mode]))
        out.add(f"{mode}_last_pct", m_last[mode], "percent of base year", "percent", display=_index_pct(m_last[mode]))
    out.add("air_share_base", 100 * m0["air"] / m0["total"], "percent", "percent", year=base)
    out.add("air_share_last", 100 * m1["air"] / m1["total"], "percent", "percent")
    return out


def transport_figure(base: int, last: int) -> dict:
    """Arrivals by air, land and water as an index (base = 100); the alt text cites transport_facts."""
    modes = transport_by_mode(base, last)
    fig, data = plots.line_chart(as_index(modes), "year", list(TRANSPORT), ylabel=f"Index ({base} = 100)",
                                 labels={"air": "Air", "land": "Land", "water": "Water"})
    plots.index_axes(fig)
    return dict(fig=fig, data=data, sources=[TOURISM], units=f"index, {base} = 100",
                title=f"International arrivals by mode of transport, {base}–{last}",
                caption="Arrivals by air, land and water in the {fact}`transport_countries` countries that report the "
                        "split in every year from {fact}`tourism_base_year` to {fact}`tourism_last_year`, indexed to "
                        "{fact}`tourism_base_year` = {fact}`index_base`. Countries count visitors or tourists depending "
                        "on their statistical series.",
                alt="Line chart: in {fact}`transport_first_year` air arrivals fell to {fact}`air_trough_pct` of their "
                    "{fact}`tourism_base_year` level and land arrivals to {fact}`land_trough_pct`; by "
                    "{fact}`tourism_last_year` air arrivals were back to {fact}`air_last_pct`, land arrivals to "
                    "{fact}`land_last_pct` and arrivals by water to {fact}`water_last_pct`.")


def _change_pct(new: float, old: float) -> float:
    return 100 * (new / old - 1)


def remittance_facts(base: int, last: int) -> FactSpecs:
    """Remittances worldwide and to low- and middle-income countries: base year, the year after, last year."""
    rem = remittance_series(base, last)
    r0, dip, r1 = rem.iloc[0], rem.iloc[1], rem.iloc[-1]
    d = int(dip["year"])
    out = FactSpecs(year=last, sources=remittance_sources(last))
    out.year_of("rem_base_year", base)
    out.year_of("rem_last_year", last)
    out.add("rem_world_base", r0["world_usd"], "US$ (current)", "usd_billions", year=base)
    out.add("rem_world_dip", dip["world_usd"], "US$ (current)", "usd_billions", year=d)
    out.year_of("rem_dip_year", d)
    out.add("rem_world_dip_pct", _change_pct(dip["world_usd"], r0["world_usd"]), "percent", "percent", year=d)
    out.add("rem_lmic_dip_pct", _change_pct(dip["lmic_usd"], r0["lmic_usd"]), "percent", "percent", year=d)
    out.add("rem_world_last", r1["world_usd"], "US$ (current)", "usd_billions")
    out.add("rem_world_growth_pct", _change_pct(r1["world_usd"], r0["world_usd"]), "percent", "percent")
    out.add("rem_lmic_base", r0["lmic_usd"], "US$ (current)", "usd_billions", year=base)
    out.add("rem_lmic_last", r1["lmic_usd"], "US$ (current)", "usd_billions")
    out.add("rem_lmic_growth_pct", _change_pct(r1["lmic_usd"], r0["lmic_usd"]), "percent", "percent")
    return out


def remittances_figure(base: int, last: int) -> dict:
    """Remittances worldwide and to low- and middle-income countries by year."""
    rem = remittance_series(base, last)
    fig, data = plots.line_chart(rem, "year", ["world_usd", "lmic_usd"], ylabel="US$ billion (current)", scale=1e9,
                                 labels={"world_usd": "World", "lmic_usd": "Low- and middle-income countries"})
    plots.headroom(fig, rem["world_usd"].max(), 1.15)
    return dict(fig=fig, data=data, sources=remittance_sources(last), units="US$ (current)",
                title=f"International remittances, {base}–{last}",
                caption="Remittance inflows in current US dollars, worldwide and to low- and middle-income countries "
                        "(World Bank-KNOMAD estimates).",
                alt="Line chart: remittances worldwide dipped from {fact}`rem_world_base` in {fact}`rem_base_year` to "
                    "{fact}`rem_world_dip` in {fact}`rem_dip_year` and reached {fact}`rem_world_last` in "
                    "{fact}`rem_last_year`.")


def recipient_facts(base: int, last: int, top_n: int) -> FactSpecs:
    """The top_n recipients of `last` against `base`: the largest, how many grew, the fastest and slowest change."""
    rec = recipients_change(base, last, top_n)
    g1 = rec.iloc[0]
    fastest, slowest = rec.loc[rec["change_pct"].idxmax()], rec.loc[rec["change_pct"].idxmin()]
    out = FactSpecs(year=last, sources=remittance_sources(last))
    out.add("rec_top_n", top_n, "countries")
    out.add("rec_top", in_text(g1["iso3"]), "country", "text")
    out.add("rec_top_last", g1["usd_last"], "US$ (current)", "usd_billions")
    out.add("rec_top_growth_pct", g1["change_pct"], "percent", "percent")
    out.add("rec_up_count", int((rec["change_pct"] > 0).sum()), "countries")
    for key, row in (("fastest", fastest), ("slowest", slowest)):
        out.add(f"rec_{key}", in_text(row["iso3"]), "country", "text")
        out.add(f"rec_{key}_pct", row["change_pct"], "percent", "percent")
    return out


def recipients_figure(base: int, last: int, top_n: int) -> dict:
    """Bars of the top_n recipients' remittances in `base` and `last`."""
    rec = recipients_change(base, last, top_n)
    fig, _ = plots.grouped_bars(rec[["country", "usd_first", "usd_last"]], "country", ["usd_first", "usd_last"],
                                ylabel="US$ billion (current)", scale=1e9,
                                labels={"usd_first": str(base), "usd_last": str(last)})
    return dict(fig=fig, data=rec, sources=remittance_sources(last), units="US$ (current)",
                title=f"Top {top_n} remittance recipients in {last}, compared with {base}",
                caption="Remittance inflows in current US dollars to the {fact}`rec_top_n` largest recipients of "
                        "{fact}`rem_last_year`.",
                alt="Bar chart: {fact}`rec_top` received {fact}`rec_top_last` in {fact}`rem_last_year`, a change of "
                    "{fact}`rec_top_growth_pct` from {fact}`rem_base_year`; {fact}`rec_up_count` of the "
                    "{fact}`rec_top_n` largest recipients received more than before the pandemic, and the smallest "
                    "change, {fact}`rec_slowest_pct`, was for {fact}`rec_slowest`.")


def stock_facts(current: str, previous: str, year: int) -> FactSpecs:
    """Migrant stock in two UN DESA editions: growth to `year` within the current one, and the revision."""
    s = stock_comparison(current, previous, year)
    cur, prev, both = [current], [previous], [current, previous]
    out = FactSpecs(year=year, sources=cur)
    out.add("ims_edition", edition_label(current), "edition", "text")
    out.add("ims_prev_edition", edition_label(previous), "edition", "text", year=s["previous_last_year"], sources=prev)
    out.add("stock_total", s["total"], "persons", "millions")
    out.year_of("stock_last_year", year)
    out.year_of("stock_before_year", s["before_year"])
    out.add("stock_before", s["before"], "persons", "millions", year=s["before_year"])
    out.add("stock_growth_pct", _change_pct(s["total"], s["before"]), "percent", "percent")
    out.add("stock_added_per_year", (s["total"] - s["before"]) / (year - s["before_year"]), "persons per year",
            "millions")
    out.year_of("stock_before2_year", s["before2_year"])
    out.add("stock_added_per_year_before", (s["before"] - s["before2"]) / (s["before_year"] - s["before2_year"]),
            "persons per year", "millions", year=s["before_year"])
    out.year_of("prev_last_year", s["previous_last_year"], sources=prev)
    out.add("prev_last_total", s["previous_last"], "persons", "millions", year=s["previous_last_year"], sources=prev)
    out.year_of("common_year", s["common_year"], sources=both)
    out.add("common_current", s["common_current"], "persons", "millions", year=s["common_year"])
    out.add("common_previous", s["common_previous"], "persons", "millions", year=s["common_year"], sources=prev)
    out.add("revision_pct", s["revision_pct"], "percent", "percent", year=s["common_year"], sources=both)
    return out


def stock_figure(current: str, previous: str, year: int) -> dict:
    """World migrant stock in two editions, one line each (the older dashed); the alt text cites stock_facts."""
    cur, prev = edition_label(current), edition_label(previous)
    fig, data = plots.line_chart(stock_editions(current, previous), "year", ["current", "previous"],
                                 ylabel="Migrants (millions)", scale=1e6, labels={"current": cur, "previous": prev})
    fig.axes[0].lines[1].set(linestyle="--", linewidth=1.4)  # the older edition dashed, so both stay visible
    # the legend is line_chart's (long edition names go below the plot, so the plot keeps its width): its key
    # for the older edition dashed too
    fig.axes[0].get_legend().legend_handles[1].set(linestyle="--", linewidth=1.4)
    return dict(fig=fig, data=data.rename(columns={"current": cur, "previous": prev}), sources=[current, previous],
                units="persons",
                title=f"International migrants worldwide in two editions of the UN DESA estimates, to {year}",
                caption="World migrant stock at mid-year as estimated in each edition; each line is one edition. Newer "
                        "editions revise earlier years, so the two are not joined into one series.",
                alt="Line chart: the {fact}`ims_edition` edition puts the number of international migrants at "
                    "{fact}`stock_total` in {fact}`stock_last_year`; for {fact}`common_year` it estimates "
                    "{fact}`common_current`, against {fact}`common_previous` in the {fact}`ims_prev_edition` edition.")


def displacement_facts(base: int, last: int) -> FactSpecs:
    """New displacements by disasters (base, last, highest, lowest) and by conflict (base, latest, highest)."""
    dis = displacement_series(base, last)
    conf = dis.dropna(subset=["conflict"])
    dz0, dz1 = dis.iloc[0], dis.iloc[-1]
    cpeak, c_last = conf.loc[conf["conflict"].idxmax()], int(conf["year"].iloc[-1])
    missing = [str(int(y)) for y in dis.loc[dis["conflict"].isna(), "year"]]
    out = FactSpecs(year=last, sources=[IDMC])
    out.year_of("displacement_base_year", base)
    out.year_of("displacement_last_year", last)
    if missing:   # the caption of displacement_figure names them
        out.years_of("conflict_missing_year", missing)
    out.add("disaster_base", dz0["disaster"], "displacements", "millions", year=base)
    out.add("disaster_last", dz1["disaster"], "displacements", "millions")
    for key, row in (("peak", dis.loc[dis["disaster"].idxmax()]), ("low", dis.loc[dis["disaster"].idxmin()])):
        out.add(f"disaster_{key}", row["disaster"], "displacements", "millions", year=int(row["year"]))
        out.year_of(f"disaster_{key}_year", row["year"])
    out.add("conflict_base", dz0["conflict"], "displacements", "millions", year=base)
    out.year_of("conflict_last_year", c_last)
    out.add("conflict_last", conf["conflict"].iloc[-1], "displacements", "millions", year=c_last)
    out.add("conflict_peak", cpeak["conflict"], "displacements", "millions", year=int(cpeak["year"]))
    out.year_of("conflict_peak_year", cpeak["year"])
    return out


def displacement_figure(base: int, last: int) -> dict:
    """New displacements by cause and year; the caption names the years without conflict figures."""
    dis = displacement_series(base, last)
    missing = int(dis["conflict"].isna().sum())
    fig, data = plots.grouped_bars(dis, "year", ["conflict", "disaster"], ylabel="Internal displacements (millions)",
                                   scale=1e6, labels={"conflict": "Conflict and violence", "disaster": "Disasters"})
    return dict(fig=fig, data=data, sources=[IDMC], units="movements",
                title=f"New internal displacements by cause, {base}–{last}",
                caption="Internal displacements (movements) recorded during each year by IDMC; a person can be displaced "
                        "more than once." + (f" Conflict figures for {cited_list('conflict_missing_year', missing)} are not "
                                             "in the pinned files." if missing else ""),
                alt="Bar chart: disaster displacements numbered {fact}`disaster_base` in {fact}`displacement_base_year` "
                    "and {fact}`disaster_last` in {fact}`displacement_last_year`; conflict displacements peaked at "
                    "{fact}`conflict_peak` in {fact}`conflict_peak_year`.")


def summary_table(ims_source: str, previous_ims_source: str, stock_year: int, base_year: int, tourism_year: int,
                  remittance_year: int, displacement_year: int) -> dict:
    """Each indicator before the pandemic and at its latest year, with the change in percent."""
    world = tourism_coverage(base_year, tourism_year).iloc[0]
    rem = remittance_series(base_year, remittance_year)
    r0, r1 = rem.iloc[0], rem.iloc[-1]
    stock = stock_comparison(ims_source, previous_ims_source, stock_year)
    dis = displacement_series(base_year, displacement_year)
    conf = dis.dropna(subset=["conflict"])
    dz0, dz1 = dis.iloc[0], dis.iloc[-1]
    rows = [
        (f"International tourist arrivals ({int(world['countries'])} reporting countries)", "arrivals",
         base_year, world["arrivals_first"], tourism_year, world["arrivals_last"]),
        ("Remittances, world", "US$ (current)", base_year, r0["world_usd"], remittance_year, r1["world_usd"]),
        ("Remittances to low- and middle-income countries", "US$ (current)", base_year, r0["lmic_usd"],
         remittance_year, r1["lmic_usd"]),
        (f"International migrants ({edition_label(ims_source)})", "persons", stock["before_year"], stock["before"],
         stock_year, stock["total"]),
        ("New internal displacements, disasters", "movements", base_year, dz0["disaster"], displacement_year,
         dz1["disaster"]),
        ("New internal displacements, conflict and violence", "movements", base_year, dz0["conflict"],
         int(conf["year"].iloc[-1]), conf["conflict"].iloc[-1]),
    ]
    summary = pd.DataFrame([dict(zip(["Indicator", "Unit", "Base year", "Base value", "Latest year", "Latest value"],
                                     row)) for row in rows])
    summary["Change (%)"] = 100 * (summary["Latest value"] / summary["Base value"] - 1)
    return dict(df=summary, sources=[TOURISM, *remittance_sources(remittance_year), ims_source, IDMC],
                formats={"Base year": "year", "Latest year": "year", "Base value": "compact", "Latest value": "compact",
                         "Change (%)": "percent"},
                title="Mobility before the pandemic and at the latest data point",
                caption="Each indicator in the last year before the pandemic (for migrant stocks, the estimate before the "
                        "latest one) and the latest year in this edition's data; values in the unit shown.")
