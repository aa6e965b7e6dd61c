"""Migration and human development: migrants by UNDP HDI group of origin and destination, emigration
rates, and stocks inside free-movement regimes (ECOWAS, Schengen).

Classification. Countries are grouped by UNDP's fixed HDI cut-offs (`hdi.GROUP_CUTOFFS`). By default the
groups are fixed at one HDI year (`hdi_year`) for every stock year, so that changes over time come from
migration, not from countries moving up a group; `hdi_year=None` instead classifies each stock year by
the HDI of that year, or of the latest HDI year before it when the stock year is newer than the HDI file
(2024 -> 2022). Areas with no HDI in the year used (territories such as Puerto Rico or Macao, Taiwan,
and the UN's 'origin not specified', OOO) are kept as the group UNCLASSIFIED, never dropped.

Emigration rate = emigrants / (emigrants + resident population of the origin), in percent: the share of
a country's people (at home and abroad) who live abroad. Population is UNDP's (UN WPP) for the stock
year, or the latest earlier year (2022 for 2024).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..countries import with_names
from ..errors import ConfigError
from ..sources import free_movement, hdi, ims

HDI = hdi.SOURCE
FREE_MOVEMENT = free_movement.SOURCE
UNCLASSIFIED = "Unclassified"
GROUPS = hdi.GROUPS                        # 'Very high', 'High', 'Medium', 'Low'
ALL_GROUPS = (*GROUPS, UNCLASSIFIED)
RANK = {g: i for i, g in enumerate(reversed(GROUPS))}  # Low 0 .. Very high 3
REGIMES = tuple(free_movement.FILES)      # 'ECOWAS', 'Schengen'


# ---------------------------------------------------------------------------------------------- inputs

def stocks(ims_source: str) -> pd.DataFrame:
    """Bilateral migrant stock, both sexes: year, dest_iso3, origin_iso3, migrants (persons)."""
    return _stocks(ims_source).copy()


@lru_cache(maxsize=2)
def _stocks(ims_source: str) -> pd.DataFrame:
    if ims_source == ims.SOURCE_2019_BILATERAL:
        return ims.load_bilateral_2019()
    df = ims.load_bilateral(ims_source)
    return df.groupby(["year", "dest_iso3", "origin_iso3"], as_index=False)["migrants"].sum()


def stock_years(ims_source: str) -> list[int]:
    """The mid-year estimates of a bilateral edition, ascending."""
    return sorted(int(y) for y in _stocks(ims_source)["year"].unique())


def hdi_year_for(year: int) -> int:
    """The latest year ≤ `year` with HDI values in the pinned file (2022 for 2024)."""
    years = sorted(int(y) for y in hdi.load_hdi().dropna(subset=["hdi"])["year"].unique())
    earlier = [y for y in years if y <= year]
    if not earlier:
        raise ConfigError(f"No HDI before {year}.", expected=f"a year from {years[0]}", got=year,
                          fix="use a later stock year")
    return earlier[-1]


def population_year_for(year: int) -> int:
    """The latest year ≤ `year` with population in the pinned HDI file (2022 for 2024)."""
    years = sorted(int(y) for y in hdi.load_hdi().dropna(subset=["population"])["year"].unique())
    earlier = [y for y in years if y <= year]
    if not earlier:
        raise ConfigError(f"No population before {year}.", expected=f"a year from {years[0]}", got=year,
                          fix="use a later stock year")
    return earlier[-1]


def groups(hdi_year: int) -> pd.Series:
    """HDI group of each country (index iso3) by the HDI of `hdi_year` (latest year ≤ it); no-HDI areas absent."""
    h = hdi.load_hdi()
    h = h[(h["year"] == hdi_year_for(hdi_year)) & h["hdi"].notna()]
    return h.set_index("iso3")["hdi_group"]


def classified_stocks(ims_source: str, hdi_year: int | None) -> pd.DataFrame:
    """Bilateral stocks with dest_group, origin_group and the hdi_year used for each stock year.

    `hdi_year` fixes the classification for all years; None classifies each year by its own HDI (latest ≤ it).
    """
    return _classified(ims_source, hdi_year).copy()


@lru_cache(maxsize=4)
def _classified(ims_source: str, hdi_year: int | None) -> pd.DataFrame:
    df = _stocks(ims_source)
    parts = []
    for year, sub in df.groupby("year", sort=True):
        used = hdi_year_for(hdi_year if hdi_year is not None else int(year))
        g = groups(used)
        parts.append(sub.assign(dest_group=sub["dest_iso3"].map(g).fillna(UNCLASSIFIED),
                                origin_group=sub["origin_iso3"].map(g).fillna(UNCLASSIFIED), hdi_year=used))
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------------------------------------- shares

def by_group(ims_source: str, side: str, hdi_year: int | None) -> pd.DataFrame:
    """Migrants by HDI group of destination (side='dest') or origin ('origin') and year, with share_pct of the world.

    Columns: year, group, migrants, share_pct, hdi_year; every group of ALL_GROUPS appears each year.
    """
    if side not in ("dest", "origin"):
        raise ConfigError("Unknown side.", expected=["dest", "origin"], got=side, fix="pass side='dest' or 'origin'")
    df = _classified(ims_source, hdi_year)
    out = df.groupby(["year", f"{side}_group"])["migrants"].sum().unstack(fill_value=0)
    out = out.reindex(columns=list(ALL_GROUPS), fill_value=0).stack().rename("migrants").reset_index()
    out.columns = ["year", "group", "migrants"]
    out["share_pct"] = 100 * out["migrants"] / out.groupby("year")["migrants"].transform("sum")
    used = df.groupby("year")["hdi_year"].first()
    out["hdi_year"] = out["year"].map(used)
    return out


def wide(long: pd.DataFrame, value: str, columns: str = "group", index: str = "year") -> pd.DataFrame:
    """A long table by group as one column per group (in ALL_GROUPS order, those present)."""
    w = long.pivot(index=index, columns=columns, values=value)
    order = [g for g in ALL_GROUPS if g in w.columns]
    return w[order].reset_index().rename_axis(columns=None)


def unclassified_breakdown(ims_source: str, year: int, hdi_year: int | None, side: str) -> pd.DataFrame:
    """Migrants in UNCLASSIFIED for one year by area: iso3, country, migrants (largest first)."""
    df = _classified(ims_source, hdi_year)
    df = df[(df["year"] == year) & (df[f"{side}_group"] == UNCLASSIFIED)]
    out = df.groupby(f"{side}_iso3", as_index=False)["migrants"].sum().rename(columns={f"{side}_iso3": "iso3"})
    out = out.sort_values(["migrants", "iso3"], ascending=[False, True]).reset_index(drop=True)
    return with_names(out)


# ---------------------------------------------------------------------------------------------- emigration rates

def _population(year: int) -> pd.Series:
    h = hdi.load_hdi()
    h = h[(h["year"] == population_year_for(year)) & h["population"].notna()]
    return h.set_index("iso3")["population"]


def country_emigration_rates(ims_source: str, year: int) -> pd.DataFrame:
    """Emigration rate of each country with HDI and population, by the HDI of `year` (latest ≤ it).

    Columns: iso3, country, hdi, hdi_group, hdi_year, emigrants, population, population_year, rate_pct.
    """
    df = _stocks(ims_source)
    emigrants = df[df["year"] == year].groupby("origin_iso3")["migrants"].sum()
    used = hdi_year_for(year)
    h = hdi.load_hdi()
    h = h[(h["year"] == used) & h["hdi"].notna()].set_index("iso3")[["hdi", "hdi_group"]]
    pop = _population(year)
    out = h.join(pop, how="inner")
    out["emigrants"] = emigrants.reindex(out.index).fillna(0).astype("int64")
    out["rate_pct"] = 100 * out["emigrants"] / (out["emigrants"] + out["population"])
    out = out.assign(hdi_year=used, population_year=population_year_for(year)).reset_index()
    out = with_names(out.sort_values("iso3").reset_index(drop=True))
    return out[["iso3", "country", "hdi", "hdi_group", "hdi_year", "emigrants", "population", "population_year",
                "rate_pct"]]


def emigration_rates(ims_source: str, hdi_year: int) -> pd.DataFrame:
    """Emigration rate of each HDI group (fixed at `hdi_year`) and year: pooled over the group's countries.

    Columns: year, group, countries, emigrants, population, population_year, rate_pct. Countries without
    population (none in the pinned file) and areas without HDI are left out of every group.
    """
    df = _stocks(ims_source)
    g = groups(hdi_year)
    rows = []
    for year, sub in df.groupby("year", sort=True):
        em = sub.groupby("origin_iso3")["migrants"].sum()
        pop = _population(int(year))
        members = g.index.intersection(pop.index)
        t = pd.DataFrame({"group": g[members], "population": pop[members],
                          "emigrants": em.reindex(members).fillna(0)})
        agg = t.groupby("group").agg(countries=("group", "size"), emigrants=("emigrants", "sum"),
                                     population=("population", "sum")).reindex(list(GROUPS))
        agg = agg.assign(year=int(year), population_year=population_year_for(int(year))).reset_index()
        rows.append(agg)
    out = pd.concat(rows, ignore_index=True)
    out["rate_pct"] = 100 * out["emigrants"] / (out["emigrants"] + out["population"])
    return out[["year", "group", "countries", "emigrants", "population", "population_year", "rate_pct"]]


def rates_by_hdi_band(rates: pd.DataFrame, width: float = 0.1) -> pd.DataFrame:
    """Countries' emigration rates summarised by HDI band of `width`: band, lower, countries, median_pct, pooled_pct."""
    edges = np.round(np.arange(np.floor(rates["hdi"].min() / width) * width, 1 + width / 2, width), 10)
    idx = np.clip(np.searchsorted(edges, rates["hdi"].to_numpy(), side="right") - 1, 0, len(edges) - 2)
    t = rates.assign(lower=edges[idx])
    out = t.groupby("lower").agg(countries=("iso3", "size"), median_pct=("rate_pct", "median"),
                                 emigrants=("emigrants", "sum"), population=("population", "sum")).reset_index()
    out["pooled_pct"] = 100 * out["emigrants"] / (out["emigrants"] + out["population"])
    out.insert(0, "band", [f"{lo:.2f}–{min(lo + width, 1):.2f}" for lo in out["lower"]])
    return out[["band", "lower", "countries", "median_pct", "pooled_pct"]]


