"""Long run: the app open while a model trains for 30 minutes; memory stays flat.

``python -m benchmarks --only long`` (not part of the default run). The window
runs offscreen on the bundled data; NADE (H = 500) trains in the background
from the training monitor, epoch after epoch, checkpointing into a temporary
library, while the resident memory is read every 30 seconds. Reports the
memory a minute in (after the first allocations settle), at the end, the
highest reading, and the growth per hour of a straight-line fit.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MINUTES = float(os.environ.get("AR_EXPLORER_LONG_RUN_MINUTES", "30"))


def run(quick: bool = False) -> list[dict[str, object]]:
    """Train in the app for MINUTES (3 with --quick) and watch the memory."""
    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from desktop_app.app import MainWindow, resident_mb
    from desktop_app.panels.training import TrainingPanel
    from desktop_app.session import Session
    from models.library import Library, bundled_dir

    minutes = 3.0 if quick else MINUTES
    samples: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(
            Session(Library(Path(scratch) / "runs", bundled_dir())), settings
        )
        window.show()
        training = next(p for p in window.panels if isinstance(p, TrainingPanel))
        window.show_panel(window.panels.index(training))
        training.set_kind("nade")
        training.epochs_box.setValue(10_000)
        start = time.time()
        training.start()
        next_reading = start
        while time.time() - start < minutes * 60:
            if time.time() >= next_reading:
                samples.append(((time.time() - start) / 60, resident_mb()))
                next_reading += 30
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 100)
        epochs = sum(1 for e in training.events if type(e).__name__ == "EpochEnded")
        training.stop()
        window.close()
    settled = [m for t, m in samples if t >= 1.0] or [m for _, m in samples]
    times = np.array([t for t, _ in samples if t >= 1.0] or [t for t, _ in samples])
    slope = float(np.polyfit(times, settled, 1)[0] * 60) if len(times) > 1 else 0.0
    return [
        {
            "benchmark": (
                f"{minutes:.0f} min of NADE training in the app ({epochs} epochs): "
                f"resident memory at 1 min → at the end (max {max(settled):.0f} MB, "
                f"fit {slope:+.1f} MB/hour)"
            ),
            "unit": "MB",
            "value": settled[-1],
            "baseline": "at 1 minute",
            "baseline_value": settled[0],
            "speedup": settled[0] / settled[-1],
            "timings": {"samples_min_mb": samples},
        }
    ]
