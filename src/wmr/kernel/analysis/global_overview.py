"""The global overview chapter's sections: each returns the facts it records (a FactSpecs) or the keyword arguments
of one figure or table, whose captions and alt text cite those facts by role (no number typed twice).

Why: the notebook keeps its prose and short calls; the choice of facts and the wording with numbers are tested here.
"""
from __future__ import annotations

import pandas as pd

from .. import fmt, plots
from ..countries import in_text
from ..facts import FactSpecs
from ..sources import naturalearth
from . import displacement, migrants, remittances

REMITTANCES_FROM = 2000   # first year of the remittance series shown
REFUGEES_FROM = 2000      # first year of the refugee series shown
MAP_BINS = [0, 1, 2.5, 5, 10, 20, 100]


def _first_last(ims_source: str, stock_year: int) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    world = migrants.world_series(ims_source)
    return world, world.iloc[0], world[world["year"] == stock_year].iloc[0]


def _pop_sources(ims_source: str) -> list[str]:
    return [ims_source, migrants.population_source(ims_source)]


# ---------------------------------------------------------------------------------------------- the world's migrants

def stock_facts(ims_source: str, stock_year: int) -> FactSpecs:
    """Migrants in the first and the stock year, growth, share of the world's population, by sex."""
    _, first, last = _first_last(ims_source, stock_year)
    y0 = int(first["year"])
    f = FactSpecs(year=stock_year, sources=[ims_source])
    f.year_of("first_year", y0)
    f.add("migrants_first", first["total"], "persons", "millions", year=y0)
    f.add("migrants_total", last["total"], "persons", "millions")
    growth = 100 * (last["total"] / first["total"] - 1)
    f.add("migrants_growth_pct", growth, "percent", "percent", display=f"{growth:.0f}%")
    f.add("migrants_added", last["total"] - first["total"], "persons", "millions")
    f.add("share_first_pct", first["share_pct"], "percent", "percent", year=y0, sources=_pop_sources(ims_source))
    f.add("share_last_pct", last["share_pct"], "percent", "percent", year=int(last["year"]),
          sources=_pop_sources(ims_source))
    f.year_of("share_last_year", last["year"])
    f.add("female_share_first_pct", first["female_share_pct"], "percent", "percent", year=y0)
    f.add("female_share_pct", last["female_share_pct"], "percent", "percent")
    f.add("male_migrants", last["male"], "persons", "millions")
    f.add("female_migrants", last["female"], "persons", "millions")
    f.year_of("last_year", stock_year)   # for captions and alt text
    return f


def stock_trend_figure(ims_source: str, stock_year: int) -> dict:
    """International migrants by year, total and by sex."""
    world, first, _ = _first_last(ims_source, stock_year)
    fig, data = plots.line_chart(world, "year", ["total", "female", "male"], ylabel="Migrants (millions)", scale=1e6,
                                 labels={"total": "Total", "female": "Female", "male": "Male"})
    return dict(fig=fig, data=data, sources=[ims_source], units="persons",
                title=f"International migrants, {int(first['year'])}–{stock_year}",
                caption="International migrant stock at mid-year, total and by sex.",
                alt="Line chart: the number of international migrants rose from {fact}`migrants_first` in "
                    "{fact}`first_year` to {fact}`migrants_total` in {fact}`last_year`, with men slightly "
                    "outnumbering women throughout.")


def share_figure(ims_source: str, stock_year: int) -> dict:
    """International migrants as a percentage of the world's population, by year."""
    world, _, _ = _first_last(ims_source, stock_year)
    fig, data = plots.line_chart(world, "year", ["share_pct"], ylabel="% of world population",
                                 percent=True, labels={"share_pct": "Migrants as % of world population"})
    return dict(fig=fig, data=data, sources=_pop_sources(ims_source), units="percent",
                title="International migrants as a share of the world's population",
                caption="Migrant stock divided by the world population of the same year, as published by UN DESA "
                        "with the estimates.",
                alt="Line chart: migrants were {fact}`share_first_pct` of the world's population in {fact}`first_year` "
                    "and {fact}`share_last_pct` in {fact}`share_last_year`.")


