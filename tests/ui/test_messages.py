"""The questions of journal_app/ui/messages.py keep what the person has not kept yet."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from journal_app.ui import messages


def test_the_discard_question_keeps_by_default_and_on_escape(qtbot):
    box, discard = messages.discard_box(None, "Leave without keeping it?", "It is gone.",
                                        "Leave without keeping", "Go back")
    qtbot.addWidget(box)
    keep = box.defaultButton()
    assert keep is not None and keep.text() == "Go back"
    assert box.escapeButton() is keep
    assert discard.text() == "Leave without keeping"
    assert box.buttonRole(discard) == QMessageBox.ButtonRole.DestructiveRole