# ---------------------------------------------------------------------------------------------- matrix

def matrix(ims_source: str, year: int, hdi_year: int | None) -> pd.DataFrame:
    """Migrants (persons) by origin group (rows) and destination group (columns) in `year`, ALL_GROUPS order."""
    df = _classified(ims_source, hdi_year)
    df = df[df["year"] == year]
    if df.empty:
        raise ConfigError(f"Year {year} is not in {ims_source}.", expected=stock_years(ims_source), got=year,
                          fix="use one of the listed mid-year estimates")
    m = df.pivot_table(index="origin_group", columns="dest_group", values="migrants", aggfunc="sum", fill_value=0)
    m = m.reindex(index=list(ALL_GROUPS), columns=list(ALL_GROUPS), fill_value=0).astype("int64")
    m.index.name, m.columns.name = "origin", "destination"
    return m


def matrix_table(ims_source: str, years: list[int], hdi_year: int | None, scale: float = 1e3) -> pd.DataFrame:
    """The matrices of several years stacked as one table: Year, Origin, one column per destination, Total (÷ scale)."""
    parts = []
    for year in years:
        m = matrix(ims_source, year, hdi_year) / scale
        m["Total"] = m.sum(axis=1)
        m.loc["Total"] = m.sum(axis=0)
        m = m.reset_index().rename(columns={"origin": "Origin"})
        m.insert(0, "Year", str(year))
        parts.append(m)
    out = pd.concat(parts, ignore_index=True)
    out.columns.name = None
    return out


