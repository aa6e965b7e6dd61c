"""Regional indicators for the six WMR regions: migrant stocks, links between regions, rankings,
remittances and displacement, each aggregate with its coverage.

Regions are those of the pinned UNSD M49 table as UN DESA groups them (Africa, Asia, Europe, Latin America
and the Caribbean, Northern America, Oceania; `sources.m49.region_of`), including the areas UN DESA's
workbook allocates beyond M49: Taiwan Province of China (TWN) in Asia, the Channel Islands (XCX) in
Europe. Other codes are 'unallocated': they count in world totals and in no region, and every function
that leaves them out of the regions reports them (`unallocated_stock`, `remittance_unallocated`,
`refugee_unallocated`, `idp_unallocated`). In the pins these are Kosovo (XKX) in remittances and
displacement, the Abyei Area (AB9) in displacement, and UNHCR's unknown, stateless and Tibetan origins. Unspecified migrant origins (OOO) are
neither a region nor unallocated territory: they are reported as 'Origin not specified'.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from wmr.core.errors import not_covered

from .. import pins
from ..countries import name
from ..sources import ims, m49
from ..sources import remittances as remittance_source
from ..sources import unhcr
from . import displacement, remittances

UNALLOCATED = "Unallocated"
NOT_SPECIFIED = "Origin not specified"
REGIONS = m49.WMR_REGIONS


# ---------------------------------------------------------------------------------------------- membership

def _check_region(region: str) -> None:
    if region not in REGIONS:
        raise not_covered(f"region called {region!r}", region, ", ".join(REGIONS), fix="use a UN DESA region name in the edition config's runs of the regional chapter")


def members(region: str) -> pd.DataFrame:
    """The countries and areas of a WMR region as UN DESA groups them: iso3, name, sorted by name."""
    _check_region(region)
    codes = sorted(c for c, r in ims.region_of().items() if r == region)
    return pd.DataFrame({"iso3": codes, "name": [name(c) for c in codes]}).sort_values("name").reset_index(drop=True)


def _region_map() -> dict[str, str]:
    return ims.region_of()


@dataclass(frozen=True)
class Coverage:
    """Which of a region's M49 countries and areas contributed to an aggregate."""

    region: str
    total: int                   # M49 countries and areas in the region
    with_data: tuple[str, ...]   # ISO3 codes of those that contributed
    without: tuple[str, ...]     # names of those that did not

    @property
    def n(self) -> int:
        return len(self.with_data)

    def text(self, max_names: int = 6, none_word: str = "data") -> str:
        """Readable summary: '58 of 60 countries and areas (no data: A, B)'; long lists are shortened."""
        head = self.count_text()
        if not self.without:
            return head
        if len(self.without) <= max_names:
            names = join_names(list(self.without))
        else:
            names = ", ".join(self.without[:max_names]) + _others(len(self.without) - max_names)
        return f"{head} (no {none_word}: {names})"

    def count_text(self) -> str:
        """'5 of 51 countries and areas'."""
        return f"{self.n} of {self.total} countries and areas"

    def missing_list(self) -> str:
        """Every country or area without data, '; '-separated ('' when none)."""
        return "; ".join(self.without)


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'; items are separated by semicolons when one of them contains a comma."""
    if not names:
        return ""
    sep = "; " if any("," in n.split(" (")[0] for n in names) else ", "
    return names[0] if len(names) == 1 else sep.join(names[:-1]) + (sep if sep == "; " else " ") + "and " + names[-1]


def _others(n: int) -> str:
    return f" and {n} other" + ("s" if n > 1 else "")


def coverage(region: str, iso3_with_data: Iterable[str]) -> Coverage:
    """Coverage of an aggregate over `region`, given the ISO3 codes that had data (others are ignored)."""
    m = members(region)
    have = set(iso3_with_data)
    inside = m["iso3"].isin(have)
    return Coverage(region, len(m), tuple(sorted(m.loc[inside, "iso3"])), tuple(m.loc[~inside, "name"]))


# ---------------------------------------------------------------------------------------------- migrant stock

