"""A busy sign: an indeterminate bar and a line of text while work runs."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from desktop_app.workers import LatestOnly

__all__ = ["BusyIndicator"]


class BusyIndicator(QWidget):
    """Shown while a :class:`~desktop_app.workers.LatestOnly` awaits a result.

    It keeps its place in the layout when hidden (no jumping widgets), so it
    can sit in any row.
    """

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # indeterminate: moves while busy
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(90)
        self.bar.setMaximumHeight(12)
        self.label = QLabel(text, self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar)
        row.addWidget(self.label)
        row.addStretch(1)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setToolTip(text)
        self.setVisible(False)

    def set_text(self, text: str) -> None:
        """Change the sign's text (and tooltip), e.g. when the language changes."""
        self.label.setText(text)
        self.setToolTip(text)

    def follow(self, worker: LatestOnly, text: str | None = None) -> None:
        """Show this sign whenever ``worker`` is busy."""
        worker.busy_changed.connect(lambda busy: self.set_busy(busy, text))
        self.set_busy(worker.is_busy(), text)

    def set_busy(self, busy: bool, text: str | None = None) -> None:
        """Show (with ``text``, if given) or hide the sign."""
        if text is not None:
            self.set_text(text)
        self.setVisible(busy)

    def is_busy(self) -> bool:
        """Whether the sign is up (what the user sees)."""
        return not self.isHidden()
