"""An unlocked journal in the GUI: the vault, its repository and autosave.

Saving serialises the in-memory database on the UI thread (a memory copy) and encrypts
and writes it on a worker, so typing never waits for the disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from journal_app.errors import JournalError
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault
from journal_app.ui.background import run_in_background

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 1500

SaveCallback = Callable[[BaseException | None], None]


class OpenJournal(QObject):
    state_changed = Signal(str)  # saved | unsaved | saving | failed
    save_failed = Signal(str)  # a message safe to show

    def __init__(self, vault: Vault, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.repo = JournalRepository(vault.db, on_change=self._changed)
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self._saving = False
        self._waiting: list[SaveCallback] = []
        self.state = "saved"
        self.last_error: str = ""

    # ------------------------------------------------------------------ state
    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def note_change(self) -> None:
        """Something was written to the journal: show it unsaved and autosave soon.
        Pass this as ``on_change`` to any repository used on the UI thread."""
        self._changed()

    def _changed(self) -> None:
        self.vault.mark_dirty()
        if not self._saving:
            self._set_state("unsaved")
        self._timer.start()

    def save_soon(self) -> None:
        self._timer.start()

    # ------------------------------------------------------------------ saving
    def save_now(self, callback: SaveCallback | None = None) -> None:
        """Save in the background; ``callback(None)`` on success, ``callback(exc)`` on failure.

        A save requested while one runs is folded into a follow-up save.
        """
        self._timer.stop()
        if callback:
            self._waiting.append(callback)
        if self._saving:
            return
        if not self.vault.dirty:
            self._finish(None)
            return
        self._saving = True
        self._set_state("saving")
        job = self.vault.prepare_save()
        run_in_background(job.run, lambda _gen: self._saved(), self._failed, parent=self)

    def _saved(self) -> None:
        self._saving = False
        if self.vault.dirty:  # edits arrived while writing
            self.save_now()
            return
        self._set_state("saved")
        self._finish(None)

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        if isinstance(exc, JournalError):
            message = exc.message
        else:
            log.error("save failed with %s", type(exc).__name__)
            message = QCoreApplication.translate(
                "OpenJournal", "The journal could not be saved because of an unexpected "
                "error. Your changes are still open here.")
        self.last_error = message
        self._set_state("failed")
        self.save_failed.emit(message)
        self._finish(exc)

    def _finish(self, exc: BaseException | None) -> None:
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback(exc)

    @property
    def saving(self) -> bool:
        return self._saving

    def close(self) -> None:
        self._timer.stop()
        self.vault.close()
