"""Panel 4, the sample viewer, driven through its buttons, read from its labels.

Every button is clicked; what a user reads after each click is checked: the
class printed on each image of a class-conditional grid, positions counted
from 1, and no line left over from an earlier model, batch or step.
"""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import QFileDialog

from desktop_app.panels.sampler import PAD, PROBABILITY, SamplerPanel
from tests.helpers import use_model


def sampler_panel(window) -> SamplerPanel:
    return window.switch_to(SamplerPanel)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def caption_texts(sampler: SamplerPanel) -> list[str]:
    return [caption.text for caption in sampler.grid.captions()]


def test_each_image_of_a_conditional_grid_says_its_class(qtbot, window):
    sampler = sampler_panel(window)
    assert window.session.checkpoint.model.num_classes == 10
    sampler.count_box.setValue(12)
    click(qtbot, sampler.restart_button)
    # "each image its own": classes 0, 1, …, 9, 0, 1 in reading order
    assert caption_texts(sampler) == [str(i % 10) for i in range(12)]
    tiles = [(c.row, c.col) for c in sampler.grid.captions()]
    assert tiles[:2] == [(PAD, PAD), (PAD, PAD + 28 + PAD)]  # each tile's corner
    assert "class it was sampled as" in sampler.info.text()
    sampler.label_box.setCurrentIndex(sampler.label_box.findText("7"))
    assert caption_texts(sampler) == ["7"] * 12
    # the labels are painted: the corner of the first tile is no longer black
    image = sampler.grid.grab().toImage()
    corner = sampler.grid.cell_rect(PAD, PAD).center().toPoint()
    assert image.pixelColor(corner).lightness() > 150
    # the tooltip names the class too, and counts from 1
    assert sampler.grid.tooltip_text(PAD, PAD) == (
        "image 1 (class 7), row 1, column 1: not drawn yet"
    )


def test_an_unconditional_grid_has_no_class_labels(qtbot, window):
    sampler = sampler_panel(window)
    use_model(qtbot, window, "tiny-pixelcnn")
    assert not sampler.label_box.isEnabled()
    assert caption_texts(sampler) == []
    assert "class" not in sampler.info.text()


def test_step_play_and_restart_through_the_buttons(qtbot, window):
    sampler = sampler_panel(window)
    sampler.count_box.setValue(4)
    click(qtbot, sampler.step_button)
    assert sampler.step == 1 and sampler.progress.value() == 1
    # the first pixel in raster order, counted from 1
    assert sampler.info.text().startswith("step 1 of 784: row 1, column 1,")
    assert sampler.probability.format().startswith(f"{PROBABILITY} = 0.")
    click(qtbot, sampler.step_button)
    assert sampler.info.text().startswith("step 2 of 784: row 1, column 2,")

    click(qtbot, sampler.play_button)
    assert sampler.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: sampler.step > 2, timeout=10_000)
    click(qtbot, sampler.play_button)
    assert sampler.play_button.text() == "Play"
    paused_at = sampler.step
    assert f"step {paused_at} of 784" in sampler.info.text()

    click(qtbot, sampler.restart_button)
    assert sampler.step == 0 and sampler.progress.value() == 0
    assert sampler.info.text().startswith("Press Play")
    assert sampler.probability.format() == PROBABILITY  # no stale pixel
    assert sampler.probability.value() == 0


def test_no_stale_text_after_a_model_change(qtbot, window):
    sampler = sampler_panel(window)
    for _ in range(3):
        click(qtbot, sampler.step_button)
    assert "= 0." in sampler.probability.format()
    assert sampler.info.text().startswith("step 3 of 784")
    use_model(qtbot, window, "tiny-pixelcnn")
    assert sampler.step == 0
    assert sampler.probability.format() == PROBABILITY
    assert sampler.probability.value() == 0
    assert sampler.info.text().startswith("Press Play")
    assert sampler.grid.overlays() == []  # no current pixel marked


