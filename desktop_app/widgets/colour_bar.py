"""A vertical colour bar with tick labels: the scale of a colour-mapped grid."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.theme import colour
from desktop_app.widgets.pixel_grid import colour_table

__all__ = ["ColourBar"]


class ColourBar(QWidget):
    """The colours of a :class:`PixelGrid` map, low at the bottom, with ticks.

    The labels use the window's font, so they follow presentation zoom.
    """

    def __init__(
        self, colours: str = "inferno", unit: str = "", parent: QWidget | None = None
    ):
        super().__init__(parent)
        self._lut = colour_table(colours)
        self.unit = unit
        self._levels = (0.0, 1.0)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(80)

    def set_levels(self, low: float, high: float) -> None:
        """The values at the bottom and the top of the bar."""
        self._levels = (float(low), float(high))
        self.updateGeometry()
        self.update()

    def levels(self) -> tuple[float, float]:
        """(low, high) shown."""
        return self._levels

    def ticks(self, count: int = 5) -> list[tuple[float, str]]:
        """(value, label) of ``count`` ticks (at least 2), bottom to top."""
        low, high = self._levels
        count = max(2, count)
        values = np.linspace(low, high, count) if high > low else np.array([low])
        step = (high - low) / (count - 1) if high > low else 1.0
        decimals = min(3, max(1, int(np.ceil(-np.log10(step)))))  # distinct ticks
        labels = [f"{v:.{decimals}f}" for v in values]
        if self.unit and labels:
            labels[-1] += f" {self.unit}"
        return [(float(v), t) for v, t in zip(values, labels, strict=True)]

    def sizeHint(self) -> QSize:
        """The bar and its widest label."""
        metrics = QFontMetrics(self.font())
        text = max((metrics.horizontalAdvance(t) for _, t in self.ticks()), default=0)
        return QSize(14 + 6 + text + 4, 160)

    def minimumSizeHint(self) -> QSize:
        """As wide as the labels need."""
        return QSize(self.sizeHint().width(), 80)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The gradient, a frame, tick marks and labels."""
        metrics = QFontMetrics(self.font())
        half = metrics.height() / 2
        bar = QRectF(2, half, 14, max(1.0, self.height() - 2 * half))
        data = self._lut[::-1].tobytes()  # top row: the highest value
        image = QImage(data, 1, len(self._lut), 3, QImage.Format.Format_RGB888)
        painter = QPainter(self)
        painter.drawImage(bar, image)
        painter.setPen(QPen(colour("muted"), 1))
        painter.drawRect(bar)
        painter.setPen(QPen(self.palette().windowText().color()))
        low, high = self._levels
        span = high - low if high > low else 1.0
        fits = int(bar.height() // (1.5 * metrics.height())) + 1  # labels apart
        for value, text in self.ticks(min(5, fits)):
            y = bar.bottom() - (value - low) / span * bar.height()
            painter.drawLine(int(bar.right()), int(y), int(bar.right()) + 4, int(y))
            painter.drawText(
                QRectF(bar.right() + 6, y - half, self.width(), 2 * half),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
        painter.end()
