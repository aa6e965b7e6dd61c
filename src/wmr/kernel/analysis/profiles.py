"""Country and area profiles: every indicator of one country or area, from the edition's pins.

The profile notebook runs once per country or area with migrant-stock estimates in the edition (the
destinations of its bilateral source). So that each run is cheap, the indicators of all countries are
computed once per set of pins and parameters into three small tables (`Tables`), cached as one parquet
(`tidycache`, keyed by the sha256 of every file they read); a run only picks its rows.

Two functions are the single points of truth the rest of the module goes through:
- `display_name(iso3)`: every country name a profile shows;
- `denominator(ims_source, year)`: the population every "% of population" divides by.

Every other quantity a chapter also states comes from the chapter's own choice of source, vintage and year:
immigrants and emigrants from the bilateral table (`ims.stock_by_destination`/`stock_by_origin` sums), the
population from the edition's official workbook (`migrants.country_shares`), remittances received from the
vintage `remittances.source_for` picks (Data360 for 2023), IDP stocks from `displacement.idps_by_country` (iom-gdidata
after 2023), regions from `m49.region_of`. `inputs()` is derived from the same choices and the loaders' file
constants, so the cache key follows any change of pin or vintage.

A value a source does not have is missing (NaN), never 0, and the profile says so in its coverage notes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from wmr.core.errors import ConfigError

from .. import countries, pins
from ..facts import FactSpecs, make_fact
from ..sources import countrynames, hdi, idmc, ims, m49
from ..sources import remittances as rem
from ..sources import unhcr
from ..tidycache import cached_table
from . import displacement, migrants, remittances

VERSION = "3"
TOP_N = 5
UNHCR = unhcr.SOURCE
IDMC = idmc.SOURCE          # new displacements (country-year, 2023 figure-level and events files)
REMITTANCES = rem.SOURCE    # remittance outflows and received as % of GDP (June 2023 KNOMAD and WDI files)
HDI = hdi.SOURCE
NO_REGION = "Outside the M49 regions"


# ------------------------------------------------------------------------------- the two points of truth

def display_name(iso3: str) -> str:
    """The one name a profile shows for a country or area: the report's naming table (`countries.name`)."""
    return countries.name(iso3)


# The pinned files `display_name` reads (countries.name: IOM house style, M49 names from OCHA otherwise).
# Listed so every run logs them, also when a kept kernel has the names in memory already.
NAME_INPUTS = [(countrynames.IOM, countrynames.IOM_FILE), (countrynames.OCHA, countrynames.OCHA_FILE)]
NAME_SOURCES = list(countries.SOURCES)


def denominator(ims_source: str, year: int) -> pd.DataFrame:
    """Population each immigrant share divides by: iso3, population, population_year (the edition's own)."""
    return migrants.country_shares(ims_source, year)[["iso3", "population", "population_year"]]


def denominator_source(ims_source: str) -> str:
    """The pinned source of `denominator`."""
    return migrants.population_source(ims_source)


# The file of each official destination workbook (`ims.WORKBOOKS`), from the loaders' own constants.
_WORKBOOK_FILES = {ims.SOURCE_2024: ims.FILE_2024, ims.SOURCE_2020: ims.FILE_2020, ims.SOURCE_2019: ims.FILE_2019}


def denominator_inputs(ims_source: str) -> list[tuple[str, str]]:
    """The pinned files `denominator` reads: the edition's official workbook (and M49, which its loader reads)."""
    return [(denominator_source(ims_source), _WORKBOOK_FILES[denominator_source(ims_source)]), (m49.SOURCE, m49.FILE)]


def region_inputs() -> list[tuple[str, str]]:
    """The pinned files `m49.region_of` reads: the M49 overview and the 2020 workbook UN DESA allocates from."""
    return [(m49.SOURCE, m49.FILE), *denominator_inputs("undesa-ims-2020-bilateral")]


def received_sources(year: int) -> list[str]:
    """Sources of remittances received in `year`: the chapters' vintage (`remittances.sources_for`)."""
    return remittances.sources_for(year)


def received_inputs(year: int) -> list[tuple[str, str]]:
    """Files `remittances.source_for(year)` reads: every inflow vintage up to the one it picks."""
    chosen = remittances.source_for(year)
    vintages = rem.INFLOW_SOURCES[:rem.INFLOW_SOURCES.index(chosen) + 1]
    return [f for v in vintages for f in rem.INFLOW_FILES[v]]