# ---------------------------------------------------------------------------------------------- countries

def country_facts(ims_source: str, stock_year: int, top_n: int) -> FactSpecs:
    """The three largest countries of destination and of origin, the top-n share, unspecified origins."""
    dest = migrants.top_destinations(ims_source, stock_year, top_n)
    orig = migrants.top_origins(ims_source, stock_year, top_n)
    total = _first_last(ims_source, stock_year)[2]["total"]
    f = FactSpecs(year=stock_year, sources=[ims_source])
    for kind, table in (("destination", dest), ("origin", orig)):
        for rank, word in enumerate(("top", "second", "third")):
            row = table.iloc[rank]
            f.add(f"{word}_{kind}", in_text(row["iso3"]), "country", "text")
            f.add(f"{word}_{kind}_migrants", row["migrants"], "persons", "millions")
            if kind == "destination" and rank == 0:
                f.add("top_destination_share_pct", 100 * row["migrants"] / total, "percent", "percent")
        if kind == "destination":
            f.add("top_n_destinations_share_pct", 100 * dest["migrants"].sum() / total, "percent", "percent")
            f.add("top_n", top_n, "countries")
    f.add("unknown_origin", migrants.unknown_origin(ims_source, stock_year), "persons", "millions")
    return f


def destinations_figure(ims_source: str, stock_year: int, top_n: int) -> dict:
    """The top-n countries of destination."""
    dest = migrants.top_destinations(ims_source, stock_year, top_n)
    fig, _ = plots.bar_chart(dest, "country", "migrants", xlabel="Migrants (millions)", scale=1e6)
    return dict(fig=fig, data=dest, sources=[ims_source], units="persons",
                title=f"Top {top_n} destination countries of international migrants, {stock_year}",
                caption="Countries by number of international migrants living there (both sexes).",
                alt=f"Horizontal bar chart: {dest.iloc[0]['country']} hosts by far the most migrants "
                    f"({{fact}}`top_destination_migrants`), followed by {dest.iloc[1]['country']} and "
                    f"{dest.iloc[2]['country']}.")


def origins_figure(ims_source: str, stock_year: int, top_n: int) -> dict:
    """The top-n countries of origin."""
    orig = migrants.top_origins(ims_source, stock_year, top_n)
    fig, _ = plots.bar_chart(orig, "country", "migrants", xlabel="Emigrants (millions)", scale=1e6)
    return dict(fig=fig, data=orig, sources=[ims_source], units="persons",
                title=f"Top {top_n} countries of origin of international migrants, {stock_year}",
                caption="Countries by number of their nationals or natives living abroad (both sexes); unspecified "
                        "origins excluded.",
                alt=f"Horizontal bar chart: {orig.iloc[0]['country']} is the largest country of origin "
                    f"({{fact}}`top_origin_migrants`), followed by {orig.iloc[1]['country']} and "
                    f"{orig.iloc[2]['country']}.")


def majority_facts(ims_source: str, stock_year: int) -> FactSpecs:
    """How many countries or areas have migrants as at least half of their population."""
    shares = migrants.country_shares(ims_source, stock_year)
    f = FactSpecs(year=stock_year, sources=_pop_sources(ims_source))
    f.add("countries_majority_migrants", int((shares["share_pct"] >= 50).sum()), "countries")
    return f


def share_map_figure(ims_source: str, stock_year: int) -> dict:
    """World map of immigrants as a share of each country's population."""
    shares = migrants.country_shares(ims_source, stock_year)
    fig, data = plots.world_map(naturalearth.load_countries(), shares, iso3="iso3", value="share_pct",
                                bins=MAP_BINS, legend_title="Immigrants as % of population")
    return dict(fig=fig, data=data, sources=[*_pop_sources(ims_source), naturalearth.SOURCE], units="percent",
                title=f"International migrants as a share of each country's population, {stock_year}",
                caption="Immigrants in {fact}`last_year` divided by the population of the same year; hatched: no "
                        "estimate. Boundaries are illustrative and imply no official endorsement.",
                alt="World map: migrants are a majority of the population in {fact}`countries_majority_migrants` "
                    "countries or areas, mostly in the Gulf and small states; shares are low across most of Africa, "
                    "South Asia and Latin America.")


