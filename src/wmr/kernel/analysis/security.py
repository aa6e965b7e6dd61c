"""Human security indicators: migrant deaths and disappearances (IOM Missing Migrants Project), the largest
refugee situations and durable solutions (UNHCR), and the forced displacement series they sit in.

Missing Migrants counts are minimum estimates by incident. Sex and age are recorded for a minority of the
dead and missing: shares are computed only over the people whose sex (or child status) is recorded, and
the functions return that coverage so the prose can state it. Incidents whose recorded sex or child counts
exceed their dead and missing (they appear to include survivors) are left out of those breakdowns.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.ticker import MultipleLocator

from wmr.core.errors import not_covered

from .. import plots
from ..countries import in_text
from ..countries import name as m49_name
from ..facts import FactSpecs
from ..sources import missing_migrants, unhcr
from . import displacement

MMP = missing_migrants.SOURCE
UNHCR = unhcr.SOURCE
IDMC = displacement.IDMC
OTHER_REGIONS = "Other regions"
NO_ROUTE = "No named route"
# Labels of the UNHCR codes that UNSD M49 does not know (see wmr.kernel.sources.unhcr.NON_M49).
NON_M49_LABELS = {"UNK": "Unknown or various origins", "UKN": "Unknown or various origins",
                  "XXA": "Stateless", "STA": "Stateless", "TIB": "Tibetan", "XXX": "Unknown"}
SOLUTIONS = ["returned_refugees", "returned_idps", "resettlement", "naturalisation"]


# ------------------------------------------------------------------------------ Missing Migrants

def mmp_incidents(first: int, last: int) -> pd.DataFrame:
    """Missing Migrants incidents of the years first..last (inclusive); the loader's columns."""
    df = missing_migrants.load_incidents()
    return df[df["year"].between(first, last)].reset_index(drop=True)


def mmp_first_year() -> int:
    """First year of the Missing Migrants records."""
    return int(missing_migrants.load_incidents()["year"].min())


def _sex_age(df: pd.DataFrame) -> pd.DataFrame:
    """Per incident: sex_recorded, females_rec, males_rec, children_rec, sex_inconsistent (see module doc)."""
    f, m, c, dm = df["females"], df["males"], df["children"], df["dead_and_missing"]
    fm = f.fillna(0) + m.fillna(0)
    has_sex = f.notna() | m.notna()
    sex_bad = has_sex & (fm > dm)
    sex_ok = has_sex & ~sex_bad
    child_bad = c.notna() & (c > dm)
    return pd.DataFrame({
        "year": df["year"],
        "dead_and_missing": dm,
        "sex_recorded": fm.where(sex_ok, 0.0),
        "females": f.fillna(0).where(sex_ok, 0.0),
        "males": m.fillna(0).where(sex_ok, 0.0),
        "children": c.fillna(0).where(~child_bad, 0.0),
        "sex_inconsistent": sex_bad | child_bad,
    })


def mmp_by_year(first: int, last: int) -> pd.DataFrame:
    """Per year: dead_and_missing, incidents, sex_recorded, females, males, children and the shares (%).

    sex_coverage_pct = people with recorded sex / all dead and missing; female_share_pct = females / people
    with recorded sex; children_share_pct = recorded children / all dead and missing (a lower bound).
    """
    df = mmp_incidents(first, last)
    per = _sex_age(df)
    out = per.groupby("year").agg(dead_and_missing=("dead_and_missing", "sum"),
                                  incidents=("dead_and_missing", "size"),
                                  sex_recorded=("sex_recorded", "sum"), females=("females", "sum"),
                                  males=("males", "sum"), children=("children", "sum"),
                                  excluded_incidents=("sex_inconsistent", "sum"))
    out = out.reindex(range(first, last + 1), fill_value=0).rename_axis("year").reset_index()
    return _with_shares(out)


def _with_shares(out: pd.DataFrame) -> pd.DataFrame:
    out["sex_coverage_pct"] = 100 * out["sex_recorded"] / out["dead_and_missing"]
    out["female_share_pct"] = 100 * out["females"] / out["sex_recorded"]
    out["children_share_pct"] = 100 * out["children"] / out["dead_and_missing"]
    return out


def mmp_sex_age_total(first: int, last: int) -> dict:
    """The same measures as mmp_by_year, summed over first..last: a dict of floats."""
    per = _sex_age(mmp_incidents(first, last))
    sums = per.drop(columns="year").sum()
    out = _with_shares(pd.DataFrame([{"dead_and_missing": sums["dead_and_missing"],
                                      "sex_recorded": sums["sex_recorded"], "females": sums["females"],
                                      "males": sums["males"], "children": sums["children"],
                                      "excluded_incidents": sums["sex_inconsistent"]}]))
    return {k: float(v) for k, v in out.iloc[0].items()}


