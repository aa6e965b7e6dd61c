"""Gender and migration indicators: who migrates, who is displaced and who dies on the way, by sex and age.

- Female shares of international migrants (UN DESA bilateral stocks by sex), worldwide, by WMR region of
  destination (UNSD M49; TWN and XCX have no M49 region and count only in the world total) and by country.
- Refugees and asylum-seekers by sex and age (UNHCR demographics; only 2025 is pinned, and only part of each
  population is disaggregated by sex).
- Dead and missing migrants by sex (IOM Missing Migrants Project; sex is recorded for a minority only).
- IDPs by sex and age (IDMC modelled estimates, 2021-2022; the overlapping bands are reduced to a partition).
"""
from __future__ import annotations

import pandas as pd

from wmr.core.errors import not_covered

from .. import plots
from ..countries import in_text, with_names
from ..facts import FactSpecs
from ..sources import idmc, ims, m49, missing_migrants, naturalearth, unhcr

UNHCR = "unhcr-population"
IDMC = "idmc-gidd"
MMP = "iom-missing-migrants"
WORLD = "World"

# UNHCR population types shown as 'refugees and asylum-seekers', with their labels.
REFUGEE_TYPES = {"REF": "Refugees", "ASY": "Asylum-seekers"}
# UNHCR age bands (column suffixes) -> labels; 'other' is age not known.
UNHCR_AGES = {"0_4": "0–4", "5_11": "5–11", "12_17": "12–17", "18_59": "18–59", "60": "60+", "other": "Age unknown"}
UNHCR_CHILD_AGES = ("0_4", "5_11", "12_17")
# IDMC SADD bands that partition all ages: label -> (bands to add, bands to subtract).
IDMC_AGES = {"0–4": (("0-4",), ()), "5–11": (("5-11",), ()), "12–17": (("12-14", "15-17"), ()),
             "18–24": (("0-24",), ("0-17",)), "25–64": (("25-64",), ()), "65+": (("65+",), ())}
IDMC_CHILD_AGES = ("0–4", "5–11", "12–17")


# ------------------------------------------------------------------------------------------ migrant stocks

def _by_destination_and_sex(ims_source: str) -> pd.DataFrame:
    """year, iso3, female, male, total (persons) for every destination of a by-sex bilateral source."""
    df = ims.load_bilateral(ims_source)
    wide = df.groupby(["year", "dest_iso3", "sex"])["migrants"].sum().unstack("sex", fill_value=0).reset_index()
    wide = wide.rename(columns={"dest_iso3": "iso3"})
    wide["total"] = wide["female"] + wide["male"]
    return wide[["year", "iso3", "female", "male", "total"]]


def female_share_by_region(ims_source: str) -> pd.DataFrame:
    """year, region, female, total, female_share_pct: the world and each WMR region of destination, every year.

    Why: the trend in women's share of migrants and how it differs between regions of destination.
    """
    df = _by_destination_and_sex(ims_source)
    df["region"] = df["iso3"].map(ims.region_of())
    world = df.groupby("year", as_index=False)[["female", "total"]].sum().assign(region=WORLD)
    regions = df.dropna(subset=["region"]).groupby(["year", "region"], as_index=False)[["female", "total"]].sum()
    out = pd.concat([world, regions], ignore_index=True)
    out["female_share_pct"] = 100 * out["female"] / out["total"]
    order = {r: i for i, r in enumerate((WORLD, *m49.WMR_REGIONS))}
    out = out.sort_values(["year", "region"], key=lambda s: s.map(order) if s.name == "region" else s)
    return out[["year", "region", "female", "total", "female_share_pct"]].reset_index(drop=True)


def female_share_wide(ims_source: str) -> pd.DataFrame:
    """year x (World, regions): female share of migrants in percent, one column per region."""
    long = female_share_by_region(ims_source)
    wide = long.pivot(index="year", columns="region", values="female_share_pct")
    return wide[[WORLD, *[r for r in m49.WMR_REGIONS if r in wide.columns]]].reset_index().rename_axis(columns=None)


