"""A drawer: a pane that slides over the right edge of the window.

The model library used to be a dock under the panels, where it took a third
of a projector's height and showed two or three rows. As a drawer it covers
the right part of the window only while it is open, at full height (so it
shows many rows), and never squeezes a panel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPropertyAnimation, QRect, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.theme import style_label
from desktop_app.widgets.language import FollowsLanguage

__all__ = ["Drawer"]


class Drawer(FollowsLanguage, QFrame):
    """Holds ``content`` over the right side of ``parent`` when open.

    Signals
    -------
    opened_changed(bool)
        The drawer opened (True) or closed.
    """

    opened_changed = Signal(bool)

    #: Share of the parent's width the drawer takes, and its bounds in pixels.
    SHARE, MIN_WIDTH, MAX_WIDTH = 0.74, 460, 900

    def __init__(self, title: str, content: QWidget, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("drawer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(24)
        shadow.setOffset(-4, 0)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.setGraphicsEffect(shadow)
        self.title = QLabel(title, self)
        style_label(self.title, 1.15, bold=True)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(content, 1)
        self.content = content
        self.host = parent
        self.close_button.clicked.connect(lambda: self.set_open(False))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, lambda: self.set_open(False))
        self._animation = QPropertyAnimation(self, b"geometry", self)
        self._animation.setDuration(140)
        parent.installEventFilter(self)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        """Set the drawer's own texts in the current language."""
        self.close_button.setToolTip(self.tr("Close the library (Esc)"))

    def set_title(self, title: str) -> None:
        """Change the title (the owner passes it translated)."""
        self.title.setText(title)

    def is_open(self) -> bool:
        """Whether the drawer is showing."""
        return self.isVisible()

    def _open_geometry(self) -> QRect:
        host = self.host
        width = int(min(max(host.width() * self.SHARE, self.MIN_WIDTH), self.MAX_WIDTH))
        width = min(width, host.width())
        return QRect(host.width() - width, 0, width, host.height())

    def set_open(self, opened: bool) -> None:
        """Slide the drawer in (True) or take it away."""
        if opened == self.is_open():
            return
        if opened:
            target = self._open_geometry()
            start = QRect(target)
            start.moveLeft(self.host.width())
            self.setGeometry(start)
            self.show()
            self.raise_()
            self._animation.stop()
            self._animation.setStartValue(start)
            self._animation.setEndValue(target)
            self._animation.start()
            self.content.setFocus()
        else:
            self._animation.stop()
            self.hide()
        self.opened_changed.emit(opened)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the host's size while open."""
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._animation.stop()
            self.setGeometry(self._open_geometry())
        return super().eventFilter(watched, event)
