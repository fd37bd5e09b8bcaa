"""The PyInstaller bundle builds from build.spec, and its --self-test passes inside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_bundle_builds_and_passes_its_self_test(tmp_path):
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    build = subprocess.run(
        [str(pyinstaller), "build.spec", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build")],
        cwd=ROOT, capture_output=True, text=True, timeout=840, check=False)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    bundle = tmp_path / "dist" / "IntegrationJournal"
    exe = bundle / ("IntegrationJournal.exe" if os.name == "nt" else "IntegrationJournal")
    assert (bundle / "_internal" / "resources" / "prompts").is_dir()
    assert not list(bundle.rglob("*QtWebEngine*")), "WebEngine must not be bundled"

    home = tmp_path / "home"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
           "JOURNAL_APP_CONFIG_DIR": str(home / "config"),
           "JOURNAL_APP_LOG_DIR": str(home / "log"), "JOURNAL_APP_DATA_DIR": str(home / "data")}
    run = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True,
                         timeout=180, env=env, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "self-test passed" in run.stdout
