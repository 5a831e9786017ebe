"""The parameter counter, driven through its widgets: table, detail, check, plot.

Sizes are typed into the boxes, rows chosen by clicking, *Verify with the real
model* clicked (it builds the torch model in the background), and what the
user sees read back: the table's rows and scroll bars, the detail text, the
verdict, the plot's axes, lines and legend.
"""

import math
from decimal import ROUND_HALF_UP, Context, Decimal

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop_app.panels.counter import MAX_BUILD, CounterPanel, abbreviate
from desktop_app.theme import theme
from models import counting

LEFT = Qt.MouseButton.LeftButton


def counter_panel(window) -> CounterPanel:
    return window.switch_to(CounterPanel)


def type_into(qtbot, box, text: str) -> None:
    box.selectAll() if hasattr(box, "selectAll") else box.clear()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def click_row(qtbot, counter, row: int) -> None:
    table = counter.table
    item = table.item(row, 0)
    table.scrollToItem(item)
    rect = table.visualItemRect(item)
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())
    assert table.currentRow() == row


def verify(qtbot, counter) -> str:
    assert counter.verify_button.isEnabled()
    qtbot.mouseClick(counter.verify_button, LEFT)
    qtbot.waitUntil(lambda: "torch:" in counter.verify_label.text(), timeout=30_000)
    return counter.verify_label.text()


def plotted(qtbot, counter) -> None:
    """Wait for the plot's counts (computed in the background) to be drawn."""
    qtbot.waitUntil(lambda: not counter.plotter.is_busy(), timeout=10_000)


def _rounded(value: int, significant: int = 4) -> tuple[str, int]:
    """Mantissa and exponent of ``value`` rounded by the decimal module."""
    rounded = Context(prec=significant, rounding=ROUND_HALF_UP).plus(Decimal(value))
    mantissa = rounded.scaleb(-rounded.adjusted())
    return f"{mantissa:.{significant - 1}f}", rounded.adjusted()


def test_abbreviate_gives_digits_and_the_exponent():
    assert abbreviate(785_284) == "785,284"
    assert abbreviate(2**784 - 1) == "1.017 × 10²³⁶ (237 digits)"
    assert abbreviate(10**12) == "1.000 × 10¹² (13 digits)"
    mantissa, exponent = _rounded(2**14400 - 1)
    assert exponent == 4334
    assert abbreviate(counting.full_joint(14400).magnitude) == (
        f"{mantissa} × 10⁴³³⁴ (4,335 digits)"
    )


@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)])
def test_every_row_shows_without_horizontal_scrolling(qtbot, window, size):
    counter = counter_panel(window)
    window.resize(*size)
    qtbot.wait(50)
    table = counter.table
    assert table.rowCount() == 10
    assert not table.horizontalScrollBar().isVisible()
    assert table.horizontalScrollBar().maximum() == 0
    last = table.rowCount() - 1
    bottom = table.rowViewportPosition(last) + table.rowHeight(last)
    assert bottom <= table.viewport().height()  # all ten rows in view
    # the long integer is short in the table and whole in the detail area
    metrics = table.fontMetrics()
    shown = table.item(0, 1).text()
    assert shown == "1.017 × 10²³⁶ (237 digits)"
    assert table.columnWidth(1) >= metrics.horizontalAdvance(shown)
    assert table.columnWidth(0) >= metrics.horizontalAdvance("Diagonal BiLSTM")
    assert f"{2**784 - 1:,}" in counter.detail.toPlainText()
    assert counter.plot.width() >= 200 and counter.plot.height() >= 180


def test_typing_a_size_updates_every_count(qtbot, window):
    counter = counter_panel(window)
    type_into(qtbot, counter.height_box, "3")
    click_row(qtbot, counter, 0)
    assert "2^84 − 1" in counter.detail.toPlainText()
    nade = next(i for i, c in enumerate(counter.counts()) if c.kind == "nade")
    assert counter.table.item(nade, 1).text() == f"{counting.nade(84, 500).value:,}"


def test_verify_checks_the_torch_count_on_28x28(qtbot, window):
    counter = counter_panel(window)
    nade = next(i for i, c in enumerate(counter.counts()) if c.kind == "nade")
    click_row(qtbot, counter, nade)
    text = verify(qtbot, counter)
    assert "✓ equal" in text and "785,284" in text
    assert "2·784·500 + 784 + 500" in text  # the formula beside the torch count