_OUTFLOW_FILES = {rem.SOURCE: [(rem.SOURCE, rem.KNOMAD_OUTFLOWS), (rem.SOURCE, rem.NAMES_FILE)],
                  rem.DATA360: [(rem.DATA360, rem.DATA360_FILE)]}


def sent_source(year: int) -> str:
    """The vintage of remittances sent in `year`: the one received come from (`remittances.source_for`), so a
    profile shows both for the same year; each pinned vintage holds inflows and outflows."""
    return remittances.source_for(year)


def sent_inputs(year: int) -> list[tuple[str, str]]:
    """Files remittances sent in `year` are read from; the % of GDP comes from the June 2023 KNOMAD file."""
    return [*_OUTFLOW_FILES[sent_source(year)], *_OUTFLOW_FILES[rem.SOURCE]]


def idp_inputs(year: int) -> list[tuple[str, str]]:
    """Files the chapters' IDP stocks by country (`displacement.idps_by_country`) read for the end of `year`."""
    if displacement.idp_source(year) == displacement.GDIDATA:
        return [(idmc.GDIDATA, f) for f in idmc.GDIDATA_FILES]
    file = idmc.FILE_COUNTRY_YEAR if year <= displacement.COUNTRY_YEAR_LAST else idmc.FILE_DISAGGREGATED
    return [(IDMC, file)]


def new_displacement_inputs(year: int) -> list[tuple[str, str]]:
    """Files `new_displacements_by_country(year)` reads (those of `displacement.new_displacements`)."""
    if year <= displacement.COUNTRY_YEAR_LAST:
        return [(IDMC, idmc.FILE_COUNTRY_YEAR)]
    return [(IDMC, idmc.FILE_DISAGGREGATED if year == displacement.DISAGGREGATED_YEAR else idmc.FILE_EVENTS)]


# ------------------------------------------------------------------------------- which profiles exist

def profile_codes(ims_source: str) -> list[str]:
    """ISO3 codes of every country or area with migrant-stock estimates in `ims_source` (sorted)."""
    if ims_source not in ims.BILATERAL:
        raise ConfigError(f"'{ims_source}' is not a by-sex bilateral migrant stock source.",
                          expected="one of: " + ", ".join(ims.BILATERAL), got=ims_source,
                          fix="set ims_source in the edition's [parameters] to a bilateral source")
    return sorted(ims.load_bilateral(ims_source)["dest_iso3"].unique())


# ------------------------------------------------------------------------------- shared tables

@dataclass(frozen=True)
class Params:
    """The edition parameters a profile depends on."""

    ims_source: str
    stock_year: int
    remittance_year: int
    refugee_year: int
    idp_year: int
    displacement_year: int
    hdi_year: int

    def tag(self) -> str:
        return "-".join(str(v) for v in vars(self).values())


UNHCR_POPULATION = (UNHCR, "population.rda")  # the file `unhcr.load_population` reads ('<stem>.rda')


@pins.memo(maxsize=8)
def _inputs(p: Params) -> tuple[tuple[str, str], ...]:
    files = [(p.ims_source, ims.BILATERAL[p.ims_source][0]), *denominator_inputs(p.ims_source), *NAME_INPUTS,
             *region_inputs(), UNHCR_POPULATION, *idp_inputs(p.idp_year), *new_displacement_inputs(p.displacement_year),
             *received_inputs(p.remittance_year), *sent_inputs(p.remittance_year),
             (REMITTANCES, rem.WDI_FILES["pct_gdp"][0]), (HDI, hdi.FILE)]
    return tuple(dict.fromkeys(files))


def inputs(p: Params) -> list[tuple[str, str]]:
    """Every pinned file the shared tables are computed from (their sha256 key the cache and the run).

    Derived from the loaders' own file constants and the chapters' source choices (`source_for`,
    `idp_source`), so a new vintage or file changes the key without anyone editing a list here.
    """
    if p.ims_source not in ims.BILATERAL:
        profile_codes(p.ims_source)  # raises the ConfigError
    return list(_inputs(p))


@dataclass
class Tables:
    """All profiles' data: `summary` (one row per country), `stock` (per year), `links` (top partners)."""

    summary: pd.DataFrame
    stock: pd.DataFrame
    links: pd.DataFrame


