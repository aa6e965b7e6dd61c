"""The fact ledger: every number the prose uses, recorded by code with value, unit, year and sources."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from .errors import AssemblyError, ChapterError, shown
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
                reads=list(reads or []))


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
