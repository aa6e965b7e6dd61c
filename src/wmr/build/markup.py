"""Text from data (parameter values, fact displays) made literal for Markdown, so it never becomes markup."""
from __future__ import annotations

import re

_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^$@\"'&:;%=/?,])")


def markdown_literal(text: object) -> str:
    """Backslash-escape every ASCII punctuation character, one line: CommonMark and pandoc print it as is."""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split()))
