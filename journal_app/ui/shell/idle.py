"""Idle auto-lock: any key or mouse input restarts the countdown, and so does a window
that says it is in use without input (``hub.KEEP_AWAKE``: a voice note being recorded)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from journal_app.ui.hub import KEEP_AWAKE

_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.InputMethod,
}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._timed_out)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self._msecs = int(minutes * 60_000)
        self.restart()

    def restart(self) -> None:
        if self._msecs > 0:
            self._timer.start(self._msecs)
        else:
            self._timer.stop()

    def _timed_out(self) -> None:
        if any(window.isVisible() and window.property(KEEP_AWAKE) is True
               for window in QApplication.topLevelWidgets()):
            self.restart()
            return
        self.idle.emit()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start(self._msecs)
        return False
