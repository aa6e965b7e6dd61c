"""Pinned source files: the manifest in data/, checksum verification, and resolution from the mirror.

Every read of raw data goes through `resolve()`, which verifies the file's sha256 against the manifest
(once per size+mtime, remembered in data/cache/verified.json) before anyone parses it.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from wmr.core import paths
from wmr.core.errors import PinError
from wmr.core.protocol import READ_LOG_ENV  # noqa: F401  (re-exported)

MANIFEST_NAME = "manifest.json"
OFFLINE_ENV = "WMR_OFFLINE"  # set to any value to never download a pin absent from the mirror


@dataclass(frozen=True)
class FilePin:
    """One pinned file of a source: its name inside the source folder, checksum, size and download URL."""

    source: str
    name: str
    sha256: str
    bytes: int
    download_url: str | None = None
    owned_path: str | None = None   # project-owned table: path relative to the project root
    retrieved_from: dict = field(default_factory=dict, hash=False, compare=False)
    content: str = ""   # what the file holds (years, vintage), from source.toml


@dataclass(frozen=True)
class SourcePin:
    """One source (a folder of the mirror) with its provenance and files."""

    id: str
    title: str
    publisher: str
    edition: str
    url: str
    license: str
    citation: str
    files: tuple[FilePin, ...]

    def file(self, name: str) -> FilePin:
        for f in self.files:
            if f.name == name:
                return f
        raise PinError(
            f"Source '{self.id}' has no pinned file named '{name}'.",
            expected="one of: " + ", ".join(f.name for f in self.files),
            got=name,
            fix="use a file name listed in data/manifest.json, or re-pin with `python build.py pin`",
        )


def manifest_path() -> Path:
    return paths.project_root() / "data" / MANIFEST_NAME


_MANIFEST_CACHE: dict[tuple[str, int], dict[str, SourcePin]] = {}


def load_manifest(path: Path | None = None) -> dict[str, SourcePin]:
    """Read data/manifest.json into SourcePin objects keyed by source id (memoised per file mtime)."""
    path = path or manifest_path()
    try:
        key = (str(path), path.stat().st_mtime_ns)
        if key in _MANIFEST_CACHE:
            return _MANIFEST_CACHE[key]
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PinError(f"The pin manifest {path.name} is not valid JSON.", expected="JSON", got=str(exc),
                       fix="restore data/manifest.json from git, or regenerate it with `python build.py pin`") from None
    except FileNotFoundError:
        raise PinError("The pin manifest is missing.", expected=str(path), got="no such file",
                       fix="restore data/manifest.json from git, or create it with `python build.py pin`") from None
    out: dict[str, SourcePin] = {}
    try:
        for s in raw["sources"]:
            files = tuple(FilePin(source=s["id"], name=f["name"], sha256=f["sha256"], bytes=f["bytes"],
                                  download_url=f.get("download_url"), owned_path=f.get("owned_path"),
                                  retrieved_from=f.get("retrieved_from", {}), content=f.get("content", ""))
                          for f in s["files"])
            out[s["id"]] = SourcePin(id=s["id"], title=s["title"], publisher=s["publisher"], edition=s["edition"],
                                     url=s["url"], license=s["license"], citation=s["citation"], files=files)
    except (KeyError, TypeError, AttributeError) as exc:  # a hand-edited manifest: one message, not a KeyError
        raise PinError(f"The pin manifest {path.name} is malformed.",
                       expected="'sources', each with id, title, publisher, edition, url, license, citation and files "
                                "(name, sha256, bytes)", got=f"{type(exc).__name__}: {exc}",
                       fix="restore data/manifest.json from git, or regenerate it with `python build.py pin`") from None
    _MANIFEST_CACHE[key] = out
    return out


def source(source_id: str) -> SourcePin:
    """The pin of one source, or an error listing the known source ids."""
    manifest = load_manifest()
    if source_id not in manifest:
        raise PinError(f"Unknown data source '{source_id}'.", expected="one of: " + ", ".join(sorted(manifest)),
                       got=source_id, fix="use a source id from data/manifest.json")
    return manifest[source_id]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _stamp_path() -> Path:
    return paths.cache_dir() / "verified.json"


_STAMPS: dict = {"key": None, "stamps": {}}  # the parsed stamp file, re-read only when its size or mtime changes


def _read_stamps() -> dict:
    """The verified files' (size, mtime, sha256) by path; parsed once per version of the file (a profile run
    resolves hundreds of pinned paths)."""
    path = _stamp_path()
    try:
        st = path.stat()
        key = (str(path), st.st_size, st.st_mtime_ns)
        if _STAMPS["key"] != key:
            _STAMPS.update(key=key, stamps=json.loads(path.read_text(encoding="utf-8")))
        return dict(_STAMPS["stamps"])
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _remember(path: Path, st: os.stat_result, digest: str) -> None:
    stamps = _read_stamps()
    stamps[str(path)] = [st.st_size, st.st_mtime_ns, digest]
    paths.atomic_write_text(_stamp_path(), json.dumps(stamps, indent=1, sort_keys=True))


def verify_file(pin: FilePin, path: Path) -> Path:
    """Check size and sha256 of `path` against `pin`; skip hashing while size and mtime are unchanged."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise PinError(f"Pinned file {pin.source}/{pin.name} is missing.", expected=str(path), got="no such file",
                       fix="restore the file in the data mirror (never edit it), or set WMR_DATA_MIRROR") from None
    if not path.is_file():
        raise PinError(f"Pinned file {pin.source}/{pin.name} cannot be read.", expected="a readable regular file",
                       got=f"{'a directory' if path.is_dir() else 'not a regular file'} at {path}",
                       fix="restore the original file in the data mirror")
    stamp = _read_stamps().get(str(path))
    if stamp == [st.st_size, st.st_mtime_ns, pin.sha256]:
        return path
    if st.st_size != pin.bytes:
        raise PinError(f"Pinned file {pin.source}/{pin.name} has the wrong size (the file was changed).",
                       expected=f"{pin.bytes} bytes, sha256 {pin.sha256}", got=f"{st.st_size} bytes at {path}",
                       fix="restore the original bytes from the mirror or the download URL; to adopt a new "
                           "snapshot, re-pin with `python build.py pin` and review the diff of data/manifest.json")
    try:
        digest = sha256_of(path)
    except OSError as exc:
        raise PinError(f"Pinned file {pin.source}/{pin.name} cannot be read.", expected="a readable file",
                       got=f"{type(exc).__name__}: {exc}", fix="check the file's permissions in the mirror") from None
    if digest != pin.sha256:
        raise PinError(f"Checksum mismatch for pinned file {pin.source}/{pin.name} (the file was changed).",
                       expected=f"sha256 {pin.sha256}", got=f"sha256 {digest} at {path}",
                       fix="restore the original bytes from the mirror or the download URL; to adopt a new "
                           "snapshot, re-pin with `python build.py pin` and review the diff of data/manifest.json")
    _remember(path, st, digest)
    return path


