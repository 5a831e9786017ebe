"""The app with hostile files in the user's runs folder, and runs named like others.

The runs folder holds one good checkpoint and, beside it, malformed records
(fields of the wrong type, an NLL of 1e400, a 5,000-digit integer, 200,000
levels of nesting), a FIFO, a folder, a link to /dev/zero and a dangling link,
all named ``*.safetensors``. The real window starts on it, in this process and
as a real process; the good model is usable and each bad file is shown as
unreadable, with its reason. A run is never saved over another without asking.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from desktop_app.panels.training import TrainingPanel
from models.checkpoint import load_checkpoint
from models.errors import CheckpointError
from models.library import Library
from models.registry import create
from tests.hostile_records import fill_bad_folder

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")

LEFT = Qt.MouseButton.LeftButton


def _good_model():
    model = create("nade", (28, 28), hidden=8)
    with torch.no_grad():
        model.bias_out.fill_(-2.0)
    return model


@pytest.fixture
def bad_runs(library_dirs):
    """(runs folder, good checkpoint, names of the bad files)."""
    user, _ = library_dirs
    good, names = fill_bad_folder(user, _good_model())
    return user, good, names


@pytest.fixture
def bad_window(qtbot, tmp_path, library_dirs, bad_runs):
    """The main window on a runs folder full of hostile files."""
    from desktop_app.app import MainWindow
    from desktop_app.session import Session

    user, bundled = library_dirs
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Session(Library(user, bundled)), settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def _rows(window) -> dict[str, tuple[int, list[str]]]:
    """What the library shows: first cell → (row, the row's texts)."""
    view = window.library_view
    return {
        view.row_text(row)[0]: (row, view.row_text(row))
        for row in range(view.table.rowCount())
    }


def _double_click(qtbot, view, row: int) -> None:
    table = view.table
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), LEFT, pos=rect.center())


def test_the_window_starts_and_shows_each_bad_file_as_unreadable(
    qtbot, bad_window, bad_runs
):
    _, good, names = bad_runs
    window = bad_window
    assert "could not be read" in window.statusBar().currentMessage()
    window.library_action.trigger()
    assert window.library_drawer.isVisible()
    rows = _rows(window)
    assert "good" in rows and "tiny-nade-classes" in rows
    for name in names:
        _, texts = rows[name]
        assert texts[1].startswith("unreadable: ") and len(texts[1]) > 14, texts
        assert texts[-1] == "yours"
    assert "FIFO" in rows["fifo.safetensors"][1][1]
    assert "'metrics'" in rows["metrics-not-an-object.safetensors"][1][1]
    assert "'num_parameters'" in rows["parameters-abc.safetensors"][1][1]
    view = window.library_view
    assert view.problems.isVisible()
    assert f"{len(names)} files" in view.problems.text()

    # the good run is usable: double-click it, as a user would
    row, texts = rows["good"]
    assert texts[3] == "123.50 nats"
    with qtbot.waitSignal(window.session.model_changed, timeout=30_000):
        _double_click(qtbot, view, row)
    assert "<b>good</b>" in window.model_label.text()
    assert window.session.checkpoint is not None
    assert window.session.checkpoint.path == good


def test_an_unreadable_row_offers_only_delete_and_show_in_folder(
    qtbot, bad_window, bad_runs, monkeypatch, no_modal_dialogs
):
    folder, _, names = bad_runs
    window = bad_window
    view = window.library_view
    window.library_action.trigger()
    opened: list[QUrl] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url) or True
    )
    before = window.model_label.text()

    row, _ = _rows(window)["fifo.safetensors"]
    view.select_row(row)
    assert not view.use_button.isEnabled()
    assert not view.rename_button.isEnabled()
    assert not view.export_button.isEnabled()
    assert view.delete_button.isEnabled() and view.reveal_button.isEnabled()

    _double_click(qtbot, view, row)  # nothing to load: it says why
    assert "cannot be used" in window.statusBar().currentMessage()
    assert "FIFO" in window.statusBar().currentMessage()
    assert window.model_label.text() == before and window.library_drawer.isVisible()

    qtbot.mouseClick(view.reveal_button, LEFT)
    assert [url.toLocalFile() for url in opened] == [str(folder)]

    qtbot.mouseClick(view.delete_button, LEFT)
    assert "Delete fifo.safetensors?" in no_modal_dialogs[-1]  # asked first
    assert not os.path.lexists(folder / "fifo.safetensors")
    rows = _rows(window)
    assert "fifo.safetensors" not in rows
    assert set(names) - {"fifo.safetensors"} <= set(rows)

    # the rest of the window still works: every panel shows, a model loads
    for index in range(len(window.panels)):
        window.show_panel(index)
        assert window.current_panel().isVisible()
    view.select_row(_rows(window)["good"][0])
    with qtbot.waitSignal(window.session.model_changed, timeout=30_000):
        qtbot.mouseClick(view.use_button, LEFT)
    assert "<b>good</b>" in window.model_label.text()


def test_renaming_to_a_300_character_name_says_why_and_keeps_the_run(
    qtbot, bad_window, bad_runs, monkeypatch, no_modal_dialogs
):
    from PySide6.QtWidgets import QInputDialog

    _, good, _ = bad_runs
    window = bad_window
    view = window.library_view
    window.library_action.trigger()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("n" * 300, True))
    view.select_row(_rows(window)["good"][0])
    qtbot.mouseClick(view.rename_button, LEFT)
    assert "at most 200 characters" in no_modal_dialogs[-1]
    assert good.is_file() and "good" in _rows(window)


