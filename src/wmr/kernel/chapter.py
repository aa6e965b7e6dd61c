"""What a chapter notebook calls: record facts, figures and tables as structured outputs.

Each call writes its files (figures as PNG and SVG, the plotted data as CSV, metadata as JSON) and
displays a JSON payload under a wmr MIME type; the assembler reads those payloads from the executed
notebook, so the notebook itself never formats HTML or Typst.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd

from wmr.core import paths
from wmr.core.errors import ChapterError
from wmr.core.errors import shown as quoted
from wmr.core.protocol import (  # noqa: F401; (the MIME types are re-exported)
    CHAPTER_ENV,
    EDITION_ENV,
    FACT_MIME,
    FIGURE_MIME,
    FIGURES_ENV,
    PROSE_MIME,
    ROLE_RE,
    RUN_ENV,
    TABLE_MIME,
)

from . import datafiles, pins, style
from .facts import Fact, make_fact
from .fmt import FORMATS

ID_RE = re.compile(r"^(fig|tab)-[a-z0-9][a-z0-9-]*$")


def _display(payload: dict, mime: str, text: str) -> None:
    from IPython.display import display

    display({mime: payload, "text/plain": text}, raw=True)


def _cell() -> str:
    """'in the cell executed as [7]': where the kernel is now, as the executed notebook numbers it."""
    try:
        from IPython import get_ipython

        count = get_ipython().execution_count
    except (ImportError, AttributeError):
        return ""
    return f"in the cell executed as [{count}]"


def source_record(source_id: str) -> dict:
    """Provenance of a pinned source as shown next to figures and in metadata files."""
    s = pins.source(source_id)
    return {"id": s.id, "title": s.title, "publisher": s.publisher, "edition": s.edition,
            "license": s.license, "citation": s.citation, "url": s.url}


class Chapter:
    """Context of one chapter run: its edition, where its files go, and the facts it has recorded."""

    def __init__(self) -> None:
        """The run's edition, chapter and run key come from the build (never typed in a notebook); a notebook
        opened by hand outside a build is a 'draft' run of a 'draft' edition."""
        self.edition = os.environ.get(EDITION_ENV) or "draft"
        self.slug = os.environ.get(CHAPTER_ENV) or "draft"
        self.run = os.environ.get(RUN_ENV) or None
        edition, slug = self.edition, self.slug
        env = os.environ.get(FIGURES_ENV)
        self.figures_dir = Path(env) if env else paths.figures_dir(edition, slug)
        self.facts: dict[str, Fact] = {}
        self._ids: dict[str, str] = {}    # figure/table id -> where it was first used (for the duplicate message)
        self._fact_cells: dict[str, str] = {}
        self._cell_start = len(pins.reads())
        try:  # a new code cell starts a new window of reads (see read_refs)
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:
            shell = None
        if shell is not None:
            shell.events.register("pre_run_cell", lambda *_: self.new_cell())

    # -- provenance ------------------------------------------------------------------------------
    def new_cell(self) -> None:
        """Start a new window of reads (called before each code cell runs)."""
        self._cell_start = len(pins.reads())

    def read_refs(self, sources: list[str]) -> list[str]:
        """The pinned files behind an output, as the read log records them: 'source/file' for each declared
        source, the files of it read in the current cell, else those read earlier in the run (cached data)."""
        log = pins.reads()
        out: list[str] = []
        for sid in dict.fromkeys(sources):
            def of(window: list[str]) -> list[str]:
                return [r for r in dict.fromkeys(window) if r.split("/", 1)[0] == sid]
            out += of(log[self._cell_start:]) or of(log)
        return out

    # -- facts -----------------------------------------------------------------------------------
    def fact(self, name: str, value, *, unit: str, year, sources: list[str], fmt: str = "count",
             display: str | None = None, note: str = "") -> Fact:
        """Record a named value the prose can cite as {fact}`name`; returns the Fact (with .display)."""
        f = make_fact(name, value, unit=unit, year=year, sources=sources, fmt=fmt, display=display, note=note,
                      reads=self.read_refs(sources))
        if name in self.facts:
            raise ChapterError(f"Fact '{name}' is recorded twice in chapter '{self.slug}'"
                               + (f" (run {self.run})" if self.run else "")
                               + f": first {self._fact_cells[name]} as {quoted(self.facts[name].display)}, "
                               f"again {_cell()} as {quoted(f.display)}.",
                               expected="one recording per fact name", got=name,
                               fix="give each fact its own name, or record it once")
        self.facts[name] = f
        self._fact_cells[name] = _cell()
        _display(f.to_json(), FACT_MIME, f"{name} = {f.display}")
        return f

    def record(self, specs) -> dict[str, Fact]:
        """Record several facts (each spec the keyword arguments of fact(), e.g. a FactSpecs); returns them by name."""
        return {spec["name"]: self.fact(**spec) for spec in specs}

    def prose(self, markdown: str, opening: bool = False) -> None:
        """Emit a paragraph whose wording a library function chose from the data (MyST text with {fact} roles).

        Why: a notebook's Markdown cells are the same in every run; where the data decide what is worth saying
        (a region's distinctive features), the sentences come from tested templates, their numbers from facts.
        `opening`: part of the chapter's introduction, printed once (from the first run) like the prose before
        the first code cell.
        """
        if not markdown or not markdown.strip():
            raise ChapterError("A prose paragraph is empty.", expected="Markdown text with {fact} roles", got=repr(markdown),
                               fix="pass the paragraph a wording function returned")
        _display({"markdown": markdown, "opening": opening}, PROSE_MIME, markdown)

    # -- figures and tables ----------------------------------------------------------------------
    def words(self, text: str, what: str = "text") -> str:
        """`text` with each {fact}`name` role replaced by the display of the fact this run recorded.

        Why: a caption, title or alt text states numbers through facts, as the prose does, so no number is typed
        or formatted twice and a translator sees one sentence with its roles intact.
        """
        def sub(m) -> str:
            role, name = m.group("role"), m.group("arg")
            if role != "fact":
                raise ChapterError(f"The {what} uses the role {m.group(0)}.", expected="only {fact} roles",
                                   got=m.group(0), fix="state the value through a recorded fact")
            if name not in self.facts:
                raise ChapterError(f"The {what} cites the fact '{name}', which this run has not recorded (yet).",
                                   expected=f"one of {sorted(self.facts)[:20]}" if self.facts else "a recorded fact",
                                   got=name, fix="record the fact before the figure or table that cites it")
            return self.facts[name].display
        return ROLE_RE.sub(sub, text)

    def _resolve(self, ident: str, **texts: str) -> tuple[list[str], dict[str, str]]:
        """(the texts with roles resolved, the texts as written): the payload keeps both; the build's checks read
        the written ones (no number typed outside a role)."""
        return [self.words(v, f"{k} of '{ident}'") for k, v in texts.items()], dict(texts)

    def _claim(self, ident: str, what: str = "") -> str:
        if not ID_RE.match(ident):
            raise ChapterError(f"Figure/table id '{ident}' is not valid.", expected="'fig-...' or 'tab-...' in lower-case-with-dashes",
                               got=ident, fix="rename the id")
        here = f"{what} {_cell()}".strip()
        if ident in self._ids:
            raise ChapterError(f"Figure/table id '{ident}' is used twice in chapter '{self.slug}': first by "
                               f"{self._ids[ident]}, again by {here}.",
                               expected="unique ids", got=ident, fix="give each figure and table its own id")
        self._ids[ident] = here
        return f"{self.run}-{ident}" if self.run else ident

    def _write(self, name: str, data: bytes) -> str:
        paths.atomic_write_bytes(self.figures_dir / name, data)
        return name

    def figure(self, ident: str, fig, *, title: str, caption: str, alt: str, data: pd.DataFrame,
               sources: list[str], units: str = "", note: str = "") -> None:
        """Save a matplotlib figure (PNG, SVG), its plotted data (CSV) and metadata (JSON); emit its payload."""
        stem = self._claim(ident, f"figure {quoted(title)}")
        (title, caption, alt), written = self._resolve(ident, title=title, caption=caption, alt=alt)
        if not alt or not alt.strip():
            raise ChapterError(f"Figure '{ident}' has no alt text.", expected="a sentence describing what the figure shows",
                               got=repr(alt), fix="pass alt='...' describing the figure for readers who cannot see it")
        if not sources:
            raise ChapterError(f"Figure '{ident}' has no sources.", expected="pinned source ids", got=sources,
                               fix="pass sources=[...]")
        images = style.render_formats(fig)
        files = {
            "png": self._write(f"{stem}.png", images["png"]),
            "svg": self._write(f"{stem}.svg", images["svg"]),
            "svg_text": self._write(f"{stem}.text.svg", images["svg-text"]),  # for the PDF
            "csv": self._write(f"{stem}.csv", datafiles.csv_bytes(data)),
        }
        style.close(fig)
        meta = {"id": ident, "kind": "figure", "title": title, "caption": caption, "alt": alt, "units": units,
                "note": note, "edition": self.edition, "chapter": self.slug, "run": self.run,
                "sources": [source_record(s) for s in sources]}
        files["json"] = self._write(f"{stem}.json", (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode())
        payload = {**meta, "sources": list(sources), "reads": self.read_refs(sources), "files": files,
                   "written": written}
        _display(payload, FIGURE_MIME, f"Figure {ident}: {title}")

    def table(self, ident: str, df: pd.DataFrame, *, title: str, caption: str, sources: list[str],
              note: str = "", formats: dict[str, str] | None = None) -> None:
        """Emit a table (rendered as a real HTML/Typst table) and save its data as CSV."""
        stem = self._claim(ident, f"table {quoted(title)}")
        (title, caption), written = self._resolve(ident, title=title, caption=caption)
        formats = formats or {}
        shown = df.copy()
        for col in shown.columns:
            fmt = formats.get(col)
            if fmt:
                shown[col] = [FORMATS[fmt](v) if pd.notna(v) else "–" for v in shown[col]]
            elif pd.api.types.is_float_dtype(shown[col]) or pd.api.types.is_integer_dtype(shown[col]):
                shown[col] = [FORMATS["count"](v) if pd.notna(v) else "–" for v in shown[col]]
        numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
        files = {"csv": self._write(f"{stem}.csv", datafiles.csv_bytes(df))}
        payload = {"id": ident, "kind": "table", "title": title, "caption": caption, "note": note,
                   "edition": self.edition, "chapter": self.slug, "run": self.run, "sources": list(sources),
                   "reads": self.read_refs(sources),
                   "columns": [str(c) for c in shown.columns], "numeric": numeric,
                   "rows": [[str(v) for v in row] for row in shown.itertuples(index=False)], "files": files,
                   "written": written}
        _display(payload, TABLE_MIME, f"Table {ident}: {title}")
