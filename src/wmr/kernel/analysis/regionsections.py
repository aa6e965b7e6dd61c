"""The sections of a region's chapter run: each returns the facts it records (a FactSpecs) or the keyword
arguments of one figure or table (captions and alt text cite facts by role, so no number is typed twice).

Why: the regions notebook stays prose and short calls; a section's facts are recorded before its figure, whose
caption and alt text may also cite the facts of the region's opening (`regionstory.story`).
"""
from __future__ import annotations

import pandas as pd

from .. import fmt, plots
from ..countries import in_text
from ..facts import FactSpecs
from ..sources import m49
from . import displacement, remittances
from . import regions as R
from .regionstory import Years, indicators


def _ims(y: Years) -> list[str]:
    return [y.ims_source, m49.SOURCE]


def _rem(y: Years) -> list[str]:
    return [*remittances.sources_for(y.remittance_year), m49.SOURCE]


def _unhcr(y: Years) -> list[str]:
    return [displacement.UNHCR, m49.SOURCE]


def _idmc(y: Years) -> list[str]:
    return [*displacement.idp_sources(y.idp_year), m49.SOURCE]


def _people_scale(largest: float) -> tuple[float, str, str]:
    """(scale, unit word, bar label format) of a chart whose largest value is `largest`."""
    scale, unit_word = R.scale_for(largest)
    return scale, unit_word, R.label_format(largest, scale)


# ---------------------------------------------------------------------------------------------- stock trend

def trend_facts(y: Years, region: str) -> FactSpecs:
    """Members, the region's share of the world's immigrants and the coverage of the stock estimates."""
    series = R.stock_series(y.ims_source, region, y.stock_year)
    imm = int(series.iloc[-1]["immigrants"])
    world_total = int(indicators(y)["world"].iloc[0])
    cov_stock = R.stock_coverage(y.ims_source, y.stock_year, region)
    cov_emi = R.emigrant_coverage(y.ims_source, y.stock_year, region)
    f = FactSpecs(year=y.stock_year, sources=_ims(y))
    f.add("n_members", len(R.members(region)), "countries and areas", sources=[m49.SOURCE])
    f.add("immigrants_world_share", 100 * imm / world_total, "percent", "percent")
    f.add("cov_stock", cov_stock.n, "countries and areas", note=cov_stock.missing_list())
    f.add("cov_emigrants", cov_emi.n, "countries and areas", note=cov_emi.missing_list())
    f.year_of("last_year", y.stock_year)   # for the figure's alt text
    return f


def trend_figure(y: Years, region: str) -> dict:
    """Immigrants, emigrants and both (within the region) by year; cites the opening's facts."""
    series = R.stock_series(y.ims_source, region, y.stock_year)
    scale, unit_word, _ = _people_scale(series[["immigrants", "emigrants"]].to_numpy().max())
    fig, data = plots.line_chart(series, "year", ["immigrants", "emigrants", "within"], ylabel=f"Migrants ({unit_word})",
                                 scale=scale, labels={"immigrants": "Immigrants", "emigrants": "Emigrants",
                                                      "within": "Both (within the region)"})
    return dict(fig=fig, data=data, sources=_ims(y), units="persons",
                title=f"{region}: immigrants and emigrants, {int(series.iloc[0]['year'])}–{y.stock_year}",
                caption="Immigrants: international migrants living in the region's countries. Emigrants: people born in "
                        "the region (or its citizens) living in another country, anywhere. Both: emigrants living in "
                        "another country of the region. Region: {fact}`n_members` M49 countries and areas; migrants "
                        "of unspecified origin count only as immigrants.",
                alt=f"Line chart: immigrants in {region} went from {{fact}}`immigrants_first` in {{fact}}`first_year` "
                    "to {fact}`immigrants` in {fact}`last_year`; emigrants born in the region went from "
                    "{fact}`emigrants_first` to {fact}`emigrants`.")


