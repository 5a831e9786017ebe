import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("quit_after", [300, 1500])
def test_the_real_app_starts_and_quits(tmp_path, quit_after):
    """python -m desktop_app on a fresh profile (no settings, empty user library).

    Quitting early catches background work (the held-out scores, the torch
    warm-up) still running at exit.
    """
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--quit-after", str(quit_after)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "config").is_dir()  # QSettings were written on close