def region_table(ims_source: str, first: int, last: int) -> pd.DataFrame:
    """Region, migrants, female migrants (last year), female share in first and last year, change in points."""
    long = female_share_by_region(ims_source)
    a = long[long["year"] == first].set_index("region")
    b = long[long["year"] == last].set_index("region")
    out = pd.DataFrame({"Region": b.index, "Migrants": b["total"].to_numpy(), "Women and girls": b["female"].to_numpy(),
                        f"Female share {first} (%)": a.loc[b.index, "female_share_pct"].to_numpy(),
                        f"Female share {last} (%)": b["female_share_pct"].to_numpy()})
    out["Change (percentage points)"] = out[f"Female share {last} (%)"] - out[f"Female share {first} (%)"]
    return out.reset_index(drop=True)


def unassigned_migrants(ims_source: str, year: int) -> int:
    """Migrants living in destinations that M49 assigns to no region (TWN, XCX): in the world total only."""
    df = _by_destination_and_sex(ims_source)
    df = df[(df["year"] == year) & ~df["iso3"].isin(ims.region_of().keys())]
    return int(df["total"].sum())


def country_female_shares(ims_source: str, year: int, min_migrants: int = 0) -> pd.DataFrame:
    """iso3, country, region, subregion, migrants, female, female_share_pct of destinations with >= `min_migrants`.

    Why: ranking countries by female share is only meaningful where the migrant population is not tiny.
    Sorted by female share, highest first (ties by ISO3).
    """
    df = _by_destination_and_sex(ims_source)
    df = df[(df["year"] == year) & (df["total"] >= min_migrants) & (df["total"] > 0)].copy()
    df["female_share_pct"] = 100 * df["female"] / df["total"]
    df["region"] = df["iso3"].map(ims.region_of()).fillna("")
    m = m49.load_m49()
    df["subregion"] = df["iso3"].map(dict(zip(m["iso3"], m["subregion"]))).fillna("")
    df = df.rename(columns={"total": "migrants"}).sort_values(["female_share_pct", "iso3"], ascending=[False, True])
    cols = ["iso3", "region", "subregion", "migrants", "female", "female_share_pct"]
    return with_names(df[cols].reset_index(drop=True))


def extremes(shares: pd.DataFrame, n: int) -> pd.DataFrame:
    """The n highest and n lowest female shares of `country_female_shares`, with a column group."""
    high = shares.head(n).assign(group="highest")
    low = shares.tail(n).assign(group="lowest")
    return pd.concat([high, low], ignore_index=True)


# ------------------------------------------------------------------------------------- refugees (UNHCR)

def demographics_year(last: int) -> int | None:
    """The latest year with UNHCR sex and age data not after `last` (None: the vintage has none so early)."""
    usable = [y for y in demographics_years() if y <= last]
    return usable[-1] if usable else None


SEX_AGE = {
    "available": (
        "UNHCR's sex and age breakdown refers to the end of {fact}`demog_year`. Of the {fact}`ref_asy_total` "
        "refugees and asylum-seekers counted that year, sex is reported for {fact}`ref_disaggregated_pct` of "
        "refugees but only {fact}`asy_disaggregated_pct` of asylum-seekers. Where it is reported, women and girls "
        "made up {fact}`ref_female_pct` of refugees and {fact}`asy_female_pct` of asylum-seekers. Children under "
        "eighteen accounted for {fact}`ref_children_pct` of refugees of known age and {fact}`asy_children_pct` of "
        "asylum-seekers. The two populations thus differ: refugees include many children, while asylum-seekers, "
        "who have applied individually for protection in another country, are more often adults. In the oldest age "
        "band, sixty years and over, UNHCR counted {fact}`older_women` refugee and asylum-seeking women and "
        "{fact}`older_men` men."),
    "missing_later_unused": (
        "UNHCR's sex and age breakdown of refugees and asylum-seekers is not available for {param}`refugee_year` or "
        "earlier in the data of this edition, and later data are not used here."),
    "missing": (
        "UNHCR's sex and age breakdown of refugees and asylum-seekers is not available for {param}`refugee_year` or "
        "earlier in the data of this edition."),
}
DATA_GAPS = {
    "available": (
        "The numbers in this chapter rest on very different foundations. Migrant stocks are estimated by sex for every "
        "country, while refugee statistics report sex for {fact}`ref_disaggregated_pct` of refugees and "
        "{fact}`asy_disaggregated_pct` of asylum-seekers; the records of migrant deaths identify the sex of "
        "{fact}`mmp_recorded_pct` of the victims, and the sex and age of IDPs are modelled rather than counted."),
    "missing": (
        "The numbers in this chapter rest on very different foundations. Migrant stocks are estimated by sex for every "
        "country, while the refugee statistics of this edition have no breakdown by sex for {param}`refugee_year`; "
        "the records of migrant deaths identify the sex of {fact}`mmp_recorded_pct` of the victims, and the sex and "
        "age of IDPs are modelled rather than counted."),
}


