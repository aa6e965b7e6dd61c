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


import numpy as np
import pandas as pd

from wmr.core.errors import ConfigError, not_covered

from .. import pins, plots
from ..countries import in_text, with_names
from ..facts import fact_spec
from ..sources import free_movement, hdi, ims
from .migrants import country_population

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


@pins.memo(maxsize=2)
def _stocks(ims_source: str) -> pd.DataFrame:
    if ims_source == ims.SOURCE_2019_BILATERAL:
        return ims.load_bilateral_2019()
    df = ims.load_bilateral(ims_source)
    return df.groupby(["year", "dest_iso3", "origin_iso3"], as_index=False)["migrants"].sum()


def stock_years(ims_source: str) -> list[int]:
    """The mid-year estimates of a bilateral edition, ascending."""
    return sorted(int(y) for y in _stocks(ims_source)["year"].unique())


def _latest_year(column: str, label: str, year: int) -> int:
    found = hdi.latest_year_with(column, year)
    if found is None:
        first = int(hdi.load_hdi().dropna(subset=[column])["year"].min())
        raise ConfigError(f"No {label} before {year}.", expected=f"a year from {first}", got=year,
                          fix="use a later stock year")
    return found


def hdi_year_for(year: int) -> int:
    """The latest year ≤ `year` with HDI values in the pinned file (2022 for 2024)."""
    return _latest_year("hdi", "HDI", year)


def population_year_for(year: int) -> int:
    """The year of the population divided by: the stock year itself (one denominator per edition: the
    population UN DESA published with the migrant stock edition, which has every stock year)."""
    return year


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


@pins.memo(maxsize=4)
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

def _population(ims_source: str, year: int) -> pd.Series:
    """Population by ISO3 in `year`, from the edition's own workbook (migrants.country_population)."""

    pop = country_population(ims_source, year)
    if int(pop["population_year"].iloc[0]) != year:
        raise not_covered(f"population for {year} in the workbook of {ims_source}", year, "the workbook's estimate years")
    return pop.set_index("iso3")["population"]


def country_emigration_rates(ims_source: str, year: int) -> pd.DataFrame:
    """Emigration rate of each country with HDI and population, by the HDI of `year` (latest ≤ it).

    Columns: iso3, country, hdi, hdi_group, hdi_year, emigrants, population, population_year, rate_pct.
    """
    df = _stocks(ims_source)
    emigrants = df[df["year"] == year].groupby("origin_iso3")["migrants"].sum()
    used = hdi_year_for(year)
    h = hdi.load_hdi()
    h = h[(h["year"] == used) & h["hdi"].notna()].set_index("iso3")[["hdi", "hdi_group"]]
    pop = _population(ims_source, year)
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
        pop = _population(ims_source, int(year))
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


# ---------------------------------------------------------------------------------------------- fact specs
# Each function returns the chapter's facts as keyword arguments of Chapter.fact (name, value, unit, year,
# sources, fmt, display, note), so the notebook records them with `for spec in ...: ch.fact(**spec)`.

_KEYS = (("Very high", "vh"), ("High", "high"), ("Medium", "medium"), ("Low", "low"))


def _spec(name: str, value, unit: str, year: int, sources: list[str], fmt: str = "count",
          display: str | None = None, note: str = "") -> dict:
    return fact_spec(name, value, unit, fmt, year=year, sources=sources, display=display, note=note)


def _pct(name: str, value, year: int, sources: list[str]) -> dict:
    return _spec(name, value, "percent", year, sources, "percent")


def _year(name: str, year: int, sources: list[str]) -> dict:
    return _spec(name, year, "year", year, sources, "year")


def classification_setup_facts(ims_source: str, stock_year: int, hdi_year: int) -> list[dict]:
    """Years used (first stock year, group/stock HDI years, population year), UNDP cut-offs and group sizes."""
    ims_, hdi_ = [ims_source], [HDI]
    early_year = stock_years(ims_source)[0]
    group_year = hdi_year_for(hdi_year)
    counts = groups(group_year).value_counts()
    out = [_year("early_year", early_year, ims_), _year("group_year", group_year, hdi_),
           _year("stock_hdi_year", hdi_year_for(stock_year), hdi_),
           _year("pop_year", population_year_for(stock_year), [ims.WORKBOOKS[ims_source][0]]),
           _year("last_year", stock_year, ims_)]   # the stock year, for captions and alt text
    for lower, label in hdi.GROUP_CUTOFFS[:-1]:
        key = label.lower().replace(" ", "_")
        out.append(_spec(f"cutoff_{key}", lower, "HDI", group_year, hdi_, display=f"{lower:.3f}"))
        out.append(_spec(f"n_{key}", int(counts[label]), "countries", group_year, hdi_))
    out.append(_spec("n_low", int(counts["Low"]), "countries", group_year, hdi_))
    out.append(_spec("n_classified", int(counts.sum()), "countries", group_year, hdi_))
    return out