def mmp_by_region(first: int, last: int, top: int) -> pd.DataFrame:
    """Wide table: year, then the `top` MMP regions of incident with most dead and missing over first..last
    (largest first), then 'Other regions' (all the rest, incl. incidents filed under two regions)."""
    df = mmp_incidents(first, last)
    totals = df.groupby("region")["dead_and_missing"].sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    group = df["region"].where(df["region"].isin(keep), OTHER_REGIONS)
    wide = df.groupby([df["year"], group])["dead_and_missing"].sum().unstack(fill_value=0)
    wide = wide.reindex(index=range(first, last + 1), columns=[*keep, OTHER_REGIONS], fill_value=0)
    return wide.rename_axis(columns=None).rename_axis("year").reset_index()


def mmp_region_totals(first: int, last: int) -> pd.DataFrame:
    """region, dead_and_missing, share_pct over first..last, largest first (MMP regions as given)."""
    df = mmp_incidents(first, last)
    out = df.groupby("region", as_index=False)["dead_and_missing"].sum()
    out["share_pct"] = 100 * out["dead_and_missing"] / out["dead_and_missing"].sum()
    return out.sort_values("dead_and_missing", ascending=False, ignore_index=True)


def mmp_routes(first: int, last: int) -> pd.DataFrame:
    """route, dead_and_missing, share_pct over first..last, largest first; incidents on no named route
    are one row labelled NO_ROUTE (shares are of all dead and missing)."""
    df = mmp_incidents(first, last)
    route = df["route"].replace("", NO_ROUTE)
    out = df.groupby(route)["dead_and_missing"].sum().rename_axis("route").reset_index()
    out["share_pct"] = 100 * out["dead_and_missing"] / df["dead_and_missing"].sum()
    return out.sort_values("dead_and_missing", ascending=False, ignore_index=True)


def mmp_causes(first: int, last: int) -> pd.DataFrame:
    """cause, dead_and_missing, incidents, share_pct over first..last, largest first.

    An incident with several causes counts under each (cause_categories), so the rows add up to slightly
    more than the total; share_pct is of the total dead and missing.
    """
    df = mmp_incidents(first, last)
    cats = missing_migrants.cause_categories(df["cause"])
    joined = df[["dead_and_missing"]].join(cats)
    out = joined.groupby("cause_category").agg(dead_and_missing=("dead_and_missing", "sum"),
                                               incidents=("dead_and_missing", "size"))
    out = out.rename_axis("cause").reset_index()
    out["share_pct"] = 100 * out["dead_and_missing"] / df["dead_and_missing"].sum()
    return out.sort_values("dead_and_missing", ascending=False, ignore_index=True)


# ------------------------------------------------------------------------------ UNHCR and IDMC

def country_label(iso3: str) -> str:
    """Display name of a UNHCR ISO3 code: the M49 name, or a label for UNHCR's non-M49 codes."""
    return NON_M49_LABELS.get(iso3) or m49_name(iso3)


def displacement_series(first: int, refugee_year: int, idp_year: int) -> pd.DataFrame:
    """year, refugees, unrwa, asylum_seekers, oip (UNHCR, to refugee_year), conflict_idps, disaster_idps
    (IDMC, to idp_year; conflict stocks from 2009, disaster stocks from 2019); NaN where a source has no
    figure for the year. Persons, end of year."""
    ref = displacement.refugee_series(first, refugee_year)
    # 'oip' is only reported from 2018: before that the sum of NaNs is 0, which means 'not reported'.
    ref["oip"] = ref["oip"].where(ref["oip"] > 0)
    idps = displacement.idp_stocks(idp_year)[["year", "conflict_idps", "disaster_idps"]]
    idps = idps[idps["year"] >= first].copy()
    # idp_stocks sums conflict stocks without min_count: a year without any figure (2008) comes out as 0.
    idps["conflict_idps"] = idps["conflict_idps"].where(idps["conflict_idps"] > 0)
    out = ref.merge(idps, on="year", how="outer").sort_values("year", ignore_index=True)
    return out


def top_countries(year: int, side: str, n: int) -> pd.DataFrame:
    """The n largest countries of origin (side='origin') or asylum (side='asylum') at the end of `year`.

    Ranked by refugees and other people in need of international protection (refugees + oip, as in
    UNHCR's Global Trends); columns rank, iso3, country, refugees_oip, refugees, oip, asylum_seekers,
    share_pct (of the world's refugees_oip).
    """
    key = {"origin": "coo_iso", "asylum": "coa_iso"}[side]
    pop = unhcr.load_population()
    pop = pop[pop["year"] == year]
    if pop.empty:
        raise not_covered(f"UNHCR population figures for {year}", year, sorted(unhcr.load_population()["year"].unique().tolist()))
    pop = pop.assign(oip=pop["oip"].fillna(0))
    pop = pop.assign(refugees_oip=pop["refugees"] + pop["oip"])
    agg = pop.groupby(key)[["refugees_oip", "refugees", "oip", "asylum_seekers"]].sum()
    world = agg["refugees_oip"].sum()
    top = agg.sort_values("refugees_oip", ascending=False).head(n).rename_axis("iso3").reset_index()
    top.insert(0, "rank", range(1, len(top) + 1))
    top.insert(2, "country", [country_label(c) for c in top["iso3"]])
    top["share_pct"] = 100 * top["refugees_oip"] / world
    return top


