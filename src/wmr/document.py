"""The assembled chapter: prose, figures and tables read from executed notebooks, numbered and resolved.

Both renderers (HTML site, PDF book) consume this model, so numbering and facts are identical in both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from . import chapter as chapter_api
from . import cutoff
from .editions import ChapterConfig, Edition
from .errors import AssemblyError
from .execute import INJECTED_ID, chapters_dir, figures_dir
from .facts import Fact, Ledger

ROLE_RE = re.compile(r"\{(?P<role>[a-z]+)\}`(?P<arg>[^`]+)`")
H1_RE = re.compile(r"^#\s+(.+?)\s*$", re.M)


@dataclass
class Figure:
    id: str
    anchor: str             # unique within the chapter page (run-qualified)
    number: str             # "2.3"
    title: str
    caption: str
    alt: str
    sources: list[str]
    files: dict[str, str]   # kind -> file name in figures/<edition>/<chapter>/
    units: str = ""
    note: str = ""
    run: str | None = None
    kind: str = "figure"
    reads: list[str] = field(default_factory=list)   # 'source/file' pins read (the source line names them)


@dataclass
class Table:
    id: str
    anchor: str
    number: str
    title: str
    caption: str
    columns: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    sources: list[str]
    files: dict[str, str]
    note: str = ""
    run: str | None = None
    kind: str = "table"
    reads: list[str] = field(default_factory=list)


@dataclass
class Prose:
    markdown: str
    run: str | None = None


@dataclass
class ChapterDoc:
    slug: str
    number: int
    title: str
    blocks: list = field(default_factory=list)
    ledgers: dict = field(default_factory=dict)          # run key (or None) -> Ledger
    params: dict = field(default_factory=dict)           # run key -> parameters
    refs: dict = field(default_factory=dict)             # (run, id) -> Figure | Table
    figures_dir: Path | None = None

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def facts_json(self) -> dict[str, dict]:
        out = {}
        for run, ledger in self.ledgers.items():
            for name, fact in ledger.facts.items():
                out[f"{self.slug}.{run}.{name}" if run else f"{self.slug}.{name}"] = fact.to_json()
        return dict(sorted(out.items()))

    def sources_used(self) -> set[str]:
        used = set()
        for b in self.blocks:
            if isinstance(b, (Figure, Table)):
                used.update(b.sources)
        for ledger in self.ledgers.values():
            for f in ledger.facts.values():
                used.update(f.sources)
        return used


def _read_run(path: Path) -> nbformat.NotebookNode:
    if not path.is_file():
        raise AssemblyError("An executed chapter notebook is missing.", expected=str(path), got="no such file",
                            fix="build the chapter first (python build.py --chapters <slug>)")
    return nbformat.read(path, as_version=4)


def load_chapter(edition: Edition, cfg: ChapterConfig) -> ChapterDoc:
    """Read every run of a chapter, number its figures and tables in order, and collect its facts."""
    doc = ChapterDoc(slug=cfg.slug, number=cfg.number, title="", figures_dir=figures_dir(edition.id, cfg.slug))
    n_fig = n_tab = 0
    for index, run in enumerate(cfg.runs):
        nb = _read_run(chapters_dir(edition.id) / f"{run.name}.ipynb")
        ledger = Ledger(cfg.slug + (f".{run.key}" if run.key else ""))
        doc.ledgers[run.key] = ledger
        doc.params[run.key] = nb.metadata.get("wmr", {}).get("parameters", run.parameters)
        seen_code = False
        for cell in nb.cells:
            if cell.get("id") == INJECTED_ID:
                continue
            if cell.cell_type == "markdown":
                text = cell.source
                if not doc.title:
                    m = H1_RE.search(text)
                    if m:
                        doc.title = m.group(1)
                        text = H1_RE.sub("", text, count=1)
                elif index > 0 and not seen_code:
                    continue  # title and introduction are printed once, before the first run
                else:
                    text = H1_RE.sub("", text)
                if text.strip():
                    doc.blocks.append(Prose(text, run.key))
                continue
            if cell.cell_type != "code":
                continue
            seen_code = True
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if chapter_api.FACT_MIME in data:
                    f = data[chapter_api.FACT_MIME]
                    ledger.add(Fact(**{k: f[k] for k in ("name", "value", "display", "unit", "year", "sources", "note")},
                                    reads=f.get("reads", [])))
                    cutoff.check(edition.id, edition.data_through, cfg.slug, "fact", f["name"], cutoff.years_in(f["year"]))
                elif chapter_api.FIGURE_MIME in data:
                    p = data[chapter_api.FIGURE_MIME]
                    n_fig += 1
                    fig = Figure(id=p["id"], anchor=_anchor(run.key, p["id"]), number=f"{cfg.number}.{n_fig}",
                                 title=p["title"], caption=p["caption"], alt=p["alt"], sources=p["sources"],
                                 files=p["files"], units=p.get("units", ""), note=p.get("note", ""), run=run.key,
                                 reads=p.get("reads", []))
                    if not fig.alt.strip():
                        raise AssemblyError(f"Figure '{fig.id}' of chapter '{cfg.slug}' has no alt text.",
                                            expected="non-empty alt text", got=repr(fig.alt),
                                            fix="pass alt='...' to ch.figure()")
                    _check_data_years(edition, cfg, doc, "figure", fig.id, fig.files)
                    doc.blocks.append(fig)
                    doc.refs[(run.key, fig.id)] = fig
                elif chapter_api.TABLE_MIME in data:
                    p = data[chapter_api.TABLE_MIME]
                    n_tab += 1
                    tab = Table(id=p["id"], anchor=_anchor(run.key, p["id"]), number=f"{cfg.number}.{n_tab}",
                                title=p["title"], caption=p["caption"], columns=p["columns"], numeric=p["numeric"],
                                rows=p["rows"], sources=p["sources"], files=p["files"], note=p.get("note", ""),
                                reads=p.get("reads", []),
                                run=run.key)
                    _check_data_years(edition, cfg, doc, "table", tab.id, tab.files)
                    doc.blocks.append(tab)
                    doc.refs[(run.key, tab.id)] = tab
    if not doc.title:
        raise AssemblyError(f"Chapter '{cfg.slug}' has no title.", expected="a '# Title' line in the first Markdown cell",
                            got="none", fix=f"add a level-1 heading to {cfg.notebook.name}")
    return doc


def _check_data_years(edition: Edition, cfg: ChapterConfig, doc: ChapterDoc, kind: str, ident: str,
                      files: dict[str, str]) -> None:
    """No plotted point or table row after the edition's data_through (see cutoff.py)."""
    if edition.data_through is None or "csv" not in files:
        return
    path = doc.figures_dir / files["csv"]
    if path.is_file():
        cutoff.check(edition.id, edition.data_through, cfg.slug, kind, ident, cutoff.csv_years(path))