# ---------------------------------------------------------------------------------------------- links between regions

def _links(y: Years, region: str) -> tuple[pd.DataFrame, pd.Series, pd.Series, pd.Series]:
    """(links table, the region's own row, largest other region of origin, largest other region of residence)."""
    lk = R.links(y.ims_source, y.stock_year, region)
    own = lk[lk["group"] == region].iloc[0]
    others = lk[lk["group"].isin([g for g in R.REGIONS if g != region])]
    return (lk, own, others.sort_values("immigrants_from", ascending=False).iloc[0],
            others.sort_values("emigrants_to", ascending=False).iloc[0])


def link_facts(y: Years, region: str) -> FactSpecs:
    """Emigrants staying in the region, the main other region of residence, immigrants of unknown origin."""
    lk, own, _, o_emi = _links(y, region)
    emi = int(R.stock_series(y.ims_source, region, y.stock_year).iloc[-1]["emigrants"])
    f = FactSpecs(year=y.stock_year, sources=_ims(y))
    f.add("within_emi_pct", 100 * own["emigrants_to"] / emi, "percent", "percent")
    f.add("top_other_dest_region", o_emi["group"], "region", "text")
    f.add("top_other_dest_region_migrants", o_emi["emigrants_to"], "persons", "compact")
    f.add("imm_unknown_origin", lk.set_index("group").loc[R.NOT_SPECIFIED, "immigrants_from"], "persons", "compact")
    return f


def links_figure(y: Years, region: str) -> dict:
    """Immigrants by region of origin and emigrants by region of residence, the region itself first."""
    lk, _, o_imm, o_emi = _links(y, region)
    shown = lk[(lk["immigrants_from"] > 0) | (lk["emigrants_to"] > 0)]
    shown = shown.assign(_own=shown["group"] != region).sort_values("_own", kind="stable").drop(columns="_own")
    shown["group"] = shown["group"].replace({region: f"{region} (same region)"})
    scale, unit_word, label = _people_scale(shown[["immigrants_from", "emigrants_to"]].to_numpy().max())
    fig, data = plots.grouped_barh(shown, "group", ["immigrants_from", "emigrants_to"], xlabel=f"Migrants ({unit_word})",
                                   scale=scale, value_format=label,
                                   labels={"immigrants_from": f"Immigrants in {region}, by region of origin",
                                           "emigrants_to": f"Emigrants from {region}, by region of residence"})
    return dict(fig=fig, data=data, sources=_ims(y), units="persons",
                title=f"{region}: migration within the region and with other regions, {y.stock_year}",
                caption=f"Immigrants living in {region} by the region where they were born, and emigrants born in "
                        f"{region} by the region where they live. 'Unallocated': areas outside the M49 regions; "
                        f"'Origin not specified': migrants whose origin UN DESA does not give. Values in {unit_word}.",
                alt=f"Horizontal bar chart: {{fact}}`within_imm_pct` of immigrants in {region} were born elsewhere in "
                    "the region and {fact}`within_emi_pct` of its emigrants lived elsewhere in the region; the largest "
                    f"other region of origin was {o_imm['group']} and the largest other region of residence of "
                    f"emigrants was {o_emi['group']}.")


# ---------------------------------------------------------------------------------------------- countries and corridors

def _ranked(f: FactSpecs, prefix: str, table: pd.DataFrame) -> None:
    """The first three rows as facts: '<prefix>' and '<prefix>_migrants' (rank 1), '<prefix>_2', '<prefix>_2_migrants'..."""
    top = table.iloc[0]
    f.add(prefix, in_text(top["iso3"]), "country", "text", note=top["iso3"])
    f.add(f"{prefix}_migrants", top["migrants"], "persons", "millions" if top["migrants"] >= 1e6 else "count")
    for rank in (2, 3):
        row = table.iloc[rank - 1]
        f.add(f"{prefix}_{rank}", in_text(row["iso3"]), "country", "text", note=row["iso3"])
        f.add(f"{prefix}_{rank}_migrants", row["migrants"], "persons", "compact")


