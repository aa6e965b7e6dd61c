"""Build-time checks of every HTML page before it is written: heading order, alt text, unique ids.

A page that would skip a heading level (h2 followed by h4), show an image without alt text or repeat an
id stops the build with an AssemblyError that names the page, the offending element and the fix.
"""
from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from wmr.core.errors import AssemblyError

HEADINGS = {f"h{i}": i for i in range(1, 7)}


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str, int]] = []   # level, text, line
        self.images: list[tuple[dict, int]] = []
        self.ids: Counter[str] = Counter()
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids[a["id"]] += 1
        if tag in HEADINGS and self._heading is None:
            self._heading = [HEADINGS[tag], [], self.getpos()[0]]
        elif tag == "img":
            self.images.append((a, self.getpos()[0]))

    def handle_endtag(self, tag):
        if tag in HEADINGS and self._heading is not None and HEADINGS[tag] == self._heading[0]:
            level, parts, line = self._heading
            self.headings.append((level, " ".join("".join(parts).split()), line))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1].append(data)


def headings(html: str) -> list[tuple[int, str, int]]:
    """(level, text, line) of every heading of a page, in document order."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return scan.headings


def check_page(name: str, html: str, source: str = "") -> None:
    """Raise AssemblyError if the page skips a heading level, has an image without alt text or a repeated id."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    where = f" (made from {source})" if source else ""
    if scan.headings and scan.headings[0][0] != 1:
        raise AssemblyError(f"Page {name}{where} does not start with a level-1 heading.", expected="h1 first",
                            got=f"h{scan.headings[0][0]} \"{scan.headings[0][1]}\"", fix="give the page an h1 title")
    prev = 0
    for level, text, line in scan.headings:
        if level > prev + 1:
            before = f"h{prev}" if prev else "the start of the page"
            raise AssemblyError(
                f"Page {name}{where} skips a heading level: h{level} \"{text}\" (line {line}) follows {before}.",
                expected=f"a heading at most one level below the previous one (h1 -> h2 -> h3); here h{min(level, prev + 1)}",
                got=f"h{level}",
                fix=f"in the chapter's Markdown, write the heading \"{text}\" with {'#' * (prev + 1)} "
                    f"(one '#' more than the heading above it), or add the missing level above it")
        prev = level
    for attrs, line in scan.images:
        if not (attrs.get("alt") or "").strip():
            raise AssemblyError(f"Page {name}{where} shows an image without alt text (line {line}).",
                                expected="a non-empty alt attribute describing the image", got=attrs.get("src", "?"),
                                fix="pass alt='...' to ch.figure(), or describe the image in the page's template")
    repeated = sorted(i for i, n in scan.ids.items() if n > 1)
    if repeated:
        raise AssemblyError(f"Page {name}{where} uses an id more than once, so links to it are ambiguous.",
                            expected="unique ids within a page", got=", ".join(repeated[:10]),
                            fix="give the figures, tables or headings distinct ids or titles")
