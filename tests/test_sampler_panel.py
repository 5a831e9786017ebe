"""Panel 4, the sample viewer, driven through its buttons, read from its labels.

Every button is clicked; what a user reads after each click is checked: the
class printed on each image of a class-conditional grid, positions counted
from 1, and no line left over from an earlier model, batch or step.
"""

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import QFileDialog

from desktop_app.panels.sampler import EXPECTED, PAD, PROBABILITY, SamplerPanel
from tests.helpers import add_model, use_model


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


def test_complete_my_drawing_keeps_gray_strokes_on_the_model_s_levels(qtbot, window):
    add_model(window, "gray8", likelihood="categorical", levels=8)
    use_model(qtbot, window, "gray8")
    drawing = np.zeros((28, 28))
    drawing[3:6, 10:14] = [0.2, 0.5, 0.9, 1.0]  # soft-brush grays
    window.session.set_drawing(drawing)
    sampler = sampler_panel(window)
    sampler.count_box.setValue(2)
    click(qtbot, sampler.complete_box)
    sampler.advance(784)
    kept = 5 * 28 + 14  # up to the last ink in raster order
    expected = np.rint(drawing.reshape(784)[:kept] * 7) / 7  # the nearest of 8 levels
    shown = first_tile(sampler).reshape(784)[:kept]  # the grid shows 8-bit grays
    assert np.allclose(shown, expected, atol=0.5 / 255 + 1e-6)
    assert 0 < expected[3 * 28 + 10] < 1  # a gray kept as gray, not thresholded


# -- the predictive distribution of the pixel being drawn ------------------------------


def first_tile(sampler: SamplerPanel) -> np.ndarray:
    """The first image as the grid shows it (28 × 28, values in [0, 1])."""
    return sampler.grid.values()[PAD : PAD + 28, PAD : PAD + 28]


def params_at(model, image: np.ndarray, index: int) -> torch.Tensor:
    """The model's parameters at pixel ``index`` of ``image``, (C,)."""
    x = torch.from_numpy(image).float().view(1, 1, 28, 28)
    with torch.no_grad():
        return model(x)[0, :, index // 28, index % 28]


def drawn_so_far(sampler: SamplerPanel, pixels: int) -> np.ndarray:
    """The first image's first ``pixels`` raster pixels, the rest 0."""
    image = sampler.images()[0].reshape(784).copy()
    image[pixels:] = 0
    return image.reshape(28, 28)


def test_a_binary_pixel_shows_two_bars(qtbot, window):
    sampler = sampler_panel(window)
    use_model(qtbot, window, "tiny-pixelcnn")
    for _ in range(3):
        click(qtbot, sampler.step_button)
    levels, heights = sampler.distribution.bars()
    p = float(sampler.probability.format().removeprefix(f"{PROBABILITY} = "))
    assert list(levels) == [0.0, 1.0]
    assert heights[1] == pytest.approx(p, abs=5e-4)  # as the bar above says
    assert heights.sum() == pytest.approx(1.0)
    drawn = sampler.images()[0, 0, 2]  # the third pixel, raster order
    assert sampler.distribution.marked_value() == drawn
    assert sampler.distribution.drawn_bar() == int(drawn)
    assert "Bernoulli" in sampler.distribution.caption.text()
    assert "row 1, column 3" in sampler.distribution.caption.text()


def test_a_gray_pixel_shows_a_bar_per_level(qtbot, window):
    model = add_model(window, "gray-pixelcnn", likelihood="categorical", levels=8)
    sampler = sampler_panel(window)
    use_model(qtbot, window, "gray-pixelcnn")
    sampler.count_box.setValue(2)
    for _ in range(30):
        click(qtbot, sampler.step_button)
    # the bars are the model's softmax at pixel 30 given the 29 drawn before
    levels, heights = sampler.distribution.bars()
    expected = torch.softmax(params_at(model, drawn_so_far(sampler, 29), 29), 0)
    assert np.allclose(levels, np.arange(8) / 7)
    assert np.allclose(heights, expected.double().numpy(), atol=1e-6)
    value = sampler.images()[0, 1, 1]  # pixel 30 = row 2, column 2
    assert sampler.distribution.marked_value() == pytest.approx(value)
    assert sampler.distribution.drawn_bar() == round(value * 7)
    assert "8-way softmax" in sampler.distribution.caption.text()
    # the bar above and the text name the expected value, not p(x = 1)
    mean = float(expected.double() @ torch.arange(8, dtype=torch.float64) / 7)
    assert sampler.probability.format() == f"{EXPECTED} = {mean:.3f}"
    assert "E[x | x<sub>&lt;i</sub>]" in sampler.info.text()
    assert f"(level {round(value * 7)} of 0–7)" in sampler.info.text()
    # drawn in gray: every level a grey of its own (to the screen's 1/255)
    sampler.advance(784)
    images = sampler.images()
    assert np.allclose(images * 7, np.rint(images * 7))
    assert len(np.unique(images)) > 2
    assert np.abs(first_tile(sampler) - images[0]).max() <= 0.5 / 255
    assert sampler.grid.overlays() == []  # finished: nothing left to tint


def test_undrawn_pixels_of_a_gray_model_are_tinted(qtbot, window):
    add_model(window, "gray-pixelcnn", likelihood="categorical", levels=8)
    sampler = sampler_panel(window)
    use_model(qtbot, window, "gray-pixelcnn")
    sampler.count_box.setValue(1)
    for _ in range(5):
        click(qtbot, sampler.step_button)
    tint, current = sampler.grid.overlays()
    undrawn = tint.mask[PAD : PAD + 28, PAD : PAD + 28].reshape(784)
    assert tint.style == "fill" and current.style == "outline"
    assert not undrawn[:5].any() and undrawn[5:].all()
    assert sampler.grid.tooltip_text(PAD, PAD + 10) == (
        "image 1, row 1, column 11: not drawn yet"
    )
    assert sampler.grid.tooltip_text(PAD, PAD).startswith(
        f"image 1, row 1, column 1: {EXPECTED} = 0."
    )


def test_a_mixture_of_gaussians_shows_its_density_and_components(qtbot, window):
    model = add_model(window, "rnade-like", likelihood="gaussian_mixture", components=3)
    sampler = sampler_panel(window)
    use_model(qtbot, window, "rnade-like")
    for _ in range(40):
        click(qtbot, sampler.step_button)
    assert sampler.distribution.bars() is None
    grid, density = sampler.distribution.density()
    # a density on [0, 1]: it integrates to 1 there
    assert grid[0] == 0.0 and grid[-1] == 1.0
    assert np.trapezoid(density, grid) == pytest.approx(1.0, abs=1e-3)
    components = sampler.distribution.components()
    assert len(components) == 3
    assert np.allclose(np.sum(components, axis=0), density)
    # the weights are the model's softmax over its mixture logits at pixel 40
    weights = torch.softmax(params_at(model, drawn_so_far(sampler, 39), 39)[:3], 0)
    areas = [np.trapezoid(part, grid) for part in components]
    assert np.allclose(areas, weights.double().numpy(), atol=1e-3)
    # the sampled value is marked, and is the value in the image
    value = sampler.images()[0, 1, 11]  # pixel 40 = row 2, column 12
    assert 0 < value < 1
    assert sampler.distribution.marked_value() == pytest.approx(value)
    assert abs(first_tile(sampler)[1, 11] - value) <= 0.5 / 255  # drawn in gray
    assert "mixture of 3 Gaussians" in sampler.distribution.caption.text()
    assert sampler.info.text().endswith(f"→ {value:.3f}")
