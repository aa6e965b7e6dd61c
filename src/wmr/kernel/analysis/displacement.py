"""Forced displacement indicators: refugees and asylum-seekers (UNHCR), internal displacement (IDMC).

IDMC series join files of different vintages only where one file stops and the next begins (country-year
file to 2022, the 2023 figure-level file for 2023, the events file for disaster displacements after 2023);
each row says which file it came from. IDP stocks after 2023 exist only in the iom-gdidata files: a stock
series that reaches them is read from those files alone (end-2009..end-2024), so it keeps one vintage pair.
"""
from __future__ import annotations

import pandas as pd

from wmr.core.errors import not_covered

from ..countries import name
from ..facts import FactSpecs
from ..sources import idmc, unhcr

UNHCR = "unhcr-population"
IDMC = "idmc-gidd"
GDIDATA = idmc.GDIDATA
COUNTRY_YEAR_LAST = 2022
DISAGGREGATED_YEAR = 2023


def idp_source(last: int) -> str:
    """The pinned source of IDP stocks for a series ending in `last`: idmc-gidd to 2023, iom-gdidata after."""
    return IDMC if last <= DISAGGREGATED_YEAR else GDIDATA


def idp_sources(last: int) -> list[str]:
    return [idp_source(last)]


def gdidata_by_country(year: int) -> pd.DataFrame:
    """IDPs at the end of `year` from iom-gdidata: iso3, conflict_idps, disaster_idps (NaN = no figure), file."""
    d = idmc.load_gdidata_stocks()
    d = d[d["year"] == year]
    if d.empty:
        raise not_covered(f"IDMC IDP stocks in {GDIDATA} for {year}", year, sorted(idmc.load_gdidata_stocks()["year"].unique().tolist()))
    t = d.groupby(["iso3", "cause"])["idps"].sum().unstack("cause").astype("float64")
    return pd.DataFrame({"iso3": t.index.to_numpy(),
                         "conflict_idps": t.get("conflict", pd.Series(index=t.index, dtype=float)).to_numpy(),
                         "disaster_idps": t.get("disaster", pd.Series(index=t.index, dtype=float)).to_numpy(),
                         "file": d.groupby("iso3")["file"].first().reindex(t.index).to_numpy()})


def idps_by_country(year: int) -> pd.DataFrame:
    """IDPs at the end of `year` by country: iso3, name (IDMC), conflict_idps, disaster_idps, file.

    The same files as `idp_stocks`: the country-year file to 2022, the 2023 figure-level file
    for 2023 (summed per country). NaN = no figure (disaster stocks start in 2019).
    """
    if year <= COUNTRY_YEAR_LAST:
        cy = idmc.load_country_year()
        cy = cy[cy["year"] == year]
        if cy.empty:
            raise not_covered(f"IDMC country figures for {year}", year, sorted(idmc.load_country_year()["year"].unique().tolist()))
        out = pd.DataFrame({"iso3": cy["iso3"].to_numpy(), "name": [name(c) for c in cy["iso3"]],
                            "conflict_idps": cy["conflict_stock"].to_numpy(),
                            "disaster_idps": cy["disaster_stock"].to_numpy()})
        file = idmc.FILE_COUNTRY_YEAR
    elif year == DISAGGREGATED_YEAR:
        d = idmc.load_disaggregated_2023()
        d = d[d["category"] == "IDPs"]
        t = d.groupby(["iso3", "cause"])["total_figures"].sum().unstack("cause")
        out = pd.DataFrame({"iso3": t.index.to_numpy(), "name": [name(c) for c in t.index],
                            "conflict_idps": t.get("Conflict", pd.Series(index=t.index, dtype=float)).to_numpy(),
                            "disaster_idps": t.get("Disaster", pd.Series(index=t.index, dtype=float)).to_numpy()})
        file = idmc.FILE_DISAGGREGATED
    else:
        out = gdidata_by_country(year)
        out.insert(1, "name", [name(c) for c in out["iso3"]])
        return out.sort_values("iso3").reset_index(drop=True)
    out["file"] = file
    return out.sort_values("iso3").reset_index(drop=True)


