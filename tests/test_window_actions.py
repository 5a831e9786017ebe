"""Every menu action of the main window, triggered as a user would, and its effect.

File dialogs are answered at the dialog (``QFileDialog`` stubbed); everything
else is the real window on a temporary library. The last test fails when an
action is added without a test here.
"""

import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_app.app import PANELS
from desktop_app.panels.training import TrainingPanel
from desktop_app.widgets.concept import ConceptBox
from models import create
from models.checkpoint import save_checkpoint
from tests.helpers import use_model


def action(window, text: str):
    """The menu action called ``text`` (menus' & shortcuts' markers removed)."""
    for menu_action in window.menuBar().actions():
        for item in menu_action.menu().actions():
            if item.text().replace("&", "") == text:
                return item
    raise AssertionError(f"no action {text!r}")


@pytest.fixture
def answer_dialogs(monkeypatch):
    """Answer file dialogs with the paths a test puts in the list."""
    answers: list[str] = []
    asked: list[str] = []

    def answer(*args, **kwargs):
        asked.append(str(args[1]) if len(args) > 1 else "")
        return (answers.pop(0) if answers else "", "")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return answers, asked


def test_open_data_asks_for_a_file_and_offers_it_for_training(
    qtbot, window, tmp_path, answer_dialogs
):
    answers, asked = answer_dialogs
    images = (np.random.default_rng(0).random((40, 28, 28)) * 255).astype(np.uint8)
    path = tmp_path / "my-digits.npz"
    np.savez(path, train=images[:30], valid=images[30:])
    answers.append(str(path))
    action(window, "Open data…").trigger()
    assert asked == ["Open data"]  # a dialog was shown (it once was not)
    training = window.current_panel()
    assert isinstance(training, TrainingPanel)
    box = training.data_box
    qtbot.waitUntil(lambda: box.currentText() == "my-digits.npz", timeout=10_000)
    assert box.currentData() == str(path)


def test_open_data_cancelled_changes_nothing(window, answer_dialogs):
    _, asked = answer_dialogs
    window.show_panel(0)
    action(window, "Open data…").trigger()
    assert asked == ["Open data"]
    assert window.stack.currentIndex() == 0


def test_open_checkpoint_imports_and_uses_it(qtbot, window, tmp_path, answer_dialogs):
    answers, _ = answer_dialogs
    model = create("bernoulli", (28, 28))
    path = save_checkpoint(tmp_path / "elsewhere" / "my-bernoulli", model)
    answers.append(str(path))
    action(window, "Open checkpoint…").trigger()
    qtbot.waitUntil(lambda: "my-bernoulli" in window.model_label.text())
    assert "my-bernoulli" in [e.name for e in window.session.entries()]


def test_export_checkpoint_writes_a_copy_of_the_selected_one(
    window, tmp_path, answer_dialogs
):
    answers, _ = answer_dialogs
    window.library_view.select_row(0)
    target = tmp_path / "copy.safetensors"
    answers.append(str(target))
    action(window, "Export checkpoint…").trigger()
    assert target.is_file() and target.with_suffix(".json").is_file()


def test_export_panel_image_saves_what_is_on_screen(window, tmp_path, answer_dialogs):
    answers, _ = answer_dialogs
    window.show_panel(1)
    target = tmp_path / "panel.png"
    answers.append(str(target))
    action(window, "Export panel image…").trigger()
    image = QImage(str(target))
    panel = window.current_panel()
    ratio = image.width() / panel.width()
    assert ratio > 0 and image.height() == pytest.approx(panel.height() * ratio, abs=1)


def test_panel_actions_switch_panels(window):
    for index, (title, _) in enumerate(PANELS):
        action(window, title.split("  ", 1)[1]).trigger()
        assert window.stack.currentIndex() == index
        assert window.nav.currentRow() == index


def test_model_library_opens_and_closes_the_drawer(qtbot, window):
    library = action(window, "Model library")
    drawer = window.library_drawer
    assert not drawer.isVisible()
    library.trigger()
    assert drawer.isVisible() and library.isChecked()
    # the drawer covers the panel's right side at full height; it squeezes nothing
    assert drawer.height() == drawer.host.height()
    assert window.stack.width() > drawer.width() / 2
    qtbot.mouseClick(drawer.close_button, Qt.MouseButton.LeftButton)
    assert not drawer.isVisible() and not library.isChecked()


def test_using_a_model_from_the_drawer_loads_it_and_closes_it(qtbot, window):
    action(window, "Model library").trigger()
    use_model(qtbot, window, "tiny-pixelcnn")
    assert "tiny-pixelcnn" in window.model_label.text()
    assert not window.library_drawer.isVisible()


