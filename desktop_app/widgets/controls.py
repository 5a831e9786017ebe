"""Small factories for the controls every panel builds the same way."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QSpinBox, QWidget

__all__ = ["push_button", "spin_box"]


def spin_box(
    parent: QWidget,
    low: int,
    high: int,
    value: int,
    tip: str,
    *,
    width: int | None = None,
    track_keys: bool = True,
) -> QSpinBox:
    """An integer box with range, value and tooltip.

    ``track_keys=False`` reports a typed value only when editing ends (for
    settings whose every change triggers real work).
    """
    box = QSpinBox(parent)
    box.setRange(low, high)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(track_keys)
    if width is not None:
        box.setMaximumWidth(width)
    return box


def push_button(
    parent: QWidget, text: str, tip: str, *, checkable: bool = False
) -> QPushButton:
    """A button with a tooltip (checkable for play/pause-like toggles)."""
    button = QPushButton(text, parent)
    button.setToolTip(tip)
    button.setCheckable(checkable)
    return button
