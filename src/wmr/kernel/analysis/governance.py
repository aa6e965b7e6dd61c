"""Asylum decisions and durable solutions (UNHCR) for the governance chapter.

Recognition rates follow UNHCR's definitions on substantive decisions only (otherwise closed cases, e.g.
withdrawn or abandoned claims, are left out):
- total recognition rate (TRR) = (recognised + complementary protection) / (recognised + complementary
  protection + rejected);
- refugee status rate = recognised / the same denominator (UNHCR's Convention recognition rate).
Decisions are counted in persons (`dec_pc == 'P'`): the few decisions reported as cases (households) are
a different unit and are left out, their share is reported by `case_share`. All decision levels (first
instance, appeal) and procedures (State, UNHCR, joint) are included, as in UNHCR's global figures.
"""
from __future__ import annotations

import pandas as pd

from .. import plots
from ..countries import in_text, with_names
from ..facts import FactSpecs
from ..sources import milestones, unhcr

SOURCE = unhcr.SOURCE
MILESTONES = milestones.SOURCE
FIRST_YEAR = 2000  # first year of the decision and solution series shown
OUTCOMES = ["recognized", "complementary", "rejected", "closed"]
_RENAME = {"dec_recognized": "recognized", "dec_other": "complementary", "dec_rejected": "rejected",
           "dec_closed": "closed"}
UNKNOWN_ORIGINS = frozenset({"UNK", "UKN"})  # 'various or unknown' origin: not a country, left out of rankings
MIN_DECISIONS = 1000  # an origin's rate is shown only for years with at least this many substantive decisions


def _decisions(first: int, last: int, unit: str = "P") -> pd.DataFrame:
    d = unhcr.load_asylum_decisions()
    d = d[d["year"].between(first, last) & d["dec_pc"].eq(unit)]
    return d.rename(columns=_RENAME)


