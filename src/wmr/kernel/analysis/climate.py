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

from .. import plots
from ..countries import in_text, name, with_names
from ..facts import FactSpecs, cited_list
from ..sources import hdi, idmc, ims, m49, naturalearth
from . import displacement
from .migrants import country_population, population_source

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

    df = events(last)
    df = df[~df["iso3"].isin(ims.region_of().keys())]
    idmc_names = dict(zip(df["iso3"], df["name"]))
    return sorted({name(c) if name(c) != c else idmc_names[c] for c in df["iso3"].unique()})


FILE_NAMES = {idmc.FILE_COUNTRY_YEAR: "the country-year file", idmc.FILE_DISAGGREGATED: "the figure-level file",
              idmc.FILE_EVENTS: "the disaster events file (no conflict figures)"}


def file_runs(series: pd.DataFrame) -> list[tuple[str, int, int]]:
    """The runs of years of a `disaster_vs_conflict` table that come from one IDMC file: (file, first, last)."""
    return [(file, int(rows["year"].min()), int(rows["year"].max()))
            for file, rows in series.groupby("file", sort=False)]


def add_file_run_facts(out: FactSpecs, series: pd.DataFrame) -> None:
    """The first (and last) year of each file's run as facts 'dc_run_<i>_first' / '_last' (see files_note)."""
    for i, (_, lo, hi) in enumerate(file_runs(series), 1):
        out.year_of(f"dc_run_{i}_first", lo)
        if hi != lo:
            out.year_of(f"dc_run_{i}_last", hi)


def files_note(series: pd.DataFrame) -> str:
    """Which IDMC file each run of years comes from, as one sentence citing add_file_run_facts' facts."""
    parts = []
    for i, (file, lo, hi) in enumerate(file_runs(series), 1):
        years = f"{{fact}}`dc_run_{i}_first`" + (f"–{{fact}}`dc_run_{i}_last`" if hi != lo else "")
        parts.append(f"{years} from {FILE_NAMES.get(file, file)}")
    return "Figures for " + "; ".join(parts) + "."


# ---------------------------------------------------------------------------------------------- the chapter
# Facts (FactSpecs: keyword arguments of Chapter.fact) and figures/tables (keyword arguments of Chapter.figure
# and Chapter.table, chart included) of chapter 7, so the notebook reads as the chapter's prose and short calls.
# Captions and alt text cite the section's facts by {fact} role: record the facts before the figure.

M49 = "unsd-m49"
MAP_BINS = [0, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8]   # class boundaries of the map (displacements)
BIG = 1e6                                      # 'a million or more' displacements in a country


def disaster_facts(year: int) -> FactSpecs:
    """Disaster displacements over 2008..year: total, mean, highest and lowest year, the weather-related share."""
    cat = by_hazard_category(year)
    first, last, peak = int(cat["year"].min()), cat[cat["year"] == year].iloc[0], cat.loc[cat["total"].idxmax()]
    period = cat[["weather", "geophysical", "mixed", "total"]].sum()
    geo = cat.loc[cat["weather_share_pct"].idxmin()]  # the year geophysical hazards weighed most
    out = FactSpecs(year=year, sources=[IDMC])
    out.year_of("first_year", first)
    out.year_of("displacement_last_year", year)
    out.add("n_years", len(cat), "years")
    out.add("disaster_last", last["total"], "displacements", "millions")
    out.add("disaster_period", period["total"], "displacements", "millions")
    out.add("disaster_mean", period["total"] / len(cat), "displacements per year", "millions")
    out.year_of("disaster_peak_year", peak["year"])
    out.add("disaster_peak", peak["total"], "displacements", "millions", year=int(peak["year"]))
    out.add("disaster_low_year", int(cat.loc[cat["total"].idxmin(), "year"]), "year", "year")
    out.add("disaster_low", cat["total"].min(), "displacements", "millions")
    out.add("weather_share_last", last["weather_share_pct"], "percent", "percent")
    out.add("weather_share_period", 100 * period["weather"] / period["total"], "percent", "percent")
    out.year_of("geo_peak_year", geo["year"])
    out.add("geo_peak", geo["geophysical"], "displacements", "millions", year=int(geo["year"]))
    out.add("geo_peak_share", 100 - geo["weather_share_pct"], "percent", "percent", year=int(geo["year"]))
    out.add("weather_share_min", cat["weather_share_pct"].min(), "percent", "percent")
    out.add("weather_share_max", cat["weather_share_pct"].max(), "percent", "percent")
    return out