def sex_age_key(refugee_year: int) -> str:
    """Which SEX_AGE paragraph fits: the breakdown exists up to `refugee_year`, or not (and whether later data do)."""
    if demographics_year(refugee_year) is not None:
        return "available"
    return "missing_later_unused" if any(y > refugee_year for y in demographics_years()) else "missing"


def sex_age_text(refugee_year: int) -> str:
    """The paragraph on refugees' sex and age (MyST with the facts the notebook records when the data exist)."""
    return SEX_AGE[sex_age_key(refugee_year)]


def data_gaps_text(refugee_year: int) -> str:
    """The closing paragraph on how far each source reports sex."""
    return DATA_GAPS["available" if demographics_year(refugee_year) is not None else "missing"]


def demographics_years() -> list[int]:
    """Years for which UNHCR's sex and age breakdown is pinned (2025 only in this release)."""
    return sorted(int(y) for y in unhcr.load_demographics()["year"].unique())


def refugee_sex_age(year: int) -> pd.DataFrame:
    """age, female, male: refugees and asylum-seekers of `year` by sex and UNHCR age band (persons).

    Only the part of each population that countries report by sex is included (see refugee_sex_summary).
    """
    d = unhcr.load_demographics()
    d = d[(d["year"] == year) & d["pop_type"].isin(REFUGEE_TYPES)]
    if d.empty:
        raise not_covered(f"UNHCR demographics for {year}", year, demographics_years())
    rows = [{"age": label, "female": float(d[f"f_{band}"].sum()), "male": float(d[f"m_{band}"].sum())}
            for band, label in UNHCR_AGES.items()]
    return pd.DataFrame(rows)


def refugee_sex_summary(year: int) -> pd.DataFrame:
    """Per population (Refugees, Asylum-seekers, both): total, female, male, disaggregated_pct, female_share_pct,
    children_pct (ages 0-17 among those of known age) and age_known (persons of known sex and age)."""
    d = unhcr.load_demographics()
    d = d[(d["year"] == year) & d["pop_type"].isin(REFUGEE_TYPES)]
    rows = []
    for label, part in [*((REFUGEE_TYPES[t], d[d["pop_type"] == t]) for t in REFUGEE_TYPES),
                        ("Refugees and asylum-seekers", d)]:
        female, male, total = part["f_total"].sum(), part["m_total"].sum(), part["total"].sum()
        children = sum(part[f"{s}_{b}"].sum() for s in "fm" for b in UNHCR_CHILD_AGES)
        known_age = female + male - part["f_other"].sum() - part["m_other"].sum()
        rows.append({"population": label, "total": float(total), "female": float(female), "male": float(male),
                     "disaggregated_pct": 100 * (female + male) / total, "female_share_pct": 100 * female / (female + male),
                     "children_pct": 100 * children / known_age, "age_known": float(known_age)})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ missing migrants (IOM)

def mmp_by_sex(last: int) -> pd.DataFrame:
    """year, dead_and_missing, female, male, not_recorded, children, recorded_pct, female_share_known_pct.

    Why: IOM records the sex of only part of the dead and missing. female/male are the recorded counts;
    not_recorded = dead_and_missing - female - male, so the three parts add up to the total (in 42 incidents
    the recorded sexes exceed the dead and missing, kept as recorded). Years 2014..last.
    """
    df = missing_migrants.load_incidents()
    df = df[df["year"] <= last]
    out = df.groupby("year", as_index=False).agg(dead_and_missing=("dead_and_missing", "sum"),
                                                 female=("females", "sum"), male=("males", "sum"),
                                                 children=("children", "sum"))
    out["not_recorded"] = out["dead_and_missing"] - out["female"] - out["male"]
    out["recorded_pct"] = 100 * (out["female"] + out["male"]) / out["dead_and_missing"]
    out["female_share_known_pct"] = 100 * out["female"] / (out["female"] + out["male"])
    return out[["year", "dead_and_missing", "female", "male", "not_recorded", "children", "recorded_pct",
                "female_share_known_pct"]]


