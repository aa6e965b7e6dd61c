"""A country or area profile's two charts, with titles, captions and alt text that cite the profile's facts.

Why here: the profile notebook stays a list of short calls, and the chart texts state their numbers through
facts (one display per number, translatable with its roles intact), as the chapters' do.
"""
from __future__ import annotations

from ..facts import FactSpecs
from ..plots import profile_charts
from . import profiles as P


def _has(specs: FactSpecs, *names: str) -> bool:
    recorded = {s["name"] for s in specs}
    return all(n in recorded for n in names)


TREND_TITLE = "International migrants in and from {fact}`name`, {fact}`first_year`–{fact}`stock_year`"
TREND_CAPTION = "Immigrants: migrants living in the country or area. Emigrants: people born there living abroad."
PARTNERS_TITLE = "Main origins of immigrants and destinations of emigrants, {fact}`name`, {fact}`stock_year`"
PARTNERS_CAPTION = "Migrants whose origin UN DESA does not specify are left out of the ranking."


def _trend_alt(emigrants: bool) -> str:
    alt = ("Line chart: immigrants in {fact}`name_in_text` went from {fact}`immigrants_first` in {fact}`first_year` "
           "to {fact}`immigrants` in {fact}`stock_year`")
    return alt + ("; {fact}`emigrants` people born there lived abroad in {fact}`stock_year`." if emigrants else ".")


def _partners_alt(origin: bool, destination: bool) -> str:
    said = []
    if origin:
        said.append("most immigrants in {fact}`name_in_text` came from {fact}`top_origin`")
    if destination:
        said.append("the largest number of its emigrants lived in {fact}`top_destination`")
    return ("Bar charts of the main countries of origin of immigrants and of destination of emigrants in "
            "{fact}`stock_year`" + (": " + "; ".join(said) if said else "") + ".")


def texts() -> list[str]:
    """Every title, caption and alt text the two charts can have (what the translation catalogs hold)."""
    return [TREND_TITLE, TREND_CAPTION, _trend_alt(True), _trend_alt(False), PARTNERS_TITLE, PARTNERS_CAPTION,
            *(_partners_alt(o, d) for o in (True, False) for d in (True, False))]


def trend_figure(prof: P.Profile, specs: FactSpecs) -> dict:
    """Keyword arguments of Chapter.figure for the immigrants and emigrants line chart."""
    fig, data = profile_charts.trend_chart(P.trend_data(prof))
    return {"fig": fig, "data": data, "sources": [prof.params.ims_source], "units": "persons",
            "title": TREND_TITLE, "caption": TREND_CAPTION, "alt": _trend_alt(_has(specs, "emigrants"))}


def partners_figure(prof: P.Profile, specs: FactSpecs) -> dict:
    """Keyword arguments of Chapter.figure for the bar charts of the main origins and destinations."""
    fig, data = profile_charts.partners_chart(P.partners_data(prof))
    return {"fig": fig, "data": data, "sources": [prof.params.ims_source], "units": "persons",
            "title": PARTNERS_TITLE, "caption": PARTNERS_CAPTION,
            "alt": _partners_alt(_has(specs, "top_origin"), _has(specs, "top_destination"))}