def _group_wides(ims_source: str, side: str, group_year: int) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """First stock year, and shares (%) and migrants by year (rows) x fixed HDI group (columns) for one side."""
    long = by_group(ims_source, side, group_year)
    return (stock_years(ims_source)[0], wide(long, "share_pct").set_index("year"),
            wide(long, "migrants").set_index("year"))


def immigrant_share_facts(ims_source: str, stock_year: int, group_year: int) -> list[dict]:
    """World migrant totals and destination shares by fixed HDI group (first, last and peak year of very high)."""
    src, ims_ = [ims_source, HDI], [ims_source]
    early_year, Dp, Dn = _group_wides(ims_source, "dest", group_year)
    summary = group_summary(ims_source, stock_year, group_year).set_index("group")
    pop_year = population_year_for(stock_year)
    peak_year = int(Dp["Very high"].idxmax())
    world = Dn.sum(axis=1)
    return [
        _spec("migrants_early", world[early_year], "persons", early_year, ims_, "millions"),
        _spec("migrants_last", world[stock_year], "persons", stock_year, ims_, "millions"),
        _pct("imm_vh_early_pct", Dp.loc[early_year, "Very high"], early_year, src),
        _pct("imm_vh_last_pct", Dp.loc[stock_year, "Very high"], stock_year, src),
        _pct("imm_vh_peak_pct", Dp.loc[peak_year, "Very high"], peak_year, src),
        _year("imm_vh_peak_year", peak_year, ims_),
        _spec("imm_vh_last", Dn.loc[stock_year, "Very high"], "persons", stock_year, src, "millions"),
        _pct("imm_low_early_pct", Dp.loc[early_year, "Low"], early_year, src),
        _pct("imm_low_last_pct", Dp.loc[stock_year, "Low"], stock_year, src),
        _pct("imm_medium_early_pct", Dp.loc[early_year, "Medium"], early_year, src),
        _pct("imm_medium_last_pct", Dp.loc[stock_year, "Medium"], stock_year, src),
        _pct("imm_high_last_pct", Dp.loc[stock_year, "High"], stock_year, src),
        _pct("imm_unclassified_last_pct", Dp.loc[stock_year, UNCLASSIFIED], stock_year, src),
        _spec("imm_unclassified_last", Dn.loc[stock_year, UNCLASSIFIED], "persons", stock_year, src, "millions"),
        _pct("pop_vh_pct", summary.loc["Very high", "population_pct"], pop_year, src),
        _pct("pop_low_pct", summary.loc["Low", "population_pct"], pop_year, src),
    ]


def emigrant_share_facts(ims_source: str, stock_year: int, group_year: int) -> list[dict]:
    """Origin shares by fixed HDI group, the group gaining most, and the unclassified origins (OOO vs no HDI)."""
    src, ims_ = [ims_source, HDI], [ims_source]
    early_year, Op, On = _group_wides(ims_source, "origin", group_year)
    uncl = unclassified_breakdown(ims_source, stock_year, group_year, "origin")
    unknown = int(uncl.loc[uncl["iso3"] == "OOO", "migrants"].sum())
    out = []
    for g, key in _KEYS:
        out.append(_pct(f"em_{key}_early_pct", Op.loc[early_year, g], early_year, src))
        out.append(_pct(f"em_{key}_last_pct", Op.loc[stock_year, g], stock_year, src))
    gain = (Op.loc[stock_year, list(GROUPS)] - Op.loc[early_year, list(GROUPS)]).sort_values(ascending=False)
    no_hdi = uncl[uncl["iso3"] != "OOO"].iloc[0]
    out += [
        _spec("em_gain_group", gain.index[0].lower(), "HDI group", stock_year, src, "text"),
        _pct("em_unclassified_last_pct", Op.loc[stock_year, UNCLASSIFIED], stock_year, src),
        _spec("em_medium_early", On.loc[early_year, "Medium"], "persons", early_year, src, "millions"),
        _spec("em_medium_last", On.loc[stock_year, "Medium"], "persons", stock_year, src, "millions"),
        _spec("em_unknown_last", unknown, "persons", stock_year, ims_, "millions"),
        _spec("no_hdi_top_origin", in_text(no_hdi["iso3"]), "country", stock_year, src, "text", note=no_hdi["iso3"]),
        _spec("no_hdi_top_origin_migrants", no_hdi["migrants"], "persons", stock_year, src, "millions"),
        _spec("em_no_hdi_last", On.loc[stock_year, UNCLASSIFIED] - unknown, "persons", stock_year, src, "millions"),
    ]
    return out


