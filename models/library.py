"""The model library: bundled checkpoints and the user's own runs.

Bundled checkpoints ship inside the package's resources and are read-only; the
user's runs live in the platform's user data folder (where ``ar-models train``
and the app's training monitor save). Listing reads only each file's header,
so it is fast however large the weights; a file that is not a valid checkpoint
is reported, never fatal. Renaming, importing and exporting go through
:func:`models.checkpoint.copy_checkpoint`, which validates before it writes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.checkpoint import checkpoint_paths, copy_checkpoint, read_metadata
from models.errors import ARExplorerError, CheckpointError
from models.resources import resource_path

__all__ = ["Library", "LibraryEntry", "bundled_dir", "user_runs_dir"]


def user_runs_dir() -> Path:
    """Where the user's checkpoints are saved (platform user data folder)."""
    from platformdirs import user_data_path

    return user_data_path("ar-explorer") / "runs"


def bundled_dir() -> Path:
    """The pretrained checkpoints that ship with the package."""
    return resource_path("checkpoints")


@dataclass(frozen=True)
class LibraryEntry:
    """One checkpoint as the library lists it (from its header only)."""

    path: Path
    name: str
    kind: str
    data: str
    valid_nll: float | None
    created: str
    num_parameters: int
    bundled: bool
    metadata: dict[str, Any]

    @classmethod
    def read(cls, path: Path, bundled: bool) -> LibraryEntry:
        """Read the entry of the checkpoint at ``path`` (raises CheckpointError)."""
        record = read_metadata(path)
        data = record.get("data") or {}
        metrics = record.get("metrics") or {}
        nll = metrics.get("valid_nll_nats")
        return cls(
            path=checkpoint_paths(path)[0],
            name=str(record.get("name") or path.stem),
            kind=str(record["kind"]),
            data=str(data.get("name") or data.get("train") or "—"),
            valid_nll=float(nll) if isinstance(nll, (int, float)) else None,
            created=str(record.get("created") or ""),
            num_parameters=int(record.get("num_parameters") or 0),
            bundled=bundled,
            metadata=record,
        )


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def _file_stem(name: str) -> str:
    stem = _SAFE_NAME.sub("-", name.strip()).strip(" .-")
    if not stem:
        raise ARExplorerError(f"{name!r} is not a usable checkpoint name")
    return stem


class Library:
    """Bundled checkpoints (read-only) plus a folder of the user's own.

    Parameters
    ----------
    user_dir
        The user's folder (created when something is saved into it).
    bundled
        The folder of shipped checkpoints (None: none).
    """

    def __init__(self, user_dir: Path | None = None, bundled: Path | None = None):
        self.user_dir = Path(user_dir) if user_dir is not None else user_runs_dir()
        self.bundled = bundled
        self.problems: list[str] = []

    def entries(self) -> list[LibraryEntry]:
        """Every readable checkpoint: bundled first, then the user's.

        Bundled ones by data set, lowest NLL first; the user's newest first.

        Files that cannot be read are skipped and described in :attr:`problems`.
        """
        self.problems = []
        found: list[LibraryEntry] = []
        for folder, bundled in ((self.bundled, True), (self.user_dir, False)):
            if folder is None or not folder.is_dir():
                continue
            group = []
            for path in sorted(folder.glob("*.safetensors")):
                try:
                    group.append(LibraryEntry.read(path, bundled))
                except CheckpointError as exc:
                    self.problems.append(str(exc))
            if bundled:  # by data set, best first: a stable, meaningful order
                group.sort(key=lambda e: (e.data, e.valid_nll or math.inf, e.name))
            else:
                group.sort(key=lambda e: e.created, reverse=True)
            found += group
        return found

    def _own(self, entry: LibraryEntry, action: str) -> None:
        if entry.bundled:
            raise ARExplorerError(
                f"{entry.name} ships with the app and cannot be {action}"
            )

    def rename(self, entry: LibraryEntry, new_name: str) -> Path:
        """Give a user checkpoint a new name (and file name); returns its new path."""
        self._own(entry, "renamed")
        target = entry.path.with_name(_file_stem(new_name) + ".safetensors")
        if target == entry.path:
            path = copy_checkpoint(entry.path, target, name=new_name, overwrite=True)
            return path
        path = copy_checkpoint(entry.path, target, name=new_name)
        self._remove(entry.path)
        return path

    def delete(self, entry: LibraryEntry) -> None:
        """Remove a user checkpoint (both files)."""
        self._own(entry, "deleted")
        self._remove(entry.path)

    def import_checkpoint(self, source: Path, name: str | None = None) -> Path:
        """Validate ``source`` and copy it into the user's folder under a free name."""
        stem = _file_stem(name or checkpoint_paths(source)[0].stem)
        self.user_dir.mkdir(parents=True, exist_ok=True)
        candidate, number = stem, 1
        while checkpoint_paths(self.user_dir / candidate)[0].exists():
            number += 1
            candidate = f"{stem} ({number})"
        return copy_checkpoint(
            source, self.user_dir / candidate, name=name or candidate
        )

    def export(self, entry: LibraryEntry, destination: Path) -> Path:
        """Write a copy of ``entry`` to ``destination`` (NAME or NAME.safetensors)."""
        return copy_checkpoint(entry.path, destination, name=entry.name)

    @staticmethod
    def _remove(path: Path) -> None:
        for file in checkpoint_paths(path):
            try:
                file.unlink(missing_ok=True)
            except OSError as exc:
                raise CheckpointError(
                    file, f"cannot remove ({exc.strerror or exc})"
                ) from None
