"""Reminders while the app runs: a desktop notification when a step becomes due.

The notification is seen by anyone near the screen, so it never carries journal content:
no titles, intentions, scores, session numbers or dates, only that something is ready.
It fires once per (session, step), only while the journal is unlocked (when locked the
journal can't be read, and nothing is shown), and never for what was already waiting at
unlock: the Today page shows that.

The tray icon offers Open, Lock and Quit; the composition root connects those signals and
the settings switch (``set_enabled``). Which steps to announce, and the kind of words, are
decided in domain/reminders.py; this service keeps the tray and the timer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from journal_app.domain.entities import now as local_now
from journal_app.domain.reminders import (
    ReminderMemory,
    ReminderMessage,
    StepKey,
    open_steps,
    reminder_message,
    step_key,
)
from journal_app.domain.timeline import TimelineItem
from journal_app.domain.today import recent_since

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

CHECK_INTERVAL_MS = 60_000
MESSAGE_MS = 10_000
ICON_COLOUR = "#4f7a74"  # the theme's calm accent


def app_icon() -> QIcon:
    """The application's icon, or a plain calm circle when none is set."""
    app = QApplication.instance()
    icon = app.windowIcon() if isinstance(app, QApplication) else QIcon()
    if not icon.isNull():
        return icon
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(ICON_COLOUR))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(6, 6, 52, 52))
    painter.end()
    return QIcon(pixmap)


class ReminderService(QObject):
    notified = Signal(str)  # the text just shown (never journal content)
    steps_became_due = Signal()  # something new is due: the Today page may refresh
    open_requested = Signal()
    lock_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None, *,
                 clock: Callable[[], dt.datetime] = local_now,
                 interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.clock = clock
        self.journal: OpenJournal | None = None
        self._enabled = True
        self._memory = ReminderMemory()
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.check)
        self.tray = self._make_tray()

    # ------------------------------------------------------------------ tray
    def _make_tray(self) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(app_icon(), self)
        tray.setToolTip(self.tr("Integration Journal"))
        self.menu = QMenu()
        for text, signal in ((self.tr("Open"), self.open_requested),
                             (self.tr("Lock"), self.lock_requested),
                             (self.tr("Quit"), self.quit_requested)):
            action = QAction(text, self.menu)
            action.triggered.connect(signal.emit)
            self.menu.addAction(action)
        self.lock_action = self.menu.actions()[1]
        self.lock_action.setEnabled(False)
        tray.setContextMenu(self.menu)
        tray.activated.connect(self._activated)
        tray.messageClicked.connect(self.open_requested.emit)
        return tray

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()

    def show_tray(self) -> bool:
        """Show the tray icon if the desktop has a tray; False if it has none."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        self.tray.show()
        return True

    # ------------------------------------------------------------------ switches
    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, on: bool) -> None:
        """The settings switch. While off nothing is shown; steps that become due in the
        meantime are not announced later."""
        self._enabled = bool(on)

    def attach(self, journal: OpenJournal,
               waiting: Iterable[TimelineItem] | None = None) -> None:
        """The journal was unlocked: what is already waiting counts as seen. ``waiting``:
        what the Today page just showed as waiting (``TodayPlan.waiting``), so it is not
        worked out twice; None: looked up here."""
        self.journal = journal
        self.lock_action.setEnabled(True)
        self._memory.note_waiting(self._open_items(self.clock()) if waiting is None
                                  else waiting)
        self.timer.start()

    def detach(self) -> None:
        """The journal was locked: stop looking (nothing can be read now)."""
        self.journal = None
        self.lock_action.setEnabled(False)
        self.timer.stop()

    # ------------------------------------------------------------------ checking
    def _open_items(self, now: dt.datetime) -> list[TimelineItem]:
        if self.journal is None:
            return []
        course = self.journal.recent_course(recent_since(now))
        return open_steps(course.sessions, course.records, now)

    def check(self, now: dt.datetime | None = None) -> list[StepKey]:
        """Announce the steps that became due since the last check; returns their keys."""
        if self.journal is None:
            return []
        fresh = self._memory.fresh(self._open_items(now or self.clock()))
        if not fresh:
            return []
        self.steps_became_due.emit()
        if self._enabled:
            self._notify(self.message_for(fresh))
        return [step_key(item) for item in fresh]

    def message_for(self, items: list[TimelineItem]) -> str:
        """Generic words only; see the module docstring."""
        kind = reminder_message(items)
        if kind is ReminderMessage.SEVERAL:
            return self.tr("%n steps are ready in your journal.", "", len(items))
        if kind is ReminderMessage.PREPARATION:
            return self.tr("Your preparation is waiting.")
        return self.tr("A reflection step is ready.")

    def _notify(self, text: str) -> None:
        self.tray.showMessage(self.tr("Integration Journal"), text, app_icon(), MESSAGE_MS)
        self.notified.emit(text)