def varying_groups_facts(ims_source: str, stock_year: int) -> list[dict]:
    """Very high and unclassified destination shares when each stock year is grouped by its own HDI."""
    src, hdi_ = [ims_source, HDI], [HDI]
    early_year = stock_years(ims_source)[0]
    V = wide(by_group(ims_source, "dest", None), "share_pct").set_index("year")
    early_hdi = hdi_year_for(early_year)
    early_groups = groups(early_hdi).value_counts()
    return [
        _spec("early_hdi_year", early_hdi, "year", early_year, hdi_, "year"),
        _spec("n_vh_early", int(early_groups.get("Very high", 0)), "countries", early_year, hdi_),
        _spec("n_hdi_early", int(early_groups.sum()), "countries", early_year, hdi_),
        _pct("vary_vh_early_pct", V.loc[early_year, "Very high"], early_year, src),
        _pct("vary_uncl_early_pct", V.loc[early_year, UNCLASSIFIED], early_year, src),
        _pct("vary_vh_last_pct", V.loc[stock_year, "Very high"], stock_year, src),
    ]


def group_rate_facts(ims_source: str, stock_year: int, group_year: int) -> list[dict]:
    """Pooled emigration rates by fixed HDI group in the first and last year, and the group whose rate rose most."""
    src = [ims_source, HDI]
    early_year = stock_years(ims_source)[0]
    Rp = wide(emigration_rates(ims_source, group_year), "rate_pct").set_index("year")
    out = []
    for g, key in _KEYS:
        out.append(_pct(f"rate_{key}_early_pct", Rp.loc[early_year, g], early_year, src))
        out.append(_pct(f"rate_{key}_last_pct", Rp.loc[stock_year, g], stock_year, src))
    rise = (Rp.loc[stock_year, list(GROUPS)] - Rp.loc[early_year, list(GROUPS)]).sort_values(ascending=False)
    out += [_spec("rate_rise_group", rise.index[0].lower(), "HDI group", stock_year, src, "text"),
            _spec("rate_rise_pp", rise.iloc[0], "percentage points", stock_year, src, display=f"{rise.iloc[0]:.1f}")]
    return out


def country_rate_facts(ims_source: str, stock_year: int, band_width: float = 0.1, threshold: int = 10) -> list[dict]:
    """Country emigration rates: median, count at or above `threshold` %, top two countries, and HDI bands."""
    src = [ims_source, HDI]
    country = country_emigration_rates(ims_source, stock_year)
    bands = rates_by_hdi_band(country, band_width)
    top = country.sort_values("rate_pct", ascending=False).head(3)
    hi_band, lo_band = bands.loc[bands["median_pct"].idxmax()], bands.loc[bands["median_pct"].idxmin()]
    top_band = bands.iloc[-1]
    median = country["rate_pct"].median()
    return [
        _spec("countries_rated", len(country), "countries", stock_year, src),
        _pct("median_rate_pct", median, stock_year, src),
        _spec("top_rate_country", in_text(top.iloc[0]["iso3"]), "country", stock_year, src, "text", note=top.iloc[0]["iso3"]),
        _pct("top_rate_pct", top.iloc[0]["rate_pct"], stock_year, src),
        _spec("second_rate_country", in_text(top.iloc[1]["iso3"]), "country", stock_year, src, "text",
              note=top.iloc[1]["iso3"]),
        _pct("second_rate_pct", top.iloc[1]["rate_pct"], stock_year, src),
        _spec(f"n_rate_above_{threshold}", int((country["rate_pct"] >= threshold).sum()), "countries", stock_year, src),
        _spec("rate_threshold", threshold, "percent", stock_year, src, "percent", display=f"{threshold}%"),
        _pct("lowest_rate_pct", country["rate_pct"].min(), stock_year, src),
        _spec("band_width", band_width, "HDI", stock_year, src, display=f"{band_width}"),
        *_band("band_high", hi_band, band_width, stock_year, src, with_count=True),
        *_band("band_low", lo_band, band_width, stock_year, src),
        *_band("band_top", top_band, band_width, stock_year, src),
    ]