def refugee_totals(year: int) -> dict:
    """End-year stocks worldwide: refugees (UNHCR mandate), unrwa, asylum_seekers, oip, idps_unhcr, stateless."""
    pop = unhcr.load_population()
    row = pop[pop["year"] == year]
    if row.empty:
        raise not_covered(f"UNHCR population figures for {year}", year, sorted(pop["year"].unique().tolist()))
    unrwa = unhcr.load_unrwa()
    return {"refugees": float(row["refugees"].sum()), "asylum_seekers": float(row["asylum_seekers"].sum()),
            "oip": float(row["oip"].sum()), "stateless": float(row["stateless"].sum()),
            "idps_unhcr": float(row["idps"].sum()),
            "unrwa": float(unrwa.loc[unrwa["year"] == year, "refugees"].sum())}


def refugee_series(first: int, last: int) -> pd.DataFrame:
    """year, refugees, unrwa, asylum_seekers, oip (persons, end of year)."""
    pop = unhcr.load_population()
    pop = pop[pop["year"].between(first, last)]
    out = pop.groupby("year", as_index=False)[["refugees", "asylum_seekers", "oip"]].sum()
    unrwa = unhcr.load_unrwa().groupby("year", as_index=False)["refugees"].sum().rename(columns={"refugees": "unrwa"})
    out = out.merge(unrwa, on="year", how="left")
    return out[["year", "refugees", "unrwa", "asylum_seekers", "oip"]]


def idp_stocks(last: int) -> pd.DataFrame:
    """year, conflict_idps, disaster_idps, file: IDPs at the end of each year to `last` (NaN = no figure)."""
    if idp_source(last) == GDIDATA:
        d = idmc.load_gdidata_stocks()
        d = d[d["year"] <= last]
        t = d.groupby(["year", "cause"])["idps"].sum().unstack("cause").astype("float64")
        out = pd.DataFrame({"year": t.index.astype("int64"), "conflict_idps": t["conflict"].to_numpy(),
                            "disaster_idps": t["disaster"].to_numpy(),
                            "file": d.groupby("year")["file"].first().reindex(t.index).to_numpy()})
        out.loc[out["disaster_idps"].eq(0), "disaster_idps"] = float("nan")  # no disaster stocks before 2019
        return out.reset_index(drop=True)
    cy = idmc.load_country_year()
    out = cy.groupby("year", as_index=False).agg(conflict_idps=("conflict_stock", lambda s: s.sum(min_count=1)),
                                                 disaster_idps=("disaster_stock", lambda s: s.sum(min_count=1)))
    out["file"] = idmc.FILE_COUNTRY_YEAR
    if last >= DISAGGREGATED_YEAR:
        d = _disaggregated_totals("IDPs")
        out = pd.concat([out, pd.DataFrame([{"year": DISAGGREGATED_YEAR, "conflict_idps": d["Conflict"],
                                             "disaster_idps": d["Disaster"], "file": idmc.FILE_DISAGGREGATED}])])
    return out[out["year"] <= last].reset_index(drop=True)


def new_displacements(last: int) -> pd.DataFrame:
    """year, conflict, disaster, file: internal displacements (movements) during each year 2008..last."""
    cy = idmc.load_country_year()
    out = cy.groupby("year", as_index=False).agg(conflict=("conflict_new", "sum"), disaster=("disaster_new", "sum"))
    out["file"] = idmc.FILE_COUNTRY_YEAR
    rows = []
    if last >= DISAGGREGATED_YEAR:
        d = _disaggregated_totals("Internal Displacements")
        rows.append({"year": DISAGGREGATED_YEAR, "conflict": d["Conflict"], "disaster": d["Disaster"],
                     "file": idmc.FILE_DISAGGREGATED})
    events = idmc.load_disaster_events().groupby("year")["displacements"].sum()
    for year in range(DISAGGREGATED_YEAR + 1, last + 1):
        if year in events.index:
            rows.append({"year": year, "conflict": float("nan"), "disaster": float(events[year]),
                         "file": idmc.FILE_EVENTS})
    if rows:
        out = pd.concat([out, pd.DataFrame(rows)])
    return out[out["year"] <= last].reset_index(drop=True)