def refugees_oip_total(year: int) -> float:
    """Refugees under UNHCR's mandate plus other people in need of international protection, end of `year`."""
    pop = unhcr.load_population()
    pop = pop[pop["year"] == year]
    return float(pop["refugees"].sum() + pop["oip"].sum())


def solutions_series(first: int, last: int) -> pd.DataFrame:
    """year, returned_refugees, returned_idps, resettlement, naturalisation (persons during each year,
    first..last; NaN where nothing is reported for the year)."""
    sol = unhcr.load_solutions()
    sol = sol[sol["year"].between(first, last)]
    out = sol.groupby("year")[SOLUTIONS].sum(min_count=1)
    return out.reindex(range(first, last + 1)).rename_axis("year").reset_index()


def last_year_at_least(series: pd.DataFrame, column: str, year: int) -> int | None:
    """The latest year before `year` whose value of `column` was at least that of `year` (None if none)."""
    s = series.set_index("year")[column].dropna()
    value = s.loc[year]
    before = s[(s.index < year) & (s >= value)]
    return int(before.index.max()) if not before.empty else None


def record(column: str, year: int) -> tuple[str, int]:
    """How `column` in `year` compares with the full UNHCR history, and the year it is compared with:
    ('most_since', Y), ('fewer_than', year - 1) when the year before was at least as high, or
    ('first_in_records', first year of the records) when no earlier year was as high."""
    sol = solutions_series(int(unhcr.load_solutions()["year"].min()), year)
    since = last_year_at_least(sol, column, year)
    if since is None:
        return "first_in_records", int(sol.dropna(subset=[column])["year"].min())
    return ("fewer_than" if since == year - 1 else "most_since"), since


RECORD_SENTENCES = {  # (column, kind) -> a sentence citing the year of comparison as {fact}`<column>_ref_year`
    ("returned_refugees", "most_since"): "Refugee returns were the highest since {fact}`returned_refugees_ref_year`.",
    ("returned_refugees", "fewer_than"): "Refugee returns were lower than in {fact}`returned_refugees_ref_year`.",
    ("returned_refugees", "first_in_records"): "Refugee returns were the highest in UNHCR's records, which start in "
                                               "{fact}`returned_refugees_ref_year`.",
    ("returned_idps", "most_since"): "Returns of internally displaced persons were the highest since "
                                     "{fact}`returned_idps_ref_year`.",
    ("returned_idps", "fewer_than"): "Returns of internally displaced persons were lower than in "
                                     "{fact}`returned_idps_ref_year`.",
    ("returned_idps", "first_in_records"): "Returns of internally displaced persons were the highest in UNHCR's "
                                           "records, which start in {fact}`returned_idps_ref_year`.",
    ("resettlement", "most_since"): "Resettlement was the highest since {fact}`resettlement_ref_year`.",
    ("resettlement", "fewer_than"): "Resettlement was lower than in {fact}`resettlement_ref_year`.",
    ("resettlement", "first_in_records"): "Resettlement was the highest in UNHCR's records, which start in "
                                          "{fact}`resettlement_ref_year`.",
    ("naturalisation", "most_since"): "Naturalisations were the most since {fact}`naturalisation_ref_year`.",
    ("naturalisation", "fewer_than"): "Naturalisations were fewer than in {fact}`naturalisation_ref_year`.",
    ("naturalisation", "first_in_records"): "Naturalisations were the most in UNHCR's records, which start in "
                                            "{fact}`naturalisation_ref_year`.",
}
SOLUTIONS_TEXT = (
    "Displacement ends when people find a durable solution: a safe and voluntary return home, resettlement to a "
    "third country, or integration in the country of asylum, ultimately through naturalisation. In "
    "{param}`refugee_year`, {fact}`returned_refugees_last` refugees returned to their country of origin and "
    "{fact}`returned_idps_last` internally displaced persons returned to their homes ({numref}`fig-returns`). "
    "{returned_refugees} {returned_idps} Set against the size of the refugee population, refugee returns amounted "
    "to about {fact}`returns_per_100` for every hundred refugees under UNHCR's mandate at the end of the year.\n\n"
    "Resettlement offers protection to far fewer people. In {param}`refugee_year`, {fact}`resettlement_last` "
    "refugees were resettled, or about {fact}`resettlement_per_1000` for every thousand refugees; the largest annual "
    "number since {fact}`series_start_year` was {fact}`resettlement_peak`, in {fact}`resettlement_peak_year` "
    "({numref}`fig-resettlement`). {resettlement} Countries of asylum reported {fact}`naturalisation_last` "
    "naturalisations of refugees. {naturalisation} Taken together, returns, resettlement and naturalisation amounted "
    "to about {fact}`solutions_per_100` for every hundred refugees in {param}`refugee_year`. For the others, human "
    "security depends on the protection and inclusion they find where they are, and for those who move on, on safe "
    "and regular pathways that spare them the dangerous journeys documented at the start of this chapter.")