def _band(name: str, band: pd.Series, width: float, year: int, src: list[str], with_count: bool = False) -> list[dict]:
    """An HDI band as numbers: its bounds ('0.30', '0.40'), its median rate and, if asked, how many countries."""
    out = [_spec(f"{name}_from", float(band["lower"]), "HDI", year, src, display=f"{band['lower']:.2f}"),
           _spec(f"{name}_to", float(min(band["lower"] + width, 1)), "HDI", year, src,
                 display=f"{min(band['lower'] + width, 1):.2f}"),
           _pct(f"{name}_pct", band["median_pct"], year, src)]
    return out + ([_spec(f"{name}_countries", int(band["countries"]), "countries", year, src)] if with_count else [])


RATES_TEXT = {
    "below": "Grouped in bands of the HDI, the median rate was highest in the band {fact}`band_high_from`–"
             "{fact}`band_high_to` ({fact}`band_high_pct`, {fact}`band_high_countries` countries) and lowest in the band "
             "{fact}`band_low_from`–{fact}`band_low_to` ({fact}`band_low_pct`); in the top band, {fact}`band_top_from`–"
             "{fact}`band_top_to`, it was {fact}`band_top_pct`, below the median of all countries "
             "({numref}`fig-emigration-rate-bands`).",
    "above": "Grouped in bands of the HDI, the median rate was highest in the band {fact}`band_high_from`–"
             "{fact}`band_high_to` ({fact}`band_high_pct`, {fact}`band_high_countries` countries) and lowest in the band "
             "{fact}`band_low_from`–{fact}`band_low_to` ({fact}`band_low_pct`); in the top band, {fact}`band_top_from`–"
             "{fact}`band_top_to`, it was {fact}`band_top_pct`, above the median of all countries "
             "({numref}`fig-emigration-rate-bands`).",
}


def top_band_relation(ims_source: str, stock_year: int, band_width: float = 0.1) -> str:
    """'below' or 'above': the top HDI band's median rate against the median of all countries (RATES_TEXT key)."""
    country = country_emigration_rates(ims_source, stock_year)
    top_band = rates_by_hdi_band(country, band_width).iloc[-1]
    return "below" if top_band["median_pct"] < country["rate_pct"].median() else "above"


def matrix_facts(ims_source: str, stock_year: int, group_year: int) -> list[dict]:
    """Origin–destination matrix: direction shares, within-group shares, largest cell and largest change."""
    src = [ims_source, HDI]
    early_year = stock_years(ims_source)[0]
    m_early, m_last = matrix(ims_source, early_year, group_year), matrix(ims_source, stock_year, group_year)
    out = []
    for when, m, y in [("early", m_early, early_year), ("last", m_last, stock_year)]:
        d = direction_shares(m)
        out += [_pct(f"dir_{k}_{when}_pct", d[f"{k}_pct"], y, src) for k in ("higher", "same", "lower")]
    out.append(_pct("classified_last_pct", direction_shares(m_last)["classified_pct"], stock_year, src))
    for when, m, y in [("early", m_early, early_year), ("last", m_last, stock_year)]:
        out += [_pct(f"low_in_low_{when}_pct", 100 * m.loc["Low", "Low"] / m.loc["Low"].sum(), y, src),
                _pct(f"medium_in_vh_{when}_pct", 100 * m.loc["Medium", "Very high"] / m.loc["Medium"].sum(), y, src),
                _pct(f"vh_in_vh_{when}_pct", 100 * m.loc["Very high", "Very high"] / m.loc["Very high"].sum(), y, src)]
    cells = m_last.loc[list(GROUPS), list(GROUPS)].stack()
    big = cells.idxmax()
    out += [_spec("largest_cell_from", big[0].lower(), "HDI group", stock_year, src, "text"),
            _spec("largest_cell_to", big[1].lower(), "HDI group", stock_year, src, "text"),
            _spec("largest_cell_migrants", cells[big], "persons", stock_year, src, "millions")]
    for g, key in [("Low", "low"), ("High", "high")]:
        out.append(_pct(f"{key}_in_vh_last_pct", 100 * m_last.loc[g, "Very high"] / m_last.loc[g].sum(), stock_year, src))
    shares = share_matrix(m_last)   # % of all migrants: the cells the heatmap's alt text names
    out += [_pct(f"share_{o}_to_vh_pct", shares.loc[g, "Very high"], stock_year, src)
            for g, o in [("High", "high"), ("Very high", "vh"), ("Medium", "medium")]]
    change = (share_matrix(m_last) - share_matrix(m_early)).stack()
    for name, cell in [("cell_gain", change.idxmax()), ("cell_loss", change.idxmin())]:
        out += [_spec(f"{name}_from", cell[0].lower(), "HDI group", stock_year, src, "text"),
                _spec(f"{name}_to", cell[1].lower(), "HDI group", stock_year, src, "text"),
                _spec(f"{name}_pp", change.loc[cell], "percentage points", stock_year, src,
                      display=f"{change.loc[cell]:+.1f}")]
    return out


