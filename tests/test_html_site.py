"""The HTML edition as readers use it: in Chromium from file://, on a laptop and a 390 px phone.

Browser tests share one Chromium (system /usr/bin/chromium driven by Python playwright) for the module and
load every page of both editions: axe-core (node_modules, pinned by package.json) finds no serious or
critical violation, no request leaves the site, nothing scrolls sideways at 390 px, the contents toggle,
fact provenance and search work. Static tests check links, anchors, source lines and the search index, and
unit tests check that the build refuses pages with skipped heading levels or images without alt text.
"""
from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote_plus

import nbformat
import pytest

from wmr.build import document, freshness, pagebody, pagecheck, searchindex, site
from wmr.build.document import ChapterDoc, Figure, Prose
from wmr.build.editions import Edition
from wmr.build.runs import ChapterConfig, Run
from wmr.core.errors import AssemblyError
from wmr.kernel import chapter as chapter_api

from .conftest import ROOT, tab_to

EDITIONS = sorted(p.stem for p in (ROOT / "editions").glob("*.toml"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
TINY_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def site_dir(built: Path, edition: str) -> Path:
    return built / "report" / edition / "html"


def pages_of(built: Path, edition: str) -> list[Path]:
    pages = sorted(site_dir(built, edition).glob("*.html"))
    assert {"index.html", "sources.html", "search.html"} <= {p.name for p in pages}
    return pages


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(a["id"])


def parse(path: Path) -> _Tags:
    p = _Tags()
    p.feed(path.read_text(encoding="utf-8"))
    return p


# --------------------------------------------------------------------------------------------------------
# the browser


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed at {AXE}: run `npm ci` in the project (scripts/setup.sh --test does)")
    pw = sync_api.sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()
    pw.stop()


def _block_the_network(context, attempts: list[str]) -> None:
    """Record every request; abort any that would leave the machine."""
    context.on("request", lambda r: attempts.append(r.url))
    context.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())


def _axe(browser, paths: list[Path]) -> None:
    """axe-core over each page: no serious or critical violation, headings in order, no broken image, no script
    error, and no request leaving the machine."""
    attempts: list[str] = []
    errors: list[str] = []
    # CSP is bypassed only so that axe can be injected; it also means a stray remote URL would really be tried
    context = browser.new_context(viewport=LAPTOP, bypass_csp=True)
    _block_the_network(context, attempts)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    found: dict[str, list] = {}
    try:
        for path in paths:
            page.goto(path.as_uri())
            page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
            page.wait_for_function("Array.from(document.images).every(i => i.complete)")
            broken = page.evaluate("Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src)")
            assert broken == [], (path.name, broken)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]
                   if v["impact"] in ("serious", "critical") or v["id"] in ("heading-order", "page-has-heading-one",
                                                                             "duplicate-id-aria", "landmark-unique")]
            if bad:
                found[path.name] = bad
    finally:
        context.close()
    assert found == {}
    assert errors == []
    leaving = [u for u in attempts if not u.startswith(("file:", "data:", "about:"))]
    assert leaving == []
    assert any(u.endswith("/assets/site.js") for u in attempts)


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_passes_axe_and_stays_offline(built, browser, edition):
    _axe(browser, pages_of(built, edition))


