"""A collapsible box with the concept a panel shows, in a few precise lines."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from desktop_app.widgets.language import FollowsLanguage

__all__ = ["ConceptBox"]


class ConceptBox(FollowsLanguage, QWidget):
    """A title button that shows or hides rich text (formulas in HTML).

    The panel that owns the box gives it its texts, translated, and gives
    them again from its own ``retranslate()`` with :meth:`set_texts`.
    """

    def __init__(self, title: str, html: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.button = QToolButton(self)
        self.button.setText(title)
        self.button.setCheckable(True)
        self.button.setChecked(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setAutoRaise(True)
        self.text = QLabel(html, self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setContentsMargins(18, 0, 6, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.button)
        layout.addWidget(self.text)
        self.button.toggled.connect(self.set_expanded)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the box's own texts (its tooltip) in the current language."""
        self.button.setToolTip(self.tr("Show or hide the explanation"))

    def set_texts(self, title: str, html: str) -> None:
        """Show ``title`` on the button and ``html`` as the explanation."""
        self.button.setText(title)
        self.text.setText(html)

    def set_expanded(self, expanded: bool) -> None:
        """Show (True) or hide the explanation."""
        self.button.setChecked(expanded)
        self.button.setArrowType(
            Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow
        )
        self.text.setVisible(expanded)

    def is_expanded(self) -> bool:
        """Whether the explanation is showing."""
        return self.button.isChecked()