def test_explanations_hide_and_show_every_concept(window):
    explanations = action(window, "Explanations")
    boxes = window.findChildren(ConceptBox)
    assert len(boxes) >= 6
    explanations.trigger()
    assert not any(box.text.isVisibleTo(box) for box in boxes)
    explanations.trigger()
    assert all(box.text.isVisibleTo(box) for box in boxes)


def test_zoom_scales_text_and_is_remembered(window):
    base = QGuiApplication.font().pointSizeF()
    action(window, "Zoom in").trigger()
    larger = QGuiApplication.font().pointSizeF()
    assert larger > base
    assert window.zoom_label.text() == "text 115 %"
    action(window, "Zoom in").trigger()
    assert QGuiApplication.font().pointSizeF() > larger
    action(window, "Zoom out").trigger()
    assert QGuiApplication.font().pointSizeF() == pytest.approx(larger)
    window.close()
    window.settings.sync()
    assert float(window.settings.value("zoom")) == pytest.approx(1.15)
    action(window, "Reset zoom").trigger()
    assert QGuiApplication.font().pointSizeF() == pytest.approx(base)
    assert window.zoom_label.text() == "text 100 %"


def test_zoom_shortcuts_are_the_usual_ones(window):
    shortcuts = {
        text: [s.toString() for s in action(window, text).shortcuts()]
        for text in ("Zoom in", "Zoom out", "Reset zoom")
    }
    assert "Ctrl+=" in shortcuts["Zoom in"]
    assert "Ctrl+-" in shortcuts["Zoom out"]
    assert shortcuts["Reset zoom"] == ["Ctrl+0"]


def test_concepts_shows_every_panels_explanation(window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    action(window, "Concepts…").trigger()
    assert len(shown) == 1
    for title, _ in PANELS:
        assert f"<h3>{title.split('  ', 1)[1]}</h3>" in shown[0]


def test_about_names_the_app_and_credits_mnist(window, no_modal_dialogs):
    action(window, "About AR Explorer").trigger()
    assert "AR Explorer" in no_modal_dialogs[-1]
    assert "CC BY-SA 3.0" in no_modal_dialogs[-1]


def test_language_menu_offers_system_english_and_korean(window):
    # switching is tested in test_i18n.py
    choices = action(window, "Language").menu().actions()
    assert [choice.text() for choice in choices] == ["System", "English", "한국어"]
    assert [choice.isChecked() for choice in choices].count(True) == 1


def test_quit_closes_the_window(qtbot, window):
    action(window, "Quit").trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_every_menu_action_has_a_test_above(window):
    every = {
        item.text().replace("&", "")
        for menu_action in window.menuBar().actions()
        for item in menu_action.menu().actions()
        if not item.isSeparator()
    }
    source = Path(__file__).read_text(encoding="utf-8")
    tested = set(re.findall(r'action\(window, "([^"]+)"\)', source))
    tested |= {title.split("  ", 1)[1] for title, _ in PANELS}  # the loop above
    assert every - tested == set()


def test_the_app_icon_is_bundled():
    from models.resources import resource_path

    icon = resource_path("icons", "app.svg")
    assert Path(icon).is_file() and "<svg" in icon.read_text()


def _user_model(window, tmp_path, name="mine"):
    model = create("bernoulli", (28, 28))
    path = save_checkpoint(tmp_path / "outside" / name, model)
    window.session.library.import_checkpoint(path, name=name)
    window.session.refresh()
    names = [e.name for e in window.session.entries()]
    window.library_view.select_row(names.index(name))
    return names.index(name)


def test_library_buttons_import_export_rename_delete(
    qtbot, window, tmp_path, answer_dialogs, monkeypatch, no_modal_dialogs
):
    from PySide6.QtWidgets import QInputDialog

    answers, _ = answer_dialogs
    view = window.library_view
    window.library_action.trigger()
    left = Qt.MouseButton.LeftButton

    elsewhere = save_checkpoint(
        tmp_path / "far" / "brought-in", create("fvsbn", (28, 28))
    )
    answers.append(str(elsewhere))
    qtbot.mouseClick(view.import_button, left)
    qtbot.waitUntil(lambda: "brought-in" in window.model_label.text(), timeout=10_000)

    _user_model(window, tmp_path)
    target = tmp_path / "exported.safetensors"
    answers.append(str(target))
    qtbot.mouseClick(view.export_button, left)
    assert target.is_file()

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("renamed", True))
    qtbot.mouseClick(view.rename_button, left)
    names = [e.name for e in window.session.entries()]
    assert "renamed" in names and "mine" not in names

    view.select_row(names.index("renamed"))
    qtbot.mouseClick(view.delete_button, left)
    assert "Delete renamed?" in no_modal_dialogs[-1]  # asked first
    assert "renamed" not in [e.name for e in window.session.entries()]
