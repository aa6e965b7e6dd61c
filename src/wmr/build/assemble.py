"""Assemble an edition from its executed chapters: facts.json, HTML site and PDF book, swapped in atomically;
then the same for each other language of the edition, from its localized documents (report/<edition>/<lang>/).

Everything is written into a staging folder first; the published report/<edition>/ is replaced only when
all of it succeeded, so a failure never leaves a half-written or half-old edition behind.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wmr.core import paths
from wmr.core.errors import AssemblyError
from wmr.core.paths import chapters_dir, report_dir

from . import freshness, pdfkeys, recovery
from .editions import Edition
from .locales import pdf_name as language_pdf, site_dir

if TYPE_CHECKING:
    from .catalogs import Catalog
    from .document import ChapterDoc


@dataclass
class Assembled:
    report: Path
    chapters: int
    figures: int
    tables: int
    facts: int
    pages: int
    reused: bool = False
    profiles: int = 0


KEY_FILE = ".assembly-key"


# Code that makes only the HTML site: an edit to it leaves the PDFs' keys alone, so their published copies stay.
SITE_ONLY = ("build/site.py", "build/pagebody.py", "build/searchindex.py", "build/pagecheck.py",
             "build/localize.py", "build/templates/*.j2", "build/templates/assets/*")
# ... but the other languages' books are typeset from the localized documents too
LANGUAGE_SITE_ONLY = tuple(p for p in SITE_ONLY if p != "build/localize.py")


def assembly_key(edition: Edition, configs: list, release_date: dt.date, with_pdf: bool,
                 incomplete: list[str], profile_runs: list | None = None, code: str | None = None) -> str:
    """Hash of everything the assembled edition is made from; equal keys mean the published edition is current.
    `code`: the fingerprint of the code that makes it (default: the whole package, templates and assets)."""
    h = hashlib.sha256((code or freshness.package_fingerprint()).encode())
    h.update(json.dumps(freshness.dependency_versions(), sort_keys=True).encode())   # pandoc, Typst, Babel...
    root = paths.project_root()
    inputs = [root / "editions" / f"{edition.id}.toml", *sorted((root / "data").glob("*.*")),
              *sorted((root / "editions" / "notes").glob("*"))]   # manifest, references, glossary, notes...
    for f in inputs:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    for lang in edition.languages[1:]:   # the translations of the languages published
        for f in sorted((root / "locales" / lang).glob("*.po")):
            h.update(f.name.encode() + f.read_bytes())
    h.update(json.dumps([str(release_date), with_pdf, incomplete, [c.slug for c in configs]]).encode())
    for cfg in configs:
        for run in cfg.runs:
            h.update((chapters_dir(edition.id) / f"{run.name}.ipynb").read_bytes())
    for run in profile_runs or []:
        h.update((chapters_dir(edition.id) / f"{run.name}.ipynb").read_bytes())
    return h.hexdigest()


def collect_facts(docs: list[ChapterDoc]) -> dict[str, dict]:
    facts: dict[str, dict] = {}
    for doc in docs:
        facts.update(doc.facts_json())
    return dict(sorted(facts.items()))


def _check_sources(edition: Edition, docs: list[ChapterDoc]) -> None:
    used = set().union(*(d.sources_used() for d in docs)) if docs else set()
    unpinned = sorted(used - set(edition.sources))
    if unpinned:
        raise AssemblyError(f"Chapters of edition '{edition.id}' cite sources the edition does not pin: {unpinned}.",
                            expected="every cited source listed in 'sources' of editions/" + edition.id + ".toml",
                            got=sorted(edition.sources), fix="add the source ids to the edition's 'sources' list")


def assemble(edition: Edition, release_date: dt.date, with_pdf: bool = True,
             chapter_slugs: list[str] | None = None, incomplete: list[str] | None = None,
             profile_runs: list | None = None, release: bool = False) -> Assembled:
    """Build facts.json, the HTML site and the PDF for the edition's chapters (all, or `chapter_slugs`).

    Skipped when the published edition was assembled from exactly the same inputs (see `assembly_key`).
    `incomplete` names failed chapters: the edition is then published marked as incomplete.
    `profile_runs`: the executed profile runs to publish (the "Countries and areas" part and its PDF).
    `release`: refuse the edition when a translation of one of its languages is missing or outdated.
    """
    incomplete = incomplete or []
    configs = [c for c in edition.chapters if chapter_slugs is None or c.slug in chapter_slugs]
    final = report_dir(edition.id)
    profile_runs = list(profile_runs or [])
    key = assembly_key(edition, configs, release_date, with_pdf, incomplete, profile_runs)
    if release and len(edition.languages) > 1:   # a draft assembled from the same inputs was never checked
        key = hashlib.sha256(f"{key} release".encode()).hexdigest()
    try:
        current = (final / KEY_FILE).read_text(encoding="utf-8").strip() == key
    except OSError:
        current = False
    if current and (not with_pdf or all((final / language_pdf(edition.id, lang)).is_file()
                                         for lang in edition.languages)):
        return Assembled(final, len(configs), 0, 0, 0, 0, reused=True)
    return _assemble(edition, configs, release_date, with_pdf, incomplete, key, profile_runs, release)


def _assemble(edition: Edition, configs: list, release_date: dt.date, with_pdf: bool, incomplete: list[str],
              key: str, profile_runs: list, release: bool = False) -> Assembled:
    # Imported here: they load pandas and matplotlib, which a build with nothing to assemble never needs.
    from .book import page_count
    from .document import chapter_pdf_name, load_chapter
    from .profiledoc import load_profiles
    from .site import build_site

    docs = [load_chapter(edition, c) for c in configs]
    profiles = load_profiles(edition, profile_runs) if profile_runs else []
    _check_sources(edition, docs + profiles)
    facts = collect_facts(docs + profiles)
    final = report_dir(edition.id)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=recovery.staging_prefix(edition.id), dir=final.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the published edition is for readers
    typesetting = ThreadPoolExecutor(max_workers=1)   # the PDFs, while the sites are written (Typst and pandoc
    making = None                                     # release the GIL)
    try:
        (staging / "facts.json").write_text(json.dumps(facts, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        pdf_name = f"{edition.id}.pdf"
        pages = 0
        keys = _pdf_keys(edition, configs, docs, release_date, incomplete, profile_runs if profiles else [])
        localized = {lang: _localized(edition, lang, docs, profiles, staging / site_dir(lang) / "figures")
                     for lang in edition.languages[1:]}
        if with_pdf:
            making = typesetting.submit(_make_pdfs, edition, docs, profiles, keys, final, staging, release_date,
                                        incomplete, {lang: (loc.edition, loc.docs) for lang, loc in localized.items()})
            pdfs = {name: False for name in keys}   # each PDF current
        else:  # every published PDF stays; those made from older inputs are marked stale on the site
            pdfs = pdfkeys.keep(final, staging, keys, pdf_name)
        chapter_pdfs = {d.slug: pdfs[f"chapters/{chapter_pdf_name(edition, d)}"] for d in docs
                        if f"chapters/{chapter_pdf_name(edition, d)}" in pdfs}
        build_site(edition, docs, staging / "html", facts, pdf_name=f"../{pdf_name}" if pdf_name in pdfs else None,
                   incomplete=incomplete, pdf_stale=pdfs.get(pdf_name, False), chapter_pdfs=chapter_pdfs,
                   release_date=release_date, profiles=profiles)
        for lang, loc in localized.items():
            _build_language(edition, lang, loc, staging, release_date, incomplete, release, pdfs, with_pdf)
        if making is not None:
            making.result()
            pages = page_count((staging / pdf_name).read_bytes())
        (staging / KEY_FILE).write_text(key + "\n", encoding="utf-8")
        _swap(staging, final)
    except BaseException:
        if making is not None:
            futures_wait([making], timeout=60)   # it writes into staging: let it end before staging goes
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        typesetting.shutdown(wait=False)
    return Assembled(final, len(docs), sum(len(d.figures) for d in docs + profiles),
                     sum(len(d.tables) for d in docs + profiles), len(facts), pages, profiles=len(profiles))


def _make_pdfs(edition: Edition, docs: list, profiles: list, keys: dict[str, str], final: Path, staging: Path,
               release_date: dt.date, incomplete: list[str], books: dict[str, tuple[Edition, list]]) -> None:
    """Write the book, the chapters' PDFs, the profiles PDF and each other language's book (`books`: language ->
    the edition and its documents as that language publishes them) into `staging`, carrying over the published
    ones made from the same inputs (e.g. after an edit to the site code only), and their keys."""
    from .book import build_pdf
    from .booktext import Words

    pdf_name = f"{edition.id}.pdf"
    current = pdfkeys.current(final, keys)
    book_pdfs = [n for n in keys if n == pdf_name or n.startswith("chapters/")]
    jobs = []   # (name, make(workdir)): each typeset in a folder of its own, two at a time (Typst releases the GIL)
    if not set(book_pdfs) <= current:
        jobs.append(("book", lambda work: build_pdf(edition, docs, work, staging / pdf_name, release_date, incomplete)))
        current -= set(book_pdfs)
    if profiles:  # the profiles PDF: <edition>-profiles.pdf
        from .profilebook import build_profiles_pdf, profiles_pdf_name

        if profiles_pdf_name(edition) not in current:
            jobs.append(("profiles", lambda work: build_profiles_pdf(edition, profiles, work,
                                                                     staging / profiles_pdf_name(edition), release_date)))
    for lang, (ledition, ldocs) in books.items():   # the book only: its chapters are read in the book or site
        name = language_pdf(edition.id, lang)
        if name not in current:
            (staging / lang).mkdir(exist_ok=True)   # the language's site may be being written there
            jobs.append((lang, lambda work, name=name, ledition=ledition, ldocs=ldocs, lang=lang: build_pdf(
                ledition, ldocs, work, staging / name, release_date, incomplete, Words.load(lang), chapters=False)))

    def run(job: tuple) -> None:
        work = staging / f"pdf-build-{job[0]}"
        work.mkdir()
        job[1](work)
        shutil.rmtree(work)

    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        for done in [pool.submit(run, job) for job in jobs]:
            done.result()
    pdfkeys.carry(final, staging, sorted(current))
    pdfkeys.write(staging, keys)


@dataclass
class Localized:
    """A language's copy of the edition and its documents (see localize) with its site catalog, front-matter
    catalog and chapters' catalogs."""
    edition: Edition
    docs: list[ChapterDoc]
    profiles: list
    site: Catalog
    front: Catalog
    catalogs: list[Catalog]


