"""A plot legend beside the plot instead of on it: it never covers a curve.

Entries flow left to right and wrap between entries (never inside a name);
each shows a short sample of its line (solid or dashed, with or without a
marker) in its colour, then its text, elided in the middle if the row is too
narrow (the full text is in the tooltip).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

__all__ = ["FlowLegend", "LegendEntry"]

SAMPLE_WIDTH = 30  # pixels of line drawn before each text
GAP = 6


@dataclass(frozen=True)
class LegendEntry:
    """One line of a plot: its text and how it is drawn."""

    text: str
    colour: tuple[int, int, int]
    dashed: bool = False
    marker: bool = False
    dotted: bool = False


class FlowLegend(QWidget):
    """Legend entries laid out like words in a paragraph."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._entries: list[LegendEntry] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_entries(self, entries: Sequence[LegendEntry]) -> None:
        """Show ``entries``, in order."""
        self._entries = list(entries)
        self._claim_height()
        self.update()

    def entries(self) -> list[LegendEntry]:
        """The entries shown."""
        return list(self._entries)

    def texts(self) -> list[str]:
        """The full text of every entry."""
        return [entry.text for entry in self._entries]

    # -- layout --------------------------------------------------------------------

    def _places(self, width: int) -> list[tuple[QRect, str]]:
        """Where each entry goes (its whole box) and its text, elided to fit."""
        metrics = QFontMetrics(self.font())
        line = metrics.height() + 2
        room = max(width - SAMPLE_WIDTH - GAP, 10)
        x = y = 0
        places = []
        for entry in self._entries:
            text = entry.text
            if metrics.horizontalAdvance(text) > room:
                text = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, room)
            box = SAMPLE_WIDTH + GAP + metrics.horizontalAdvance(text) + 2 * GAP
            if x > 0 and x + box > width:
                x, y = 0, y + line
            places.append((QRect(x, y, box, line), text))
            x += box
        return places

    def hasHeightForWidth(self) -> bool:
        """The height depends on how many rows the entries need."""
        return True

    def heightForWidth(self, width: int) -> int:
        """The height of the rows at ``width``."""
        places = self._places(width)
        return places[-1][0].bottom() + 1 if places else 0

    def sizeHint(self) -> QSize:
        """One row as wide as the entries, or as tall as the current width needs."""
        width = max(self.width(), 200)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        """Narrow: entries elide rather than widen the window."""
        return QSize(80, self.heightForWidth(max(self.width(), 80)))

    def resizeEvent(self, event: object) -> None:
        """Rows may change: claim the height they need."""
        self._claim_height()

    def _claim_height(self) -> None:
        # layouts below the top level ignore height-for-width: say it outright
        self.setMinimumHeight(self.heightForWidth(max(self.width(), 80)))
        self.updateGeometry()

    # -- drawing -------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Each entry: its line sample, then its text."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().windowText().color()
        for entry, (box, text) in zip(
            self._entries, self._places(self.width()), strict=True
        ):
            colour = QColor(*entry.colour)
            pen = QPen(colour, 2.5 if entry.dashed else 2)
            if entry.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            elif entry.dotted:
                pen.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(pen)
            mid = box.center().y() + 1
            painter.drawLine(box.left() + 2, mid, box.left() + SAMPLE_WIDTH - 2, mid)
            if entry.marker:
                painter.setBrush(colour)
                painter.drawEllipse(
                    QPointF(box.left() + SAMPLE_WIDTH / 2, mid), 3.5, 3.5
                )
            painter.setPen(ink)
            text_box = box.adjusted(SAMPLE_WIDTH + GAP, 0, 0, 0)
            painter.drawText(
                text_box,
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                text,
            )
        painter.end()

    def event(self, event: QEvent) -> bool:
        """Tooltips name the entry under the mouse in full."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for entry, (box, _) in zip(
                self._entries, self._places(self.width()), strict=True
            ):
                if box.contains(event.pos()):
                    QToolTip.showText(event.globalPos(), entry.text, self)
                    return True
        return super().event(event)
