"""pytest-qt helpers: the app's theme, and modal dialogs that never block a test."""

from __future__ import annotations

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