def free_movement_facts(ims_source: str, stock_year: int) -> list[dict]:
    """ECOWAS and Schengen: intra-regime shares of member states' emigrants in the first and last year, members."""
    src, fm = [ims_source, FREE_MOVEMENT], [FREE_MOVEMENT]
    last_members = membership_year_for(stock_year)
    eco = free_movement_shares(ims_source, "ECOWAS")
    sch = free_movement_shares(ims_source, "Schengen")
    f0 = free_movement_shares(ims_source, "Schengen", fixed_membership_year=last_members).iloc[0]
    e0, e1, s0, s1 = eco.iloc[0], eco.iloc[-1], sch.iloc[0], sch.iloc[-1]
    return [
        _year("fm_first_year", int(e0["year"]), src),
        _year("fm_membership_last", last_members, fm),
        _pct("ecowas_first_pct", e0["share_pct"], int(e0["year"]), src),
        _pct("ecowas_last_pct", e1["share_pct"], stock_year, src),
        _spec("ecowas_within_first", e0["within"], "persons", int(e0["year"]), src, "millions"),
        _spec("ecowas_within_last", e1["within"], "persons", stock_year, src, "millions"),
        _spec("ecowas_members_last", int(e1["members"]), "countries", last_members, fm),
        _pct("schengen_first_pct", s0["share_pct"], int(s0["year"]), src),
        _pct("schengen_last_pct", s1["share_pct"], stock_year, src),
        _spec("schengen_members_first", int(s0["members"]), "countries", int(s0["year"]), fm),
        _spec("schengen_members_last", int(s1["members"]), "countries", last_members, fm),
        _pct("schengen_fixed_first_pct", f0["share_pct"], int(f0["year"]), src),
        _spec("schengen_within_last", s1["within"], "persons", stock_year, src, "millions"),
    ]



# ---------------------------------------------------------------------------------------------- figures and tables
# Keyword arguments of Chapter.figure (chart included) and Chapter.table for chapter 4; numbers in titles,
# captions and alt text are formatted as the facts print them (fmt.percent).

_SHARE_LABELS = {g: f"{g} HDI" if g != UNCLASSIFIED else "Unclassified (no HDI)" for g in ALL_GROUPS}


def _shares_figure(ims_source: str, side: str, group_year: int, ylabel: str, top: float) -> tuple:
    long = by_group(ims_source, side, group_year)
    w = wide(long, "share_pct")
    fig, data = plots.line_chart(w, "year", list(ALL_GROUPS), ylabel=ylabel, percent=True, labels=_SHARE_LABELS)
    fig.axes[0].set_ylim(0, top)
    return fig, data, w.set_index("year"), stock_years(ims_source)[0]


def immigrant_shares_figure(ims_source: str, stock_year: int, group_year: int) -> dict:
    """Share of the world's migrants living in each HDI group (fixed at group_year), by year."""
    fig, data, _, early = _shares_figure(ims_source, "dest", group_year, "% of the world's immigrants", 100)
    return dict(fig=fig, data=data, sources=[ims_source, HDI], units="percent",
                title=f"Share of the world's international migrants by HDI group of destination, {early}–{stock_year}",
                caption="International migrants living in each group of countries as a percentage of all international "
                        "migrants. Countries are grouped by their HDI of {fact}`group_year` in every year (UNDP "
                        "cut-offs); destinations without an HDI are unclassified.",
                alt="Line chart: the share of international migrants living in very high HDI countries rose from "
                    "{fact}`imm_vh_early_pct` in {fact}`early_year` to {fact}`imm_vh_last_pct` in {fact}`last_year`, "
                    "while low HDI countries hosted {fact}`imm_low_early_pct` and then {fact}`imm_low_last_pct`.")