# ------------------------------------------------------------------------------------------ IDPs (IDMC)

def sadd_year(idp_year: int) -> int:
    """The latest year of IDMC's sex and age estimates not after `idp_year` (2021-2022 are pinned)."""
    years = sorted(int(y) for y in idmc.load_sadd_estimates()["year"].unique())
    usable = [y for y in years if y <= idp_year]
    if not usable:
        raise not_covered(f"IDMC sex and age estimates up to {idp_year}", idp_year, years)
    return usable[-1]


def idp_sex_age(year: int) -> pd.DataFrame:
    """cause, age, female, male: estimated IDPs at the end of `year` by cause, sex and a partition of ages.

    IDMC's bands overlap; 12-17 is 12-14 plus 15-17 and 18-24 is 0-24 minus 0-17 (IDMC_AGES).
    """
    s = idmc.load_sadd_estimates()
    s = s[(s["year"] == year) & s["sex"].isin(["Female", "Male"])]
    band = s.groupby(["cause", "sex", "age"])["idps"].sum()
    rows = []
    for cause in sorted(s["cause"].unique()):
        for label, (plus, minus) in IDMC_AGES.items():
            vals = {sex.lower(): float(sum(band[(cause, sex, b)] for b in plus) - sum(band[(cause, sex, b)] for b in minus))
                    for sex in ("Female", "Male")}
            rows.append({"cause": cause, "age": label, **vals})
    return pd.DataFrame(rows)


def idp_sex_summary(year: int) -> pd.DataFrame:
    """Per cause (Conflict, Disaster, All): idps, female, female_share_pct, children_pct, countries."""
    t = idp_sex_age(year)
    s = idmc.load_sadd_estimates()
    s = s[s["year"] == year]
    rows = []
    for cause, part, n in [*((c, t[t["cause"] == c], s.loc[s["cause"] == c, "iso3"].nunique()) for c in sorted(t["cause"].unique())),
                           ("All", t, s["iso3"].nunique())]:
        female, male = part["female"].sum(), part["male"].sum()
        children = part.loc[part["age"].isin(IDMC_CHILD_AGES), ["female", "male"]].to_numpy().sum()
        rows.append({"cause": cause, "idps": female + male, "female": female,
                     "female_share_pct": 100 * female / (female + male), "children_pct": 100 * children / (female + male),
                     "countries": int(n)})
    return pd.DataFrame(rows)


def mmp_missing_share(year: int) -> float:
    """Percentage of the dead and missing of `year` counted as missing (bodies not found)."""
    df = missing_migrants.load_incidents()
    df = df[df["year"] == year]
    return float(100 * df["missing"].sum() / df["dead_and_missing"].sum())


# ---------------------------------------------------------------------------------------------- the chapter
# Facts (FactSpecs: keyword arguments of Chapter.fact) and figures/tables (keyword arguments of Chapter.figure
# and Chapter.table, chart included) of chapter 6, so the notebook reads as the chapter's prose and short calls.
# Captions and alt text cite the section's facts by {fact} role: record the facts before the figure.

M49 = "unsd-m49"
LOW_SHARE = 30     # percent: a 'low' female share of migrants, a class boundary of the map too
MAJORITY = 50      # percent: women and girls are the majority of migrants at or above it
AXIS_FLOOR = 30    # percent: where the vertical axis of the regional trend starts (the shares lie well above it)


def _pct(value: float) -> str:
    """A whole percentage as it is typed in captions ('30%')."""
    return f"{value}%"


