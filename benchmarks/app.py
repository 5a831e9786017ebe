"""The desktop app: cold start, GUI-thread responsiveness, memory.

- Cold start: seconds from launching ``python -m desktop_app`` to the window
  being shown (the app prints a line from its first event-loop turn), and its
  resident memory then.
- Responsiveness: a 10 ms timer on the GUI thread; the longest gap between
  ticks and the 99th percentile, while a real training run goes on in the
  background, while the sampler plays as fast as it can, and while a stroke is
  drawn on the canvas (mouse events every 10 ms, each rescored live).
- Memory: resident memory after start and after 5 epochs of training.

Runs offscreen, on the bundled models and data, with a throw-away profile.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _cold_start(runs: int) -> dict[str, object]:
    times, memory = [], []
    with tempfile.TemporaryDirectory() as profile:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": str(Path(profile) / "data"),
            "XDG_CONFIG_HOME": str(Path(profile) / "config"),
        }
        for _ in range(runs):
            start = time.perf_counter()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "desktop_app",
                    "--report-startup",
                    "--quit-after",
                    "50",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=env,
            )
            assert process.stdout is not None
            line = process.stdout.readline()
            times.append(time.perf_counter() - start)
            process.wait(timeout=120)
            import json

            memory.append(float(json.loads(line)["rss_mb"]))
    return {"seconds": times, "rss_mb": memory}


class _Ticks:
    """A 10 ms timer on the GUI thread recording the gaps between its ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def run(
        self, app: object, seconds: float, action: Callable[[], bool] | None = None
    ) -> dict[str, float]:
        from PySide6.QtCore import QEventLoop

        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()
        end = time.time() + seconds
        while time.time() < end:
            if action is not None and action():
                break
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)  # type: ignore[attr-defined]
        self.timer.stop()
        gaps = np.array(self.gaps) * 1000
        return {
            "longest_ms": float(gaps.max()) if len(gaps) else float("nan"),
            "p99_ms": float(np.percentile(gaps, 99)) if len(gaps) else float("nan"),
            "ticks": len(gaps),
        }


