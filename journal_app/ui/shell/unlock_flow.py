"""From the lock screen to an open journal: unlock on a worker, merge the quick notes, ask
about an older copy, restore a backup of a damaged journal, write a quick note locked
(with a picture or voice note if the person likes), say that the last save didn't finish.

The window hands over its lock screen and is told when a vault is open (``on_open``, with
what became of the quick notes: the window says that, its plurals need its own tr()); the
messages here speak in the window's name (translation context "MainWindow").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMainWindow

from journal_app.errors import DamagedFileError, JournalError, WrongSecretError
from journal_app.ui import messages
from journal_app.ui.background import run_in_background

if TYPE_CHECKING:
    from journal_app.domain.attachments import AttachmentKind
    from journal_app.storage.inbox import MergeReport
    from journal_app.storage.vault import Secret, Vault
    from journal_app.ui.shell.unlock_screen import UnlockScreen

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # literal calls: lupdate extracts them


Opened = tuple["Vault", "MergeReport | JournalError | None", bool]


def open_and_merge(path: Path, secret: Secret) -> Opened:
    """Unlock (slow: key derivation) and merge quick notes; runs on a worker thread. An
    older copy (``vault.rollback``) is not merged into (``None``): the user decides
    first whether to keep it. Last, whether the last save had not finished (noted
    before the merge, whose save clears ``vault.unfinished_save``)."""
    from journal_app.storage.vault import Vault

    vault = Vault.open(path, secret)
    unfinished = vault.unfinished_save is not None
    if vault.rollback is not None:
        return vault, None, unfinished
    return vault, merge_quick_notes(vault), unfinished


def merge_quick_notes(vault: Vault) -> MergeReport | JournalError:
    from journal_app.storage.journal import Journal

    try:
        return Journal(vault).merge_inbox()
    except JournalError as exc:  # the journal still opens; the notes stay in the inbox
        return exc


def warm_up_for_unlock() -> None:
    """On a worker while the lock screen shows: what the first moments after an unlock
    would otherwise import or set up on the UI thread (the ORM, the schedule, the Today
    page's Markdown renderer; pure Python, no Qt). Only a head start: a failure here is
    met again, and reported, where the thing is used."""
    import journal_app.domain.render
    import journal_app.domain.today_view
    import journal_app.storage.session_reads  # noqa: F401
    from journal_app.domain.timeline import default_schedule
    from journal_app.storage.journal import warm_up

    warm_up()
    default_schedule()  # read once, then kept


class UnlockFlow(QObject):
    """The lock screen's requests, answered for ``window``'s journal at ``path``."""

    def __init__(self, path: Path, screen: UnlockScreen, window: QMainWindow,
                 on_open: Callable[[Vault, MergeReport | JournalError | None], None],
                 ) -> None:
        super().__init__(window)
        self.path = path
        self.screen = screen
        self.window = window
        self.on_open = on_open
        self._pending_backup: Path | None = None
        self._pending_secret: Secret | None = None
        screen.unlock_requested.connect(self.unlock)
        screen.restore_backup_requested.connect(self._restore_backup)
        screen.quick_note_requested.connect(self.quick_note)

    def forget_secret(self) -> bool:
        """The journal is open: let go of the secret; True if it was the recovery key (the
        user is then asked for a new passphrase)."""
        used_recovery = bool(self._pending_secret and self._pending_secret.recovery_key)
        self._pending_secret = None
        return used_recovery

    def refresh_waiting_notes(self) -> None:
        """Count quick notes on a worker: it also warms the storage imports for unlock; on
        another, set up what the first moments after an unlock need."""
        path = self.path

        def count() -> int:
            # Importing here also warms what unlock needs, while the lock screen shows.
            import journal_app.storage.care
            import journal_app.storage.checkins
            import journal_app.storage.lookback
            import journal_app.storage.repository  # noqa: F401
            from journal_app.storage import inbox

            return len(inbox.inbox_items(path))

        run_in_background(count, self.screen.set_waiting_notes, lambda _exc: None,
                          parent=self.window)
        run_in_background(warm_up_for_unlock, lambda _none: None, lambda _exc: None,
                          parent=self.window)

    def unlock(self, secret: Secret) -> None:
        self.screen.set_busy(True)
        self._pending_secret = secret
        path = self.path
        run_in_background(lambda: open_and_merge(path, secret), self._opened,
                          self._unlock_failed, parent=self.window)

    def _opened(self, result: Opened) -> None:
        vault, report, unfinished = result
        if vault.rollback is not None:
            if not self._keep_older_copy(vault):
                return
            report = merge_quick_notes(vault)
        if unfinished:
            from journal_app.ui.shell import unfinished_notice

            unfinished_notice.show(self.window)
        self.on_open(vault, report)

    def _keep_older_copy(self, vault: Vault) -> bool:
        """The journal opened is older than the one this computer saw last: ask. Continue
        takes it on purpose; otherwise it is closed unsaved and the lock screen says why."""
        from journal_app.storage import rollback
        from journal_app.ui.shell import rollback_notice
        seen = vault.rollback
        assert seen is not None
        if rollback_notice.ask(self.window, seen.opened_generation, seen.seen_generation):
            rollback.accept(vault)
            return True
        self._pending_secret = None
        vault.close()  # nothing was changed in it: closing writes nothing
        self.screen.reset()
        self.screen.show_message(rollback_notice.locked_message())
        return False

    def quick_note(self) -> None:
        """Write a quick note while locked: words, and perhaps a picture or voice note."""
        from journal_app.ui.dialogs.quick_note import QuickNoteDialog

        dialog = QuickNoteDialog(self._seal_quick_note, self.window)
        try:
            kept = dialog.exec()
        finally:
            dialog.deleteLater()  # nothing of the note stays behind in a hidden window
        if kept:
            self.refresh_waiting_notes()

    def _seal_quick_note(self, text: str,
                         attached: tuple[AttachmentKind, bytes] | None) -> None:
        from journal_app.storage import inbox

        if attached is None:
            inbox.seal_note(self.path, text)
        else:
            inbox.seal_note_with_attachment(self.path, text, *attached)

    def _unlock_failed(self, exc: BaseException) -> None:
        self._pending_backup = None
        if isinstance(exc, WrongSecretError):
            self.screen.show_wrong_secret()
        elif isinstance(exc, DamagedFileError):
            self._pending_backup = exc.backup
            self.screen.show_message(exc.message, offer_restore=exc.backup is not None)
        elif isinstance(exc, JournalError):
            self.screen.show_message(exc.message)
        else:
            log.error("unlock failed with %s", type(exc).__name__)
            self.screen.show_message(translate(
                "MainWindow", "The journal could not be opened because of an unexpected "
                "error."))

    def _restore_backup(self) -> None:
        backup = self._pending_backup
        if backup is None:
            return
        question = translate(
            "MainWindow", "Put the backup from %1 in place of the damaged journal? The "
            "damaged file is kept beside it, renamed.").replace(
                "%1", backup.name.rsplit(".", 1)[-1])
        if not messages.confirm(self.window, translate("MainWindow", "Restore backup"),
                                question, translate("MainWindow", "Restore"),
                                translate("MainWindow", "Cancel")):
            return
        from journal_app.storage.vault import restore_backup

        try:
            restore_backup(self.path, backup)
        except JournalError as exc:
            self.screen.show_message(exc.message)
            return
        if self._pending_secret is not None:
            self.unlock(self._pending_secret)