def emigrant_shares_figure(ims_source: str, stock_year: int, group_year: int) -> dict:
    """Share of the world's migrants coming from each HDI group (fixed at group_year), by year."""
    fig, data, _, early = _shares_figure(ims_source, "origin", group_year, "% of the world's emigrants", 60)
    return dict(fig=fig, data=data, sources=[ims_source, HDI], units="percent",
                title=f"Share of the world's international migrants by HDI group of origin, {early}–{stock_year}",
                caption="Emigrants from each group of countries as a percentage of all international migrants. Countries "
                        "are grouped by their HDI of {fact}`group_year` in every year; unclassified = origin not "
                        "specified by the UN or without an HDI.",
                alt="Line chart: the share of migrants from very high HDI countries fell from {fact}`em_vh_early_pct` "
                    "in {fact}`early_year` to {fact}`em_vh_last_pct` in {fact}`last_year`, while the share from medium "
                    "HDI countries rose from {fact}`em_medium_early_pct` to {fact}`em_medium_last_pct`.")


def classification_figure(ims_source: str, stock_year: int, group_year: int) -> dict:
    """Very high HDI share of destinations with groups fixed at group_year against groups of each year."""
    D = wide(by_group(ims_source, "dest", group_year), "share_pct")
    V = wide(by_group(ims_source, "dest", None), "share_pct").set_index("year")
    compare = D[["year", "Very high"]].rename(columns={"Very high": "fixed"})
    compare["varying"] = compare["year"].map(V["Very high"])
    compare["unclassified_varying"] = compare["year"].map(V[UNCLASSIFIED])
    fig, data = plots.line_chart(compare, "year", ["fixed", "varying", "unclassified_varying"],
                                 ylabel="% of the world's immigrants", percent=True,
                                 labels={"fixed": f"Very high HDI, groups of {group_year}",
                                         "varying": "Very high HDI, groups of each year",
                                         "unclassified_varying": "Unclassified, groups of each year"})
    fig.axes[0].set_ylim(0, 100)
    fig.axes[0].legend(loc="center right", ncols=1)
    return dict(fig=fig, data=data, sources=[ims_source, HDI], units="percent",
                title="Share of international migrants living in very high HDI countries: fixed versus changing groups",
                caption="Fixed: countries grouped by their HDI of {fact}`group_year` in every year. Changing: each stock "
                        "year grouped by the HDI of that year, or of the latest HDI year before it "
                        "({fact}`stock_hdi_year` for {fact}`last_year`); countries without an HDI in that year are "
                        "unclassified.",
                alt="Line chart: with groups of each year the very high HDI share climbs from {fact}`vary_vh_early_pct` "
                    "in {fact}`early_year` to {fact}`vary_vh_last_pct` in {fact}`last_year`, far steeper than with "
                    "fixed groups ({fact}`imm_vh_early_pct` to {fact}`imm_vh_last_pct`), because many countries moved "
                    "up a group.")


def group_rates_figure(ims_source: str, stock_year: int, group_year: int) -> dict:
    """Pooled emigration rate of each HDI group (fixed at group_year), by year."""
    early = stock_years(ims_source)[0]
    R = wide(emigration_rates(ims_source, group_year), "rate_pct")
    fig, data = plots.line_chart(R, "year", list(GROUPS), ylabel="Emigrants, % of origin population", percent=True,
                                 labels={g: f"{g} HDI" for g in GROUPS})
    plots.headroom(fig, R[list(GROUPS)].max().max())
    return dict(fig=fig, data=data, sources=[ims_source, HDI], units="percent",
                title=f"Emigration rate by HDI group of origin, {early}–{stock_year}",
                caption="Emigration rate = emigrants / (emigrants + resident population) of all countries in the group, "
                        "in percent. Groups by HDI of {fact}`group_year`; population of the same year as published by "
                        "UN DESA with the migrant stock estimates.",
                alt="Line chart: in {fact}`last_year` the emigration rate was {fact}`rate_vh_last_pct` for very high, "
                    "{fact}`rate_high_last_pct` for high, {fact}`rate_medium_last_pct` for medium and "
                    "{fact}`rate_low_last_pct` for low HDI countries; the medium group's rate rose from "
                    "{fact}`rate_medium_early_pct` in {fact}`early_year`.")


NAMED = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}   # how many of the highest rates are named, in words