def _stock(p: Params) -> pd.DataFrame:
    """iso3, year, immigrants, female_immigrants, emigrants (persons) for every year up to stock_year."""
    b = ims.load_bilateral(p.ims_source)
    b = b[b["year"] <= p.stock_year]
    imm = b.groupby(["dest_iso3", "year"])["migrants"].sum()
    fem = b[b["sex"] == "female"].groupby(["dest_iso3", "year"])["migrants"].sum()
    emi = b.groupby(["origin_iso3", "year"])["migrants"].sum()
    out = pd.DataFrame({"immigrants": imm, "female_immigrants": fem.reindex(imm.index)})
    out.index.names = ["iso3", "year"]
    emi.index.names = ["iso3", "year"]
    out = out.join(emi.rename("emigrants"), how="left").reset_index()
    return out.astype({"immigrants": "float64", "female_immigrants": "float64", "emigrants": "float64"})


def _links(p: Params) -> pd.DataFrame:
    """kind ('origin' of immigrants / 'destination' of emigrants), iso3, rank, partner, migrants: top TOP_N."""
    b = ims.load_bilateral(p.ims_source)
    b = b[(b["year"] == p.stock_year) & (b["origin_iso3"] != ims.UNKNOWN_ORIGIN)]
    pairs = b.groupby(["dest_iso3", "origin_iso3"], as_index=False)["migrants"].sum()
    pairs = pairs[pairs["migrants"] > 0]
    parts = []
    for kind, own, other in (("origin", "dest_iso3", "origin_iso3"), ("destination", "origin_iso3", "dest_iso3")):
        top = pairs.sort_values([own, "migrants", other], ascending=[True, False, True]).groupby(own).head(TOP_N)
        top = top.rename(columns={own: "iso3", other: "partner"})[["iso3", "partner", "migrants"]]
        top.insert(0, "kind", kind)
        top.insert(2, "rank", top.groupby("iso3").cumcount() + 1)
        parts.append(top)
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"migrants": "float64"})


def _positive(series: pd.Series) -> pd.Series:
    """KNOMAD zeros often stand for 'no data': only positive values count as figures."""
    return series.where(series > 0)


def _latest(df: pd.DataFrame, value: str, year: int) -> pd.DataFrame:
    """iso3, value, value_year: the latest non-missing value of each country not after `year`."""
    d = df[(df["year"] <= year) & df[value].notna()].sort_values(["iso3", "year"]).groupby("iso3").tail(1)
    return d[["iso3", value, "year"]].rename(columns={"year": f"{value}_year"})


def new_displacements_by_country(year: int) -> pd.DataFrame:
    """iso3, conflict_new, disaster_new in `year` from the same IDMC files as `displacement.new_displacements`."""
    if year <= displacement.COUNTRY_YEAR_LAST:
        cy = idmc.load_country_year()
        cy = cy[cy["year"] == year]
        return pd.DataFrame({"iso3": cy["iso3"], "conflict_new": cy["conflict_new"], "disaster_new": cy["disaster_new"]})
    if year == displacement.DISAGGREGATED_YEAR:
        d = idmc.load_disaggregated_2023()
        d = d[d["category"] == "Internal Displacements"]
        t = d.groupby(["iso3", "cause"])["total_figures"].sum().unstack("cause")
        return pd.DataFrame({"iso3": t.index, "conflict_new": t.get("Conflict"), "disaster_new": t.get("Disaster")})
    ev = idmc.load_disaster_events()
    ev = ev[ev["year"] == year].groupby("iso3", as_index=False)["displacements"].sum()
    return pd.DataFrame({"iso3": ev["iso3"], "conflict_new": float("nan"), "disaster_new": ev["displacements"]})