def hazard_facts(year: int) -> FactSpecs:
    """The two hazard types behind most disaster displacements over the period, and the leading one of `year`."""
    types = by_hazard_type(year)
    main = [c for c in types.columns if c not in ("year", "total")]
    total, tsum = by_hazard_category(year)["total"].sum(), types[main].sum()
    t_last = types[types["year"] == year].iloc[0]
    top_last = t_last[main].astype(float).idxmax()
    out = FactSpecs(year=year, sources=[IDMC])
    for i in (1, 2):
        out.add(f"hazard_{i}", main[i - 1].lower(), "hazard type", "text")
        out.add(f"hazard_{i}_share", 100 * tsum[main[i - 1]] / total, "percent", "percent")
    out.add("hazard_12_share", 100 * (tsum[main[0]] + tsum[main[1]]) / total, "percent", "percent")
    out.add("hazard_top_last", top_last.lower(), "hazard type", "text")
    out.add("hazard_top_last_value", t_last[top_last], "displacements", "millions")
    out.add("hazard_types_shown", len(main) - 1, "hazard types")
    return out


def hazard_types_figure(year: int) -> dict:
    """Disaster displacements by year, stacked by the main hazard types; cites disaster_facts and hazard_facts."""
    types = by_hazard_type(year)
    main = [c for c in types.columns if c not in ("year", "total")]
    fig, data = plots.stacked_bars(types, "year", main, ylabel="Internal displacements (millions)", scale=1e6,
                                   colors=[*plots.style.PALETTE[: len(main) - 1], "#c8c8c8"])
    return dict(fig=fig, data=data, sources=[IDMC], units="displacements",
                title=f"Disaster displacements by type of hazard, {int(types['year'].min())}–{year}",
                caption="Internal displacements (movements) triggered by disasters during each year, by hazard type; "
                        "the {fact}`hazard_types_shown` types with most displacements over the period are shown, the "
                        "others grouped.",
                alt="Stacked bar chart: {fact}`hazard_1`s and {fact}`hazard_2`s caused most disaster displacements in "
                    "almost every year; the total ranged from {fact}`disaster_low` to {fact}`disaster_peak`, with "
                    "{fact}`disaster_last` in {fact}`displacement_last_year`.")


def weather_share_figure(year: int) -> dict:
    """The weather-related share of disaster displacements by year (line); cites disaster_facts."""
    cat = by_hazard_category(year)
    fig, _ = plots.line_chart(cat, "year", ["weather_share_pct"], ylabel="% of disaster displacements", percent=True,
                              labels={"weather_share_pct": "Weather-related hazards"})
    fig.axes[0].set_ylim(0, 100)
    kinds = {c: ", ".join(h.lower() for h in hazard_types_of(c, year)) for c in ("Weather related", "Geophysical")}
    return dict(fig=fig, data=cat[["year", "weather", "geophysical", "mixed", "total", "weather_share_pct"]],
                sources=[IDMC], units="percent",
                title=f"Share of weather-related hazards in disaster displacements, {int(cat['year'].min())}–{year}",
                caption=f"Weather-related hazards ({kinds['Weather related']}) as a percentage of all disaster "
                        f"displacements; the rest are geophysical ({kinds['Geophysical']}) or mixed. The data file also "
                        "gives the counts by category.",
                alt="Line chart: weather-related hazards caused between {fact}`weather_share_min` and "
                    "{fact}`weather_share_max` of disaster displacements each year, {fact}`weather_share_last` in "
                    "{fact}`displacement_last_year`; the share was lowest in {fact}`geo_peak_year`, a year of large "
                    "geophysical disasters.")


