"""Forced displacement indicators: refugees and asylum-seekers (UNHCR), internal displacement (IDMC).

IDMC series join files of different vintages only where one file stops and the next begins (country-year
file to 2022, the 2023 figure-level file for 2023, the events file for disaster displacements after 2023);
each row says which file it came from.
"""
from __future__ import annotations

import pandas as pd

from ..sources import idmc, unhcr

UNHCR = "unhcr-population"
IDMC = "idmc-gidd"
COUNTRY_YEAR_LAST = 2022
DISAGGREGATED_YEAR = 2023


def refugee_totals(year: int) -> dict:
    """End-year stocks worldwide: refugees (UNHCR mandate), unrwa, asylum_seekers, oip, idps_unhcr, stateless."""
    pop = unhcr.load_population()
    row = pop[pop["year"] == year]
    if row.empty:
        raise ValueError(f"no UNHCR population figures for {year}")
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
    """year, conflict_idps, disaster_idps, file: IDPs at the end of each year 2008..last (NaN = no figure)."""
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
        raise ValueError(f"no IDMC IDP figures for {year}")
    r = row.iloc[-1]
    return {"conflict_idps": float(r["conflict_idps"]), "disaster_idps": float(r["disaster_idps"]), "file": r["file"]}
