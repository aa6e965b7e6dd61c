"""The fact ledger: every number the prose uses, recorded by code with value, unit, year and sources."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from wmr.core.errors import AssemblyError, ChapterError, shown

from .fmt import FORMATS

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Fact:
    """One recorded number (or short string) and exactly how the report prints it."""

    name: str
    value: float | int | str
    display: str
    unit: str
    year: int | str | None
    sources: list[str] = field(default_factory=list)
    note: str = ""
    reads: list[str] = field(default_factory=list)   # 'source/file' pins the code read (see Chapter.read_refs)
    fmt: str | None = None   # the format (fmt.FORMATS) that made `display`, so other languages format the value alike;
    #                          None when the display was given by hand

    def to_json(self) -> dict:
        return asdict(self)


def make_fact(name: str, value, *, unit: str, year, sources: list[str], fmt: str = "count",
              display: str | None = None, note: str = "", reads: list[str] | None = None) -> Fact:
    """Build a Fact, formatting `value` with the named format unless `display` is given."""
    if not NAME_RE.match(name):
        raise ChapterError(f"Fact name '{name}' is not a valid name.", expected="lower_snake_case, starting with a letter",
                           got=name, fix="rename the fact")
    if fmt not in FORMATS:
        raise ChapterError(f"Unknown number format '{fmt}' for fact '{name}'.", expected=sorted(FORMATS), got=fmt,
                           fix="use one of the listed formats or pass display=")
    if not sources:
        raise ChapterError(f"Fact '{name}' has no sources.", expected="at least one source id", got=sources,
                           fix="pass sources=[...] with the pinned source ids the value was computed from")
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar -> Python
    if isinstance(year, float) or hasattr(year, "item"):
        year = int(year)
    shown = display if display is not None else FORMATS[fmt](value)
    if not str(shown).strip():   # the prose would show nothing where the fact stands (and an empty, nameless link)
        raise ChapterError(f"Fact '{name}' has an empty display.", expected="a value or words to show in the prose",
                           got=repr(shown), fix="say what an empty value means, e.g. display='none' "
                                                "or a word such as 'no area'")
    return Fact(name=name, value=value, display=shown, unit=unit, year=year, sources=list(sources), note=note,
                reads=list(reads or []), fmt=fmt if display is None else None)


def cited_list(prefix: str, n: int) -> str:
    """Facts '<prefix>_1'..'<prefix>_n' cited as a list: '{fact}`p_1`', '{fact}`p_1` and {fact}`p_2`',
    '{fact}`p_1`, {fact}`p_2` and {fact}`p_3`' (the wording around them is the caller's sentence)."""
    roles = [f"{{fact}}`{prefix}_{i}`" for i in range(1, n + 1)]
    return " and ".join([", ".join(roles[:-1]), roles[-1]]) if n > 1 else "".join(roles)


def fact_spec(name: str, value, unit: str, fmt: str = "count", *, year, sources: list[str],
              display: str | None = None, note: str = "") -> dict:
    """One fact to record: the keyword arguments of Chapter.fact (what FactSpecs holds, one per fact)."""
    return {"name": name, "value": value, "unit": unit, "year": year, "sources": list(sources), "fmt": fmt,
            "display": display, "note": note}


class FactSpecs(list):
    """Facts to record (each the keyword arguments of Chapter.fact) sharing a default year and sources.

    What the analysis functions return, so a notebook records a section's facts in one `ch.record(...)` call
    and no fact repeats the year and sources it shares with its neighbours.
    """

    def __init__(self, *, year: int | None, sources: list[str]):
        super().__init__()
        self.year, self.sources = year, list(sources)
        self.labels: dict[str, str] = {}   # fact name -> row label, in order (a key-figures table's rows)

    def add(self, name: str, value, unit: str, fmt: str = "count", *, year=None, sources: list[str] | None = None,
            display: str | None = None, note: str = "", label: str | None = None) -> dict:
        """Append one spec (year and sources default to the shared ones); returns it. `label`: the fact's row label
        in a table of key figures (kept in `labels`, not in the spec)."""
        spec = fact_spec(name, value, unit, fmt, year=self.year if year is None else year,
                         sources=self.sources if sources is None else sources, display=display, note=note)
        self.append(spec)
        if label is not None:
            self.labels[name] = label
        return spec

    def year_of(self, name: str, year, *, sources: list[str] | None = None) -> dict:
        """A year as a fact (unit and format 'year', dated that year)."""
        return self.add(name, int(year), "year", "year", year=int(year), sources=sources)

    def years_of(self, prefix: str, years, *, sources: list[str] | None = None) -> str:
        """Each year as a fact of its own ('<prefix>_1', '<prefix>_2', ...), not a list in one text fact;
        returns them cited as a list for a caption or sentence (see cited_list)."""
        years = [int(y) for y in years]
        for i, year in enumerate(years, 1):
            self.year_of(f"{prefix}_{i}", year, sources=sources)
        return cited_list(prefix, len(years))

    def displays(self) -> dict[str, str]:
        """How the report prints each fact, by name: for captions and alt text that cite the same numbers."""
        return {spec["name"]: make_fact(**spec).display for spec in self}


class Ledger:
    """Facts of one chapter, looked up by name when the prose is rendered."""

    def __init__(self, chapter: str, facts: dict[str, Fact] | None = None):
        self.chapter = chapter
        self.facts: dict[str, Fact] = dict(facts or {})

    def add(self, fact: Fact) -> None:
        """Add a recorded fact; a second fact of the same name is refused (the prose could cite either)."""
        if fact.name in self.facts:
            raise AssemblyError(f"Fact '{fact.name}' is recorded twice in chapter '{self.chapter}': first as "
                                f"{shown(self.facts[fact.name].display)}, again as {shown(fact.display)}.",
                                expected="one recording per fact name", got=fact.name,
                                fix="give each fact its own name in the chapter notebook and rebuild it")
        self.facts[fact.name] = fact

    def get(self, name: str, where: str = "") -> Fact:
        if name not in self.facts:
            close = [n for n in self.facts if n.split("_")[0] == name.split("_")[0]][:8]
            raise AssemblyError(f"The prose of chapter '{self.chapter}'{where} refers to an unknown fact '{name}'.",
                                expected="a fact recorded by the chapter's code" + (f", e.g. {close}" if close else ""),
                                got=name, fix="record the fact with ch.fact(...) or correct its name in the prose")
        return self.facts[name]

    def to_json(self) -> dict[str, dict]:
        return {f"{self.chapter}.{n}": f.to_json() for n, f in sorted(self.facts.items())}