def solutions_text(year: int) -> str:
    """The two paragraphs on durable solutions, each comparison worded by `record` (years cited as facts)."""
    sentences = {col: RECORD_SENTENCES[(col, record(col, year)[0])] for col in SOLUTIONS}
    out = SOLUTIONS_TEXT
    for col, sentence in sentences.items():
        out = out.replace("{" + col + "}", sentence)
    return out


# ---------------------------------------------------------------------------------------------- the chapter
# Facts (FactSpecs: keyword arguments of Chapter.fact) and figures/tables (keyword arguments of Chapter.figure
# and Chapter.table, chart included) of chapter 5, so the notebook reads as the chapter's prose and short calls.
# Captions and alt text cite the section's facts by {fact} role: record the facts before the figure.

def mmp_facts(last: int) -> FactSpecs:
    """Dead and missing since the first year of the records: the total, the last two years, highest and lowest."""
    first = mmp_first_year()
    years = mmp_by_year(first, last)
    y1, y0 = years.iloc[-1], years.iloc[-2]
    out = FactSpecs(year=last, sources=[MMP])
    out.year_of("mmp_first_year", first)
    out.year_of("mmp_last_year", last)
    out.add("mmp_total_period", mmp_sex_age_total(first, last)["dead_and_missing"], "persons")
    out.add("mmp_last", y1["dead_and_missing"], "persons")
    out.add("mmp_prev", y0["dead_and_missing"], "persons", year=last - 1)
    out.add("mmp_incidents_last", y1["incidents"], "incidents")
    for key, row in (("peak", years.loc[years["dead_and_missing"].idxmax()]),
                     ("low", years.loc[years["dead_and_missing"].idxmin()])):
        out.year_of(f"mmp_{key}_year", row["year"])
        out.add(f"mmp_{key}", row["dead_and_missing"], "persons", year=int(row["year"]))
    out.add("mmp_daily_last", y1["dead_and_missing"] / 365, "persons per day",
            display=f"{y1['dead_and_missing'] / 365:.0f}")
    return out


def mmp_trend_figure(last: int) -> dict:
    """Dead and missing by year of incident (bars); cites mmp_facts."""
    first = mmp_first_year()
    fig, data = plots.grouped_bars(mmp_by_year(first, last), "year", ["dead_and_missing"],
                                   ylabel="Dead and missing (persons)", labels={"dead_and_missing": "Dead and missing"})
    return dict(fig=fig, data=data, sources=[MMP], units="persons",
                title=f"Migrants recorded dead or missing, {first}–{last}",
                caption="Deaths and disappearances during migration by year of incident; minimum estimates. "
                        "Years after the edition's last full year are not shown.",
                alt="Bar chart: the Missing Migrants Project recorded between {fact}`mmp_low` ({fact}`mmp_low_year`) "
                    "and {fact}`mmp_peak` ({fact}`mmp_peak_year`) dead and missing migrants a year; in "
                    "{fact}`mmp_last_year` the figure was {fact}`mmp_last`.")


def region_facts(last: int, top: int) -> FactSpecs:
    """The two regions of incident with most dead and missing over the records, and the three of the last year."""
    over = mmp_region_totals(mmp_first_year(), last)
    in_last = mmp_region_totals(last, last)
    out = FactSpecs(year=last, sources=[MMP])
    for i in (1, 2):
        out.add(f"region_{i}", over.iloc[i - 1]["region"], "region", "text")
        out.add(f"region_{i}_dead", over.iloc[i - 1]["dead_and_missing"], "persons")
    out.add("region_1_share_pct", over.iloc[0]["share_pct"], "percent", "percent")
    for i in (1, 2, 3):
        out.add(f"region_last_{i}", in_last.iloc[i - 1]["region"], "region", "text")
        out.add(f"region_last_{i}_dead", in_last.iloc[i - 1]["dead_and_missing"], "persons")
    out.add("top_regions", top, "regions")
    return out


def regions_figure(last: int, top: int) -> dict:
    """Dead and missing by year, stacked by the `top` regions of incident and the rest; cites region_facts."""
    first = mmp_first_year()
    regions = mmp_by_region(first, last, top)
    shown = [c for c in regions.columns if c != "year"]
    fig, data = plots.stacked_bars(regions, "year", shown, ylabel="Dead and missing (persons)",
                                   colors=plots.style.PALETTE[:len(shown) - 1] + [plots.style.MUTED])
    plots.legend_outside(fig, "right", reverse=True)
    return dict(fig=fig, data=data, sources=[MMP], units="persons",
                title=f"Migrants recorded dead or missing by region of incident, {first}–{last}",
                caption="The {fact}`top_regions` Missing Migrants Project regions of incident with most dead and missing "
                        "over the period; all others (including incidents filed under two regions) are grouped.",
                alt="Stacked bar chart: the {fact}`region_1` accounts for the largest part of the dead and missing in "
                    "most years ({fact}`region_1_share_pct` over the period); in {fact}`mmp_last_year` the largest "
                    "number was recorded in {fact}`region_last_1` ({fact}`region_last_1_dead`).")