@pins.memo(maxsize=4)
def _bilateral(ims_source: str) -> pd.DataFrame:
    """year, dest_iso3, origin_iso3, migrants (both sexes), dest_region, origin_region (read-only, cached)."""
    if ims_source not in ims.BILATERAL:
        raise not_covered(f"bilateral by-sex migrant stock source {ims_source!r}", ims_source, ", ".join(ims.BILATERAL), fix="set ims_source in the edition config to a bilateral UN DESA source")
    rows = ims.load_bilateral(ims_source)
    both = rows.groupby(["year", "dest_iso3", "origin_iso3"], as_index=False)["migrants"].sum()
    reg = _region_map()
    both["dest_region"] = both["dest_iso3"].map(reg).fillna(UNALLOCATED)
    origin = both["origin_iso3"].map(reg).fillna(UNALLOCATED)
    both["origin_region"] = origin.mask(both["origin_iso3"] == ims.UNKNOWN_ORIGIN, NOT_SPECIFIED)
    return both


def stock_years(ims_source: str, last: int | None = None) -> list[int]:
    """Mid-year estimates of a bilateral source, up to `last` when given."""
    years = sorted(int(y) for y in _bilateral(ims_source)["year"].unique())
    return [y for y in years if last is None or y <= last]


def _year(ims_source: str, year: int) -> pd.DataFrame:
    df = _bilateral(ims_source)
    if year not in set(df["year"]):
        raise not_covered(f"{ims_source} estimate for {year}", year, stock_years(ims_source))
    return df[df["year"] == year]


def immigrants_by_region(ims_source: str, year: int) -> pd.DataFrame:
    """Migrants living in each region, and in unallocated areas: region, migrants (sums to the world total)."""
    df = _year(ims_source, year).groupby("dest_region")["migrants"].sum()
    order = [*REGIONS, UNALLOCATED]
    return pd.DataFrame({"region": order, "migrants": [int(df.get(r, 0)) for r in order]})


def emigrants_by_region(ims_source: str, year: int) -> pd.DataFrame:
    """Migrants born in each region, in unallocated areas, or of unspecified origin: region, migrants."""
    df = _year(ims_source, year).groupby("origin_region")["migrants"].sum()
    order = [*REGIONS, UNALLOCATED, NOT_SPECIFIED]
    return pd.DataFrame({"region": order, "migrants": [int(df.get(r, 0)) for r in order]})


def unallocated_stock(ims_source: str, year: int) -> pd.DataFrame:
    """Areas outside the M49 regions in the migrant stock: iso3, name, immigrants, emigrants (persons)."""
    df = _year(ims_source, year)
    dest = df[df["dest_region"] == UNALLOCATED].groupby("dest_iso3")["migrants"].sum()
    orig = df[df["origin_region"] == UNALLOCATED].groupby("origin_iso3")["migrants"].sum()
    codes = sorted(set(dest.index) | set(orig.index))
    return pd.DataFrame({"iso3": codes, "name": [name(c) for c in codes],
                         "immigrants": [int(dest.get(c, 0)) for c in codes],
                         "emigrants": [int(orig.get(c, 0)) for c in codes]})


def stock_series(ims_source: str, region: str, last: int) -> pd.DataFrame:
    """year, immigrants (living in the region), emigrants (born there, living abroad), within (both), to `last`."""
    _check_region(region)
    df = _bilateral(ims_source)
    df = df[df["year"] <= last]
    imm = df[df["dest_region"] == region].groupby("year")["migrants"].sum()
    emi = df[df["origin_region"] == region].groupby("year")["migrants"].sum()
    within = df[(df["dest_region"] == region) & (df["origin_region"] == region)].groupby("year")["migrants"].sum()
    years = stock_years(ims_source, last)
    return pd.DataFrame({"year": years, "immigrants": [int(imm.get(y, 0)) for y in years],
                         "emigrants": [int(emi.get(y, 0)) for y in years],
                         "within": [int(within.get(y, 0)) for y in years]})


def links(ims_source: str, year: int, region: str) -> pd.DataFrame:
    """Where the region's immigrants come from and its emigrants live, by region.

    Columns: group (the six regions, Unallocated, Origin not specified), immigrants_from (living in
    `region`, born in group), emigrants_to (born in `region`, living in group). Each column sums to the
    region's immigrants and emigrants respectively.
    """
    _check_region(region)
    df = _year(ims_source, year)
    imm = df[df["dest_region"] == region].groupby("origin_region")["migrants"].sum()
    emi = df[df["origin_region"] == region].groupby("dest_region")["migrants"].sum()
    order = [*REGIONS, UNALLOCATED, NOT_SPECIFIED]
    return pd.DataFrame({"group": order, "immigrants_from": [int(imm.get(g, 0)) for g in order],
                         "emigrants_to": [int(emi.get(g, 0)) for g in order]})