def run(quick: bool = False) -> list[dict[str, object]]:
    """Cold start, responsiveness and memory."""
    from PySide6.QtCore import QEventLoop, QPoint, QPointF, QSettings, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    rows: list[dict[str, object]] = []
    cold = _cold_start(2 if quick else 4)
    rows.append(
        {
            "benchmark": "cold start to the window shown",
            "unit": "s",
            "value": statistics.median(cold["seconds"]),  # type: ignore[arg-type]
            "timings": cold,
        }
    )
    rows.append(
        {
            "benchmark": "resident memory after start",
            "unit": "MB",
            "value": statistics.median(cold["rss_mb"]),  # type: ignore[arg-type]
        }
    )

    app = QApplication.instance() or QApplication(sys.argv)
    from desktop_app.app import MainWindow, resident_mb, tune_for_interaction
    from desktop_app.panels.canvas import CanvasPanel
    from desktop_app.panels.sampler import SamplerPanel
    from desktop_app.panels.training import TrainingPanel
    from desktop_app.session import Session
    from models.library import Library, bundled_dir

    def settle(seconds: float) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(
            Session(Library(Path(scratch) / "runs", bundled_dir())), settings
        )
        window.resize(1280, 860)
        window.show()
        tune_for_interaction()  # as the app does
        settle(3.0)  # held-out scores, the torch warm-up
        ticks = _Ticks()
        training = next(p for p in window.panels if isinstance(p, TrainingPanel))
        sampler = next(p for p in window.panels if isinstance(p, SamplerPanel))
        canvas = next(p for p in window.panels if isinstance(p, CanvasPanel))

        # training: NADE (H = 500) on mnist-5k, watched from the monitor
        window.show_panel(window.panels.index(training))
        training.set_kind("nade")
        training.epochs_box.setValue(50)
        training.start()
        result = ticks.run(app, 4.0 if quick else 8.0)
        training.stop()
        while training.is_running():
            settle(0.1)
        rows.append(_gap_row("GUI thread while training NADE (H = 500)", result))

        # sampling: the class-conditional NADE, 16 images, as fast as it goes
        window.show_panel(window.panels.index(sampler))
        sampler.speed_slider.setValue(100)
        sampler.restart()
        sampler.play_button.setChecked(True)
        result = ticks.run(app, 4.0, action=sampler.is_finished)
        sampler.play_button.setChecked(False)
        rows.append(_gap_row("GUI thread while sampling 16 images (NADE)", result))

        # drawing: a stroke across the canvas, a mouse event every 10 ms
        window.show_panel(window.panels.index(canvas))
        settle(0.5)
        grid = canvas.canvas
        path = [(8 + int(6 * np.sin(t / 7)), 4 + t % 20) for t in range(400)]
        state = {"i": 0, "next": time.perf_counter()}

        def send(kind: object, cell: tuple[int, int], buttons: object) -> None:
            point = QPointF(grid.cell_rect(*cell).center())
            event = QMouseEvent(
                kind,  # type: ignore[arg-type]
                point,
                point,
                grid.mapToGlobal(QPoint(int(point.x()), int(point.y()))).toPointF(),
                Qt.MouseButton.LeftButton,
                buttons,  # type: ignore[arg-type]
                Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(grid, event)

        send(QMouseEvent.Type.MouseButtonPress, path[0], Qt.MouseButton.LeftButton)

        def draw() -> bool:
            now = time.perf_counter()
            if now >= state["next"]:
                state["i"] += 1
                state["next"] = now + 0.01
                send(
                    QMouseEvent.Type.MouseMove,
                    path[state["i"] % len(path)],
                    Qt.MouseButton.LeftButton,
                )
            return False

        result = ticks.run(app, 3.0, action=draw)
        send(
            QMouseEvent.Type.MouseButtonRelease,
            path[state["i"] % len(path)],
            Qt.MouseButton.NoButton,
        )
        rows.append(_gap_row("GUI thread while drawing (scored live, NADE)", result))
        rows.append(
            {
                "benchmark": "canvas: one rescoring (class-conditional NADE)",
                "unit": "ms",
                "value": canvas.score_ms,
            }
        )

        rows.extend(_switching_and_loading(app, window, ticks, settle, scratch))
        rows.extend(_context_depth(app, window, ticks, settle))

        # memory: after 5 epochs of training in the app
        before = resident_mb()
        training.set_kind("made")
        training.epochs_box.setValue(5)
        training.max_batches_box.setValue(0)
        training.start()
        while training.is_running():
            settle(0.2)
        settle(0.5)
        rows.append(
            {
                "benchmark": "resident memory before → after 5 epochs of MADE training",
                "unit": "MB",
                "value": resident_mb(),
                "baseline": "before the run",
                "baseline_value": before,
                "speedup": before / max(resident_mb(), 1e-9),
            }
        )
        window.close()
    return rows


def _switching_and_loading(
    app: object,
    window: object,
    ticks: _Ticks,
    settle: Callable[[float], None],
    scratch: str,
) -> list[dict[str, object]]:
    """GUI-thread gaps while switching models and while reading a data file.

    Switching: every bundled model in turn, chosen in the library (Use), with
    the canvas on show, so the switch includes each panel's reaction (the
    canvas's first scoring, the held-out scores). Data: File → Open data… on a
    20,000-digit ``.npz`` (the dialog answered), the training monitor reading
    and checking it.
    """
    from PySide6.QtWidgets import QFileDialog

    from desktop_app.panels.canvas import CanvasPanel
    from desktop_app.panels.training import TrainingPanel

    panels = window.panels  # type: ignore[attr-defined]
    session = window.session  # type: ignore[attr-defined]
    view = window.library_view  # type: ignore[attr-defined]
    canvas = next(p for p in panels if isinstance(p, CanvasPanel))
    window.show_panel(panels.index(canvas))  # type: ignore[attr-defined]
    settle(0.5)
    worst: dict[str, float] = {"longest_ms": 0.0, "p99_ms": 0.0, "ticks": 0}
    switched = []
    for row, entry in enumerate(session.entries()):
        view.select_row(row)
        state = {"done": False}

        def changed(_: object, state: dict[str, bool] = state) -> None:
            state["done"] = True

        session.model_changed.connect(changed)
        view.use_selected()
        result = ticks.run(app, 10.0, action=lambda state=state: state["done"])
        result_after = ticks.run(app, 1.5)  # the panels' reactions to the switch
        session.model_changed.disconnect(changed)
        longest = max(result["longest_ms"], result_after["longest_ms"])
        switched.append({"model": entry.name, "longest_ms": longest})
        if longest > worst["longest_ms"]:
            worst = {**result_after, "longest_ms": longest, "model": entry.name}
    rows = [
        {
            **_gap_row(
                f"GUI thread while switching models ({len(switched)} models, "
                f"worst: {worst.get('model')})",
                worst,
            ),
            "timings": switched,
        }
    ]

    training = next(p for p in panels if isinstance(p, TrainingPanel))
    images = np.random.default_rng(0).integers(0, 256, (20_000, 28, 28), np.uint8)
    data = Path(scratch) / "digits-20k.npz"
    np.savez_compressed(data, train=images[:18_000], valid=images[18_000:])
    original = QFileDialog.getOpenFileName
    QFileDialog.getOpenFileName = lambda *a, **k: (str(data), "")  # type: ignore[method-assign]
    try:
        box = training.data_box
        opened = {"done": False}

        def open_once() -> bool:
            if not opened["done"]:
                opened["done"] = True
                window.open_data()  # type: ignore[attr-defined]
            busy = getattr(training, "is_loading", lambda: False)()
            return bool(box.currentData() == str(data) and not busy)

        loading = ticks.run(app, 15.0, action=open_once)
    finally:
        QFileDialog.getOpenFileName = original  # type: ignore[method-assign]
    rows.append(
        _gap_row(
            "GUI thread while opening a 20,000-digit data file",
            loading,
        )
    )
    return rows


def _context_depth(
    app: object,
    window: object,
    ticks: _Ticks,
    settle: Callable[[float], None],
) -> list[dict[str, object]]:
    """GUI-thread gaps while the context panel follows a change of depth.

    Row LSTM vs Diagonal BiLSTM on 16×16 images: single steps of the layer
    slider (1 → 2 → 4 → 6 → 8 → 3), each until its context is drawn; a drag
    from 4 to 8 layers over 4 seconds, one step a second, until the result
    for 8 is drawn; and a switch of the current model to the trained Diagonal
    BiLSTM with the panel showing the current model.
    """
    from desktop_app.panels.context import CURRENT, PAIRS, ContextPanel

    panels = window.panels  # type: ignore[attr-defined]
    session = window.session  # type: ignore[attr-defined]
    context = next(p for p in panels if isinstance(p, ContextPanel))
    window.show_panel(panels.index(context))  # type: ignore[attr-defined]
    pair = "Row LSTM vs Diagonal BiLSTM"
    assert pair in PAIRS
    context.pair_box.setCurrentText(pair)
    context.size_box.setValue(16)
    context.kernel_box.setCurrentText("3")
    context.layers_slider.setValue(1)
    context.wait_until_computed(60_000)
    settle(0.5)
    rows = []

    def steps() -> dict[str, object]:
        worst: dict[str, float] = {"longest_ms": 0.0, "p99_ms": 0.0, "ticks": 0}
        each = []
        for layers in (2, 4, 6, 8, 3):
            state = {"started": False}

            def change(layers: int = layers, state: dict[str, bool] = state) -> bool:
                if not state["started"]:
                    state["started"] = True
                    context.layers_slider.setValue(layers)
                    return False
                return not context.is_busy()

            result = ticks.run(app, 30.0, action=change)
            each.append({"layers": layers, **result})
            if result["longest_ms"] > worst["longest_ms"]:
                worst = result
        return {**worst, "steps": each}

    stepped = steps()
    rows.append(
        {
            **_gap_row(
                "GUI thread while changing the context depth "
                "(Row LSTM vs Diagonal BiLSTM, 1 → 2 → 4 → 6 → 8 → 3 layers)",
                stepped,  # type: ignore[arg-type]
            ),
            "timings": stepped,
        }
    )

    context.layers_slider.setValue(4)
    context.wait_until_computed(60_000)
    settle(0.3)
    slider = context.layers_slider
    start = {"t": 0.0}
    plan: list[tuple[float, int | str]] = [
        (0.0, "down"),
        (1.0, 5),
        (2.0, 6),
        (3.0, 7),
        (4.0, 8),
        (4.0, "up"),
    ]

    def drag() -> bool:
        now = time.perf_counter()
        if not start["t"]:
            start["t"] = now
        while plan and now - start["t"] >= plan[0][0]:
            _, what = plan.pop(0)
            if what == "down":
                slider.setSliderDown(True)
            elif what == "up":
                slider.setSliderDown(False)  # the release
            elif isinstance(what, int):
                slider.setValue(what)
        return not plan and not context.is_busy()

    dragged = ticks.run(app, 40.0, action=drag)
    assert context.views[0].model.config.layers == 8  # type: ignore[union-attr]
    rows.append(
        _gap_row(
            "GUI thread while dragging the context depth 4 → 8 over 4 s "
            "(Row LSTM vs Diagonal BiLSTM)",
            dragged,
        )
    )

    context.pair_box.setCurrentText(CURRENT)
    context.wait_until_computed(60_000)
    entry = next(e for e in session.entries() if e.kind == "diagonal_bilstm")
    view = window.library_view  # type: ignore[attr-defined]
    view.select_row(session.entries().index(entry))
    state = {"used": False}

    def switch() -> bool:
        if not state["used"]:
            state["used"] = True
            view.use_selected()
            return False
        checkpoint = session.checkpoint
        return bool(
            checkpoint is not None
            and checkpoint.name == entry.name
            and context.views[0].model is checkpoint.model
            and not context.is_busy()
        )

    switched = ticks.run(app, 30.0, action=switch)
    rows.append(
        _gap_row(
            f"GUI thread while the context panel follows a model switch "
            f"({entry.name}, trained weights)",
            switched,
        )
    )
    context.pair_box.setCurrentText(pair)
    return rows


def _gap_row(name: str, result: dict[str, float]) -> dict[str, object]:
    return {
        "benchmark": f"{name}: longest gap between 10 ms ticks "
        f"(p99 {result['p99_ms']:.0f} ms)",
        "unit": "ms",
        "value": result["longest_ms"],
        "timings": result,
    }
