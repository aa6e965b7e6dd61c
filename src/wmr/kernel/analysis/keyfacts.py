"""The report overview's key facts: one spec per figure, computed from the edition's pins."""
from __future__ import annotations

import pandas as pd

from .. import fmt
from ..countries import in_text
from ..facts import Fact, FactSpecs
from ..provenance import summary
from ..sources import missing_migrants
from . import displacement, migrants, remittances

MMP = "iom-missing-migrants"


def _ranked(specs: FactSpecs, prefix: str, label: str, table: pd.DataFrame, value_col: str, unit: str, year: int,
            sources: list[str], shown) -> None:
    """One labelled fact per ranked row ('<prefix>_<rank>') and its country as a fact of its own
    ('<prefix>_<rank>_country', unlabelled: the table shows it beside the value)."""
    for r in table.itertuples():
        value = getattr(r, value_col)
        specs.add(f"{prefix}_{r.rank}", value, unit, year=year, sources=sources, display=shown(value), note=f"{r.iso3}",
                  label=f"{label}, rank {r.rank}")
    for r in table.itertuples():
        specs.add(f"{prefix}_{r.rank}_country", in_text(r.iso3), "country", "text", year=year, sources=sources,
                  note=r.iso3)


def key_facts(ims_source: str, stock_year: int, remittance_year: int, refugee_year: int, idp_year: int,
              mmp_year: int, top_n: int = 5) -> FactSpecs:
    """Every key fact of the overview; `labels` holds the key-facts table's rows in order (fact name -> label)."""
    ims_src = [ims_source]
    head = migrants.headline(ims_source, stock_year)
    pop_src = migrants.population_source(ims_source)
    out = FactSpecs(year=stock_year, sources=ims_src)
    out.add("migrants_total", head["total"], "persons", "millions", label="International migrants")
    out.add("migrants_share_pct", round(head["share_pct"], 4), "percent", "percent", sources=[*ims_src, pop_src],
            note=f"World population of {stock_year} from {pop_src} (Table 2), the population UN DESA divides by.",
            label="International migrants, % of world population")
    out.add("migrants_female_share_pct", round(head["female_share_pct"], 4), "percent", "percent",
            label="Female share of international migrants")
    _ranked(out, "top_destination", "Destination country", migrants.top_destinations(ims_source, stock_year, top_n),
            "migrants", "persons", stock_year, ims_src, fmt.millions)
    _ranked(out, "top_origin", "Country of origin", migrants.top_origins(ims_source, stock_year, top_n),
            "migrants", "persons", stock_year, ims_src, fmt.millions)
    rem = remittances.totals(remittance_year)
    rem_src = remittances.sources_for(remittance_year)
    out.add("remittances_world", rem["world_usd"], "US$ (current)", "usd_billions", year=remittance_year,
            sources=rem_src, label="International remittances, worldwide")
    out.add("remittances_lmic", rem["lmic_usd"], "US$ (current)", "usd_billions", year=remittance_year,
            sources=rem_src, label="Remittances to low- and middle-income countries")
    _ranked(out, "top_remittance_recipient", "Remittance recipient", remittances.top_recipients(remittance_year, top_n),
            "usd", "US$ (current)", remittance_year, rem_src, fmt.usd_billions)
    ref = displacement.refugee_totals(refugee_year)
    idp = displacement.idp_totals(idp_year)
    un, idmc = [displacement.UNHCR], displacement.idp_sources(idp_year)
    out.add("refugees_unhcr", ref["refugees"], "persons", "millions", year=refugee_year, sources=un,
            label="Refugees under UNHCR mandate")
    out.add("refugees_unrwa", ref["unrwa"], "persons", "millions", year=refugee_year, sources=un,
            label="Palestine refugees under UNRWA mandate")
    out.add("asylum_seekers", ref["asylum_seekers"], "persons", "millions", year=refugee_year, sources=un,
            label="Asylum-seekers")
    out.add("idps_conflict", idp["conflict_idps"], "persons", "millions", year=idp_year, sources=idmc, note=idp["file"],
            label="Internally displaced persons, conflict and violence (end of year)")
    out.add("idps_disaster", idp["disaster_idps"], "persons", "millions", year=idp_year, sources=idmc, note=idp["file"],
            label="Internally displaced persons, disasters (end of year)")
    add_headline_totals(out, refugee_year, idp_year)
    out.add("mmp_dead_missing", mmp_total(mmp_year), "persons", year=mmp_year, sources=[MMP],
            label="Migrants recorded dead or missing (Missing Migrants Project)")
    return out


population_source = migrants.population_source

HEADLINE_LABELS = {"displaced_total": "People displaced in total (refugees, asylum-seekers, other people in need of "
                                      "international protection, IDPs from conflict and disasters)",
                   "refugees_incl_unrwa": "Refugees under UNHCR and UNRWA mandates",
                   "displaced_total_year": "Year of the displacement total (end of year)",
                   "stateless": "Stateless persons"}


def add_headline_totals(specs: FactSpecs, refugee_year: int, idp_year: int) -> None:
    """Add the WMR's headline totals (displaced in total and its year, refugees incl. UNRWA, stateless), labelled."""
    for f in displacement.headline_facts(refugee_year, idp_year, fmt.millions):
        if f["name"] in HEADLINE_LABELS:
            specs.add(**f, label=HEADLINE_LABELS[f["name"]])


def mmp_total(year: int) -> int:
    """Deaths and disappearances recorded by the Missing Migrants Project in `year` (minimum estimate)."""
    df = missing_migrants.load_incidents()
    return int(df.loc[df["year"] == year, "dead_and_missing"].sum())


def as_table(specs: FactSpecs, recorded: dict[str, Fact]) -> pd.DataFrame:
    """The key-facts table: indicator, value exactly as printed (a ranked row with its country), year, and the
    sources' data set names (readers see names; the ids stay in the table's metadata and on the data sources page).
    A year is shown in the Year column, not as a row."""
    rows = [(label, recorded[name]) for name, label in specs.labels.items() if recorded[name].unit != "year"]
    country = {name: recorded.get(f"{name}_country") for name, _ in specs.labels.items()}
    shown = [f"{country[f.name].value} ({f.display})" if country[f.name] else f.display for _, f in rows]
    return pd.DataFrame({"Indicator": [label for label, _ in rows], "Value": shown,
                         "Year": [str(f.year) for _, f in rows],
                         "Source": ["; ".join(summary(sid).dataset for sid in f.sources) for _, f in rows]})


def sources(specs: FactSpecs) -> list[str]:
    """Every source of the key facts (the key-facts table's sources)."""
    return sorted({s for spec in specs for s in spec["sources"]})
