"""The training monitor, driven through its widgets, and the run history it draws.

Real short runs (a tiny MADE, a few batches of mnist-5k) through the app's one
worker mechanism; clicks on Start, Pause, Stop, Use this model and Clear old
runs; the plot read back as the user sees it (curves, axis ranges, tick labels,
legend, reference labels). The run history's axis fitting is checked without
Qt as well.
"""

import gzip
import itertools
import math
import os
import time

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop_app.panels.run_history import RunHistory, fit_range, nice_epoch_range
from desktop_app.panels.training import TrainingPanel, spread_labels
from desktop_app.theme import SERIES
from models.published import PUBLISHED
from models.trainer import (
    CheckpointSaved,
    EpochEnded,
    RunEnded,
    RunStarted,
    StepReported,
)

LEFT = Qt.MouseButton.LeftButton


def training_panel(window) -> TrainingPanel:
    return window.switch_to(TrainingPanel)


def tiny_run(training, *, epochs=2, batches=3, name=""):
    training.set_kind("made")
    training.settings.set_values({"hidden_sizes": (16,)})
    training.epochs_box.setValue(epochs)
    training.max_batches_box.setValue(batches)
    training.batch_box.setValue(32)
    training.name_edit.setText(name)


def reported(training) -> bool:
    return any(isinstance(e, StepReported) for e in training.events)


def saved(training) -> bool:
    return any(isinstance(e, CheckpointSaved) and not e.best for e in training.events)


# -- without Qt: the history and the axis fit ------------------------------------------


def steps(values, per_epoch=10):
    return [
        StepReported(
            i // per_epoch + 1, i % per_epoch + 1, per_epoch, i + 1, v, 0, 1, 1, 1
        )
        for i, v in enumerate(values)
    ]


def test_history_records_fractional_epochs_and_the_latest_checkpoint(tmp_path):
    history = RunHistory()
    run = history.start("a", 784)
    run.apply(RunStarted(0, 2, 10, 100))
    for event in steps([500, 400, 300]):
        run.apply(event)
    assert [x for x, _ in run.steps] == pytest.approx([0.1, 0.2, 0.3])
    run.apply(CheckpointSaved(1, tmp_path / "a", best=False))
    run.apply(CheckpointSaved(1, tmp_path / "a-best", best=True))
    assert run.checkpoint == tmp_path / "a"  # the latest epoch's, not the best
    run.apply(RunEnded("cancelled", 1, "stopped by request"))
    again = history.start("b", 784)
    assert again.colour_index == 1 and history.current is again
    assert history.clear_ended() == [run] and history.runs == [again]


def test_a_diverging_run_does_not_flatten_the_others():
    calm = [540 - 4 * i for i in range(100)]  # 540 → 144 nats
    diverging = [540 * 1.3**i for i in range(40)]  # up to ~15 million
    fit = fit_range([calm, diverging])
    assert fit.high < 700  # the calm run fills the axis
    assert fit.low < 144
    assert [i for i, _ in fit.off_scale] == [1]
    assert fit.off_scale[0][1] == pytest.approx(max(diverging))
    # a single run is shown whole, however wild
    assert fit_range([diverging]).high >= np.percentile(diverging, 98)
    # a brief spike inside a run does not stretch the axis either
    spiky = [*calm[:50], 300_000.0, *calm[50:]]
    assert fit_range([spiky]).high < 700
    # on a log axis everything is shown
    log = fit_range([calm, diverging], log=True)
    assert log.off_scale == () and log.high >= math.log10(max(diverging))
    # non-finite values are ignored, extra values (reference lines) included
    assert fit_range([[float("nan"), 100.0, math.inf]], extra=[80.0]).low < 80


def test_epoch_axis_spans_at_least_the_first_epoch():
    assert nice_epoch_range(0.03) == (0.0, 1.0)
    low, high = nice_epoch_range(2.4)
    assert low == 0 and high >= 2.4


def test_close_reference_labels_are_spread_apart():
    from PySide6.QtCore import QRectF

    bounds = QRectF(0, 0, 100, 200)
    texts = [(QRectF(0, 100 + d, 80, 14), 0, f"t{d}") for d in (0, 3, 6)]
    spread = spread_labels(texts, bounds)
    tops = sorted(rect.top() for rect, _, _ in spread)
    assert all(b - a >= 14 for a, b in itertools.pairwise(tops))
    assert [text for _, _, text in spread] == ["t0", "t3", "t6"]
    at_bottom = [(QRectF(0, 190, 80, 14), 0, "x"), (QRectF(0, 192, 80, 14), 0, "y")]
    assert all(bounds.contains(r) for r, _, _ in spread_labels(at_bottom, bounds))


