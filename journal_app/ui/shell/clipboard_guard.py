"""Clear journal text from the clipboard after a short delay and on lock — if still ours."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 45_000


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class ClipboardGuard(QObject):
    """Watches copies made while our window is active; remembers only a hash of the text."""

    def __init__(self, parent: QObject | None = None, *, delay_ms: int = CLEAR_AFTER_MS) -> None:
        super().__init__(parent)
        self.clipboard: QClipboard = QGuiApplication.clipboard()
        self._ours: bytes | None = None
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.clear_if_ours)
        # A copy counts as ours when one of our windows has focus at that moment.
        self.app_has_focus = lambda: QGuiApplication.focusWindow() is not None
        self.clipboard.dataChanged.connect(self._changed)

    def _changed(self) -> None:
        text = self.clipboard.text()
        if text and self.app_has_focus():
            self._ours = _digest(text)
            self._timer.start()
        elif self._ours is not None and _digest(text) != self._ours:
            self._ours = None  # something else owns the clipboard now: leave it alone

    def clear_if_ours(self) -> None:
        self._timer.stop()
        if self._ours is not None and _digest(self.clipboard.text()) == self._ours:
            self.clipboard.clear()
        self._ours = None