def country_facts(y: Years, region: str, top_n: int) -> FactSpecs:
    """The three largest countries of destination and of origin, the top-n share, the corridors within."""
    dest = R.top_destinations(y.ims_source, y.stock_year, region, top_n)
    imm = int(R.stock_series(y.ims_source, region, y.stock_year).iloc[-1]["immigrants"])
    corr = R.top_corridors(y.ims_source, y.stock_year, region, top_n)
    f = FactSpecs(year=y.stock_year, sources=_ims(y))
    _ranked(f, "top_dest", R.top_destinations(y.ims_source, y.stock_year, region, max(top_n, 3)))
    f.add("top_dest_n", len(dest), "countries")
    f.add("top_dest_share_pct", 100 * dest["migrants"].sum() / imm, "percent", "percent")
    _ranked(f, "top_orig", R.top_origins(y.ims_source, y.stock_year, region, max(top_n, 3)))
    f.add("corridors_within", int(corr["within"].sum()), "corridors")
    f.add("corridors_n", len(corr), "corridors")
    return f


def _ranking_figure(table: pd.DataFrame, label: str, axis: str, wrap: int, **bars) -> tuple[object, str]:
    """A bar chart of `table['migrants']` by `label`, scaled to thousands or millions: (figure, unit word)."""
    scale, unit_word, fmt_ = _people_scale(table["migrants"].max())
    fig, _ = plots.bar_chart(table, label, "migrants", xlabel=f"{axis} ({unit_word})", scale=scale, value_format=fmt_,
                             **bars)
    plots.scaled_ticks(plots.wrap_tick_labels(fig, wrap), scale)
    return fig, unit_word


def _followed_by(ranking: pd.DataFrame) -> str:
    """', followed by B and C' after a ranking's first country (fewer when top_n leaves fewer rows)."""
    rest = list(ranking["country"].iloc[1:3])
    return ", followed by " + " and ".join(rest) if rest else ""


def destinations_figure(y: Years, region: str, top_n: int) -> dict:
    """The region's top-n countries by immigrants."""
    dest = R.top_destinations(y.ims_source, y.stock_year, region, top_n)
    fig, unit_word = _ranking_figure(dest, "country", "Immigrants", 30, size=R.bar_size(len(dest)))
    return dict(fig=fig, data=dest, sources=_ims(y), units="persons",
                title=f"{region}: top {len(dest)} countries of destination, {y.stock_year}",
                caption="The region's countries and areas by number of international migrants living there (both "
                        f"sexes). Values in {unit_word}.",
                alt=f"Horizontal bar chart: {dest.iloc[0]['country']} hosts the most immigrants in {region} "
                    f"({{fact}}`top_dest_migrants`){_followed_by(dest)}.")


def origins_figure(y: Years, region: str, top_n: int) -> dict:
    """The region's top-n countries by emigrants (living anywhere)."""
    orig = R.top_origins(y.ims_source, y.stock_year, region, top_n)
    fig, unit_word = _ranking_figure(orig, "country", "Emigrants", 30, size=R.bar_size(len(orig)))
    return dict(fig=fig, data=orig, sources=_ims(y), units="persons",
                title=f"{region}: top {len(orig)} countries of origin, {y.stock_year}",
                caption="The region's countries and areas by number of people born there (or citizens) living in "
                        f"another country, in any region. Values in {unit_word}.",
                alt=f"Horizontal bar chart: {orig.iloc[0]['country']} has the most emigrants among the countries of "
                    f"{region} ({{fact}}`top_orig_migrants`){_followed_by(orig)}.")