# -- real runs through the panel -------------------------------------------------------


def test_a_short_run_draws_curves_saves_and_is_used(qtbot, window):
    training = training_panel(window)
    tiny_run(training, name="short-run")
    assert not training.use_button.isEnabled()  # no run, no checkpoint
    with qtbot.waitSignal(training.run_ended, timeout=120_000) as ended:
        qtbot.mouseClick(training.start_button, LEFT)
        assert not training.start_button.isEnabled()
    assert ended.args[0].status == "finished"
    qtbot.waitUntil(lambda: not training.is_running(), timeout=10_000)
    [(_, loss, valid)] = training.curves()
    xs, ys = valid.getData()
    assert list(xs) == [1.0, 2.0] and np.all(np.isfinite(ys))
    loss_x, _ = loss.getData()
    assert len(loss_x) >= 2 and loss_x.max() <= 2.0
    assert loss.opts["pen"].color().getRgb()[:3] == SERIES[0]
    assert training.progress.value() == training.progress.maximum()
    text = training.speed_label.text()
    assert "finished after 2 of 2 epochs" in text and "ETA" not in text
    assert "short-run" in training.legend.texts()
    assert "short-run" in [e.name for e in window.session.entries()]
    assert training.start_button.isEnabled()
    with qtbot.waitSignal(window.session.model_changed, timeout=10_000):
        qtbot.mouseClick(training.use_button, LEFT)
    assert "short-run" in window.model_label.text()


def test_the_epoch_axis_reads_in_epochs_during_epoch_one(qtbot, window):
    training = training_panel(window)
    tiny_run(training, epochs=1, batches=0)
    training.batch_box.setValue(8)  # 500 batches: the first reports come mid-epoch
    qtbot.mouseClick(training.start_button, LEFT)
    qtbot.waitUntil(lambda: reported(training), timeout=60_000)
    qtbot.mouseClick(training.pause_button, LEFT)
    assert training.pause_button.text() == "Resume"
    [(_, loss, _)] = training.curves()
    xs, _ = loss.getData()
    assert 0 < xs.min() and xs.max() < 1  # fractional epochs
    axis = training.plot.getPlotItem().getAxis("bottom")
    assert tuple(axis.range) == pytest.approx((0.0, 1.0))
    assert "epoch" in axis.labelString() and "×" not in axis.labelString()
    assert axis.autoSIPrefixScale == 1.0
    ticks = [value for _, values in axis.tickValues(0, 1, 400) for value in values]
    labels = axis.tickStrings(ticks, 1.0, ticks[1] - ticks[0])
    assert "0.5" in labels and all(0 <= float(text) <= 1 for text in labels)
    with qtbot.waitSignal(training.run_ended, timeout=30_000):
        qtbot.mouseClick(training.stop_button, LEFT)  # stops a paused run too


def test_pause_holds_the_run_and_stop_clears_the_eta(qtbot, window):
    training = training_panel(window)
    tiny_run(training, epochs=50, batches=0)
    qtbot.mouseClick(training.start_button, LEFT)
    qtbot.waitUntil(lambda: "ETA" in training.speed_label.text(), timeout=60_000)
    qtbot.mouseClick(training.pause_button, LEFT)
    assert training.pause_button.text() == "Resume"
    assert "ETA" not in training.speed_label.text()  # no clock while paused
    assert "paused" in training.speed_label.text()
    control = training.control
    qtbot.waitUntil(lambda: control.holding, timeout=30_000)  # the batch ended
    qtbot.wait(100)  # what it reported before holding arrives
    count = len(training.events)
    time.sleep(0.5)
    qtbot.wait(100)
    assert len(training.events) == count  # held: nothing more happens
    qtbot.mouseClick(training.pause_button, LEFT)
    assert training.pause_button.text() == "Pause"
    qtbot.waitUntil(lambda: len(training.events) > count, timeout=30_000)
    with qtbot.waitSignal(training.run_ended, timeout=30_000) as ended:
        qtbot.mouseClick(training.stop_button, LEFT)
    assert ended.args[0].status == "cancelled"
    qtbot.waitUntil(lambda: not training.is_running(), timeout=10_000)
    assert "ETA" not in training.speed_label.text()
    assert "stopped" in training.speed_label.text()
    assert training.start_button.isEnabled() and not training.stop_button.isEnabled()
    assert any("(stopped)" in text for text in training.legend.texts())


