"""Asylum decisions and durable solutions (UNHCR) for the governance chapter.

Recognition rates follow UNHCR's definitions on substantive decisions only (otherwise closed cases, e.g.
withdrawn or abandoned claims, are left out):
- total recognition rate (TRR) = (recognised + complementary protection) / (recognised + complementary
  protection + rejected);
- refugee status rate = recognised / the same denominator (UNHCR's Convention recognition rate).
Decisions are counted in persons (`dec_pc == 'P'`): the few decisions reported as cases (households) are
a different unit and are left out, their share is reported by `case_share`. All decision levels (first
instance, appeal) and procedures (State, UNHCR, joint) are included, as in UNHCR's global figures.
"""
from __future__ import annotations

import pandas as pd

from ..countries import with_names
from ..sources import unhcr

SOURCE = unhcr.SOURCE
OUTCOMES = ["recognized", "complementary", "rejected", "closed"]
_RENAME = {"dec_recognized": "recognized", "dec_other": "complementary", "dec_rejected": "rejected",
           "dec_closed": "closed"}
UNKNOWN_ORIGINS = frozenset({"UNK", "UKN"})  # 'various or unknown' origin: not a country, left out of rankings
MIN_DECISIONS = 1000  # an origin's rate is shown only for years with at least this many substantive decisions


def _decisions(first: int, last: int, unit: str = "P") -> pd.DataFrame:
    d = unhcr.load_asylum_decisions()
    d = d[d["year"].between(first, last) & d["dec_pc"].eq(unit)]
    return d.rename(columns=_RENAME)


def _rates(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["substantive"] = df["recognized"] + df["complementary"] + df["rejected"]
    df["trr_pct"] = 100 * (df["recognized"] + df["complementary"]) / df["substantive"]
    df["refugee_status_pct"] = 100 * df["recognized"] / df["substantive"]
    return df


def decisions_by_year(first: int, last: int) -> pd.DataFrame:
    """year, recognized, complementary, rejected, closed, substantive (persons), trr_pct, refugee_status_pct."""
    g = _decisions(first, last).groupby("year", as_index=False)[OUTCOMES].sum()
    return _rates(g).reset_index(drop=True)


def case_share(year: int) -> float:
    """Percentage of the year's substantive decisions reported as cases rather than persons (left out here)."""
    sub = {}
    for unit in ("P", "C"):
        d = _decisions(year, year, unit)
        sub[unit] = float((d["recognized"] + d["complementary"] + d["rejected"]).sum())
    return 100 * sub["C"] / (sub["P"] + sub["C"])


def by_origin(year: int) -> pd.DataFrame:
    """Decisions in `year` by country of origin: iso3, country, outcomes, substantive, rates (unknown origin excluded)."""
    d = _decisions(year, year)
    d = d[~d["coo_iso"].isin(UNKNOWN_ORIGINS)]
    g = d.groupby("coo_iso", as_index=False)[OUTCOMES].sum().rename(columns={"coo_iso": "iso3"})
    return _named(_rates(g))


def top_origins(year: int, n: int = 10) -> pd.DataFrame:
    """The n origins with most substantive decisions in `year`: rank, iso3, country, outcomes, rates."""
    df = by_origin(year).sort_values(["substantive", "iso3"], ascending=[False, True]).head(n).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


def origin_rates(iso3: list[str], first: int, last: int, min_decisions: int = MIN_DECISIONS) -> pd.DataFrame:
    """Total recognition rate by year (rows) for the given origins (columns, ISO3); NaN below `min_decisions`."""
    d = _decisions(first, last)
    d = d[d["coo_iso"].isin(iso3)]
    g = _rates(d.groupby(["year", "coo_iso"], as_index=False)[OUTCOMES].sum())
    g.loc[g["substantive"] < min_decisions, "trr_pct"] = float("nan")
    wide = g.pivot(index="year", columns="coo_iso", values="trr_pct").reindex(range(first, last + 1))
    return wide.reindex(columns=list(iso3)).rename_axis(columns=None).reset_index()


def solutions_by_year(first: int, last: int) -> pd.DataFrame:
    """year, returned_refugees, resettlement, naturalisation (persons during the year; sums of reported rows)."""
    s = unhcr.load_solutions()
    s = s[s["year"].between(first, last)]
    cols = ["returned_refugees", "resettlement", "naturalisation"]
    return s.groupby("year", as_index=False)[cols].sum(min_count=1).reset_index(drop=True)


def resettlement_countries(first: int, last: int, n: int = 10) -> pd.DataFrame:
    """The n countries that resettled most refugees over first..last: rank, iso3, country, resettled, share_pct."""
    s = unhcr.load_solutions()
    s = s[s["year"].between(first, last)]
    g = s.groupby("coa_iso", as_index=False)["resettlement"].sum().rename(columns={"coa_iso": "iso3",
                                                                                    "resettlement": "resettled"})
    g["share_pct"] = 100 * g["resettled"] / g["resettled"].sum()
    g = g.sort_values(["resettled", "iso3"], ascending=[False, True]).head(n).reset_index(drop=True)
    g.insert(0, "rank", range(1, len(g) + 1))
    return with_names(g)


def _named(df: pd.DataFrame) -> pd.DataFrame:
    """with_names, falling back to UNHCR's own name for codes M49 does not know (e.g. stateless)."""
    out = with_names(df)
    unhcr_names = dict(zip(unhcr.load_countries()["iso3"], unhcr.load_countries()["name"]))
    unnamed = out["country"].eq(out["iso3"])
    out.loc[unnamed, "country"] = out.loc[unnamed, "iso3"].map(unhcr_names).fillna(out.loc[unnamed, "iso3"])
    return out
