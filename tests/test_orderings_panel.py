"""Panel 2, orderings, driven through its buttons, read from its labels.

Every button is clicked and its visible effect checked; positions read from 1.
"""

import numpy as np
from PySide6.QtCore import Qt

from desktop_app.panels.orderings import OrderingPanel
from models.orderings import make_ordering, ranks


def orderings_panel(window) -> OrderingPanel:
    return window.switch_to(OrderingPanel)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_cell(qtbot, panel: OrderingPanel, row: int, col: int) -> None:
    point = panel.grid.cell_rect(row, col).center().toPoint()
    qtbot.mouseClick(panel.grid, Qt.MouseButton.LeftButton, pos=point)


def test_a_clicked_pixel_is_named_from_one(qtbot, window):
    orderings = orderings_panel(window)
    orderings.ordering_box.setCurrentText("snake")
    click_cell(qtbot, orderings, 1, 0)  # snake: the second row runs right to left
    text = orderings.info.text()
    assert "row 2, column 1" in text
    assert "<b>16th</b>: step 16 of 64" in text
    assert "on the <b>15</b> earlier pixels" in text
    assert orderings.grid.tooltip_text(1, 0) == "row 2, column 1: generated 16th"
    assert orderings.grid.tooltip_text(0, 0) == "row 1, column 1: generated 1st"
    # the numbers on the cells count from 1 too
    labels = orderings.grid.labels()
    expected = ranks(make_ordering("snake", (8, 8))) + 1
    assert np.array_equal(labels.astype(int).reshape(-1), expected)


def test_numbers_box_shows_and_hides_the_positions(qtbot, window):
    orderings = orderings_panel(window)
    assert orderings.numbers_box.isChecked()
    assert orderings.grid.labels() is not None
    click(qtbot, orderings.numbers_box)
    assert orderings.grid.labels() is None
    click(qtbot, orderings.numbers_box)
    assert orderings.grid.labels()[0, 0] == "1"


def test_animate_path_draws_the_path_and_stops_on_a_click(qtbot, window):
    orderings = orderings_panel(window)
    orderings.speed_slider.setValue(60)
    assert orderings.grid.path() == []
    click(qtbot, orderings.play_button)
    assert orderings.play_button.isChecked()
    qtbot.waitUntil(lambda: len(orderings.grid.path()) >= 3, timeout=10_000)
    path = orderings.grid.path()
    assert path[:3] == [(0, 0), (0, 1), (0, 2)]  # raster order, from the start
    click(qtbot, orderings.play_button)
    assert not orderings.play_button.isChecked()
    assert orderings.grid.path() == []  # the whole ordering is shown again


def test_record_custom_order_by_clicking_every_pixel(qtbot, window):
    orderings = orderings_panel(window)
    orderings.height_box.setValue(2)
    orderings.width_box.setValue(2)
    click(qtbot, orderings.custom_button)
    assert orderings.custom_button.isChecked()
    assert orderings.info.text() == "Custom order: 0 of 4 pixels clicked."
    clicks = [(1, 1), (0, 0), (1, 0), (0, 1)]
    for n, (r, c) in enumerate(clicks[:3], start=1):
        click_cell(qtbot, orderings, r, c)
        assert orderings.info.text() == f"Custom order: {n} of 4 pixels clicked."
    assert orderings.grid.labels()[1, 1] == "1"  # numbered from 1 as clicked
    click_cell(qtbot, orderings, *clicks[3])
    assert not orderings.custom_button.isChecked()
    assert orderings.ordering_box.currentText() == "custom"
    assert [int(p) for p in orderings.order] == [r * 2 + c for r, c in clicks]
    click_cell(qtbot, orderings, 1, 0)
    assert "row 2, column 1" in orderings.info.text()
    assert "step 3 of 4" in orderings.info.text()


def test_stopping_a_custom_order_early_keeps_the_order_shown(qtbot, window):
    orderings = orderings_panel(window)
    orderings.ordering_box.setCurrentText("spiral")
    click(qtbot, orderings.custom_button)
    click_cell(qtbot, orderings, 3, 3)
    click(qtbot, orderings.custom_button)  # stop before every pixel is clicked
    assert not orderings.custom_button.isChecked()
    assert orderings.ordering_box.currentText() == "spiral"
    assert np.array_equal(orderings.order, make_ordering("spiral", (8, 8)))
    assert "not finished (1 of 64" in window.statusBar().currentMessage()


def test_choosing_custom_without_an_order_starts_recording(qtbot, window):
    orderings = orderings_panel(window)
    orderings.ordering_box.setCurrentText("custom")
    assert orderings.custom_button.isChecked()
    click(qtbot, orderings.custom_button)  # gave up: back to what is shown
    assert orderings.ordering_box.currentText() == "raster"


def test_shrinking_the_grid_while_recording_starts_the_custom_order_again(
    qtbot, window
):
    orderings = orderings_panel(window)
    orderings.height_box.setValue(6)
    orderings.width_box.setValue(6)
    click(qtbot, orderings.custom_button)
    click_cell(qtbot, orderings, 5, 5)  # pixel 36 of the 6×6 grid
    click_cell(qtbot, orderings, 4, 2)
    orderings.height_box.setValue(2)  # a 2×6 grid has no pixel 36
    orderings.width_box.setValue(2)
    assert orderings.custom_button.isChecked()
    assert orderings.info.text() == "Custom order: 0 of 4 pixels clicked."
    assert "click the custom order again" in window.statusBar().currentMessage()
    orderings.ordering_box.setCurrentText("custom")  # redraws the recording
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        click_cell(qtbot, orderings, r, c)
    assert [int(p) for p in orderings.order] == [0, 1, 2, 3]