def test_use_this_model_applies_the_run_now_training(qtbot, window):
    training = training_panel(window)
    tiny_run(training, epochs=1, batches=2, name="first-run")
    with qtbot.waitSignal(training.run_ended, timeout=120_000):
        qtbot.mouseClick(training.start_button, LEFT)
    qtbot.waitUntil(lambda: not training.is_running(), timeout=10_000)
    assert training.use_button.isEnabled()
    before = window.model_label.text()
    tiny_run(training, epochs=50, batches=0, name="second-run")
    qtbot.mouseClick(training.start_button, LEFT)
    # the new run has written nothing yet: nothing to use (once: the first run)
    assert not training.use_button.isEnabled()
    qtbot.mouseClick(training.use_button, LEFT)
    qtbot.wait(50)
    assert window.model_label.text() == before
    qtbot.waitUntil(lambda: saved(training), timeout=60_000)
    assert training.use_button.isEnabled()
    with qtbot.waitSignal(window.session.model_changed, timeout=10_000):
        qtbot.mouseClick(training.use_button, LEFT)
    assert "second-run" in window.model_label.text()
    assert "first-run" not in window.model_label.text()
    with qtbot.waitSignal(training.run_ended, timeout=30_000):
        qtbot.mouseClick(training.stop_button, LEFT)


def test_clear_old_runs_removes_ended_runs_curves(qtbot, window):
    training = training_panel(window)
    tiny_run(training, epochs=1, batches=2, name="old-run")
    assert not training.clear_runs_button.isEnabled()
    with qtbot.waitSignal(training.run_ended, timeout=120_000):
        qtbot.mouseClick(training.start_button, LEFT)
    qtbot.waitUntil(lambda: training.clear_runs_button.isEnabled(), timeout=10_000)
    items = training.plot.getPlotItem().listDataItems()
    assert {item.name() for item in items} == {"old-run train", "old-run valid"}
    qtbot.mouseClick(training.clear_runs_button, LEFT)
    assert training.plot.getPlotItem().listDataItems() == []
    assert "old-run" not in training.legend.texts()
    assert not training.clear_runs_button.isEnabled()


def test_closing_the_window_mid_run_stops_it(qtbot, window):
    training = training_panel(window)
    tiny_run(training, epochs=50, batches=0)
    qtbot.mouseClick(training.start_button, LEFT)
    qtbot.waitUntil(lambda: reported(training), timeout=60_000)
    window.close()  # stops the run and waits for it
    assert not training.is_running()


def test_bad_settings_are_named_and_nothing_starts(qtbot, window, no_modal_dialogs):
    training = training_panel(window)
    qtbot.waitUntil(lambda: not training.is_loading(), timeout=30_000)
    training.set_kind("made")
    training.settings.set_values({"hidden_sizes": "ten"})
    qtbot.mouseClick(training.start_button, LEFT)
    assert "hidden" in no_modal_dialogs[-1]
    assert not training.is_running() and training.start_button.isEnabled()


# -- the plot's readability ------------------------------------------------------------


def feed(run, values, valid=()):
    run.apply(RunStarted(0, 3, 10, 100))
    for event in steps(values):
        run.apply(event)
    for epoch, nll in enumerate(valid, 1):
        run.apply(EpochEnded(epoch, nll, nll, 0.2, 0.2, 1.0, 100.0))
    run.apply(RunEnded("finished", 3))


