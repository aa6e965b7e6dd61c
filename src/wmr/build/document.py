"""The assembled chapter: prose, figures and tables read from executed notebooks, numbered and resolved.

Both renderers (HTML site, PDF book) consume this model, so numbering and facts are identical in both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from wmr.core.errors import AssemblyError
from wmr.core.paths import chapters_dir, figures_dir
from wmr.core.protocol import FACT_MIME, FIGURE_MIME, INJECTED_ID, PROSE_MIME, ROLE_RE, TABLE_MIME
from wmr.kernel.facts import Fact, Ledger

from . import citations, cutoff, freshness
from .editions import Edition
from .runs import ChapterConfig

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
    written: dict[str, str] = field(default_factory=dict)   # title, caption, alt as the notebook wrote them (roles)
    label_word: str = ""    # 'Figure' in the page's language (set for a translated edition)


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
    written: dict[str, str] = field(default_factory=dict)
    label_word: str = ""    # 'Table' in the page's language (set for a translated edition)


@dataclass
class Prose:
    markdown: str
    run: str | None = None
    opening: bool = False   # the chapter's title and introduction (prose before its first code cell)


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
    fact_labels: dict = field(default_factory=dict)      # fact name -> its name for readers in the page's language

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

    def cite_keys(self, arg: str, run: str | None) -> tuple[str, ...]:
        """The bibliography keys of a {cite} role. 'source:ims_source' cites the publication of the pinned source
        a parameter names (or of a source id), so each edition cites the edition of the data it uses; a key
        prefixed '-' prints the year only, after prose that names the author ('UN DESA (2024)')."""
        keys: list[str] = []
        for item in citations.split_keys(arg):
            bare, dash = item.removeprefix("-"), "-" if item.startswith("-") else ""  # '-key': year only
            if bare.startswith("source:"):
                name = bare.removeprefix("source:")
                keys += [dash + k for k in citations.source_keys(str(self.params.get(run, {}).get(name, name)),
                                                                  f"chapter '{self.slug}'")]
            else:
                keys.append(item)
        return tuple(dict.fromkeys(keys))

    def cite_clusters(self) -> list[tuple[str, ...]]:
        """Every {cite} role of the prose, in reading order, as a tuple of keys."""
        return [self.cite_keys(m.group("arg"), b.run) for b in self.blocks if isinstance(b, Prose)
                for m in ROLE_RE.finditer(b.markdown) if m.group("role") == "cite"]

    def cited_keys(self) -> list[str]:
        """The publications the chapter cites, each once, in order of first citation (its reference list)."""
        return list(dict.fromkeys(k.removeprefix("-") for c in self.cite_clusters() for k in c))

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
    nb = nbformat.read(path, as_version=4)
    altered = freshness.outputs_changes(nb)
    if altered:
        raise AssemblyError(f"The executed notebook {path.name} cannot be trusted.",
                            expected="the facts, figures and tables recorded when it executed", got=altered,
                            fix="rebuild the chapter (python build.py --chapters <slug>)")
    return nb


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
                    doc.blocks.append(Prose(text, run.key, opening=index == 0 and not seen_code))
                continue
            if cell.cell_type != "code":
                continue
            seen_code = True
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if FACT_MIME in data:
                    f = data[FACT_MIME]
                    ledger.add(Fact(**{k: f[k] for k in ("name", "value", "display", "unit", "year", "sources", "note")},
                                    reads=f.get("reads", []), fmt=f.get("fmt")))
                    cutoff.check(edition.id, edition.data_through, cfg.slug, "fact", f["name"], cutoff.years_in(f["year"]))
                elif FIGURE_MIME in data:
                    p = data[FIGURE_MIME]
                    n_fig += 1
                    fig = Figure(id=p["id"], anchor=_anchor(run.key, p["id"]), number=f"{cfg.number}.{n_fig}",
                                 title=p["title"], caption=p["caption"], alt=p["alt"], sources=p["sources"],
                                 files=p["files"], units=p.get("units", ""), note=p.get("note", ""), run=run.key,
                                 reads=p.get("reads", []), written=p.get("written", {}))
                    if not fig.alt.strip():
                        raise AssemblyError(f"Figure '{fig.id}' of chapter '{cfg.slug}' has no alt text.",
                                            expected="non-empty alt text", got=repr(fig.alt),
                                            fix="pass alt='...' to ch.figure()")
                    _claim_ref(doc, run.key, fig)
                    _check_data_years(edition, cfg, doc, "figure", fig.id, fig.files)
                    doc.blocks.append(fig)
                elif PROSE_MIME in data:
                    p = data[PROSE_MIME]
                    if index == 0 or not p.get("opening"):   # an opening paragraph is printed once
                        doc.blocks.append(Prose(p["markdown"], run.key, opening=bool(p.get("opening"))))
                elif TABLE_MIME in data:
                    p = data[TABLE_MIME]
                    n_tab += 1
                    tab = Table(id=p["id"], anchor=_anchor(run.key, p["id"]), number=f"{cfg.number}.{n_tab}",
                                title=p["title"], caption=p["caption"], columns=p["columns"], numeric=p["numeric"],
                                rows=p["rows"], sources=p["sources"], files=p["files"], note=p.get("note", ""),
                                reads=p.get("reads", []), written=p.get("written", {}), run=run.key)
                    _claim_ref(doc, run.key, tab)
                    _check_data_years(edition, cfg, doc, "table", tab.id, tab.files)
                    doc.blocks.append(tab)
    if not doc.title:
        raise AssemblyError(f"Chapter '{cfg.slug}' has no title.", expected="a '# Title' line in the first Markdown cell",
                            got="none", fix=f"add a level-1 heading to {cfg.notebook.name}")
    return doc


def _claim_ref(doc: ChapterDoc, run: str | None, block: Figure | Table) -> None:
    """Register a figure or table under its id; a second block with the same id in one run is refused."""
    first = doc.refs.get((run, block.id))
    if first is not None:
        raise AssemblyError(f"Figure/table id '{block.id}' is used twice in chapter '{doc.slug}'"
                            + (f" (run {run})" if run else "") + f": by {label(first)} and by {label(block)}.",
                            expected="a different id for every figure and table", got=block.id,
                            fix="rename one of them in the chapter notebook and rebuild it")
    doc.refs[(run, block.id)] = block


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
    """Replace {fact}`x`, {numref}`fig-x`, {param}`x` and {cite}`key` using `render(kind, payload)` of the format."""
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
        if role == "cite":
            keys = doc.cite_keys(arg, run)
            citations.check_keys(keys, f"The prose of chapter '{doc.slug}'{where}")
            return render("cite", keys)
        raise AssemblyError(f"Unknown role '{{{role}}}' in chapter '{doc.slug}'.",
                            expected="{fact}, {numref}, {param} or {cite}",
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


def chapter_pdf_name(edition: Edition, doc: ChapterDoc) -> str:
    """'wmr-2026-02-global.pdf': a chapter's own PDF (report/<edition>/chapters/), numbered as in the book."""
    return f"{edition.id}-{doc.number:02d}-{doc.slug}.pdf"


def label(block) -> str:
    """'Figure 2.3' or 'Table 1.1'."""
    return f"{block.label_word or ('Figure' if isinstance(block, Figure) else 'Table')} {block.number}"
