"""An unlocked journal in the GUI: the journal object (every repository) and autosave.

Pages and dialogs read and write through this object's repositories (``repo``,
``check_ins``, ``answers``, ``timeline``, ``practices``, ``search``, ``lookback``); none
of them builds a repository. Nobody tells it that something changed: the database
reports every transaction that changed rows, and the vault derives "unsaved" from the
same counter, so a new write path can't forget to be saved.

Saving collects the changed rows (or, for a whole image, serialises the in-memory
database) on the UI thread and encrypts and writes on a worker, so typing never waits for
the disk. Lock and quit save with ``compact``: the whole image is written on the worker
too, so the vault's ``close()`` has nothing left to compact on the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from journal_app.errors import JournalError
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Vault
from journal_app.ui.background import run_in_background

if TYPE_CHECKING:
    import datetime as dt

    from journal_app.domain.practices import Practice
    from journal_app.domain.today import RecentCourse
    from journal_app.storage.lookback import LookBack
    from journal_app.storage.search import SearchService

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 1500

SaveCallback = Callable[[BaseException | None], None]


class OpenJournal(QObject):
    state_changed = Signal(str)  # saved | unsaved | saving | failed
    save_failed = Signal(str)  # a message safe to show

    def __init__(self, vault: Vault, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.data = Journal(vault)
        self.repo = self.data.repo
        self.check_ins = self.data.check_ins
        self.answers = self.data.answers
        self.timeline = self.data.timeline
        self.practices = self.data.practices
        self.data.add_change_listener(self._changed)
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self._saving = False
        self._waiting: list[SaveCallback] = []
        self._compact = False  # a whole image asked for (lock, quit): until it lands
        self._whole_due = False  # a whole image even with nothing unsaved (migrated)
        self._job_whole = False  # the save being written is a whole image
        self._close_compacts = True  # False: a compaction failed with all saved
        self.state = "saved"
        self.last_error: str = ""

    # ------------------------------------------------------------------ state
    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    @property
    def search(self) -> SearchService:
        return self.data.search

    @property
    def lookback(self) -> LookBack:
        return self.data.lookback

    def recent_course(self, since: dt.datetime | None) -> RecentCourse:
        """The recent end of the course (see ``Journal.recent_course``)."""
        return self.data.recent_course(since)

    def has_entries(self) -> bool:
        return self.data.has_entries()

    def open_practices(self) -> list[Practice]:
        return self.data.open_practices()

    @property
    def dirty(self) -> bool:
        return self.vault.dirty

    def _changed(self) -> None:
        """The database committed a change (called from inside the commit: only take
        note here). Show it unsaved and autosave soon."""
        if not self._saving:
            self._set_state("unsaved")
        self._timer.start()

    def save_soon(self) -> None:
        self._timer.start()

    # ------------------------------------------------------------------ saving
    def save_now(self, callback: SaveCallback | None = None, *, compact: bool = False,
                 ) -> None:
        """Save in the background; ``callback(None)`` on success, ``callback(exc)`` on failure.

        A save requested while one runs is folded into a follow-up save. With ``compact``
        (lock, quit) the file is left a whole image with no change records after it, if
        it isn't one already: written on the worker, like any save.
        """
        self._timer.stop()
        if callback:
            self._waiting.append(callback)
        self._compact = self._compact or compact
        if self._saving:
            return
        whole = self._compact and self.compaction_due
        if not self.vault.dirty and not whole:
            self._compact = False
            self._finish(None)
            return
        self._saving = True
        self._set_state("saving")
        self._job_whole = whole
        try:
            job = self.vault.prepare_save(compact=whole)
            # Nothing unsaved: the journal on disk rewritten whole keeps its save number,
            # as the vault's own compaction at close does (not after a migration).
            job.same_journal = whole and not self._whole_due
        except Exception as exc:  # told as a failed save, never left "saving"
            self._failed(exc)  # (else every later save, and lock, would wait for it)
            return
        run_in_background(job.run, lambda _gen: self._saved(), self._failed, parent=self)

    def write_whole_soon(self) -> None:
        """Write the journal as a whole image in the background even if nothing is
        unsaved: a journal migrated at open is then not migrated again at the next."""
        if not self.vault.read_only:
            self._whole_due = True
            self.save_now(compact=True)

    @property
    def compaction_due(self) -> bool:
        """A save with ``compact`` would write a whole image: something is unsaved, this
        sitting appended change records, or a whole image was asked for."""
        vault = self.vault
        return not vault.read_only and (vault.dirty or vault.needs_compaction
                                        or self._whole_due)

    def _saved(self) -> None:
        self._saving = False
        if self._job_whole:
            self._job_whole = self._whole_due = False
            self._close_compacts = True
        if self.vault.dirty or (self._compact and self.compaction_due):
            self.save_now()  # edits arrived while writing
            return
        self._compact = False
        self._set_state("saved")
        self._finish(None)

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        whole, self._job_whole = self._job_whole, False
        self._compact = self._whole_due = False
        if whole and not self.vault.dirty and isinstance(exc, (JournalError, OSError)):
            # Only tidying failed: the change records on disk hold everything (as the
            # vault's own compaction at close, best effort). Closing leaves them.
            log.warning("compaction failed with %s; the records stay", type(exc).__name__)
            self._close_compacts = False
            self._set_state("saved")
            self._finish(None)
            return
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
        self.vault.close(compact=self._close_compacts)
