"""The draw-and-score panel, driven through its widgets as a user would.

Clicks and mouse drags through pytest-qt; what is asserted is what the user
reads: the verdict, the position among held-out digits, the caution on
p(y | x), the loaded digit's label, the grids and the colour bar. The window
holds the tiny real models of ``conftest.py``; the verdicts checked here do not
depend on one model's numbers (``test_typicality.py`` checks them on the
shipped NADE).
"""

import threading

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolTip

import desktop_app.panels.canvas as canvas_module
from desktop_app.panels.canvas import NEEDS_CONDITIONAL, NOT_MEANINGFUL, CanvasPanel
from models.data import Binarization, load_split
from models.drawing import prepare_drawing
from models.evaluation import score_images
from tests.helpers import add_model, use_model


def show_canvas(window) -> CanvasPanel:
    return window.switch_to(CanvasPanel)


def centre(grid, row, col) -> QPoint:
    return grid.cell_rect(row, col).center().toPoint()


def drag(qtbot, grid, cells):
    """Press on the first cell, move through the others, release on the last."""
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=centre(grid, *cells[0]))
    for cell in cells[1:]:
        qtbot.mouseMove(grid, centre(grid, *cell))
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=centre(grid, *cells[-1]))


def settled(qtbot, panel):
    """Wait until the held-out digits and the newest drawing are scored."""
    qtbot.waitUntil(
        lambda: (
            panel.reference is not None
            and not panel.is_busy()
            and panel.score is not None
        ),
        timeout=60_000,
    )


def choose_digit(qtbot, panel, digit):
    box = panel.digit_box
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, str(digit))
    assert box.value() == digit


def held_out():
    data = load_split("mnist-5k", "test")
    return Binarization("threshold").apply(data), data.labels


def scribble_cells():
    """The pen going back and forth over one patch, as when scribbling out."""
    cells = []
    for i in range(14):
        row = 6 + i
        cells += [(row, 6), (row, 22)] if i % 2 == 0 else [(row, 22), (row, 6)]
    return cells


# -- load a real digit -----------------------------------------------------------------


def test_load_a_real_digit_loads_the_digit_chosen(qtbot, window):
    panel = show_canvas(window)
    images, labels = held_out()
    for digit in (7, 3, 7):
        choose_digit(qtbot, panel, digit)
        qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
        assert panel.loaded_label.text() == f"held-out digit: {digit}"
        shown = panel.canvas.drawing()
        matches = [i for i, image in enumerate(images) if np.array_equal(image, shown)]
        assert matches and all(labels[i] == digit for i in matches)
    # "any" loads some digit, and says which
    for _ in range(10):  # step the box down to its first value
        qtbot.keyClick(panel.digit_box, Qt.Key.Key_Down)
    assert panel.digit_box.text() == "any"
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    said = int(panel.loaded_label.text().removeprefix("held-out digit: "))
    shown = panel.canvas.drawing()
    assert any(
        labels[i] == said
        for i, image in enumerate(images)
        if np.array_equal(image, shown)
    )
    # a stroke on top: the label says the digit was edited
    drag(qtbot, panel.canvas, [(2, 2), (2, 5)])
    assert panel.loaded_label.text() == f"held-out digit: {said} (edited)"
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert panel.loaded_label.text() == f"held-out digit: {said}"
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.loaded_label.text() == ""


# -- the four things a student draws -------------------------------------------------


def test_an_empty_canvas_reads_nothing_drawn(qtbot, window):
    panel = show_canvas(window)
    choose_digit(qtbot, panel, 5)
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    settled(qtbot, panel)
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    settled(qtbot, panel)
    assert not panel.canvas.drawing().any()
    assert panel.verdict_label.text() == "Nothing drawn"
    assert "blank" in panel.reasons_label.text()
    # the blank is the most probable picture of all, and the panel says so
    position = panel.percentile_label.text()
    assert "more likely than any real digit, which is suspicious" in position
    assert "bits/dim" in panel.score_label.text()
    assert NOT_MEANINGFUL in panel.bars_note.text()


def test_a_dot_reads_too_small(qtbot, window):
    panel = show_canvas(window)
    qtbot.mouseClick(
        panel.canvas, Qt.MouseButton.LeftButton, pos=centre(panel.canvas, 14, 14)
    )
    settled(qtbot, panel)
    assert 0 < panel.canvas.drawing().sum() <= 9
    assert panel.verdict_label.text() == "Too small to be a digit (a dot?)"
    assert "spans only" in panel.reasons_label.text()
    assert NOT_MEANINGFUL in panel.bars_note.text()


def test_a_scribble_reads_unlike_any_digit(qtbot, window):
    panel = show_canvas(window)
    drag(qtbot, panel.canvas, scribble_cells())
    settled(qtbot, panel)
    assert panel.canvas.drawing().sum() > 150
    assert panel.verdict_label.text() == "Unlike any digit"
    assert "Solid patches of ink" in panel.reasons_label.text()
    assert NOT_MEANINGFUL in panel.bars_note.text()


