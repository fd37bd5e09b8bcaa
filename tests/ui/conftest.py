"""pytest-qt helpers: the app's theme, and modal dialogs that never block a test."""

from __future__ import annotations

import os
import tempfile

import pytest
from PySide6.QtWidgets import QApplication

from journal_app.ui.theme import apply_theme


@pytest.fixture(autouse=True)
def themed(qapp: QApplication):
    apply_theme(qapp, "light", 12)
    yield


@pytest.fixture
def no_modals(monkeypatch):
    """Record message boxes instead of showing them."""
    shown: list[tuple[str, str]] = []
    from journal_app.ui import messages

    monkeypatch.setattr(messages, "error", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(messages, "info", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, title, text, yes, no: shown.append((title, text)) or True)
    monkeypatch.setattr(messages, "confirm_discard",
                        lambda _p, title, text, discard, keep: shown.append((title, text)) or True)
    return shown


def _listing(folder: str) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), folder)
                  for d, dirs, files in os.walk(folder) for f in [*files, *dirs])


@pytest.fixture
def no_files_written(tmp_path, monkeypatch, private_dirs):
    """Nothing of a recording or a drawing reaches the disk: the temp folder and the app's
    folders stay as they were (``pytestmark = pytest.mark.usefixtures(...)``)."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    before = _listing(str(private_dirs))
    yield
    assert _listing(tempfile.gettempdir()) == []
    assert _listing(str(private_dirs)) == before
