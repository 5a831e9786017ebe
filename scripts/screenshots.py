"""Render every panel of the app to PNG (the README's screenshots).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--out DIR]

Uses the bundled models and data, a temporary user library and settings, and
real work: a short training run, a sampler stopped mid-way, a real digit on
the canvas. Writes resources/screenshots/<n>-<panel>.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)

    from desktop_app.app import MainWindow
    from desktop_app.panels.training import TrainingPanel
    from desktop_app.session import Session
    from models.library import Library, bundled_dir

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat)
        session = Session(Library(Path(scratch) / "runs", bundled_dir()))
        window = MainWindow(session, settings)
        window.resize(1360, 900)
        window.show()
        settle(app, 1.0)

        def shoot(index: int, name: str) -> None:
            window.show_panel(index)
            settle(app)
            path = args.out / f"{index + 1}-{name}.png"
            window.grab().save(str(path))
            print(f"wrote {path}", file=sys.stderr)

        _, orderings, training, sampler, canvas, context = window.panels
        shoot(0, "counter")

        orderings.set_ordering("hilbert")
        orderings.select_pixel(4, 5)
        shoot(1, "orderings")

        assert isinstance(training, TrainingPanel)
        training.set_kind("made")
        training.settings.set_values({"hidden_sizes": (256,)})
        training.epochs_box.setValue(6)
        training.max_batches_box.setValue(25)
        training.start()
        while training.is_running():
            settle(app, 0.2)
        shoot(2, "training")

        sampler.advance(520)
        shoot(3, "sampler")

        canvas.digit_box.setValue(3)
        canvas.load_digit()
        QThreadPool.globalInstance().waitForDone(60_000)
        settle(app, 0.5)
        canvas.rescore()
        shoot(4, "canvas")

        context.layers_slider.setValue(2)
        context.select_pixel(10, 7)
        context.wait_until_computed()  # measured in the background
        shoot(5, "context")
        context.pair_box.setCurrentIndex(1)
        context.layers_slider.setValue(4)
        context.wait_until_computed()
        window.show_panel(5)
        settle(app)
        path = args.out / "6-context-pixelcnn.png"
        window.grab().save(str(path))
        print(f"wrote {path}", file=sys.stderr)
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
