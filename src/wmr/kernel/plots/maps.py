"""World choropleth maps on Natural Earth shapes."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Polygon
from matplotlib.ticker import FuncFormatter

from .. import countries, style


def world_map(shapes: pd.DataFrame, values: pd.DataFrame, *, iso3: str, value: str, bins: Sequence[float],
              legend_title: str, size: str = "map", tick_format=None, name: str = "country"):
    """Choropleth of `value` by ISO3 on Natural Earth shapes; countries without data are hatched grey.

    `shapes` has columns iso3 and geometry (GeoJSON dict); returns the plotted table: code, name (the `name`
    column of `values`, else the country's name from the pinned naming table) and value.
    """
    fig, ax = style.figure(size)
    ax.set_axis_off()
    ax.grid(False)
    colors = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"][: len(bins) - 1]
    cmap = ListedColormap(colors)
    norm = BoundaryNorm(bins, cmap.N)
    lookup = dict(zip(values[iso3], values[value]))
    patches, vals, missing = [], [], []
    for code, geom in zip(shapes["iso3"], shapes["geometry"]):
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            patch = Polygon(np.asarray(poly[0]), closed=True)
            v = lookup.get(code)
            if v is None or pd.isna(v):
                missing.append(patch)
            else:
                patches.append(patch)
                vals.append(v)
    coll = PatchCollection(patches, cmap=cmap, norm=norm, edgecolor="white", linewidth=0.2)
    coll.set_array(np.asarray(vals))
    ax.add_collection(coll)
    ax.add_collection(PatchCollection(missing, facecolor="#f0f0f0", edgecolor="#bdbdbd", linewidth=0.2, hatch="///"))
    ax.set_xlim(-170, 190)
    ax.set_ylim(-58, 85)
    ax.set_aspect("equal")
    cb = fig.colorbar(coll, ax=ax, orientation="horizontal", fraction=0.05, pad=0.02, aspect=40, spacing="uniform")
    cb.set_label(legend_title)
    if tick_format is not None:  # e.g. '10k' for 1e4 on a logarithmic set of bins
        cb.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: tick_format(v)))
    plotted = values[values[iso3].isin(set(shapes["iso3"]))].sort_values(iso3).reset_index(drop=True)
    if name in plotted.columns:
        plotted = plotted[[iso3, name, value]]
    else:
        plotted = countries.with_names(plotted[[iso3, value]], iso3, name)
    return fig, plotted