def top_countries_table(ims_source: str, stock_year: int, n: int = 10) -> dict:
    """The n largest countries of destination and of origin side by side (keyword arguments of Chapter.table)."""
    top = migrants.top_destinations(ims_source, stock_year, n)[["rank", "country", "migrants"]].merge(
        migrants.top_origins(ims_source, stock_year, n)[["rank", "country", "migrants"]], on="rank",
        suffixes=("_dest", "_orig"))
    top.columns = ["Rank", "Destination", "Migrants", "Origin", "Emigrants"]
    return dict(df=top, sources=[ims_source], formats={"Rank": "count"},
                title=f"Top {n} countries of destination and origin, {stock_year}",
                caption="International migrants by country of residence and by country of origin (persons).")


# ---------------------------------------------------------------------------------------------- remittances

def remittance_facts(remittance_year: int) -> FactSpecs:
    """Remittances worldwide and to low- and middle-income countries, first and last year of the series."""
    rem = remittances.world_series(REMITTANCES_FROM, remittance_year)
    r0, r1 = rem.iloc[0], rem.iloc[-1]
    f = FactSpecs(year=remittance_year, sources=remittances.sources_for(remittance_year))
    f.year_of("remittances_first_year", r0["year"])
    f.add("remittances_first", r0["world_usd"], "US$ (current)", "usd_billions", year=int(r0["year"]))
    f.add("remittances_world", r1["world_usd"], "US$ (current)", "usd_billions")
    f.add("remittances_lmic", r1["lmic_usd"], "US$ (current)", "usd_billions")
    f.add("remittances_lmic_share_pct", 100 * r1["lmic_usd"] / r1["world_usd"], "percent", "percent")
    multiple = r1["world_usd"] / r0["world_usd"]
    f.add("remittances_multiple", multiple, "ratio", display=f"{multiple:.1f}")
    f.year_of("remittances_last_year", remittance_year)   # for the figure's alt text
    return f


def remittances_figure(remittance_year: int) -> dict:
    """Remittance inflows by year, worldwide and to low- and middle-income countries."""
    rem = remittances.world_series(REMITTANCES_FROM, remittance_year)
    fig, data = plots.line_chart(rem, "year", ["world_usd", "lmic_usd"], ylabel="US$ billion (current)", scale=1e9,
                                 labels={"world_usd": "World", "lmic_usd": "Low- and middle-income countries"})
    return dict(fig=fig, data=data, sources=remittances.sources_for(remittance_year), units="US$ (current)",
                title=f"International remittances, {int(rem.iloc[0]['year'])}–{remittance_year}",
                caption="Remittance inflows in current US dollars, worldwide and to low- and middle-income countries.",
                alt="Line chart: remittances grew from {fact}`remittances_first` in {fact}`remittances_first_year` to "
                    "{fact}`remittances_world` in {fact}`remittances_last_year`, most of it to low- and middle-income "
                    "countries.")


# ---------------------------------------------------------------------------------------------- displacement

def _conflict_idps(idp_year: int) -> pd.DataFrame:
    return displacement.idp_stocks(idp_year).dropna(subset=["conflict_idps"])


def _conflict_last_year(displacement_year: int) -> int:
    """The last year of new displacements with a conflict figure in the pinned files."""
    flows = displacement.new_displacements(displacement_year)
    return int(flows.dropna(subset=["conflict"])["year"].max())


