"""The error types of the ``models`` package.

Every problem with user input is one of these types, each naming what was wrong
(and, for files, which file): front ends catch :class:`ARExplorerError` and show
its message; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike

__all__ = [
    "ARExplorerError",
    "CheckpointError",
    "ConfigError",
    "DataError",
    "ImageWriteError",
    "reject_unknown",
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


def reject_unknown(names: Iterable[str], known: Iterable[str], what: str) -> None:
    """Raise :class:`ConfigError` naming every name not in ``known``.

    ``what`` names the kind of name in the message, e.g. "augmentation
    setting": "unknown augmentation setting spin; use rotate_deg, scale, …".
    """
    allowed = set(known)
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown {what} {', '.join(unknown)}; use {', '.join(sorted(allowed))}"
        )
