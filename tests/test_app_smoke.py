import os
import subprocess
import sys


def test_the_real_app_starts_and_quits(tmp_path):
    """python -m desktop_app on a fresh profile (no settings, empty user library)."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--quit-after", "1500"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "config").is_dir()  # QSettings were written on close