def _ranked(series: pd.Series, n: int, value: str) -> pd.DataFrame:
    df = series.rename(value).rename_axis("iso3").reset_index()
    df = df.sort_values([value, "iso3"], ascending=[False, True]).head(n).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    df.insert(2, "country", [name(c) for c in df["iso3"]])
    return df


def top_destinations(ims_source: str, year: int, region: str, n: int = 10) -> pd.DataFrame:
    """The region's n countries hosting most international migrants: rank, iso3, country, migrants."""
    _check_region(region)
    df = _year(ims_source, year)
    return _ranked(df[df["dest_region"] == region].groupby("dest_iso3")["migrants"].sum(), n, "migrants")


def top_origins(ims_source: str, year: int, region: str, n: int = 10) -> pd.DataFrame:
    """The region's n countries with most emigrants (living anywhere abroad): rank, iso3, country, migrants."""
    _check_region(region)
    df = _year(ims_source, year)
    return _ranked(df[df["origin_region"] == region].groupby("origin_iso3")["migrants"].sum(), n, "migrants")


def top_corridors(ims_source: str, year: int, region: str, n: int = 10) -> pd.DataFrame:
    """Largest origin -> destination corridors with either end in the region (unspecified origins excluded).

    Columns: rank, origin_iso3, origin, dest_iso3, destination, corridor ('origin → destination'), within
    (both ends in the region), migrants.
    """
    _check_region(region)
    df = _year(ims_source, year)
    df = df[((df["dest_region"] == region) | (df["origin_region"] == region)) & (df["origin_iso3"] != ims.UNKNOWN_ORIGIN)]
    df = df.sort_values(["migrants", "origin_iso3", "dest_iso3"], ascending=[False, True, True]).head(n)
    out = pd.DataFrame({"rank": range(1, len(df) + 1), "origin_iso3": df["origin_iso3"].to_numpy(),
                        "origin": [name(c) for c in df["origin_iso3"]], "dest_iso3": df["dest_iso3"].to_numpy(),
                        "destination": [name(c) for c in df["dest_iso3"]]})
    out["corridor"] = out["origin"] + " → " + out["destination"]
    out["within"] = ((df["dest_region"] == region) & (df["origin_region"] == region)).to_numpy()
    out["migrants"] = df["migrants"].to_numpy()
    return out


def stock_coverage(ims_source: str, year: int, region: str) -> Coverage:
    """Which of the region's countries and areas have a migrant stock estimate as a destination in `year`."""
    df = _year(ims_source, year)
    return coverage(region, df["dest_iso3"].unique())


def emigrant_coverage(ims_source: str, year: int, region: str) -> Coverage:
    """Which of the region's countries and areas appear as an origin of migrants in `year`."""
    df = _year(ims_source, year)
    return coverage(region, df["origin_iso3"].unique())


# ---------------------------------------------------------------------------------------------- remittances

def _remittance_countries(year: int) -> pd.DataFrame:
    df = remittance_source.load_inflows(remittances.source_for(year))
    df = df[(df["kind"] == "country") & (df["year"] == year)]
    if df.empty:
        raise not_covered(f"KNOMAD remittance inflows by country for {year}", year, "the years of the pinned remittance source")
    return df


def remittance_inflows(region: str, year: int) -> pd.DataFrame:
    """Remittances received by the region's countries in `year` (positive values only): iso3, country, usd.

    KNOMAD zeros often mean 'no data', so they count as missing in the coverage, not as contributions.
    """
    _check_region(region)
    df = _remittance_countries(year)
    reg = _region_map()
    df = df[(df["iso3"].map(reg) == region) & (df["usd"] > 0)]
    df = df.sort_values(["usd", "iso3"], ascending=[False, True])
    return pd.DataFrame({"iso3": df["iso3"].to_numpy(), "country": [name(c) for c in df["iso3"]],
                         "usd": df["usd"].to_numpy()})


def remittance_coverage(region: str, year: int) -> Coverage:
    """Which of the region's countries and areas have a positive KNOMAD inflow figure in `year`."""
    return coverage(region, remittance_inflows(region, year)["iso3"])


