"""World Migration Report generator: pinned data -> chapter notebooks -> HTML and PDF editions.

Notebooks use `wmr.Chapter` to record facts, figures and tables; loaders live in `wmr.sources`.
`Chapter` is imported on first use, so the build command starts without loading pandas and matplotlib.
"""

__all__ = ["Chapter"]


def __getattr__(name: str):
    if name == "Chapter":
        from .chapter import Chapter

        return Chapter
    raise AttributeError(f"module 'wmr' has no attribute {name!r}")
