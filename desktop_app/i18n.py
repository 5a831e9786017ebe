"""The interface's language: English or Korean, with Qt's own translation system.

Every user-visible string in the app goes through ``self.tr("…")`` or
``QCoreApplication.translate("Context", "…")``; ``pyside6-lupdate`` collects
them into ``resources/translations/ko/*.ts`` and ``pyside6-lrelease`` compiles
those into one ``ar_explorer_ko.qm`` (``scripts/translations.py``). At run
time :func:`install` puts that file and Qt's own ``qtbase_ko.qm`` (standard
buttons, file dialogs) in front of the application. Installing or removing a
translator makes Qt send ``QEvent.LanguageChange`` to every widget, whose
``retranslate()`` then sets its texts again: the language switches live,
without losing any work.

The choice is one of :data:`LANGUAGES`: ``"system"`` follows the system
locale (``LANG=ko_KR.UTF-8`` gives Korean), ``"en"`` and ``"ko"`` force one.
It is remembered in ``QSettings`` under :data:`SETTINGS_KEY`; the command
line's ``--lang`` applies to one launch only.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

from models.resources import resource_path

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "SETTINGS_KEY",
    "current_choice",
    "current_language",
    "install",
    "qm_path",
    "resolve",
    "save_language",
    "saved_language",
]

#: The choices: follow the system, English, Korean.
LANGUAGES: tuple[str, ...] = ("system", "en", "ko")

#: Each language's name in its own language (the View → Language menu shows
#: them so, whatever the current language). "system" is translated at display.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ko": "한국어"}

#: The QSettings key of the remembered choice.
SETTINGS_KEY = "language"

#: The interface languages that have translations (English is the source).
_TRANSLATED = ("ko",)

#: Numbers in English: "21,256". Also the default under the C/POSIX locale,
#: whose numbers have no thousands separators.
_ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
if QLocale().language() == QLocale.Language.C:
    QLocale.setDefault(_ENGLISH)

_installed: list[QTranslator] = []
_current = "en"
_choice = "system"


def qm_path(language: str) -> str:
    """Path of the app's compiled translations for ``language`` (e.g. ``"ko"``)."""
    return str(resource_path("translations", f"ar_explorer_{language}.qm"))


def resolve(language: str, system: QLocale | None = None) -> str:
    """The interface language ``language`` means: ``"en"`` or ``"ko"``.

    Parameters
    ----------
    language
        One of :data:`LANGUAGES`; anything else is taken as ``"system"``.
    system
        The system locale (default ``QLocale.system()``).

    Returns
    -------
    str
        ``"ko"`` or ``"en"``. For ``"system"``: the first of the system's
        interface languages that the app speaks, else English.
    """
    if language in ("en", *_TRANSLATED):
        return language
    locale = QLocale.system() if system is None else system
    for name in [*locale.uiLanguages(), locale.name()]:
        code = name.replace("_", "-").split("-")[0].lower()
        if code == "en" or code in _TRANSLATED:
            return code
    return "en"


def install(app: QCoreApplication, language: str) -> str:
    """Switch the application to ``language``; returns ``"en"`` or ``"ko"``.

    Removes the translators installed before, loads the app's ``.qm`` and Qt's
    ``qtbase_<lang>.qm`` for a translated language, and sets the default
    ``QLocale`` (numbers, dates) to match. Every widget receives
    ``QEvent.LanguageChange``.

    Parameters
    ----------
    app
        The application.
    language
        One of :data:`LANGUAGES`.

    Returns
    -------
    str
        The language now in use.
    """
    global _current, _choice
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    resolved = resolve(language)
    if resolved in _TRANSLATED:
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in ((qm_path(resolved), ""), (f"qtbase_{resolved}", qt_dir)):
            translator = QTranslator(app)
            loaded = translator.load(name, folder) if folder else translator.load(name)
            if loaded and app.installTranslator(translator):
                _installed.append(translator)
    system = QLocale.system()
    if language == "system" and system.language() != QLocale.Language.C:
        QLocale.setDefault(system)
    elif resolved == "ko":
        QLocale.setDefault(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
    else:
        QLocale.setDefault(_ENGLISH)
    _current = resolved
    _choice = language if language in LANGUAGES else "system"
    return resolved


def current_language() -> str:
    """The language installed last: ``"en"`` or ``"ko"``."""
    return _current


def current_choice() -> str:
    """The choice installed last, one of :data:`LANGUAGES` (``"system"`` before any)."""
    return _choice


def saved_language(settings: QSettings) -> str:
    """The remembered choice, one of :data:`LANGUAGES` (default ``"system"``)."""
    value = settings.value(SETTINGS_KEY, "system")
    return value if isinstance(value, str) and value in LANGUAGES else "system"


def save_language(settings: QSettings, language: str) -> None:
    """Remember ``language`` (one of :data:`LANGUAGES`) for the next launch."""
    if language in LANGUAGES:
        settings.setValue(SETTINGS_KEY, language)