def country_rates_figure(ims_source: str, stock_year: int, named: int = 3) -> dict:
    """Scatter of countries' emigration rates against their HDI (log scale), the `named` highest rates labelled."""
    country = country_emigration_rates(ims_source, stock_year)
    top = country.sort_values("rate_pct", ascending=False).head(named)
    hdi_used = hdi_year_for(stock_year)
    fig, data = plots.scatter(country, "hdi", "rate_pct", group="hdi_group", order=list(GROUPS), label="country",
                              annotate=list(top["country"]), logy=True, percent=True,
                              xlabel=f"Human Development Index, {hdi_used}",
                              ylabel="Emigrants, % of origin population (log scale)")
    return dict(fig=fig, data=data, sources=[ims_source, HDI], units="percent",
                title=f"Emigration rate and HDI by country of origin, {stock_year}",
                caption="Each point is a country: emigrants in {fact}`last_year` / (emigrants + resident population "
                        "of {fact}`pop_year`), against its HDI of {fact}`stock_hdi_year` (coloured by that year's "
                        "group). Logarithmic vertical scale; the " + NAMED.get(named, "highest") + " highest rates are "
                        "named.",
                alt="Scatter plot of {fact}`countries_rated` countries: emigration rates range from "
                    "{fact}`lowest_rate_pct` to {fact}`top_rate_pct` (" + top.iloc[0]["country"] + ") with no simple "
                    "relation to the HDI; the median country rate is {fact}`median_rate_pct`.")


def rate_bands_figure(ims_source: str, stock_year: int, band_width: float = 0.1) -> dict:
    """Median and pooled emigration rate by HDI band of origin."""
    bands = rates_by_hdi_band(country_emigration_rates(ims_source, stock_year), band_width)
    fig, _ = plots.grouped_bars(bands, "band", ["median_pct", "pooled_pct"], ylabel="Emigrants, % of origin population",
                                percent=True, labels={"median_pct": "Median country",
                                                      "pooled_pct": "All countries in the band pooled"})
    return dict(fig=fig, data=bands, sources=[ims_source, HDI], units="percent",
                title=f"Emigration rate by HDI band of origin, {stock_year}",
                caption="Countries grouped by their HDI of {fact}`stock_hdi_year` in bands of {fact}`band_width` "
                        "(lower bound included). Median = rate of the middle country of the band; pooled = all "
                        "emigrants of the band / (emigrants + population of {fact}`pop_year`).",
                alt="Bar chart: the median emigration rate is highest in the HDI band "
                    "{fact}`band_high_from`–{fact}`band_high_to` ({fact}`band_high_pct`) and lowest in the band "
                    "{fact}`band_low_from`–{fact}`band_low_to` ({fact}`band_low_pct`); in the top band "
                    "{fact}`band_top_from`–{fact}`band_top_to` it is {fact}`band_top_pct`.")


def matrix_figure(ims_source: str, stock_year: int, group_year: int) -> dict:
    """Heatmap of migrants by HDI group of origin and destination, as % of all migrants in stock_year."""
    m = matrix(ims_source, stock_year, group_year)
    S = share_matrix(m)
    fig, data = plots.heatmap(S.rename_axis(index="origin"), xlabel="HDI group of destination",
                              ylabel="HDI group of origin", legend_title="% of all international migrants")
    return dict(fig=fig, data=data, sources=[ims_source, HDI], units="percent",
                title=f"International migrants by HDI group of origin and destination, {stock_year}",
                caption="Each cell: migrants from the origin group (row) living in the destination group (column), as % "
                        "of all international migrants in {fact}`last_year`. Groups by HDI of {fact}`group_year`; "
                        "unclassified = no HDI or origin not specified.",
                alt="Heatmap: the largest cells are high to very high HDI ({fact}`share_high_to_vh_pct` of all "
                    "migrants), very high to very high ({fact}`share_vh_to_vh_pct`) and medium to very high "
                    "({fact}`share_medium_to_vh_pct`); {fact}`dir_higher_last_pct` of classified migrants live in a "
                    "higher HDI group than their origin.")


def matrix_change_figure(ims_source: str, stock_year: int, group_year: int) -> dict:
    """Heatmap of the change in each origin–destination cell's share, first stock year to stock_year."""
    early = stock_years(ims_source)[0]
    change = share_matrix(matrix(ims_source, stock_year, group_year)) - share_matrix(matrix(ims_source, early, group_year))
    fig, data = plots.heatmap(change.rename_axis(index="origin"), xlabel="HDI group of destination",
                              ylabel="HDI group of origin", legend_title="Change, percentage points",
                              value_format="{:+.1f}", center=0)
    up, down = change.stack().idxmax(), change.stack().idxmin()
    return dict(fig=fig, data=data, sources=[ims_source, HDI], units="percentage points",
                title=f"Change in the origin–destination pattern by HDI group, {early} to {stock_year}",
                caption="Share of all international migrants in each origin–destination cell in {fact}`last_year` minus "
                        "the share in {fact}`early_year`, in percentage points. Groups fixed at HDI of "
                        "{fact}`group_year` in both years.",
                alt=f"Heatmap: the cell that gained most is {up[0].lower()} to {up[1].lower()} HDI "
                    "({fact}`cell_gain_pp` points); the cell that lost most is "
                    f"{down[0].lower()} to {down[1].lower()} HDI " + "({fact}`cell_loss_pp` points).")


