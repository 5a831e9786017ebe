"""Every panel driven through its widgets, as a user would, and what it shows.

Real models throughout (tiny ones, saved in a temporary library); clicks, key
presses and mouse drags through pytest-qt; results read back from the widgets.
"""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QImageReader

from desktop_app.panels.canvas import CanvasPanel
from desktop_app.panels.context import ContextPanel
from desktop_app.panels.counter import CounterPanel
from desktop_app.panels.orderings import OrderingPanel
from desktop_app.panels.sampler import SamplerPanel
from desktop_app.panels.training import TrainingPanel
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.pixel_grid import PixelGrid
from models.orderings import conditioning_set, make_ordering
from tests.helpers import use_model


def panel(window, cls):
    return window.switch_to(cls)


def centre(grid: PixelGrid, row: int, col: int) -> QPoint:
    return grid.cell_rect(row, col).center().toPoint()


def click_cell(qtbot, grid, row, col, button=Qt.MouseButton.LeftButton):
    qtbot.mouseClick(grid, button, pos=centre(grid, row, col))


# -- the window ---------------------------------------------------------------------


def test_seven_panels_keyboard_and_remembered_choices(qtbot, window, tmp_path):
    assert window.nav.count() == 7
    assert [window.nav.item(i).text()[0] for i in range(7)] == list("1234567")
    for n in range(1, 8):
        qtbot.keyClick(
            window, Qt.Key(Qt.Key.Key_0 + n), Qt.KeyboardModifier.ControlModifier
        )
        assert window.stack.currentIndex() == n - 1
    window.show_panel(4)
    assert "tiny-nade-classes" in window.model_label.text()  # conditional NADE first
    assert "798" not in window.model_label.text()
    window.close()
    settings = window.settings
    settings.sync()
    assert int(settings.value("panel")) == 4
    assert settings.value("model").endswith("tiny-nade-classes.safetensors")


def test_library_rename_delete_and_a_bad_import(
    qtbot, window, tmp_path, no_modal_dialogs
):
    view = window.library_view
    session = window.session
    bundled = session.entries()[0]
    path = session.library.import_checkpoint(bundled.path, name="mine")
    session.refresh()
    row = next(i for i, e in enumerate(session.entries()) if e.name == "mine")
    view.select_row(row)
    assert view.delete_button.isEnabled()
    view.rename(session.entries()[row], "renamed")
    assert "renamed" in [e.name for e in session.entries()]
    assert not path.exists()
    view.select_row(0)
    assert not view.delete_button.isEnabled()  # bundled: read-only
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"{not a checkpoint")
    assert view.import_file(bad) is None
    assert "bad.safetensors" in no_modal_dialogs[-1]
    entry = next(e for e in session.entries() if e.name == "renamed")
    view.delete(entry)
    assert "renamed" not in [e.name for e in session.entries()]


def test_choosing_a_model_updates_the_toolbar_and_panels(qtbot, window):
    use_model(qtbot, window, "tiny-pixelcnn")
    assert "PixelCNN" in window.model_label.text()
    sampler = panel(window, SamplerPanel)
    assert not sampler.label_box.isEnabled()  # not class-conditional
    canvas = panel(window, CanvasPanel)
    assert "class-conditional" in canvas.bars_note.text()


# -- 1 counter: tests/test_counter_panel.py --------------------------------------------


# -- 2 orderings ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["raster", "hilbert", "snake", "random"])
def test_clicking_a_pixel_shows_exactly_its_conditioning_set(qtbot, window, name):
    orderings = panel(window, OrderingPanel)
    orderings.ordering_box.setCurrentText(name)
    orderings.window_box.setValue(3)
    click_cell(qtbot, orderings.grid, 5, 2)
    order = make_ordering(name, (8, 8), seed=0)
    expected = np.zeros(64, dtype=bool)
    expected[conditioning_set(order, 5 * 8 + 2)] = True
    faded, window_set = orderings.grid.overlays()
    shown = ~faded.mask.reshape(-1)
    shown[5 * 8 + 2] = False  # the pixel itself is highlighted, not conditioned on
    assert np.array_equal(shown, expected)
    last3 = np.zeros(64, dtype=bool)
    last3[conditioning_set(order, 5 * 8 + 2, window=3)] = True
    assert np.array_equal(window_set.mask.reshape(-1), last3)
    assert orderings.grid.highlight() == (5, 2)
    assert f"on the <b>{int(expected.sum())}</b> earlier" in orderings.info.text()


