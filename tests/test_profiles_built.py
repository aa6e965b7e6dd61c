"""Country and area profiles in the built editions (a sample, see conftest.PROFILE_SAMPLES): facts, agreement
with the chapters, HTML part (index, map, pages, CSV), profiles PDF, byte-identical rebuilds, --profiles."""
from __future__ import annotations

import csv
import json
import re
from html import unescape

import pytest

from .conftest import PROFILE_SAMPLES, ROOT, make_project, run_build, tab_to
from .test_html_site import browser, parse, site_dir  # noqa: F401  (the module's Chromium fixture)

EDITIONS = sorted(PROFILE_SAMPLES)


def facts_of(built, edition: str) -> dict:
    return json.loads((built / "report" / edition / "facts.json").read_text())


@pytest.mark.parametrize("edition", EDITIONS)
def test_facts_json_holds_each_sampled_profile_as_profiles_iso3_name(built, edition):
    facts = facts_of(built, edition)
    codes = {k.split(".")[1] for k in facts if k.startswith("profiles.")}
    assert codes == set(PROFILE_SAMPLES[edition])
    for code in codes:
        assert facts[f"profiles.{code}.immigrants"]["value"] > 0
        assert facts[f"profiles.{code}.name_in_text"]["display"]
    assert "profiles.VAT.received_usd" not in facts and "profiles.VAT.hdi" not in facts       # no data: no fact
    assert facts["profiles.XCX.region"]["value"] == "Europe"      # where UN DESA allocates the Channel Islands


@pytest.mark.parametrize("edition", EDITIONS)
def test_profile_facts_agree_with_the_chapters_that_state_the_same_quantity(built, edition):
    facts = facts_of(built, edition)
    same = {"overview.top_destination_": "immigrants", "overview.top_origin_": "emigrants",
            "overview.top_remittance_recipient_": "received_usd"}
    compared = 0
    for fid, f in facts.items():
        prefix = next((p for p in same if fid.startswith(p) and fid[len(p):].isdigit()), None)
        code = f.get("note", "")
        if prefix and f"profiles.{code}.{same[prefix]}" in facts:
            assert facts[f"profiles.{code}.{same[prefix]}"]["value"] == pytest.approx(f["value"]), fid
            compared += 1
    top = facts["global.top_destination_migrants"]["value"]
    assert facts["profiles.USA.immigrants"]["value"] == pytest.approx(top)
    assert compared >= 5, compared