def stock_facts(ims_source: str, year: int) -> FactSpecs:
    """Female migrants worldwide and by region of destination: the first and the given year, extremes and changes."""
    by_region = female_share_by_region(ims_source)
    first = int(by_region["year"].min())
    regional = by_region[by_region["region"] != WORLD]
    now = regional[regional["year"] == year].set_index("region")
    then = regional[regional["year"] == first].set_index("region")
    world = by_region[by_region["region"] == WORLD].set_index("year")
    change = (now["female_share_pct"] - then["female_share_pct"]).sort_values()
    hi, lo = now["female_share_pct"].idxmax(), now["female_share_pct"].idxmin()
    ims_m49 = [ims_source, M49]
    out = FactSpecs(year=year, sources=[ims_source])
    out.year_of("first_year", first)
    out.year_of("last_year", year)
    out.add("female_share_first", world.loc[first, "female_share_pct"], "percent", "percent", year=first)
    out.add("female_share_world", world.loc[year, "female_share_pct"], "percent", "percent")
    out.add("female_migrants", world.loc[year, "female"], "persons", "millions")
    out.add("migrants_total", world.loc[year, "total"], "persons", "millions")
    out.add("male_migrants_more", world.loc[year, "total"] - 2 * world.loc[year, "female"], "persons", "millions")
    for key, region in (("highest", hi), ("lowest", lo)):
        out.add(f"region_{key}", region, "region", "text")
        out.add(f"region_{key}_pct", now.loc[region, "female_share_pct"], "percent", "percent")
    out.add("region_lowest_first_pct", then.loc[lo, "female_share_pct"], "percent", "percent", year=first)
    for key, region, points in (("fall", change.index[0], -change.iloc[0]), ("rise", change.index[-1], change.iloc[-1])):
        out.add(f"region_biggest_{key}", region, "region", "text")
        out.add(f"region_biggest_{key}_pp", points, "percentage points", display=f"{points:.1f}")
    out.add("regions_n", len(now), "regions", sources=ims_m49)
    out.add("regions_majority_female", int((now["female_share_pct"] >= MAJORITY).sum()), "regions")
    out.add("unassigned_migrants", unassigned_migrants(ims_source, year), "persons", "count", sources=ims_m49)
    out.add("axis_floor_pct", AXIS_FLOOR, "percent", "percent", display=_pct(AXIS_FLOOR))
    return out


def regions_figure(ims_source: str, year: int) -> dict:
    """The female share of migrants by year, worldwide and by region (lines); cites stock_facts."""
    wide = female_share_wide(ims_source)
    regions = [WORLD, *[c for c in wide.columns if c not in ("year", WORLD)]]
    fig, data = plots.line_chart(wide, "year", regions, ylabel="Female share of migrants (%)", percent=True)
    fig.axes[0].set_ylim(AXIS_FLOOR, 60)
    fig.axes[0].legend(loc="lower left", ncols=3, fontsize=7.5)
    return dict(fig=fig, data=data, sources=[ims_source, M49], units="percent",
                title=f"Female share of international migrants by region of destination, {int(wide['year'].min())}–{year}",
                caption="Female migrants as a percentage of all international migrants at mid-year, worldwide and in "
                        "each region of destination (UN M49 regions, the Americas split in two). The vertical axis "
                        "starts at {fact}`axis_floor_pct`.",
                alt="Line chart: the world's female share of migrants moved from {fact}`female_share_first` in "
                    "{fact}`first_year` to {fact}`female_share_world` in {fact}`last_year`; {fact}`region_highest` "
                    "had the highest share in {fact}`last_year` ({fact}`region_highest_pct`) and {fact}`region_lowest` "
                    "the lowest ({fact}`region_lowest_pct`, against {fact}`region_lowest_first_pct` in "
                    "{fact}`first_year`).")


def regions_table(ims_source: str, year: int) -> dict:
    """Migrants by sex and region in `year`, the female share then and in the first year, the change (signed)."""
    first = int(female_share_by_region(ims_source)["year"].min())
    table = region_table(ims_source, first, year)
    table["Change (percentage points)"] = [f"{v:+.1f}" for v in table["Change (percentage points)"]]
    return dict(df=table, sources=[ims_source, M49], formats={c: "percent" for c in table.columns if "%" in c},
                title=f"International migrants by sex and region of destination, {first} and {year}",
                caption="Migrants and female migrants in {fact}`last_year` (persons) and the female share of migrants "
                        "in {fact}`first_year` and {fact}`last_year`; change in percentage points. Regions exclude "
                        "areas without an M49 region.")


