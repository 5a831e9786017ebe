"""The library's words in the window's language.

The ``models`` package speaks English and marks the words the window shows
with :func:`models.text.QT_TRANSLATE_NOOP` under the context ``"models"``; a
sentence made from values is a :class:`models.text.Phrase`, which keeps its
template. :func:`library_text` looks them up in the installed translations.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from models.text import CONTEXT, Phrase

__all__ = ["library_text"]


def library_text(text: str) -> str:
    """``text`` from :mod:`models`, translated (itself when there is no translation).

    A :class:`~models.text.Phrase` has its template translated and is filled
    again, with its values that are phrases translated the same way; plain
    text is looked up whole.
    """
    if isinstance(text, Phrase):
        values = {
            name: library_text(value) if isinstance(value, Phrase) else value
            for name, value in text.values.items()
        }
        return QCoreApplication.translate(CONTEXT, text.template).format(**values)
    return QCoreApplication.translate(CONTEXT, text)