def remittance_unallocated(year: int) -> pd.DataFrame:
    """Economies outside the M49 regions with inflows in `year` (e.g. Kosovo): iso3, name, usd."""
    df = _remittance_countries(year)
    df = df[~df["iso3"].isin(set(_region_map())) & (df["usd"] > 0)].sort_values("iso3")
    return df[["iso3", "name", "usd"]].reset_index(drop=True)


def remittance_by_region(year: int) -> pd.DataFrame:
    """Inflows by region and to unallocated economies: region, usd, countries (with positive inflows)."""
    df = _remittance_countries(year)
    df = df[df["usd"] > 0]
    r = df["iso3"].map(_region_map()).fillna(UNALLOCATED)
    g = df.groupby(r)["usd"].agg(["sum", "count"])
    order = [*REGIONS, UNALLOCATED]
    return pd.DataFrame({"region": order, "usd": [float(g["sum"].get(x, 0.0)) for x in order],
                         "countries": [int(g["count"].get(x, 0)) for x in order]})


# ---------------------------------------------------------------------------------------------- refugees

def _unhcr_year(year: int) -> pd.DataFrame:
    pop = unhcr.load_population()
    pop = pop[pop["year"] == year]
    if pop.empty:
        raise not_covered(f"UNHCR population figures for {year}", year, sorted(unhcr.load_population()["year"].unique().tolist()))
    return pop


def refugees_by_country(region: str, year: int) -> pd.DataFrame:
    """Refugees under UNHCR's mandate hosted by and originating from the region's countries at the end of `year`.

    Columns: iso3, country, hosted, originating (persons; 0 = none recorded), sorted by hosted + originating.
    Only countries with a positive figure in either column are listed.
    """
    _check_region(region)
    pop = _unhcr_year(year)
    hosted = pop.groupby("coa_iso")["refugees"].sum()
    origin = pop.groupby("coo_iso")["refugees"].sum()
    codes = set(members(region)["iso3"])
    rows = [(c, float(hosted.get(c, 0.0)), float(origin.get(c, 0.0))) for c in sorted(codes)]
    df = pd.DataFrame(rows, columns=["iso3", "hosted", "originating"])
    df = df[(df["hosted"] > 0) | (df["originating"] > 0)]
    df = df.assign(_t=df["hosted"] + df["originating"]).sort_values(["_t", "iso3"], ascending=[False, True])
    df.insert(1, "country", [name(c) for c in df["iso3"]])
    return df.drop(columns="_t").reset_index(drop=True)


def refugee_by_region(year: int) -> pd.DataFrame:
    """Refugees hosted in and originating from each region, and unallocated: region, hosted, originating."""
    pop = _unhcr_year(year)
    reg = _region_map()
    hosted = pop.groupby(pop["coa_iso"].map(reg).fillna(UNALLOCATED))["refugees"].sum()
    origin = pop.groupby(pop["coo_iso"].map(reg).fillna(UNALLOCATED))["refugees"].sum()
    order = [*REGIONS, UNALLOCATED]
    return pd.DataFrame({"region": order, "hosted": [float(hosted.get(r, 0.0)) for r in order],
                         "originating": [float(origin.get(r, 0.0)) for r in order]})


def refugee_unallocated(year: int) -> pd.DataFrame:
    """Refugee origins and hosts outside the M49 regions: iso3, name (UNHCR), hosted, originating (positive only)."""
    pop = _unhcr_year(year)
    known = set(_region_map())
    names = {**dict(zip(pop["coa_iso"], pop["coa_name"])), **dict(zip(pop["coo_iso"], pop["coo_name"]))}
    hosted = pop[~pop["coa_iso"].isin(known)].groupby("coa_iso")["refugees"].sum()
    origin = pop[~pop["coo_iso"].isin(known)].groupby("coo_iso")["refugees"].sum()
    codes = sorted(set(hosted[hosted > 0].index) | set(origin[origin > 0].index))
    return pd.DataFrame({"iso3": codes, "name": [name(c) if name(c) != c else names[c] for c in codes],
                         "hosted": [float(hosted.get(c, 0.0)) for c in codes],
                         "originating": [float(origin.get(c, 0.0)) for c in codes]})


# ---------------------------------------------------------------------------------------------- IDPs

