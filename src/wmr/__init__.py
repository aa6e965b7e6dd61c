"""World Migration Report generator: pinned data -> chapter notebooks -> HTML and PDF editions.

Notebooks use `wmr.Chapter` to record facts, figures and tables; loaders live in `wmr.sources`.
"""
from .chapter import Chapter

__all__ = ["Chapter"]