def test_a_diverging_run_is_named_off_the_top_and_log_scale_shows_it(qtbot, window):
    training = training_panel(window)
    feed(training.history.start("calm", 784), [540 - 10 * i for i in range(30)])
    feed(training.history.start("wild", 784), [540 * 1.5**i for i in range(30)])
    training.redraw()
    view = training.plot.getPlotItem().getViewBox()
    low, high = view.viewRange()[1]
    assert high < 1000 and low < 250  # the calm run fills the plot
    assert training.range_note.isVisible()
    assert (
        "wild" in training.range_note.text()
        and "log scale" in training.range_note.text()
    )
    qtbot.mouseClick(training.log_box, LEFT, pos=training.log_box.rect().center())
    assert training.log_box.isChecked()
    assert training.plot.getPlotItem().getAxis("left").logMode
    low, high = view.viewRange()[1]
    assert high >= math.log10(540 * 1.5**29)  # the wild run is in view
    assert not training.range_note.isVisible()
    # the reference labels sit at the log of their values
    ticks = training.reference_axis.labels()
    nade = PUBLISHED["nade"].nll_nats
    assert f"NADE {nade:.2f}" in ticks.values()
    assert math.log10(nade) in ticks


def test_the_log_choice_is_remembered(qtbot, window, library_dirs):
    from desktop_app.app import MainWindow
    from desktop_app.session import Session
    from models.library import Library

    training = training_panel(window)
    qtbot.mouseClick(training.log_box, LEFT, pos=training.log_box.rect().center())
    window.close()
    again = MainWindow(Session(Library(*library_dirs)), window.settings)
    qtbot.addWidget(again)
    assert training_panel(again).log_box.isChecked()


def test_published_lines_are_labelled_and_units_follow(qtbot, window):
    training = training_panel(window)
    axis = training.reference_axis
    assert axis.isVisible()
    labels = axis.label_texts()
    for result in PUBLISHED.values():
        name = result.model.split(",")[0].replace("Diagonal ", "Diag. ")
        assert f"{name} {result.nll_nats:.2f}" in labels
    training.units_box.setCurrentText("bits/dim")
    assert "bits/dim" in training.plot.getPlotItem().getAxis("left").labelString()
    assert any("0.16" in text for text in axis.label_texts())  # NADE: 88.86 nats
    qtbot.mouseClick(
        training.reference_box, LEFT, pos=training.reference_box.rect().center()
    )
    assert not training.reference_box.isChecked() and not axis.isVisible()


def test_the_legend_is_beside_the_plot_not_on_it(qtbot, window):
    training = training_panel(window)
    feed(training.history.start("a-run", 784), [540, 400, 300], [350, 320, 300])
    training.redraw()
    window.resize(1024, 700)
    qtbot.wait(50)
    assert training.plot.getPlotItem().legend is None  # nothing drawn on the curves
    plot = training.plot.geometry()
    legend = training.legend.geometry()
    assert training.legend.parent() is training.plot.parent()
    assert not plot.intersects(legend)
    assert training.legend.isVisible() and "a-run" in training.legend.texts()


@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)])
def test_the_plot_stays_readable_at_classroom_sizes(qtbot, window, size):
    training = training_panel(window)
    window.resize(*size)
    qtbot.wait(50)
    assert training.plot.width() >= 250 and training.plot.height() >= 200
    assert training.legend.isVisible()
    assert training.start_button.isVisible() and training.use_button.isVisible()


# -- data ------------------------------------------------------------------------------


def open_data_action(window):
    for menu in window.menuBar().actions():
        for item in menu.menu().actions():
            if item.text().replace("&", "") == "Open data…":
                return item
    raise AssertionError("no File → Open data…")


def test_open_data_reads_a_file_in_the_background(qtbot, window, tmp_path, monkeypatch):
    training = training_panel(window)
    images = (np.random.default_rng(0).random((40, 28, 28)) * 255).astype(np.uint8)
    path = tmp_path / "my-digits.npz"
    np.savez(path, train=images[:30], valid=images[30:])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.show_panel(0)
    open_data_action(window).trigger()
    assert window.current_panel() is training
    assert training.data_box.currentText() == "my-digits.npz"
    qtbot.waitUntil(lambda: not training.is_loading(), timeout=30_000)
    assert "30 to train, 10 held out" in training.data_info.text()
    assert not training.data_busy.is_busy()


def test_a_bad_data_file_is_named_and_the_previous_choice_stays(
    qtbot, window, tmp_path, no_modal_dialogs
):
    training = training_panel(window)
    qtbot.waitUntil(lambda: not training.is_loading(), timeout=30_000)
    messages = []
    training.status_message.connect(messages.append)
    bad = tmp_path / "not-images.npz"
    np.savez(bad, train=np.zeros((4, 5), dtype=object).astype(str))
    training.add_data_path(str(bad))
    assert training.data_box.currentText() == "not-images.npz"
    assert training.data_busy.is_busy()  # the sign is up while it reads
    qtbot.waitUntil(lambda: not training.is_loading(), timeout=30_000)
    assert "not-images.npz" in no_modal_dialogs[-1]
    assert any("not-images.npz" in m for m in messages)
    assert training.data_box.currentData() == "mnist-5k"  # the previous choice
    assert training.data_box.findData(str(bad)) < 0
    assert "4,000 to train" in training.data_info.text()


