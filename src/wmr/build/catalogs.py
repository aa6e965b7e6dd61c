"""Translation catalogs: gettext PO files in git, one per language and chapter (locales/<lang>/<slug>.po) and one
for the site templates (locales/<lang>/site.po), read and written with polib.

A msgid is a whole paragraph, heading, caption, title or alt text with its whitespace normalised and its
{fact}, {numref}, {cite} and {param} roles left in; a translation must keep exactly the same roles.
`update` merges newly extracted msgids into a catalog as sphinx-intl does; `Catalog` looks translations up
at assembly and records those missing or outdated (fuzzy).
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polib

from wmr.core.errors import AssemblyError
from wmr.core.paths import project_root
from wmr.core.protocol import ROLE_RE

SITE = "site"          # the catalog of the templates' strings
NAMES = "names"        # region, sub-region, HDI group, hazard, cause and route names shown by text facts
FUZZY_CUTOFF = 0.7     # similarity above which a changed msgid keeps its old translation, marked fuzzy (as Babel)


def normalise(text: str) -> str:
    """Whitespace collapsed to single spaces: a msgid does not change when a paragraph is re-wrapped."""
    return " ".join(text.split())


PLACEHOLDER_RE = re.compile(r"%\(\w+\)s")   # a template string's values: 'Chapter %(number)s'


def roles(text: str) -> Counter:
    """The roles ('{fact}`x`', ...) and template placeholders of a text, counted: what a translation must keep."""
    return Counter([m.group(0) for m in ROLE_RE.finditer(text)] + PLACEHOLDER_RE.findall(text))


def catalog_path(lang: str, name: str) -> Path:
    """locales/<lang>/<name>.po of the project."""
    return project_root() / "locales" / lang / f"{name}.po"


def check_roles(path: Path, msgid: str, msgstr: str) -> None:
    """Refuse a translation whose roles differ from its msgid's (a lost number or citation, or an invented one)."""
    want, got = roles(msgid), roles(msgstr)
    if want != got:
        missing, extra = sorted((want - got).elements()), sorted((got - want).elements())
        raise AssemblyError(f"A translation in {path} does not keep the roles of its English text "
                            f"(msgid {msgid[:80]!r}).",
                            expected="the same roles: " + (", ".join(sorted(want.elements())) or "none"),
                            got=("missing: " + ", ".join(missing) if missing else "")
                            + ("; " if missing and extra else "") + ("extra: " + ", ".join(extra) if extra else ""),
                            fix=f"copy the roles exactly as in the msgid into the msgstr in {path}")


@dataclass
class Catalog:
    """One PO file's translations, looked up by normalised msgid; remembers what it could not translate."""

    path: Path
    entries: dict[str, str] = field(default_factory=dict)
    fuzzy: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    msgids: set[str] = field(default_factory=set)   # every current msgid, translated or not

    @classmethod
    def load(cls, lang: str, name: str) -> "Catalog":
        path = catalog_path(lang, name)
        cat = cls(path)
        if not path.is_file():
            return cat
        for e in polib.pofile(str(path)):
            if e.obsolete:
                continue
            cat.msgids.add(e.msgid)
            if not e.msgstr.strip():
                continue
            if e.fuzzy:
                cat.fuzzy.add(e.msgid)
                continue
            check_roles(path, e.msgid, e.msgstr)
            cat.entries[e.msgid] = e.msgstr
        return cat

    def get(self, text: str) -> str | None:
        """The translation of `text` (normalised), or None (recorded as missing or outdated)."""
        key = normalise(text)
        if key in self.entries:
            return self.entries[key]
        if key not in self.missing:
            self.missing.append(key)
        return None


def _header(lang: str, name: str) -> dict[str, str]:
    # No dates: a catalog changes only when its messages do.
    return {"Project-Id-Version": f"World Migration Report generator ({name})", "Language": lang,
            "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}


def update(lang: str, name: str, messages: list[tuple[str, str]]) -> bool:
    """Merge `messages` ((msgid, where it comes from), in reading order) into locales/<lang>/<name>.po:
    new msgids are added, a changed one keeps its old translation marked fuzzy with the old msgid as
    previous, msgids no longer extracted stay as obsolete entries. Returns True when the file changed."""
    path = catalog_path(lang, name)
    old = polib.pofile(str(path), wrapwidth=100) if path.is_file() else polib.POFile()
    by_id = {e.msgid: e for e in old}
    po = polib.POFile(wrapwidth=100)
    po.metadata = _header(lang, name)
    wanted: dict[str, list[str]] = {}
    for msgid, where in messages:
        wanted.setdefault(normalise(msgid), [])
        if where not in wanted[normalise(msgid)]:
            wanted[normalise(msgid)].append(where)
    unmatched = [m for m, e in by_id.items() if m not in wanted and e.msgstr.strip() and not e.obsolete]
    consumed: set[str] = set()
    for msgid, places in wanted.items():
        entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=[(p, "") for p in places])
        prev = by_id.get(msgid)
        if prev is not None:
            entry.msgstr, entry.flags = prev.msgstr, list(prev.flags)
            entry.previous_msgid = prev.previous_msgid
            entry.tcomment = prev.tcomment
        else:
            close = difflib.get_close_matches(msgid, [m for m in unmatched if m not in consumed], n=1,
                                              cutoff=FUZZY_CUTOFF)
            if close:
                consumed.add(close[0])
                entry.msgstr, entry.flags, entry.previous_msgid = by_id[close[0]].msgstr, ["fuzzy"], close[0]
        po.append(entry)
    for msgid, e in by_id.items():
        if msgid and msgid not in wanted and msgid not in consumed:
            e.obsolete = True
            po.append(e)
    text = str(po)
    if path.is_file() and str(polib.pofile(str(path), wrapwidth=100)) == text:
        return False   # the same messages (a PO editor may have wrapped them otherwise): the file stays as it is
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def release_problems(catalogs: list[Catalog]) -> list[str]:
    """One line per catalog with missing or outdated translations: the count and the first msgids."""
    lines = []
    for cat in catalogs:
        if cat.missing:
            outdated = sum(1 for m in cat.missing if m in cat.fuzzy)
            first = "; ".join(repr(m[:60]) for m in cat.missing[:3])
            lines.append(f"{cat.path}: {len(cat.missing)} missing" + (f" ({outdated} outdated)" if outdated else "")
                         + f", e.g. {first}")
    return lines
