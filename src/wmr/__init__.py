"""World Migration Report generator: pinned data -> chapter notebooks -> HTML and PDF editions.

Notebooks use `wmr.Chapter` to record facts, figures and tables; loaders live in `wmr.kernel.sources`.
`Chapter` is imported on first use, so the build command starts without loading pandas and matplotlib.
"""

import os as _os

from wmr.core.protocol import READ_LOG_ENV as _READ_LOG_ENV

__all__ = ["Chapter"]

if _os.environ.get(_READ_LOG_ENV):  # a kernel started by the build: log the wmr modules it imports (staleness)
    from wmr.core import importlog as _importlog

    _importlog.install()


def __getattr__(name: str):
    if name == "Chapter":
        from wmr.kernel.chapter import Chapter

        return Chapter
    raise AttributeError(f"module 'wmr' has no attribute {name!r}")
