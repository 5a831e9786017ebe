"""The application's shared state: the model library and the current model.

Panels never load checkpoints themselves: they listen to
:attr:`Session.model_changed` and use :attr:`Session.checkpoint`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QObject, Signal

from desktop_app.workers import LatestOnly
from models.checkpoint import Checkpoint, load_checkpoint
from models.errors import ARExplorerError, CheckpointError
from models.library import Library, LibraryEntry, UnreadableEntry

__all__ = ["Session"]


class Session(QObject):
    """The library and the model the sample, canvas and context panels use.

    Signals
    -------
    model_changed(checkpoint)
        A new current model (a :class:`~models.checkpoint.Checkpoint`, or None).
    library_changed()
        Checkpoints were added, renamed or removed.
    drawing_changed()
        The canvas drawing changed (the sampler completes it).
    loading_changed(bool)
        A model is being loaded in the background (True), or no longer.
    load_failed(str)
        A background load failed; the message names the file and the problem.
    """

    model_changed = Signal(object)
    library_changed = Signal()
    drawing_changed = Signal()
    loading_changed = Signal(bool)
    load_failed = Signal(str)

    def __init__(self, library: Library, parent: QObject | None = None):
        super().__init__(parent)
        self.library = library
        self.checkpoint: Checkpoint | None = None
        #: The canvas drawing, (H, W) float in [0, 1] (ink = 1), or None.
        self.drawing: NDArray[np.float64] | None = None
        self._entries: list[LibraryEntry] = []
        self._unreadable: list[UnreadableEntry] = []
        self._loader = LatestOnly(self)
        self._loader.busy_changed.connect(self.loading_changed)
        self.refresh()

    def entries(self) -> list[LibraryEntry]:
        """The library's checkpoints as last listed."""
        return list(self._entries)

    def unreadable(self) -> list[UnreadableEntry]:
        """The files in the library's folders that could not be used, and why."""
        return list(self._unreadable)

    def refresh(self) -> None:
        """List the library again and tell the views.

        Never raises for what is in the folders: a bad file becomes an
        :class:`~models.library.UnreadableEntry`.
        """
        self._entries = self.library.entries()
        self._unreadable = list(self.library.unreadable)
        self.library_changed.emit()

    def select(self, path: Path) -> Checkpoint:
        """Load the checkpoint at ``path`` and make it the current model.

        Raises :class:`~models.errors.CheckpointError` (the current model stays).
        """
        checkpoint = _load(path)
        self._loader.cancel()  # a load still under way must not replace this
        self.checkpoint = checkpoint
        self.model_changed.emit(checkpoint)
        return checkpoint

    def select_in_background(self, path: Path) -> None:
        """Load ``path`` off the GUI thread, then make it the current model.

        A large checkpoint (the 13-million-weight MADE) takes a few hundred
        milliseconds to read and check; the window stays responsive meanwhile.
        Only the newest request counts. A failure is reported by
        :attr:`load_failed` and the current model stays.
        """

        def loaded(checkpoint: Checkpoint) -> None:
            self.checkpoint = checkpoint
            self.model_changed.emit(checkpoint)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ARExplorerError):
                self.load_failed.emit(str(exc))
            else:
                self.load_failed.emit(f"{path.name}: {type(exc).__name__}: {exc}")

        self._loader.submit(lambda stale: _load(path), loaded, failed)

    def shutdown(self) -> None:
        """Wait for a background load (the window is closing)."""
        self._loader.wait()

    def select_default(self, attempts: int = 3) -> Checkpoint | None:
        """Load the model a first launch should show.

        A class-conditional one (so the canvas can classify), NADE first (the
        fastest to sample). If it cannot be loaded the next is tried, up to
        ``attempts`` models; then the first failure is raised
        (:class:`~models.errors.CheckpointError`).
        """

        def preference(entry: LibraryEntry) -> tuple[bool, bool]:
            return (not entry.num_classes, entry.kind != "nade")

        failure: ARExplorerError | None = None
        for entry in sorted(self._entries, key=preference)[:attempts]:
            try:
                return self.select(entry.path)
            except ARExplorerError as exc:
                failure = failure or exc
        if failure is not None:
            raise failure
        return None

    def set_drawing(self, drawing: NDArray[np.float64] | None) -> None:
        """Share the canvas drawing with the other panels."""
        self.drawing = None if drawing is None else drawing.copy()
        self.drawing_changed.emit()

    def forget(self, path: Path) -> None:
        """Drop the current model if it is the one at ``path`` (it was deleted)."""
        self._loader.cancel()  # it may be the one loading
        if self.checkpoint is not None and self.checkpoint.path == path:
            self.checkpoint = None
            self.model_changed.emit(None)


def _load(path: Path) -> Checkpoint:
    """Load a checkpoint; whatever is wrong with the file is a CheckpointError.

    Loading validates the file; this is the last line of defence, so that no
    file, however it is malformed, can end the app.
    """
    try:
        return load_checkpoint(path)
    except ARExplorerError:
        raise
    except RecursionError:
        raise CheckpointError(path, "its metadata is nested too deeply") from None
    except MemoryError:
        raise CheckpointError(path, "too large to load") from None
    except OSError as exc:
        raise CheckpointError(path, f"cannot read: {exc.strerror or exc}") from None
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise CheckpointError(
            path, f"cannot be loaded ({type(exc).__name__}: {str(exc)[:200]})"
        ) from None