def country_facts(year: int, ims_source: str, top_n: int) -> FactSpecs:
    """Countries by disaster displacements in `year`: the top ones in numbers and per inhabitant, the map's counts."""

    countries = by_country(year, ims_source)
    top, rel = top_countries(year, ims_source, top_n), top_countries(year, ims_source, top_n, relative=True)
    no_pop, big = countries[countries["population"].isna()], countries[countries["displacements"] >= BIG]
    pop_year = int(countries["population_year"].max())
    total = by_hazard_category(year).set_index("year").loc[year, "total"]
    idmc_pop, idmc_m49 = [IDMC, population_source(ims_source)], [IDMC, M49]
    out = FactSpecs(year=year, sources=[IDMC])
    out.add("countries_affected", len(countries), "countries and territories")
    out.add("top_n", top_n, "countries")
    for i in (1, 2, 3):
        out.add(f"top_{i}", in_text(top.iloc[i - 1]["iso3"]), "country", "text")
        out.add(f"top_{i}_value", top.iloc[i - 1]["displacements"], "displacements", "millions")
    out.add("top_n_share", 100 * top["displacements"].sum() / total, "percent", "percent")
    out.add("top_asia", int((top["region"] == "Asia").sum()), "countries", sources=idmc_m49)
    for i in (1, 2, 3):
        out.add(f"rel_{i}", in_text(rel.iloc[i - 1]["iso3"]), "country", "text", sources=idmc_pop)
        out.add(f"rel_{i}_value", rel.iloc[i - 1]["per_1000"],
                "per 1,000 inhabitants" if i == 1 else "displacements per 1,000 inhabitants", sources=idmc_pop,
                display=f"{rel.iloc[i - 1]['per_1000']:.0f}")
    out.add("rel_in_abs", int(rel["iso3"].isin(top["iso3"]).sum()), "countries", sources=idmc_pop)
    out.add("rel_small", int((rel["population"] < 1e6).sum()), "countries", sources=idmc_pop)
    out.year_of("population_year", pop_year, sources=[population_source(ims_source)])
    out.add("no_pop_n", len(no_pop), "countries and territories", sources=idmc_pop)
    out.add("no_pop_displacements", no_pop["displacements"].sum(), "displacements", "count", sources=idmc_pop)
    out.add("map_big_n", len(big), "countries and territories")
    out.add("map_big_asia", int((big["region"] == "Asia").sum()), "countries and territories", sources=idmc_m49)
    return out


def top_countries_figure(year: int, ims_source: str, top_n: int) -> dict:
    """The top_n countries by disaster displacements (bars); cites disaster_facts and country_facts."""
    top = top_countries(year, ims_source, top_n)
    fig, _ = plots.bar_chart(top, "country", "displacements", xlabel="Internal displacements (millions)", scale=1e6,
                             size="full")
    return dict(fig=fig, data=top[["rank", "iso3", "country", "displacements", "main_hazard"]], sources=[IDMC],
                units="displacements", title=f"Top {top_n} countries by disaster displacements, {year}",
                caption="Internal displacements triggered by disasters in {fact}`displacement_last_year`, summed over "
                        "all events in each country.",
                alt="Horizontal bar chart: {fact}`top_1` recorded the most disaster displacements in "
                    "{fact}`displacement_last_year` ({fact}`top_1_value`), followed by {fact}`top_2` and "
                    "{fact}`top_3`; {fact}`top_asia` of the top {fact}`top_n` are in Asia.")


