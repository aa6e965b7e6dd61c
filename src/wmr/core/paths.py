"""Where things live: project root, data mirror, caches and build outputs."""
from __future__ import annotations

import functools
import os
from pathlib import Path

from .errors import ConfigError, PinError

MIRROR_ENV = "WMR_DATA_MIRROR"
ROOT_ENV = "WMR_PROJECT_ROOT"


def project_root() -> Path:
    """The project folder: $WMR_PROJECT_ROOT, else the nearest parent holding pyproject.toml and editions/."""
    return _project_root(os.environ.get(ROOT_ENV), os.getcwd())


@functools.lru_cache(maxsize=8)
def _project_root(env: str | None, cwd: str) -> Path:
    """project_root() for one environment and working folder (cached: a build asks for it thousands of times)."""
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in [Path(cwd).resolve(), *Path(cwd).resolve().parents, *here.parents]:
        if (parent / "pyproject.toml").is_file() and (parent / "editions").is_dir():
            return parent
    raise ConfigError(
        "Cannot find the project root.",
        expected="a folder with pyproject.toml and editions/ above the current directory",
        got=str(Path.cwd()),
        fix=f"run from inside the project or set {ROOT_ENV}",
    )


def mirror_dir() -> Path:
    """The local mirror of pinned sources: $WMR_DATA_MIRROR, else ../shared/wmr-sources beside the project."""
    env = os.environ.get(MIRROR_ENV)
    path = Path(env) if env else project_root().parent / "shared" / "wmr-sources"
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:  # Python reports a symbolic-link loop as RuntimeError
        raise PinError("The data mirror path cannot be resolved: it is a symbolic link loop.",
                       expected="a folder holding the pinned sources (one sub-folder per source)",
                       got=f"{path} ({exc})",
                       fix=f"point the link at the real mirror folder, or set {MIRROR_ENV}=/path/to/wmr-sources") from None


def check_mirror() -> Path | None:
    """The mirror folder if it exists (None if absent: pins may still download); a PinError if it is unusable."""
    path = mirror_dir()
    fix = f"put the mirror folder at ../shared/wmr-sources beside the project, or set {MIRROR_ENV}=/path/to/wmr-sources"
    if not path.exists():
        return None
    if not path.is_dir():
        raise PinError("The data mirror path is a file, not a folder.",
                       expected="a folder holding the pinned sources (one sub-folder per source)",
                       got=f"a file at {path}", fix=fix)
    try:
        os.listdir(path)
    except OSError as exc:
        raise PinError("The data mirror folder cannot be read.", expected="a readable folder of pinned sources",
                       got=f"{path}: {exc.strerror or exc}", fix="make the folder readable (permissions), or " + fix) from None
    return path


def require_mirror() -> Path:
    """The mirror folder, or a PinError naming where it was looked for and how to point at it."""
    path = mirror_dir()
    if not path.is_dir():
        raise PinError(
            "The data mirror folder does not exist.",
            expected="a folder holding the pinned sources (one sub-folder per source)",
            got=str(path),
            fix=f"put the mirror at ../shared/wmr-sources beside the project, or set {MIRROR_ENV}=/path/to/wmr-sources",
        )
    return path


def cache_dir() -> Path:
    """Local, git-ignored cache: downloads, checksum stamps, tidy tables."""
    return project_root() / "data" / "cache"


def inside(path: Path, *roots: Path) -> Path:
    """Resolve `path` and refuse it unless it lies inside one of `roots` (configs cannot reach elsewhere)."""
    resolved = path.resolve()
    for root in roots:
        try:
            resolved.relative_to(root.resolve())
            return resolved
        except ValueError:
            continue
    raise ConfigError(
        "A path points outside the project and the data mirror.",
        expected="a path inside " + " or ".join(str(r) for r in roots),
        got=str(path),
        fix="use a path relative to the project folder",
    )


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename, so a half-written file never appears."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # disk full or interrupted: leave neither a partial file nor a stray temp
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Text flavour of atomic_write_bytes (UTF-8, newline as given)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def chapters_root() -> Path:
    """chapters/: executed notebooks, one folder per edition (and the build locks)."""
    return project_root() / "chapters"


def chapters_dir(edition: str) -> Path:
    """chapters/<edition>/: the edition's executed notebooks."""
    return chapters_root() / edition


def figures_dir(edition: str, slug: str) -> Path:
    """figures/<edition>/<chapter>/: a chapter's figure files, plotted data and metadata."""
    return project_root() / "figures" / edition / slug


def report_dir(edition: str) -> Path:
    """report/<edition>/: the published edition (HTML site, PDFs, facts.json)."""
    return project_root() / "report" / edition