def idps_in_region(region: str, year: int) -> pd.DataFrame:
    """The region's countries with IDPs at the end of `year`: iso3, country, conflict_idps, disaster_idps.

    Missing figures count as 0 here; only countries with a positive figure are listed, largest total first.
    """
    _check_region(region)
    df = displacement.idps_by_country(year)
    df = df[df["iso3"].map(_region_map()) == region].fillna({"conflict_idps": 0.0, "disaster_idps": 0.0})
    df = df[(df["conflict_idps"] > 0) | (df["disaster_idps"] > 0)]
    df = df.assign(_t=df["conflict_idps"] + df["disaster_idps"]).sort_values(["_t", "iso3"], ascending=[False, True])
    return pd.DataFrame({"iso3": df["iso3"].to_numpy(), "country": [name(c) for c in df["iso3"]],
                         "conflict_idps": df["conflict_idps"].to_numpy(), "disaster_idps": df["disaster_idps"].to_numpy()})


def idp_by_region(year: int) -> pd.DataFrame:
    """IDPs by region and unallocated: region, conflict_idps, disaster_idps (persons, missing = 0)."""
    df = displacement.idps_by_country(year)
    r = df["iso3"].map(_region_map()).fillna(UNALLOCATED)
    g = df.groupby(r)[["conflict_idps", "disaster_idps"]].sum()
    order = [*REGIONS, UNALLOCATED]
    return pd.DataFrame({"region": order,
                         "conflict_idps": [float(g["conflict_idps"].get(x, 0.0)) for x in order],
                         "disaster_idps": [float(g["disaster_idps"].get(x, 0.0)) for x in order]})


def idp_unallocated(year: int) -> pd.DataFrame:
    """IDP figures outside the M49 regions (e.g. Abyei Area, Kosovo): iso3, name, conflict_idps, disaster_idps."""
    df = displacement.idps_by_country(year)
    df = df[~df["iso3"].isin(set(_region_map()))].fillna({"conflict_idps": 0.0, "disaster_idps": 0.0})
    df = df[(df["conflict_idps"] > 0) | (df["disaster_idps"] > 0)]
    return df[["iso3", "name", "conflict_idps", "disaster_idps"]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- wording

def scale_for(largest: float) -> tuple[float, str]:
    """Axis scale for people counts: (1e6, 'millions') from a million up, else (1e3, 'thousands')."""
    return (1e6, "millions") if largest >= 1e6 else (1e3, "thousands")


def label_format(largest: float, scale: float) -> str:
    """Bar value labels: two decimals when the largest scaled value is below 10, else one."""
    return "{:,.2f}" if largest / scale < 10 else "{:,.1f}"


def bar_size(rows: int) -> str:
    """Figure size for a bar chart of `rows` categories: 'full' (shorter) up to five, else 'tall'."""
    return "full" if rows <= 5 else "tall"


CORRIDORS_WITHIN = {
    "none": "None of the {fact}`corridors_n` largest corridors links two countries of the region: each has one end "
            "in another region.",
    "all": "All {fact}`corridors_n` of the largest corridors link two countries of the region.",
    "one": "{fact}`corridors_within` of the {fact}`corridors_n` largest corridors links two countries of the region "
           "(the orange bar).",
    "some": "{fact}`corridors_within` of the {fact}`corridors_n` largest corridors link two countries of the region "
            "(orange bars).",
}


def corridors_within_sentence(within: int, shown: int) -> str:
    """The sentence on how many of the largest corridors stay inside the region ('none', 'one', 'all' or some)."""
    key = "none" if within == 0 else ("all" if within == shown else ("one" if within == 1 else "some"))
    return CORRIDORS_WITHIN[key]


def key_figures(rows: list[tuple[str, str, int, Coverage]], max_names: int = 8) -> pd.DataFrame:
    """The key-figures table: Indicator, Value (as printed), Year, With data ('n of N'), Without data (names)."""
    def missing(c: Coverage) -> str:
        if not c.without:
            return "–"
        if len(c.without) <= max_names:
            return ", ".join(c.without)
        return ", ".join(c.without[:max_names]) + _others(len(c.without) - max_names)
    return pd.DataFrame({"Indicator": [r[0] for r in rows], "Value": [r[1] for r in rows],
                         "Year": [str(r[2]) for r in rows], "With data": [r[3].count_text() for r in rows],
                         "Without data": [missing(r[3]) for r in rows]})