def corridors_figure(y: Years, region: str, top_n: int) -> dict:
    """The largest corridors with at least one end in the region; those inside it highlighted."""
    corr = R.top_corridors(y.ims_source, y.stock_year, region, top_n)
    c1 = corr.iloc[0]
    fig, unit_word = _ranking_figure(corr, "corridor", "Migrants", 44,
                                     highlight=list(corr.loc[corr["within"], "corridor"]))
    return dict(fig=fig, data=corr, sources=_ims(y), units="persons",
                title=f"{region}: largest migration corridors, {y.stock_year}",
                caption="Migrant stock by country of origin and country of destination, for corridors with at least "
                        f"one end in {region}. Orange bars: both countries in the region; blue: one end outside it. "
                        f"Values in {unit_word}.",
                alt=f"Horizontal bar chart: the largest corridor is {c1['origin']} to {c1['destination']} "
                    f"({{fact}}`corridor_migrants`); {{fact}}`corridors_within` of the {{fact}}`corridors_n` largest "
                    f"corridors link two countries of {region}.")


def corridors_prose(y: Years, region: str, top_n: int) -> str:
    """The sentence on how many of the largest corridors stay inside the region."""
    corr = R.top_corridors(y.ims_source, y.stock_year, region, top_n)
    return R.corridors_within_sentence(int(corr["within"].sum()), len(corr))


# ---------------------------------------------------------------------------------------------- remittances

def remittance_facts(y: Years, region: str) -> FactSpecs:
    """Coverage, the three largest recipients and the first one's share of the regional total."""
    rem = R.remittance_inflows(region, y.remittance_year)
    cov = R.remittance_coverage(region, y.remittance_year)
    r1 = rem.iloc[0]
    f = FactSpecs(year=y.remittance_year, sources=_rem(y))
    f.add("cov_remit", cov.n, "countries and areas", note=cov.missing_list())
    f.add("remit_top", in_text(r1["iso3"]), "country", "text", note=r1["iso3"])
    f.add("remit_top_usd", r1["usd"], "US$ (current)", "usd_billions")
    f.add("remit_top_share", 100 * r1["usd"] / rem["usd"].sum(), "percent", "percent")
    for rank in (2, 3):
        row = rem.iloc[rank - 1]
        f.add(f"remit_{rank}", in_text(row["iso3"]), "country", "text", note=row["iso3"])
        f.add(f"remit_{rank}_usd", row["usd"], "US$ (current)", "usd_billions")
    f.year_of("remit_year", y.remittance_year, sources=_rem(y))
    return f


def remittances_figure(y: Years, region: str, top_n: int) -> dict:
    """The region's top-n remittance recipients (US$ billion or million)."""
    rem = R.remittance_inflows(region, y.remittance_year)
    r1, top = rem.iloc[0], rem.head(top_n)
    rscale, runit = (1e9, "billion") if r1["usd"] >= 1e9 else (1e6, "million")
    fig, _ = plots.bar_chart(top, "country", "usd", xlabel=f"US$ {runit} (current)", scale=rscale,
                             value_format=R.label_format(r1["usd"], rscale), size=R.bar_size(len(top)))
    plots.scaled_ticks(plots.wrap_tick_labels(fig, 30), rscale)
    followed = (f"{rem.iloc[1]['country']} and {rem.iloc[2]['country']}." if len(rem) > 2
                else f"{rem.iloc[1]['country']}.")
    return dict(fig=fig, data=top, sources=_rem(y), units="US$ (current)",
                title=f"{region}: top {len(top)} remittance recipients, {y.remittance_year}",
                caption="Remittance inflows to the region's countries and areas in current US dollars (World "
                        "Bank-KNOMAD). Figures for {fact}`cov_remit` of {fact}`n_members` countries and areas; zeros "
                        f"count as no data. Values in US$ {runit}.",
                alt=f"Horizontal bar chart: {r1['country']} received the most remittances in {region} "
                    "({fact}`remit_top_usd`) in {fact}`remit_year`, followed by " + followed)


# ---------------------------------------------------------------------------------------------- displacement