def _summary(p: Params, codes: list[str]) -> pd.DataFrame:
    """One row per profile: names, region, population, refugees, IDPs, remittances and HDI."""
    out = pd.DataFrame({"iso3": codes})
    out["name"] = [display_name(c) for c in codes]
    geo = m49.load_m49().set_index("iso3")
    out["region"] = out["iso3"].map(ims.region_of()).fillna(NO_REGION)  # UN DESA's allocation of non-M49 areas
    out["subregion"] = out["iso3"].map(geo["subregion"]).fillna("")
    out = out.merge(denominator(p.ims_source, p.stock_year), on="iso3", how="left")
    pop = unhcr.load_population()
    pop = pop[pop["year"] == p.refugee_year]
    for side, col in (("hosted", "coa_iso"), ("originating", "coo_iso")):
        g = pop.groupby(col)[["refugees", "asylum_seekers"]].sum()
        out[f"{side}_refugees"] = out["iso3"].map(g["refugees"])
        out[f"{side}_asylum_seekers"] = out["iso3"].map(g["asylum_seekers"])
    idps = displacement.idps_by_country(p.idp_year).set_index("iso3")
    out["conflict_idps"] = out["iso3"].map(idps["conflict_idps"])
    out["disaster_idps"] = out["iso3"].map(idps["disaster_idps"])
    new = new_displacements_by_country(p.displacement_year).groupby("iso3").sum(min_count=1)
    out["conflict_new"] = out["iso3"].map(new["conflict_new"])
    out["disaster_new"] = out["iso3"].map(new["disaster_new"])
    inflows = rem.load_inflows(remittances.source_for(p.remittance_year))  # the chapters' vintage for the year
    inflows = inflows[(inflows["kind"] == "country") & (inflows["year"] == p.remittance_year)]
    out["received_usd"] = out["iso3"].map(_positive(inflows.set_index("iso3")["usd"]))
    outflows = rem.load_outflows(sent_source(p.remittance_year))
    sent_year = min(p.remittance_year, int(outflows["year"].max()))  # a vintage whose outflows stop earlier
    sent = outflows[(outflows["kind"] == "country") & (outflows["year"] == sent_year)].set_index("iso3")
    out["sent_usd"] = out["iso3"].map(_positive(sent["usd"]))
    out["sent_year"] = float(sent_year)
    knomad = rem.load_knomad_outflows()   # the only file with outflows as % of GDP (one year, 2022)
    pct = knomad[(knomad["kind"] == "country") & knomad["pct_gdp"].notna() & (knomad["year"] <= p.remittance_year)]
    pct = pct[pct["year"] == pct["year"].max()].set_index("iso3")
    out["sent_pct_gdp"] = out["iso3"].map(pct["pct_gdp"])
    out["sent_pct_gdp_year"] = float(pct["year"].max())
    wdi = rem.load_wdi("pct_gdp")
    out = out.merge(_latest(wdi[~wdi["is_aggregate"]].rename(columns={"value": "received_pct_gdp"}),
                            "received_pct_gdp", p.remittance_year), on="iso3", how="left")
    h = hdi.load_hdi()
    out = out.merge(_latest(h, "hdi", p.hdi_year), on="iso3", how="left")
    out["hdi_group"] = hdi.hdi_group(out["hdi"]).astype(object).where(out["hdi"].notna(), "")
    return out


def _compute(p: Params, *_paths) -> pd.DataFrame:
    """All three tables stacked in one frame (`table` column), for one parquet file."""
    stock, links = _stock(p), _links(p)
    summary = _summary(p, profile_codes(p.ims_source))
    return pd.concat([summary.assign(table="summary"), stock.assign(table="stock"), links.assign(table="links")],
                     ignore_index=True)


@pins.memo(maxsize=4)
def _tables(p: Params) -> Tables:
    df = cached_table("profiles", f"{VERSION}-{p.tag()}", inputs(p), partial(_compute, p))
    parts = {name: g.drop(columns="table").dropna(axis=1, how="all").reset_index(drop=True)
             for name, g in df.groupby("table")}
    return Tables(parts["summary"], parts["stock"], parts["links"])


def tables(p: Params) -> Tables:
    """The shared tables, computed once per pins (cached parquet) and kept in memory by the kernel.

    Each call logs the pinned files they come from, so every profile run records what it read.
    """
    for sid, fname in inputs(p):
        pins.resolve(sid, fname)
    return _tables(p)


# ------------------------------------------------------------------------------- one profile

@dataclass
class Profile:
    """Everything one profile shows; NaN where a source has no figure."""

    iso3: str
    params: Params
    row: dict
    stock: pd.DataFrame          # year, immigrants, female_immigrants, emigrants, female_share_pct
    origins: pd.DataFrame        # rank, iso3, country, migrants
    destinations: pd.DataFrame   # rank, iso3, country, migrants
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.row["name"]

    def value(self, key: str) -> float:
        v = self.row.get(key)
        return float("nan") if v is None or (isinstance(v, float) and math.isnan(v)) else v

    def last(self, column: str) -> float:
        return float(self.stock.iloc[-1][column]) if not self.stock.empty else float("nan")


def check_code(iso3: str, codes: list[str]) -> str:
    """Refuse an ISO3 code with no profile, naming where the valid codes are."""
    if iso3 not in codes:
        raise ConfigError(f"No profile for '{iso3}': it has no migrant-stock estimates in this edition.",
                          expected=f"one of the {len(codes)} ISO3 codes of the edition's bilateral source",
                          got=iso3, fix="run `python build.py status` to list the profile runs, or check the code")
    return iso3


