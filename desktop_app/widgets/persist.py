"""Remember a panel's choices between sessions (``QSettings``)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QComboBox,
    QDoubleSpinBox,
    QSpinBox,
    QWidget,
)

__all__ = ["restore_widgets", "save_widgets"]


def save_widgets(
    settings: QSettings, group: str, widgets: Mapping[str, QWidget]
) -> None:
    """Store each widget's value under ``group/name``."""
    settings.beginGroup(group)
    for name, widget in widgets.items():
        if isinstance(widget, QComboBox):
            settings.setValue(name, widget.currentText())
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox, QAbstractSlider)):
            settings.setValue(name, widget.value())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            settings.setValue(name, widget.isChecked())
    settings.endGroup()


def restore_widgets(
    settings: QSettings, group: str, widgets: Mapping[str, QWidget]
) -> None:
    """Put stored values back; a missing or unreadable value is skipped."""
    settings.beginGroup(group)
    try:
        for name, widget in widgets.items():
            value = settings.value(name)
            if value is None:
                continue
            text = str(value)
            if isinstance(widget, QComboBox):
                index = widget.findText(text)
                if index >= 0:
                    widget.setCurrentIndex(index)
            elif isinstance(widget, QDoubleSpinBox):
                try:
                    widget.setValue(float(text))
                except ValueError:
                    continue
            elif isinstance(widget, (QSpinBox, QAbstractSlider)):
                try:
                    widget.setValue(int(float(text)))
                except ValueError:
                    continue
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                widget.setChecked(text.lower() in ("true", "1"))
    finally:
        settings.endGroup()