def test_real_digits_read_as_typical(qtbot, window):
    panel = show_canvas(window)
    choose_digit(qtbot, panel, 7)
    verdicts = []
    for _ in range(5):
        qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
        settled(qtbot, panel)
        verdicts.append(panel.verdict_label.text())
        if verdicts[-1] == "Typical digit":
            assert NOT_MEANINGFUL not in panel.bars_note.text()
            assert "Most probable class" in panel.bars_note.text()
            assert "among real digits" in panel.percentile_label.text()
    assert verdicts.count("Typical digit") >= 4  # a real digit is rarely extreme


# -- normalisation, the grids and the colour bar ---------------------------------------


def test_normalising_shows_what_the_model_sees_and_can_be_turned_off(qtbot, window):
    panel = show_canvas(window)
    assert panel.normalize_box.isChecked()  # on by default
    assert panel.remembered["normalize"] is panel.normalize_box
    drag(qtbot, panel.canvas, [(2, 3), (2, 8), (9, 5)])  # a small 7 in a corner
    settled(qtbot, panel)
    drawn = np.nonzero(panel.canvas.drawing())[0]
    rows, cols = np.nonzero(panel.model_view.values())
    assert abs(rows.mean() - 13.5) <= 1.5 and abs(cols.mean() - 13.5) <= 1.5
    # enlarged towards the 20 pixels of an MNIST digit
    assert np.ptp(rows) >= 1.4 * np.ptp(drawn)
    # the surprise map is in the drawing's own pixels: around the small 7
    surprise = panel.surprise_grid.values()
    assert surprise[:13, :13].sum() > 0 and not surprise[16:, 16:].any()
    low, high = panel.colour_bar.levels()
    assert low == 0 and high == pytest.approx(surprise.max())
    assert panel.colour_bar.ticks()[-1][1].endswith("nats")

    qtbot.mouseClick(panel.normalize_box, Qt.MouseButton.LeftButton)
    assert not panel.normalize_box.isChecked()
    settled(qtbot, panel)
    drawing = panel.canvas.drawing()
    assert np.array_equal(panel.model_view.values(), drawing >= 0.5)
    assert np.allclose(panel.surprise_grid.values(), panel.score.surprise)


def test_the_histogram_shows_the_held_out_digits_and_the_drawing(qtbot, window):
    panel = show_canvas(window)
    choose_digit(qtbot, panel, 2)
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    settled(qtbot, panel)
    edges, counts = panel.histogram_curve.getData()
    assert counts.sum() == panel.reference.count == 1000
    assert panel.marker.isVisible()
    assert panel.marker.value() == pytest.approx(panel.score.log_prob)
    low, high = panel.typical_band.getRegion()
    assert edges[0] <= low < high <= edges[-1]
    share = panel.percentile()
    assert share is not None and f"{share:.1f}%" in panel.percentile_label.text()


# -- stale text and background work --------------------------------------------------


def test_no_stale_numbers_after_clear_or_a_model_change(qtbot, window):
    panel = show_canvas(window)
    choose_digit(qtbot, panel, 4)
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    settled(qtbot, panel)
    old = (panel.score_label.text(), panel.percentile_label.text())
    assert "log p(x) =" in old[0] and old[1]
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.score_label.text() != old[0]
    assert panel.percentile_label.text() != old[1]
    settled(qtbot, panel)
    assert panel.verdict_label.text() == "Nothing drawn"

    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    settled(qtbot, panel)
    old = (panel.score_label.text(), panel.verdict_label.text())
    use_model(qtbot, window, "tiny-pixelcnn")
    # the previous model's numbers are gone at once
    assert panel.score_label.text() != old[0]
    assert panel.verdict_label.text() == ""
    assert panel.bars_note.text() == NEEDS_CONDITIONAL
    settled(qtbot, panel)
    assert "log p(x) =" in panel.score_label.text()
    assert panel.bars_note.text() == NEEDS_CONDITIONAL


def test_scoring_runs_off_the_gui_thread_and_the_newest_drawing_wins(
    qtbot, window, monkeypatch
):
    panel = show_canvas(window)
    settled(qtbot, panel)
    threads = []
    real = canvas_module.score_canvas

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(canvas_module, "score_canvas", recording)
    with qtbot.waitSignal(panel.scored, timeout=30_000):
        drag(qtbot, panel.canvas, [(5, 10), (22, 10)])
    assert threads and threading.main_thread() not in threads
    # strokes in quick succession: what is shown is the last drawing's score
    drag(qtbot, panel.canvas, [(5, 18), (22, 18)])
    drag(qtbot, panel.canvas, [(13, 6), (13, 22)])
    settled(qtbot, panel)
    final = prepare_drawing(panel.canvas.drawing()).image
    assert np.array_equal(panel.score.model_view, final)
    assert np.array_equal(panel.model_view.values(), final)