def test_custom_order_by_clicking_and_the_animated_path(qtbot, window):
    orderings = panel(window, OrderingPanel)
    orderings.height_box.setValue(2)
    orderings.width_box.setValue(3)
    qtbot.mouseClick(orderings.custom_button, Qt.MouseButton.LeftButton)
    clicks = [(1, 2), (0, 0), (1, 0), (0, 2), (0, 1), (1, 1)]
    for r, c in clicks:
        click_cell(qtbot, orderings.grid, r, c)
    assert orderings.ordering_box.currentText() == "custom"
    assert orderings.order.tolist() == [r * 3 + c for r, c in clicks]
    qtbot.mouseClick(orderings.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not orderings.play_button.isChecked(), timeout=5000)


# -- 3 training: tests/test_training_panel.py ------------------------------------------


# -- 4 sampler ------------------------------------------------------------------------


def test_sampler_reaches_the_last_pixel_and_exports(qtbot, window, tmp_path):
    sampler = panel(window, SamplerPanel)
    sampler.count_box.setValue(4)
    sampler.speed_slider.setValue(100)
    with qtbot.waitSignal(sampler.finished, timeout=60_000):
        qtbot.mouseClick(sampler.play_button, Qt.MouseButton.LeftButton)
    assert sampler.step == 784 and sampler.progress.value() == 784
    assert not sampler.play_button.isChecked()
    png = sampler.export_png(tmp_path / "s.png", scale=2)
    assert QImage(str(png)).width() == 2 * (2 * 28 + 1) + 1  # 2 cells, 1-px gaps
    gif = sampler.export_gif(tmp_path / "s.gif", scale=1)
    assert QImageReader(str(gif)).imageCount() > 10  # the drawing, frame by frame


def test_step_key_draws_one_pixel_and_shows_its_probability(qtbot, window):
    sampler = panel(window, SamplerPanel)
    sampler.label_box.setCurrentIndex(sampler.label_box.findText("7"))
    qtbot.keyClick(sampler, Qt.Key.Key_Right)
    qtbot.keyClick(sampler, Qt.Key.Key_Right)
    assert sampler.step == 2
    assert "step 2 of 784: row 1, column 2" in sampler.info.text()
    assert sampler.grid.highlight() is None and sampler.grid.overlays()  # current cells
    qtbot.keyClick(sampler, Qt.Key.Key_R)
    assert sampler.step == 0


def test_completion_keeps_the_drawing(qtbot, window):
    canvas = panel(window, CanvasPanel)
    drawing = np.zeros((28, 28))
    drawing[3:6, 10:14] = 1
    canvas.canvas.set_drawing(drawing)
    window.session.set_drawing(canvas.canvas.drawing())  # as a finished stroke does
    sampler = panel(window, SamplerPanel)
    sampler.count_box.setValue(2)
    sampler.complete_box.setChecked(True)
    sampler.advance(784)
    # kept: every pixel up to the drawing's last ink in raster order, (5, 13)
    kept = 5 * 28 + 14
    final = sampler.images().reshape(2, 784)
    assert np.array_equal(
        final[:, :kept], np.broadcast_to(drawing.reshape(784)[:kept], (2, kept))
    )
    assert set(np.unique(final)) <= {0.0, 1.0}


# -- 5 canvas -------------------------------------------------------------------------


