"""The app on a real X display (Xvfb), driven by real input events (xdotool).

The real app (real library, the shipped models) runs in its own process under
Xvfb with Qt's xcb platform (``tests/display_harness.py``). Every click, drag
and key press is a real X event from xdotool; the app process only answers
where its widgets are and what they show, and how long its GUI thread was
unresponsive (a 10 ms timer). Three things users come for:

- train a model for one short epoch, and use it;
- draw a 1, a 7, a scribble and nothing, and read the score, the verdict and
  p(y | x);
- show Row LSTM against Diagonal BiLSTM, change the depth, and stay
  responsive (the 10 ms timer is never late by 100 ms).

Skipped where Xvfb, xdotool or the xcb libraries are missing (``.ci/run``
installs them when it can).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.display_harness import TITLE

pytestmark = pytest.mark.display

ROOT = Path(__file__).resolve().parents[1]

#: The GUI thread must answer a 10 ms timer within this (the issue's bar).
RESPONSIVE_MS = 100.0


class App:
    """The app process, its display, and xdotool."""

    def __init__(self, process: subprocess.Popen[str], env: dict[str, str]):
        self.process = process
        self.env = env

    def ask(self, **question: object) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(question) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert "error" not in answer, answer
        return answer

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=30)

    def key(self, *keys: str) -> None:
        self.xdotool("key", "--clearmodifiers", *keys)

    def point(
        self, path: str, fx: float = 0.5, fy: float = 0.5, q: str = "where"
    ) -> tuple[int, int]:
        where = self.ask(q=q, path=path)
        assert where["visible"], f"{path} is not on screen"
        return (
            int(where["x"] + fx * (where["w"] - 1)),
            int(where["y"] + fy * (where["h"] - 1)),
        )

    def click(self, path: str) -> None:
        where = self.ask(q="where", path=path)
        assert where["visible"] and where["enabled"], (path, where)
        x, y = self.point(path)
        self.xdotool("mousemove", "--sync", str(x), str(y), "click", "1")

    def drag(self, path: str, points: list[tuple[float, float]]) -> None:
        """Press, move through ``points`` (fractions of the grid), release."""
        start = self.point(path, *points[0], q="grid")
        self.xdotool("mousemove", "--sync", str(start[0]), str(start[1]))
        self.xdotool("mousedown", "1")
        for fx, fy in points[1:]:
            x, y = self.point(path, fx, fy, q="grid")
            self.xdotool("mousemove", "--sync", str(x), str(y))
            time.sleep(0.01)
        self.xdotool("mouseup", "1")

    def text(self, path: str) -> str:
        return str(self.ask(q="text", path=path)["text"])

    def texts(self, path: str) -> str:
        return "\n".join(self.ask(q="texts", path=path)["texts"])

    def value(self, path: str, call: str) -> str:
        return str(self.ask(q="value", path=path, call=call)["value"])

    def gap_ms(self) -> float:
        return float(self.ask(q="gap")["gap_ms"])

    def wait_for(self, predicate, timeout: float, what: str) -> None:
        end = time.time() + timeout
        while time.time() < end:
            if predicate():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")


def _xcb_works(env: dict[str, str]) -> bool:
    probe = "from PySide6.QtWidgets import QApplication; QApplication([])"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, timeout=60
    )
    return result.returncode == 0


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb and xdotool are not installed")
    tmp = tmp_path_factory.mktemp("display")
    display = f":{90 + os.getpid() % 9}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1400x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    process = None
    try:
        time.sleep(1.0)
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "XDG_DATA_HOME": str(tmp / "data"),
            "XDG_CONFIG_HOME": str(tmp / "config"),
            "PYTHONPATH": str(ROOT),
        }
        if not _xcb_works(env):
            pytest.skip("Qt's xcb platform cannot start here (missing libraries)")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.display_harness", str(tmp)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert process.stdout is not None
        assert json.loads(process.stdout.readline()) == {"ready": True}
        running = App(process, env)
        # no window manager on a bare Xvfb: give the window the keyboard directly
        running.xdotool("search", "--sync", "--name", TITLE, "windowfocus", "--sync")
        yield running
        running.ask(q="shot", file=str(tmp / "screen.png"))
        running.ask(q="quit")
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
        assert "Traceback" not in err, err[-3000:]
        assert (tmp / "screen.png").stat().st_size > 10_000  # a real screenshot
    finally:
        if process is not None and process.poll() is None:
            process.kill()
        server.terminate()
        server.wait(timeout=10)


TRAINING, CANVAS, CONTEXT = "2", "4", "5"
CANVAS_MODEL = "nade-mnist5k-classes"


def test_train_one_short_epoch_and_use_it(app):
    app.key("ctrl+3")
    # one epoch, typed into the box as a user would
    x, y = app.point(f"{TRAINING}.epochs_box")
    app.xdotool("mousemove", "--sync", str(x), str(y), "click", "--repeat", "3", "1")
    app.key("ctrl+a")
    app.xdotool("type", "1")
    app.key("Tab")
    assert app.text(f"{TRAINING}.epochs_box") == "1"
    before = app.text("window.model_label")
    app.gap_ms()
    app.click(f"{TRAINING}.start_button")
    app.wait_for(
        lambda: app.value(TRAINING, "is_running") == "True", 30, "the run to start"
    )
    app.wait_for(
        lambda: app.value(TRAINING, "is_running") == "False", 300, "the epoch to end"
    )
    assert app.gap_ms() < RESPONSIVE_MS  # the window answered throughout
    app.click(f"{TRAINING}.use_button")
    app.wait_for(
        lambda: app.text("window.model_label") != before, 30, "the model to change"
    )
    label = app.text("window.model_label")
    assert "mnist-5k" in label and "valid NLL" in label and "—" not in label


def _canvas_reading(app) -> str:
    app.wait_for(
        lambda: app.value(CANVAS, "is_busy") == "False", 30, "the score to settle"
    )
    return app.texts(CANVAS)


def _most_probable_class(reading: str) -> int:
    found = re.search(r"[Mm]ost probable class:? (\d)", reading)
    assert found, reading
    return int(found.group(1))


def test_draw_a_1_a_7_a_scribble_and_nothing(app, tmp_path):
    # the shipped class-conditional NADE, chosen in the library drawer
    app.key("ctrl+l")
    app.wait_for(
        lambda: app.ask(q="where", path="window.library_drawer")["visible"],
        10,
        "the library to open",
    )
    time.sleep(0.5)  # the drawer slides in
    cell = app.ask(q="cell", path="window.library_view.table", text=CANVAS_MODEL)
    x, y = cell["x"] + cell["w"] // 2, cell["y"] + cell["h"] // 2
    app.xdotool("mousemove", "--sync", str(x), str(y), "click", "--repeat", "2", "1")
    app.wait_for(
        lambda: CANVAS_MODEL in app.text("window.model_label"), 30, "the model"
    )
    assert not app.ask(q="where", path="window.library_drawer")["visible"]
    app.key("ctrl+5")
    verdict = f"{CANVAS}.verdict_label"
    app.click(f"{CANVAS}.clear_button")
    nothing = _canvas_reading(app)
    assert app.text(verdict) == "Nothing drawn", nothing

    app.drag(f"{CANVAS}.canvas", [(0.5, 0.2 + 0.04 * i) for i in range(16)])
    one = _canvas_reading(app)
    assert "log p(x)" in one and "bits/dim" in one
    assert app.text(verdict) == "Typical digit", one
    assert _most_probable_class(one) == 1, one

    app.click(f"{CANVAS}.clear_button")
    app.drag(f"{CANVAS}.canvas", [(0.3 + 0.03 * i, 0.22) for i in range(14)])
    app.drag(f"{CANVAS}.canvas", [(0.7 - 0.02 * i, 0.22 + 0.04 * i) for i in range(15)])
    seven = _canvas_reading(app)
    app.ask(q="shot", file=str(tmp_path / "seven.png"))  # to look at if it fails
    assert app.text(verdict) == "Typical digit", seven
    assert _most_probable_class(seven) == 7, seven

    app.click(f"{CANVAS}.clear_button")
    for row in range(6):  # a dense zig-zag over most of the canvas
        y0, y1 = 0.15 + 0.13 * row, 0.2 + 0.13 * row
        app.drag(
            f"{CANVAS}.canvas",
            [(0.12 + 0.76 * (i % 2), y0 + (y1 - y0) * (i % 2)) for i in range(8)],
        )
    scribble = _canvas_reading(app)
    assert app.text(verdict) == "Unlike any digit", scribble
    assert "not meaningful" in app.text(f"{CANVAS}.bars_note"), scribble

    app.click(f"{CANVAS}.clear_button")
    assert app.text(verdict) == "Nothing drawn"


def test_row_lstm_against_diagonal_bilstm_stays_responsive(app):
    app.key("ctrl+6")
    assert "Row LSTM" in app.texts(CONTEXT) and "Diagonal BiLSTM" in app.texts(CONTEXT)
    app.gap_ms()
    slider = f"{CONTEXT}.layers_slider"
    # a real drag of the slider's handle across its range, then key presses
    x0, y = app.point(slider, 0.02, 0.5)
    x1, _ = app.point(slider, 0.98, 0.5)
    app.xdotool("mousemove", "--sync", str(x0), str(y), "mousedown", "1")
    for i in range(1, 21):
        app.xdotool("mousemove", str(x0 + (x1 - x0) * i // 20), str(y))
        time.sleep(0.02)
    app.xdotool("mouseup", "1")
    assert app.gap_ms() < RESPONSIVE_MS
    app.wait_for(lambda: app.value(CONTEXT, "is_busy") == "False", 60, "the context")
    deepest = app.texts(CONTEXT)
    app.key("Left", "Left", "Left")
    assert app.gap_ms() < RESPONSIVE_MS
    app.wait_for(lambda: app.value(CONTEXT, "is_busy") == "False", 60, "the context")
    assert app.gap_ms() < RESPONSIVE_MS
    assert app.texts(CONTEXT) != deepest  # the depth changed what is shown
