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


def trend_figure(prof: P.Profile, specs: FactSpecs) -> dict:
    """Keyword arguments of Chapter.figure for the immigrants and emigrants line chart."""
    fig, data = profile_charts.trend_chart(P.trend_data(prof))
    alt = ("Line chart: immigrants in {fact}`name_in_text` went from {fact}`immigrants_first` in {fact}`first_year` "
           "to {fact}`immigrants` in {fact}`stock_year`")
    alt += ("; {fact}`emigrants` people born there lived abroad in {fact}`stock_year`."
            if _has(specs, "emigrants") else ".")
    return {"fig": fig, "data": data, "sources": [prof.params.ims_source], "units": "persons",
            "title": "International migrants in and from {fact}`name`, {fact}`first_year`–{fact}`stock_year`",
            "caption": "Immigrants: migrants living in the country or area. Emigrants: people born there living "
                       "abroad.",
            "alt": alt}


def partners_figure(prof: P.Profile, specs: FactSpecs) -> dict:
    """Keyword arguments of Chapter.figure for the bar charts of the main origins and destinations."""
    fig, data = profile_charts.partners_chart(P.partners_data(prof))
    said = []
    if _has(specs, "top_origin"):
        said.append("most immigrants in {fact}`name_in_text` came from {fact}`top_origin`")
    if _has(specs, "top_destination"):
        said.append("the largest number of its emigrants lived in {fact}`top_destination`")
    alt = ("Bar charts of the main countries of origin of immigrants and of destination of emigrants in "
           "{fact}`stock_year`" + (": " + "; ".join(said) if said else "") + ".")
    return {"fig": fig, "data": data, "sources": [prof.params.ims_source], "units": "persons",
            "title": "Main origins of immigrants and destinations of emigrants, {fact}`name`, {fact}`stock_year`",
            "caption": "Migrants whose origin UN DESA does not specify are left out of the ranking.",
            "alt": alt}