@pytest.mark.parametrize("hostile", ["FIFO", "gzip bomb"])
def test_a_hostile_data_file_is_refused_with_its_reason(
    qtbot, window, tmp_path, no_modal_dialogs, hostile
):
    """A FIFO (which once blocked the window) and an IDX gzip bomb (whose
    MemoryError once escaped the panel) are each named with their reason."""
    training = training_panel(window)
    qtbot.waitUntil(lambda: not training.is_loading(), timeout=30_000)
    if hostile == "FIFO":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        path = tmp_path / "pipe.npy"
        os.mkfifo(path)
        bad, reason = path, "not a regular file: it is a FIFO"
    else:
        path = tmp_path / "bomb"
        path.mkdir()
        bad = path / "train-images-idx3-ubyte.gz"
        header = bytes([0, 0, 8, 3]) + b"".join(
            d.to_bytes(4, "big") for d in (4_400_000, 28, 28)
        )
        bad.write_bytes(gzip.compress(header + bytes(1 << 20)))
        reason = "3.2 GiB of data, more than the 1 GiB a data set may hold"
    training.add_data_path(str(path))
    qtbot.waitUntil(lambda: not training.is_loading(), timeout=30_000)
    assert no_modal_dialogs[-1].startswith(f"{bad}: ")
    assert reason in no_modal_dialogs[-1]
    assert training.data_box.currentData() == "mnist-5k"  # the previous choice
    assert "4,000 to train" in training.data_info.text()


def test_the_data_box_asks_for_a_file(qtbot, window, tmp_path, monkeypatch):
    training = training_panel(window)
    images = (np.random.default_rng(1).random((20, 28, 28)) * 255).astype(np.uint8)
    path = tmp_path / "more.npy"
    np.save(path, images)
    answers = [str(path), ""]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (answers.pop(0), "")
    )
    box = training.data_box
    pick_last(qtbot, box)  # "Open a file or folder…", chosen with the keyboard
    assert box.currentText() == "more.npy"
    qtbot.waitUntil(lambda: not training.is_loading(), timeout=30_000)
    # one array: every 10th image is held out to validate on, and it says so
    assert "18 to train, 2 held out" in training.data_info.text()
    assert "more.npy has no validation split" in training.data_info.text()
    pick_last(qtbot, box)  # cancelled: back to the last good data
    assert box.currentText() == "more.npy"