def matrix_table_spec(ims_source: str, stock_year: int, group_year: int) -> dict:
    """The origin–destination matrices of the first stock year and stock_year, in thousands."""
    early = stock_years(ims_source)[0]
    table = matrix_table(ims_source, [early, stock_year], group_year)
    table = table.rename(columns={g: f"To {g.lower()}" for g in ALL_GROUPS}).rename(columns={"Origin": "From"})
    return dict(df=table, sources=[ims_source, HDI],
                title=f"International migrants by HDI group of origin and destination, {early} and {stock_year} "
                      "(thousands)",
                caption="Rows: HDI group of the country of origin; columns: HDI group of the country of destination; "
                        "groups by HDI of {fact}`group_year` in both years. Unclassified: origin not specified by the "
                        "UN, or an area without an HDI.")


def free_movement_figure(ims_source: str, stock_year: int) -> dict:
    """ECOWAS and Schengen: share of member states' emigrants living in another member state, by year."""
    eco = free_movement_shares(ims_source, "ECOWAS")
    sch = free_movement_shares(ims_source, "Schengen")
    last_members = membership_year_for(stock_year)
    sch_fixed = free_movement_shares(ims_source, "Schengen", fixed_membership_year=last_members)
    fm = sch_fixed[["year"]].copy()
    fm["ecowas"] = fm["year"].map(eco.set_index("year")["share_pct"])
    fm["schengen"] = fm["year"].map(sch.set_index("year")["share_pct"])
    fm["schengen_fixed"] = sch_fixed["share_pct"]
    fig, data = plots.line_chart(fm, "year", ["ecowas", "schengen", "schengen_fixed"],
                                 ylabel="% of member states' emigrants", percent=True,
                                 labels={"ecowas": "ECOWAS (members of each year)",
                                         "schengen": "Schengen (members of each year)",
                                         "schengen_fixed": f"Schengen (members of {last_members})"})
    fig.axes[0].set_ylim(0, 100)
    fig.axes[0].legend(loc="lower right")
    return dict(fig=fig, data=data, sources=[ims_source, FREE_MOVEMENT], units="percent",
                title=f"Emigrants of free-movement regimes living in another member state, {int(fm['year'].min())}–"
                      f"{stock_year}",
                caption="Migrants born in (or citizens of) a member state living in another member state, as % of all "
                        "emigrants of the member states. Members as of each stock year; membership after "
                        "{fact}`fm_membership_last` is not in the pinned tables, so later stock years use "
                        "{fact}`fm_membership_last` members. Years before the first membership snapshot are shown for "
                        "fixed members only.",
                alt="Line chart: the share of ECOWAS emigrants living in another ECOWAS state fell from "
                    "{fact}`ecowas_first_pct` in {fact}`fm_first_year` to {fact}`ecowas_last_pct` in "
                    "{fact}`last_year`; the intra-Schengen share rose from {fact}`schengen_first_pct` to "
                    "{fact}`schengen_last_pct` as the area grew from {fact}`schengen_members_first` to "
                    "{fact}`schengen_members_last` states.")


def groups_table(ims_source: str, stock_year: int, group_year: int) -> dict:
    """The HDI groups at a glance: countries, shares of population, immigrants and emigrants, emigration rate."""
    summary = group_summary(ims_source, stock_year, group_year).reset_index()
    glance = summary[["group", "countries", "population_pct", "immigrants_pct", "emigrants_pct", "rate_pct"]]
    glance.columns = ["HDI group", "Countries", "Population (%)", "Immigrants (%)", "Emigrants (%)",
                      "Emigration rate (%)"]
    return dict(df=glance, sources=[ims_source, HDI],
                formats={"Countries": "count", "Population (%)": "percent", "Immigrants (%)": "percent",
                         "Emigrants (%)": "percent", "Emigration rate (%)": "percent"},
                title=f"HDI groups: population, immigrants, emigrants and emigration rates, {stock_year}",
                caption="Groups by HDI of {fact}`group_year`. Population of {fact}`pop_year` (UN DESA, with the migrant "
                        "stock estimates); shares of the world's population with an HDI, and of all international "
                        "migrants in {fact}`last_year`. Emigration rate = emigrants / (emigrants + population).")