def relative_figure(year: int, ims_source: str, top_n: int) -> dict:
    """The top_n countries by disaster displacements per 1,000 inhabitants (bars); cites country_facts."""

    rel = top_countries(year, ims_source, top_n, relative=True)
    fig, _ = plots.bar_chart(rel, "country", "per_1000", xlabel="Internal displacements per 1,000 inhabitants",
                             size="full", value_format="{:,.0f}")
    cols = ["rank", "iso3", "country", "displacements", "population", "population_year", "per_1000"]
    return dict(fig=fig, data=rel[cols], sources=[IDMC, population_source(ims_source)],
                units="displacements per 1,000 inhabitants",
                title=f"Top {top_n} countries by disaster displacements relative to population, {year}",
                caption="Disaster displacements in {fact}`displacement_last_year` per thousand inhabitants, using the "
                        "population of {fact}`population_year` that UN DESA published with the migrant stock "
                        "estimates. {fact}`no_pop_n` territories and other areas without such a population figure are "
                        "left out.",
                alt="Horizontal bar chart: relative to population, {fact}`rel_1` was hit hardest ({fact}`rel_1_value` "
                    "displacements per thousand inhabitants), followed by {fact}`rel_2` and {fact}`rel_3`; "
                    "{fact}`rel_small` of the top {fact}`top_n` have fewer than one million inhabitants.")


def top_countries_table(year: int, ims_source: str, top_n: int) -> dict:
    """The top_n countries with their region, main hazard, displacements and rate per 1,000 inhabitants."""

    table = top_countries(year, ims_source, top_n)[["rank", "country", "region", "main_hazard", "displacements",
                                                    "per_1000"]].copy()
    table["per_1000"] = table["per_1000"].round(1)
    table.columns = ["Rank", "Country", "Region", "Main hazard", "Displacements", "Per 1,000 inhabitants"]
    return dict(df=table, sources=[IDMC, population_source(ims_source), M49], formats={"Rank": "count"},
                title=f"Top {top_n} countries by disaster displacements, {year}",
                caption="Internal displacements triggered by disasters, the hazard type behind most of them, and "
                        "displacements per thousand inhabitants (population of {fact}`population_year`, rounded to "
                        "whole numbers in the table).")


def conflict_facts(year: int, idp_year: int) -> FactSpecs:
    """Disaster against conflict displacements (years with both, the latest, the conflict peak), IDP stocks."""
    dc = disaster_vs_conflict(year)
    both = dc.dropna(subset=["conflict"])
    lb, cpeak = both.iloc[-1], both.loc[both["conflict"].idxmax()]
    last_both = int(lb["year"])
    stocks, idp = displacement.idp_totals(idp_year), displacement.idp_sources(idp_year)
    gaps = [str(int(y)) for y in dc.loc[dc["conflict"].isna(), "year"]]
    out = FactSpecs(year=last_both, sources=[IDMC])
    out.add("dc_years", len(both), "years")
    out.add("dc_disaster_more", len(both[both["disaster"] > both["conflict"]]), "years")
    out.year_of("dc_last_year", last_both)
    out.add("dc_last_conflict", lb["conflict"], "displacements", "millions")
    out.add("dc_last_disaster", lb["disaster"], "displacements", "millions")
    out.year_of("dc_first_year", both.iloc[0]["year"])
    for cause in ("conflict", "disaster"):
        out.add(f"idps_{cause}", stocks[f"{cause}_idps"], "persons", "millions", year=idp_year, sources=idp,
                note=stocks["file"])
    out.year_of("conflict_peak_year", cpeak["year"])
    out.add("conflict_peak", cpeak["conflict"], "displacements", "millions", year=int(cpeak["year"]))
    add_file_run_facts(out, dc)
    out.years_of("dc_no_conflict_year", gaps)
    return out


def no_conflict_note(dc: pd.DataFrame) -> str:
    """' No conflict figure is pinned for <years>.' citing the dc_no_conflict_year facts, or '' when none lacks."""
    n = int(dc["conflict"].isna().sum())
    return f" No conflict figure is pinned for {cited_list('dc_no_conflict_year', n)}." if n else ""