def pick_last(qtbot, box) -> None:
    """Choose the box's last entry as a user does: focus it, press End."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_End)


def test_start_waits_for_the_data_and_trains_on_it(qtbot, window, tmp_path):
    training = training_panel(window)
    images = (np.random.default_rng(2).random((64, 28, 28)) * 255).astype(np.uint8)
    path = tmp_path / "fresh.npz"
    np.savez(path, train=images[:48], valid=images[48:])
    tiny_run(training, epochs=1, batches=1, name="on-fresh")
    training.add_data_path(str(path))
    with qtbot.waitSignal(training.run_ended, timeout=120_000) as ended:
        qtbot.mouseClick(training.start_button, LEFT)
        assert training.is_running()  # under way, or waiting for its data
        assert not training.start_button.isEnabled()
    assert ended.args[0].status == "finished"
    entry = next(e for e in window.session.entries() if e.name == "on-fresh")
    assert entry is not None


def test_augment_is_offered_and_recorded_in_the_checkpoint(qtbot, window):
    from models.checkpoint import load_checkpoint

    training = training_panel(window)
    assert "rotation" in training.augment_box.toolTip()
    tiny_run(training, epochs=1, batches=1, name="augmented")
    qtbot.mouseClick(
        training.augment_box, LEFT, pos=training.augment_box.rect().center()
    )
    assert training.augment_box.isChecked()
    with qtbot.waitSignal(training.run_ended, timeout=120_000) as ended:
        qtbot.mouseClick(training.start_button, LEFT)
    checkpoint = load_checkpoint(ended.args[0].checkpoint)
    recorded = checkpoint.metadata["training"]["augmentation"]
    assert recorded is not None and recorded["rotate_deg"] > 0


def test_class_conditional_training_models_each_digit(qtbot, window):
    from models.checkpoint import load_checkpoint

    training = training_panel(window)
    tiny_run(training, epochs=1, batches=1, name="per-class")
    box = training.conditional_box
    qtbot.mouseClick(box, LEFT, pos=box.rect().center())
    assert box.isChecked()
    with qtbot.waitSignal(training.run_ended, timeout=120_000) as ended:
        qtbot.mouseClick(training.start_button, LEFT)
    assert load_checkpoint(ended.args[0].checkpoint).model.num_classes == 10


def test_a_run_that_fails_says_so_without_an_eta(
    qtbot, window, tmp_path, no_modal_dialogs
):
    training = training_panel(window)
    images = (np.random.default_rng(3).random((16, 28, 28)) * 255).astype(np.uint8)
    path = tmp_path / "unlabelled.npz"
    np.savez(path, train=images[:12], valid=images[12:])
    tiny_run(training, epochs=1, batches=1, name="needs-labels")
    training.add_data_path(str(path))
    qtbot.waitUntil(lambda: not training.is_loading(), timeout=30_000)
    box = training.conditional_box
    qtbot.mouseClick(box, LEFT, pos=box.rect().center())
    qtbot.mouseClick(training.start_button, LEFT)
    qtbot.waitUntil(lambda: not training.is_running(), timeout=60_000)
    assert "labels" in no_modal_dialogs[-1]  # the trainer's own message
    text = training.speed_label.text()
    assert "needs-labels: failed" in text and "ETA" not in text
    assert "needs-labels (failed)" in training.legend.texts()
    assert not training.use_button.isEnabled() and training.start_button.isEnabled()


def test_the_plots_auto_button_fits_the_curves_again(qtbot, window):
    """Zoomed in by hand, the view stays; pyqtgraph's "A" button fits it again."""
    training = training_panel(window)
    feed(training.history.start("calm", 784), [540 - 10 * i for i in range(30)])
    training.redraw()
    item = training.plot.getPlotItem()
    view = item.getViewBox()
    fitted = view.viewRange()[1]
    with qtbot.waitSignal(view.sigRangeChangedManually):
        view.scaleBy((0.2, 0.2))  # what a wheel turn does
        view.sigRangeChangedManually.emit(view.state["mouseEnabled"])
    zoomed = view.viewRange()[1]
    assert zoomed[1] - zoomed[0] < (fitted[1] - fitted[0]) / 2
    training.redraw()  # a new event: the user's zoom is kept
    assert view.viewRange()[1] == pytest.approx(zoomed)
    button = item.autoBtn
    button.show()
    centre = training.plot.mapFromScene(button.sceneBoundingRect().center())
    qtbot.mouseClick(training.plot.viewport(), LEFT, pos=centre)
    assert view.viewRange()[1] == pytest.approx(fitted)


# -- pixel likelihoods --------------------------------------------------------------


def kind_supporting(likelihood):
    from models.registry import available, model_class

    kinds = [
        k
        for k in available()
        if likelihood in model_class(k).config_class.supported_likelihoods
    ]
    if not kinds:
        pytest.skip(f"no model kind declares {likelihood} yet")
    return next((k for k in ("made", "nade") if k in kinds), kinds[0])


