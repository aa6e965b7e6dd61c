"""Checks shared by the tests of the chapters' figure functions: captions and alt text cite recorded facts."""
from __future__ import annotations

import re

from wmr.core.protocol import ROLE_RE
from wmr.kernel import style

from .test_editions_built import ALLOWED_DIGITS


def cited(spec: dict, facts: set[str]) -> list[str]:
    """The facts a figure's caption and alt text cite (closing its chart); fails on a digit typed outside a
    {fact} role, on another role, or on a fact the section does not record."""
    if "fig" in spec:
        style.close(spec["fig"])
    texts = spec["caption"] + " " + spec.get("alt", "")
    typed = ROLE_RE.sub("", texts)
    for allowed in ALLOWED_DIGITS:       # proper names, as in the built chapters' no-typed-numbers test
        typed = typed.replace(allowed, "")
    assert not re.search(r"\d", typed), texts
    roles = [(m.group("role"), m.group("arg")) for m in ROLE_RE.finditer(texts)]
    assert {role for role, _ in roles} <= {"fact"}, roles
    names = [name for _, name in roles]
    assert set(names) <= facts, set(names) - facts
    return names
