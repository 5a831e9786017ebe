"""Panel 6, context regions, driven through its widgets.

The contexts are computed in the background: every test waits for the panel's
``computed`` signal, and checks that the window was not blocked meanwhile (the
busy sign was up while the old picture stayed).
"""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from desktop_app.panels.context import CURRENT, ContextPanel
from desktop_app.widgets.pixel_grid import PixelGrid
from models.context import measured_context, theoretical_context
from tests.helpers import use_model

WAIT_MS = 60_000


def context_panel(window) -> ContextPanel:
    context = window.switch_to(ContextPanel)
    context.wait_until_computed(WAIT_MS)
    return context


def click_cell(qtbot, grid: PixelGrid, row: int, col: int) -> None:
    point: QPoint = grid.cell_rect(row, col).center().toPoint()
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=point)


def choose(qtbot, context: ContextPanel, index: int) -> None:
    """Pick a comparison in the box and wait for its contexts."""
    if context.pair_box.currentIndex() == index:
        return
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        context.pair_box.setCurrentIndex(index)


def layers_of(context: ContextPanel) -> list[int]:
    return [view.model.config.layers for view in context.views]


@pytest.mark.parametrize("pair", [0, 1])
def test_context_panel_marks_the_right_cells(qtbot, window, pair):
    context = context_panel(window)
    choose(qtbot, context, pair)
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        context.layers_slider.setValue(2)
    left, right = context.views
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        click_cell(qtbot, left.grid, 9, 4)
    for view in context.views:
        assert view.model.config.layers == 2
        assert view.grid.highlight() == (9, 4)
        theory = theoretical_context(view.model, (9, 4))
        assert np.array_equal(view.theoretical, theory)
        assert np.array_equal(view.measured, measured_context(view.model, (9, 4)))
        assert not view.violations.any()
        measured_overlay = view.grid.overlays()[2]
        assert np.array_equal(measured_overlay.mask, view.measured)
    if pair == 0:  # Row LSTM misses part of the past, Diagonal BiLSTM none
        assert "misses" in left.stats.text() and "misses" not in right.stats.text()
    else:  # PixelCNN has a blind spot, Gated PixelCNN none
        assert (
            "blind spot" in left.stats.text() and "blind spot" not in right.stats.text()
        )
    # the position the user clicked, counted from 1
    assert (
        window.statusBar().currentMessage()
        == "context of the pixel at row 10, column 5"
    )


def test_a_change_of_depth_runs_in_the_background_with_a_busy_sign(qtbot, window):
    context = context_panel(window)
    assert not context.busy.is_busy()
    before = layers_of(context)
    shown = [view.stats.text() for view in context.views]
    target = 5 if before[0] != 5 else 6
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        context.layers_slider.setValue(target)
        # the call returned at once: the old picture stays, under a busy sign
        assert context.busy.is_busy() and context.is_busy()
        assert layers_of(context) == before
        assert [view.stats.text() for view in context.views] == shown
        assert context.layers_label.text() == f"{target} layers"
    assert not context.busy.is_busy() and not context.is_busy()
    assert layers_of(context) == [target, target]
    # a deeper Row LSTM sees more of the past
    assert context.views[0].stats.text() != shown[0]


def test_a_slider_drag_is_computed_once_for_where_it_stops(qtbot, window):
    context = context_panel(window)
    slider = context.layers_slider
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        slider.setValue(4)
    jobs = context.worker.generation
    computed = []
    context.computed.connect(lambda: computed.append(layers_of(context)))
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        slider.setSliderDown(True)
        for layers in (5, 6, 7, 8):  # the handle moves through every step
            slider.setValue(layers)
            assert context.layers_label.text() == f"{layers} layers"
        slider.setSliderDown(False)  # released: the work starts now
    assert context.worker.generation == jobs + 1  # one job, not four
    assert computed == [[8, 8]]
    assert not context.busy.is_busy()


def test_image_size_and_kernel_rebuild_the_networks(qtbot, window):
    context = context_panel(window)
    choose(qtbot, context, 1)  # PixelCNN vs Gated PixelCNN
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        context.size_box.setValue(9)
    assert [view.grid.shape for view in context.views] == [(9, 9), (9, 9)]
    assert all(view.model.image_shape == (9, 9) for view in context.views)
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        context.kernel_box.setCurrentText("7")
    assert all(view.model.config.first_kernel == 7 for view in context.views)


def test_hovering_a_context_cell_says_what_it_is_counting_from_one(qtbot, window):
    context = context_panel(window)
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        context.select_pixel(8, 8)
    view = context.views[0]
    assert (
        view.describe(7, 8) == "Row 8, column 9: in the context (measured by autograd)"
    )
    assert view.describe(9, 0) == "Row 10, column 1: not generated yet"


def test_the_layer_slider_is_off_for_a_model_without_layers(qtbot, window):
    context = context_panel(window)
    slider = context.layers_slider
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        slider.setValue(3)
    assert slider.isEnabled()
    choose(qtbot, context, 2)  # the current model: a NADE, which has no layers
    assert window.session.checkpoint.model.kind == "nade"
    assert not slider.isEnabled()
    assert "no stacked layers" in slider.toolTip()
    assert context.layers_label.text() == "no layers"
    assert not context.size_box.isEnabled() and not context.kernel_box.isEnabled()
    assert "Fixed by the current model" in context.size_box.toolTip()

    use_model(qtbot, window, "tiny-pixelcnn")  # one residual block, as trained
    context.wait_until_computed(WAIT_MS)
    assert context.views[0].model.kind == "pixelcnn"
    assert not slider.isEnabled() and "trained with 1 layer;" in slider.toolTip()
    assert context.layers_label.text() == "1 layer (as trained)"
    assert slider.value() == 1

    choose(qtbot, context, 0)  # a pair again: the depth is the user's once more
    assert slider.isEnabled() and slider.value() == 3
    assert layers_of(context) == [3, 3]
    assert context.layers_label.text() == "3 layers"


def test_context_of_the_current_trained_model(qtbot, window):
    context = context_panel(window)
    choose(qtbot, context, 2)
    assert context.pair_box.currentText() == CURRENT
    assert not context.views[1].isVisible()
    view = context.views[0]
    assert view.model is window.session.checkpoint.model  # NADE, raster order
    assert "tiny-nade-classes" in view.title.text()
    with qtbot.waitSignal(context.computed, timeout=WAIT_MS):
        click_cell(qtbot, view.grid, 3, 5)
    past = np.zeros((28, 28), dtype=bool)
    past[:3] = True
    past[3, :5] = True
    assert np.array_equal(view.theoretical, past)  # NADE: the whole past
    assert not view.violations.any()
    assert view.stats.text().startswith(f"sees {past.sum()} of {past.sum()}")
    use_model(qtbot, window, "tiny-pixelcnn")
    assert context.is_busy()  # the NADE's picture is still up: so is its name
    assert "tiny-nade-classes" in view.title.text()
    context.wait_until_computed(WAIT_MS)
    assert context.views[0].model.kind == "pixelcnn"
    assert "PixelCNN" in context.views[0].title.text()
    assert context.views[0].grid.highlight() == (3, 5)


def test_no_current_model_says_so(qtbot, window):
    context = context_panel(window)
    choose(qtbot, context, 2)
    window.session.forget(window.session.checkpoint.path)
    assert "No current model" in context.views[0].title.text()
    assert context.views[0].model is None and not context.busy.is_busy()
    assert "No current model" in context.layers_slider.toolTip()
