"""The offline full-text search index: the rendered text of every page, section by section, as a script.

Browsers refuse fetch() of a JSON file from file://, so the index is a JavaScript file that assigns one
global (`window.WMR_SEARCH_INDEX`); search.html loads it with a plain <script src>. The index is made from
the pages exactly as rendered (inside <main>), split at h2/h3 headings so each hit links to its section.
Everything is JSON-encoded with <, > and & escaped, so no text from data can end the script or inject markup.
"""
from __future__ import annotations

import json
from html.parser import HTMLParser

SKIP_CLASSES = {"downloads", "source", "heading-anchor", "facts-appendix", "visually-hidden", "pager"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SPLIT_AT = {"h2", "h3"}
BLOCKS = {"p", "li", "dd", "dt", "td", "th", "tr", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section"}


class _Sections(HTMLParser):
    """Collect (anchor, title, text) sections of the <main> element of a page."""

    def __init__(self, first_anchor: str, first_title: str) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[dict] = [{"anchor": first_anchor, "title": first_title, "text": []}]
        self._stack: list[tuple[str, bool]] = []   # open tags, and whether their text is left out
        self._in_main = False
        self._heading: list[str] | None = None
        self._heading_tag: str | None = None
        self._h2 = ""

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self._stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self._in_main = True
        if not self._in_main or tag in VOID:
            return
        skipped = tag in ("script", "style", "noscript", "h1") or bool(SKIP_CLASSES & set((a.get("class") or "").split()))
        self._stack.append((tag, skipped))
        if self._skipping():
            return
        if tag in SPLIT_AT and a.get("id"):       # a heading without an id stays in its section
            self.sections.append({"anchor": a["id"], "title": "", "text": []})
            self._heading, self._heading_tag = [], tag
        if tag in BLOCKS:
            self.sections[-1]["text"].append(" ")

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
            return
        if not self._in_main or tag in VOID:
            return
        if tag == self._heading_tag and self._heading is not None:
            title = " ".join("".join(self._heading).split())
            if tag == "h2":
                self._h2 = title
            elif self._h2:
                title = f"{self._h2} › {title}"   # an h3 is shown with the h2 it belongs to
            self.sections[-1]["title"] = title
            self._heading = self._heading_tag = None
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag in BLOCKS:
            self.sections[-1]["text"].append(" ")

    def handle_data(self, data):
        if not self._in_main or self._skipping():
            return
        if self._heading is not None:
            self._heading.append(data)
        else:
            self.sections[-1]["text"].append(data)


def page_sections(html: str, first_anchor: str, first_title: str) -> list[dict]:
    """Sections of a rendered page: [{'anchor', 'title', 'text'}], empty ones dropped."""
    parser = _Sections(first_anchor, first_title)
    parser.feed(html)
    parser.close()
    out = []
    for s in parser.sections:
        text = " ".join("".join(s["text"]).split())
        if text or s["title"]:
            out.append({"anchor": s["anchor"], "title": s["title"] or first_title, "text": text})
    return out


def script_json(value) -> str:
    """JSON that is safe inside JavaScript and HTML: <, >, & and line separators are \\u-escaped."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def index_script(pages: list[dict]) -> str:
    """The search index as a script: `pages` is [{'url', 'title', 'kind', 'html', 'first_anchor', 'extra'}] in
    reading order. `extra` adds sections for text a page shows only inside images, such as the names in a
    chart's data: [{'anchor', 'title', 'text'}]."""
    index = {"pages": [], "sections": []}
    for number, page in enumerate(pages):
        index["pages"].append({"url": page["url"], "title": page["title"], "kind": page.get("kind", "chapter")})
        for s in page_sections(page["html"], page["first_anchor"], page["title"]):
            index["sections"].append({"page": number, **s})
        for s in page.get("extra", []):
            index["sections"].append({"page": number, "anchor": s["anchor"], "title": s["title"],
                                      "text": " ".join(str(s["text"]).split())})
    return ("// Offline search index, generated at build time. Do not edit.\n"
            f"window.WMR_SEARCH_INDEX = {script_json(index)};\n")
