"""Unexpected Qt warnings fail a test: the suite's own settings, tried on two small tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

INNER = '''
from PySide6.QtCore import qWarning


def test_a_warning_nobody_expects(qtbot):
    qWarning("QWidget::setLayout: something went wrong")


def test_a_note_of_the_offscreen_platform(qtbot):
    qWarning("This plugin does not support raise()")

'''


def _ini() -> str:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ini = options["tool"]["pytest"]["ini_options"]
    ignore = "\n    ".join(ini["qt_log_ignore"])
    return (f"[pytest]\nqt_log_level_fail = {ini['qt_log_level_fail']}\n"
            f"qt_log_ignore =\n    {ignore}\n")


def test_an_unexpected_qt_warning_fails_its_test(tmp_path):
    (tmp_path / "pytest.ini").write_text(_ini(), encoding="utf-8")
    (tmp_path / "test_inner.py").write_text(INNER, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    summary = result.stdout.strip().splitlines()[-1]
    assert "1 failed, 1 passed" in summary, result.stdout + result.stderr
    assert "test_a_warning_nobody_expects" in result.stdout.split("short test summary")[-1]
