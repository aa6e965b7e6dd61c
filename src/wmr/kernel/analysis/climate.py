"""Disaster displacement indicators: internal displacements (movements during a year) triggered by disasters.

All disaster figures come from IDMC's disaster events file (GRID 2025 edition, 2008-2024), summed over the
events of each country and year; only the comparison with conflict uses the mixed-vintage series of
`displacement.new_displacements`. Population for rates is the edition's one population series (the one UN DESA
published with its migrant stock edition, `migrants.country_population`) for its latest year not after the
displacement year; areas it gives no population have no rate.
"""
from __future__ import annotations

import pandas as pd

from wmr.core.errors import LoaderError, not_covered

from ..countries import with_names
from ..sources import hdi, idmc, ims, m49
from . import displacement

IDMC = "idmc-gidd"
HDI = hdi.SOURCE
OTHER = "Other hazards"
NO_REGION = "No M49 region"
CATEGORIES = {"Weather related": "weather", "Geophysical": "geophysical", "Mixed disasters": "mixed"}


def events(last: int) -> pd.DataFrame:
    """Disaster displacement rows (event x country x year) of the years up to `last`."""
    df = idmc.load_disaster_events()
    out = df[df["year"] <= last]
    if out.empty:
        raise not_covered(f"IDMC disaster events up to {last}", last, "years from " + str(int(df["year"].min())))
    return out


def main_hazard_types(last: int, n: int = 5) -> list[str]:
    """The n hazard types with most displacements over 2008..last, largest first."""
    return list(events(last).groupby("hazard_type")["displacements"].sum().sort_values(ascending=False).head(n).index)


def by_hazard_type(last: int, n: int = 5) -> pd.DataFrame:
    """year, one column per main hazard type, 'Other hazards', total: displacements per year 2008..last."""
    df = events(last)
    main = main_hazard_types(last, n)
    kind = df["hazard_type"].where(df["hazard_type"].isin(main), OTHER)
    wide = df.assign(kind=kind).pivot_table(index="year", columns="kind", values="displacements", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=[*main, OTHER], fill_value=0)
    wide["total"] = wide.sum(axis=1)
    return wide.reset_index().rename_axis(columns=None)


def by_hazard_category(last: int) -> pd.DataFrame:
    """year, weather, geophysical, mixed, total, weather_share_pct: displacements by hazard category per year."""
    df = events(last)
    if bad := sorted(set(df["hazard_category"]) - set(CATEGORIES)):
        raise LoaderError("The pinned IDMC disaster events name hazard categories this chapter does not know.", expected=", ".join(CATEGORIES), got=", ".join(map(str, bad)), fix="map the new categories in wmr.kernel.analysis.climate.CATEGORIES after reading IDMC's methodology note")
    wide = df.pivot_table(index="year", columns="hazard_category", values="displacements", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(CATEGORIES), fill_value=0).rename(columns=CATEGORIES)
    wide["total"] = wide.sum(axis=1)
    wide["weather_share_pct"] = 100 * wide["weather"] / wide["total"]
    return wide.reset_index().rename_axis(columns=None)


def population_near(ims_source: str, year: int) -> pd.DataFrame:
    """iso3, population, population_year: the edition's population of its latest year not after `year`."""
    from .migrants import country_population

    return country_population(ims_source, year)


def by_country(year: int, ims_source: str) -> pd.DataFrame:
    """iso3, country, region, displacements, main_hazard, population, population_year, per_1000 for `year`.

    Why: rankings in absolute numbers and relative to population, and the world map. Sorted by displacements.
    """
    df = events(year)
    df = df[df["year"] == year]
    if df.empty:
        raise not_covered(f"IDMC disaster displacements for {year}", year, "the years of the pinned IDMC events")
    per = df.groupby("iso3", as_index=False)["displacements"].sum()
    hazard = (df.groupby(["iso3", "hazard_type"])["displacements"].sum().reset_index()
              .sort_values(["iso3", "displacements", "hazard_type"], ascending=[True, False, True])
              .groupby("iso3").head(1)[["iso3", "hazard_type"]].rename(columns={"hazard_type": "main_hazard"}))
    out = per.merge(hazard, on="iso3").merge(population_near(ims_source, year), on="iso3", how="left")
    out["per_1000"] = 1000 * out["displacements"] / out["population"]
    out["region"] = out["iso3"].map(ims.region_of()).fillna(NO_REGION)
    out = with_names(out.sort_values(["displacements", "iso3"], ascending=[False, True]).reset_index(drop=True))
    return out[["iso3", "country", "region", "displacements", "main_hazard", "population", "population_year", "per_1000"]]