def test_no_stale_text_when_finished(qtbot, window):
    sampler = sampler_panel(window)
    sampler.count_box.setValue(4)
    sampler.speed_slider.setValue(100)
    with qtbot.waitSignal(sampler.finished, timeout=60_000):
        click(qtbot, sampler.play_button)
    assert sampler.step == 784 and sampler.progress.value() == 784
    assert sampler.play_button.text() == "Play"
    assert sampler.info.text().startswith("Done: all 784 pixels of 4 images drawn")
    assert sampler.probability.format() == PROBABILITY
    assert sampler.grid.overlays() == []
    assert caption_texts(sampler) == ["0", "1", "2", "3"]  # the labels stay
    values = sampler.grid.values()
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1)]:  # every tile drawn: no grey left
        top, left = PAD + r * (28 + PAD), PAD + c * (28 + PAD)
        assert np.isin(values[top : top + 28, left : left + 28], (0.0, 1.0)).all()
    click(qtbot, sampler.step_button)  # nothing left to draw: nothing changes
    assert sampler.step == 784 and sampler.info.text().startswith("Done")


def test_no_model_clears_everything(qtbot, window):
    sampler = sampler_panel(window)
    click(qtbot, sampler.step_button)
    window.session.forget(window.session.checkpoint.path)
    assert sampler.info.text().startswith("No model")
    assert sampler.probability.format() == PROBABILITY
    assert sampler.step == 0 and sampler.progress.value() == 0
    assert caption_texts(sampler) == [] and sampler.grid.overlays() == []
    for button in (
        sampler.play_button,
        sampler.step_button,
        sampler.restart_button,
        sampler.png_button,
        sampler.gif_button,
    ):
        assert not button.isEnabled()


def test_new_seed_gives_new_samples(qtbot, window):
    sampler = sampler_panel(window)
    sampler.seed_box.setValue(5)
    sampler.advance(784)
    first = sampler.grid.values()
    click(qtbot, sampler.new_seed_button)
    assert sampler.seed_box.value() != 5
    assert sampler.step == 0  # restarted with the new seed
    sampler.advance(784)
    assert not np.array_equal(sampler.grid.values(), first)


@pytest.mark.parametrize("kind", ["png", "gif"])
def test_export_buttons_write_the_files(qtbot, window, tmp_path, monkeypatch, kind):
    sampler = sampler_panel(window)
    sampler.count_box.setValue(4)
    sampler.advance(784)
    target = tmp_path / f"samples.{kind}"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "")
    )
    click(qtbot, sampler.png_button if kind == "png" else sampler.gif_button)
    assert target.is_file()
    assert window.statusBar().currentMessage().startswith(f"saved {target}")
    if kind == "png":  # 2 × 2 images of 28 pixels blown up 4×, 3 gaps between
        assert QImage(str(target)).width() == 2 * 28 * 4 + 3 * PAD
    else:
        assert QImageReader(str(target)).imageCount() > 10


@pytest.mark.parametrize("kind", ["png", "gif"])
def test_an_export_that_cannot_be_written_says_why(
    qtbot, window, tmp_path, monkeypatch, no_modal_dialogs, kind
):
    sampler = sampler_panel(window)
    sampler.count_box.setValue(4)
    sampler.advance(784)
    folder = tmp_path / f"samples.{kind}"
    folder.mkdir()  # a folder where the file would go
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(folder), "")
    )
    click(qtbot, sampler.png_button if kind == "png" else sampler.gif_button)
    assert len(no_modal_dialogs) == 1
    assert str(folder) in no_modal_dialogs[0]
    assert "folder" in no_modal_dialogs[0]
    assert folder.is_dir() and not any(folder.iterdir())


def test_complete_my_drawing_keeps_the_drawing(qtbot, window):
    drawing = np.zeros((28, 28))
    drawing[3:6, 10:14] = 1
    window.session.set_drawing(drawing)
    sampler = sampler_panel(window)
    sampler.count_box.setValue(2)
    click(qtbot, sampler.complete_box)
    assert sampler.complete_box.isChecked()
    click(qtbot, sampler.step_button)
    # kept: every pixel up to the drawing's last ink in raster order, (5, 13)
    kept = 5 * 28 + 14
    assert sampler.info.text().startswith("step 1 of 784: row 1, column 1 (given),")
    sampler.advance(784)
    tile = sampler.grid.values()[PAD : PAD + 28, PAD : PAD + 28]
    assert np.array_equal(tile.reshape(784)[:kept], drawing.reshape(784)[:kept])
