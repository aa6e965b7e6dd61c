"""Executed profile runs as documents: one ChapterDoc per country or area, keyed and numbered by ISO3.

Profiles reuse the chapter model (so the HTML and PDF renderers, provenance popovers and fact ledger work
unchanged); only their keys differ: facts are `profiles.<ISO3>.<name>`, figures and tables are numbered
`<ISO3>.1`, `<ISO3>.2`, ..., and the title is the country's name as the profile recorded it.
"""
from __future__ import annotations

from dataclasses import dataclass

from wmr.kernel.facts import Ledger

from .collation import sort_key
from .document import ChapterDoc, Figure, Table, load_chapter
from .editions import Edition
from .runs import ChapterConfig, Run

NAME_FACT, REGION_FACT, SUBREGION_FACT = "name", "region", "subregion"


@dataclass
class ProfileDoc(ChapterDoc):
    """A profile: a one-run chapter with its ISO3 code, name, region and sub-region."""

    iso3: str = ""
    region: str = ""          # English, as the data name it (groups the index)
    subregion: str = ""
    region_name: str = ""     # as the page's language shows them
    subregion_name: str = ""

    @property
    def page(self) -> str:
        """File name of its HTML page."""
        return f"profile-{self.iso3.lower()}.html"


def load_profile(edition: Edition, cfg: ChapterConfig, run: Run) -> ProfileDoc:
    """Read one executed profile run, re-keyed by its upper-case ISO3 code."""
    one = ChapterConfig(cfg.slug, cfg.number, cfg.notebook, cfg.parameters, (run,))
    doc = load_chapter(edition, one)
    code = run.key.upper()
    ledger = doc.ledgers.pop(run.key)
    doc.ledgers = {code: Ledger(f"{cfg.slug}.{code}", ledger.facts)}
    doc.params = {code: doc.params.get(run.key, run.parameters)}
    doc.refs = {(code, ident): block for (_r, ident), block in doc.refs.items()}
    n = {"figure": 0, "table": 0}
    for block in doc.blocks:
        block.run = code
        if isinstance(block, (Figure, Table)):
            n[block.kind] += 1
            block.number = f"{code}.{n[block.kind]}"
    facts = doc.ledgers[code].facts
    region = str(facts[REGION_FACT].value)
    subregion = str(facts[SUBREGION_FACT].value) if SUBREGION_FACT in facts else ""
    prof = ProfileDoc(**vars(doc), iso3=code, region=region, subregion=subregion, region_name=region,
                      subregion_name=subregion)
    prof.title = str(facts[NAME_FACT].value)
    return prof


def load_profiles(edition: Edition, runs: list[Run]) -> list[ProfileDoc]:
    """The executed profiles among `runs`, sorted by name."""
    cfg = edition.profiles
    docs = [load_profile(edition, cfg, run) for run in runs]
    return sorted(docs, key=lambda d: (sort_key(d.title), d.iso3))