def country_facts(ims_source: str, year: int, min_migrants: int, top_n: int) -> FactSpecs:
    """The ranking of countries by female share (with at least `min_migrants`) and the map of all countries."""
    shares = country_female_shares(ims_source, year, min_migrants)
    every = country_female_shares(ims_source, year)
    top, bottom = shares.iloc[0], shares.iloc[-1]
    low_regions = extremes(shares, top_n).query("group == 'lowest'")["subregion"].value_counts()
    out = FactSpecs(year=year, sources=[ims_source])
    out.add("countries_ranked", len(shares), "countries")
    out.add("min_migrants", min_migrants, "persons")
    out.add("top_n", top_n, "countries")
    for key, row in (("highest", top), ("lowest", bottom)):
        out.add(f"country_{key}", in_text(row["iso3"]), "country", "text")
        out.add(f"country_{key}_pct", row["female_share_pct"], "percent", "percent")
    out.add("low_share", LOW_SHARE, "percent", "percent", display=_pct(LOW_SHARE))
    out.add("majority_share", MAJORITY, "percent", "percent", display=_pct(MAJORITY))
    out.add("countries_below_low", int((shares["female_share_pct"] < LOW_SHARE).sum()), "countries")
    out.add("countries_majority_female", int((shares["female_share_pct"] >= MAJORITY).sum()), "countries")
    out.add("lowest_main_region", low_regions.index[0], "region", "text", sources=[ims_source, M49])
    out.add("lowest_main_region_n", int(low_regions.iloc[0]), "countries", sources=[ims_source, M49])
    out.add("map_countries", len(every), "countries")
    out.add("map_below_low", int((every["female_share_pct"] < LOW_SHARE).sum()), "countries")
    out.add("map_majority_female", int((every["female_share_pct"] >= MAJORITY).sum()), "countries")
    out.add("map_lowest", ", ".join(every.tail(3)["country"]), "countries", "text")
    return out


def extremes_figure(ims_source: str, year: int, min_migrants: int, top_n: int) -> dict:
    """The top_n highest and lowest female shares (bars, the lowest highlighted); cites country_facts."""
    ext = extremes(country_female_shares(ims_source, year, min_migrants), top_n)
    fig, _ = plots.bar_chart(ext, "country", "female_share_pct", xlabel="Female share of migrants (%)",
                             highlight=list(ext.loc[ext["group"] == "lowest", "country"]), size="tall")
    fig.axes[0].axvline(MAJORITY, color=plots.style.MUTED, linestyle="--", linewidth=1)
    cols = ["iso3", "country", "region", "subregion", "migrants", "female", "female_share_pct", "group"]
    return dict(fig=fig, data=ext[cols], sources=[ims_source, M49], units="percent",
                title=f"Countries with the highest and lowest female shares of migrants, {year}",
                caption="The {fact}`top_n` highest (blue) and {fact}`top_n` lowest (orange) female shares among the "
                        "{fact}`countries_ranked` countries and areas hosting at least {fact}`min_migrants` "
                        "international migrants; dashed line: {fact}`majority_share`.",
                alt="Horizontal bar chart: {fact}`country_highest` has the highest female share of migrants "
                    "({fact}`country_highest_pct`) and {fact}`country_lowest` the lowest ({fact}`country_lowest_pct`); "
                    "{fact}`lowest_main_region_n` of the {fact}`top_n` lowest shares are in {fact}`lowest_main_region`.")


