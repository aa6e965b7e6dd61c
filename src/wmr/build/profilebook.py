"""The profiles PDF (report/<edition>/<edition>-profiles.pdf): each profile on one or two A4 pages.

Built with the book's machinery (book.py, templates/wmr-book.typ): the same block data, escaping, Typst
call with bundled fonts and the release date as timestamp (so rebuilds are byte-identical), and the same
error handling. Each profile has its prose (pandoc), its key-figures table and its two charts side by side;
the contents are grouped by region.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from functools import partial
from pathlib import Path

import pypandoc
import typst

from wmr.core import paths
from wmr.kernel import pins

from .book import FIG_ROOT, LIBRARY, _compile, _figure_svg, _role, book_data, chart_fonts, esc, page_count, typst_string
from .document import Figure, Prose, Table, resolve_roles
from .editions import Edition
from .profiledoc import ProfileDoc
from .profilesite import regions

TEMPLATES = Path(__file__).parent / "templates"
MAIN = "profiles-book.typ"
DATA = "book.json"
BODY = "profiles-body.typ"
_HEADING = re.compile(r"^#+\s.*$", re.M)


def profiles_pdf_name(edition: Edition) -> str:
    return f"{edition.id}-profiles.pdf"


def profile_key(doc: ProfileDoc) -> str:
    return f"profile:{doc.iso3.lower()}"


def _block_key(doc: ProfileDoc, block) -> str:
    from .book import block_key

    return block_key(doc, block)


def profile_markdown(doc: ProfileDoc) -> str:
    """One profile: its heading (level 2, under its region), prose without section headings, then its blocks."""
    out = [f"## {esc(doc.title)} {{#{profile_key(doc)}}}", ""]
    for block in doc.blocks:
        if isinstance(block, Prose):
            text = _HEADING.sub("", resolve_roles(block.markdown, doc, block.run, partial(_role, doc)))
            if text.strip():
                out += [text.strip(), ""]
    tables = [_block_key(doc, b) for b in doc.blocks if isinstance(b, Table)]
    figures = [_block_key(doc, b) for b in doc.blocks if isinstance(b, Figure)]
    call = f"#profile-blocks(({', '.join(typst_string(k) for k in tables)},), ({', '.join(typst_string(k) for k in figures)},))"
    out += ["```{=typst}", call, "```", ""]
    return "\n".join(out)


def body_markdown(profiles: list[ProfileDoc]) -> str:
    """All profiles, grouped by region (a level-1 heading each)."""
    parts = []
    for group in regions(profiles):
        parts.append(f"# {esc(group['name'])} {{#region:{group['id']}}}\n")
        parts += [profile_markdown(d) for d in group["profiles"]]
    return "\n".join(parts)


def _sources(edition: Edition, profiles: list[ProfileDoc]) -> list[dict]:
    """The sources the profiles cite, with citation, licence and each file's checksum."""
    used = set().union(*(d.sources_used() for d in profiles))
    manifest = pins.load_manifest()
    out = []
    for sid in [s for s in edition.sources if s in used] + sorted(used - set(edition.sources)):
        s = manifest[sid]
        out.append({"id": s.id, "title": s.title, "publisher": s.publisher, "citation": s.citation,
                    "license": s.license, "url": s.url, "files": [{"name": f.name, "sha256": f.sha256} for f in s.files]})
    return out


def build_profiles_pdf(edition: Edition, profiles: list[ProfileDoc], workdir: Path, target: Path,
                       release_date: dt.date) -> int:
    """Write the profiles PDF to `target` (via `workdir`); returns its number of pages."""
    for doc in profiles:
        dest = workdir / FIG_ROOT / doc.slug
        dest.mkdir(parents=True, exist_ok=True)
        for fig in doc.figures:
            shutil.copy2(doc.figures_dir / _figure_svg(fig), dest / _figure_svg(fig))
    data = book_data(edition, [], release_date)
    data["blocks"] = {_block_key(d, b): _block(d, b) for d in profiles for b in d.blocks if isinstance(b, (Figure, Table))}
    data["sources"] = _sources(edition, profiles)
    data["count"] = len(profiles)
    (workdir / DATA).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    md = body_markdown(profiles)
    body = pypandoc.convert_text(md, "typst", format="markdown", extra_args=["--wrap=preserve"])
    (workdir / BODY).write_text(f'#import "{LIBRARY}": *\n#import "{MAIN}": profile-blocks\n\n{body}', encoding="utf-8")
    for name in (MAIN, LIBRARY):
        shutil.copyfile(TEMPLATES / name, workdir / name)
    (workdir / "main.typ").write_text(f'#import "{MAIN}": *\n#show: profiles-book\n#include "{BODY}"\n#profile-sources()\n',
                                      encoding="utf-8")
    stamp = int(dt.datetime.combine(release_date, dt.time(12), tzinfo=dt.timezone.utc).timestamp())
    compiler = typst.Compiler(str(workdir / "main.typ"), root=str(workdir), font_paths=chart_fonts(),
                              ignore_system_fonts=True)
    pdf = _compile(compiler, edition, workdir, stamp, {}, "the profiles PDF")   # tagged PDF/UA-1, as the book
    paths.atomic_write_bytes(target, pdf)
    return page_count(pdf)


def _block(doc: ProfileDoc, block) -> dict:
    from .book import _block_data

    return _block_data(doc, block)