def direction_shares(m: pd.DataFrame) -> dict[str, float]:
    """Of migrants with classified origin and destination: % moving to a higher, the same or a lower HDI group."""
    c = m.loc[list(GROUPS), list(GROUPS)]
    total = c.to_numpy().sum()
    up = same = down = 0
    for o in GROUPS:
        for d in GROUPS:
            v = c.loc[o, d]
            if RANK[d] > RANK[o]:
                up += v
            elif RANK[d] == RANK[o]:
                same += v
            else:
                down += v
    return {"higher_pct": 100 * up / total, "same_pct": 100 * same / total, "lower_pct": 100 * down / total,
            "classified": int(total), "classified_pct": 100 * total / m.to_numpy().sum()}


def share_matrix(m: pd.DataFrame) -> pd.DataFrame:
    """A matrix as % of its grand total."""
    return 100 * m / m.to_numpy().sum()


# ---------------------------------------------------------------------------------------------- summary

def group_summary(ims_source: str, year: int, hdi_year: int) -> pd.DataFrame:
    """One row per HDI group (fixed at `hdi_year`) plus UNCLASSIFIED in `year`: countries, population,
    population_pct, immigrants, immigrants_pct, emigrants, emigrants_pct, rate_pct."""
    dest = by_group(ims_source, "dest", hdi_year)
    orig = by_group(ims_source, "origin", hdi_year)
    dest, orig = dest[dest["year"] == year].set_index("group"), orig[orig["year"] == year].set_index("group")
    rates = emigration_rates(ims_source, hdi_year)
    rates = rates[rates["year"] == year].set_index("group")
    out = pd.DataFrame(index=pd.Index(list(ALL_GROUPS), name="group"))
    out["countries"] = groups(hdi_year).value_counts().reindex(out.index)
    out["population"] = rates["population"].reindex(out.index)
    out["population_pct"] = 100 * out["population"] / out["population"].sum()
    out["immigrants"] = dest["migrants"]
    out["immigrants_pct"] = dest["share_pct"]
    out["emigrants"] = orig["migrants"]
    out["emigrants_pct"] = orig["share_pct"]
    out["rate_pct"] = rates["rate_pct"].reindex(out.index)
    return out.reset_index()


