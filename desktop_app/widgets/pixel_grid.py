"""The pixel grid every panel draws images with.

Crisp square cells (no smoothing), optional grid lines and per-cell numbers
when the cells are large enough, captions (a short text in a box at a cell's
corner, in the window's font so it stays legible at any zoom: the class of
each image in a grid of samples), coloured overlays (a set of cells filled with
a translucent colour, or outlined), one highlighted cell, an optional path
through cell centres, hover and click signals, and zoom: the wheel zooms about
the cursor, a middle- or right-drag pans, a double-click fits the image again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop_app.theme import colour

__all__ = ["Caption", "Overlay", "PixelGrid", "colour_table"]


def colour_table(name: str) -> NDArray[np.uint8]:
    """A 256 × 3 lookup table: ``"gray"``, or a pyqtgraph colormap name."""
    if name == "gray":
        ramp = np.arange(256, dtype=np.uint8)
        return np.stack([ramp, ramp, ramp], axis=1)
    table = pg.colormap.get(name).getLookupTable(0.0, 1.0, 256, mode="byte")
    return np.asarray(table, dtype=np.uint8)[:, :3]


@dataclass(frozen=True)
class Overlay:
    """Cells to mark: ``mask`` (H, W) bool, in ``colour``; filled or outlined."""

    mask: NDArray[np.bool_]
    colour: QColor
    style: str = "fill"  # "fill" (translucent) or "outline"
    alpha: float = 0.55


@dataclass(frozen=True)
class Caption:
    """``text`` in a box whose top-left corner is cell ``(row, col)``'s.

    With ``height`` (in cells), the text follows the cells' size, between three
    quarters of the window's font and twice it; without, it is the window's
    font (so presentation zoom enlarges it either way).
    """

    row: int
    col: int
    text: str
    height: float = 0.0


class PixelGrid(QWidget):
    """A zoomable grid of H × W square pixels.

    Signals
    -------
    pixel_clicked(row, col)
        A left click on a cell.
    pixel_hovered(row, col)
        The cell under the pointer changed; (−1, −1) when it left the image.
    """

    pixel_clicked = Signal(int, int)
    pixel_hovered = Signal(int, int)

    def __init__(
        self, shape: tuple[int, int] = (28, 28), parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)
        self._values: NDArray[np.float64] = np.zeros(shape)
        self._lut = colour_table("gray")
        self._levels = (0.0, 1.0)
        self._overlays: list[Overlay] = []
        self._highlight: tuple[int, int] | None = None
        self._labels: NDArray[np.str_] | None = None
        self._captions: list[Caption] = []
        self._path: list[tuple[int, int]] = []
        self._zoom = 1.0
        self._pan = QPointF(0.0, 0.0)
        self._drag_start: QPoint | None = None
        self._hover = (-1, -1)
        self.show_grid = True
        self.tooltip_text: Callable[[int, int], str] | None = None
        self._image: QImage | None = None

    # -- what to show ------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int]:
        """(H, W) of the grid."""
        h, w = self._values.shape
        return int(h), int(w)

    def values(self) -> NDArray[np.float64]:
        """A copy of the values shown, (H, W)."""
        copy: NDArray[np.float64] = self._values.copy()
        return copy

    def set_image(
        self,
        values: NDArray[np.floating] | NDArray[np.integer] | NDArray[np.bool_],
        *,
        colours: str | None = None,
        levels: tuple[float, float] | None = None,
    ) -> None:
        """Show ``values`` (H, W), mapped through ``colours`` between ``levels``."""
        array = np.asarray(values, dtype=np.float64)
        if array.ndim != 2:
            raise ValueError(f"expected an (H, W) array, got shape {array.shape}")
        if array.shape != self._values.shape:
            self._overlays, self._labels, self._path = [], None, []
            self._captions = []
            self._highlight = None
        self._values = array
        if colours is not None:
            self._lut = colour_table(colours)
        if levels is not None:
            self._levels = levels
        self._image = None
        self.update()

    def set_overlays(self, overlays: Sequence[Overlay]) -> None:
        """Replace the marked cell sets (drawn in order)."""
        for overlay in overlays:
            if overlay.mask.shape != self._values.shape:
                raise ValueError("overlay mask does not match the image")
        self._overlays = list(overlays)
        self._image = None
        self.update()

    def overlays(self) -> list[Overlay]:
        """The marked cell sets, in drawing order."""
        return list(self._overlays)

    def set_highlight(self, cell: tuple[int, int] | None) -> None:
        """Outline one cell strongly (the pixel being sampled, the chosen pixel)."""
        self._highlight = cell
        self.update()

    def highlight(self) -> tuple[int, int] | None:
        """The highlighted cell, if any."""
        return self._highlight

    def set_labels(self, labels: NDArray[np.str_] | None) -> None:
        """Text per cell (shown when cells are large enough), or None."""
        self._labels = labels
        self.update()

    def set_captions(self, captions: Sequence[Caption]) -> None:
        """Replace the captions (drawn above everything but the highlight)."""
        h, w = self.shape
        for caption in captions:
            if not (0 <= caption.row < h and 0 <= caption.col < w):
                raise ValueError(f"caption outside the {h}×{w} image: {caption}")
        self._captions = list(captions)
        self.update()

    def captions(self) -> list[Caption]:
        """The captions shown."""
        return list(self._captions)

    def labels(self) -> NDArray[np.str_] | None:
        """The text per cell, if any."""
        return self._labels

    def set_path(self, cells: Sequence[tuple[int, int]]) -> None:
        """A polyline through the centres of ``cells`` (an ordering's path)."""
        self._path = list(cells)
        self.update()

    def path(self) -> list[tuple[int, int]]:
        """The cells the path goes through, in order."""
        return list(self._path)

    def reset_view(self) -> None:
        """Fit the whole image in the widget."""
        self._zoom, self._pan = 1.0, QPointF(0.0, 0.0)
        self.update()

    # -- geometry ------------------------------------------------------------------

    def cell_size(self) -> float:
        """Side of one cell in widget pixels, at the current zoom."""
        h, w = self.shape
        return min(self.width() / w, self.height() / h) * self._zoom

    def _origin(self) -> QPointF:
        h, w = self.shape
        size = self.cell_size()
        return QPointF(
            (self.width() - w * size) / 2 + self._pan.x(),
            (self.height() - h * size) / 2 + self._pan.y(),
        )

    def cell_rect(self, row: int, col: int) -> QRectF:
        """The rectangle of a cell in widget coordinates."""
        size, origin = self.cell_size(), self._origin()
        return QRectF(origin.x() + col * size, origin.y() + row * size, size, size)

    def cell_at(self, point: QPointF | QPoint) -> tuple[int, int] | None:
        """The (row, col) under a widget point, or None outside the image."""
        size, origin = self.cell_size(), self._origin()
        col = int(np.floor((point.x() - origin.x()) / size))
        row = int(np.floor((point.y() - origin.y()) / size))
        h, w = self.shape
        return (row, col) if 0 <= row < h and 0 <= col < w else None

    def sizeHint(self) -> QSize:
        """Room for 10-pixel cells."""
        h, w = self.shape
        return QSize(max(160, 10 * w), max(160, 10 * h))

    # -- painting ------------------------------------------------------------------

    def _rgb(self) -> QImage:
        if self._image is None:
            lo, hi = self._levels
            scaled = (self._values - lo) / (hi - lo) if hi > lo else self._values * 0
            index = np.clip(np.nan_to_num(scaled) * 255, 0, 255).astype(np.uint8)
            rgb = self._lut[index].astype(np.float64)  # (H, W, 3)
            for overlay in self._overlays:
                if overlay.style != "fill":
                    continue
                q = overlay.colour
                colour = np.array([q.red(), q.green(), q.blue()], dtype=np.float64)
                a = overlay.alpha
                rgb[overlay.mask] = (1 - a) * rgb[overlay.mask] + a * colour
            data = np.ascontiguousarray(rgb.round().astype(np.uint8))
            h, w = self.shape
            image = QImage(data.data, w, h, 3 * w, QImage.Format.Format_RGB888)
            self._image = image.copy()  # own the pixels
        return self._image

    def paintEvent(self, event: QPaintEvent) -> None:
        """Cells, grid, outlines, labels, path, highlight."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        h, w = self.shape
        size = self.cell_size()
        target = QRectF(self._origin(), QSize(0, 0).toSizeF())
        target.setSize(QSize(w, h).toSizeF() * size)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(target, self._rgb())
        if self.show_grid and size >= 8:
            painter.setPen(QPen(QColor(128, 128, 128, 90), 1))
            for r in range(h + 1):
                y = target.top() + r * size
                painter.drawLine(QPointF(target.left(), y), QPointF(target.right(), y))
            for c in range(w + 1):
                x = target.left() + c * size
                painter.drawLine(QPointF(x, target.top()), QPointF(x, target.bottom()))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for overlay in self._overlays:
            if overlay.style == "outline":
                painter.setPen(QPen(overlay.colour, max(1.5, size / 8)))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for r, c in zip(*np.nonzero(overlay.mask), strict=True):
                    inset = max(1.0, size / 6)
                    painter.drawRect(
                        self.cell_rect(int(r), int(c)).adjusted(
                            inset, inset, -inset, -inset
                        )
                    )
        if self._labels is not None and size >= 16:
            font = QFont(self.font())
            font.setPixelSize(max(7, int(size * 0.38)))
            painter.setFont(font)
            for r in range(h):
                for c in range(w):
                    text = str(self._labels[r, c])
                    if not text:
                        continue
                    painter.setPen(self._text_colour(r, c))
                    painter.drawText(
                        self.cell_rect(r, c), Qt.AlignmentFlag.AlignCenter, text
                    )
        if len(self._path) > 1:
            path = QPainterPath(self.cell_rect(*self._path[0]).center())
            for cell in self._path[1:]:
                path.lineTo(self.cell_rect(*cell).center())
            painter.setPen(QPen(QColor(255, 80, 40, 220), max(1.5, size / 7)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setBrush(QColor(255, 80, 40))
            painter.drawEllipse(
                self.cell_rect(*self._path[-1]).center(), size / 5, size / 5
            )
        self._paint_captions(painter)
        if self._highlight is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(255, 40, 40), max(2.0, size / 5)))
            painter.drawRect(self.cell_rect(*self._highlight))
        painter.end()

    def _paint_captions(self, painter: QPainter) -> None:
        """Each caption in the window's bold font, ink on a pale box."""
        if not self._captions:
            return
        base = QFont(self.font())
        base.setBold(True)
        body = QFontMetrics(base).height()
        for caption in self._captions:
            font = QFont(base)
            if caption.height:
                # with the tile, between three quarters and twice the body text
                grown = 0.8 * caption.height * self.cell_size()
                font.setPixelSize(int(min(max(grown, 0.75 * body), 2 * body)))
            painter.setFont(font)
            metrics = painter.fontMetrics()
            margin = max(2, metrics.height() // 6)
            painter.setPen(QPen(colour("muted"), 1))
            corner = self.cell_rect(caption.row, caption.col).topLeft()
            box = QRectF(
                corner.x(),
                corner.y(),
                metrics.horizontalAdvance(caption.text) + 2 * margin,
                metrics.height() + margin,
            )
            painter.setBrush(colour("background", 225))
            painter.drawRoundedRect(box, margin, margin)
            painter.setPen(colour("ink"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, caption.text)

    def _text_colour(self, row: int, col: int) -> QColor:
        """Black on light cells, white on dark ones."""
        image = self._rgb()
        colour = image.pixelColor(col, row)
        light = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
        return QColor(0, 0, 0) if light > 140 else QColor(255, 255, 255)

    # -- interaction -----------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Zoom about the pointer (1× = fit, up to 16×)."""
        steps = event.angleDelta().y() / 120
        if not steps:
            return
        old = self._zoom
        self._zoom = float(np.clip(old * 1.25**steps, 1.0, 16.0))
        if self._zoom == 1.0:
            self._pan = QPointF(0.0, 0.0)
        else:  # keep the point under the cursor fixed
            pos = event.position()
            centre = QPointF(self.width() / 2, self.height() / 2)
            factor = self._zoom / old
            self._pan = (self._pan + centre - pos) * factor + pos - centre
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Left: click a cell; middle/right: start panning."""
        if event.button() == Qt.MouseButton.LeftButton:
            cell = self.cell_at(event.position())
            if cell is not None:
                self.pixel_clicked.emit(*cell)
        elif event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.RightButton,
        ):
            self._drag_start = event.position().toPoint()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Pan while dragging; report the hovered cell."""
        if self._drag_start is not None:
            now = event.position().toPoint()
            self._pan += QPointF(now - self._drag_start)
            self._drag_start = now
            self.update()
        cell = self.cell_at(event.position()) or (-1, -1)
        if cell != self._hover:
            self._hover = cell
            self.pixel_hovered.emit(*cell)
            if cell != (-1, -1) and self.tooltip_text is not None:
                QToolTip.showText(
                    event.globalPosition().toPoint(), self.tooltip_text(*cell), self
                )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """End a pan."""
        self._drag_start = None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Fit the image again."""
        self.reset_view()

    def leaveEvent(self, event: object) -> None:
        """The pointer left: no cell is hovered."""
        if self._hover != (-1, -1):
            self._hover = (-1, -1)
            self.pixel_hovered.emit(-1, -1)