def _download(pin: FilePin, target: Path) -> None:
    """Fetch a pin absent from the mirror into the cache as pooch does: to a temporary file, checked, then moved.

    Size and sha256 are checked before the file takes its place, so a corrupt download never enters the cache.
    """
    if os.environ.get(OFFLINE_ENV):
        raise PinError(f"Pinned file {pin.source}/{pin.name} is not in the mirror, and downloads are disabled.",
                       expected=str(paths.mirror_dir() / pin.source / pin.name), got="no such file",
                       fix=f"restore the file in the mirror (or set WMR_DATA_MIRROR), or unset {OFFLINE_ENV} "
                           f"to download it from {pin.download_url}")
    import urllib.request   # here: a build that downloads nothing does not pay for importing it

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{pin.name}.", suffix=f".tmp-{os.getpid()}",
                                     delete=False) as tmp:
        try:
            with urllib.request.urlopen(pin.download_url, timeout=30) as resp:  # noqa: S310 (pinned https URL)
                shutil.copyfileobj(resp, tmp)
        except BaseException as exc:  # network errors come in many types; Ctrl-C leaves no partial file either
            os.unlink(tmp.name)
            if not isinstance(exc, Exception):
                raise
            mirror = paths.mirror_dir()
            where = "the mirror" if mirror.is_dir() else f"the mirror (the folder {mirror} does not exist)"
            raise PinError(f"Pinned file {pin.source}/{pin.name} is not in {where} and could not be downloaded.",
                           expected=f"the file in the mirror, or a download from {pin.download_url}",
                           got=f"{type(exc).__name__}: {exc}",
                           fix="put the mirror at ../shared/wmr-sources (or set WMR_DATA_MIRROR), or allow network access") from None
    _adopt(pin, Path(tmp.name), target, pin.download_url or "")


def _adopt(pin: FilePin, tmp: Path, target: Path, origin: str) -> None:
    """Move a fetched temporary file into the cache if its size and sha256 match the pin; else delete it."""
    size, digest = tmp.stat().st_size, sha256_of(tmp)
    if size != pin.bytes or digest != pin.sha256:
        tmp.unlink()
        raise PinError(f"The download of pinned file {pin.source}/{pin.name} does not match its pin; it was deleted "
                       "and nothing was cached.", expected=f"{pin.bytes} bytes, sha256 {pin.sha256}",
                       got=f"{size} bytes, sha256 {digest} from {origin}",
                       fix="retry later (the download may have been cut short), or put the original file in the "
                           "mirror; if the publisher changed the file, re-pin with `python build.py pin` and review the diff")
    os.replace(tmp, target)


def has_local(source_id: str, name: str) -> bool:
    """Whether a pinned file can be read here without a download: project-owned, in the mirror or in the cache."""
    pin = source(source_id).file(name)
    return bool(pin.owned_path) or (paths.mirror_dir() / source_id / name).exists() or \
        (paths.cache_dir() / "downloads" / source_id / name).exists()


