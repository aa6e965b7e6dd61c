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

from ..countries import with_names
from ..sources import idmc, ims, m49, missing_migrants, unhcr

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
