"""The one application-wide signal hub (past-tense names: things that happened)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

#: A window with this dynamic property set to True (a voice note being recorded) holds off
#: the idle lock: speaking isn't typing, but the person is there.
KEEP_AWAKE = "keepsJournalAwake"


class Hub(QObject):
    journal_unlocked = Signal()
    journal_locked = Signal()
    entry_saved = Signal(int)  # entry id
    entries_changed = Signal()
    save_state_changed = Signal(str)  # "saved" | "unsaved" | "saving" | "failed"
