"""Short, readable provenance strings for sources (used by both renderers and the sources page).

The manifest's fields are written for completeness (who reshaped what, which files, caveats); a source line
under a figure needs the gist: publisher, dataset, edition and licence. The full text stays on the data
sources page, which every source line links to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from . import pins
from .pins import RAW_URL

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9 ./&-]*[A-Z0-9]$")


def short_license(text: str) -> str:
    """The licence's name without the explanations that follow it: 'CC BY 3.0 IGO'."""
    first = re.split(r"\s\(|;|\. |\n", text.strip(), maxsplit=1)[0].strip().rstrip(".")
    return first or "see the data sources page"


def _top_level_cut(text: str, separators: tuple[str, ...]) -> str:
    """`text` up to the first separator that is not inside parentheses."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and any(text.startswith(sep, i) for sep in separators):
            return text[:i]
    return text


def _parentheticals(text: str, keep_acronym_of_long_name: bool) -> str:
    """Drop '(...)' asides; 'Long Name (ABBR)' becomes 'ABBR' (or 'Name (ABBR)' when the name is short)."""
    out, i = "", 0
    while i < len(text):
        if text[i] == "(":
            depth, j = 0, i
            while j < len(text):
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            inner = text[i + 1:j].strip()
            if _ACRONYM.match(inner):
                name = out.rstrip()
                # the name in front of the acronym: from the last comma/dash on, or the whole head
                head, sep, tail = name.rpartition(", ")
                long_name = tail if sep else name
                if keep_acronym_of_long_name and len(long_name) > 30:
                    out = (head + sep if sep else "") + inner
                else:
                    out = f"{name} ({inner})"
            i = j + 1
            continue
        out += text[i]
        i += 1
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", out)).strip(" ,;")


def clip(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-(")
    return cut + "…"


def short_publisher(text: str) -> str:
    """'United Nations Department of Economic and Social Affairs (UN DESA), Population Division' -> 'UN DESA, Population Division'."""
    text = re.sub(r"^\s*Underlying data:\s*", "", text)
    text = _top_level_cut(text, ("; ", ". "))
    text = re.sub(r"^([A-Z]{2,}) - .*$", r"\1", text)   # 'UNHCR - Office of the ...' -> 'UNHCR'
    text = _parentheticals(text, keep_acronym_of_long_name=True)
    if len(text) > 70:  # a long statement loses its trailing clauses, never words mid-phrase (attributions stay whole)
        text = _top_level_cut(text, (", ",))
    return clip(text, 100)


def short_dataset(text: str) -> str:
    """The dataset's name without its subtitle: 'International Migrant Stock 2024'."""
    text = _top_level_cut(text, (": ", " - ", "; "))
    return clip(_parentheticals(text, keep_acronym_of_long_name=False), 80)


def _drop_long_asides(text: str, longest: int) -> str:
    out = text
    for m in re.finditer(r"\s*\(([^()]*)\)", text):
        if len(m.group(1)) > longest:
            out = out.replace(m.group(0), "")
    return out


def short_edition(text: str) -> str:
    """The first statement of the edition field: 'International Migrant Stock 2024 (POP/DB/MIG/Stock/Rev.2024)'."""
    text = _top_level_cut(" ".join(text.split()), ("; ", ". ")).rstrip(".")
    if len(text) > 70:
        text = _drop_long_asides(text, 30)
    if len(text) > 90:
        text = _top_level_cut(text, (", ",))
    return clip(text, 90)


@dataclass(frozen=True)
class SourceSummary:
    """What a source line says about one source."""

    id: str
    publisher: str
    dataset: str
    edition: str
    licence: str


def summary(ref: str) -> SourceSummary:
    """What a source line says about a source id, or about one pinned file read ('source/file').

    For a file, the edition is the file's own: its name and what source.toml says it holds (years,
    vintage), so the line follows the file the code actually read.
    """
    source_id, _, name = ref.partition("/")
    s = pins.source(source_id)
    edition = short_edition(s.edition)
    if name:
        f = s.file(name)
        edition = f"{f.name}" + (f" ({clip(f.content, 110)})" if f.content else "")
    return SourceSummary(id=s.id, publisher=short_publisher(s.publisher), dataset=short_dataset(s.title),
                         edition=edition, licence=short_license(s.license))


def shown_refs(item) -> list[str]:
    """The refs a source line names for a figure, table or fact: the files read, else the declared sources."""
    return list(getattr(item, "reads", None) or item.sources)


def repository_url(pin: pins.FilePin) -> str | None:
    """The pinned file's page in the GitHub repository it was retrieved from, at the pinned commit (or None)."""
    rf = pin.retrieved_from or {}
    if not (rf.get("repo") and rf.get("commit") and rf.get("path")):
        return None
    path = quote(rf["path"])
    if pin.download_url != RAW_URL.format(repo=rf["repo"], commit=rf["commit"], path=path):
        return None  # not a file pinned from GitHub
    return f"https://github.com/{rf['repo']}/blob/{rf['commit']}/{path}"


_CITED_YEAR = re.compile(r"\((\d{4})\)|[.,] (\d{4})[.,]")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def publication_year(source_id: str) -> str:
    """The year a source was published, for short source lines: from its citation ('(2024)'), else its edition."""
    s = pins.source(source_id)
    m = _CITED_YEAR.search(s.citation)
    if m:
        return m.group(1) or m.group(2)
    m = _ANY_YEAR.search(s.edition)
    return m.group(1) if m else ""


def source_lines(item) -> list[dict]:
    """What the short source line under a figure or table says, per source: publisher, dataset, year and the
    pinned files the code read (as the read log records them; see provenance.shown_refs)."""
    return lines_for(tuple(shown_refs(item)))


def lines_for(refs: tuple[str, ...]) -> list[dict]:
    """The source line of these shown refs (see source_lines)."""
    out: dict[str, dict] = {}
    for ref in refs:
        sid, _, name = ref.partition("/")
        if sid not in out:
            short = summary(sid)
            publisher = short.publisher.split(", ")[0] if len(short.publisher) > 40 else short.publisher
            out[sid] = {**vars(short), "publisher": publisher, "year": publication_year(sid), "files": []}
        if name:
            out[sid]["files"].append(name)
    return list(out.values())