def map_figure(ims_source: str, year: int) -> dict:
    """World map of the female share of migrants in every country with an estimate; cites country_facts."""
    fig, data = plots.world_map(naturalearth.load_countries(), country_female_shares(ims_source, year), iso3="iso3",
                                value="female_share_pct", bins=[0, LOW_SHARE, 40, 45, MAJORITY, 55, 100],
                                legend_title="Female share of international migrants (%)")
    return dict(fig=fig, data=data, sources=[ims_source, naturalearth.SOURCE], units="percent",
                title=f"Female share of international migrants by country of destination, {year}",
                caption="Female migrants as a percentage of all migrants in each country or area, whatever the number "
                        "of migrants; hatched: no estimate. Boundaries are illustrative and imply no official "
                        "endorsement.",
                alt="World map: {fact}`map_below_low` countries or areas have female shares of migrants below "
                    "{fact}`low_share`, the lowest in {fact}`map_lowest`; in {fact}`map_majority_female` of the "
                    "{fact}`map_countries` with an estimate women and girls are the majority of migrants.")


def refugee_facts(refugee_year: int) -> FactSpecs:
    """Refugees and asylum-seekers by sex and age in the latest year of UNHCR's breakdown (none: no facts)."""
    year = demographics_year(refugee_year)
    out = FactSpecs(year=year, sources=[UNHCR])
    if year is None:
        return out
    summ = refugee_sex_summary(year).set_index("population")
    ref, asy, both = summ.loc["Refugees"], summ.loc["Asylum-seekers"], summ.loc["Refugees and asylum-seekers"]
    ages = refugee_sex_age(year).set_index("age")
    out.year_of("demog_year", year)
    for key, row in (("ref", ref), ("asy", asy)):
        out.add(f"{key}_female_pct", row["female_share_pct"], "percent", "percent")
        out.add(f"{key}_disaggregated_pct", row["disaggregated_pct"], "percent", "percent")
        out.add(f"{key}_children_pct", row["children_pct"], "percent", "percent")
    out.add("ref_asy_total", both["total"], "persons", "millions")
    out.add("ref_asy_disaggregated_pct", both["disaggregated_pct"], "percent", "percent")
    out.add("ref_asy_adults", ages.loc[UNHCR_AGES["18_59"]].sum(), "persons", "millions")
    out.add("older_women", ages.loc[UNHCR_AGES["60"], "female"], "persons", "count")
    out.add("older_men", ages.loc[UNHCR_AGES["60"], "male"], "persons", "count")
    return out


def refugees_figure(refugee_year: int) -> dict:
    """Refugees and asylum-seekers by sex and age band (bars); cites refugee_facts."""
    year = demographics_year(refugee_year)
    fig, data = plots.grouped_bars(refugee_sex_age(year), "age", ["female", "male"], ylabel="People (millions)",
                                   scale=1e6, labels={"female": "Women and girls", "male": "Men and boys"})
    return dict(fig=fig, data=data.assign(year=year), sources=[UNHCR], units="persons",
                title=f"Refugees and asylum-seekers by sex and age, end of {year}",
                caption="Refugees under UNHCR's mandate and asylum-seekers whose sex is reported "
                        "({fact}`ref_asy_disaggregated_pct` of the {fact}`ref_asy_total`), by age band.",
                alt="Bar chart: among refugees and asylum-seekers reported by sex at the end of {fact}`demog_year`, "
                    "women and men are nearly equal in number in most age bands; adults under sixty are the largest "
                    "group ({fact}`ref_asy_adults`); at ages sixty and over there are {fact}`older_women` women and "
                    "{fact}`older_men` men.")


def mmp_facts(year: int) -> FactSpecs:
    """Dead and missing migrants of `year` by recorded sex, with the coverage then and in the first year."""
    mmp = mmp_by_sex(year)
    m0, m1 = mmp.iloc[0], mmp[mmp["year"] == year].iloc[0]
    first = int(m0["year"])
    out = FactSpecs(year=year, sources=[MMP])
    out.year_of("mmp_first_year", first)
    out.year_of("mmp_last_year", year)
    out.add("mmp_dead_missing", m1["dead_and_missing"], "persons")
    out.add("mmp_recorded_pct", m1["recorded_pct"], "percent", "percent")
    out.add("mmp_women", m1["female"], "persons")
    out.add("mmp_men", m1["male"], "persons")
    out.add("mmp_not_recorded", m1["not_recorded"], "persons")
    out.add("mmp_children", m1["children"], "persons")
    out.add("mmp_female_share_known", m1["female_share_known_pct"], "percent", "percent")
    out.add("mmp_women_all", mmp["female"].sum(), "persons")
    out.add("mmp_missing_pct", mmp_missing_share(year), "percent", "percent")
    out.add("mmp_recorded_pct_first", m0["recorded_pct"], "percent", "percent", year=first)
    return out


