"""The HTML "Countries and areas" part: an index by region with search and a world map, and one page per profile.

Profile pages are rendered like chapters (chapter_body: numbered figures and tables, provenance popovers,
"Numbers in this profile"), and each offers one CSV holding every number on the page. The map is an SVG
drawn from the pinned Natural Earth 1:110m shapes; each country with a profile is a link (reachable by
keyboard, named by its title); places too small for the map are reached from the index.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from wmr.kernel.sources import m49, naturalearth

from .collation import sort_key
from .document import Figure, Table, label
from .pagebody import Page, chapter_body, chapter_facts, fact_id
from .pagecheck import check_page
from .profiledoc import ProfileDoc

# pinned files the assembly reads itself, not in a run: the world map's shapes and the M49 codes they are checked on
ASSEMBLY_PINS = [(naturalearth.SOURCE, naturalearth.FILE), (m49.SOURCE, m49.FILE)]

INDEX_PAGE = "profiles.html"
CSV_DIR = "data"
REGION_ORDER = ("Africa", "Asia", "Europe", "Latin America and the Caribbean", "Northern America", "Oceania")
MAP_WIDTH, MAP_HEIGHT = 960, 440   # equirectangular, longitude -180..180, latitude 85..-58


def csv_name(doc: ProfileDoc) -> str:
    return f"{CSV_DIR}/profile-{doc.iso3.lower()}.csv"


def profile_csv(doc: ProfileDoc) -> str:
    """Every number of a profile page: all its facts (as facts.json holds them, the words too: the coverage
    sentence is highlighted or not by whether it has a digit), and each row of its figures' and tables' data."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["iso3", "section", "item", "value", "display", "unit", "year", "sources"])
    for name, fact in doc.ledgers[doc.iso3].facts.items():   # recorded order
        w.writerow([doc.iso3, "facts", fact_id(doc, doc.iso3, name), fact.value, fact.display, fact.unit,
                    "" if fact.year is None else fact.year, " ".join(fact.sources)])
    for block in doc.blocks:
        if not isinstance(block, (Figure, Table)):
            continue
        rows = list(csv.reader((doc.figures_dir / block.files["csv"]).read_text(encoding="utf-8").splitlines()))
        head, body = rows[0], rows[1:]
        for row in body:
            labels = [v for v, h in zip(row, head) if not _is_number(v)]
            for h, v in zip(head, row):
                if _is_number(v) and h not in ("rank",):
                    w.writerow([doc.iso3, label(block), " · ".join([*labels, h]), v, "", block.units if
                                isinstance(block, Figure) else "", "", " ".join(block.sources)])
    return out.getvalue()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _ring_path(ring) -> str:
    pts = [(round((lon + 180) / 360 * MAP_WIDTH, 1), round((85 - lat) / 143 * MAP_HEIGHT, 1)) for lon, lat in ring]
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in pts) + "Z"


def world_map(profiles: list[ProfileDoc]) -> tuple[list[dict], list[ProfileDoc]]:
    """Shapes for the index map (path, link target, name) and the profiles too small to be drawn."""
    shapes = naturalearth.load_countries()
    by_code = {d.iso3: d for d in profiles}
    out, drawn = [], set()
    for code, geom in sorted(zip(shapes["iso3"], shapes["geometry"]), key=lambda t: t[0]):
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        d = " ".join(_ring_path(p[0]) for p in polys)
        doc = by_code.get(code)
        out.append({"d": d, "href": doc.page if doc else None, "name": doc.title if doc else None})
        if doc:
            drawn.add(code)
    return out, [d for d in profiles if d.iso3 not in drawn]


def regions(profiles: list[ProfileDoc]) -> list[dict]:
    """Profiles grouped by region (M49 order, then places outside M49), each group sorted by name as the page's
    language collates it; a group is named in that language (`region_name`), its id stays the English one."""
    names = list(REGION_ORDER) + sorted({d.region for d in profiles} - set(REGION_ORDER))
    groups = []
    for region in names:
        members = sorted((d for d in profiles if d.region == region), key=lambda d: (sort_key(d.title), d.iso3))
        if members:
            groups.append({"name": members[0].region_name or region,
                           "id": "region-" + "".join(c if c.isalnum() else "-" for c in region.lower()),
                           "profiles": members})
    return groups


def build_profile_pages(env: Environment, target: Path, profiles: list[ProfileDoc], common: dict) -> list[dict]:
    """Write the index and every profile page (and its CSV) into `target`; return them for the search index."""
    gettext = env.globals["gettext_plain"]   # the page's language (site.po), English for the English site
    searchable = []
    shapes, small = world_map(profiles)
    groups = regions(profiles)
    index = env.get_template("profiles-index.html.j2").render(current_file=INDEX_PAGE, sections=[], page="profiles",
                                                              groups=groups, shapes=shapes, small=small, total=len(profiles),
                                                              map_size=(MAP_WIDTH, MAP_HEIGHT), **common)
    _write(target, INDEX_PAGE, index)
    searchable.append({"url": INDEX_PAGE, "title": gettext("Countries and areas"), "html": index, "first_anchor": "top"})
    (target / CSV_DIR).mkdir(exist_ok=True)
    (target / "figures" / "profiles").mkdir(parents=True, exist_ok=True)
    tmpl = env.get_template("profile.html.j2")
    for i, doc in enumerate(profiles):
        body, sections, _ = chapter_body(Page(doc, doc.page, doc.title, None, list(doc.blocks)), env, {})
        facts = chapter_facts(doc)
        sections.append({"id": "numbers", "text": gettext("Numbers in this profile")})
        page = tmpl.render(current=doc, current_file=doc.page, sections=sections, body=Markup(body), facts=facts, page="profile",
                           csv=csv_name(doc), prev_profile=profiles[i - 1] if i else None,
                           next_profile=profiles[i + 1] if i + 1 < len(profiles) else None, **common)
        _write(target, doc.page, page, source=f"the profile '{doc.iso3}'")
        (target / csv_name(doc)).write_text(profile_csv(doc), encoding="utf-8")
        for block in doc.blocks:
            if isinstance(block, (Figure, Table)):
                for name in block.files.values():
                    (target / "figures" / "profiles" / name).write_bytes((doc.figures_dir / name).read_bytes())
        searchable.append({"url": doc.page, "title": gettext("%(name)s (profile)") % {"name": doc.title}, "html": page, "first_anchor": "top"})
    return searchable


def _write(target: Path, name: str, page: str, source: str = "") -> None:
    check_page(name, page, source)
    (target / name).write_text(page, encoding="utf-8")
