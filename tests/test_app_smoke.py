import os
import subprocess
import sys

from desktop_app.app import MainWindow


def test_window_shows_the_exact_counts(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    table = window.count_table
    rows = {table.item(r, 0).text(): table.item(r, 1) for r in range(table.rowCount())}
    assert rows["fully dependent"].toolTip() == str(2**784 - 1)
    assert "237 digits" in rows["fully dependent"].text()
    assert rows["Markov AR-1"].text() == "1,567"
    assert "2^784 − 1" in table.item(0, 2).text()


def test_the_real_app_starts_and_quits():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--quit-after", "300"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
