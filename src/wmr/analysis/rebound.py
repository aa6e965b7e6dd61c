"""Mobility before and after COVID-19: tourism arrivals, remittances, migrant stocks between editions, displacement.

Tourism: UN Tourism publishes no world total in the pinned workbook and coverage shrinks after 2019, so
world and regional series are sums over a balanced panel: the countries that report arrivals in every
compared year, each with the same statistical series throughout (a country switching, e.g., from tourists
at frontiers to tourists in hotels would break its own trend). Series differ between countries (see
wmr.sources.tourism), so levels are indicative and the series are shown as indices (first year = 100).
Regions are the WMR's six (UN M49).
"""
from __future__ import annotations

import pandas as pd

from .. import pins
from ..countries import with_names
from ..errors import not_covered
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
    out["region"] = out["iso3"].map(m49.region_of()).fillna("")
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
    reporting = a[(a["year"] == first) & a["iso3"].ne("")].assign(region=lambda d: d["iso3"].map(m49.region_of()).fillna(""))
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
