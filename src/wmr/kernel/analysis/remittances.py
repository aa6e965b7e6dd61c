"""Remittance indicators from the World Bank-KNOMAD inflows (US$, current prices).

Each figure reads one vintage: the oldest pinned vintage whose data reach the last year asked for
(`source_for`): the June 2023 workbook for 2022 (wmr-2024), the Data360 file for 2023 (wmr-2026). A
series never mixes vintages.
"""
from __future__ import annotations

import pandas as pd

from wmr.core.errors import not_covered

from ..countries import with_names
from ..sources import remittances as src

SOURCE = src.SOURCE  # the June 2023 vintage (the default of older callers)
WORLD = "World"
LMIC = "Low-and Middle-Income Countries"


def source_for(last: int) -> str:
    """The oldest pinned inflow vintage with data for `last` (so an edition keeps the vintage of its year)."""
    for source in src.INFLOW_SOURCES:
        if src.last_inflow_year(source) >= last:
            return source
    raise not_covered(f"remittance vintage reaching {last}", last, ", ".join(src.INFLOW_SOURCES) + " (their last years)")


def sources_for(last: int) -> list[str]:
    """Source ids behind the figures of `last`: the vintage, plus the WDI income classification it uses for LMIC."""
    source = source_for(last)
    return [source] if source == src.SOURCE else [source, src.SOURCE]


def _inflows(last: int) -> pd.DataFrame:
    return src.load_inflows(source_for(last))


def world_series(first: int, last: int) -> pd.DataFrame:
    """year, world_usd, lmic_usd (US dollars) from `first` to `last` inclusive."""
    df = _inflows(last)
    agg = df[df["kind"] == "aggregate"].pivot_table(index="year", columns="name", values="usd", aggfunc="sum")
    out = pd.DataFrame({"year": agg.index.astype("int64"), "world_usd": agg[WORLD].to_numpy(),
                        "lmic_usd": agg[LMIC].to_numpy()})
    return out[(out["year"] >= first) & (out["year"] <= last)].reset_index(drop=True)


def totals(year: int) -> dict:
    """World and low- and middle-income inflows in `year` (US dollars)."""
    row = world_series(year, year)
    if row.empty:
        raise not_covered(f"KNOMAD remittance aggregates for {year}", year, "the years of the pinned remittance source")
    return {"world_usd": float(row["world_usd"].iloc[0]), "lmic_usd": float(row["lmic_usd"].iloc[0])}


def top_recipients(year: int, n: int = 10) -> pd.DataFrame:
    """The n countries receiving most remittances in `year`: rank, iso3, country, usd."""
    df = _inflows(year)
    df = df[(df["kind"] == "country") & (df["year"] == year)].dropna(subset=["usd"])
    df = df.sort_values(["usd", "iso3"], ascending=[False, True]).head(n).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    return with_names(df[["rank", "iso3", "usd"]])


def country_series(iso3: list[str], first: int, last: int) -> pd.DataFrame:
    """year x country inflows (US dollars) for the given countries, wide by ISO3."""
    df = _inflows(last)
    df = df[(df["kind"] == "country") & df["iso3"].isin(iso3) & df["year"].between(first, last)]
    return df.pivot_table(index="year", columns="iso3", values="usd").reset_index()
