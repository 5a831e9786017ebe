"""Korean and English: the language menu, --lang, the system locale, and a walker.

The walker switches the window to Korean and reads every text a user can see:
each widget's text, tooltip, placeholder, group title, combo item and table
header in every panel, every menu action and its tooltip, and every concept
box. A text with words but no Hangul fails, unless all its words are in a
short allowlist (model names, units, formulas, file names, numbers).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTableWidget,
    QWidget,
)

from desktop_app import i18n
from desktop_app.widgets.concept import ConceptBox

HANGUL = re.compile("[가-힣]")

#: Panels still being translated: the walker skips them for now.
PENDING: tuple[type[QWidget], ...] = ()

#: Words that stay as they are in Korean: model names, units, formulas, keys.
ALLOWED_WORDS = {
    *"NADE MADE PixelCNN Gated Row LSTM Diagonal BiLSTM FVSBN RNADE Markov AR".split(),
    *"nats bits dim NLL MNIST Fashion PNG CSV SVG IDX npz npy safetensors".split(),
    *"Ctrl Esc Shift F1 AR Explorer log exp softmax sigmoid ReLU tanh".split(),
    "English",  # the language menu names each language in its own language
}

#: A word: three or more Latin letters (shorter ones are symbols: x, p, H, k).
WORD = re.compile("[A-Za-z]{3,}")


def hangul(text: str) -> bool:
    return bool(HANGUL.search(text))


def untranslated(text: str) -> bool:
    """Words but no Hangul, once tags, entities, files and allowed words go."""
    if hangul(text):
        return False
    plain = re.sub(r"<[^>]*>|&\w+;", " ", text)
    plain = re.sub(r"\S+\.(?:npz|npy|safetensors|png|json|csv)\b", " ", plain)
    return any(word not in ALLOWED_WORDS for word in WORD.findall(plain))


@pytest.fixture
def app_language():
    """Leave the application in English after the test."""
    yield
    i18n.install(QApplication.instance(), "en")
    QApplication.processEvents()


def choose_language(window, name: str) -> None:
    """View → Language → ``name``, as a user picks it."""
    for item in window.language_menu.actions():
        if item.text().replace("&", "") == name:
            item.trigger()
            QApplication.processEvents()  # deliver LanguageChange
            return
    raise AssertionError(f"no language {name!r}")


def menu_titles(window) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_switching_languages_live_keeps_the_work(window, app_language):
    window.show_panel(4)
    checkpoint = window.session.checkpoint
    assert checkpoint is not None
    english_menus = menu_titles(window)
    english_title = window.nav.item(4).text()
    english_model = window.model_label.text()
    assert not any(hangul(title) for title in english_menus)

    choose_language(window, "한국어")
    assert all(hangul(title) for title in menu_titles(window))
    assert hangul(window.nav.item(4).text())
    assert hangul(window.model_label.text())
    assert hangul(window.library_view.use_button.text())
    # the work stays: same model, same panel, the choice remembered
    assert window.session.checkpoint is checkpoint
    assert window.stack.currentIndex() == 4
    assert window.settings.value(i18n.SETTINGS_KEY) == "ko"
    assert window.language_actions["ko"].isChecked()

    choose_language(window, "English")
    assert menu_titles(window) == english_menus
    assert window.nav.item(4).text() == english_title
    assert window.model_label.text() == english_model
    assert window.settings.value(i18n.SETTINGS_KEY) == "en"


LAUNCH_KO = ["--lang", "ko", "--report-startup", "--quit-after", "500"]


def test_lang_ko_on_the_command_line_starts_in_korean(tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "LANG": "en_US.UTF-8",
    }
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", *LAUNCH_KO],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[0])
    assert report["language"] == "ko"
    assert report["menus"] and all(hangul(title) for title in report["menus"])


SYSTEM_LOCALE = """
from PySide6.QtCore import QCoreApplication, QLocale
from desktop_app import i18n
app = QCoreApplication([])
print(i18n.install(app, "system"), QCoreApplication.translate("MainWindow", "&File"),
      QLocale().name())
"""


@pytest.mark.parametrize(
    ("lang", "expected"), [("ko_KR.UTF-8", "ko"), ("en_GB.UTF-8", "en")]
)
def test_system_follows_the_locale(lang, expected):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")
    }
    env["LANG"] = lang
    result = subprocess.run(
        [sys.executable, "-c", SYSTEM_LOCALE],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=True,
    )
    language, file_menu, locale = result.stdout.split()
    assert language == expected
    assert hangul(file_menu) == (expected == "ko")
    assert locale.startswith(lang[:2])


def visible_texts(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) of what a user reads on ``widget`` itself."""
    name = type(widget).__name__
    texts = [(f"{name} tooltip", widget.toolTip())]
    if isinstance(widget, (QLabel, QAbstractButton)):
        texts.append((name, widget.text()))
    if isinstance(widget, QLineEdit):
        texts.append((f"{name} placeholder", widget.placeholderText()))
    if isinstance(widget, QGroupBox):
        texts.append((name, widget.title()))
    if isinstance(widget, QComboBox):
        texts += [(f"{name} item", widget.itemText(i)) for i in range(widget.count())]
    if isinstance(widget, QTableWidget):
        for col in range(widget.columnCount()):
            item = widget.horizontalHeaderItem(col)
            texts.append((f"{name} header", "" if item is None else item.text()))
    return [(where, text) for where, text in texts if text.strip()]


def test_walker_finds_no_english_left_in_korean(window, app_language):
    choose_language(window, "한국어")
    window.library_drawer.set_open(True)
    problems = []
    pending = [panel for panel in window.panels if isinstance(panel, PENDING)]
    for widget in window.findChildren(QWidget):
        if any(panel.isAncestorOf(widget) for panel in pending):
            continue
        if isinstance(widget, QLineEdit) and not widget.placeholderText():
            continue  # the user's own text
        for where, text in visible_texts(widget):
            if untranslated(text):
                problems.append(f"{where}: {text[:90]!r}")
    for menu in window.findChildren(QMenu):
        problems += [
            f"menu {menu.title()!r}: {text!r}"
            for action in menu.actions()
            for text in (action.text(), action.toolTip(), action.statusTip())
            if untranslated(text)
        ]
    for box in window.findChildren(ConceptBox):
        if not any(panel.isAncestorOf(box) for panel in pending):
            assert hangul(box.text.text()), box.button.text()
    assert problems == []


def test_qt_s_own_buttons_and_file_dialog_speak_korean(qtbot, app_language):
    assert i18n.install(QApplication.instance(), "ko") == "ko"
    box = QMessageBox()
    qtbot.addWidget(box)
    standard = QMessageBox.StandardButton
    kinds = (standard.Yes, standard.No, standard.Cancel)
    box.setStandardButtons(kinds[0] | kinds[1] | kinds[2])
    assert all(hangul(box.button(kind).text()) for kind in kinds)
    dialog = QFileDialog()
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    cancel = dialog.findChild(QDialogButtonBox).button(
        QDialogButtonBox.StandardButton.Cancel
    )
    assert hangul(cancel.text())
    assert hangul(QCoreApplication.translate("QFileDialog", "Look in:"))