def _partners(links: pd.DataFrame, iso3: str, kind: str) -> pd.DataFrame:
    t = links[(links["iso3"] == iso3) & (links["kind"] == kind)].sort_values("rank")
    return pd.DataFrame({"rank": t["rank"].astype(int).to_numpy(), "iso3": t["partner"].to_numpy(),
                         "country": [display_name(c) for c in t["partner"]], "migrants": t["migrants"].to_numpy()})


def load(iso3: str, p: Params) -> Profile:
    """The profile of `iso3` under the edition parameters `p`."""
    t = tables(p)
    check_code(iso3, list(t.summary["iso3"]))
    row = t.summary[t.summary["iso3"] == iso3].iloc[0].to_dict()
    stock = t.stock[t.stock["iso3"] == iso3].sort_values("year").drop(columns="iso3").reset_index(drop=True)
    stock["female_share_pct"] = 100 * stock["female_immigrants"] / stock["immigrants"]
    prof = Profile(iso3, p, row, stock, _partners(t.links, iso3, "origin"), _partners(t.links, iso3, "destination"))
    prof.notes = coverage_notes(prof)
    return prof


def immigrant_share_pct(prof: Profile) -> float:
    """Immigrants as % of the population (the edition's denominator); NaN without a population."""
    return 100 * prof.last("immigrants") / prof.value("population")


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


NAME = "{fact}`name_in_text`"   # the country or area as it runs in a sentence ('the Philippines')


COVERAGE = {   # one sentence per indicator the pins have no figure for; names and years are roles
    "population": "UN DESA's workbook gives no population figure for " + NAME + ": immigrants as a share of the "
                  "population cannot be given.",
    "emigrants": "UN DESA gives no emigrant estimate for " + NAME + " in {param}`stock_year`.",
    "hosted": "UNHCR records no refugees or asylum-seekers hosted by " + NAME + " at the end of {param}`refugee_year`.",
    "originating": "UNHCR records no refugees or asylum-seekers from " + NAME + " at the end of {param}`refugee_year`.",
    "idmc": "IDMC has no internal displacement figures for " + NAME + " (stocks at the end of {param}`idp_year`, "
            "new displacements {param}`displacement_year`).",
    "idmc_conflict": "The IDMC data used here give no conflict displacements by country for "
                     "{param}`displacement_year` (its events file covers disasters only).",
    "remittances": "The World Bank-KNOMAD files have no remittance figures for " + NAME + " (inflows "
                   "{param}`remittance_year`, outflows {fact}`sent_year`).",
    "received": "No remittance inflows for " + NAME + " in {param}`remittance_year` (World Bank-KNOMAD).",
    "sent": "No remittance outflows for " + NAME + " in {fact}`sent_year` (World Bank-KNOMAD).",
    "sent_pct_year": "Remittances sent as a share of GDP are for {fact}`sent_pct_gdp_year`, the only year the World "
                     "Bank-KNOMAD files give them.",
    "hdi": "UNDP publishes no Human Development Index for " + NAME + ".",
    "no_region": NAME + " is in neither the UN's standard country list nor UN DESA's regional grouping, "
                 "so it belongs to no region in this report.",
    "not_m49": NAME + " is not in the UN's standard country list; it is counted in {fact}`region`, "
               "where UN DESA's migrant stock tables place it.",
    "complete": "Every source used here has figures for " + NAME + ".",
}
COVERAGE_LABEL = "**Coverage.**"   # the coverage paragraph's lead-in


