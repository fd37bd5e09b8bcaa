"""Start-up: the lock screen does not wait for the database layer to import."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from journal_app.app import build_window
from journal_app.ui.settings import Settings
journal = Path(sys.argv[1])
journal.write_bytes(b"placeholder: only its existence matters before unlock")
window = build_window(journal, Settings())
window.show()
heavy = [m for m in ("sqlalchemy", "alembic", "cryptography") if m in sys.modules]
print("heavy:" + ",".join(heavy))
print("screen:" + type(window.stack.currentWidget()).__name__)
"""


def test_lock_screen_is_built_without_importing_the_database_layer(tmp_path):
    env_dirs = {"JOURNAL_APP_CONFIG_DIR": str(tmp_path / "c"),
                "JOURNAL_APP_LOG_DIR": str(tmp_path / "l"),
                "JOURNAL_APP_DATA_DIR": str(tmp_path / "d")}
    import os

    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "j.ijournal")],
                            capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ, **env_dirs})
    assert result.returncode == 0, result.stderr
    assert "screen:UnlockScreen" in result.stdout
    assert "heavy:\n" in result.stdout, result.stdout