def _named_routes(first: int, last: int) -> pd.DataFrame:
    routes = mmp_routes(first, last)
    return routes[routes["route"] != NO_ROUTE]


def route_facts(last: int, top_n: int) -> FactSpecs:
    """The three deadliest named routes over the records, the deadliest of the last year, the share on no route."""
    first = mmp_first_year()
    named, routes = _named_routes(first, last), mmp_routes(first, last)
    rl = _named_routes(last, last).iloc[0]
    out = FactSpecs(year=last, sources=[MMP])
    for i in (1, 2, 3):
        out.add(f"route_{i}", named.iloc[i - 1]["route"], "route", "text")
        out.add(f"route_{i}_dead", named.iloc[i - 1]["dead_and_missing"], "persons")
    out.add("route_1_share_pct", named.iloc[0]["share_pct"], "percent", "percent")
    out.add("route_last", rl["route"], "route", "text")
    out.add("route_last_dead", rl["dead_and_missing"], "persons")
    out.add("no_route_share_pct", routes[routes["route"] == NO_ROUTE].iloc[0]["share_pct"], "percent", "percent")
    out.add("top_n", top_n, "items")
    return out


def routes_figure(last: int, top_n: int) -> dict:
    """The top_n named routes by dead and missing over the records (bars); cites mmp_facts and route_facts."""
    first = mmp_first_year()
    fig, data = plots.bar_chart(_named_routes(first, last).head(top_n), "route", "dead_and_missing",
                                xlabel="Dead and missing (persons)", value_format="{:,.0f}")
    plots.wrap_tick_labels(fig, 30)
    return dict(fig=fig, data=data, sources=[MMP], units="persons",
                title=f"Top {top_n} migration routes by migrants recorded dead or missing, {first}–{last}",
                caption="Dead and missing by Missing Migrants Project migration route, summed over "
                        "{fact}`mmp_first_year`–{fact}`mmp_last_year`. Incidents on no named route "
                        "({fact}`no_route_share_pct` of the dead and missing) are not shown.",
                alt="Horizontal bar chart: the {fact}`route_1` route is by far the deadliest, with {fact}`route_1_dead` "
                    "dead and missing, followed by {fact}`route_2` and {fact}`route_3`.")


def cause_facts(last: int) -> FactSpecs:
    """The two largest cause categories over the records and violence, with their shares of the dead and missing."""
    causes = mmp_causes(mmp_first_year(), last)
    c1, c2 = causes.iloc[0], causes.iloc[1]
    violence = causes[causes["cause"] == "Violence"].iloc[0]
    out = FactSpecs(year=last, sources=[MMP])
    out.add("cause_1", c1["cause"].lower(), "cause", "text")
    out.add("cause_1_share_pct", c1["share_pct"], "percent", "percent")
    out.add("cause_1_dead", c1["dead_and_missing"], "persons")
    out.add("cause_2", c2["cause"].lower(), "cause", "text")
    out.add("cause_2_share_pct", c2["share_pct"], "percent", "percent")
    out.add("violence_dead", violence["dead_and_missing"], "persons")
    out.add("violence_share_pct", violence["share_pct"], "percent", "percent")
    return out


def causes_figure(last: int) -> dict:
    """Dead and missing by cause category over the records (bars); cites cause_facts."""
    first = mmp_first_year()
    fig, data = plots.bar_chart(mmp_causes(first, last), "cause", "dead_and_missing",
                                xlabel="Dead and missing (persons)", value_format="{:,.0f}")
    plots.wrap_tick_labels(fig, 32)
    return dict(fig=fig, data=data, sources=[MMP], units="persons",
                title=f"Migrants recorded dead or missing by cause of death, {first}–{last}",
                caption="Dead and missing by Missing Migrants Project cause category; an incident with several causes "
                        "counts under each, so the bars add up to slightly more than the total.",
                alt="Horizontal bar chart: {fact}`cause_1` accounts for {fact}`cause_1_share_pct` of the dead and "
                    "missing ({fact}`cause_1_dead`), far ahead of {fact}`cause_2` ({fact}`cause_2_share_pct`); "
                    "violence accounts for {fact}`violence_share_pct`.")