@pytest.mark.parametrize("edition", EDITIONS)
def test_countries_index_has_regions_a_keyboard_map_and_every_profile(built, edition):
    html = site_dir(built, edition)
    page = (html / "profiles.html").read_text(encoding="utf-8")
    for code in PROFILE_SAMPLES[edition]:
        assert f'href="profile-{code.lower()}.html"' in page
        assert (html / f"profile-{code.lower()}.html").is_file()
    assert re.search(r'<h3 id="region-europe">Europe', page) and "Outside the M49 regions" not in page
    map_links = re.findall(r'<a href="(profile-[a-z]{3}\.html)" aria-label="[^"]+" class="map-country">', page)
    assert "profile-deu.html" in map_links and "profile-vat.html" not in map_links   # too small for 1:110m
    small = page.split('id="map-caption"')[1].split("</figcaption>")[0]
    assert 'href="profile-vat.html"' in small and 'href="profile-tuv.html"' in small
    assert 'href="profiles.html"' in (html / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("edition", EDITIONS)
def test_profile_page_numbers_its_figures_and_offers_one_csv_of_every_number(built, edition):
    html = site_dir(built, edition)
    page = (html / "profile-deu.html").read_text(encoding="utf-8")
    assert "<h1 id=\"top\">Germany</h1>" in page
    assert "Figure DEU.1" in page and "Figure DEU.2" in page and "Table DEU.1" in page
    link = re.search(r'<a href="(data/profile-deu\.csv)" download>', page).group(1)
    rows = list(csv.DictReader((html / link).read_text(encoding="utf-8").splitlines()))
    facts = {k: v for k, v in facts_of(built, edition).items() if k.startswith("profiles.DEU.")}
    in_csv = {r["item"]: r for r in rows if r["section"] == "facts"}
    assert set(in_csv) == set(facts)
    for fid, f in facts.items():
        assert in_csv[fid]["display"] == f["display"]
    trend = [r for r in rows if r["section"] == "Figure DEU.1"]
    assert len(trend) >= 2 * 7 and all(float(r["value"]) > 0 for r in trend)
    for fid, f in facts.items():            # every number has its provenance on the page; words are plain text
        if re.search(r"\d", f["display"]):
            assert f'id="fact-{fid}"' in page, fid
        else:
            assert f["display"] in unescape(page), fid


def test_map_countries_are_links_reached_by_keyboard(built, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto((site_dir(built, "wmr-2026") / "profiles.html").as_uri())
        tab_to(page, "a.map-country", 80)
        target = page.evaluate("document.activeElement.getAttribute('href')")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(target) + "$"))
        page.goto((site_dir(built, "wmr-2026") / "profiles.html").as_uri())
        page.fill("#profile-q", "tuva")
        visible = page.locator(".profile-list li:visible a").all_inner_texts()
        assert visible == ["Tuvalu"]
        page.fill("#profile-q", "HÓLY SÉE")                        # case and accents are ignored
        assert page.locator(".profile-list li:visible a").all_inner_texts() == ["Holy See"]
    finally:
        context.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_profiles_pdf_gives_each_profile_one_or_two_pages(built, edition):
    """Cover, contents grouped by region as the HTML index, then each profile on one or two A4 pages with its
    key-figures table and two charts (alt texts as on its HTML page), headed by its name; tagged PDF/UA-1."""
    from html import unescape

    import pikepdf
    import pypdfium2 as pdfium

    from wmr.build.book import page_count

    from .test_book import _struct_elements

    path = built / "report" / edition / f"{edition}-profiles.pdf"
    n = len(PROFILE_SAMPLES[edition])
    pages = page_count(path.read_bytes())
    assert n + 2 <= pages <= 2 * n + 6, pages      # cover, contents, profiles, sources
    html = site_dir(built, edition)
    index = (html / "profiles.html").read_text(encoding="utf-8")
    groups = [(unescape(m.group(1)).strip(), [unescape(t) for t in re.findall(r'<a href="profile-[a-z]{3}\.html">([^<]+)</a>', m.group(2))])
              for m in re.finditer(r'<h3 id="region-[^"]+">([^<]+)<span.*?</h3>(.*?)</section>', index, re.S)]
    doc = pdfium.PdfDocument(str(path))
    toc = [(item.level, item.get_title(), item.get_dest().get_index()) for item in doc.get_toc()]
    regions = [(t, [c for level, c, _ in toc[k + 1:next((j for j in range(k + 1, len(toc)) if toc[j][0] == 0), len(toc))]
                    if level == 1]) for k, (level, t, _) in enumerate(toc) if level == 0 and t not in ("Contents", "Data sources")]
    assert regions == groups                         # grouped by region, in the HTML index's order
    starts = [(t, p) for level, t, p in toc if level == 1] + [("end", next(p for _, t, p in toc if t == "Data sources"))]
    alts = []
    for (title, first), (_, after) in zip(starts, starts[1:]):
        assert 1 <= after - first <= 2, (title, after - first)
        text = " ".join(doc[i].get_textpage().get_text_range() for i in range(first, after))
        assert len(re.findall(r"Table [A-Z]{3}\.1 ", text)) == 1 and len(re.findall(r"Figure [A-Z]{3}\.\d ", text)) == 2, title
        for i in range(first + 1, after):             # a second page is headed by the profile's name
            top = doc[i].get_textpage().get_text_bounded(0, doc[i].get_height() - 60, doc[i].get_width(), doc[i].get_height())
            assert " ".join(top.split()).startswith(title), (title, top)
    code_pages = sorted(html.glob("profile-*.html"))
    for page in code_pages:
        alts += [unescape(a) for a in re.findall(r'<img [^>]*alt="([^"]*)"', page.read_text(encoding="utf-8"))]
    doc.close()
    with pikepdf.open(path) as pdf:
        assert str(pdf.open_metadata().get("pdfuaid:part")) == "1"
        figures = [e for e in _struct_elements(pdf) if str(e.S) == "/Figure" and "/Alt" in e]
        assert sorted(str(f.Alt) for f in figures) == sorted(alts) and len(alts) == 2 * n