def _localized(edition: Edition, lang: str, docs: list, profiles: list, figures: Path) -> Localized:
    """The documents of language `lang`, made once for its site and its book (translated charts into `figures`)."""
    from .catalogs import SITE, Catalog
    from .localize import FRONT, edition_in, localize

    site, front = Catalog.load(lang, SITE), Catalog.load(lang, FRONT)
    ldocs, lprofiles, catalogs = localize(edition, lang, docs, profiles, site, figures)
    return Localized(edition_in(edition, lang, front), ldocs, lprofiles, site, front, catalogs)


def _build_language(edition: Edition, lang: str, loc: Localized, staging: Path, release_date: dt.date,
                    incomplete: list[str], release: bool, pdfs: dict[str, bool], with_pdf: bool) -> None:
    """One translated site in staging/<lang>/html/ (and its facts.json), from the same executed runs as English,
    linking the language's own book when there is one (`pdfs`: the PDFs published, each stale or not)."""
    from .localize import check_release
    from .site import build_site

    lfacts = collect_facts(loc.docs + loc.profiles)
    (staging / lang).mkdir(exist_ok=True)   # its book and translated charts may be there already
    (staging / lang / "facts.json").write_text(json.dumps(lfacts, indent=1, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    book = language_pdf(edition.id, lang)
    build_site(loc.edition, loc.docs, staging / site_dir(lang), lfacts,
               pdf_name=f"../{Path(book).name}" if book in pdfs else None, pdf_stale=pdfs.get(book, False),
               incomplete=incomplete, chapter_pdfs={}, release_date=release_date, profiles=loc.profiles, lang=lang,
               catalog=loc.site)
    if release:
        from .booktext import release_catalog

        check_release(edition, lang, loc.catalogs + [loc.site, loc.front]
                      + ([release_catalog(edition, lang)] if with_pdf else []))


def _pdf_keys(edition: Edition, configs: list, docs: list, release_date: dt.date, incomplete: list[str],
              profile_runs: list) -> dict[str, str]:
    """The key of the inputs of each PDF a full build writes (relative path -> key): the book, each chapter's
    PDF (its own runs), the profiles PDF (the profile runs) and each other language's book."""
    from .document import chapter_pdf_name

    code = freshness.package_fingerprint(skip=SITE_ONLY)
    keys = {f"{edition.id}.pdf": assembly_key(edition, configs, release_date, True, incomplete, code=code)}
    if len(edition.languages) > 1:
        localized = freshness.package_fingerprint(skip=LANGUAGE_SITE_ONLY)
        for lang in edition.languages[1:]:
            key = assembly_key(edition, configs, release_date, True, incomplete, code=localized)
            keys[language_pdf(edition.id, lang)] = hashlib.sha256(f"{key} {lang}".encode()).hexdigest()
    by_slug = {c.slug: c for c in configs}
    for doc in docs:
        keys[f"chapters/{chapter_pdf_name(edition, doc)}"] = assembly_key(edition, [by_slug[doc.slug]], release_date,
                                                                          True, incomplete, code=code)
    if profile_runs:
        from .profilebook import profiles_pdf_name

        keys[profiles_pdf_name(edition)] = assembly_key(edition, [], release_date, True, incomplete, profile_runs,
                                                        code=code)
    return keys


def _swap(staging: Path, final: Path) -> None:
    """Replace `final` with `staging` (two renames; the old edition is removed only afterwards)."""
    old = final.with_name(f".old-{final.name}")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
