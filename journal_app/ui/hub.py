"""The one application-wide signal hub (past-tense names: things that happened)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Hub(QObject):
    journal_unlocked = Signal()
    journal_locked = Signal()
    entry_saved = Signal(int)  # entry id
    entries_changed = Signal()
    save_state_changed = Signal(str)  # "saved" | "unsaved" | "saving" | "failed"