def _anchor(run: str | None, ident: str) -> str:
    return f"{run}-{ident}" if run else ident


def starts_sentence(text: str, pos: int) -> bool:
    """True when position `pos` of Markdown `text` opens a sentence (paragraph start, or after . ! ?)."""
    head = text[:pos].rstrip(" *_")
    if not head.strip() or head.endswith("\n\n"):
        return True
    return head.rstrip()[-1] in ".!?"


def resolve_roles(text: str, doc: ChapterDoc, run: str | None, render) -> str:
    """Replace {fact}`x`, {numref}`fig-x` and {param}`x` using `render(kind, payload)` of the target format."""
    def sub(m: re.Match) -> str:
        role, arg = m.group("role"), m.group("arg").strip()
        where = f" (run {run})" if run else ""
        if role == "fact":
            fact = doc.ledgers[run].get(arg, where)
            if fact.display.startswith("the ") and starts_sentence(text, m.start()):
                fact = replace(fact, display="T" + fact.display[1:])  # 'the Philippines' opening a sentence
            return render("fact", (fact, doc, run))
        if role == "numref":
            target = doc.refs.get((run, arg)) or doc.refs.get((None, arg))
            if target is None:
                known = sorted(i for r, i in doc.refs if r == run)
                raise AssemblyError(f"The prose of chapter '{doc.slug}'{where} refers to an unknown figure or table '{arg}'.",
                                    expected="one of: " + ", ".join(known), got=arg,
                                    fix="correct the id in {numref}`...` or create the figure/table")
            return render("numref", target)
        if role == "param":
            params = doc.params.get(run, {})
            if arg not in params:
                raise AssemblyError(f"The prose of chapter '{doc.slug}'{where} refers to an unknown parameter '{arg}'.",
                                    expected="one of: " + ", ".join(sorted(params)), got=arg, fix="correct the name")
            return render("param", str(params[arg]))
        raise AssemblyError(f"Unknown role '{{{role}}}' in chapter '{doc.slug}'.", expected="{fact}, {numref} or {param}",
                            got=m.group(0), fix="use one of the supported roles")
    return ROLE_RE.sub(sub, text)


@dataclass
class SourceUse:
    """Where one chapter cites a source: its figures and tables (in order) and whether its numbers do."""

    doc: ChapterDoc
    blocks: list
    facts: bool


def source_uses(docs: list[ChapterDoc]) -> dict[str, list[SourceUse]]:
    """Per source id, the chapters citing it, for the data-sources pages of both renderers."""
    used: dict[str, list[SourceUse]] = {}
    for doc in docs:
        blocks: dict[str, list] = {}
        for block in doc.blocks:
            if isinstance(block, (Figure, Table)):
                for sid in dict.fromkeys(block.sources):
                    blocks.setdefault(sid, []).append(block)
        cited = {sid for ledger in doc.ledgers.values() for f in ledger.facts.values() for sid in f.sources}
        for sid in sorted(set(blocks) | cited):
            used.setdefault(sid, []).append(SourceUse(doc, blocks.get(sid, []), sid in cited))
    return used


def label(block) -> str:
    """'Figure 2.3' or 'Table 1.1'."""
    return f"{'Figure' if isinstance(block, Figure) else 'Table'} {block.number}"
