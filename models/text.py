"""Marking the library's user-visible words for translation, without Qt.

The desktop app translates with Qt's own system: ``pyside6-lupdate`` collects
every string marked for translation into ``.ts`` files, and the app looks the
text up at run time with ``QCoreApplication.translate(context, text)``. The
``models`` package must not import Qt, so its words (model titles, ordering
names, a drawing's verdict, …) are marked with :func:`QT_TRANSLATE_NOOP`,
which ``lupdate`` recognises by name and which returns the text unchanged: the
library and the command line speak English, and the app translates what it
shows, under the same context.
"""

from __future__ import annotations

__all__ = ["CONTEXT", "QT_TRANSLATE_NOOP"]

#: The translation context of the library's words.
CONTEXT = "models"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation under ``context``; returns it unchanged.

    Parameters
    ----------
    context
        The translation context; the library uses :data:`CONTEXT`.
    text
        English source text. Placeholders are ``{name}`` fields, filled with
        ``str.format`` after translation, never an f-string.

    Returns
    -------
    str
        ``text`` itself.
    """
    return text