def test_a_bundled_unreadable_file_cannot_be_deleted(qtbot, window, library_dirs):
    _, bundled = library_dirs
    (bundled / "broken.safetensors").write_bytes(b"\x00" * 20)
    window.session.refresh()
    view = window.library_view
    row, texts = _rows(window)["broken.safetensors"]
    assert texts[1].startswith("unreadable: ") and texts[-1] == "bundled"
    view.select_row(row)
    assert not view.delete_button.isEnabled() and view.reveal_button.isEnabled()


def test_the_last_model_setting_pointing_at_a_bad_file_is_reported(
    qtbot, tmp_path, library_dirs, bad_runs
):
    from desktop_app.app import MainWindow
    from desktop_app.session import Session

    user, bundled = library_dirs
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("model", str(user / "nested-200000.safetensors"))
    window = MainWindow(Session(Library(user, bundled)), settings)
    qtbot.addWidget(window)
    assert "could not reopen the last model" in window.statusBar().currentMessage()
    assert window.session.checkpoint is not None  # the default model instead
    window.close()


def test_the_session_turns_any_load_failure_into_a_checkpoint_error(
    qtbot, library_dirs, bad_runs
):
    from desktop_app.session import Session

    user, bundled = library_dirs
    session = Session(Library(user, bundled))
    for name in ("nested-200000", "integer-5000-digits", "nll-1e400"):
        with pytest.raises(CheckpointError):
            session.select(user / f"{name}.safetensors")


def test_the_real_app_starts_and_quits_with_a_fifo_in_the_runs_folder(tmp_path):
    """``python -m desktop_app`` on a runs folder of hostile files: no hang."""
    runs = tmp_path / "data" / "ar-explorer" / "runs"  # platformdirs on Linux
    fill_bad_folder(runs, _good_model())
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--quit-after=1500", "--report-startup"],
        capture_output=True,
        text=True,
        timeout=180,  # a FIFO opened for reading would block forever
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    shown = [json.loads(line) for line in result.stdout.splitlines() if "{" in line]
    assert shown and shown[0]["window_shown"] is True
    assert (runs / "fifo.safetensors").exists()  # listed, never opened or removed


# -- a run's name: never saved over another without asking ---------------------------


def _tiny_run(training: TrainingPanel, name: str) -> None:
    training.set_kind("made")
    training.settings.set_values({"hidden_sizes": (16,)})
    training.epochs_box.setValue(1)
    training.max_batches_box.setValue(1)
    training.batch_box.setValue(32)
    training.name_edit.setText(name)


def _answer(monkeypatch, choice: str) -> list[str]:
    """Answer the name question by clicking ``choice``; record the question."""
    asked: list[str] = []

    def click(box: QMessageBox) -> int:
        asked.append(f"{box.text()} {box.informativeText()}")
        [button] = [b for b in box.buttons() if b.text() == choice]
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click)
    return asked


def test_a_taken_name_asks_and_cancel_starts_nothing(
    qtbot, bad_window, bad_runs, monkeypatch
):
    _, good, _ = bad_runs
    before = good.read_bytes()
    asked = _answer(monkeypatch, "Cancel")
    training = bad_window.switch_to(TrainingPanel)
    _tiny_run(training, "good")
    qtbot.mouseClick(training.start_button, LEFT)
    assert len(asked) == 1 and "already has a run called good" in asked[0]
    assert "good (2)" in asked[0]
    assert not training.is_running() and training.start_button.isEnabled()
    assert good.read_bytes() == before


def test_keep_both_saves_the_run_beside_the_old_one(
    qtbot, bad_window, bad_runs, monkeypatch
):
    folder, good, _ = bad_runs
    before = good.read_bytes()
    asked = _answer(monkeypatch, "Keep both")
    training = bad_window.switch_to(TrainingPanel)
    _tiny_run(training, "good")
    with qtbot.waitSignal(training.run_ended, timeout=120_000):
        qtbot.mouseClick(training.start_button, LEFT)
    qtbot.waitUntil(lambda: not training.is_running(), timeout=10_000)
    assert len(asked) == 1
    assert good.read_bytes() == before  # the old run is untouched
    assert load_checkpoint(folder / "good (2)").metadata["kind"] == "made"
    assert "good (2)" in [e.name for e in bad_window.session.entries()]


def test_replace_is_the_users_choice_and_a_typed_path_stays_in_the_folder(
    qtbot, bad_window, bad_runs, monkeypatch
):
    folder, good, _ = bad_runs
    asked = _answer(monkeypatch, "Replace")
    training = bad_window.switch_to(TrainingPanel)
    _tiny_run(training, "good")
    with qtbot.waitSignal(training.run_ended, timeout=120_000):
        qtbot.mouseClick(training.start_button, LEFT)
    qtbot.waitUntil(lambda: not training.is_running(), timeout=10_000)
    assert len(asked) == 1
    assert load_checkpoint(good).metadata["kind"] == "made"  # replaced, as asked

    _tiny_run(training, "../../escaped")  # a fresh name: nothing to ask
    with qtbot.waitSignal(training.run_ended, timeout=120_000):
        qtbot.mouseClick(training.start_button, LEFT)
    qtbot.waitUntil(lambda: not training.is_running(), timeout=10_000)
    assert len(asked) == 1
    assert (folder / "escaped.safetensors").is_file()
    assert not list(Path(folder).parents[1].glob("escaped*"))
