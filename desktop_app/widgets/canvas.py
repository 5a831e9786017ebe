"""A pixel canvas to draw digits on: brush, eraser, sizes, undo, clear.

The brush is hard (every pixel of its disc becomes ink: binary drawings) or
soft: the ink falls off from the centre of the brush to its rim, so a stroke
has a solid core and gray edges, like the anti-aliased strokes of MNIST's
gray digits. A soft stroke never darkens a pixel beyond what the brush gives
it at its closest pass (ink is the maximum, not a sum), and the soft eraser
lightens with the same falloff.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QWidget

from desktop_app.widgets.pixel_grid import Overlay, PixelGrid

__all__ = ["DrawingCanvas"]


class DrawingCanvas(PixelGrid):
    """Draw with the left button, erase with the right (or the eraser tool).

    Attributes
    ----------
    brush_radius
        The brush's radius in pixels (0: one pixel, and its edge if soft).
    erasing
        The left button erases.
    soft
        Paint with a soft brush (gray edges) instead of a hard one.
    ink
        The darkest ink a soft brush lays, in (0, 1] (1: white on black).

    Signals
    -------
    drawing_changed()
        The drawing changed (during a stroke, at every new cell).
    stroke_finished()
        A stroke ended (the button was released).
    """

    drawing_changed = Signal()
    stroke_finished = Signal()

    def __init__(
        self, shape: tuple[int, int] = (28, 28), parent: QWidget | None = None
    ):
        super().__init__(shape, parent)
        self.brush_radius = 1
        self.erasing = False
        self.soft = False
        self.ink = 1.0
        self._drawing = np.zeros(shape)
        self._undo: list[NDArray[np.float64]] = []
        self._stroke: float | None = None  # ink value of the stroke under way
        self._last: tuple[int, int] | None = None
        self._backdrop: tuple[NDArray[np.float64], str, tuple[float, float]] | None = (
            None
        )
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._show()

    def drawing(self) -> NDArray[np.float64]:
        """The drawing, (H, W) in [0, 1] (1 = ink)."""
        copy: NDArray[np.float64] = self._drawing.copy()
        return copy

    def set_drawing(self, drawing: NDArray[np.floating], undoable: bool = True) -> None:
        """Replace the drawing (e.g. with a real digit)."""
        clipped: NDArray[np.float64] = np.clip(
            np.asarray(drawing, dtype=np.float64), 0, 1
        )
        if clipped.shape != self._drawing.shape:
            raise ValueError(f"expected {self._drawing.shape}, got {clipped.shape}")
        if undoable:
            self._undo.append(self._drawing.copy())
        self._drawing = clipped
        self._show()
        self.drawing_changed.emit()

    def clear(self) -> None:
        """Erase everything (undoable)."""
        self.set_drawing(np.zeros_like(self._drawing))

    def undo(self) -> bool:
        """Go back one stroke; False when there is nothing to undo."""
        if not self._undo:
            return False
        self._drawing = self._undo.pop()
        self._show()
        self.drawing_changed.emit()
        return True

    def can_undo(self) -> bool:
        """Whether :meth:`undo` would do something."""
        return bool(self._undo)

    def set_backdrop(
        self,
        values: NDArray[np.float64] | None,
        colours: str = "inferno",
        levels: tuple[float, float] = (0.0, 1.0),
    ) -> None:
        """Show ``values`` (e.g. a surprise map) under the ink, outlined; None: off."""
        self._backdrop = None if values is None else (values, colours, levels)
        self._show()

    def _show(self) -> None:
        if self._backdrop is None:
            self.set_image(self._drawing, colours="gray", levels=(0, 1))
            self.set_overlays([])
            return
        values, colours, levels = self._backdrop
        self.set_image(values, colours=colours, levels=levels)
        ink = Overlay(self._drawing >= 0.5, QColor(120, 220, 255), "outline")
        self.set_overlays([ink])

    def brush_weights(self, row: int, col: int) -> NDArray[np.float64]:
        """How much of the brush centred on (row, col) reaches each pixel, (H, W).

        Hard: 1 on a round-ish disc of the radius r, 0 elsewhere. Soft: 1 up
        to r, then falling linearly to 0 at r + 1.5 pixels.
        """
        h, w = self.shape
        r = self.brush_radius
        rows, cols = np.ogrid[:h, :w]
        squared = (rows - row) ** 2 + (cols - col) ** 2  # (H, W)
        if not self.soft:
            disc: NDArray[np.float64] = (squared <= r * r + r).astype(np.float64)
            return disc
        falloff: NDArray[np.float64] = np.clip((r + 1.5 - np.sqrt(squared)) / 1.5, 0, 1)
        return falloff

    def paint_at(self, row: int, col: int, value: float) -> None:
        """Paint the brush at (row, col): ink ``value`` (> 0) or erase (0)."""
        weights = self.brush_weights(row, col)
        if not self.soft:
            self._drawing[weights > 0] = value
        elif value > 0:
            self._drawing = np.maximum(self._drawing, value * weights)
        else:
            self._drawing = np.minimum(self._drawing, 1 - weights)

    def _paint_line(
        self, start: tuple[int, int], end: tuple[int, int], value: float
    ) -> None:
        steps = max(abs(end[0] - start[0]), abs(end[1] - start[1]), 1)
        for t in np.linspace(0, 1, steps + 1):
            self.paint_at(
                round(start[0] + t * (end[0] - start[0])),
                round(start[1] + t * (end[1] - start[1])),
                value,
            )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start a stroke: left draws (or erases with the eraser), right erases."""
        if event.button() not in (
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.RightButton,
        ):
            super().mousePressEvent(event)
            return
        cell = self.cell_at(event.position())
        erase = self.erasing or event.button() == Qt.MouseButton.RightButton
        self._stroke = 0.0 if erase else (self.ink if self.soft else 1.0)
        self._undo.append(self._drawing.copy())
        if cell is not None:
            self.paint_at(*cell, self._stroke)
            self._last = cell
            self._show()
            self.drawing_changed.emit()
        self.pixel_clicked.emit(*(cell or (-1, -1)))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Continue the stroke along the pointer's path."""
        if self._stroke is None:
            super().mouseMoveEvent(event)
            return
        cell = self.cell_at(QPointF(event.position()))
        if cell is not None and cell != self._last:
            self._paint_line(self._last or cell, cell, self._stroke)
            self._last = cell
            self._show()
            self.drawing_changed.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """End the stroke (one that changed nothing leaves nothing to undo)."""
        if self._stroke is not None:
            self._stroke, self._last = None, None
            if self._undo and np.array_equal(self._undo[-1], self._drawing):
                self._undo.pop()
                self.drawing_changed.emit()  # can_undo() may have changed
            else:
                self.stroke_finished.emit()
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Double-clicks paint like clicks (no zoom reset while drawing)."""
        self.mousePressEvent(event)
