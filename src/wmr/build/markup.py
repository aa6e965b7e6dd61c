"""Text from data (parameter values, fact displays) made literal for Markdown, so it never becomes markup."""
from __future__ import annotations

import re

_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^$@\"'&:;%=/?,])")
_BREAKS = re.compile(r"[ \t\r\n]+")   # ASCII whitespace only: a locale's no-break spaces ('3,7\u00a0%') stay


def markdown_literal(text: object) -> str:
    """Backslash-escape every ASCII punctuation character, one line: CommonMark and pandoc print it as is."""
    return _PUNCT.sub(r"\\\1", _BREAKS.sub(" ", str(text).strip()))
