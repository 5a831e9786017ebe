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

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from desktop_app.widgets.language import FollowsLanguage
from models.base import ModelConfig
from models.text import QT_TRANSLATE_NOOP

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


#: A setting's label and tooltip in other languages: the English here is only
#: the translation source; English shows the field's name and the config's
#: docstring, as the form always did.
FIELD_TEXTS: dict[str, tuple[str, str]] = {
    "order": (
        QT_TRANSLATE_NOOP("SettingsForm", "order"),
        QT_TRANSLATE_NOOP(
            "SettingsForm",
            "k, the number of preceding pixels (in the ordering) each pixel sees.",
        ),
    ),
    "hidden": (
        QT_TRANSLATE_NOOP("SettingsForm", "hidden"),
        QT_TRANSLATE_NOOP(
            "SettingsForm", "H, the number of hidden units shared by all conditionals."
        ),
    ),
    "hidden_sizes": (
        QT_TRANSLATE_NOOP("SettingsForm", "hidden sizes"),
        QT_TRANSLATE_NOOP(
            "SettingsForm", "Widths of the hidden layers (ReLU), e.g. 500,500."
        ),
    ),
    "num_masks": (
        QT_TRANSLATE_NOOP("SettingsForm", "num masks"),
        QT_TRANSLATE_NOOP(
            "SettingsForm",
            "How many masks are cycled during training (1 = a fixed mask).",
        ),
    ),
    "order_agnostic": (
        QT_TRANSLATE_NOOP("SettingsForm", "order agnostic"),
        QT_TRANSLATE_NOOP(
            "SettingsForm", "Give every mask after the first its own random ordering."
        ),
    ),
    "ensemble": (
        QT_TRANSLATE_NOOP("SettingsForm", "ensemble"),
        QT_TRANSLATE_NOOP(
            "SettingsForm", "Evaluate log p(x) as the mixture over all masks."
        ),
    ),
    "mask_seed": (
        QT_TRANSLATE_NOOP("SettingsForm", "mask seed"),
        QT_TRANSLATE_NOOP(
            "SettingsForm", "Seed of the hidden degrees (and of the extra orderings)."
        ),
    ),
    "direct": (
        QT_TRANSLATE_NOOP("SettingsForm", "direct"),
        QT_TRANSLATE_NOOP(
            "SettingsForm", "Add a masked input → output connection (an FVSBN term)."
        ),
    ),
    "channels": (
        QT_TRANSLATE_NOOP("SettingsForm", "channels"),
        QT_TRANSLATE_NOOP("SettingsForm", "Feature maps between the layers."),
    ),
    "layers": (
        QT_TRANSLATE_NOOP("SettingsForm", "layers"),
        QT_TRANSLATE_NOOP("SettingsForm", "Number of layers (residual blocks)."),
    ),
    "first_kernel": (
        QT_TRANSLATE_NOOP("SettingsForm", "first kernel"),
        QT_TRANSLATE_NOOP(
            "SettingsForm", "Size of the first (mask-A) convolution's kernel."
        ),
    ),
    "output_layers": (
        QT_TRANSLATE_NOOP("SettingsForm", "output layers"),
        QT_TRANSLATE_NOOP(
            "SettingsForm", "Number of 1×1 convolution layers before the output."
        ),
    ),
    "kernel": (
        QT_TRANSLATE_NOOP("SettingsForm", "kernel"),
        QT_TRANSLATE_NOOP(
            "SettingsForm", "Size of each block's mask-B convolution (odd)."
        ),
    ),
    "backward_reads_pixel": (
        QT_TRANSLATE_NOOP("SettingsForm", "backward reads pixel"),
        QT_TRANSLATE_NOOP(
            "SettingsForm",
            "Let each right-to-left LSTM also read the pixel at its own position, "
            "so a pixel's context is the whole past, as the paper describes. "
            "Off gives the literal architecture.",
        ),
    ),
}


class SettingsForm(FollowsLanguage, QWidget):
    """Editors for the model-specific fields of a config class."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.editors: dict[str, QWidget] = {}
        self._types: dict[str, Any] = {}
        self._doc = ""

    def retranslate(self) -> None:
        """Set every setting's label and tooltip in the current language."""
        for name, editor in self.editors.items():
            label, tip = _texts(self._doc, name)
            editor.setToolTip(tip)
            shown = self.layout_.labelForField(editor)
            if shown is not None and hasattr(shown, "setText"):
                shown.setText(label)

    def set_config_class(
        self, config_class: type[ModelConfig], values: dict[str, Any] | None = None
    ) -> None:
        """Show the fields of ``config_class`` with ``values`` (else its defaults)."""
        while self.layout_.rowCount():
            self.layout_.removeRow(0)
        self.editors, self._types = {}, {}
        defaults = config_class()
        hints = typing.get_type_hints(config_class)
        doc = self._doc = config_class.__doc__ or ""
        for field in dataclasses.fields(config_class):
            if field.name in SHARED:
                continue
            value = (values or {}).get(field.name, getattr(defaults, field.name))
            kind = hints[field.name]
            editor = self._editor(kind, value)
            label, tip = _texts(doc, field.name)
            editor.setToolTip(tip)
            self.editors[field.name] = editor
            self._types[field.name] = kind
            self.layout_.addRow(label, editor)

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


def _texts(doc: str, name: str) -> tuple[str, str]:
    """(label, tooltip) of setting ``name``: translated, else from the docstring."""
    label, tip = name.replace("_", " "), _describe(doc, name)
    source = FIELD_TEXTS.get(name)
    if source is not None:
        translated = [QCoreApplication.translate("SettingsForm", t) for t in source]
        if translated[0] != source[0]:
            label = translated[0]
        if translated[1] != source[1]:
            tip = translated[1]
    return label, tip


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