def coverage_keys(prof: Profile) -> list[str]:
    """Which COVERAGE sentences apply: one per indicator the pins have no figure for (never shown as zero)."""
    p, r = prof.params, prof.row
    keys = []
    if _missing(r.get("population")):
        keys.append("population")
    if prof.last("emigrants") != prof.last("emigrants"):
        keys.append("emigrants")
    if _missing(r.get("hosted_refugees")) and _missing(r.get("hosted_asylum_seekers")):
        keys.append("hosted")
    if _missing(r.get("originating_refugees")) and _missing(r.get("originating_asylum_seekers")):
        keys.append("originating")
    if all(_missing(r.get(k)) for k in ("conflict_idps", "disaster_idps", "conflict_new", "disaster_new")):
        keys.append("idmc")
    elif _missing(r.get("conflict_new")) and p.displacement_year > displacement.DISAGGREGATED_YEAR:
        keys.append("idmc_conflict")
    if _missing(r.get("received_usd")) and _missing(r.get("sent_usd")):
        keys.append("remittances")
    else:
        keys += ["received"] if _missing(r.get("received_usd")) else []
        keys += ["sent"] if _missing(r.get("sent_usd")) else []
    sent_year = int(r["sent_year"]) if not _missing(r.get("sent_year")) else p.remittance_year
    pct_year = int(r["sent_pct_gdp_year"]) if not _missing(r.get("sent_pct_gdp_year")) else sent_year
    if not _missing(r.get("sent_pct_gdp")) and pct_year != sent_year:
        keys.append("sent_pct_year")
    if _missing(r.get("hdi")):
        keys.append("hdi")
    if r.get("region") == NO_REGION:
        keys.append("no_region")
    elif prof.iso3 not in m49.known_iso3():
        keys.append("not_m49")
    return keys


def coverage_notes(prof: Profile) -> list[str]:
    """One sentence per indicator the pins have no figure for, as MyST text whose names and years are roles
    (the facts of `fact_specs` and the edition's parameters)."""
    return [COVERAGE[k] for k in coverage_keys(prof)]


def coverage_text(prof: Profile) -> str:
    """The profile's coverage paragraph: its notes, or that every source has figures for it."""
    return " ".join(prof.notes) or COVERAGE["complete"]


# ------------------------------------------------------------------------------- facts and wording

def fact_specs(prof: Profile) -> FactSpecs:
    """Every fact of a profile that has data, in page order (missing values are not facts)."""
    p, r = prof.params, prof.row
    ims_s = [p.ims_source]
    geo = [m49.SOURCE] if prof.iso3 in m49.known_iso3() else [m49.SOURCE, ims.SOURCE_2020]  # region_of's reads
    pop_s = [p.ims_source, denominator_source(p.ims_source)]
    out = FactSpecs(year=None, sources=NAME_SOURCES)   # names and places: no year
    out.add("name", prof.name, "name", "text")   # the profile's title
    out.add("name_in_text", countries.in_text(prof.iso3), "name", "text")   # 'the Philippines'
    out.add("region", r["region"], "region", "text", sources=geo)
    if r["subregion"]:
        out.add("subregion", r["subregion"], "sub-region", "text", sources=geo)
    first = prof.stock.iloc[0]
    out.add("immigrants", prof.last("immigrants"), "persons", "compact", year=p.stock_year, sources=ims_s)
    out.year_of("first_year", first["year"], sources=ims_s)
    out.year_of("stock_year", p.stock_year, sources=ims_s)
    out.add("immigrants_first", float(first["immigrants"]), "persons", "compact", year=int(first["year"]), sources=ims_s)
    if not _missing(prof.last("emigrants")):
        out.add("emigrants", prof.last("emigrants"), "persons", "compact", year=p.stock_year, sources=ims_s)
    if not _missing(prof.last("female_share_pct")):
        out.add("female_share_pct", prof.last("female_share_pct"), "percent", "percent", year=p.stock_year,
                sources=ims_s)
    share = immigrant_share_pct(prof)
    if not _missing(share):
        out.add("immigrant_share_pct", share, "percent", "percent", year=p.stock_year, sources=pop_s,
                note=f"population of {int(r['population_year'])}")
    for key, unit, src, year in (("hosted_refugees", "persons", UNHCR, p.refugee_year),
                                 ("hosted_asylum_seekers", "persons", UNHCR, p.refugee_year),
                                 ("originating_refugees", "persons", UNHCR, p.refugee_year),
                                 ("originating_asylum_seekers", "persons", UNHCR, p.refugee_year),
                                 ("conflict_idps", "persons", displacement.idp_source(p.idp_year), p.idp_year),
                                 ("disaster_idps", "persons", displacement.idp_source(p.idp_year), p.idp_year),
                                 ("conflict_new", "displacements", IDMC, p.displacement_year),
                                 ("disaster_new", "displacements", IDMC, p.displacement_year)):
        if not _missing(r.get(key)):
            out.add(key, float(r[key]), unit, "count", year=year, sources=[src])
    if not _missing(r.get("received_usd")):
        out.add("received_usd", float(r["received_usd"]), "US$", "usd", year=p.remittance_year,
                sources=received_sources(p.remittance_year))
    sent_year = int(r["sent_year"]) if not _missing(r.get("sent_year")) else p.remittance_year
    out.year_of("sent_year", sent_year, sources=[sent_source(p.remittance_year)])
    if not _missing(r.get("sent_pct_gdp_year")) and not _missing(r.get("sent_pct_gdp")):
        out.year_of("sent_pct_gdp_year", int(r["sent_pct_gdp_year"]), sources=[REMITTANCES])
    if not _missing(r.get("sent_usd")):
        out.add("sent_usd", float(r["sent_usd"]), "US$", "usd", year=sent_year,
                sources=[sent_source(p.remittance_year)],
                note=sent_note(p.remittance_year, sent_year))
    if not _missing(r.get("received_pct_gdp")):
        out.add("received_pct_gdp", float(r["received_pct_gdp"]), "percent of GDP", "percent",
                year=int(r["received_pct_gdp_year"]), sources=[REMITTANCES])
    if not _missing(r.get("sent_pct_gdp")):
        out.add("sent_pct_gdp", float(r["sent_pct_gdp"]), "percent of GDP", "percent",
                year=int(r["sent_pct_gdp_year"]), sources=[REMITTANCES])
    if not _missing(r.get("hdi")):
        y = int(r["hdi_year"])
        out.add("hdi", float(r["hdi"]), "index", "index", year=y, sources=[HDI])
        out.add("hdi_group", str(r["hdi_group"]), "HDI group", "text", year=y, sources=[HDI])
    add_narrative_facts(out, prof)
    return out