def sex_age_facts(last: int) -> FactSpecs:
    """Sex and children among the dead and missing where recorded: over the records and in the last year."""
    first = mmp_first_year()
    total, y1 = mmp_sex_age_total(first, last), mmp_by_year(first, last).iloc[-1]
    out = FactSpecs(year=last, sources=[MMP])
    out.add("sex_recorded", total["sex_recorded"], "persons")
    out.add("sex_coverage_pct", total["sex_coverage_pct"], "percent", "percent")
    out.add("female_share_pct", total["female_share_pct"], "percent", "percent")
    out.add("females_recorded", total["females"], "persons")
    out.add("children_recorded", total["children"], "persons")
    out.add("children_share_pct", total["children_share_pct"], "percent", "percent")
    out.add("excluded_incidents", total["excluded_incidents"], "incidents")
    out.add("female_share_last_pct", y1["female_share_pct"], "percent", "percent")
    out.add("sex_coverage_last_pct", y1["sex_coverage_pct"], "percent", "percent")
    return out


def women_children_figure(last: int) -> dict:
    """Sex coverage, female share and recorded children's share by year (lines); cites sex_age_facts."""
    first = mmp_first_year()
    fig, data = plots.line_chart(mmp_by_year(first, last), "year",
                                 ["sex_coverage_pct", "female_share_pct", "children_share_pct"],
                                 ylabel="Per cent", percent=True,
                                 labels={"sex_coverage_pct": "Sex recorded (% of all dead and missing)",
                                         "female_share_pct": "Women and girls (% of those with sex recorded)",
                                         "children_share_pct": "Children recorded (% of all dead and missing)"})
    plots.legend_outside(fig, "below")
    return dict(fig=fig, data=data, sources=[MMP], units="percent",
                title=f"Women and children among migrants recorded dead or missing, {first}–{last}",
                caption="Sex is recorded for a minority of the dead and missing; the share of women and girls is of "
                        "those with sex recorded. Children are a minimum share of all dead and missing, as age is "
                        "mostly unrecorded. {fact}`excluded_incidents` incidents whose sex or child counts exceed "
                        "their dead and missing are left out.",
                alt="Line chart: sex was recorded for {fact}`sex_coverage_pct` of the dead and missing over the "
                    "period; women and girls made up {fact}`female_share_pct` of those, and recorded children "
                    "{fact}`children_share_pct` of all dead and missing.")


def mmp_years_table(last: int) -> dict:
    """Dead and missing by year with sex and children where recorded."""
    first = mmp_first_year()
    cols = {"year": "Year", "dead_and_missing": "Dead and missing", "sex_recorded": "Sex recorded",
            "females": "Women and girls", "males": "Men and boys", "children": "Children",
            "sex_coverage_pct": "Sex recorded (%)"}
    tab = mmp_by_year(first, last)[list(cols)].rename(columns=cols)
    return dict(df=tab, sources=[MMP], formats={"Year": "year", "Sex recorded (%)": "percent"},
                title=f"Migrants recorded dead or missing by year, with sex and age where recorded, {first}–{last}",
                caption="Persons; minimum estimates. Sex and child counts only where the incident records them; "
                        "incidents whose counts exceed their dead and missing are left out of those columns.")


def _year_row(df: pd.DataFrame, year: int) -> pd.Series:
    return df[df["year"] == year].iloc[0]


def displacement_facts(first: int, refugee_year: int, idp_year: int) -> FactSpecs:
    """Refugees, asylum-seekers and other people in need of protection (UNHCR) and IDPs (IDMC): start and end."""
    disp = displacement_series(first, refugee_year, idp_year)
    d0, dr, di = disp.iloc[0], _year_row(disp, refugee_year), _year_row(disp, idp_year)
    idp0 = disp.dropna(subset=["conflict_idps"]).iloc[0]
    oip0 = disp.dropna(subset=["oip"]).iloc[0]
    idp, both = displacement.idp_sources(idp_year), displacement.idp_sources(idp_year) + [UNHCR]
    out = FactSpecs(year=refugee_year, sources=[UNHCR])
    out.year_of("series_start_year", first)
    out.year_of("refugees_last_year", refugee_year)
    out.add("refugees_start", d0["refugees"], "persons", "millions", year=first)
    out.add("refugees_last", dr["refugees"], "persons", "millions")
    out.add("refugees_multiple", dr["refugees"] / d0["refugees"], "ratio",
            display=f"{dr['refugees'] / d0['refugees']:.1f}")
    out.add("unrwa_last", dr["unrwa"], "persons", "millions")
    out.add("asylum_seekers_start", d0["asylum_seekers"], "persons", "millions", year=first)
    out.add("asylum_seekers_last", dr["asylum_seekers"], "persons", "millions")
    out.year_of("oip_first_year", oip0["year"])
    out.add("oip_last", dr["oip"], "persons", "millions")
    out.year_of("idps_first_year", idp0["year"], sources=idp)
    out.year_of("idps_last_year", idp_year, sources=idp)
    out.add("idps_conflict_first", idp0["conflict_idps"], "persons", "millions", year=int(idp0["year"]), sources=idp)
    out.add("idps_conflict_last", di["conflict_idps"], "persons", "millions", year=idp_year, sources=idp)
    out.add("idps_disaster_last", di["disaster_idps"], "persons", "millions", year=idp_year, sources=idp)
    out.add("idps_to_refugees", di["conflict_idps"] / di["refugees"], "ratio", year=idp_year, sources=both,
            display=f"{di['conflict_idps'] / di['refugees']:.1f}")
    return out


