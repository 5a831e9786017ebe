"""Panel 7, What it learned, driven through its widgets."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop_app.panels.features import FeaturesPanel
from tests.helpers import add_model, use_model


def features_panel(window) -> FeaturesPanel:
    return window.switch_to(FeaturesPanel)


def test_the_panel_shows_the_models_filters_and_names_the_hovered_unit(qtbot, window):
    use_model(qtbot, window, "tiny-nade-classes")
    panel = features_panel(window)
    assert "NADE: 8 units" in panel.model_label.text()
    assert len(panel.grid.items) == 8
    # the strongest filter first: the tile shows that unit's weights
    unit = panel.grid.labels[0]
    weights = window.session.checkpoint.model.weight_in[unit].detach().numpy()
    np.testing.assert_allclose(panel.grid.items[0].image.ravel(), weights)
    # the first tile covers view x, y in 0 … 28: point at its middle
    centre = panel.grid.getPlotItem().vb.mapViewToScene(QPointF(14, 14))
    point = panel.grid.mapFromScene(centre)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        QPointF(panel.grid.viewport().mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel.grid.viewport(), move)  # the pointer, no button
    qtbot.mouseMove(panel.grid.viewport(), point)
    assert panel.hover_label.text().startswith(f"unit {unit + 1}")


def test_contributions_sort_the_filters(qtbot, window):
    use_model(qtbot, window, "tiny-nade-classes")
    panel = features_panel(window)
    with qtbot.waitSignal(panel.sort_box.currentIndexChanged, timeout=60_000):
        qtbot.mouseClick(panel.contribution_button, Qt.MouseButton.LeftButton)
    assert panel.sort_box.currentText() == "by contribution"
    drops = panel.contributions[panel.grid.labels]
    assert list(drops) == sorted(drops, reverse=True)


def test_a_test_digit_shows_its_most_active_units(qtbot, window):
    use_model(qtbot, window, "tiny-nade-classes")
    panel = features_panel(window)
    with qtbot.waitSignal(panel.activations.busy_changed, timeout=30_000):
        panel.digit_box.clear()
        qtbot.keyClicks(panel.digit_box, "3")
    qtbot.waitUntil(lambda: not panel.activations.is_busy(), timeout=30_000)
    assert panel.source_box.currentText() == "test digit"
    assert "Most active: unit" in panel.activation_label.text()
    assert len(panel.top_grid.items) == 1 + 8  # the digit, then the units


def test_features_versus_pixels_plots_both_curves(qtbot, window):
    use_model(qtbot, window, "tiny-nade-classes")
    panel = features_panel(window)
    panel.label_counts, panel.rounds, panel.train_digits = (10, 0), 2, 200
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    assert panel.progress.isVisible() and panel.stop_button.isEnabled()
    qtbot.waitUntil(lambda: panel.comparison is not None, timeout=120_000)
    assert panel.comparison.label_counts == (10, 200)
    assert len(panel.plot.getPlotItem().listDataItems()) == 2
    assert "held-out digits" in panel.result_label.text()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=10_000)
    assert not panel.stop_button.isEnabled()


def test_stop_ends_the_comparison_without_a_result(qtbot, window):
    use_model(qtbot, window, "tiny-nade-classes")
    panel = features_panel(window)
    panel.label_counts, panel.rounds, panel.train_digits = (10, 0), 50, 400
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=60_000)
    assert panel.comparison is None
    assert panel.plot.getPlotItem().listDataItems() == []


def test_a_model_without_hidden_units_says_so(qtbot, window):
    add_model(window, "tiny-fvsbn", kind="fvsbn")
    use_model(qtbot, window, "tiny-fvsbn")
    panel = features_panel(window)
    assert "has no hidden features" in panel.model_label.text()
    assert not panel.compare_button.isEnabled()
    assert panel.grid.items == []


def test_a_spatial_model_shows_feature_maps_of_a_chosen_layer(qtbot, window):
    use_model(qtbot, window, "tiny-pixelcnn")
    panel = features_panel(window)
    assert "kernels" in panel.model_label.text()
    panel.source_box.setCurrentIndex(1)
    panel.layer_box.setCurrentIndex(2)  # maps: layer 1
    qtbot.waitUntil(
        lambda: "Feature maps" in panel.activation_label.text(), timeout=30_000
    )
    assert len(panel.top_grid.items) == 1 + 4  # the digit, then 4 channels


def test_a_model_chosen_elsewhere_is_followed_when_the_panel_is_shown(qtbot, window):
    from desktop_app.panels.canvas import CanvasPanel

    add_model(window, "tiny-made", kind="made", hidden_sizes=(16,))
    panel = features_panel(window)
    use_model(qtbot, window, "tiny-nade-classes")
    assert "NADE: 8 units" in panel.model_label.text()
    window.switch_to(CanvasPanel)
    use_model(qtbot, window, "tiny-made")  # chosen while the canvas is on show
    # nothing was computed for a panel nobody sees
    assert panel.checkpoint.name == "tiny-nade-classes"
    assert len(panel.grid.items) == 8
    features_panel(window)
    assert panel.checkpoint.name == "tiny-made"
    assert "MADE" in panel.model_label.text()
    assert len(panel.grid.items) == 16