def test_verify_works_for_every_structure_of_a_2x2_image(qtbot, window):
    counter = counter_panel(window)
    type_into(qtbot, counter.height_box, "2")
    type_into(qtbot, counter.width_box, "2")
    for row, count in enumerate(counter.counts()):
        click_row(qtbot, counter, row)
        text = verify(qtbot, counter)
        assert "✓ equal" in text, (count.name, text)
        assert f"= {count.value:,}" in text
    # the full joint of 4 pixels: 2^4 − 1 = 15, built as the chain rule in full
    click_row(qtbot, counter, 0)
    text = verify(qtbot, counter)
    assert "Markov chain of order 3" in text and "= 15" in text


def test_verify_says_why_when_a_model_cannot_be_built(qtbot, window):
    counter = counter_panel(window)
    click_row(qtbot, counter, 0)  # the full joint of 784 pixels
    assert not counter.verify_button.isEnabled()
    assert "up to 13 pixels" in counter.verify_label.text()
    type_into(qtbot, counter.hidden_box, "100000")  # NADE: 156,884,784 numbers
    nade = next(i for i, c in enumerate(counter.counts()) if c.kind == "nade")
    assert counter.counts()[nade].value > MAX_BUILD
    click_row(qtbot, counter, nade)
    assert not counter.verify_button.isEnabled()
    assert "too large to build" in counter.verify_label.text()
    type_into(qtbot, counter.states_box, "3")
    assert counter.table.rowCount() == 3
    click_row(qtbot, counter, 1)
    assert not counter.verify_button.isEnabled()
    assert "binary pixels" in counter.verify_label.text()


def test_a_bad_made_size_is_marked(qtbot, window):
    counter = counter_panel(window)
    messages = []
    counter.status_message.connect(messages.append)
    counter.made_box.clear()
    qtbot.keyClicks(counter.made_box, "ten")
    qtbot.keyClick(counter.made_box, Qt.Key.Key_Return)
    assert "#fdd" in counter.made_box.styleSheet()
    assert "positive integers" in messages[-1]


def test_the_plot_has_labelled_legible_axes(qtbot, window):
    counter = counter_panel(window)
    plotted(qtbot, counter)
    item = counter.plot.getPlotItem()
    assert "log₁₀" in item.getAxis("left").labelString()
    assert "log scale" in item.getAxis("bottom").labelString()
    assert item.getAxis("bottom").logMode
    for name in ("left", "bottom"):
        assert "×" not in item.getAxis(name).labelString()  # no SI rescaling
    size = item.getAxis("left").style["tickFont"].pointSizeF()
    assert size >= 8
    try:  # presentation mode makes the ticks larger
        theme().set_zoom(1.5)
        assert item.getAxis("left").style["tickFont"].pointSizeF() > size
    finally:
        theme().set_zoom(1.0)
    assert counter.marker.label.format == "n = 784"


def test_no_line_hides_another(qtbot, window):
    counter = counter_panel(window)
    plotted(qtbot, counter)
    item = counter.plot.getPlotItem()
    lines = [d for d in item.listDataItems() if d.opts["pen"] is not None]
    by_name = {d.name(): d for d in lines}
    assert len(by_name) == 10
    colours = {d.opts["pen"].color().getRgb() for d in lines}
    assert len(colours) == 10  # one colour each
    # NADE (H = 500) and MADE (500) have the same count at every n
    nade, made = by_name["NADE"], by_name["MADE"]
    assert np.allclose(nade.getData()[1], made.getData()[1])
    assert made.opts["pen"].style() == Qt.PenStyle.DashLine
    assert made.opts["pen"].widthF() < nade.opts["pen"].widthF()
    markers = [
        d
        for d in item.listDataItems()
        if d.opts["pen"] is None
        and d.opts["symbolBrush"] is not None
        and pg_colour(d.opts["symbolBrush"]) == made.opts["pen"].color().getRgb()
    ]
    assert markers  # its own markers on the shared line
    assert "MADE (= NADE)" in counter.legend.texts()
    # the legend is beside the plot, not on it
    assert item.legend is None
    assert not counter.plot.geometry().intersects(counter.legend.geometry())
    # a different MADE size separates the two lines again
    type_into(qtbot, counter.made_box, "300")
    plotted(qtbot, counter)
    assert "MADE" in counter.legend.texts()


