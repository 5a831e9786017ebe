"""Widgets that follow a live change of the interface's language.

Installing or removing a translator makes Qt send ``QEvent.LanguageChange`` to
every widget. A widget that shows text mixes in :class:`FollowsLanguage` and
sets all its texts in ``retranslate()``, which it also calls at the end of its
``__init__``; the mixin calls it again on every change of language.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent

__all__ = ["FollowsLanguage"]


class FollowsLanguage:
    """Mix in before the Qt widget class: ``class Panel(FollowsLanguage, QWidget)``."""

    def retranslate(self) -> None:
        """Set every text the widget shows, in the current language."""
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        """Show every text again in the new language."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]