def test_tooltips_name_rows_and_columns_from_one(qtbot, window):
    panel = show_canvas(window)
    settled(qtbot, panel)
    for grid in (panel.canvas, panel.surprise_grid, panel.model_view):
        qtbot.mouseMove(grid, centre(grid, 0, 0))
        qtbot.mouseMove(grid, centre(grid, 2, 4))
        qtbot.waitUntil(lambda: "row 3, column 5" in QToolTip.text())
        QToolTip.hideText()


def test_undo_is_offered_only_for_strokes_that_changed_something(qtbot, window):
    panel = show_canvas(window)
    assert not panel.undo_button.isEnabled()  # nothing drawn yet
    qtbot.mouseClick(panel.eraser, Qt.MouseButton.LeftButton)
    drag(qtbot, panel.canvas, [(10, 10), (10, 20)])  # erasing a blank canvas
    assert not panel.undo_button.isEnabled()
    qtbot.mouseClick(panel.brush, Qt.MouseButton.LeftButton)
    drag(qtbot, panel.canvas, [(10, 10), (20, 10)])
    assert panel.undo_button.isEnabled()
    assert np.array_equal(window.session.drawing, panel.canvas.drawing())
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert not panel.canvas.drawing().any()
    assert not window.session.drawing.any()  # the sampler sees the undo too
    assert not panel.undo_button.isEnabled()


# -- gray and continuous models --------------------------------------------------------


def test_a_binary_model_keeps_the_hard_brush(qtbot, window):
    panel = show_canvas(window)
    assert not panel.ink_box.isEnabled()
    drag(qtbot, panel.canvas, [(10, 5), (10, 20)])
    drawing = panel.canvas.drawing()
    assert np.isin(drawing, (0.0, 1.0)).all() and drawing.sum() > 16


def test_a_gray_model_gets_a_soft_brush_and_a_gray_score(qtbot, window):
    model = add_model(window, "gray-pixelcnn", likelihood="categorical", levels=16)
    panel = show_canvas(window)
    use_model(qtbot, window, "gray-pixelcnn")
    assert panel.ink_box.isEnabled()
    qtbot.mouseClick(panel.normalize_box, Qt.MouseButton.LeftButton)  # as drawn
    drag(qtbot, panel.canvas, [(10, 5), (10, 20)])
    drawing = panel.canvas.drawing()
    # a solid core, gray edges that fade with the distance from the stroke
    assert (drawing[10, 5:21] == 1).all()
    assert 0 < drawing[12, 12] < drawing[11, 12] <= 1 and drawing[13, 12] == 0
    assert panel.canvas.tooltip_text(12, 12).startswith(
        f"row 13, column 13: ink {drawing[12, 12]:.2f}"
    )
    # half the ink: a stroke no whiter than 50 %
    panel.ink_box.lineEdit().selectAll()
    qtbot.keyClicks(panel.ink_box, "50")
    drag(qtbot, panel.canvas, [(20, 5), (20, 20)])
    assert panel.canvas.drawing()[17:24].max() == pytest.approx(0.5)
    settled(qtbot, panel)
    # what the model sees: the drawing on the model's 16 levels, in gray
    seen = np.rint(panel.canvas.drawing() * 15) / 15
    assert np.allclose(panel.model_view.values(), seen)
    x = torch.from_numpy(seen).float().view(1, 1, 28, 28)
    with torch.no_grad():
        log_p = float(model.log_prob(x))
    assert panel.score.log_prob == pytest.approx(log_p, abs=1e-3)
    assert f"{log_p:.2f}" in panel.score_label.text()
    assert panel.score.surprise.sum() == pytest.approx(-log_p, abs=1e-3)
    assert panel.reference.count > 0  # held-out gray digits, scored


def test_a_continuous_model_scores_a_density(qtbot, window):
    model = add_model(window, "rnade-like", likelihood="gaussian_mixture", components=3)
    panel = show_canvas(window)
    use_model(qtbot, window, "rnade-like")
    assert "density" in panel.surprise_caption.text()
    qtbot.mouseClick(panel.normalize_box, Qt.MouseButton.LeftButton)  # as drawn
    drag(qtbot, panel.canvas, [(6, 14), (22, 14)])
    settled(qtbot, panel)
    score = panel.score
    # the drawing scores as the same image in a data set does: its 256 levels,
    # dequantized with the evaluation's fixed noise
    levels = np.rint(panel.canvas.drawing() * 255).astype(np.uint8)
    expected = score_images(model, levels[None])[0]
    assert score.log_prob == pytest.approx(expected, abs=1e-3)
    assert "(a density)" in panel.score_label.text()
    assert score.surprise.sum() == pytest.approx(-score.log_prob, abs=1e-2)
    bits = -score.log_prob / (784 * np.log(2)) + 8  # + log₂ 256
    assert score.bits_per_dim == pytest.approx(bits)
    low, high = panel.colour_bar.levels()
    assert low <= score.surprise.min() and high >= score.surprise.max()
