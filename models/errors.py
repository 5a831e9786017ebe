"""The error types of the ``models`` package.

Every problem with user input is one of three types, each naming what was wrong
(and, for files, which file): front ends catch :class:`ARExplorerError` and show
its message; anything else is a bug.
"""

from __future__ import annotations

from os import PathLike

__all__ = ["ARExplorerError", "CheckpointError", "ConfigError", "DataError"]


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