def _refugees(y: Years, region: str) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    ref = R.refugees_by_country(region, y.refugee_year)
    return (ref, ref.sort_values(["hosted", "iso3"], ascending=[False, True]).iloc[0],
            ref.sort_values(["originating", "iso3"], ascending=[False, True]).iloc[0])


def refugee_facts(y: Years, region: str) -> FactSpecs:
    """Coverage of hosts and origins, the largest host and the largest country of origin."""
    ref, h1, g1 = _refugees(y, region)
    cov_host = R.coverage(region, ref.loc[ref["hosted"] > 0, "iso3"])
    cov_orig = R.coverage(region, ref.loc[ref["originating"] > 0, "iso3"])
    f = FactSpecs(year=y.refugee_year, sources=_unhcr(y))
    f.add("cov_ref_hosted", cov_host.n, "countries and areas", note=cov_host.missing_list())
    f.add("cov_ref_origin", cov_orig.n, "countries and areas", note=cov_orig.missing_list())
    f.add("ref_top_host", in_text(h1["iso3"]), "country", "text", note=h1["iso3"])
    f.add("ref_top_host_n", h1["hosted"], "persons", "compact")
    f.add("ref_top_origin", in_text(g1["iso3"]), "country", "text", note=g1["iso3"])
    f.add("ref_top_origin_n", g1["originating"], "persons", "compact")
    return f


def refugees_figure(y: Years, region: str, top_n: int) -> dict:
    """Refugees hosted by and originating from the region's countries with the largest combined numbers."""
    ref, h1, g1 = _refugees(y, region)
    top = ref.head(top_n)
    scale, unit_word, label = _people_scale(top[["hosted", "originating"]].to_numpy().max())
    fig, data = plots.grouped_barh(top, "country", ["hosted", "originating"], xlabel=f"Refugees ({unit_word})",
                                   scale=scale, value_format=label, size=R.bar_size(len(top)),
                                   labels={"hosted": "Refugees hosted", "originating": "Refugees originating from the country"})
    return dict(fig=fig, data=data, sources=_unhcr(y), units="persons",
                title=f"{region}: refugees hosted and originating, end of {y.refugee_year}",
                caption="Refugees under UNHCR's mandate (including refugee-like situations) hosted by and originating "
                        "from the region's countries with the largest combined numbers. Not included: asylum-seekers, "
                        "other people in need of international protection, and Palestine refugees under UNRWA's "
                        f"mandate. Values in {unit_word}.",
                alt=f"Horizontal bar chart: {h1['country']} hosted the most refugees in {region} "
                    f"({{fact}}`ref_top_host_n`) and {g1['country']} was the largest country of origin "
                    "({fact}`ref_top_origin_n`); the region hosted {fact}`refugees_hosted` refugees and "
                    "{fact}`refugees_originating` originated from it.")


def idp_facts(y: Years, region: str) -> FactSpecs:
    """IDPs by cause, the coverage of each, and the country with the most IDPs."""
    idp = R.idps_in_region(region, y.idp_year)
    i1 = idp.iloc[0]
    cov_conf = R.coverage(region, idp.loc[idp["conflict_idps"] > 0, "iso3"])
    cov_dis = R.coverage(region, idp.loc[idp["disaster_idps"] > 0, "iso3"])
    f = FactSpecs(year=y.idp_year, sources=_idmc(y))
    f.add("idps_conflict", idp["conflict_idps"].sum(), "persons", "compact")
    f.add("idps_disaster", idp["disaster_idps"].sum(), "persons", "compact")
    f.add("cov_idp_conflict", cov_conf.n, "countries and areas", note=cov_conf.missing_list())
    f.add("cov_idp_disaster", cov_dis.n, "countries and areas", note=cov_dis.missing_list())
    f.add("idp_top", in_text(i1["iso3"]), "country", "text", note=i1["iso3"])
    f.add("idp_top_n", i1["conflict_idps"] + i1["disaster_idps"], "persons", "compact")
    return f