def test_profile_rebuild_in_a_kept_kernel_is_byte_identical(built_copy):
    project = built_copy
    edition = "wmr-2026"
    nbs = [project / "chapters" / edition / f"profiles-{c}.ipynb" for c in ("vat", "deu")]
    figs = sorted(p for c in ("vat", "deu") for p in (project / "figures" / edition / "profiles").glob(f"{c}-*"))
    pdf = project / "report" / edition / f"{edition}-profiles.pdf"
    before = {p: p.read_bytes() for p in [*nbs, pdf, *figs]}
    (project / "report" / edition / ".assembly-key").unlink()     # re-assemble: the PDF is typeset again
    # one of the two runs second in the worker's kept kernel: no output may depend on that
    proc = run_build(project, "--edition", edition, "--profiles", "VAT,DEU", "--force", "--jobs", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert set(re.findall(r"^   (profiles-\S+)\s+executed", proc.stdout, re.M)) == {"profiles-vat", "profiles-deu"}
    changed = [str(p.name) for p, data in before.items() if p.read_bytes() != data]
    assert changed == []


def test_profiles_option_refuses_unknown_codes_and_says_where_to_find_them(tmp_path):
    project = make_project(tmp_path / "project")
    proc = run_build(project, "--edition", "wmr-2024", "--profiles", "DEU,TWN,XYZ")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "TWN, XYZ" in proc.stderr and "status" in proc.stderr and "fix:" in proc.stderr
    assert not (project / "chapters").exists()
    proc = run_build(project, "--all", "--profiles", "DEU")
    assert proc.returncode == 1 and "--profiles" in proc.stderr


def test_readme_documents_the_profiles_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--profiles DEU,IND" in readme


def test_a_pin_read_only_by_the_profiles_reexecutes_only_the_profiles(built_copy, mirror_copy):
    import hashlib

    from .conftest import replace_with_copy

    project, edition = built_copy, "wmr-2026"
    outflows = replace_with_copy(mirror_copy, "wb-remittances/remittance-outflows.xlsx")
    outflows.write_bytes(outflows.read_bytes() + b"\n")   # a new snapshot: new bytes, the same table
    manifest = project / "data" / "manifest.json"
    raw = json.loads(manifest.read_text())
    pin = next(f for s in raw["sources"] if s["id"] == "wb-remittances" for f in s["files"]
               if f["name"] == "remittance-outflows.xlsx")
    pin.update(sha256=hashlib.sha256(outflows.read_bytes()).hexdigest(), bytes=outflows.stat().st_size)
    manifest.write_text(json.dumps(raw, indent=1))
    proc = run_build(project, "--edition", edition, "--html-only", mirror=mirror_copy)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    executed = set(re.findall(r"^   (\S+)\s+executed", proc.stdout, re.M))
    assert executed == {f"profiles-{c.lower()}" for c in PROFILE_SAMPLES[edition]}, proc.stdout


@pytest.mark.build   # executes notebooks in a project of its own
def test_a_failing_profile_is_reported_and_the_others_still_build_in_a_fresh_kernel(tmp_path):
    project = make_project(tmp_path / "project")
    nb = project / "notebooks" / "profile.md"
    nb.write_text(nb.read_text().replace("prof = P.load(iso3, params)\n",
                                         "prof = P.load(iso3, params)\nassert iso3 != 'TUV', 'no profile today'\n", 1))
    proc = run_build(project, "--edition", "wmr-2026", "--profiles", "VAT,TUV,XCX", "--jobs", "1", "--html-only")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "chapter 'profiles' (run tuv) failed in code cell 2" in proc.stdout
    assert "AssertionError: no profile today" in proc.stdout
    assert set(re.findall(r"^   (profiles-\S+)\s+executed", proc.stdout, re.M)) == {"profiles-vat", "profiles-xcx"}
    failed = json.loads((project / "chapters" / "wmr-2026" / "profiles-tuv.failed.ipynb").read_text())
    assert any("wmr-error" in c["metadata"].get("tags", []) for c in failed["cells"])
    assert not (project / "report").exists()