def pg_colour(brush) -> tuple[int, int, int, int]:
    import pyqtgraph as pg

    return pg.mkBrush(brush).color().getRgb()


def test_the_marker_follows_n(qtbot, window):
    counter = counter_panel(window)
    type_into(qtbot, counter.width_box, "10")
    assert counter.marker.value() == pytest.approx(math.log10(280))
    assert counter.marker.label.format == "n = 280"
    plotted(qtbot, counter)
    xs = counter.plot.getPlotItem().listDataItems()[0].getData()[0]  # log₁₀ n
    assert xs[0] == 0 and xs[-1] == pytest.approx(math.log10(2 * 280))


def test_counts_too_long_to_print_show_their_digits(qtbot, window):
    """A 120 × 120 image: 2^14400 − 1 has 4,335 digits; 256 × 256, K = 256: 157,827."""
    counter = counter_panel(window)
    type_into(qtbot, counter.height_box, "120")
    type_into(qtbot, counter.width_box, "120")
    click_row(qtbot, counter, 0)
    mantissa, _ = _rounded(2**14400 - 1)
    shown = counter.table.item(0, 1).text()
    assert shown == f"{mantissa} × 10⁴³³⁴ (4,335 digits)"
    metrics = counter.table.fontMetrics()
    assert counter.table.columnWidth(1) >= metrics.horizontalAdvance(shown)
    detail = counter.detail.toPlainText()
    assert "2^14400 − 1" in detail
    assert f"≈ {_rounded(2**14400 - 1, 12)[0]} × 10^4334" in detail
    assert "4,335 digits: too many to show each one" in detail
    # exact counts stay exact, with every digit
    fvsbn = next(i for i, c in enumerate(counter.counts()) if c.kind == "fvsbn")
    click_row(qtbot, counter, fvsbn)
    assert f"= {14400 * 14401 // 2:,}" in counter.detail.toPlainText()

    for box, text in ((counter.height_box, "256"), (counter.width_box, "256")):
        type_into(qtbot, box, text)
    type_into(qtbot, counter.states_box, "256")
    assert counter.table.rowCount() == 3
    click_row(qtbot, counter, 0)
    n_log = 65536 * Context(prec=50).log10(Decimal(256))  # 256^65536: ⌊n log K⌋ + 1
    digits = int(n_log) + 1
    assert counter.table.item(0, 1).text().endswith(f"({digits:,} digits)")
    assert f"({digits:,} digits: too many" in counter.detail.toPlainText()
    plotted(qtbot, counter)
    top = counter.plot.getPlotItem().listDataItems()[0].getData()[1][-1]
    assert top == pytest.approx(float(2 * n_log))  # the full joint at n = 2·65536


def test_a_refused_setting_replaces_the_counts_with_the_reason(qtbot, window):
    counter = counter_panel(window)
    messages = []
    counter.status_message.connect(messages.append)
    plotted(qtbot, counter)
    assert counter.table.rowCount() == 10 and not counter.problem.isVisible()
    for text, reason in (
        ("ten", "MADE hidden sizes must be comma-separated positive integers"),
        ("99999999999999", "MADE hidden sizes must be comma-separated"),
        ("5000000000000", "must be an integer from 1 to 1,000,000,000,000"),
    ):
        type_into(qtbot, counter.made_box, text)
        plotted(qtbot, counter)
        assert counter.problem.isVisible() and reason in counter.problem.text()
        assert reason in messages[-1]
        assert counter.table.rowCount() == 0 and not counter.table.isVisible()
        assert counter.detail.toPlainText() == ""
        assert not counter.verify_button.isEnabled()
        assert counter.plot.getPlotItem().listDataItems() == []
        assert counter.legend.texts() == []
    type_into(qtbot, counter.made_box, "300")
    plotted(qtbot, counter)
    assert not counter.problem.isVisible() and counter.table.isVisible()
    assert "MADE (300)" in [c.name for c in counter.counts()]
    assert len(counter.plot.getPlotItem().listDataItems()) >= 10
