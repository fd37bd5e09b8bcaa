"""Journal text copied to the clipboard does not outlive a short delay or a lock."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from journal_app.ui.shell.clipboard_guard import ClipboardGuard


def test_copied_text_is_cleared_after_the_delay(qtbot):
    field = QLineEdit("the words I wrote")
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.activateWindow()
    qtbot.waitUntil(field.isActiveWindow)
    guard = ClipboardGuard(delay_ms=100)
    field.selectAll()
    field.copy()
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == "the words I wrote"
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3_000)
    guard.deleteLater()


def test_clipboard_changed_by_someone_else_is_left_alone(qtbot):
    field = QLineEdit("journal text")
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.activateWindow()
    qtbot.waitUntil(field.isActiveWindow)
    guard = ClipboardGuard(delay_ms=60_000)
    field.selectAll()
    field.copy()
    clipboard = QGuiApplication.clipboard()
    # Another program takes the clipboard while none of our windows has focus.
    guard.app_has_focus = lambda: False
    clipboard.setText("someone else's text")
    guard.clear_if_ours()  # as on lock
    assert clipboard.text() == "someone else's text"
    guard.deleteLater()
