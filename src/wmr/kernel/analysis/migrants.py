"""International migrant stock indicators: totals, shares of population, rankings, by edition.

One denominator per edition: every share of population divides by the total population UN DESA
published with that migrant stock edition (Table 2 of its destination workbook: WPP 2024 for the 2024
edition, WPP 2019 for the 2020 edition), for the edition's reference years. Functions say which
population source and year they used so the prose can say so once.
"""
from __future__ import annotations

import pandas as pd

from wmr.core.errors import not_covered

from ..countries import with_names
from ..pins import source
from ..provenance import short_dataset
from ..sources import ims


def population_source(ims_source: str) -> str:
    """The pinned source of the population `ims_source`'s edition divides by (its official workbook)."""
    return ims.workbook_source(ims_source)


def population_dataset(ims_source: str) -> str:
    """The name of the data set whose population series the edition divides by ('International Migrant Stock 2024')."""
    return short_dataset(source(population_source(ims_source)).title)


def world_population(ims_source: str) -> pd.DataFrame:
    """World population (persons) of each reference year of the edition: year, population."""
    wb = ims.destination_workbook(ims_source)
    world = wb[(wb["kind"] == "world") & (wb["sex"] == "total")]
    return world[["year", "population"]].dropna().reset_index(drop=True)


def country_population(ims_source: str, year: int) -> pd.DataFrame:
    """Population of each country or area in the edition's latest reference year not after `year`.

    Columns: iso3, population, population_year. Why: per-capita rates of other sources (e.g. disaster
    displacement in 2022) divide by the same population series as the migrant shares.
    """
    wb = ims.destination_workbook(ims_source)
    years = sorted(int(y) for y in wb["year"].unique() if y <= year)
    if not years:
        raise not_covered(f"population in {ims_source} for {year} or earlier", year, sorted(wb["year"].unique().tolist()))
    rows = wb[(wb["kind"] == "country") & (wb["sex"] == "total") & (wb["year"] == years[-1])].dropna(subset=["population"])
    return rows[["iso3", "population"]].assign(population_year=years[-1]).reset_index(drop=True)


def world_series(ims_source: str) -> pd.DataFrame:
    """year, total, male, female, female_share_pct, population, share_pct (the edition's own population)."""
    out = ims.world_totals(ims_source).merge(world_population(ims_source), on="year", how="left")
    out["share_pct"] = 100 * out["total"] / out["population"]
    return out


def headline(ims_source: str, year: int) -> dict:
    """Stock-year figures: total, female, male, female_share_pct, share_pct of world population, population."""
    series = world_series(ims_source)
    row = series[series["year"] == year]
    if row.empty:
        raise not_covered(f"{ims_source} estimate for {year}", year, sorted(series["year"].tolist()))
    row = row.iloc[0]
    if pd.isna(row["population"]):
        raise not_covered(f"world population in {population_source(ims_source)} for {year}", year, "the years of that population series")
    return {"total": int(row["total"]), "female": int(row["female"]), "male": int(row["male"]),
            "female_share_pct": float(row["female_share_pct"]), "share_pct": float(row["share_pct"]),
            "population_year": year, "population": float(row["population"])}


def world_population_near(ims_source: str, year: int) -> dict:
    """World population for `year`, else the edition's latest reference year before it: {'year', 'population'}."""
    pop = world_population(ims_source)
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
    """Immigrants as % of each country's population: iso3, migrants, population, population_year, share_pct.

    Population of the same year from the edition's own workbook (areas it gives no population are left out).
    """
    dest = ims.stock_by_destination(ims_source, year).rename(columns={"dest_iso3": "iso3"})[["iso3", "migrants"]]
    pop = country_population(ims_source, year)
    if int(pop["population_year"].iloc[0]) != year:
        raise not_covered(f"population in {population_source(ims_source)} for the stock year {year}", year, "the years of that population series")
    out = dest.merge(pop, on="iso3", how="inner")
    out["share_pct"] = 100 * out["migrants"] / out["population"]
    return out.sort_values("iso3").reset_index(drop=True)
