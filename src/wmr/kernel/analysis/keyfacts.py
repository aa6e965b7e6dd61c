"""The report overview's key facts: one spec per figure, computed from the edition's pins."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import fmt
from ..countries import in_text
from ..provenance import summary
from ..sources import missing_migrants
from . import displacement, migrants, remittances

MMP = "iom-missing-migrants"


@dataclass(frozen=True)
class KeyFact:
    """A fact to record (keyword arguments of Chapter.fact) and the label of its row in the key-facts table;
    a ranked row also names its country as a fact of its own (`name_fact`, '<name>_country')."""

    label: str
    fact: dict
    name_fact: dict | None = None

    @property
    def sources(self) -> list[str]:
        return self.fact["sources"]


def _spec(label: str, name_: str, value, unit: str, year: int, sources: list[str], fmt_: str = "count",
          display: str | None = None, note: str = "") -> KeyFact:
    return KeyFact(label, {"name": name_, "value": value, "unit": unit, "year": year, "sources": sources,
                           "fmt": fmt_, "display": display, "note": note})


def _ranked(prefix: str, label: str, table: pd.DataFrame, value_col: str, unit: str, year: int,
            sources: list[str], shown) -> list[KeyFact]:
    out = []
    for r in table.itertuples():
        spec = _spec(f"{label}, rank {r.rank}", f"{prefix}_{r.rank}", getattr(r, value_col), unit, year, sources,
                     display=shown(getattr(r, value_col)), note=f"{r.iso3}")
        name = _spec("", f"{prefix}_{r.rank}_country", in_text(r.iso3), "country", year, sources, "text", note=r.iso3)
        out.append(KeyFact(spec.label, spec.fact, name.fact))
    return out


def key_facts(ims_source: str, stock_year: int, remittance_year: int, refugee_year: int, idp_year: int,
              mmp_year: int, top_n: int = 5) -> list[KeyFact]:
    """Every key fact of the overview, in the order of the key-facts table."""
    ims_src = [ims_source]
    head = migrants.headline(ims_source, stock_year)
    pop_src = migrants.population_source(ims_source)
    out = [
        _spec("International migrants", "migrants_total", head["total"], "persons", stock_year, ims_src, "millions"),
        _spec("International migrants, % of world population", "migrants_share_pct", round(head["share_pct"], 4),
              "percent", stock_year, [*ims_src, pop_src], "percent",
              note=f"World population of {stock_year} from {pop_src} (Table 2), the population UN DESA divides by."),
        _spec("Female share of international migrants", "migrants_female_share_pct",
              round(head["female_share_pct"], 4), "percent", stock_year, ims_src, "percent"),
    ]
    out += _ranked("top_destination", "Destination country", migrants.top_destinations(ims_source, stock_year, top_n),
                   "migrants", "persons", stock_year, ims_src, fmt.millions)
    out += _ranked("top_origin", "Country of origin", migrants.top_origins(ims_source, stock_year, top_n),
                   "migrants", "persons", stock_year, ims_src, fmt.millions)
    rem = remittances.totals(remittance_year)
    rem_src = remittances.sources_for(remittance_year)
    out += [
        _spec("International remittances, worldwide", "remittances_world", rem["world_usd"], "US$ (current)",
              remittance_year, rem_src, "usd_billions"),
        _spec("Remittances to low- and middle-income countries", "remittances_lmic", rem["lmic_usd"],
              "US$ (current)", remittance_year, rem_src, "usd_billions"),
    ]
    out += _ranked("top_remittance_recipient", "Remittance recipient",
                   remittances.top_recipients(remittance_year, top_n), "usd", "US$ (current)", remittance_year,
                   rem_src, fmt.usd_billions)
    ref = displacement.refugee_totals(refugee_year)
    idp = displacement.idp_totals(idp_year)
    un = [displacement.UNHCR]
    out += [
        _spec("Refugees under UNHCR mandate", "refugees_unhcr", ref["refugees"], "persons", refugee_year, un, "millions"),
        _spec("Palestine refugees under UNRWA mandate", "refugees_unrwa", ref["unrwa"], "persons", refugee_year, un,
              "millions"),
        _spec("Asylum-seekers", "asylum_seekers", ref["asylum_seekers"], "persons", refugee_year, un, "millions"),
        _spec("Internally displaced persons, conflict and violence (end of year)", "idps_conflict",
              idp["conflict_idps"], "persons", idp_year, displacement.idp_sources(idp_year), "millions", note=idp["file"]),
        _spec("Internally displaced persons, disasters (end of year)", "idps_disaster", idp["disaster_idps"], "persons",
              idp_year, displacement.idp_sources(idp_year), "millions", note=idp["file"]),
        *headline_totals(refugee_year, idp_year),
        _spec("Migrants recorded dead or missing (Missing Migrants Project)", "mmp_dead_missing",
              mmp_total(mmp_year), "persons", mmp_year, [MMP], "count"),
    ]
    return out


population_source = migrants.population_source

HEADLINE_LABELS = {"displaced_total": "People displaced in total (refugees, asylum-seekers, other people in need of "
                                      "international protection, IDPs from conflict and disasters)",
                   "refugees_incl_unrwa": "Refugees under UNHCR and UNRWA mandates",
                   "displaced_total_year": "Year of the displacement total (end of year)",
                   "stateless": "Stateless persons"}


def headline_totals(refugee_year: int, idp_year: int) -> list[KeyFact]:
    """The WMR's headline totals (displaced in total, refugees incl. UNRWA, stateless) as key facts."""
    return [KeyFact(HEADLINE_LABELS[f["name"]], {"display": None, **f})
            for f in displacement.headline_facts(refugee_year, idp_year, fmt.millions) if f["name"] in HEADLINE_LABELS]


def mmp_total(year: int) -> int:
    """Deaths and disappearances recorded by the Missing Migrants Project in `year` (minimum estimate)."""
    df = missing_migrants.load_incidents()
    return int(df.loc[df["year"] == year, "dead_and_missing"].sum())


def as_table(specs: list[KeyFact], recorded: list) -> pd.DataFrame:
    """The key-facts table: indicator, value exactly as printed, year, and the sources' data set names (readers
    see names; the ids stay in the table's metadata and on the data sources page). A year is shown in the
    Year column, not as a row."""
    rows = [(s, f) for s, f in zip(specs, recorded) if f.unit != "year"]
    shown = [f"{s.name_fact['value']} ({f.display})" if s.name_fact else f.display for s, f in rows]
    return pd.DataFrame({"Indicator": [s.label for s, _ in rows], "Value": shown,
                         "Year": [str(f.year) for _, f in rows],
                         "Source": ["; ".join(summary(sid).dataset for sid in f.sources) for _, f in rows]})


def sources(specs: list[KeyFact]) -> list[str]:
    return sorted({s for spec in specs for s in spec.sources})
