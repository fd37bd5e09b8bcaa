"""Every visible string can be extracted for translation by Qt's lupdate."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_lupdate_extracts_strings_each_with_a_context(tmp_path):
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    assert lupdate, "pyside6-lupdate comes with PySide6"
    sources = sorted(str(p) for p in (ROOT / "journal_app").rglob("*.py"))
    target = tmp_path / "journal_app.ts"
    result = subprocess.run([lupdate, *sources, "-ts", str(target)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    ts = target.read_text(encoding="utf-8")
    contexts = re.findall(r"<context>\s*<name>(.*?)</name>", ts)
    assert "" not in contexts, "a translate call without a context can't be translated"
    assert ts.count("<source>") > 500
    for expected in ("I need help now", "Your journal is locked", "Lock now"):
        assert f"<source>{expected}</source>" in ts