def choose(qtbot, box, data) -> None:
    """Pick the entry holding ``data`` as a user does: focus, then arrow keys."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    while box.currentData() != data:
        before = box.currentIndex()
        qtbot.keyClick(box, Qt.Key.Key_Down)
        assert box.currentIndex() != before, f"{data} is not offered"


def small_settings(training, kind):
    training.settings.set_values(
        {"made": {"hidden_sizes": (16,)}, "nade": {"hidden": 8}}.get(kind, {})
    )
    training.epochs_box.setValue(1)
    training.max_batches_box.setValue(2)
    training.batch_box.setValue(32)


def test_the_form_offers_the_kinds_likelihoods_with_k_and_m(qtbot, window):
    from models.registry import model_class

    training = training_panel(window)
    kind = kind_supporting("categorical")
    training.set_kind(kind)
    box = training.likelihood_box
    offered = [box.itemData(i) for i in range(box.count())]
    assert offered == list(model_class(kind).config_class.supported_likelihoods)
    assert box.currentData() == "bernoulli"
    assert not training.levels_box.isEnabled()
    assert training.binarize_box.isEnabled()
    assert "binarized" in training.pixels_info.text()
    choose(qtbot, box, "categorical")
    assert training.levels_box.isEnabled() and not training.binarize_box.isEnabled()
    assert not training.components_box.isEnabled()  # a softmax has no components
    training.levels_box.setFocus()
    training.levels_box.selectAll()
    qtbot.keyClicks(training.levels_box, "16")
    assert "16 levels" in training.pixels_info.text()
    assert not training.reference_axis.isVisible()  # binarized-MNIST figures: off
    assert not training.reference_box.isEnabled()


def test_a_k_level_run_records_its_quantization_and_plots_bits_per_dim(qtbot, window):
    from models.checkpoint import load_checkpoint

    training = training_panel(window)
    kind = kind_supporting("categorical")
    training.set_kind(kind)
    small_settings(training, kind)
    training.name_edit.setText("four-levels")
    choose(qtbot, training.likelihood_box, "categorical")
    training.levels_box.setValue(4)
    with qtbot.waitSignal(training.run_ended, timeout=120_000) as ended:
        qtbot.mouseClick(training.start_button, LEFT)
    assert ended.args[0].status == "finished"
    record = load_checkpoint(ended.args[0].checkpoint).metadata
    assert (record["config"]["likelihood"], record["config"]["levels"]) == (
        "categorical",
        4,
    )
    assert record["data"]["quantization"]["levels"] == 4
    assert record["binarization"] is None
    training.units_box.setCurrentText("bits/dim")
    [(_, _, valid)] = training.curves()
    bits = record["metrics"]["valid_bits_per_dim"]
    assert valid.getData()[1][-1] == pytest.approx(bits)


def test_a_continuous_runs_curve_in_bits_per_dim_adds_log2_k(qtbot, window):
    from models.checkpoint import load_checkpoint

    training = training_panel(window)
    kind = kind_supporting("gaussian_mixture")
    training.set_kind(kind)
    small_settings(training, kind)
    training.name_edit.setText("continuous")
    choose(qtbot, training.likelihood_box, "gaussian_mixture")
    assert training.components_box.isEnabled()
    training.components_box.setValue(3)
    assert "(k + u) / 256" in training.pixels_info.text()
    with qtbot.waitSignal(training.run_ended, timeout=120_000) as ended:
        qtbot.mouseClick(training.start_button, LEFT)
    record = load_checkpoint(ended.args[0].checkpoint).metadata
    assert record["config"]["components"] == 3
    nats = record["metrics"]["valid_nll_nats"]
    [(_, _, valid)] = training.curves()
    assert valid.getData()[1][-1] == pytest.approx(nats)
    training.units_box.setCurrentText("bits/dim")
    assert valid.getData()[1][-1] == pytest.approx(nats / (784 * math.log(2)) + 8)


def test_the_panel_and_the_cli_write_the_same_record(qtbot, window, tmp_path, capsys):
    """One setup function: the same run from either front end, the same record."""
    from models.checkpoint import load_checkpoint
    from models.cli import main

    training = training_panel(window)
    tiny_run(training, epochs=1, batches=2, name="from-panel")
    with qtbot.waitSignal(training.run_ended, timeout=120_000) as ended:
        qtbot.mouseClick(training.start_button, LEFT)
    panel = load_checkpoint(ended.args[0].checkpoint)
    status = main(
        [
            "train", "--kind", "made", "--set", "hidden_sizes=[16]",
            "--data", "mnist-5k", "--epochs", "1", "--max-batches", "2",
            "--batch-size", "32", "--lr", str(training.lr_box.value()),
            "--samples", "16", "--out", str(tmp_path), "--name", "from-cli",
            "--quiet",
        ]
    )  # fmt: skip
    capsys.readouterr()
    assert status == 0
    cli = load_checkpoint(tmp_path / "from-cli")
    for key in ("kind", "config", "data", "binarization"):
        assert panel.metadata[key] == cli.metadata[key], key
    assert panel.metadata["training"]["config"] == cli.metadata["training"]["config"]
    for a, b in zip(panel.model.parameters(), cli.model.parameters(), strict=True):
        assert torch.equal(a, b)  # same seed, same data, same steps