# ---------------------------------------------------------------------------------------------- free movement

def membership_year_for(year: int) -> int | None:
    """The latest membership snapshot ≤ `year` (2019 for 2020 and 2024); None before the first (1995)."""
    years = sorted(int(y) for y in free_movement.load_free_movement()["year"].unique())
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else None


def free_movement_shares(ims_source: str, regime: str, fixed_membership_year: int | None = None) -> pd.DataFrame:
    """Share of member states' emigrants who live in another member state, by stock year.

    Members are those of each stock year's membership snapshot (latest ≤ it), or of
    `fixed_membership_year` for all years. Stock years before the first snapshot are left out.
    Columns: year, membership_year, members, emigrants, within, share_pct.
    """
    if regime not in REGIMES:
        raise ConfigError("Unknown free-movement regime.", expected=list(REGIMES), got=regime,
                          fix="use one of the listed regimes")
    df = _stocks(ims_source)
    rows = []
    for year in stock_years(ims_source):
        used = fixed_membership_year if fixed_membership_year is not None else membership_year_for(year)
        if used is None:
            continue
        members = free_movement.members(regime, used)
        sub = df[(df["year"] == year) & df["origin_iso3"].isin(members)]
        within = sub[sub["dest_iso3"].isin(members) & (sub["dest_iso3"] != sub["origin_iso3"])]["migrants"].sum()
        total = sub["migrants"].sum()
        rows.append({"year": year, "membership_year": used, "members": len(members), "emigrants": int(total),
                     "within": int(within), "share_pct": 100 * within / total})
    return pd.DataFrame(rows)