def disaster_conflict_figure(year: int) -> dict:
    """New displacements by disasters and by conflict, by year (bars); cites conflict_facts."""
    dc = disaster_vs_conflict(year)
    fig, _ = plots.grouped_bars(dc, "year", ["disaster", "conflict"], ylabel="Internal displacements (millions)",
                                scale=1e6, labels={"disaster": "Disasters", "conflict": "Conflict and violence"})
    fig.axes[0].set_ylim(0, dc[["disaster", "conflict"]].max().max() * 1.15)
    return dict(fig=fig, data=dc[["year", "disaster", "conflict", "file"]], sources=[IDMC], units="displacements",
                title=f"Internal displacements by disasters and by conflict, {int(dc['year'].min())}–{year}",
                caption="New internal displacements (movements) during each year. " + files_note(dc) + " These "
                        "are IDMC files of different vintages, so disaster totals differ slightly from the other "
                        "figures of this chapter." + no_conflict_note(dc),
                alt="Bar chart: disasters triggered more internal displacements than conflict and violence in "
                    "{fact}`dc_disaster_more` of the {fact}`dc_years` years with both figures; conflict "
                    "displacements peaked in {fact}`conflict_peak_year` at {fact}`conflict_peak`.")


def _regions(year: int) -> tuple[pd.DataFrame, list[str]]:
    reg = by_region(year)
    return reg, [r for r in reg.columns if r not in ("year", "total", NO_REGION)]


def region_facts(year: int) -> FactSpecs:
    """Disaster displacements by region: the largest over the period and in `year`, Europe, areas without a region."""
    reg, regions = _regions(year)
    rsum, rl, total = reg[regions].sum(), reg[reg["year"] == year].iloc[0], reg["total"].sum()
    top, (top_last, second_last) = rsum.idxmax(), rl[regions].astype(float).sort_values(ascending=False).index[:2]
    out = FactSpecs(year=year, sources=[IDMC, M49])
    out.add("region_top", top, "region", "text")
    out.add("region_top_share", 100 * rsum[top] / total, "percent", "percent")
    for key, region in (("top_last", top_last), ("second_last", second_last)):
        out.add(f"region_{key}", region, "region", "text")
        out.add(f"region_{key}_share", 100 * rl[region] / rl["total"], "percent", "percent")
    out.add("europe_share", 100 * rsum["Europe"] / total, "percent", "percent")
    out.add("no_region", reg[NO_REGION].sum(), "displacements", "count")
    out.add("no_region_areas", ", ".join(unassigned_areas(year)), "areas", "text")
    return out


def regions_figure(year: int) -> dict:
    """Disaster displacements by year, stacked by region; cites disaster_facts and region_facts."""
    reg, regions = _regions(year)
    fig, _ = plots.stacked_bars(reg, "year", regions, ylabel="Internal displacements (millions)", scale=1e6)
    return dict(fig=fig, data=reg, sources=[IDMC, M49], units="displacements",
                title=f"Disaster displacements by region, {int(reg['year'].min())}–{year}",
                caption="Internal displacements triggered by disasters, by region of the country where they occurred "
                        "(UN M49 regions, the Americas split in two). {fact}`no_region` displacements in areas without "
                        "an M49 region ({fact}`no_region_areas`) are in the data file but not drawn.",
                alt="Stacked bar chart: {fact}`region_top` accounts for most disaster displacements in every year "
                    "({fact}`region_top_share` over the period); in {fact}`displacement_last_year` "
                    "{fact}`region_top_last` had {fact}`region_top_last_share` and {fact}`region_second_last` "
                    "{fact}`region_second_last_share`.")


def map_figure(year: int, ims_source: str) -> dict:
    """World map of disaster displacements by country in `year`; cites disaster_facts and country_facts."""
    shown = by_country(year, ims_source)[["iso3", "displacements"]]
    fig, data = plots.world_map(naturalearth.load_countries(), shown, iso3="iso3", value="displacements",
                                bins=MAP_BINS, legend_title="Disaster displacements", tick_format=bin_label)
    return dict(fig=fig, data=data, sources=[IDMC, naturalearth.SOURCE], units="displacements",
                title=f"Disaster displacements by country, {year}",
                caption="Internal displacements triggered by disasters in {fact}`displacement_last_year`; hatched: none "
                        "recorded. Small states are not visible at this scale. Boundaries are illustrative and imply no "
                        "official endorsement.",
                alt="World map: disaster displacements were recorded in {fact}`countries_affected` countries and "
                    "territories in {fact}`displacement_last_year`; {fact}`map_big_n` of them had a million or more, "
                    "{fact}`map_big_asia` of these in Asia.")