def test_drawing_a_stroke_changes_the_score_and_undo_restores_it(qtbot, window):
    canvas = panel(window, CanvasPanel)
    qtbot.waitUntil(lambda: canvas.held_out is not None, timeout=60_000)
    before = canvas.rescore().log_prob
    grid = canvas.canvas
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=centre(grid, 8, 8))
    for col in range(9, 20):
        qtbot.mouseMove(grid, centre(grid, 8 + col // 4, col))
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=centre(grid, 12, 19))
    qtbot.waitUntil(
        lambda: canvas.score is not None and canvas.score.log_prob != before
    )
    assert canvas.canvas.drawing()[8:13, 8:20].sum() > 10
    assert "log p(x) =" in canvas.score_label.text()
    assert canvas.percentile() is not None
    assert "held-out digits" in canvas.percentile_label.text()
    posterior = canvas.score.class_posterior
    assert posterior is not None and posterior.sum() == pytest.approx(1.0)
    assert "Most probable class" in canvas.bars_note.text()
    surprise = canvas.surprise_grid.values()
    assert surprise.shape == (28, 28) and surprise.max() > 0
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: abs(canvas.score.log_prob - before) < 1e-6)
    assert window.session.drawing is not None  # shared with the sampler


def test_eraser_and_a_real_digit(qtbot, window):
    canvas = panel(window, CanvasPanel)
    label = canvas.load_digit(4)
    assert label == 4 and canvas.canvas.drawing().sum() > 20
    ink = canvas.canvas.drawing().sum()
    canvas.eraser.setChecked(True)
    canvas.size_box.setValue(3)
    rows, cols = np.nonzero(canvas.canvas.drawing())
    click_cell(qtbot, canvas.canvas, int(rows[0]), int(cols[0]))
    assert canvas.canvas.drawing().sum() < ink
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert canvas.canvas.drawing().sum() == 0


# -- 6 context: tests/test_context_panel.py ------------------------------------------


def test_concepts_and_about(qtbot, window, no_modal_dialogs):
    window.show_about()
    assert "autoregressive" in no_modal_dialogs[-1]
    window.explanations_action.trigger()
    counter = panel(window, CounterPanel)
    assert not counter.concept.is_expanded()
    window.show_concepts()  # builds the dialog from every panel


def test_panel_image_export(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "panel.png"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PNG (*.png)")
    )
    window.export_panel_image()
    assert QImage(str(target)).width() > 100


def test_choices_are_remembered_by_the_next_window(
    qtbot, window, tmp_path, library_dirs
):
    from desktop_app.app import MainWindow
    from desktop_app.session import Session
    from models.library import Library

    panel(window, OrderingPanel).ordering_box.setCurrentText("spiral")
    panel(window, SamplerPanel).count_box.setValue(9)
    panel(window, TrainingPanel).set_kind("row_lstm")
    panel(window, ContextPanel).pair_box.setCurrentIndex(1)
    window.close()
    again = MainWindow(Session(Library(*library_dirs)), window.settings)
    qtbot.addWidget(again)
    assert panel(again, OrderingPanel).ordering_box.currentText() == "spiral"
    assert panel(again, SamplerPanel).count_box.value() == 9
    assert panel(again, TrainingPanel).kind() == "row_lstm"
    assert panel(again, ContextPanel).kinds() == ("pixelcnn", "gated_pixelcnn")
    assert again.stack.currentIndex() == window.stack.currentIndex()


def test_surprise_under_the_ink(qtbot, window):
    canvas = panel(window, CanvasPanel)
    canvas.load_digit(1)
    canvas.rescore()
    qtbot.mouseClick(canvas.overlay_box, Qt.MouseButton.LeftButton)
    shown = canvas.canvas.values()
    assert np.allclose(shown, canvas.score.surprise)  # the map is on the canvas
    ink = canvas.canvas.overlays()[0].mask
    assert np.array_equal(ink, canvas.canvas.drawing() >= 0.5)
    qtbot.mouseClick(canvas.overlay_box, Qt.MouseButton.LeftButton)
    assert np.array_equal(canvas.canvas.values(), canvas.canvas.drawing())


@pytest.mark.parametrize("index", range(6))
def test_each_panels_explanation_button_hides_and_shows_it(qtbot, window, index):
    window.show_panel(index)
    concept = window.current_panel().findChildren(ConceptBox)[0]
    assert concept.text.isVisible()
    qtbot.mouseClick(concept.button, Qt.MouseButton.LeftButton)
    assert not concept.text.isVisible()
    qtbot.mouseClick(concept.button, Qt.MouseButton.LeftButton)
    assert concept.text.isVisible()
