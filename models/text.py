"""Marking the library's user-visible words for translation, without Qt.

The desktop app translates with Qt's own system: ``pyside6-lupdate`` collects
every string marked for translation into ``.ts`` files, and the app looks the
text up at run time with ``QCoreApplication.translate(context, text)``. The
``models`` package must not import Qt, so its words (model titles, ordering
names, a drawing's verdict, …) are marked with :func:`QT_TRANSLATE_NOOP`,
which ``lupdate`` recognises by name and which returns the text unchanged: the
library and the command line speak English, and the app translates what it
shows, under the same context. ``lupdate`` reads the context only when it is
written out, so the library writes ``QT_TRANSLATE_NOOP("models", "…")``.

A sentence built from values is a :class:`Phrase`: the English text (it *is*
a ``str``, so the command line prints it as before) that keeps its template
and values, so the app can translate the template and fill it again.
"""

from __future__ import annotations

__all__ = ["CONTEXT", "QT_TRANSLATE_NOOP", "Phrase"]

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


class Phrase(str):
    """English text made from a marked template and values, translatable later.

    ``Phrase(template, **values)`` equals ``template.format(**values)``; it
    keeps :attr:`template` and :attr:`values` so that the app can translate
    the template (and any value that is itself a :class:`Phrase`) and format
    it again. Mark the template with :func:`QT_TRANSLATE_NOOP` where it is
    written.

    Parameters
    ----------
    template
        English text with ``{name}`` fields.
    **values
        The fields' values.
    """

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Phrase:  # noqa: D102
        phrase = super().__new__(cls, template.format(**values))
        phrase.template = template
        phrase.values = values
        return phrase
