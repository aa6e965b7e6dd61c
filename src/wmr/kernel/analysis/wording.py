"""Prose whose wording the data choose: fact roles and the checks that keep it translatable.

A sentence template is a whole sentence of MyST text whose variable parts are `{fact}` roles (numbers and
names) and `{param}` roles; a library function picks which template fits the data. Each template is one
unit a translator can translate with its roles intact (issue 18), and no fact is an English fragment.
"""
from __future__ import annotations

import re

from wmr.core.protocol import ROLE_RE

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z{])")


def fact(name: str) -> str:
    """The role that cites a fact: {fact}`name`."""
    return f"{{fact}}`{name}`"


def facts_cited(markdown: str) -> list[str]:
    """Names of the facts a text cites, in order, each once."""
    return list(dict.fromkeys(m.group("arg") for m in ROLE_RE.finditer(markdown) if m.group("role") == "fact"))


def sentences(markdown: str) -> list[str]:
    """The sentences of a paragraph (split after . ! ? before a capital or a role)."""
    return [s.strip() for s in SENTENCE_END.split(" ".join(markdown.split())) if s.strip()]


def skeleton(sentence: str) -> str:
    """A sentence with every role replaced by '…': what stays the same when only the data change."""
    return ROLE_RE.sub("…", sentence)


def plain_text(markdown: str) -> str:
    """The words around the roles (what a reader sees as plain text between the facts)."""
    return ROLE_RE.sub(" ", markdown)
