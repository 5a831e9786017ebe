"""The error types of the ``models`` package.

Every problem with user input is one of these types, each naming what was wrong
(and, for files, which file): front ends catch :class:`ARExplorerError` and show
its message; anything else is a bug.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from os import PathLike

__all__ = [
    "ARExplorerError",
    "CheckpointError",
    "ConfigError",
    "DataError",
    "ImageWriteError",
    "reject_unknown",
    "shown",
]


class ARExplorerError(Exception):
    """Base class of the errors a user can cause and fix."""


class ConfigError(ARExplorerError, ValueError):
    """An invalid model, ordering, training or counting setting."""


class _FileError(ARExplorerError):
    """A problem with one file; the message starts with the file's path."""

    def __init__(self, path: str | PathLike[str], problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class DataError(_FileError):
    """A data set file or folder that cannot be read as images."""


class CheckpointError(_FileError):
    """A checkpoint that cannot be loaded (corrupt, foreign, mismatched)."""


class ImageWriteError(_FileError):
    """An image file that cannot be written (a folder in the way, no space…)."""


def shown(value: object, limit: int = 40, *, _depth: int = 0) -> str:
    """``value`` for a message: short, one line, never a huge conversion.

    An integer past 10^30 is described by its number of digits (converting a
    5,000-digit one to text would fail); a long or nested list by its length;
    anything else by its ``repr``, cut to ``limit`` characters with ``…``.
    """
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        digits = int(abs(value).bit_length() * math.log10(2)) + 1
        return f"an integer of about {digits:,} digits"
    if isinstance(value, (str, int, float, type(None))):
        return _cut(repr(value), limit)
    if isinstance(value, (list, tuple)) and len(value) <= 8 and _depth < 2:
        items = ", ".join(shown(v, limit, _depth=_depth + 1) for v in value)
        return _cut(f"[{items}]", limit)
    if isinstance(value, (list, tuple, dict)):
        count = len(value)
        return f"a {type(value).__name__} of {count:,} item{'' if count == 1 else 's'}"
    return f"a {type(value).__name__}"


def _cut(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters (ending in ``…``)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reject_unknown(names: Iterable[str], known: Iterable[str], what: str) -> None:
    """Raise :class:`ConfigError` naming every name not in ``known``.

    ``what`` names the kind of name in the message, e.g. "augmentation
    setting": "unknown augmentation setting spin; use rotate_deg, scale, …".
    """
    allowed = set(known)
    unknown = sorted(set(names) - allowed)
    if unknown:
        listed = ", ".join(
            _cut(name, 40) if isinstance(name, str) else shown(name)
            for name in unknown[:5]
        )
        more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
        raise ConfigError(
            f"unknown {what} {listed}{more}; use {', '.join(sorted(allowed))}"
        )
