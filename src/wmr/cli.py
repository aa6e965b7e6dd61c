"""Command line: `python build.py [verify|pin] [--edition NAME|--all] [--chapters a,b] [--verbose]`."""
from __future__ import annotations

import argparse
import sys
import time
import traceback

from . import assemble, editions, execute, paths, pins, pinning
from .errors import ChapterError, ConfigError, PinError, WMRError


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="build.py", description="Build World Migration Report editions from pinned data.")
    p.add_argument("command", nargs="?", default="build", choices=["build", "verify", "pin"],
                   help="build (default): execute chapters and assemble HTML + PDF; verify: check every pin; "
                        "pin: regenerate data/manifest.json from the mirror")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--edition", default=None, help=f"edition to build (default {editions.DEFAULT_EDITION})")
    which.add_argument("--all", action="store_true", help="build every edition in editions/")
    p.add_argument("--chapters", default=None, help="comma-separated chapter slugs to execute and assemble")
    p.add_argument("--jobs", type=int, default=2, help="chapters executed in parallel (default 2)")
    p.add_argument("--force", action="store_true", help="re-execute even when the cached chapter is still valid")
    p.add_argument("--html-only", action="store_true", help="skip the PDF (faster while editing)")
    p.add_argument("--verbose", action="store_true", help="show full tracebacks")
    return p.parse_args(argv)


def _say(msg: str) -> None:
    print(msg, flush=True)


def cmd_verify() -> int:
    results = pins.verify_all()
    for r in results:
        status = "ok" if r.ok else "FAILED"
        _say(f"{status:6} {r.source:28} {r.files:2} files {r.bytes:>12,} bytes" + (f"\n{r.problem}" if r.problem else ""))
    bad = [r for r in results if not r.ok]
    _say(f"{len(results) - len(bad)} of {len(results)} sources verified")
    return 1 if bad else 0


def _selected(edition: editions.Edition, chapters: str | None) -> list[editions.ChapterConfig]:
    if not chapters:
        return list(edition.chapters)
    return [edition.chapter(s.strip()) for s in chapters.split(",") if s.strip()]


def build_edition(edition_id: str, args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    edition = editions.load(edition_id)
    selected = _selected(edition, args.chapters)
    failed = [r for r in pins.verify_all(list(edition.sources)) if not r.ok]
    if failed and not paths.mirror_dir().is_dir():
        err = PinError("The data mirror folder does not exist, and the pinned files could not be downloaded "
                       f"({len(failed)} source(s) unavailable); nothing was built.",
                       expected="a folder holding the pinned sources (one sub-folder per source)",
                       got=str(paths.mirror_dir()),
                       fix=f"put the mirror at ../shared/wmr-sources beside the project, or set {paths.MIRROR_ENV}")
        raise err
    if failed:
        raise WMRError(f"Edition '{edition_id}': {len(failed)} pinned source(s) failed verification; nothing was built.\n"
                       + "\n".join(r.problem for r in failed))
    _say(f"== {edition_id}: {len(selected)} chapter(s), {sum(len(c.runs) for c in selected)} run(s)")

    def report(res: execute.RunResult) -> None:
        secs = f"{res.seconds:5.1f} s" if res.status != "reused" else "      "
        _say(f"   {res.run.name:28} {res.status:9} {secs}")

    results = execute.execute_runs(edition, selected, workers=args.jobs, force=args.force, on_result=report)
    failures = [r for r in results if r.status == "failed"]
    for r in failures:
        e = r.error
        cell = f"cell {e['cell']}" if e.get("cell") is not None else "kernel"
        _say(f"!! {r.run.name} failed at {cell}: {e.get('ename')}: {e.get('evalue')}")
        if e.get("source"):
            _say("   in:\n      " + "\n      ".join(e["source"].splitlines()[:12]))
        if e.get("traceback"):
            _say(_strip_ansi(e["traceback"]) if args.verbose else "   (use --verbose for the full traceback)")
        _say(f"   executed notebook kept for inspection: {r.notebook}")
    if failures:
        raise ChapterError(f"{len(failures)} of {len(results)} chapter run(s) of '{edition_id}' failed; "
                           "the published edition was left as it was.",
                           fix="fix the failing cells shown above and rebuild")
    slugs = None
    if args.chapters:  # assemble every chapter already executed, so a partial rebuild keeps the others
        slugs = [c.slug for c in edition.chapters if c in selected or execute.is_executed(edition.id, c)]
        skipped = [c.slug for c in edition.chapters if c.slug not in slugs]
        if skipped:
            _say(f"   not yet built, left out of this assembly: {', '.join(skipped)}")
    done = assemble.assemble(edition, release_date=editions.release_date(edition_id),
                             with_pdf=not args.html_only, chapter_slugs=slugs)
    _say(f"   assembled {done.chapters} chapters, {done.figures} figures, {done.tables} tables, {done.facts} facts"
         + (f", PDF {done.pages} pages" if done.pages else "") + f" -> {done.report}  ({time.monotonic() - t0:.1f} s)")
    return 0


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "verify":
            return cmd_verify()
        if args.command == "pin":
            _say(f"wrote {pinning.write_manifest()}")
            return 0
        ids = editions.available() if args.all else [args.edition or editions.DEFAULT_EDITION]
        if args.all and args.chapters:
            raise ConfigError("--chapters cannot be combined with --all.", expected="--edition NAME --chapters a,b",
                              got="--all --chapters", fix="name one edition")
        for edition_id in ids:
            editions.load(edition_id)  # validate every edition before any kernel starts
        failed = []
        for edition_id in ids:  # with --all, one failing edition does not stop the others
            try:
                build_edition(edition_id, args)
            except WMRError as exc:
                if len(ids) == 1:
                    raise
                failed.append(edition_id)
                print(f"error: {exc.message()}", file=sys.stderr)
        if failed:
            raise WMRError(f"{len(failed)} of {len(ids)} editions failed: {', '.join(failed)}; "
                           "their published editions were left as they were.")
        return 0
    except WMRError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"error: {exc.message()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
