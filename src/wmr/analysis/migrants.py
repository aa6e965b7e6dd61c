"""International migrant stock indicators: totals, shares of population, rankings, by edition.

Population for shares comes from the same UN DESA edition where it publishes one (the 2020 workbook);
for the 2024 edition, which has no population table in the pins, from UNDP's HDR series (UN WPP), for
the years it covers. Functions say which population they used so the prose can say so too.
"""
from __future__ import annotations

import pandas as pd

from ..countries import with_names
from ..sources import hdi, ims

WORKBOOK_EDITIONS = {"undesa-ims-2020-bilateral": ims.SOURCE_2020}


def population_source(ims_source: str) -> str:
    """The pinned source of population figures used with `ims_source`."""
    return WORKBOOK_EDITIONS.get(ims_source, hdi.SOURCE)


def world_series(ims_source: str) -> pd.DataFrame:
    """year, total, male, female, female_share_pct, population, share_pct (NaN where no population)."""
    totals = ims.world_totals(ims_source)
    if ims_source in WORKBOOK_EDITIONS:
        wb = ims.load_destination_2020()
        world = wb[(wb["kind"] == "world") & (wb["sex"] == "total")][["year", "population"]]
    else:
        world = hdi.world_population()[["year", "population"]]
    out = totals.merge(world, on="year", how="left")
    out["share_pct"] = 100 * out["total"] / out["population"]
    return out


def headline(ims_source: str, year: int) -> dict:
    """Stock-year figures: total, female, female_share_pct, and the share of world population with its year.

    When the population of `year` is not pinned, the latest earlier population year is used and reported.
    """
    series = world_series(ims_source)
    row = series[series["year"] == year]
    if row.empty:
        raise ValueError(f"{ims_source} has no estimate for {year}; years: {sorted(series['year'])}")
    row = row.iloc[0]
    pop = world_population_near(ims_source, year)
    return {"total": int(row["total"]), "female": int(row["female"]), "male": int(row["male"]),
            "female_share_pct": float(row["female_share_pct"]),
            "share_pct": 100 * row["total"] / pop["population"], "population_year": pop["year"],
            "population": pop["population"]}


def world_population_near(ims_source: str, year: int) -> dict:
    """World population for `year`, else the latest pinned year before it: {'year', 'population'}."""
    if ims_source in WORKBOOK_EDITIONS:
        wb = ims.load_destination_2020()
        pop = wb[(wb["kind"] == "world") & (wb["sex"] == "total")][["year", "population"]]
    else:
        pop = hdi.world_population()[["year", "population"]]
    pop = pop.dropna()
    pop = pop[pop["year"] <= year].sort_values("year")
    last = pop.iloc[-1]
    return {"year": int(last["year"]), "population": float(last["population"])}


def top_destinations(ims_source: str, year: int, n: int = 10) -> pd.DataFrame:
    """The n countries hosting most international migrants: rank, iso3, country, migrants."""
    df = ims.stock_by_destination(ims_source, year).rename(columns={"dest_iso3": "iso3"})
    return _ranked(df, n)


def top_origins(ims_source: str, year: int, n: int = 10) -> pd.DataFrame:
    """The n countries of origin with most emigrants (unspecified origin excluded): rank, iso3, country, migrants."""
    df = ims.stock_by_origin(ims_source, year).rename(columns={"origin_iso3": "iso3"})
    return _ranked(df[df["iso3"] != ims.UNKNOWN_ORIGIN], n)


def unknown_origin(ims_source: str, year: int) -> int:
    """Migrants whose origin the UN could not specify (not a country, left out of origin rankings)."""
    df = ims.stock_by_origin(ims_source, year)
    return int(df.loc[df["origin_iso3"] == ims.UNKNOWN_ORIGIN, "migrants"].sum())


def _ranked(df: pd.DataFrame, n: int) -> pd.DataFrame:
    df = df.sort_values(["migrants", "iso3"], ascending=[False, True]).head(n).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    return with_names(df[["rank", "iso3", "migrants"]])


def country_shares(ims_source: str, year: int) -> pd.DataFrame:
    """Immigrants as % of each country's population: iso3, migrants, population, population_year, share_pct."""
    dest = ims.stock_by_destination(ims_source, year).rename(columns={"dest_iso3": "iso3"})[["iso3", "migrants"]]
    if ims_source in WORKBOOK_EDITIONS:
        wb = ims.load_destination_2020()
        pop = wb[(wb["kind"] == "country") & (wb["sex"] == "total") & (wb["year"] == year)][["iso3", "population"]]
        pop = pop.assign(population_year=year)
    else:
        pop = hdi.population_near(year)
    out = dest.merge(pop, on="iso3", how="inner")
    out["share_pct"] = 100 * out["migrants"] / out["population"]
    return out.sort_values("iso3").reset_index(drop=True)