def cache_fetched(source_id: str, name: str, data: bytes, origin: str) -> Path:
    """Put the bytes of a pinned file fetched from elsewhere (a cluster worker's mirror) into the download cache,
    checked against the pin first as a download is."""
    pin = source(source_id).file(name)
    target = paths.cache_dir() / "downloads" / source_id / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{pin.name}.", suffix=f".tmp-{os.getpid()}",
                                     delete=False) as tmp:
        tmp.write(data)
    _adopt(pin, Path(tmp.name), target, origin)
    return target


# a file pinned from a GitHub repository at a commit downloads from here (byte-exact)
RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"

_READS: list[str] = []  # 'source/file' of every pin read in this process, in order (provenance of outputs)


def reads() -> list[str]:
    """Every pinned file read so far in this process, as 'source/file', in order (repeats kept)."""
    return list(_READS)


def _log_read(pin: FilePin) -> None:
    """Record the read: in this process (source lines) and in $WMR_READ_LOG (the executor's cache key)."""
    _record(f"{pin.source}/{pin.name}", f"{pin.source}/{pin.name}\t{pin.sha256}\n")


def _record(ref: str, line: str, framed: bool = True) -> None:
    _READS.append(ref)
    if framed and _FRAMES:
        _FRAMES[-1].append(("read", ref, line))
    log = os.environ.get(READ_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(line)


# A memoised result remembers the reads its computation logged and the memoised calls it made ("events"), so
# the first use of a cached result in a run logs what computing it would have logged (see `memo`).
_FRAMES: list[list[tuple]] = []            # events of the memoised computations running, innermost last
_EVENTS: dict[tuple, tuple] = {}           # events of each memoised call computed in this process
_USED: set[tuple] = set()                  # memoised calls used in this run


def start_run() -> None:
    """A new run in a kept kernel begins: it has read nothing yet, as in a new kernel (see build.warmkernel)."""
    _READS.clear()
    _USED.clear()


def memo(maxsize: int | None = 128):
    """`functools.lru_cache` for functions that read pinned files. The first time a run uses a result computed
    by an earlier run in the same kernel, the reads that computing it logged are logged again, in order; so
    every run records what it read exactly as it would in a new kernel (its cache key and facts' sources)."""
    def decorate(fn):
        @functools.lru_cache(maxsize)
        def compute(*args, **kwargs):
            frame: list[tuple] = []
            _FRAMES.append(frame)
            try:
                return fn(*args, **kwargs), frame
            finally:
                _FRAMES.pop()

        @functools.wraps(fn)
        def cached(*args, **kwargs):
            key = (cached, args, tuple(sorted(kwargs.items())))
            if _FRAMES:
                _FRAMES[-1].append(("call", key))
            hits = compute.cache_info().hits
            value, events = compute(*args, **kwargs)
            _EVENTS[key] = tuple(events)
            if compute.cache_info().hits > hits and key not in _USED:
                _USED.add(key)
                _replay(_EVENTS[key])
            _USED.add(key)
            return value

        cached.cache_clear = compute.cache_clear
        return cached
    return decorate


def _replay(events: tuple) -> None:
    for event in events:
        if event[0] == "read":
            _record(event[1], event[2], framed=False)   # the parent computation holds the call, not the reads
        elif event[1] not in _USED:
            _USED.add(event[1])
            _replay(_EVENTS.get(event[1], ()))


def resolve(source_id: str, name: str) -> Path:
    """Path of a verified pinned file: from the mirror, else from the download cache (downloading if needed)."""
    pin = source(source_id).file(name)
    _log_read(pin)
    if pin.owned_path:
        return verify_file(pin, paths.project_root() / pin.owned_path)
    mirror = paths.mirror_dir()
    local = mirror / source_id / name
    if local.exists():
        return verify_file(pin, local)
    cached = paths.cache_dir() / "downloads" / source_id / name
    if not cached.exists():
        if not mirror.is_dir() and not pin.download_url:
            paths.require_mirror()
        if not pin.download_url:
            return verify_file(pin, local)  # raises "missing" with the mirror path
        _download(pin, cached)
    return verify_file(pin, cached)


@dataclass
class VerifyResult:
    source: str
    ok: bool
    files: int
    bytes: int
    problem: str = ""


def unpinned_folders() -> list[str]:
    """Folders of the mirror that no pin names: a mirror may hold more sources than the manifest (not an error)."""
    mirror = paths.mirror_dir()
    if not mirror.is_dir():
        return []
    pinned = set(load_manifest())
    return sorted(p.name for p in mirror.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in pinned)


def verify_all(source_ids: list[str] | None = None) -> list[VerifyResult]:
    """Verify every pinned file (or those of `source_ids`); one result per source, errors collected."""
    manifest = load_manifest()
    results = []
    for sid in source_ids or sorted(manifest):
        src = manifest[sid]
        try:
            for f in src.files:
                resolve(sid, f.name)
            results.append(VerifyResult(sid, True, len(src.files), sum(f.bytes for f in src.files)))
        except PinError as exc:
            results.append(VerifyResult(sid, False, len(src.files), sum(f.bytes for f in src.files), exc.message()))
    return results