DISPLACEMENT_LABELS = {"refugees": "Refugees (UNHCR mandate)", "unrwa": "Palestine refugees (UNRWA)",
                       "asylum_seekers": "Asylum-seekers", "oip": "Other people in need of international protection",
                       "conflict_idps": "IDPs, conflict and violence (IDMC)"}


def displacement_figure(first: int, refugee_year: int, idp_year: int) -> dict:
    """The UNHCR stocks and IDMC's conflict IDPs by year (lines); cites displacement_facts."""
    disp = displacement_series(first, refugee_year, idp_year)
    fig, data = plots.line_chart(disp, "year", list(DISPLACEMENT_LABELS), ylabel="People (millions)", scale=1e6,
                                 labels=DISPLACEMENT_LABELS)
    plots.legend_outside(fig, "below", ncols=2)
    return dict(fig=fig, data=data, sources=[UNHCR, *displacement.idp_sources(idp_year)], units="persons",
                title=f"Refugees, asylum-seekers and internally displaced persons, {first}–{max(refugee_year, idp_year)}",
                caption="Stocks at the end of each year. UNHCR series to {fact}`refugees_last_year`; IDMC conflict IDPs "
                        "from {fact}`idps_first_year` (the first year with stock figures in the pinned files) to "
                        "{fact}`idps_last_year`; other people in need of international protection are reported from "
                        "{fact}`oip_first_year`.",
                alt="Line chart: people internally displaced by conflict rose from {fact}`idps_conflict_first` in "
                    "{fact}`idps_first_year` to {fact}`idps_conflict_last` in {fact}`idps_last_year`, well above the "
                    "{fact}`refugees_last` refugees under UNHCR's mandate in {fact}`refugees_last_year`, who were "
                    "{fact}`refugees_start` in {fact}`series_start_year`.")


def _in_text(row: pd.Series) -> str:
    """A ranked country's name for running text: with its article when it is an M49 country, else UNHCR's label."""
    return in_text(row["iso3"]) if m49_name(row["iso3"]) == row["country"] else row["country"]


def top_country_facts(year: int, top_n: int) -> FactSpecs:
    """The three largest countries of origin and of asylum, the top shares, and the hosts counting mostly OIP."""
    orig, asy = top_countries(year, "origin", top_n), top_countries(year, "asylum", top_n)
    out = FactSpecs(year=year, sources=[UNHCR])
    out.add("refugees_oip_world", refugees_oip_total(year), "persons", "millions")
    for side, df in (("origin", orig), ("asylum", asy)):
        for i in (1, 2, 3):
            row = df.iloc[i - 1]
            out.add(f"{side}_{i}", in_text(row["iso3"]) if i == 1 else _in_text(row), "country", "text")
            out.add(f"{side}_{i}_people", row["refugees_oip"], "persons", "millions")
    out.add("origin_top3_share_pct", orig["share_pct"].head(3).sum(), "percent", "percent")
    out.add("origin_topn_share_pct", orig["share_pct"].sum(), "percent", "percent")
    out.add("asylum_topn_share_pct", asy["share_pct"].sum(), "percent", "percent")
    hosts = [_in_text(row) for _, row in asy[asy["oip"] > asy["refugees"]].iterrows()]
    out.add("oip_hosts", " and ".join([", ".join(hosts[:-1]), hosts[-1]]) if len(hosts) > 1 else "".join(hosts),
            "countries", "text")
    return out


def top_countries_figure(year: int, side: str, top_n: int) -> dict:
    """The top_n countries of `side` ('origin' or 'asylum') by refugees and OIP (bars); cites top_country_facts."""
    df = top_countries(year, side, top_n)
    fig, data = plots.bar_chart(df, "country", "refugees_oip", scale=1e6,
                                xlabel="Refugees and other people in need of international protection (millions)")
    plots.wrap_tick_labels(fig, 26)
    fig.axes[0].xaxis.set_major_locator(MultipleLocator(1e6))  # whole millions (the default ticks repeat labels)
    return dict(fig=fig, data=data, sources=[UNHCR], units="persons",
                title=f"Top {top_n} countries of {side} of refugees and other people in need of international "
                      f"protection, {year}",
                caption="End of {fact}`refugees_last_year`. Refugees under UNHCR's mandate plus other people in need "
                        f"of international protection, by country of {side}; Palestine refugees under UNRWA's mandate "
                        "are not included.",
                alt=f"Horizontal bar chart: {{fact}}`{side}_1` ({{fact}}`{side}_1_people`) is the largest country of "
                    f"{side}, followed by {{fact}}`{side}_2` ({{fact}}`{side}_2_people`) and {{fact}}`{side}_3` "
                    f"({{fact}}`{side}_3_people`).")


