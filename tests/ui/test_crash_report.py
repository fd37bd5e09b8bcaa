"""Unexpected errors reach a dialog with a copyable report that holds no journal text."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QMessageBox

from journal_app import app as app_module

CANARY = "CrashCanaryJ8q"


def _raise_with_journal_text() -> None:
    body = f"my private words {CANARY}"  # noqa: F841 - a local the report must not show
    raise ValueError(f"could not parse {CANARY}")


def test_excepthook_dialog_report_has_no_journal_text(qtbot, monkeypatch, private_dirs):
    shown: dict[str, str] = {}

    def fake_exec(box: QMessageBox) -> int:
        shown["text"] = box.text()
        shown["details"] = box.detailedText()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    app_module.setup_logging()
    try:
        _raise_with_journal_text()
    except ValueError:
        app_module.excepthook(*sys.exc_info())
    for handler in logging.getLogger("journal_app").handlers:
        handler.flush()

    assert "builtins.ValueError" in shown["details"]
    assert "_raise_with_journal_text" in shown["details"], "where it happened is reported"
    assert CANARY not in shown["details"] and CANARY not in shown["text"]
    log_text = "".join(p.read_text() for p in (private_dirs / "log").glob("*.log"))
    assert "ValueError" in log_text and CANARY not in log_text
