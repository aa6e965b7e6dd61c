"""Human security indicators: migrant deaths and disappearances (IOM Missing Migrants Project), the largest
refugee situations and durable solutions (UNHCR), and the forced displacement series they sit in.

Missing Migrants counts are minimum estimates by incident. Sex and age are recorded for a minority of the
dead and missing: shares are computed only over the people whose sex (or child status) is recorded, and
the functions return that coverage so the prose can state it. Incidents whose recorded sex or child counts
exceed their dead and missing (they appear to include survivors) are left out of those breakdowns.
"""
from __future__ import annotations

import pandas as pd

from wmr.core.errors import not_covered

from ..countries import name as m49_name
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
