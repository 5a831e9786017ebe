"""The app on a real X display (Xvfb), driven by real input events (xdotool).

The app runs in its own process under Xvfb with the xcb platform: it reports
where the canvas is on screen; xdotool switches to the canvas with Ctrl+5, then
presses, drags and releases the real pointer across it; the app takes a
screenshot and reports the score label before and after. Skipped where Xvfb,
xdotool or the xcb libraries are missing (.ci/run installs them when it can).
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.display

HARNESS = textwrap.dedent(
    """
    import json, sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from desktop_app.app import MainWindow
    from desktop_app.panels.canvas import CanvasPanel

    app = QApplication(sys.argv)
    window = MainWindow()
    app.aboutToQuit.connect(window.shutdown)
    window.setWindowTitle("AR Explorer under test")
    window.resize(1280, 900)
    window.show()
    canvas = next(p for p in window.panels if isinstance(p, CanvasPanel))

    def say(**fields):
        print(json.dumps(fields), flush=True)

    def ready():
        grid = canvas.canvas
        say(event="ready", score=canvas.score_label.text())
        def report():
            if not grid.isVisible():
                QTimer.singleShot(100, report)
                return
            corner = grid.mapToGlobal(grid.rect().topLeft())
            say(event="canvas", x=corner.x(), y=corner.y(), w=grid.width(),
                h=grid.height(), score=canvas.score_label.text())
        report()

    def finish():
        shot = app.primaryScreen().grabWindow(0)
        shot.save(sys.argv[1])
        say(event="done", score=canvas.score_label.text(),
            ink=float(canvas.canvas.drawing().sum()))
        window.close()

    QTimer.singleShot(1500, ready)
    QTimer.singleShot(int(sys.argv[2]), finish)
    sys.exit(app.exec())
    """
)


def _xcb_works(env) -> bool:
    probe = "from PySide6.QtWidgets import QApplication; QApplication([])"
    return (
        subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, timeout=60
        ).returncode
        == 0
    )


def test_draw_with_real_input_events_changes_the_score(tmp_path):
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb and xdotool are not installed")
    display = f":{90 + os.getpid() % 9}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1400x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.0)
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        }
        if not _xcb_works(env):
            pytest.skip("Qt's xcb platform cannot start here (missing libraries)")
        shot = tmp_path / "screen.png"
        app = subprocess.Popen(
            [sys.executable, "-c", HARNESS, str(shot), "30000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert app.stdout is not None
        ready = json.loads(app.stdout.readline())
        assert ready["event"] == "ready"

        def xdotool(*args):
            subprocess.run(["xdotool", *args], env=env, check=True, timeout=30)

        # no window manager on a bare Xvfb: give the window the keyboard directly

        xdotool(
            "search",
            "--sync",
            "--name",
            "AR Explorer under test",
            "windowfocus",
            "--sync",
        )
        xdotool("key", "ctrl+5")
        where = json.loads(app.stdout.readline())
        assert where["event"] == "canvas"
        x0, y0 = where["x"] + where["w"] // 3, where["y"] + where["h"] // 3
        xdotool("mousemove", str(x0), str(y0))
        xdotool("mousedown", "1")
        for step in range(1, 16):
            xdotool("mousemove", str(x0 + 8 * step), str(y0 + 5 * step))
            time.sleep(0.02)
        xdotool("mouseup", "1")
        done = json.loads(app.stdout.readline())
        _, err = app.communicate(timeout=120)
        assert app.returncode == 0, err[-3000:]
        assert done["event"] == "done"
        assert done["ink"] > 10  # the stroke landed on the canvas
        assert done["score"] != where["score"]  # and the score followed it
        assert "log p(x)" in done["score"]
        assert shot.stat().st_size > 10_000  # a real screenshot of the display
    finally:
        server.terminate()
        server.wait(timeout=10)
