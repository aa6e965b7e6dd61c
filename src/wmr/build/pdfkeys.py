"""The PDFs an edition publishes and the inputs each was made from.

A full build records, beside the PDFs, a key per PDF (the book, each chapter's PDF, the profiles PDF, each other
language's book in <lang>/). An
HTML-only build carries every published PDF into the new edition unchanged and compares the recorded keys
with the current inputs, so the site can mark a PDF that is out of date instead of deleting it.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

KEYS_FILE = ".pdf-keys.json"   # {path of a PDF relative to report/<edition>/: key of the inputs it was made from}
OLD_KEY_FILE = ".pdf-key"      # written before per-PDF keys: the book's key only


def published(report: Path) -> list[str]:
    """The PDFs of a published edition folder (relative paths): the book, the profiles PDF, the chapters' PDFs
    (chapters/) and the other languages' books (<lang>/)."""
    if not report.is_dir():
        return []
    found = list(report.glob("*.pdf")) + list(report.glob("*/*.pdf"))
    return sorted(str(p.relative_to(report)) for p in found if p.is_file())


def recorded(report: Path, book: str) -> dict[str, str]:
    """The keys recorded with the published PDFs ({} when none were; an old edition's book key if only that)."""
    try:
        return json.loads((report / KEYS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    try:
        return {book: (report / OLD_KEY_FILE).read_text(encoding="utf-8").strip()}
    except OSError:
        return {}


def current(report: Path, keys: dict[str, str]) -> set[str]:
    """The PDFs of `keys` that `report` publishes made from the same inputs (recorded key equal): no need to make
    them again."""
    made_from = recorded(report, "")
    return {name for name, key in keys.items() if made_from.get(name) == key and (report / name).is_file()}


def carry(report: Path, staging: Path, names: list[str]) -> None:
    """Carry the published PDFs `names` into `staging` byte for byte (a hard link where the file system allows)."""
    for name in names:
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(report / name, target)   # same bytes, no copy; the swap never deletes what readers download
        except OSError:
            shutil.copy2(report / name, target)


def write(staging: Path, keys: dict[str, str]) -> None:
    (staging / KEYS_FILE).write_text(json.dumps(keys, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def keep(report: Path, staging: Path, current: dict[str, str], book: str) -> dict[str, bool]:
    """Carry every PDF published in `report` into `staging`, byte for byte, with the keys it was made from.

    Returns {relative path: stale}: stale when the PDF was made from other inputs than `current` gives for it
    (or from unknown ones). A PDF the current edition would not make (a chapter since removed) is kept too, but
    not the book of a language the edition no longer publishes (its site is gone with it).
    """
    made_from = recorded(report, book)
    kept: dict[str, bool] = {}
    names = [n for n in published(report) if "/" not in n or n.startswith("chapters/") or n in current]
    carry(report, staging, names)
    for name in names:
        kept[name] = name not in made_from or made_from[name] != current.get(name)
    if kept:
        write(staging, {name: made_from[name] for name in kept if name in made_from})
    return kept