def top_countries(year: int, ims_source: str, n: int = 10, relative: bool = False) -> pd.DataFrame:
    """The n countries with most disaster displacements in `year` (or most per 1,000 inhabitants): rank first."""
    df = by_country(year, ims_source)
    if relative:
        df = df.dropna(subset=["per_1000"]).sort_values(["per_1000", "iso3"], ascending=[False, True])
    df = df.head(n).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


def by_region(last: int) -> pd.DataFrame:
    """year, one column per WMR region (M49), 'No M49 region', total: disaster displacements per year."""
    df = events(last)
    region = df["iso3"].map(ims.region_of()).fillna(NO_REGION)
    wide = df.assign(region=region).pivot_table(index="year", columns="region", values="displacements", aggfunc="sum",
                                                fill_value=0)
    wide = wide.reindex(columns=[*m49.WMR_REGIONS, NO_REGION], fill_value=0)
    wide["total"] = wide.sum(axis=1)
    return wide.reset_index().rename_axis(columns=None)


def disaster_vs_conflict(last: int) -> pd.DataFrame:
    """year, conflict, disaster, file, disaster_share_pct: new displacements by cause, 2008..last.

    Conflict is NaN where the pinned files hold no conflict figure for the year (2008, whose country-year
    rows are all empty, and years after 2023), not the zero a plain sum would give.
    """
    out = displacement.new_displacements(last).copy()
    cy = idmc.load_country_year()
    reported = cy.groupby("year")["conflict_new"].count()
    empty = [int(y) for y, n in reported.items() if n == 0]
    out.loc[out["year"].isin(empty) & (out["file"] == idmc.FILE_COUNTRY_YEAR), "conflict"] = float("nan")
    out["disaster_share_pct"] = 100 * out["disaster"] / (out["conflict"] + out["disaster"])
    return out


def hazard_types_of(category: str, last: int) -> list[str]:
    """Hazard types IDMC files under `category` ('Weather related', 'Geophysical') up to `last`, most displacing first."""
    df = events(last)
    df = df[df["hazard_category"] == category]
    return list(df.groupby("hazard_type")["displacements"].sum().sort_values(ascending=False).index)


def bin_label(value: float) -> str:
    """Short label for a map class boundary: 0, 1,000, 10,000, 100,000, 1 million, 10 million..."""
    if value >= 1e6:
        return f"{value / 1e6:,.0f} million"
    return f"{value:,.0f}"


def unassigned_areas(last: int) -> list[str]:
    """Names (the naming table; IDMC's own for codes it lacks) of areas with disaster displacements up to
    `last` that belong to no region."""
    from ..countries import name

    df = events(last)
    df = df[~df["iso3"].isin(ims.region_of().keys())]
    idmc_names = dict(zip(df["iso3"], df["name"]))
    return sorted({name(c) if name(c) != c else idmc_names[c] for c in df["iso3"].unique()})


def files_note(series: pd.DataFrame) -> str:
    """Which IDMC file each run of years of a `disaster_vs_conflict` table comes from, as one sentence."""
    names = {idmc.FILE_COUNTRY_YEAR: "the country-year file", idmc.FILE_DISAGGREGATED: "the figure-level file of 2023",
             idmc.FILE_EVENTS: "the disaster events file (no conflict figures)"}
    parts = []
    for file, rows in series.groupby("file", sort=False):
        lo, hi = int(rows["year"].min()), int(rows["year"].max())
        parts.append(f"{lo}–{hi} from {names.get(file, file)}" if lo != hi else f"{lo} from {names.get(file, file)}")
    return "Figures for " + "; ".join(parts) + "."