def idps_figure(y: Years, region: str, top_n: int) -> dict:
    """IDPs by cause in the region's countries with the largest totals."""
    idp = R.idps_in_region(region, y.idp_year)
    top = idp.head(top_n)
    scale, unit_word, label = _people_scale(top[["conflict_idps", "disaster_idps"]].to_numpy().max())
    fig, data = plots.grouped_barh(top, "country", ["conflict_idps", "disaster_idps"], xlabel=f"IDPs ({unit_word})",
                                   scale=scale, value_format=label, size=R.bar_size(len(top)),
                                   labels={"conflict_idps": "Conflict and violence", "disaster_idps": "Disasters"})
    return dict(fig=fig, data=data, sources=_idmc(y), units="persons",
                title=f"{region}: internally displaced persons, end of {y.idp_year}",
                caption="People living in internal displacement at the end of the year because of conflict and violence "
                        "or of disasters (IDMC), in the region's countries with the largest totals; no bar: no figure "
                        f"recorded. Values in {unit_word}.",
                alt=f"Horizontal bar chart: {idp.iloc[0]['country']} had the most IDPs in {region} "
                    "({fact}`idp_top_n`); in the region {fact}`idps_conflict` people were displaced by conflict and "
                    "{fact}`idps_disaster` by disasters.")


# ---------------------------------------------------------------------------------------------- key figures

def key_figures_table(y: Years, region: str) -> dict:
    """The region's main totals with their year and coverage (keyword arguments of Chapter.table)."""
    series = R.stock_series(y.ims_source, region, y.stock_year)
    imm, emi = int(series.iloc[-1]["immigrants"]), int(series.iloc[-1]["emigrants"])
    _, own, _, _ = _links(y, region)
    cov_stock = R.stock_coverage(y.ims_source, y.stock_year, region)
    rem = R.remittance_inflows(region, y.remittance_year)
    ref = R.refugees_by_country(region, y.refugee_year)
    idp = R.idps_in_region(region, y.idp_year)
    rows = [
        ("Immigrants (international migrants living in the region)", fmt.millions(imm), y.stock_year, cov_stock),
        ("Emigrants (born in the region, living in another country)", fmt.millions(emi), y.stock_year,
         R.emigrant_coverage(y.ims_source, y.stock_year, region)),
        ("Immigrants born elsewhere in the region", fmt.percent(100 * own["immigrants_from"] / imm), y.stock_year,
         cov_stock),
        ("Remittance inflows (current US$)", fmt.usd_billions(rem["usd"].sum()), y.remittance_year,
         R.remittance_coverage(region, y.remittance_year)),
        ("Refugees hosted (UNHCR mandate)", fmt.compact(ref["hosted"].sum()), y.refugee_year,
         R.coverage(region, ref.loc[ref["hosted"] > 0, "iso3"])),
        ("Refugees originating from the region", fmt.compact(ref["originating"].sum()), y.refugee_year,
         R.coverage(region, ref.loc[ref["originating"] > 0, "iso3"])),
        ("IDPs, conflict and violence (IDMC)", fmt.compact(idp["conflict_idps"].sum()), y.idp_year,
         R.coverage(region, idp.loc[idp["conflict_idps"] > 0, "iso3"])),
        ("IDPs, disasters (IDMC)", fmt.compact(idp["disaster_idps"].sum()), y.idp_year,
         R.coverage(region, idp.loc[idp["disaster_idps"] > 0, "iso3"])),
    ]
    return dict(df=R.key_figures(rows), sources=sorted({*_ims(y), *_rem(y), *_unhcr(y), *_idmc(y)}),
                title=f"{region}: key figures and their coverage",
                caption="Regional totals over the region's M49 countries and areas; 'With data' counts those that "
                        "contributed to each total (for refugees and IDPs: those with a figure above zero) and the last "
                        "column names those without.")