def sent_note(remittance_year: int, sent_year: int) -> str:
    """The note of remittances sent: estimates when the vintage flags them so; an earlier year said as such."""
    out = rem.load_outflows(sent_source(remittance_year))
    flagged = "estimate" in out and bool(out.loc[out["year"] == sent_year, "estimate"].any())
    parts = ["World Bank-KNOMAD estimates (the file flags this year's outflows as estimates)"] if flagged else []
    if sent_year != remittance_year:
        parts.append(f"the outflows of this vintage end in {sent_year}")
    return "; ".join(parts)


def add_narrative_facts(out: FactSpecs, prof: Profile) -> None:
    """Add the figures the narrative cites beyond the key figures: change since the first year, main partners,
    refugees and asylum-seekers hosted."""
    p = prof.params
    ims_s = [p.ims_source]
    first = prof.stock.iloc[0]
    if first["immigrants"] > 0 and int(first["year"]) < p.stock_year:
        change = 100 * (prof.last("immigrants") / first["immigrants"] - 1)
        out.add("imm_change_pct", abs(change), "percent", "percent_whole", year=p.stock_year, sources=ims_s,
                note="change since the first year, in either direction")
    if not prof.origins.empty:
        o = prof.origins.iloc[0]
        out.add("top_origin", countries.in_text(o["iso3"]), "country", "text", year=p.stock_year, sources=ims_s,
                note=o["iso3"])
    if not prof.destinations.empty:
        d = prof.destinations.iloc[0]
        out.add("top_destination", countries.in_text(d["iso3"]), "country", "text", year=p.stock_year, sources=ims_s,
                note=d["iso3"])
    hosted = sum(v for v in (prof.value("hosted_refugees"), prof.value("hosted_asylum_seekers")) if not _missing(v))
    if hosted > 0:
        out.add("hosted_total", hosted, "persons", "compact", year=p.refugee_year, sources=[UNHCR])


NARRATIVE = {
    "place_sub": NAME + " is in {fact}`region` (sub-region: {fact}`subregion`).",
    "place": NAME + " is in {fact}`region`.",
    "immigrants_share": "In {param}`stock_year`, {fact}`immigrants` international migrants lived in " + NAME
                        + ", {fact}`immigrant_share_pct` of its population.",
    "immigrants": "In {param}`stock_year`, {fact}`immigrants` international migrants lived in " + NAME + ".",
    "same": "That is about as many as in {fact}`first_year`.",
    "more": "That is {fact}`imm_change_pct` more than in {fact}`first_year`.",
    "fewer": "That is {fact}`imm_change_pct` fewer than in {fact}`first_year`.",
    "emigrants_more": "{fact}`emigrants` people born there lived abroad: more emigrants than immigrants.",
    "emigrants_fewer": "{fact}`emigrants` people born there lived abroad: fewer emigrants than immigrants.",
    "origin": "Most immigrants came from {fact}`top_origin`.",
    "destination": "The largest number of emigrants lived in {fact}`top_destination`.",
    "hosted": "At the end of {param}`refugee_year`, " + NAME + " hosted {fact}`hosted_total` refugees and "
              "asylum-seekers.",
}