def top_countries_table(year: int, top_n: int) -> dict:
    """The top_n countries of origin and of asylum side by side, with asylum-seekers."""
    cols = ["rank", "country", "refugees_oip", "asylum_seekers"]
    tab = top_countries(year, "origin", top_n)[cols].merge(top_countries(year, "asylum", top_n)[cols], on="rank",
                                                           suffixes=("_o", "_a"))
    tab.columns = ["Rank", "Country of origin", "Refugees and OIP", "Asylum-seekers from",
                   "Country of asylum", "Refugees and OIP hosted", "Asylum-seekers in"]
    return dict(df=tab, sources=[UNHCR], formats={"Rank": "count"},
                title=f"Top {top_n} countries of origin and of asylum, {year}",
                caption="Refugees under UNHCR's mandate and other people in need of international protection (OIP), "
                        "and asylum-seekers with pending claims, at the end of the year (persons).")


def solution_facts(first: int, year: int) -> FactSpecs:
    """Returns, resettlement and naturalisation in `year`, each with its year of comparison (see `record`), the
    resettlement peak, the solutions per refugee, and in how many years IDP returns exceeded refugee returns."""
    sol = solutions_series(first, year)
    sl, peak = _year_row(sol, year), sol.loc[sol["resettlement"].idxmax()]
    refugees = _year_row(displacement.refugee_series(first, year), year)["refugees"]
    out = FactSpecs(year=year, sources=[UNHCR])
    for col in SOLUTIONS:
        out.add(f"{col}_last", sl[col], "persons", "compact")
        out.year_of(f"{col}_ref_year", record(col, year)[1])   # the year the chapter compares with (solutions_text)
    out.add("resettlement_peak", peak["resettlement"], "persons", "compact", year=int(peak["year"]))
    out.year_of("resettlement_peak_year", peak["year"])
    out.add("resettlement_per_1000", 1000 * sl["resettlement"] / refugees, "per 1,000 refugees",
            display=f"{1000 * sl['resettlement'] / refugees:.0f}")
    out.add("returns_per_100", 100 * sl["returned_refugees"] / refugees, "per 100 refugees",
            display=f"{100 * sl['returned_refugees'] / refugees:.0f}")
    solved = sl["returned_refugees"] + sl["resettlement"] + sl["naturalisation"]
    out.add("solutions_per_100", 100 * solved / refugees, "per 100 refugees", display=f"{100 * solved / refugees:.0f}")
    out.add("idp_returns_above_years", int((sol["returned_idps"] > sol["returned_refugees"]).sum()), "years")
    out.add("solutions_years", len(sol), "years")
    return out


def returns_figure(first: int, year: int) -> dict:
    """Refugee and IDP returns by year (lines); cites solution_facts and displacement_facts."""
    labels = {"returned_refugees": "Refugees returned", "returned_idps": "IDPs returned"}
    fig, data = plots.line_chart(solutions_series(first, year), "year", list(labels), ylabel="People (millions)",
                                 scale=1e6, labels=labels)
    return dict(fig=fig, data=data, sources=[UNHCR], units="persons",
                title=f"Refugees and internally displaced persons who returned, {first}–{year}",
                caption="Returns during each year as reported to UNHCR; IDP returns cover IDPs protected or assisted "
                        "by UNHCR.",
                alt="Line chart: {fact}`returned_refugees_last` refugees and {fact}`returned_idps_last` IDPs returned "
                    "in {fact}`refugees_last_year`; IDP returns exceeded refugee returns in "
                    "{fact}`idp_returns_above_years` of the {fact}`solutions_years` years shown.")


def resettlement_figure(first: int, year: int) -> dict:
    """Resettlement and naturalisation by year (lines); cites solution_facts and displacement_facts."""
    labels = {"resettlement": "Resettlement", "naturalisation": "Naturalisation"}
    fig, data = plots.line_chart(solutions_series(first, year), "year", list(labels), ylabel="Refugees (thousands)",
                                 scale=1e3, labels=labels)
    plots.legend_outside(fig, "below", ncols=2)
    return dict(fig=fig, data=data, sources=[UNHCR], units="persons",
                title=f"Refugees resettled to a third country and naturalised, {first}–{year}",
                caption="Persons during each year, as reported to UNHCR; naturalisation covers the countries that "
                        "report it.",
                alt="Line chart: resettlement peaked at {fact}`resettlement_peak` in {fact}`resettlement_peak_year` "
                    "and was {fact}`resettlement_last` in {fact}`refugees_last_year`; {fact}`naturalisation_last` "
                    "refugees were naturalised in {fact}`refugees_last_year`.")
