"""Closing the window mid-work: a clean exit, every time.

A real process (offscreen) starts a training run, the sampler and the canvas's
background scoring, then closes the window after a moment; it must exit with
status 0, without "QThread: Destroyed while thread is still running", a
traceback, or a hang.
"""

import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from desktop_app.app import MainWindow
    from desktop_app.panels.canvas import CanvasPanel
    from desktop_app.panels.sampler import SamplerPanel
    from desktop_app.panels.training import TrainingPanel

    app = QApplication(sys.argv)
    window = MainWindow()
    app.aboutToQuit.connect(window.shutdown)
    window.show()
    panels = {type(p): p for p in window.panels}
    what = sys.argv[1]

    def begin():
        if what in ("training", "all"):
            training = panels[TrainingPanel]
            training.set_kind("nade")
            training.epochs_box.setValue(100)
            assert training.start()
        if what in ("sampling", "all"):
            sampler = panels[SamplerPanel]
            sampler.speed_slider.setValue(100)
            sampler.play_button.setChecked(True)
        if what in ("scoring", "all"):
            canvas = panels[CanvasPanel]
            canvas.load_digit(3)
            canvas.set_model(window.session.checkpoint)  # held-out scores again
        QTimer.singleShot(int(sys.argv[2]), window.close)

    QTimer.singleShot(200, begin)
    sys.exit(app.exec())
    """
)


@pytest.mark.parametrize("what", ["training", "all"])
@pytest.mark.parametrize("after_ms", [150, 1500])
def test_closing_mid_work_exits_cleanly(tmp_path, what, after_ms):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, what, str(after_ms)],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Destroyed while thread" not in result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
