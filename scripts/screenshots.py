"""Render every panel of the app to PNG (the README's screenshots).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--out DIR] [--only SET]
    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py --lang ko --only large

``--lang ko`` renders the window in Korean into ``DIR/ko/`` (README.ko.md's
pictures), with the Hangul font the app picks (NanumGothic here, from Debian's
fonts-nanum).

Three sets, each with every panel, real work behind every picture (a short
training run, a sampler stopped mid-way, a real digit on the canvas, context
regions measured on real networks), the bundled models and data, and a
temporary user library and settings:

The last shots use the shipped models of gray levels (a logistic-mixture
PixelCNN) and continuous pixels (RNADE).

- ``large``: a 1600×1000 window — ``DIR/<n>-<panel>.png``;
- ``small``: 1024×700, a classroom projector — ``DIR/1024x700/…``;
- ``presentation``: 1600×1000 with View → Zoom in twice (text at 130 %) —
  ``DIR/presentation/…``.
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

from PySide6.QtCore import QEventLoop, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

#: name: (width, height, zoom steps, sub-folder)
SETS: dict[str, tuple[int, int, int, str]] = {
    "large": (1600, 1000, 0, ""),
    "small": (1024, 700, 0, "1024x700"),
    "presentation": (1600, 1000, 2, "presentation"),
}


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def wait(app: QApplication, busy: object, limit: float = 120.0) -> None:
    """Let the event loop run until ``busy()`` is false."""
    end = time.time() + limit
    while busy() and time.time() < end:  # type: ignore[operator]
        settle(app, 0.1)
    settle(app, 0.3)


def shoot_set(app: QApplication, name: str, out: Path) -> None:
    from desktop_app.app import MainWindow
    from desktop_app.panels.training import TrainingPanel
    from desktop_app.session import Session
    from desktop_app.theme import theme
    from models.library import Library, bundled_dir

    width, height, zoom_steps, folder = SETS[name]
    target = out / folder if folder else out
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat)
        session = Session(Library(Path(scratch) / "runs", bundled_dir()))
        window = MainWindow(session, settings)
        window.resize(width, height)
        window.show()
        for _ in range(zoom_steps):
            window.zoom_in_action.trigger()
        settle(app, 1.0)

        def shoot(index: int, file: str) -> None:
            window.show_panel(index)
            settle(app, 0.5)
            path = target / f"{file}.png"
            window.grab().save(str(path))
            print(f"wrote {path}", file=sys.stderr)

        _, orderings, training, sampler, canvas, context, _ = window.panels
        shoot(0, "1-counter")
        counter = window.panels[0]
        counter.tabs.setCurrentIndex(1)  # parameters against fit
        wait(app, lambda: not counter.tradeoff.points())
        shoot(0, "1-counter-tradeoff")
        counter.tabs.setCurrentIndex(0)

        orderings.set_ordering("hilbert")
        orderings.select_pixel(4, 5)
        shoot(1, "2-orderings")

        assert isinstance(training, TrainingPanel)
        training.set_kind("made")
        training.settings.set_values({"hidden_sizes": (256,)})
        training.epochs_box.setValue(6)
        training.max_batches_box.setValue(25)
        training.start_button.click()
        wait(app, training.is_running, 600)
        shoot(2, "3-training")
        if name == "large":
            # the same model under every ordering, one after another
            compare = training.compare_orderings()
            compare.resize(1100, 760)
            compare.start_button.click()
            wait(app, compare.is_running, 900)
            path = target / "3-training-compare.png"
            compare.grab().save(str(path))
            print(f"wrote {path}", file=sys.stderr)
            compare.close()

        window.show_panel(3)
        sampler.advance(520)
        shoot(3, "4-sampler")

        window.show_panel(4)
        canvas.digit_box.setValue(7)
        canvas.load_button.click()
        wait(app, canvas.is_busy)
        shoot(4, "5-canvas")

        window.show_panel(5)
        context.layers_slider.setValue(2)
        context.select_pixel(10, 7)
        context.wait_until_computed()
        shoot(5, "6-context")
        context.pair_box.setCurrentIndex(1)
        context.layers_slider.setValue(4)
        context.wait_until_computed()
        shoot(5, "6-context-pixelcnn")
        shoot(6, "7-features")

        window.show_panel(4)
        window.library_action.trigger()
        settle(app, 0.6)
        path = target / "library.png"
        window.grab().save(str(path))
        print(f"wrote {path}", file=sys.stderr)
        window.library_action.trigger()

        # models of gray and continuous pixels: each pixel's distribution
        for file, model in (
            ("4-sampler-gray", "pixelcnn-logistic-mnist10k"),
            ("4-sampler-continuous", "rnade-mnist10k"),
        ):
            window.session.select(bundled_dir() / model)
            window.show_panel(3)
            sampler.count_box.setValue(9)
            sampler.advance(400)
            shoot(3, file)
        window.session.select(bundled_dir() / "rnade-mnist10k")
        window.show_panel(4)
        canvas.digit_box.setValue(3)
        canvas.load_button.click()
        wait(app, canvas.is_busy)
        shoot(4, "5-canvas-gray")
        window.close()
        theme().set_zoom(1.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--only", choices=sorted(SETS), action="append")
    parser.add_argument("--lang", choices=("en", "ko"), default="en")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    from desktop_app.theme import use_hangul_fallback

    use_hangul_fallback()  # as the app does at start-up
    out = args.out
    if args.lang != "en":
        from desktop_app.i18n import install

        install(app, args.lang)  # type: ignore[arg-type]
        out = out / args.lang
    for name in args.only or list(SETS):
        shoot_set(app, name, out)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
