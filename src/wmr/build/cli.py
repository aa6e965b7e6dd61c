"""Command line: `python build.py [build|status|verify|pin] [--edition NAME|--all] [--chapters a,b] ...`.

Heavy modules (pandas, matplotlib, the assembler) are imported only when there is work for them, so a
rebuild with nothing to do finishes in well under a second.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from wmr.core import paths
from wmr.core.errors import ChapterError, ConfigError, PinError, WMRError, shown
from wmr.kernel import pins

from . import editions, execute


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="build.py", description="Build World Migration Report editions from pinned data.")
    p.add_argument("command", nargs="?", default="build", choices=["build", "status", "verify", "pin", "translate"],
                   help="build (default): execute chapters and assemble HTML + PDF; status: which chapters are "
                        "fresh or stale and why; verify: check every pin; pin: regenerate data/manifest.json; translate: update the catalogs locales/<lang>/*.po")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--edition", default=None, help=f"edition to build (default {editions.DEFAULT_EDITION})")
    which.add_argument("--all", action="store_true", help="build every edition in editions/")
    p.add_argument("--chapters", default=None, help="comma-separated chapter slugs to execute and assemble")
    p.add_argument("--profiles", default=None, metavar="ISO3,...",
                   help="comma-separated ISO3 codes of the country and area profiles to execute (default: all; "
                        "with --chapters alone: none)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="worker processes (one run each at a time) of the embedded Dask cluster (default: one per "
                        "core, here %(default)s)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run the notebooks on an existing Dask cluster (default: $WMR_SCHEDULER, else an embedded "
                        "cluster of --jobs worker processes on this machine)")
    p.add_argument("--timeout", type=int, default=None, metavar="SECONDS",
                   help="per-cell time limit (default: cell_timeout of the edition config)")
    p.add_argument("--force", action="store_true", help="re-execute even when the cached chapter is still valid")
    p.add_argument("--release", action="store_true",
                   help="refuse the edition when a translation of one of its languages is missing or outdated")
    p.add_argument("--html-only", action="store_true", help="skip the PDF (faster while editing)")
    p.add_argument("--publish-partial", action="store_true",
                   help="when chapters fail, still publish the others, marked as an incomplete edition")
    p.add_argument("--verbose", action="store_true", help="show full tracebacks")
    p.add_argument("--no-wait", action="store_true",
                   help="if another build of the edition is running, refuse at once instead of waiting for it")
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error(f"--jobs must be at least 1 (got {args.jobs})")
    if args.timeout is not None and args.timeout < 1:
        p.error(f"--timeout must be a positive number of seconds (got {args.timeout})")
    return args


def _say(msg: str) -> None:
    print(msg, flush=True)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(paths.project_root()))
    except ValueError:
        return str(path)


def cmd_verify() -> int:
    paths.check_mirror()
    results = pins.verify_all()
    for r in results:
        status = "ok" if r.ok else "FAILED"
        _say(f"{status:6} {r.source:28} {r.files:2} files {r.bytes:>12,} bytes" + (f"\n{r.problem}" if r.problem else ""))
    for folder in pins.unpinned_folders():
        _say(f"{'unpinned':8} {folder:28} (in the mirror, not in data/manifest.json: not read; `build.py pin` adopts it)")
    bad = [r for r in results if not r.ok]
    _say(f"{len(results) - len(bad)} of {len(results)} sources verified")
    return 1 if bad else 0


def cmd_status(edition: editions.Edition, chapters: str | None, profiles: str | None = None) -> int:
    """Print each chapter and profile run as fresh or stale, with what changed."""
    from . import notebooks

    _say(f"== {edition.id}")
    stale = 0
    for cfg in _with_profiles(edition, _selected(edition, chapters, profiles), chapters, profiles):
        source = notebooks.read(cfg.notebook)
        for run in cfg.runs:
            reasons, _ = execute.run_status(edition, cfg, run, source)
            stale += bool(reasons)
            _say(f"   {run.name:32} " + ("fresh" if not reasons else "stale: " + "; ".join(reasons)))
    _say(f"   {stale} stale run(s)")
    return 0


def _selected(edition: editions.Edition, chapters: str | None, profiles: str | None = None) -> list[editions.ChapterConfig]:
    if not chapters:
        return [] if profiles else list(edition.chapters)
    return [edition.chapter(editions.check_name("chapter", s.strip())) for s in chapters.split(",") if s.strip()]


def _with_profiles(edition: editions.Edition, selected: list[editions.ChapterConfig], chapters: str | None,
                   profiles: str | None) -> list[editions.ChapterConfig]:
    """The selected chapters plus the profile runs to execute: those of --profiles, all by default, none with
    --chapters alone."""
    from . import profileset

    if chapters and profiles is None:
        return selected
    chosen = profileset.select(edition.profiles, edition.id, profiles)
    return selected + ([chosen] if chosen and chosen.runs else [])


def _check_pins(edition: editions.Edition) -> None:
    paths.check_mirror()
    failed = [r for r in pins.verify_all(list(edition.sources)) if not r.ok]
    if failed and not paths.mirror_dir().is_dir():
        raise PinError("The data mirror folder does not exist, and the pinned files could not be downloaded "
                       f"({len(failed)} source(s) unavailable); nothing was built.",
                       expected="a folder holding the pinned sources (one sub-folder per source)",
                       got=str(paths.mirror_dir()),
                       fix=f"put the mirror at ../shared/wmr-sources beside the project, or set {paths.MIRROR_ENV}")
    if failed:
        raise PinError(f"Edition '{edition.id}': {len(failed)} pinned source(s) failed verification; nothing was built.\n"
                       + "\n".join(r.problem for r in failed))


def cluster_address(args: argparse.Namespace) -> str | None:
    """--scheduler or $WMR_SCHEDULER, checked for form (the cluster module is imported only when runs execute)."""
    import re

    address = args.scheduler or os.environ.get("WMR_SCHEDULER") or None
    if address and not re.match(r"^(tcp|tls)://[^\s/:]+(:\d+)?$", address):
        raise ConfigError(f"The Dask scheduler address {address!r} is not of the form tcp://HOST:PORT.",
                          expected="e.g. tcp://10.0.0.5:8786", got=address,
                          fix="pass --scheduler tcp://HOST:PORT or set WMR_SCHEDULER")
    return address


def failure_block(edition_id: str, res: execute.RunResult, verbose: bool) -> str:
    """One short block per failed run: where (edition, chapter, run, cell, line), what, and the kept notebook."""
    e = res.error
    run = res.run
    who = f"{edition_id} / chapter '{run.chapter}'" + (f" (run {run.key})" if run.key else "")
    if e.get("cell") is not None:
        where = f"code cell {e['cell']}" + (f" (line {e['line']} of the notebook)" if e.get("line") else "")
    else:
        where = "before any cell ran"
    lines = [f"!! {who} failed in {where}", f"   {e.get('ename')}: {e.get('evalue')}"]
    if e.get("source"):
        src = e["source"].splitlines()
        lines.append("   the cell begins:")
        lines += [f"      {line}" for line in src[:6]] + (["      ..."] if len(src) > 6 else [])
    if e.get("traceback"):
        lines.append(_strip_ansi(e["traceback"]) if verbose else "   (use --verbose for the full traceback)")
    if res.notebook.is_file():
        lines.append(f"   executed notebook kept, error marked: {_rel(res.notebook)}")
    return "\n".join(lines)


def build_edition(edition: editions.Edition, args: argparse.Namespace) -> int:
    """Build one edition holding its lock (one build per edition at a time), after healing crashed builds."""
    from . import buildlock, recovery

    if not cluster_address(args):  # on a cluster the workers hold the data and verify each pin as it is read
        _check_pins(edition)
    with buildlock.edition_lock(edition.id, wait=not args.no_wait, say=_say):
        recovery.heal(edition.id, _say)
        recovery.discard_unreadable_tidy(_say)
        return _build_locked(edition, args)


def _build_locked(edition: editions.Edition, args: argparse.Namespace) -> int:
    from . import recovery

    t0 = time.monotonic()
    edition_id = edition.id
    selected = _selected(edition, args.chapters, args.profiles)
    to_run = _with_profiles(edition, selected, args.chapters, args.profiles)
    scheduler = cluster_address(args)
    runs = [run.name for c in to_run for run in c.runs]
    _say(f"== {edition_id}: {len(selected)} chapter(s), {len(runs)} run(s), "
         + (f"on the Dask cluster at {scheduler}" if scheduler else f"up to {args.jobs} at a time"))
    from .progress import Progress

    client_pins = []
    if scheduler and edition.profiles:  # the profiles' world map is drawn here, from a pinned file
        from .profilesite import ASSEMBLY_PINS as client_pins
    progress = Progress(runs)
    try:
        results = execute.execute_runs(edition, to_run, workers=args.jobs, force=args.force,
                                       timeout=args.timeout or edition.cell_timeout,
                                       on_event=progress.event, on_tick=progress.tick, scheduler=scheduler,
                                       say=_say, client_pins=client_pins)
    finally:
        progress.close()
        recovery.remove_dead_sockets()   # the embedded workers have ended: a kernel folder one could not remove goes
    failures = [r for r in results if r.status == "failed"]
    for r in failures:
        _say(failure_block(edition_id, r, args.verbose))
    if failures and not args.publish_partial:
        raise ChapterError(f"{len(failures)} of {len(results)} chapter run(s) of '{edition_id}' failed (listed above); "
                           "the other runs were built and cached, and the published edition was left as it was.",
                           fix="fix the failing cells and rebuild (only the failed runs re-execute), or pass "
                               "--publish-partial to publish the other chapters marked as incomplete")
    failed_slugs = sorted({r.run.chapter for r in failures})
    slugs = None
    if args.chapters or args.profiles or failed_slugs:  # assemble every chapter already executed, so a partial rebuild keeps the others
        slugs = [c.slug for c in edition.chapters if c.slug not in failed_slugs
                 and (c in selected or execute.is_executed(edition.id, c))]
        skipped = [c.slug for c in edition.chapters if c.slug not in slugs]
        if skipped:
            _say(f"   left out of this assembly: {', '.join(skipped)}")
    from . import assemble

    missing = failed_slugs if args.publish_partial else []
    failed_runs = {r.run.name for r in failures}
    profile_runs = [run for run in (edition.profiles.runs if edition.profiles else ())  # every profile executed
                    if run.name not in failed_runs and (execute.chapters_dir(edition_id) / f"{run.name}.ipynb").is_file()]
    done = assemble.assemble(edition, release_date=edition.release_date, with_pdf=not args.html_only,
                             chapter_slugs=slugs, incomplete=missing, profile_runs=profile_runs,
                             release=args.release)
    what = "unchanged (inputs as for the published edition)" if done.reused else \
        (f"assembled {done.chapters} chapters, {done.profiles} profiles, {done.figures} figures, {done.tables} tables, "
         f"{done.facts} facts"
         + (f", PDF {done.pages} pages" if done.pages else ""))
    _say(f"   {what} -> {_rel(done.report)}  ({time.monotonic() - t0:.1f} s)")
    if missing:
        raise ChapterError(f"Published '{edition_id}' WITHOUT the failed chapter(s) {', '.join(missing)}, "
                           "marked as an incomplete edition.", fix="fix the failing cells and rebuild")
    return 0


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _io_error(exc: OSError) -> WMRError:
    """A disk-full, read-only or permission error as one message naming the file and the remedy."""
    import errno

    causes = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exhausted",
              errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
              errno.EPERM: "permission denied", errno.EFBIG: "the file is larger than allowed"}
    cause = causes.get(exc.errno, exc.strerror or str(exc))
    target = exc.filename or "an output file"
    return WMRError(f"Could not write {target}: {cause}. Nothing half-written was published: the previous "
                    "report and executed chapters were left as they were.",
                    expected="a writable project folder with free space (chapters/, figures/, report/)",
                    got=f"{type(exc).__name__} [errno {exc.errno}] {exc.strerror}",
                    fix="free disk space or make the folder writable, then rebuild (finished chapters are reused)")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    """Run a command; `project` (given by build.py: its own folder) is the project built, whatever the cwd."""
    if project is not None:
        os.environ[paths.ROOT_ENV] = str(project)
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the build as Ctrl-C does: kernels killed, nothing half-written
    signal.signal(signal.SIGINT, _interrupt)   # also when started with Ctrl-C ignored (a background job of a script)
    try:
        if args.command == "verify":
            return cmd_verify()
        if args.command == "pin":
            from . import pinning

            _say(f"wrote {pinning.write_manifest()}")
            return 0
        ids = editions.available() if args.all else [args.edition or editions.DEFAULT_EDITION]
        if args.all and (args.chapters or args.profiles):
            raise ConfigError("--chapters and --profiles cannot be combined with --all.",
                              expected="--edition NAME --chapters a,b --profiles DEU,IND",
                              got="--all --chapters/--profiles", fix="name one edition")
        loaded = [editions.load(edition_id) for edition_id in ids]  # all validated before any kernel starts
        for edition in loaded:
            _with_profiles(edition, _selected(edition, args.chapters, args.profiles), args.chapters, args.profiles)
        if args.command == "status":
            return max(cmd_status(e, args.chapters, args.profiles) for e in loaded)
        if args.command == "translate":   # the catalogs are shared: every edition's texts, whatever --edition says
            from .translate import translate

            translate([editions.load(edition_id) for edition_id in editions.available()], say=_say)
            return 0
        failed = []
        for edition in loaded:  # with --all, one failing edition does not stop the others
            try:
                build_edition(edition, args)
            except WMRError as exc:
                if len(ids) == 1:
                    raise
                failed.append(edition.id)
                print(f"error: {exc.message()}", file=sys.stderr)
        if failed:
            raise WMRError(f"{len(failed)} of {len(ids)} editions failed: {', '.join(failed)}; "
                           "their published editions were left as they were.")
        return 0
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early: nothing to report
        return 1
    except (WMRError, OSError) as exc:  # OSError: disk full, read-only or unwritable output
        if args.verbose:
            traceback.print_exc()
        print(f"error: {(exc if isinstance(exc, WMRError) else _io_error(exc)).message()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: kernels stopped; finished chapters are kept, nothing half-written was published",
              file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one readable message (the traceback with --verbose), never a bare trace
        if args.verbose:
            traceback.print_exc()
        error = WMRError(f"Unexpected internal error: {type(exc).__name__}: {shown(str(exc))}. The published "
                         "edition was left as it was.", fix="rerun with --verbose and report the traceback")
        print(f"error: {error.message()}", file=sys.stderr)
        return 1
