"""One error family for the whole tool: each says what happened, expected vs got, and the fix."""
from __future__ import annotations

SHOWN_CHARS = 60   # characters of a value quoted in a message


def shown(value: object) -> str:
    """`repr(value)`, cut to a few dozen characters with the full length said (a 10 MB value is never echoed)."""
    text = repr(value)
    if len(text) <= SHOWN_CHARS:
        return text
    return f"{text[:SHOWN_CHARS]}… ({len(text):,} characters)"


class WMRError(Exception):
    """Base error. Rendered as one readable paragraph by the command line (no traceback)."""

    def __init__(self, what: str, *, expected: object = None, got: object = None, fix: str | None = None):
        self.what = what
        self.expected = expected
        self.got = got
        self.fix = fix
        super().__init__(self.message())

    def message(self) -> str:
        lines = [self.what]
        if self.expected is not None:
            lines.append(f"  expected: {self.expected}")
        if self.got is not None:
            lines.append(f"  got:      {self.got}")
        if self.fix:
            lines.append(f"  fix:      {self.fix}")
        return "\n".join(lines)


class PinError(WMRError):
    """A pinned data file is missing, altered or unreadable, or the mirror cannot be found."""


class LoaderError(WMRError):
    """A raw source file does not have the structure its loader expects."""


class ValidationError(WMRError):
    """A tidy table breaks its documented contract (columns, types, keys, codes)."""


class CoverageError(WMRError, ValueError):
    """A parameter asks for data the pinned sources do not hold: a year, a region, a series (also a ValueError)."""


def not_covered(what: str, asked: object, available: object, fix: str | None = None) -> CoverageError:
    """The error for a request outside the pinned data: what was asked, what the pins hold, what to change."""
    return CoverageError(f"The pinned data has no {what}.", expected=f"one of: {available}", got=shown(asked),
                         fix=fix or "give the parameter a value the pinned data covers in the edition config, or pin a "
                                    "newer snapshot of the source (`python3 build.py pin`) and review the change")


class ConfigError(WMRError):
    """An edition config, chapter list or parameter is wrong."""


class ChapterError(WMRError):
    """A chapter notebook failed to execute or produced inconsistent outputs."""


class AssemblyError(WMRError):
    """The HTML or PDF edition could not be assembled (unknown reference, missing alt text...)."""


class BuildBusyError(WMRError):
    """Another build of the same edition holds the edition's lock (and --no-wait was given)."""
