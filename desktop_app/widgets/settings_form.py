"""A form built from a model's config dataclass: one editor per setting.

Integers get spin boxes, booleans check boxes, tuples of integers a text field
("500,500"); the settings every panel sets elsewhere (image shape, ordering,
classes, the pixel likelihood with its levels and components) are left out.
Validation is the config's own: the form only collects values, and
:func:`models.registry.create` names any bad one.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from models.base import ModelConfig

__all__ = ["SettingsForm"]

SHARED = {
    "image_shape",
    "ordering",
    "ordering_seed",
    "custom_ordering",
    "num_classes",
    "likelihood",
    "levels",
    "components",
}


class SettingsForm(QWidget):
    """Editors for the model-specific fields of a config class."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.editors: dict[str, QWidget] = {}
        self._types: dict[str, Any] = {}

    def set_config_class(
        self, config_class: type[ModelConfig], values: dict[str, Any] | None = None
    ) -> None:
        """Show the fields of ``config_class`` with ``values`` (else its defaults)."""
        while self.layout_.rowCount():
            self.layout_.removeRow(0)
        self.editors, self._types = {}, {}
        defaults = config_class()
        hints = typing.get_type_hints(config_class)
        doc = config_class.__doc__ or ""
        for field in dataclasses.fields(config_class):
            if field.name in SHARED:
                continue
            value = (values or {}).get(field.name, getattr(defaults, field.name))
            kind = hints[field.name]
            editor = self._editor(kind, value)
            editor.setToolTip(_describe(doc, field.name))
            self.editors[field.name] = editor
            self._types[field.name] = kind
            self.layout_.addRow(field.name.replace("_", " "), editor)

    def _editor(self, kind: Any, value: Any) -> QWidget:
        if kind is bool:
            box = QCheckBox(self)
            box.setChecked(bool(value))
            return box
        if kind is int:
            spin = QSpinBox(self)
            spin.setRange(0, 1_000_000)
            spin.setValue(int(value))
            spin.setMaximumWidth(120)
            return spin
        line = QLineEdit(self)
        if isinstance(value, tuple):
            line.setText(",".join(str(v) for v in value))
        else:
            line.setText(str(value))
        return line

    def values(self) -> dict[str, Any]:
        """The settings as the config expects them (tuples parsed from text).

        A text that is not a list of integers is passed through as text, so the
        config's validation names the field.
        """
        out: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                out[name] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                out[name] = editor.value()
            elif isinstance(editor, QLineEdit):
                text = editor.text().replace(" ", "")
                if typing.get_origin(self._types[name]) is tuple:
                    try:
                        out[name] = tuple(int(v) for v in text.split(",") if v)
                    except ValueError:
                        out[name] = text
                else:
                    out[name] = text
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        """Put ``values`` into the editors (unknown names are ignored)."""
        for name, value in values.items():
            editor = self.editors.get(name)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            elif isinstance(editor, QLineEdit):
                is_seq = isinstance(value, (tuple, list))
                editor.setText(",".join(map(str, value)) if is_seq else str(value))


def _describe(doc: str, name: str) -> str:
    """The numpydoc description of attribute ``name`` in a class docstring."""
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == name:
            text = []
            for follow in lines[i + 1 :]:
                if not follow.startswith(" " * 8):
                    break
                text.append(follow.strip())
            return " ".join(text) or name
    return name.replace("_", " ")
