"""Cache of tidy tables as parquet, keyed by the raw files' sha256 and the loader's version.

A warm build never re-parses an Excel workbook: the key changes only when a pin or the loader changes.
"""
from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from wmr.core import paths
from wmr.core.errors import WMRError

from . import pins


def cached_table(name: str, version: str, inputs: list[tuple[str, str]],
                 parse: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    """Return parse(*verified_paths) from the cache, or parse, cache and return it.

    `inputs` are (source_id, file name) pairs; they are verified before parsing (and before a cache hit
    is trusted, cheaply, by size and mtime). `version` must change whenever `parse` changes.
    """
    resolved = [pins.resolve(sid, fname) for sid, fname in inputs]
    digests = [pins.source(sid).file(fname).sha256 for sid, fname in inputs]
    key = hashlib.sha256("\0".join([name, version, *digests]).encode()).hexdigest()[:20]
    target = paths.cache_dir() / "tidy" / f"{name}-{key}.parquet"
    if target.exists():
        try:
            return pd.read_parquet(target)
        except Exception as exc:  # truncated or corrupt (pyarrow raises several types): rebuild from the raw file
            print(f"notice: discarded the unreadable tidy cache file {target.name} ({type(exc).__name__}); "
                  "rebuilding it from the verified raw file", file=sys.stderr)
            target.unlink(missing_ok=True)
    try:
        df = parse(*resolved)
    except WMRError as exc:  # name the pinned files, so a changed layout points straight at its source
        where = ", ".join(f"{sid}/{fname}" for sid, fname in inputs)
        exc.what = f"{exc.what} (while reading the pinned file(s) {where})"
        exc.args = (exc.message(),)
        raise
    _write_parquet(df, target)
    return df


def _write_parquet(df: pd.DataFrame, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, target)