def mmp_figure(year: int) -> dict:
    """Dead and missing by year, stacked by recorded sex and 'not recorded'; cites mmp_facts."""
    mmp = mmp_by_sex(year)
    fig, data = plots.stacked_bars(mmp[["year", "female", "male", "not_recorded"]], "year",
                                   ["female", "male", "not_recorded"], ylabel="Dead and missing (thousands)", scale=1e3,
                                   labels={"female": "Women and girls", "male": "Men and boys",
                                           "not_recorded": "Sex not recorded"},
                                   colors=[plots.style.ACCENT, plots.style.PALETTE[1], "#c8c8c8"])
    return dict(fig=fig, data=data, sources=[MMP], units="persons",
                title=f"Migrants recorded dead or missing by sex, {int(mmp['year'].min())}–{year}",
                caption="Deaths and disappearances recorded by the IOM Missing Migrants Project by year of the "
                        "incident, split into those recorded as female or male and those whose sex was not recorded. "
                        "Minimum estimates.",
                alt="Stacked bar chart: in {fact}`mmp_last_year`, {fact}`mmp_dead_missing` migrants were recorded dead "
                    "or missing; {fact}`mmp_women` were recorded as women or girls and {fact}`mmp_men` as men or "
                    "boys, while the sex of the other {fact}`mmp_not_recorded` was not recorded.")


def idp_facts(idp_year: int) -> FactSpecs:
    """IDPs by sex and age in the latest year of IDMC's estimates: totals, female shares, children, the oldest."""
    year = sadd_year(idp_year)
    isum = idp_sex_summary(year).set_index("cause")
    oldest = idp_sex_age(year).groupby("age")[["female", "male"]].sum().loc["65+"]
    out = FactSpecs(year=year, sources=[IDMC])
    out.year_of("sadd_year", year)
    out.add("idp_sadd_total", isum.loc["All", "idps"], "persons", "millions")
    out.add("idp_sadd_countries", isum.loc["All", "countries"], "countries")
    out.add("idp_female_pct", isum.loc["All", "female_share_pct"], "percent", "percent")
    out.add("idp_female", isum.loc["All", "female"], "persons", "millions")
    out.add("idp_conflict_female_pct", isum.loc["Conflict", "female_share_pct"], "percent", "percent")
    out.add("idp_disaster_female_pct", isum.loc["Disaster", "female_share_pct"], "percent", "percent")
    out.add("idp_children_pct", isum.loc["All", "children_pct"], "percent", "percent")
    out.add("idp_older_women", oldest["female"], "persons", "millions")
    out.add("idp_older_men", oldest["male"], "persons", "millions")
    return out


def idp_figure(idp_year: int) -> dict:
    """IDPs by sex and age band, both causes together (bars); cites idp_facts."""
    year = sadd_year(idp_year)
    both = idp_sex_age(year).groupby("age", sort=False, as_index=False)[["female", "male"]].sum()
    fig, data = plots.grouped_bars(both, "age", ["female", "male"], ylabel="IDPs (millions)", scale=1e6,
                                   labels={"female": "Women and girls", "male": "Men and boys"})
    return dict(fig=fig, data=data, sources=[IDMC], units="persons",
                title=f"Internally displaced persons by sex and age, end of {year}",
                caption="IDMC's modelled estimates of people displaced by conflict, violence and disasters at the end "
                        "of {fact}`sadd_year` in the {fact}`idp_sadd_countries` countries and areas it estimates, by "
                        "sex and age band (bands differ in width); the bands from twelve to seventeen and from "
                        "eighteen to twenty-four years are derived from IDMC's overlapping bands.",
                alt="Bar chart: internally displaced women and girls ({fact}`idp_female`) and men and boys are about "
                    "equal in number in most age bands, the largest being ages twenty-five to sixty-four; at ages "
                    "sixty-five and over there are {fact}`idp_older_women` women and {fact}`idp_older_men` men.")
