"""Short, readable provenance strings for sources (used by both renderers and the sources page)."""
from __future__ import annotations

import re

from . import pins


def short_license(text: str) -> str:
    """The licence's name without the explanations that follow it: 'CC BY 3.0 IGO'."""
    first = re.split(r"\s\(|;|\. |\n", text.strip(), maxsplit=1)[0].strip().rstrip(".")
    return first or "see the data sources page"


def source_line(source_ids: list[str]) -> str:
    """'Source: <citation> Licence: <licence>.' for one or several pinned sources."""
    manifest = pins.load_manifest()
    parts = []
    for sid in source_ids:
        s = manifest[sid]
        parts.append(f"{s.citation.rstrip('.')}. Licence: {short_license(s.license)}.")
    return ("Sources: " if len(parts) > 1 else "Source: ") + " ".join(parts)