def narrative_keys(prof: Profile) -> list[str]:
    """Which NARRATIVE sentences the profile's figures support, in reading order."""
    p, r = prof.params, prof.row
    imm, emi = prof.last("immigrants"), prof.last("emigrants")
    keys = [] if r["region"] == NO_REGION else ["place_sub" if r["subregion"] else "place"]
    keys.append("immigrants" if _missing(immigrant_share_pct(prof)) else "immigrants_share")
    first = prof.stock.iloc[0]
    if first["immigrants"] > 0 and int(first["year"]) < p.stock_year:
        change = 100 * (imm / first["immigrants"] - 1)
        keys.append("same" if abs(change) < 1 else ("more" if change > 0 else "fewer"))
    if not _missing(emi):
        keys.append("emigrants_more" if emi > imm else "emigrants_fewer")
    keys += ["origin"] if not prof.origins.empty else []
    keys += ["destination"] if not prof.destinations.empty else []
    hosted = sum(v for v in (prof.value("hosted_refugees"), prof.value("hosted_asylum_seekers")) if not _missing(v))
    keys += ["hosted"] if hosted > 0 else []
    return keys


def narrative(prof: Profile) -> str:
    """A few sentences on the profile, built only from its own figures (MyST text with fact roles)."""
    return " ".join(NARRATIVE[k] for k in narrative_keys(prof))


# ------------------------------------------------------------------------------- tables and chart data

LABELS = {
    "immigrants": "International migrants living in the country or area",
    "emigrants": "Emigrants (born there, living abroad)",
    "female_share_pct": "Women and girls among immigrants",
    "immigrant_share_pct": "Immigrants as % of the population",
    "hosted_refugees": "Refugees hosted (UNHCR mandate)",
    "hosted_asylum_seekers": "Asylum-seekers hosted",
    "originating_refugees": "Refugees from the country or area",
    "originating_asylum_seekers": "Asylum-seekers from the country or area",
    "conflict_idps": "IDPs, conflict and violence (end of year)",
    "disaster_idps": "IDPs, disasters (end of year)",
    "conflict_new": "New displacements, conflict and violence",
    "disaster_new": "New displacements, disasters",
    "received_usd": "Remittances received",
    "received_pct_gdp": "Remittances received, % of GDP",
    "sent_usd": "Remittances sent",
    "sent_pct_gdp": "Remittances sent, % of GDP",
    "hdi": "Human Development Index",
    "hdi_group": "HDI group",
}


NO_DATA = "no data"
KEY_TITLE = "Key figures: {fact}`name`"
KEY_CAPTION = ("Migration, displacement, remittances and human development; 'no data' where the pinned source has "
               "no figure.")
KEY_COLUMNS = ["Indicator", "Value", "Year"]


def key_figures(specs: FactSpecs) -> pd.DataFrame:
    """Indicator, Value, Year of every key figure with data; indicators without data say 'no data'."""
    by_name = {s["name"]: s for s in specs}
    rows = []
    for key, label in LABELS.items():
        s = by_name.get(key)
        if s is None:
            rows.append((label, NO_DATA, ""))
        else:
            rows.append((label, make_fact(**s).display, "" if s["year"] is None else str(s["year"])))
    return pd.DataFrame(rows, columns=KEY_COLUMNS)


def texts() -> list[str]:
    """Every English text the profile code may write on a page (sentences, table title, caption, headers and labels),
    so the translation catalogs hold them all, whichever profiles were executed."""
    return [*NARRATIVE.values(), COVERAGE_LABEL, *COVERAGE.values(), KEY_TITLE, KEY_CAPTION, *KEY_COLUMNS,
            *LABELS.values(), NO_DATA]


def trend_data(prof: Profile) -> pd.DataFrame:
    """year, immigrants, emigrants for the first chart."""
    return prof.stock[["year", "immigrants", "emigrants"]].copy()


def partners_data(prof: Profile) -> pd.DataFrame:
    """Top origins and destinations in one frame: group, country, migrants (for the second chart)."""
    o = prof.origins.assign(group="Origins of immigrants")
    d = prof.destinations.assign(group="Destinations of emigrants")
    return pd.concat([o, d], ignore_index=True)[["group", "rank", "iso3", "country", "migrants"]]