def displacement_facts(refugee_year: int, idp_year: int, displacement_year: int) -> FactSpecs:
    """Refugees, asylum-seekers, conflict IDPs (first and last year), new disaster displacements and the WMR
    headline totals (displacement.headline_facts)."""
    unhcr, idmc = [displacement.UNHCR], displacement.idp_sources(idp_year)
    ref = displacement.refugee_series(REFUGEES_FROM, refugee_year)
    idps = _conflict_idps(idp_year)
    flows = displacement.new_displacements(displacement_year)
    rf0, rf1, i0, i1 = ref.iloc[0], ref.iloc[-1], idps.iloc[0], idps.iloc[-1]
    f = FactSpecs(year=refugee_year, sources=unhcr)
    f.year_of("refugees_first_year", rf0["year"])
    f.add("refugees_first", rf0["refugees"], "persons", "millions", year=int(rf0["year"]))
    f.add("refugees_last", rf1["refugees"], "persons", "millions")
    f.add("asylum_seekers_last", rf1["asylum_seekers"], "persons", "millions")
    f.year_of("refugees_last_year", refugee_year)   # for the figure's alt text
    f.year_of("idps_first_year", i0["year"], sources=idmc)
    f.add("idps_conflict_first", i0["conflict_idps"], "persons", "millions", year=int(i0["year"]), sources=idmc)
    f.add("idps_conflict_last", i1["conflict_idps"], "persons", "millions", year=idp_year, sources=idmc)
    f.year_of("idps_last_year", idp_year, sources=idmc)   # for the figure's alt text
    f.add("new_disaster_last", flows.iloc[-1]["disaster"], "displacements", "millions", year=displacement_year,
          sources=idmc)
    f += displacement.headline_facts(refugee_year, idp_year, fmt.millions)
    f.add("new_disaster_peak_year", int(flows.loc[flows["disaster"].idxmax(), "year"]), "year", "year",
          year=displacement_year, sources=idmc)
    if _conflict_last_year(displacement_year) < displacement_year:
        f.year_of("new_conflict_last_year", _conflict_last_year(displacement_year), sources=idmc)
    return f


def displacement_figure(refugee_year: int, idp_year: int) -> dict:
    """Refugees, asylum-seekers, Palestine refugees and conflict IDPs by year."""
    ref = displacement.refugee_series(REFUGEES_FROM, refugee_year)
    idps = _conflict_idps(idp_year)
    series = ref.merge(idps[["year", "conflict_idps", "disaster_idps"]], on="year", how="outer").sort_values("year")
    fig, data = plots.line_chart(series, "year", ["refugees", "asylum_seekers", "unrwa", "conflict_idps"],
                                 ylabel="People (millions)", scale=1e6,
                                 labels={"refugees": "Refugees (UNHCR mandate)", "asylum_seekers": "Asylum-seekers",
                                         "unrwa": "Palestine refugees (UNRWA)",
                                         "conflict_idps": "IDPs, conflict and violence (IDMC)"})
    return dict(fig=fig, data=data, sources=[displacement.UNHCR, *displacement.idp_sources(idp_year)], units="persons",
                title=f"Refugees, asylum-seekers and people internally displaced by conflict, "
                      f"{REFUGEES_FROM}–{max(refugee_year, idp_year)}",
                caption="Stocks at the end of each year. The IDMC figures used here start in {fact}`idps_first_year`.",
                alt="Line chart: people internally displaced by conflict rose from {fact}`idps_conflict_first` in "
                    "{fact}`idps_first_year` to {fact}`idps_conflict_last` in {fact}`idps_last_year`, far above "
                    "refugee numbers, which were {fact}`refugees_last` in {fact}`refugees_last_year`.")


def new_displacements_figure(idp_year: int, displacement_year: int) -> dict:
    """New internal displacements by cause and year; says when conflict figures stop before the last year."""
    flows = displacement.new_displacements(displacement_year)
    fig, _ = plots.grouped_bars(flows, "year", ["conflict", "disaster"], ylabel="Internal displacements (millions)",
                                scale=1e6, labels={"conflict": "Conflict and violence", "disaster": "Disasters"})
    caption = "Movements recorded during each year (a person can be displaced more than once)."
    if _conflict_last_year(displacement_year) < displacement_year:
        caption += " Conflict figures after {fact}`new_conflict_last_year` are not in the pinned files."
    return dict(fig=fig, data=flows, sources=displacement.idp_sources(idp_year), units="movements",
                title=f"New internal displacements by cause, {int(flows['year'].min())}–{displacement_year}",
                caption=caption,
                alt="Bar chart: disasters caused more new displacements than conflict in most years, peaking in "
                    "{fact}`new_disaster_peak_year`.")