LANGUAGES = ["fr", "es", "ar"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_kind_of_page_passes_axe_in_every_language(built_all_languages, browser, edition, lang):
    """The translated sites: every chapter and region page, the index, sources, search, glossary and imprint
    pages, the profiles index and two profiles (profile pages differ only in their data); wmr-2024, built from
    the same templates and catalogs, on its index, first chapter, a region page and a profile."""
    site = built_all_languages / "report" / edition / lang / "html"
    pages = sorted(p for p in site.glob("*.html") if not p.name.startswith("profile-"))
    profiles = sorted(site.glob("profile-*.html"))
    assert len(pages) > 15 and len(profiles) > 2, (edition, lang)
    if edition == "wmr-2024":
        pages = [site / n for n in ("index.html", "overview.html", "regions-asia.html")]
    _axe(browser, pages + profiles[:2 if edition == "wmr-2026" else 1])


MAX_SCREENS = 20   # no page taller than this many laptop screens


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_page_scrolls_sideways_and_none_is_too_long(built, browser, edition):
    """At 390 and 1280 px nothing is wider than the window; at 1280 px no page is taller than 20 screens."""
    wide, tall = {}, {}
    for viewport in (PHONE, LAPTOP):
        context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
        page = context.new_page()
        try:
            for path in pages_of(built, edition):
                page.goto(path.as_uri())
                size = page.evaluate("({sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,"
                                     " sh: document.documentElement.scrollHeight})")
                if size["sw"] > size["cw"]:
                    wide[(path.name, viewport["width"])] = size["sw"]
                if viewport is LAPTOP and size["sh"] > MAX_SCREENS * LAPTOP["height"]:
                    tall[path.name] = size["sh"]
        finally:
            context.close()
    assert wide == {}
    assert tall == {}


@pytest.mark.parametrize("edition", EDITIONS)
def test_tables_fit_a_phone_and_wide_ones_read_as_labelled_rows(built, browser, edition):
    """At 390 px no table scrolls sideways inside its box; one of four or more columns, or with long text, shows
    each row as a block whose values are labelled with their column (Table 1.1's sources no longer hide off-screen)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    stacked, bad = 0, []
    try:
        for path in pages_of(built, edition):
            if '<figure class="wmr-table"' not in path.read_text(encoding="utf-8"):
                continue
            page.goto(path.as_uri())
            tables = page.evaluate("""() => Array.from(document.querySelectorAll('figure.wmr-table')).map(f => {
                const wrap = f.querySelector('.table-wrap');
                const heads = Array.from(f.querySelectorAll('thead th')).map(th => th.textContent.trim());
                const cells = Array.from(f.querySelectorAll('tbody td'));
                const rows = Array.from(f.querySelectorAll('tbody tr')).map(r => r.getBoundingClientRect());
                return {id: f.id, columns: heads.length, scroll: wrap.scrollWidth - wrap.clientWidth,
                        longest: Math.max(...Array.from(f.querySelectorAll('tbody th, tbody td')).map(c => c.textContent.trim().length)),
                        right: Math.max(...Array.from(f.querySelectorAll('tbody th, tbody td')).map(c => c.getBoundingClientRect().right)),
                        rowWidth: Math.min(...rows.map(r => r.width)), wrapWidth: wrap.clientWidth,
                        labelled: cells.every(td => td.dataset.label === heads[td.cellIndex]
                                              && getComputedStyle(td, '::before').content === JSON.stringify(heads[td.cellIndex] + ': '))};
            })""")
            for t in tables:
                if t["scroll"] > 0 or t["right"] > PHONE["width"]:
                    bad.append((path.name, t["id"], "scrolls", t["scroll"], t["right"]))
                if t["columns"] >= 4 or t["longest"] > 60:
                    stacked += 1
                    if not t["labelled"] or t["rowWidth"] < t["wrapWidth"] - 1:   # a row is one full-width block
                        bad.append((path.name, t["id"], "not stacked", t["rowWidth"], t["wrapWidth"]))
    finally:
        context.close()
    assert bad == []
    assert stacked >= 6


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_numbers_list_shows_value_year_unit_and_sources_in_short_rows(built, browser, viewport):
    """Every row of 'Numbers on this page' is on screen, short, and shows its value, year, unit and a source."""
    html = site_dir(built, "wmr-2026")
    facts = json.loads((html / "facts.json").read_text())
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        for name in ("global.html", "regions-africa.html"):
            page.goto((html / name).as_uri())
            rows = page.evaluate("""() => Array.from(document.querySelectorAll('.fact-row')).map(r => {
                const box = r.getBoundingClientRect();
                const part = c => { const e = r.querySelector(c); if (!e) return null;
                                    const b = e.getBoundingClientRect(); return {text: e.textContent.trim(), right: b.right, w: b.width}; };
                return {id: r.id.slice(5), height: box.height, right: box.right, value: part('.fact-value'),
                        year: part('.fact-year'), unit: part('.fact-unit'), sources: r.querySelectorAll('.fact-sources a').length};
            })""")
            assert len(rows) >= 10, name
            width = viewport["width"]
            for row in rows:
                fact = facts[row["id"]]
                assert row["value"]["text"] == fact["display"], row
                assert row["year"]["text"] == str(fact["year"]) and row["unit"]["text"] == fact["unit"], row
                assert 1 <= row["sources"] <= len(fact["sources"]), row   # two pins of one publication: one link
                assert row["right"] <= width and row["value"]["right"] <= width and row["value"]["w"] > 0, row
            heights = sorted(r["height"] for r in rows)
            assert heights[len(heights) // 2] <= (110 if viewport is PHONE else 60), (name, heights[len(heights) // 2])
    finally:
        context.close()


def _tick_text_px(page, svg_text: str, width: float) -> list[float]:
    """Rendered size in CSS px of every tick label of an SVG chart drawn `width` px wide, as Chromium lays it out."""
    from matplotlib.textpath import TextToPath

    page.set_content(f'<!DOCTYPE html><html><body style="margin:0"><div id="box" style="width:{width}px">{svg_text}</div></body></html>')
    page.evaluate("() => { const s = document.querySelector('#box svg'); s.style.width = '100%'; s.style.height = 'auto';"
                  " s.removeAttribute('width'); s.removeAttribute('height'); }")
    return page.evaluate("""(fontScale) => {
        const out = [];
        document.querySelectorAll('g[id^="xtick_"] g[id^="text_"], g[id^="ytick_"] g[id^="text_"]').forEach(g => {
            const glyphs = g.querySelector('g[transform*="scale"]');   // text drawn as paths (svg.fonttype 'path')
            const text = g.querySelector('text');                      // text kept as text (svg.fonttype 'none')
            const el = glyphs || text;
            if (!el) return;
            const m = el.getScreenCTM();
            const scale = Math.hypot(m.c, m.d);
            out.push(glyphs ? scale * fontScale : scale * parseFloat(getComputedStyle(text).fontSize));
        });
        return out;
    }""", TextToPath.FONT_SCALE)


@pytest.mark.parametrize("edition", EDITIONS)
def test_charts_are_vector_and_their_tick_labels_legible_on_a_phone(built, browser, edition):
    """Charts are SVG images scaled to the screen; at 390 px every tick label is at least 10 px tall."""
    html = site_dir(built, edition)
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page, lab = context.new_page(), context.new_page()
    small, checked = {}, 0
    try:
        for path in pages_of(built, edition):
            page.goto(path.as_uri())
            figures = page.evaluate("() => Array.from(document.querySelectorAll('figure.wmr-figure img')).map(i =>"
                                    " ({src: i.getAttribute('src'), width: i.clientWidth}))")
            for fig in figures:
                assert fig["src"].endswith(".svg"), fig
                assert 0 < fig["width"] <= PHONE["width"], fig
                sizes = _tick_text_px(lab, (html / fig["src"]).read_text(encoding="utf-8"), fig["width"])
                checked += 1
                if sizes and min(sizes) < 10:
                    small[fig["src"]] = round(min(sizes), 2)
    finally:
        context.close()
    assert checked >= 20
    assert small == {}


def _index(html: Path) -> dict:
    script = (html / "assets" / "search-index.js").read_text(encoding="utf-8")
    return json.loads(script.split("= ", 1)[1].rstrip().rstrip(";"))


def _accented_name(html: Path) -> str:
    """A name with an accented letter and no apostrophe that the edition's text shows ('Türkiye', 'Réunion')."""
    import unicodedata

    text = " ".join(sec["text"] for sec in _index(html)["sections"])
    for word in sorted(set(re.findall(r"\b[A-Z]\w*[À-ÿ]\w*\b", text))):
        if unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode() != word:
            return word
    raise AssertionError("the edition names no place with an accented letter")


@pytest.mark.parametrize("case", ["apostrophe", "accent"])
def test_search_ignores_accents_and_apostrophes(built, browser, case):
    """"Cote d'Ivoire" and "Cote d’Ivoire" find the name however the edition spells it ("Côte d'Ivoire" in the
    IOM naming table, "Côte d’Ivoire" in M49); an accented name typed without its accents is found."""
    import unicodedata

    from playwright.sync_api import expect

    html = site_dir(built, "wmr-2026")
    text = " ".join(sec["text"] for sec in _index(html)["sections"])
    if case == "apostrophe":
        expected = re.search(r"Côte d['’]Ivoire", text).group(0)
        queries = ["Cote d'Ivoire", "Cote d’Ivoire"]            # typed with either apostrophe, without the accent
    else:
        expected = _accented_name(html)
        queries = [unicodedata.normalize("NFKD", expected).encode("ascii", "ignore").decode().lower()]
    assert expected in text
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        for query in queries:
            page.goto((html / "search.html").as_uri() + "?q=" + quote_plus(query))
            expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ sections? match"))
            marks = page.locator("#search-results mark").all_inner_texts()
            assert any(m.lower() in expected.lower() for m in marks), (query, marks)
            assert expected in page.locator("#search-results").inner_text(), query
    finally:
        context.close()


def test_search_finds_a_country_named_only_in_a_chart(built, browser):
    """A country that appears in a figure's data but nowhere in the page text is found, linked to the figure."""
    from playwright.sync_api import expect

    html = site_dir(built, "wmr-2026")
    text = " ".join(re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8")) for p in html.glob("*.html"))
    only_in_charts = None
    for csv_path in sorted((html / "figures").rglob("fig-*.csv")):
        header, *rows = csv_path.read_text(encoding="utf-8").splitlines()
        if "country" not in header.split(","):
            continue
        col = header.split(",").index("country")
        for row in rows:
            cells = row.split(",")
            name = cells[col] if len(cells) == len(header.split(",")) else ""
            if len(name) > 5 and name.isalpha() and name not in text:
                only_in_charts = (name, csv_path)
                break
        if only_in_charts:
            break
    assert only_in_charts, "no country is named only in a chart"
    name, csv_path = only_in_charts
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    try:
        page.goto((html / "search.html").as_uri() + "?q=" + name)
        expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ sections? match"))
        hrefs = page.locator("#search-results a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        anchor = csv_path.stem
        assert any(h.endswith("#" + anchor) or h.endswith("-" + anchor) for h in hrefs), (name, anchor, hrefs)
    finally:
        context.close()


def test_contents_toggle_opens_the_sidebar_on_a_phone(built, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto((site_dir(built, "wmr-2026") / "global.html").as_uri())
        toggle, sidebar = page.locator(".nav-toggle"), page.locator("#sidebar")
        assert toggle.is_visible() and not sidebar.is_visible()
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.tap()
        assert sidebar.is_visible()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("#sidebar a[href='overview.html']").is_visible()
        assert page.locator("#sidebar .sections a").count() >= 2          # the chapter's own sections
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.keyboard.press("Escape")
        assert not sidebar.is_visible()
        page.set_viewport_size(LAPTOP)                                     # wide screens always show it
        assert sidebar.is_visible() and not toggle.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_fact_provenance_opens_by_keyboard(built, browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto((site_dir(built, "wmr-2026") / "global.html").as_uri())
        tab_to(page, "a.fact", 150)                                        # Tab through the page to a fact
        fid = page.evaluate("document.activeElement.dataset.fact")
        page.keyboard.press("Enter")
        pop = page.locator("#fact-pop")
        assert pop.is_visible()
        assert page.evaluate("document.getElementById('fact-pop').contains(document.activeElement)")
        assert fid in pop.inner_text()
        facts = json.loads((site_dir(built, "wmr-2026") / "facts.json").read_text())
        assert str(facts[fid]["year"]) in pop.inner_text() and facts[fid]["unit"] in pop.inner_text()
        hrefs = pop.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        src = [h for h in hrefs if h.startswith("sources.html#src-")]
        assert src and {h.split("#src-")[1] for h in src} <= set(facts[fid]["sources"])
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.keyboard.press("Escape")
        assert not pop.is_visible()
        assert page.evaluate("document.activeElement.dataset.fact") == fid   # focus returns to the number
        page.keyboard.press(" ")                                            # Space opens it too
        assert pop.is_visible()
        page.keyboard.press("Tab")                                          # into the dialog's links
        page.keyboard.press("Enter")                                        # follow the first source link
        page.wait_for_url(re.compile(r"/sources\.html#src-"))
        anchor = page.url.split("#", 1)[1]
        assert page.locator(f"[id='{anchor}']").count() == 1
    finally:
        context.close()


def test_without_script_contents_and_provenance_stay_reachable_and_print_drops_navigation(built, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((site_dir(built, "wmr-2026") / "global.html").as_uri())
        assert page.locator("#sidebar").is_visible() and not page.locator(".nav-toggle").is_visible()
        fact = page.locator("a.fact").first
        fid = fact.get_attribute("data-fact")
        fact.click()
        assert page.url.endswith(f"#fact-{fid}")
        row = page.locator(f"[id='fact-{fid}']")
        facts = json.loads((site_dir(built, "wmr-2026") / "facts.json").read_text())
        assert row.is_visible() and row.locator(".fact-value").inner_text() == facts[fid]["display"]
        assert row.locator("a[href^='sources.html#src-']").count() >= 1
        page.emulate_media(media="print")
        for hidden in ("#sidebar", ".topbar", ".pager", ".downloads >> nth=0"):
            assert not page.locator(hidden).is_visible(), hidden
        assert page.locator("h1").is_visible() and page.locator("figure img").first.is_visible()
    finally:
        context.close()


def test_search_box_finds_a_word_and_links_to_it_from_file_urls(built, browser):
    from playwright.sync_api import expect

    html = site_dir(built, "wmr-2026")
    body = (html / "global.html").read_text(encoding="utf-8")
    heading = re.search(r'<h2 id="([^"]+)">(.*?) <a class="heading-anchor"', body)
    word = max(re.findall(r"[A-Za-z]{4,}", heading.group(2)), key=len)
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    try:
        page.goto((html / "index.html").as_uri())
        page.fill("#q", word)
        page.press("#q", "Enter")
        page.wait_for_url(re.compile(r"/search\.html\?q="))
        page.wait_for_selector("#search-results li")
        assert word.lower() in page.locator("#search-status").inner_text().lower()
        assert page.locator("#search-results mark").count() >= 1
        link = page.locator(f"#search-results a[href='global.html#{heading.group(1)}']")
        assert link.count() == 1
        link.click()
        page.wait_for_url(re.compile(r"/global\.html#"))
        assert page.url.endswith(f"global.html#{heading.group(1)}")
        assert word.lower() in page.locator(f"[id='{heading.group(1)}']").inner_text().lower()
        # live results as one types on the search page, and none for nonsense
        page.goto((html / "search.html").as_uri())
        page.fill("#search-q", "zzqxjv")
        expect(page.locator("#search-status")).to_have_text(re.compile(r"^No sections"))
        assert page.locator("#search-results li").count() == 0
    finally:
        context.close()


# --------------------------------------------------------------------------------------------------------
# the built pages, statically


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_internal_link_and_anchor_resolves(built, edition):
    html = site_dir(built, edition)
    parsed = {p.name: parse(p) for p in pages_of(built, edition)}
    broken = []
    for name, page in parsed.items():
        pagecheck.check_page(name, (html / name).read_text(encoding="utf-8"))   # heading order, alt, unique ids
        for tag, attrs in page.tags:
            href = attrs.get("href") if tag == "a" else None
            if not href or re.match(r"(?i)[a-z][a-z0-9+.-]*:", href):
                continue
            target, _, frag = href.partition("#")
            target = target or name
            if target.endswith(".html") and "/" not in target:   # '../fr/html/x.html': another language's site
                if target not in parsed or (frag and frag not in parsed[target].ids):
                    broken.append((name, href))
            elif not (html / target).exists():
                broken.append((name, href))
    assert broken == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_fact_is_marked_up_with_its_provenance(built, edition):
    html = site_dir(built, edition)
    facts = json.loads((html / "facts.json").read_text())
    n = 0
    for path in html.glob("*.html"):
        page = parse(path)
        for tag, attrs in page.tags:
            if tag == "a" and "fact" in (attrs.get("class") or "").split():
                n += 1
                fid = attrs["data-fact"]
                assert fid in facts, (path.name, fid)
                assert attrs["href"] == f"#fact-{fid}" and f"fact-{fid}" in page.ids   # works without script
    assert n >= 50
    overview = (html / "overview.html").read_text(encoding="utf-8")
    row = re.search(r'<div class="fact-row" id="fact-overview\.migrants_total">(.*?)</div>', overview, re.S).group(1)
    assert 'href="sources.html#src-' in row and str(facts["overview.migrants_total"]["year"]) in row


@pytest.mark.parametrize("edition", EDITIONS)
def test_figures_and_tables_state_their_sources_and_offer_their_data(built, edition):
    html = site_dir(built, edition)
    sources_ids = parse(html / "sources.html").ids
    n_fig = 0
    for path in html.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r'<figure class="wmr-(?:figure|table)".*?</figure>', text, re.S):
            source = re.search(r'<p class="source">(.*?)</p>', block, re.S).group(1)
            plain = re.sub(r"<[^>]+>", "", source)
            # short: publisher, dataset, year and the files read (issue 12); licence and edition are on the sources page
            files = re.findall(r", files? (.*?)(?=; |\.$)", plain)
            assert files, plain
            short = re.sub(r", files? .*?(?=; |\.$)", "", plain)
            assert "Licence" not in plain and "Edition:" not in plain and len(short) <= 120 * (short.count(";") + 1), plain
            for sid in re.findall(r'href="sources\.html#(src-[^"]+)"', source):
                assert sid in sources_ids
            assert re.search(r'Figure|Table', block)
            if 'class="wmr-figure"' in block:
                n_fig += 1
                files = re.findall(r'<a href="(figures/[^"]+)" download>', block)
                assert sorted(Path(f).suffix for f in files) == [".csv", ".json", ".png", ".svg"]
                for f in files:
                    assert (html / f).stat().st_size > 0
                meta = json.loads((html / next(f for f in files if f.endswith(".json"))).read_text())
                assert meta["title"] and meta["caption"] and meta["edition"] == edition and "units" in meta
                assert all(s["citation"] and s["license"] for s in meta["sources"])
            else:
                assert "<table>" in block and "<img" not in block
    assert n_fig >= 6


@pytest.mark.parametrize("edition", EDITIONS)
def test_sources_page_lists_every_source_with_checksums_and_users(built, edition):
    html = site_dir(built, edition)
    page = (html / "sources.html").read_text(encoding="utf-8")
    manifest = json.loads((ROOT / "data" / "manifest.json").read_text())["sources"]
    cited = set()
    for f in json.loads((html / "facts.json").read_text()).values():
        cited.update(f["sources"])
    for s in manifest:
        if s["id"] not in cited:
            continue
        entry = re.search(rf'<div class="source-pin" id="src-{re.escape(s["id"])}">.*?</ul>\s*</details>\s*</div>', page, re.S)
        assert entry, s["id"]
        for f in s["files"]:
            assert f["sha256"] in entry.group(0)
        assert "Licence" in entry.group(0) and 'href="' in entry.group(0).split("Used in", 1)[1]


@pytest.mark.parametrize("edition", EDITIONS)
def test_index_lists_the_contents_once_with_true_counts_and_sources_once(built, edition):
    html = site_dir(built, edition)
    index = (html / "index.html").read_text(encoding="utf-8")
    assert index.count('class="toc"') == 0 and index.count('class="contents"') == 1   # not in the sidebar too
    entries = re.findall(r'<li id="contents-([a-z0-9_-]+)">(.*?)</li>', index, re.S)
    assert len(entries) >= 9
    for slug, entry in entries:
        counts = re.search(r'<span class="counts">(.*?)</span>', entry)
        counts = counts.group(1) if counts else ""
        assert not re.search(r"\b0 ", counts), (slug, counts)         # no 'chapter 1: 0 figures'
        figures = re.search(r"(\d+) figures?", counts)
        tables = re.search(r"(\d+) tables?", counts)
        figures, tables = (figures.group(1) if figures else 0), (tables.group(1) if tables else 0)
        pages = [p for p in html.glob("*.html") if p.name == f"{slug}.html" or p.name.startswith(f"{slug}-")]
        text = "".join(p.read_text(encoding="utf-8") for p in pages)
        assert int(figures) == text.count('<figure class="wmr-figure"'), slug
        assert int(tables) == text.count('<figure class="wmr-table"'), slug
    sources = (html / "sources.html").read_text(encoding="utf-8")
    titles = re.findall(r'<section class="source-entry"[^>]*>\s*<h2[^>]*>(.*?)</h2>', sources, re.S)
    listed = re.findall(r'<ul class="source-index">(.*?)</ul>', sources, re.S)[0]
    names = re.findall(r'<li><a href="#[^"]+">(.*?)</a>', listed)
    assert titles and len(titles) == len(set(titles)) and len(names) == len(set(names)) == len(titles)


@pytest.mark.parametrize("edition", EDITIONS)
def test_csvs_are_rounded_and_maps_name_their_countries(built, edition):
    html = site_dir(built, edition)
    maps = 0
    for path in sorted((html / "figures").rglob("*.csv")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\d\.\d{5,}", text), (path.name, re.search(r"[^,\n]*\d\.\d{5,}[^,\n]*", text).group(0))
        meta = path.with_suffix(".json")
        if meta.is_file() and json.loads(meta.read_text())["alt"].lower().startswith("world map"):
            maps += 1
            header, first = text.splitlines()[:2]
            cols = header.split(",")
            assert "iso3" in cols and "country" in cols and len(cols) >= 3, (path.name, header)
            assert first.split(",")[cols.index("country")] != first.split(",")[cols.index("iso3")], first
    assert maps >= 3


@pytest.mark.parametrize("edition", EDITIONS)
def test_search_index_covers_every_chapter_section(built, edition):
    html = site_dir(built, edition)
    script = (html / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in script.split("\n", 1)[1]
    index = json.loads(script.split("= ", 1)[1].rstrip().rstrip(";"))
    urls = [p["url"] for p in index["pages"]]
    chapter_pages = [p.name for p in html.glob("*.html") if p.name not in ("index.html", "search.html", "sources.html")]
    assert set(chapter_pages) <= set(urls)
    ids = {u: parse(html / u).ids for u in urls}
    for s in index["sections"]:
        assert s["anchor"] in ids[urls[s["page"]]], s["anchor"]
    assert sum(1 for s in index["sections"] if urls[s["page"]] == "global.html") >= 3
    css = (html / "assets" / "style.css").read_text()
    assert "@media print" in css and "@import" not in css


# --------------------------------------------------------------------------------------------------------
# build-time checks (no browser, no build)


def test_page_check_refuses_skipped_headings_missing_alt_and_repeated_ids():
    ok = '<h1 id="top">T</h1><h2 id="a">A</h2><h3 id="b">B</h3><h2 id="c">C</h2><img src="x.png" alt="A chart">'
    pagecheck.check_page("ok.html", ok)
    with pytest.raises(AssemblyError) as err:
        pagecheck.check_page("bad.html", '<h1>T</h1><h2>A</h2><h4>Deep</h4>', source="the chapter 'x'")
    assert "skips a heading level" in err.value.what and err.value.got == "h4" and "###" in err.value.fix
    with pytest.raises(AssemblyError, match="does not start with a level-1"):
        pagecheck.check_page("bad.html", "<h2>A</h2><h1>T</h1>")
    with pytest.raises(AssemblyError, match="without alt text"):
        pagecheck.check_page("bad.html", '<h1>T</h1><img src="x.png" alt=" ">')
    with pytest.raises(AssemblyError, match="more than once"):
        pagecheck.check_page("bad.html", '<h1 id="a">T</h1><p id="a">x</p>')


def test_heading_anchors_are_stable_unique_and_prefixed_by_run():
    a = pagebody.Anchors({"top"})
    assert a.claim("Where migrants live & where they come from") == "where-migrants-live-where-they-come-from"
    assert a.claim("Top") == "top-2"
    assert a.claim("Key figures", "africa") == "africa-key-figures"
    assert a.claim("Key figures", "asia") == "asia-key-figures"
    assert a.claim("Key figures", "asia") == "asia-key-figures-2"
    assert a.claim("Africa", "africa") == "africa"
    assert a.claim("Latin America and the Caribbean", "latin_america_caribbean") == "latin-america-and-the-caribbean"
    assert a.claim("Émigration", None) == "emigration"


def _edition(sources=()) -> Edition:
    import datetime as dt

    return Edition(id="wmr-test", title="Test <edition>", subtitle="", publisher="IOM", language="en",
                   sources=tuple(sources), parameters={}, release_date=dt.date(2026, 1, 1))


def _write_figure_files(folder: Path, stem: str) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    files = {"png": f"{stem}.png", "svg": f"{stem}.svg", "csv": f"{stem}.csv", "json": f"{stem}.json"}
    (folder / files["png"]).write_bytes(TINY_PNG)
    (folder / files["svg"]).write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (folder / files["csv"]).write_text("a,b\n1,2\n")
    (folder / files["json"]).write_text("{}")
    return files


def test_build_fails_when_a_chapter_page_would_skip_a_heading_level(tmp_path):
    doc = ChapterDoc(slug="demo", number=1, title="Demo", figures_dir=tmp_path / "fig",
                     blocks=[Prose("Intro.\n\n## Fine\n\nText.\n\n#### Too deep\n\nMore.\n")])
    with pytest.raises(AssemblyError) as err:
        site.build_site(_edition(), [doc], tmp_path / "html", {}, "demo.pdf")
    assert "demo.html" in err.value.what and "Too deep" in err.value.what and err.value.fix


def test_build_fails_when_a_figure_has_no_alt_text(tmp_path):
    files = _write_figure_files(tmp_path / "fig", "fig-x")
    fig = Figure(id="fig-x", anchor="fig-x", number="1.1", title="X", caption="C", alt="", sources=["unsd-m49"],
                 files=files)
    doc = ChapterDoc(slug="demo", number=1, title="Demo", figures_dir=tmp_path / "fig", blocks=[Prose("Intro."), fig])
    with pytest.raises(AssemblyError, match="without alt text"):
        site.build_site(_edition(["unsd-m49"]), [doc], tmp_path / "html", {}, "demo.pdf")


def test_loading_a_chapter_refuses_a_figure_without_alt_text(tmp_path, monkeypatch):
    monkeypatch.setenv("WMR_PROJECT_ROOT", str(tmp_path))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo\n\nIntro."), nbformat.v4.new_code_cell("ch.figure(...)")]
    payload = {"id": "fig-x", "title": "X", "caption": "C", "alt": "  ", "sources": ["unsd-m49"],
               "files": {"png": "fig-x.png"}}
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={chapter_api.FIGURE_MIME: payload})]
    (tmp_path / "chapters" / "wmr-test").mkdir(parents=True)
    nb.metadata["wmr"] = {"outputs": freshness.outputs_record(nb)}   # as the build records it (issue 15)
    nbformat.write(nb, tmp_path / "chapters" / "wmr-test" / "demo.ipynb")
    cfg = ChapterConfig(slug="demo", number=1, notebook=tmp_path / "demo.md", parameters={},
                        runs=(Run(chapter="demo", key=None, parameters={}),))
    with pytest.raises(AssemblyError, match="no alt text"):
        document.load_chapter(_edition(), cfg)


def test_prose_a_run_emits_is_a_block_of_its_run_and_an_opening_paragraph_is_printed_once(tmp_path, monkeypatch):
    """Chapter.prose payloads (wording chosen by the data) load as prose of their run; opening=True joins the
    chapter's introduction from the first run only (every run emits it); a changed paragraph is not trusted."""
    monkeypatch.setenv("WMR_PROJECT_ROOT", str(tmp_path))
    (tmp_path / "chapters" / "wmr-test").mkdir(parents=True)
    for key in ("north", "south"):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("# Demo\n\nIntro."), nbformat.v4.new_code_cell("ch.prose(...)")]
        nb.cells[1].outputs = [
            nbformat.v4.new_output("display_data", data={chapter_api.PROSE_MIME: {"markdown": "World.", "opening": True}}),
            nbformat.v4.new_output("display_data", data={chapter_api.PROSE_MIME: {"markdown": f"Only {key}.",
                                                                                  "opening": False}})]
        nb.metadata["wmr"] = {"outputs": freshness.outputs_record(nb)}
        nbformat.write(nb, tmp_path / "chapters" / "wmr-test" / f"demo-{key}.ipynb")
    cfg = ChapterConfig(slug="demo", number=1, notebook=tmp_path / "demo.md", parameters={},
                        runs=tuple(Run(chapter="demo", key=k, parameters={}) for k in ("north", "south")))
    doc = document.load_chapter(_edition(), cfg)
    prose = [(b.markdown.strip(), b.run, b.opening) for b in doc.blocks if isinstance(b, Prose)]
    assert prose == [("Intro.", "north", True), ("World.", "north", True), ("Only north.", "north", False),
                     ("Only south.", "south", False)]
    path = tmp_path / "chapters" / "wmr-test" / "demo-south.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs[1]["data"][chapter_api.PROSE_MIME]["markdown"] = "Edited by hand."
    nbformat.write(nb, path)
    with pytest.raises(AssemblyError, match="cannot be trusted"):
        document.load_chapter(_edition(), cfg)


def test_search_index_escapes_everything_that_comes_from_data():
    evil = '</script><img src=x onerror="alert(1)"> & \u2028 "quoted"'
    page = (f'<main><h1 id="top">T</h1><p>{evil.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}</p>'
            '<h2 id="s">Sec <a class="heading-anchor" href="#s">#</a></h2><p>body</p>'
            '<p class="downloads">Download</p></main>')
    script = searchindex.index_script([{"url": "a.html", "title": evil, "html": page, "first_anchor": "top"}])
    code = script.split("\n", 1)[1]
    assert "<" not in code and ">" not in code and "\u2028" not in code and "&" not in code
    index = json.loads(code.split("= ", 1)[1].rstrip().rstrip(";"))
    assert index["pages"][0]["title"] == evil
    assert index["sections"][0]["text"].startswith("</script><img")
    assert index["sections"][1] == {"page": 0, "anchor": "s", "title": "Sec", "text": "body"}


def test_fact_markup_is_escaped_and_links_to_its_row():
    from wmr.kernel.facts import Fact, Ledger

    doc = ChapterDoc(slug="demo", number=1, title="Demo")
    doc.ledgers[None] = Ledger("demo", {"x": Fact(name="x", value=1, display='<b>"1"</b>', unit="persons", year=2024,
                                                  sources=["unsd-m49"])})
    html = pagebody._markdown().renderInline(document.resolve_roles("See {fact}`x`.", doc, None, pagebody._render_role))
    assert html == ('See <a class="fact" href="#fact-demo.x" data-fact="demo.x">&lt;b&gt;&quot;1&quot;&lt;/b&gt;</a>.')


def test_numref_becomes_a_numbered_link_and_an_unknown_id_fails_the_build(tmp_path):
    fig = Figure(id="fig-x", anchor="fig-x", number="3.4", title="X", caption="C", alt="A chart", sources=[], files={})
    doc = ChapterDoc(slug="demo", number=3, title="Demo", blocks=[fig], refs={(None, "fig-x"): fig})
    html = document.resolve_roles("As {numref}`fig-x` shows.", doc, None, pagebody._render_role)
    assert html == 'As <a class="xref" href="#fig-x">Figure 3.4</a> shows.'
    with pytest.raises(AssemblyError, match="unknown figure or table 'fig-y'") as err:
        document.resolve_roles("See {numref}`fig-y`.", doc, None, pagebody._render_role)
    assert err.value.expected == "one of: fig-x" and err.value.fix


def test_csv_rounding_keeps_counts_whole_and_shares_to_two_decimals():
    import pandas as pd

    from wmr.kernel import datafiles

    df = pd.DataFrame({"name": ["A", "B"], "usd": [117547249055.86215, 2.5e9], "migrants": [1200.0, float("nan")],
                       "share": [12.345678, 3.0], "hdi": [0.7390000000000001, 0.5], "year": [2024, 2020]})
    text = datafiles.csv_bytes(df).decode()
    assert text.splitlines() == ["name,usd,migrants,share,hdi,year", "A,117547249056,1200,12.35,0.739,2024",
                                 "B,2500000000,,3.0,0.5,2020"]


def test_pages_of_a_chapter_with_runs_one_per_run_with_promoted_headings(tmp_path):
    from wmr.kernel.facts import Fact, Ledger

    def ledger(run):
        return Ledger(f"demo.{run}", {"n": Fact(name="n", value=5, display="5", unit="persons", year=2024,
                                                 sources=["unsd-m49"]),
                                      "word": Fact(name="word", value="more", display="more", unit="comparison",
                                                   year=2024, sources=["unsd-m49"])})
    doc = ChapterDoc(slug="demo", number=3, title="Demo", figures_dir=tmp_path / "fig", blocks=[
        Prose("Intro cites {fact}`n`.", "north", opening=True),
        Prose("## North\n\nNorth has {fact}`n`, {fact}`word` than before.\n\n### Detail\n\nText.", "north"),
        Prose("## South\n\nSouth has {fact}`n`.", "south")],
        ledgers={"north": ledger("north"), "south": ledger("south")}, params={"north": {}, "south": {}})
    pages = pagebody.chapter_pages(doc)
    assert [(p.file, p.title) for p in pages] == [("demo.html", "Demo"), ("demo-north.html", "North"),
                                                  ("demo-south.html", "South")]
    site.build_site(_edition(["unsd-m49"]), [doc], tmp_path / "html", {}, None)
    north = (tmp_path / "html" / "demo-north.html").read_text(encoding="utf-8")
    assert '<h1 id="top">North</h1>' in north and "<h3" not in north and ">North <a" not in north
    assert re.search(r'<h2 id="[^"]*detail[^"]*">Detail', north)
    assert ", more than before" in north                        # a connecting word is plain text
    assert 'data-fact="demo.north.word"' not in north and 'id="fact-demo.north.n"' in north
    opening = (tmp_path / "html" / "demo.html").read_text(encoding="utf-8")
    assert 'href="demo-north.html"' in opening and 'href="demo-south.html"' in opening and "North has" not in opening
    assert 'rel="next" href="demo-north.html"' in opening
    assert 'rel="prev" href="demo-north.html"' in (tmp_path / "html" / "demo-south.html").read_text(encoding="utf-8")
