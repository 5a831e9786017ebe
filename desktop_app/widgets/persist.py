"""Remember a panel's choices between sessions (``QSettings``).

A combo box is remembered by its item's data when it has some (a stable key,
such as an ordering's name), else by its text and its position: the text is
that of the language it was saved in, so after a language switch the position
finds the item.
"""

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

#: A combo value that is the item's data, not its text.
_DATA = "data:"
#: The key suffix of a combo's position.
_INDEX = "#index"


def _restore_combo(box: QComboBox, text: str, position: object) -> None:
    """Select by data, else by text, else by the saved position."""
    if text.startswith(_DATA):
        index = box.findData(text[len(_DATA) :])
    else:
        index = box.findText(text)
    if index < 0 and str(position).isdigit() and int(str(position)) < box.count():
        index = int(str(position))
    if index >= 0:
        box.setCurrentIndex(index)


def save_widgets(
    settings: QSettings, group: str, widgets: Mapping[str, QWidget]
) -> None:
    """Store each widget's value under ``group/name``."""
    settings.beginGroup(group)
    for name, widget in widgets.items():
        if isinstance(widget, QComboBox):
            data = widget.currentData()
            if isinstance(data, str) and data:
                settings.setValue(name, _DATA + data)
            else:
                settings.setValue(name, widget.currentText())
            settings.setValue(name + _INDEX, widget.currentIndex())
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
                _restore_combo(widget, text, settings.value(name + _INDEX))
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