def _disaggregated_totals(category: str) -> dict[str, float]:
    d = idmc.load_disaggregated_2023()
    d = d[d["category"] == category]
    return d.groupby("cause")["total_figures"].sum().to_dict()


def idp_totals(year: int) -> dict:
    """Conflict and disaster IDPs at the end of `year` (persons) and the IDMC file they come from."""
    s = idp_stocks(year)
    row = s[s["year"] == year]
    if row.empty:
        raise not_covered(f"IDMC IDP figures for {year}", year, sorted(s["year"].unique().tolist()))
    r = row.iloc[-1]
    return {"conflict_idps": float(r["conflict_idps"]), "disaster_idps": float(r["disaster_idps"]), "file": r["file"]}


# Components of people displaced in total, as the WMR 2024 defines it (fact name, label, where it comes from).
DISPLACED_COMPONENTS = (
    ("refugees", "refugees under UNHCR's mandate", UNHCR),
    ("unrwa", "Palestine refugees under UNRWA's mandate", UNHCR),
    ("asylum_seekers", "asylum-seekers", UNHCR),
    ("oip", "other people in need of international protection", UNHCR),
    ("conflict_idps", "people internally displaced by conflict and violence", "idp"),
    ("disaster_idps", "people internally displaced by disasters", "idp"),
)


def displaced_total(year: int) -> dict:
    """People displaced in total at the end of `year` (WMR 2024 definition), with each component.

    Returns {'total', 'year', 'components': [{'name', 'label', 'value', 'year', 'source', 'file'}]}. All
    components are end-`year` stocks, so the total adds like with like; a missing component is an error.
    """
    ref = refugee_totals(year)
    idp = idp_totals(year)
    components = []
    for key, label, where in DISPLACED_COMPONENTS:
        value = ref[key] if where == UNHCR else idp[key]
        if pd.isna(value):
            raise not_covered(f"figure for {label} at the end of {year}", year, "years where every component of the total is published")
        components.append({"name": key, "label": label, "value": float(value), "year": year,
                           "source": UNHCR if where == UNHCR else idp_source(year),
                           "file": "" if where == UNHCR else idp["file"]})
    return {"total": sum(c["value"] for c in components), "year": year, "components": components}


def components_note(components: list[dict], shown) -> str:
    """'refugees under UNHCR's mandate 31.0 million (end-2024, unhcr-population); ...' for a fact's provenance."""
    return "; ".join(f"{c['label']} {shown(c['value'])} (end-{c['year']}, {c['source']}"
                     + (f"/{c['file']}" if c.get("file") else "") + ")" for c in components)


def headline_facts(refugee_year: int, idp_year: int, shown) -> FactSpecs:
    """The WMR headline totals as fact specs (Chapter.fact keyword arguments), components in each note.

    - displaced_total: everyone displaced at the end of the latest year both UNHCR and IDMC cover;
    - refugees_incl_unrwa: refugees under UNHCR and UNRWA mandates at the end of `refugee_year`;
    - stateless: stateless persons (UNHCR) at the end of `refugee_year`.
    """
    common = min(refugee_year, idp_year)
    total = displaced_total(common)
    ref = refugee_totals(refugee_year)
    refugee_parts = [{"label": "refugees under UNHCR's mandate", "value": ref["refugees"], "year": refugee_year,
                      "source": UNHCR},
                     {"label": "Palestine refugees under UNRWA's mandate", "value": ref["unrwa"], "year": refugee_year,
                      "source": UNHCR}]
    sources = sorted({c["source"] for c in total["components"]})
    specs = FactSpecs(year=refugee_year, sources=[UNHCR])
    specs.add("displaced_total", total["total"], "persons", "millions", year=common, sources=sources,
              note="Sum of: " + components_note(total["components"], shown))
    specs.add("displaced_total_year", common, "year", "year", year=common, sources=sources)
    specs.add("refugees_incl_unrwa", ref["refugees"] + ref["unrwa"], "persons", "millions",
              note="Sum of: " + components_note(refugee_parts, shown))
    specs.add("stateless", ref["stateless"], "persons", "millions",
              note=f"Stateless persons under UNHCR's statelessness mandate, end-{refugee_year}")
    return specs
