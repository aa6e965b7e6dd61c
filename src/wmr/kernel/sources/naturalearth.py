"""Natural Earth 1:110m admin-0 country shapes (GeoJSON), for world maps.

Plain JSON, no GIS library: each country's geometry is the GeoJSON geometry dict (Polygon or
MultiPolygon, WGS84 longitude/latitude). Not cached as parquet: the file is small and parses in
milliseconds.

Codes: `iso3` is ISO_A3_EH where that is a code, else ADM0_A3 (ISO_A3 and ISO_A3_EH are '-99' for
France, Norway, Northern Cyprus, Kosovo and Somaliland; ADM0_A3 alone would give Natural Earth codes
PSX, SAH, SDS where ISO_A3_EH gives PSE, ESH, SSD). Codes UNSD M49 does not know are kept and reported
by `unknown_codes()` (documented in NON_M49); a new one stops the load. Small states are absent at this
scale (Singapore, Malta, Bahrain, Maldives, Cabo Verde, Mauritius...): draw them as points.
"""
from __future__ import annotations

import json

import pandas as pd

from wmr.core.errors import LoaderError, ValidationError

from .. import pins
from ..validate import check_codes, check_columns, check_unique
from . import m49

SOURCE = "naturalearth-110m"
FILE = "ne_110m_admin_0_countries.json"
# Natural Earth codes of areas UNSD M49 does not list.
NON_M49 = frozenset({
    "CYN",  # Northern Cyprus (Natural Earth code)
    "KOS",  # Kosovo (Natural Earth code; ISO user-assigned code is XKX)
    "SOL",  # Somaliland (Natural Earth code)
    "TWN",  # Taiwan
})

COLUMNS = {
    "iso3": "str",      # ISO3 (ISO_A3_EH, else ADM0_A3; see module docstring)
    "name": "str",      # ADMIN name in Natural Earth spelling (2017: 'Turkey', 'Swaziland', 'Macedonia')
    # geometry: GeoJSON geometry dict {'type': 'Polygon' | 'MultiPolygon', 'coordinates': [...]}
}


def _iso3(props: dict) -> str:
    code = str(props.get("ISO_A3_EH", ""))
    return code if len(code) == 3 and code.isalpha() else str(props["ADM0_A3"])


def load_countries() -> pd.DataFrame:
    """One row per Natural Earth country: iso3, name, geometry (GeoJSON dict).

    Why: the base layer of the report's world maps, joined to data on iso3.
    """
    path = pins.resolve(SOURCE, FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    features = data.get("features") if isinstance(data, dict) else None
    if not features or any(f.get("geometry", {}).get("type") not in ("Polygon", "MultiPolygon") for f in features):
        raise LoaderError(f"{FILE} is not a FeatureCollection of (Multi)Polygons.",
                          expected="GeoJSON features with Polygon or MultiPolygon geometries",
                          got=type(data).__name__, fix="check the pinned file")
    df = pd.DataFrame({
        "iso3": [_iso3(f["properties"]) for f in features],
        "name": [str(f["properties"]["ADMIN"]) for f in features],
        "geometry": [f["geometry"] for f in features],
    })
    check_columns(df, "naturalearth countries", COLUMNS)
    check_unique(df, "naturalearth countries", ["iso3"])
    if new := unknown_codes(df) - NON_M49:
        raise ValidationError("Natural Earth holds country codes unknown to M49 and undocumented.",
                              expected="M49 ISO3 codes or one of " + ", ".join(sorted(NON_M49)), got=sorted(new),
                              fix="document the codes in NON_M49 of wmr/sources/naturalearth.py (they are kept)")
    return df


def unknown_codes(df: pd.DataFrame) -> set[str]:
    """Codes of `df` that UNSD M49 does not list (CYN, KOS, SOL, TWN in the pinned file)."""
    return check_codes(df["iso3"], "naturalearth countries", m49.known_iso3())