def _rates(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["substantive"] = df["recognized"] + df["complementary"] + df["rejected"]
    df["trr_pct"] = 100 * (df["recognized"] + df["complementary"]) / df["substantive"]
    df["refugee_status_pct"] = 100 * df["recognized"] / df["substantive"]
    return df


def decisions_by_year(first: int, last: int) -> pd.DataFrame:
    """year, recognized, complementary, rejected, closed, substantive (persons), trr_pct, refugee_status_pct."""
    g = _decisions(first, last).groupby("year", as_index=False)[OUTCOMES].sum()
    return _rates(g).reset_index(drop=True)


def case_share(year: int) -> float:
    """Percentage of the year's substantive decisions reported as cases rather than persons (left out here)."""
    sub = {}
    for unit in ("P", "C"):
        d = _decisions(year, year, unit)
        sub[unit] = float((d["recognized"] + d["complementary"] + d["rejected"]).sum())
    return 100 * sub["C"] / (sub["P"] + sub["C"])


def by_origin(year: int) -> pd.DataFrame:
    """Decisions in `year` by country of origin: iso3, country, outcomes, substantive, rates (unknown origin excluded)."""
    d = _decisions(year, year)
    d = d[~d["coo_iso"].isin(UNKNOWN_ORIGINS)]
    g = d.groupby("coo_iso", as_index=False)[OUTCOMES].sum().rename(columns={"coo_iso": "iso3"})
    return _named(_rates(g))


def top_origins(year: int, n: int = 10) -> pd.DataFrame:
    """The n origins with most substantive decisions in `year`: rank, iso3, country, outcomes, rates."""
    df = by_origin(year).sort_values(["substantive", "iso3"], ascending=[False, True]).head(n).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


def origin_rates(iso3: list[str], first: int, last: int, min_decisions: int = MIN_DECISIONS) -> pd.DataFrame:
    """Total recognition rate by year (rows) for the given origins (columns, ISO3); NaN below `min_decisions`."""
    d = _decisions(first, last)
    d = d[d["coo_iso"].isin(iso3)]
    g = _rates(d.groupby(["year", "coo_iso"], as_index=False)[OUTCOMES].sum())
    g.loc[g["substantive"] < min_decisions, "trr_pct"] = float("nan")
    wide = g.pivot(index="year", columns="coo_iso", values="trr_pct").reindex(range(first, last + 1))
    return wide.reindex(columns=list(iso3)).rename_axis(columns=None).reset_index()


def solutions_by_year(first: int, last: int) -> pd.DataFrame:
    """year, returned_refugees, resettlement, naturalisation (persons during the year; sums of reported rows)."""
    s = unhcr.load_solutions()
    s = s[s["year"].between(first, last)]
    cols = ["returned_refugees", "resettlement", "naturalisation"]
    return s.groupby("year", as_index=False)[cols].sum(min_count=1).reset_index(drop=True)


def resettlement_countries(first: int, last: int, n: int = 10) -> pd.DataFrame:
    """The n countries that resettled most refugees over first..last: rank, iso3, country, resettled, share_pct."""
    s = unhcr.load_solutions()
    s = s[s["year"].between(first, last)]
    g = s.groupby("coa_iso", as_index=False)["resettlement"].sum().rename(columns={"coa_iso": "iso3",
                                                                                    "resettlement": "resettled"})
    g["share_pct"] = 100 * g["resettled"] / g["resettled"].sum()
    g = g.sort_values(["resettled", "iso3"], ascending=[False, True]).head(n).reset_index(drop=True)
    g.insert(0, "rank", range(1, len(g) + 1))
    return with_names(g)


def _named(df: pd.DataFrame) -> pd.DataFrame:
    """with_names, falling back to UNHCR's own name for codes M49 does not know (e.g. stateless)."""
    out = with_names(df)
    unhcr_names = dict(zip(unhcr.load_countries()["iso3"], unhcr.load_countries()["name"]))
    unnamed = out["country"].eq(out["iso3"])
    out.loc[unnamed, "country"] = out.loc[unnamed, "iso3"].map(unhcr_names).fillna(out.loc[unnamed, "iso3"])
    return out


# ---------------------------------------------------------------------------------------------- the chapter
# Facts (FactSpecs: keyword arguments of Chapter.fact) and figures/tables (keyword arguments of Chapter.figure
# and Chapter.table, chart included) of chapter 8, so the notebook reads as the chapter's prose and short calls.

MILESTONE_FACTS = {"date_gcim": "gcim-report", "date_hld_first": "hld-2006", "date_gfmd": "gfmd-2007",
                   "date_hld_second": "hld-2013", "date_agenda": "agenda-2030",
                   "date_new_york": "new-york-declaration", "date_gcm_adopted": "gcm-marrakech",
                   "date_gcr": "gcr-affirmed", "date_gcm_endorsed": "gcm-endorsed", "date_grf": "grf-2019",
                   "date_imrf": "imrf-2022"}


def _date(ts: pd.Timestamp) -> str:
    """'19 December 2018'."""
    return f"{ts.day} {ts.strftime('%B %Y')}"


def milestone_facts() -> FactSpecs:
    """The date of each milestone the prose names, and how many milestones over how many years."""
    ms = milestones.load_milestones()
    first, last = ms["date"].iloc[0], ms["date"].iloc[-1]
    out = FactSpecs(year=int(last.year), sources=[MILESTONES])
    for name, ident in MILESTONE_FACTS.items():
        row = milestones.milestone(ms, ident)
        out.add(name, _date(row["date"]), "date", "text", year=int(row["date"].year), note=row["event"])
    out.add("milestones_n", len(ms), "milestones")
    out.add("milestones_span", int(last.year - first.year), "years")
    out.year_of("milestones_first_year", first.year)
    out.year_of("milestones_last_year", last.year)
    declaration = milestones.milestone(ms, "new-york-declaration")["date"]
    compact = milestones.milestone(ms, "gcm-marrakech")["date"]
    out.year_of("milestones_cluster_year", declaration.year)
    out.add("milestones_cluster_month", compact.strftime("%B %Y"), "date", "text", year=int(compact.year))
    return out


def milestones_figure() -> dict:
    """Timeline of the milestones; the alt text names the years in which they cluster (from the table)."""
    ms = milestones.load_milestones()
    first, last = ms["date"].iloc[0], ms["date"].iloc[-1]
    fig, data = plots.timeline(ms, "date", "event")
    return dict(fig=fig, data=data, sources=[MILESTONES], units="dates",
                title=f"Milestones of global migration governance, {first.year}–{last.year}",
                caption="Dates of the reports, dialogues, declarations and compacts that shaped cooperation on "
                        "migration and refugees; each event's documentary source is listed in the table of milestones.",
                alt="Timeline of {fact}`milestones_n` events from the Global Commission on International Migration "
                    "report in {fact}`milestones_first_year` to the first International Migration Review Forum in "
                    "{fact}`milestones_last_year`; the events cluster in {fact}`milestones_cluster_year` and in "
                    "{fact}`milestones_cluster_month`, when the two global compacts were adopted.")


def milestones_table(rows: pd.DataFrame) -> dict:
    """The milestones as drawn by milestones_figure (its `data`), each with the document that records it."""
    table = rows.rename(columns={"date": "Date", "event": "Event", "citation": "Documented in"})
    return dict(df=table[["Date", "Event", "Documented in"]], sources=[MILESTONES],
                title="Milestones of global migration governance",
                caption="The project's dated table of milestones, each with the official document that records it.")


def decision_facts(last: int) -> FactSpecs:
    """Decisions and recognition rates: first and last year, the highest and lowest rate, cases left aside."""
    dec = decisions_by_year(FIRST_YEAR, last)
    d0, d1 = dec.iloc[0], dec.iloc[-1]
    peak, low = dec.loc[dec["trr_pct"].idxmax()], dec.loc[dec["trr_pct"].idxmin()]
    first = int(d0["year"])
    out = FactSpecs(year=last, sources=[SOURCE])
    out.year_of("decisions_first_year", first)
    out.year_of("decisions_last_year", last)
    out.add("substantive_first", d0["substantive"], "persons", "compact", year=first)
    out.add("substantive_last", d1["substantive"], "persons", "compact")
    out.add("closed_last", d1["closed"], "persons", "compact")
    out.add("trr_first", d0["trr_pct"], "percent", "percent", year=first)
    out.add("trr_last", d1["trr_pct"], "percent", "percent")
    out.add("refugee_status_last", d1["refugee_status_pct"], "percent", "percent")
    out.add("complementary_share_last", 100 * d1["complementary"] / (d1["recognized"] + d1["complementary"]),
            "percent", "percent")
    for key, row in (("peak", peak), ("low", low)):
        out.add(f"trr_{key}", row["trr_pct"], "percent", "percent", year=int(row["year"]))
        out.year_of(f"trr_{key}_year", row["year"])
    out.add("case_share_last", case_share(last), "percent", "percent")
    return out


def recognition_rate_figure(last: int) -> dict:
    """Total and refugee-status recognition rates by year."""
    dec = decisions_by_year(FIRST_YEAR, last)
    d0 = dec.iloc[0]
    fig, data = plots.line_chart(dec, "year", ["trr_pct", "refugee_status_pct"], ylabel="% of substantive decisions",
                                 percent=True, labels={"trr_pct": "Total recognition rate",
                                                       "refugee_status_pct": "Refugee status only"})
    plots.headroom(fig, dec["trr_pct"].max())
    return dict(fig=fig, data=data, sources=[SOURCE], units="percent",
                title=f"Recognition rates of asylum claims worldwide, {int(d0['year'])}–{last}",
                caption="Total recognition rate: refugee status plus complementary protection as a share of substantive "
                        "decisions (recognised, complementary protection, rejected); otherwise closed claims are "
                        "excluded. Decisions counted in persons, all instances and procedures.",
                alt="Line chart: the total recognition rate rose from {fact}`trr_first` in {fact}`decisions_first_year` "
                    "to a peak of {fact}`trr_peak` in {fact}`trr_peak_year` and stood at {fact}`trr_last` in "
                    "{fact}`decisions_last_year`; refugee status alone accounts for a smaller share throughout.")


def decisions_figure(last: int) -> dict:
    """Decisions by outcome, stacked, by year."""
    dec = decisions_by_year(FIRST_YEAR, last)
    d0 = dec.iloc[0]
    fig, data = plots.stacked_area(dec, "year", OUTCOMES, ylabel="Decisions (thousands of persons)", scale=1e3,
                                   labels={"recognized": "Refugee status", "complementary": "Complementary protection",
                                           "rejected": "Rejected", "closed": "Otherwise closed"})
    plots.headroom(fig, dec[OUTCOMES].sum(axis=1).max())
    return dict(fig=fig, data=data, sources=[SOURCE], units="persons",
                title=f"Asylum decisions by outcome, {int(d0['year'])}–{last}",
                caption="Decisions on asylum claims taken by States and UNHCR during each year, in persons, all instances.",
                alt="Stacked area chart: substantive decisions grew from {fact}`substantive_first` in "
                    "{fact}`decisions_first_year` to {fact}`substantive_last` in {fact}`decisions_last_year`, while a "
                    "further {fact}`closed_last` claims were closed without a decision on the merits in "
                    "{fact}`decisions_last_year`.")


def origin_facts(last: int, top_n: int, shown: int) -> FactSpecs:
    """The main countries of origin of the year's decisions: the largest, the highest and lowest rate, their share."""
    top = top_origins(last, top_n)
    hi, lo, t1 = top.loc[top["trr_pct"].idxmax()], top.loc[top["trr_pct"].idxmin()], top.iloc[0]
    world = decisions_by_year(FIRST_YEAR, last).iloc[-1]
    out = FactSpecs(year=last, sources=[SOURCE])
    out.add("top_n", top_n, "countries")
    out.add("origin_first", in_text(t1["iso3"]), "country", "text")
    out.add("origin_first_decisions", t1["substantive"], "persons", "compact")
    out.add("origin_first_trr", t1["trr_pct"], "percent", "percent")
    out.add("origins_top_share", 100 * top["substantive"].sum() / world["substantive"], "percent", "percent")
    for key, row in (("high", hi), ("low", lo)):
        out.add(f"origin_{key}", in_text(row["iso3"]), "country", "text")
        out.add(f"origin_{key}_trr", row["trr_pct"], "percent", "percent")
    out.add("origins_shown", shown, "countries")
    out.add("min_decisions", MIN_DECISIONS, "persons")
    others = top["trr_pct"].iloc[1:shown]   # the other origins drawn in origins_figure
    out.add("origins_shown_low_trr", others.min(), "percent", "percent")
    out.add("origins_shown_high_trr", others.max(), "percent", "percent")
    return out


def origins_figure(last: int, top_n: int, shown: int) -> dict:
    """Recognition rate by year of the `shown` main origins of `last`; years with too few decisions are gaps."""
    top = top_origins(last, top_n).head(shown)
    codes = list(top["iso3"])
    rates = origin_rates(codes, FIRST_YEAR, last)
    names = dict(zip(top["iso3"], top["country"]))
    fig, data = plots.line_chart(rates, "year", codes, ylabel="Total recognition rate (%)", percent=True, labels=names)
    plots.break_at_gaps(fig, rates, "year", codes)
    plots.headroom(fig, rates[codes].max().max())
    fig.axes[0].set_yticks(range(0, 101, 20))
    return dict(fig=fig, data=data.rename(columns=names), sources=[SOURCE], units="percent",
                title=f"Total recognition rate for the {shown} main countries of origin of {last}, {FIRST_YEAR}–{last}",
                caption="Countries of origin with most substantive decisions in {fact}`decisions_last_year`. Years "
                        "with fewer than {fact}`min_decisions` substantive decisions for a country are left out.",
                alt="Line chart: in {fact}`decisions_last_year` the recognition rate was {fact}`origin_first_trr` for "
                    "{fact}`origin_first`, the largest origin, while rates for the other main origins ranged from "
                    "{fact}`origins_shown_low_trr` to {fact}`origins_shown_high_trr`; rates for each origin swing "
                    "widely over time.")


def origins_table(last: int, top_n: int) -> dict:
    """Decisions by outcome and rates for the top_n origins of `last`."""
    top = top_origins(last, top_n)
    table = top[["rank", "country", "substantive", "recognized", "complementary", "rejected", "trr_pct",
                 "refugee_status_pct"]].rename(columns={
        "rank": "Rank", "country": "Country of origin", "substantive": "Substantive decisions",
        "recognized": "Refugee status", "complementary": "Complementary protection", "rejected": "Rejected",
        "trr_pct": "Total recognition rate", "refugee_status_pct": "Refugee status rate"})
    return dict(df=table, sources=[SOURCE],
                formats={"Rank": "count", "Total recognition rate": "percent", "Refugee status rate": "percent"},
                title=f"Asylum decisions for the top {top_n} countries of origin, {last}",
                caption="Substantive decisions on asylum claims (persons, all instances) by outcome; rates are shares of "
                        "substantive decisions.")


def solution_facts(last: int) -> FactSpecs:
    """Returns and resettlement: last year, highest and lowest year; resettlement in the first year; naturalisation."""
    sol = solutions_by_year(FIRST_YEAR, last)
    s0, s1 = sol.iloc[0], sol.iloc[-1]
    out = FactSpecs(year=last, sources=[SOURCE])
    out.year_of("solutions_first_year", s0["year"])
    out.year_of("solutions_last_year", last)
    out.add("returns_last", s1["returned_refugees"], "persons", "compact")
    out.add("resettlement_first", s0["resettlement"], "persons", "compact", year=int(s0["year"]))
    out.add("resettlement_last", s1["resettlement"], "persons", "compact")
    for key, col in (("returns", "returned_refugees"), ("resettlement", "resettlement")):
        for end, row in (("peak", sol.loc[sol[col].idxmax()]), ("low", sol.loc[sol[col].idxmin()])):
            out.add(f"{key}_{end}", row[col], "persons", "compact", year=int(row["year"]))
            out.year_of(f"{key}_{end}_year", row["year"])
    out.add("naturalisation_last", s1["naturalisation"], "persons", "compact")
    return out


def returns_figure(last: int) -> dict:
    """Refugee returns by year."""
    sol = solutions_by_year(FIRST_YEAR, last)
    s0 = sol.iloc[0]
    fig, data = plots.line_chart(sol, "year", ["returned_refugees"], ylabel="Refugees returned (millions)", scale=1e6,
                                 labels={"returned_refugees": "Refugees returned to their country of origin"})
    return dict(fig=fig, data=data, sources=[SOURCE], units="persons",
                title=f"Refugee returns, {int(s0['year'])}–{last}",
                caption="Refugees who returned to their country of origin during each year, as reported to UNHCR.",
                alt="Line chart: refugee returns fluctuate widely; the largest number in the period, "
                    "{fact}`returns_peak`, was recorded in {fact}`returns_peak_year`, and {fact}`returns_last` refugees "
                    "returned in {fact}`solutions_last_year`.")


def resettlement_figure(last: int) -> dict:
    """Resettlement and naturalisation by year."""
    sol = solutions_by_year(FIRST_YEAR, last)
    s0 = sol.iloc[0]
    cols = ["resettlement", "naturalisation"]
    fig, data = plots.line_chart(sol, "year", cols, ylabel="Refugees (thousands)", scale=1e3,
                                 labels={"resettlement": "Resettled to a third country",
                                         "naturalisation": "Naturalised in the country of asylum"})
    plots.headroom(fig, sol[cols].max().max())
    return dict(fig=fig, data=data, sources=[SOURCE], units="persons",
                title=f"Refugee resettlement and naturalisation, {int(s0['year'])}–{last}",
                caption="Refugees admitted for resettlement (counted by the receiving country) and refugees naturalised "
                        "during each year; naturalisation is reported by few countries.",
                alt="Line chart: resettlement peaked at {fact}`resettlement_peak` in {fact}`resettlement_peak_year`, "
                    "fell to {fact}`resettlement_low` in {fact}`resettlement_low_year` and stood at "
                    "{fact}`resettlement_last` in {fact}`solutions_last_year`.")


def compact_first_year() -> int:
    """The first full year after the Global Compact on Refugees was affirmed."""
    return int(milestones.milestone(milestones.load_milestones(), "gcr-affirmed")["date"].year) + 1


def resettlement_country_facts(last: int, top_n: int) -> FactSpecs:
    """Resettlement since the refugee compact: total, the largest country and the three largest, with shares."""
    since = compact_first_year()
    res = resettlement_countries(since, last, top_n)
    out = FactSpecs(year=last, sources=[SOURCE])
    out.year_of("compact_first_year", since, sources=[MILESTONES])
    out.add("resettled_since_compact", solutions_by_year(since, last)["resettlement"].sum(), "persons", "compact")
    out.add("resettlement_top", in_text(res["iso3"].iloc[0]), "country", "text")
    out.add("resettlement_top_share", res["share_pct"].iloc[0], "percent", "percent")
    out.add("resettlement_top_resettled", res["resettled"].iloc[0], "persons", "compact")
    out.add("resettlement_top3", ", ".join(in_text(c) for c in res["iso3"].iloc[:3]), "countries", "text")
    out.add("resettlement_top3_share", res["share_pct"].iloc[:3].sum(), "percent", "percent")
    return out


def resettlement_countries_figure(last: int, top_n: int) -> dict:
    """Bars of the top_n resettlement countries since the refugee compact."""
    since = compact_first_year()
    res = resettlement_countries(since, last, top_n)
    fig, _ = plots.bar_chart(res, "country", "resettled", xlabel="Refugees resettled (thousands)", scale=1e3,
                             value_format="{:,.0f}")
    plots.wrap_tick_labels(fig, 30)
    return dict(fig=fig, data=res, sources=[SOURCE, MILESTONES], units="persons",
                title=f"Top {top_n} resettlement countries, {since}–{last}",
                caption="Refugees admitted for resettlement from {fact}`compact_first_year`, the first full year after "
                        "the Global Compact on Refugees was affirmed, to {fact}`solutions_last_year`.",
                alt="Horizontal bar chart: {fact}`resettlement_top` resettled {fact}`resettlement_top_resettled` "
                    "refugees, {fact}`resettlement_top_share` of all resettlement in "
                    "{fact}`compact_first_year`–{fact}`solutions_last_year`; the top three countries together received "
                    "{fact}`resettlement_top3_share`.")
