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

from desktop_app.panels.counter import (
    HEADS,
    MAX_BUILD,
    CounterPanel,
    PixelHead,
    abbreviate,
    structures,
)
from desktop_app.theme import theme
from models import counting
from models.errors import ConfigError
from models.markov import MAX_CONTEXTS
from models.registry import create, model_class

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
    assert "up to 17 pixels" in counter.verify_label.text()
    type_into(qtbot, counter.hidden_box, "100000")  # NADE: 156,884,784 numbers
    nade = next(i for i, c in enumerate(counter.counts()) if c.kind == "nade")
    assert counter.counts()[nade].value > MAX_BUILD
    click_row(qtbot, counter, nade)
    assert not counter.verify_button.isEnabled()
    assert "too large to build" in counter.verify_label.text()
    # three levels and a window of 11: 3^11 contexts a pixel, too many numbers
    type_into(qtbot, counter.hidden_box, "500")
    type_into(qtbot, counter.states_box, "3")
    type_into(qtbot, counter.order_box, "11")
    markov = next(i for i, c in enumerate(counter.counts()) if c.kind == "markov")
    assert counter.counts()[markov].value == counting.markov(784, 11, 3).value
    click_row(qtbot, counter, markov)
    assert not counter.verify_button.isEnabled()
    numbers = counting.markov(784, 11, 3).value
    assert f"{numbers:,} numbers" in counter.verify_label.text()
    assert "too large to build" in counter.verify_label.text()
    click_row(qtbot, counter, 0)  # the full joint of 784 three-level pixels
    assert "For K = 3 the library builds orders up to 10" in (
        counter.verify_label.text()
    )


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
    assert counter.table.rowCount() == 9  # every structure but the binary FVSBN
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


# -- K levels and the continuous heads -----------------------------------------


def choose_head(qtbot, counter, likelihood: str) -> None:
    """Pick a pixel head in the combo box, by keyboard, as a user would."""
    box = counter.head_box
    box.setFocus()
    for _ in range(box.count()):
        qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.currentIndex() == 0
    for _ in range(box.count()):
        if box.currentData() == likelihood:
            return
        qtbot.keyClick(box, Qt.Key.Key_Down)
    raise AssertionError(f"no head {likelihood!r}")


@pytest.mark.parametrize(
    "states, head, components",
    [("3", "categorical", None), ("4", "gaussian_mixture", "2")],
)
def test_verify_agrees_with_the_models_for_k_levels_and_mixtures(
    qtbot, window, states, head, components
):
    counter = counter_panel(window)
    type_into(qtbot, counter.height_box, "2")
    type_into(qtbot, counter.width_box, "2")
    type_into(qtbot, counter.hidden_box, "7")
    type_into(qtbot, counter.made_box, "9,5")
    type_into(qtbot, counter.states_box, states)
    choose_head(qtbot, counter, head)
    if components is not None:
        assert counter.components_box.isEnabled()
        type_into(qtbot, counter.components_box, components)
    else:
        assert not counter.components_box.isEnabled()
    kinds = [c.kind for c in counter.counts()]
    assert kinds[0] is None and "fvsbn" not in kinds
    for row, count in enumerate(counter.counts()):
        click_row(qtbot, counter, row)
        text = verify(qtbot, counter)
        assert "✓ equal" in text, (count.name, text)
        assert f"= {count.value:,}" in text
        if count.kind is not None:  # the model was built with this head
            assert dict(count.settings)["likelihood"] == head
    # the full joint of four 3-level (or 4-level) pixels, as a Markov chain
    k = int(states)
    assert counter.counts()[0].value == k**4 - 1


def test_the_note_says_what_each_head_costs_and_who_lacks_it(qtbot, window):
    counter = counter_panel(window)
    assert not counter.head_note.isVisible()  # binary pixels: nothing to say
    nade_colour = counter.table.item(4, 0).foreground().color()
    type_into(qtbot, counter.states_box, "4")
    note = counter.head_note
    assert note.isVisible() and "P = K = 4" in note.text()
    assert "Not built with a softmax over K levels: FVSBN." in note.text()
    nade = next(i for i, c in enumerate(counter.counts()) if c.kind == "nade")
    assert counter.counts()[nade].value == counting.nade(784, 500, 0, 4).value
    # NADE keeps its colour when the FVSBN row before it leaves
    assert counter.table.item(nade, 0).foreground().color() == nade_colour

    choose_head(qtbot, counter, "gaussian_mixture")
    type_into(qtbot, counter.components_box, "5")
    assert "P = 3M = 15 (M = 5 Gaussians)" in note.text()
    assert "independent, Markov AR-1, FVSBN" in note.text()
    kinds = [c.kind for c in counter.counts()]
    assert kinds == [None, "nade", "made", *SPATIAL]
    nade = kinds.index("nade")
    assert counter.counts()[nade].value == counting.nade(784, 500, 0, 15).value
    assert "P = 15" in counter.table.item(nade, 0).text()
    plotted(qtbot, counter)
    assert counter.legend.texts()[:2] == ["fully dependent", "NADE"]

    choose_head(qtbot, counter, "logistic_mixture")
    assert [c.kind for c in counter.counts()] == [None, *SPATIAL]
    assert "NADE, MADE" in note.text()


SPATIAL = ["pixelcnn", "gated_pixelcnn", "row_lstm", "diagonal_bilstm"]


@pytest.mark.parametrize("levels", [2, 3, 256])
@pytest.mark.parametrize("head", [name for name, _ in HEADS])
def test_each_row_is_the_count_of_the_model_it_names(head, levels):
    """Without the GUI: every row builds a model with exactly that many numbers."""
    found = structures(
        levels,
        PixelHead.of(head, levels, 3),
        markov_order=2,
        nade_hidden=7,
        made_hidden=(9, 5),
        channels=4,
    )
    shape = (2, 3)
    counts = found.count(6)
    assert counts[0] == counting.full_joint(6, levels)
    likelihood = "bernoulli" if (head, levels) == ("categorical", 2) else head
    for count in counts[1:]:
        if count.kind == "markov" and levels**2 > MAX_CONTEXTS:  # counted, not built
            assert count.value == counting.markov(6, 2, levels).value
            with pytest.raises(ConfigError, match="contexts per pixel"):
                create(count.kind, shape, **dict(count.settings))
            continue
        model = create(count.kind, shape, **dict(count.settings))
        assert model.likelihood.name == likelihood
        assert model.num_parameters() == count.value, count.name
    every = counting.summary(6, markov_order=2, nade_hidden=7, made_hidden=(9, 5))
    names = [c.name.split(" (")[0] for c in every[1:]]
    shown = [c.kind for c in counts[1:]]
    for kind, name in zip([c.kind for c in every[1:]], names, strict=True):
        declared = likelihood in model_class(kind).config_class.supported_likelihoods
        assert (kind in shown) == declared == (name not in found.left_out)
    assert [found.slots[i] for i in range(len(counts))] == sorted(found.slots)
