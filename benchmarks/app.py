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
    from desktop_app.app import MainWindow, resident_mb
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


def _gap_row(name: str, result: dict[str, float]) -> dict[str, object]:
    return {
        "benchmark": f"{name}: longest gap between 10 ms ticks "
        f"(p99 {result['p99_ms']:.0f} ms)",
        "unit": "ms",
        "value": result["longest_ms"],
        "timings": result,
    }
