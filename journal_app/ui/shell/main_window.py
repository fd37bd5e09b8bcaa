"""The main window: the lock screen, or the unlocked journal's pages beside a navigation list.

Its actions, menus and toolbar come from the one table in ``shell/actions.py``; the way from
the lock screen to an open journal is ``shell/unlock_flow.py``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from journal_app.errors import JournalError
from journal_app.ui import messages
from journal_app.ui.dialogs.help_dialog import ShortcutsDialog
from journal_app.ui.dialogs.settings_dialog import SettingsDialog
from journal_app.ui.hub import Hub
from journal_app.ui.settings import Settings
from journal_app.ui.shell.actions import Actions, install_menus, install_toolbar
from journal_app.ui.shell.clipboard_guard import ClipboardGuard
from journal_app.ui.shell.idle import IdleWatcher
from journal_app.ui.shell.journal_area import JournalArea
from journal_app.ui.shell.unlock_flow import UnlockFlow
from journal_app.ui.shell.unlock_screen import UnlockScreen
from journal_app.ui.theme import apply_theme

if TYPE_CHECKING:
    from journal_app.storage.inbox import MergeReport
    from journal_app.storage.vault import Secret, Vault
    from journal_app.ui.pages.base import Page
    from journal_app.ui.pages.journal_page import JournalPage
    from journal_app.ui.shell.open_journal import OpenJournal
    from journal_app.ui.shell.reminders import ReminderService


class MainWindow(QMainWindow):
    def __init__(self, path: Path, hub: Hub, *, settings: Settings | None = None,
                 auto_lock_minutes: float | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.hub = hub
        self.settings = settings or Settings()
        if auto_lock_minutes is None:
            auto_lock_minutes = self.settings.get("auto_lock_minutes")
        self.journal: OpenJournal | None = None
        self.reminders: ReminderService | None = None  # made at the first unlock
        self._locking = False
        self.setWindowTitle(self.tr("Integration Journal"))
        self.resize(1200, 760)

        self.unlock_screen = UnlockScreen(self)
        self.journal_area: JournalArea | None = None  # built on the first unlock
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.unlock_screen)
        self.setCentralWidget(self.stack)

        self.action_registry = Actions(self, hub)  # starts as on the lock screen
        install_menus(self, self.action_registry)
        self.toolbar = install_toolbar(self, self.action_registry)
        self.save_label = QLabel(self)
        self.save_label.setAccessibleName(self.tr("Save status"))
        self.statusBar().addPermanentWidget(self.save_label)

        self.clipboard_guard = ClipboardGuard(self)
        self.idle = IdleWatcher(auto_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        QApplication.instance().installEventFilter(self.idle)

        self.unlock_flow = UnlockFlow(path, self.unlock_screen, self, on_open=self._opened)
        self._show_locked()

    # ------------------------------------------------------------------ pages
    def _ensure_journal_area(self) -> JournalArea:
        if self.journal_area is None:
            self.journal_area = JournalArea(self)
            self.stack.addWidget(self.journal_area)
            self.journal_area.entry_stored.connect(self.hub.entry_saved)
        return self.journal_area

    @property
    def pages(self) -> list[Page]:
        """Every page (building any not built yet)."""
        return self.journal_area.pages if self.journal_area else []

    @property
    def journal_page(self) -> JournalPage:
        return self._ensure_journal_area().page("journal")  # type: ignore[return-value]

    def current_page(self) -> Page | None:
        return self.journal_area.current_page() if self.journal_area else None

    def show_page(self, page: Page) -> None:
        self._ensure_journal_area().show_page(page)

    # ------------------------------------------------------------------ lock/unlock
    def _show_locked(self) -> None:
        if self.journal_area is not None:
            self.journal_area.detach()
        self.save_label.clear()
        self.statusBar().clearMessage()  # what it said was about the journal just locked
        self.stack.setCurrentWidget(self.unlock_screen)
        self.unlock_screen.reset()
        self.unlock_flow.refresh_waiting_notes()
        self.idle.stop()

    def unlock(self, secret: Secret) -> None:
        self.unlock_flow.unlock(secret)

    def _opened(self, vault: Vault, report: MergeReport | JournalError | None) -> None:
        """The lock screen's unlock opened ``vault``: show it, then say what became of the
        quick notes."""
        self._unlocked(vault)
        if report is None:
            return
        if isinstance(report, JournalError):
            messages.error(self, self.tr("Quick notes not added yet"), self.tr(
                "Your quick notes could not be added to the journal this time; they are "
                "kept and will be tried again at the next unlock.") + "\n\n" + report.message)
        elif report.damaged or report.attachments_not_kept:
            self._say_not_kept(report)
        self._say_merged(report)

    def _say_not_kept(self, report: MergeReport) -> None:
        """Quick notes, or their voice note or picture, that couldn't be added: never
        silently (each file is kept, unchanged, in the inbox folder)."""
        parts = []
        if report.damaged:
            parts.append(self.tr("%n quick note(s) could not be read. They were kept, "
                                 "unchanged, in the journal's inbox folder.", "",
                                 report.damaged))
        if report.attachments_not_kept:
            parts.append(self.tr(
                "The voice note or picture of %n quick note(s) could not be kept (it was "
                "damaged, too large, or not a kind the journal keeps). The words were "
                "added; the file was kept, unchanged, in the journal's inbox folder.", "",
                report.attachments_not_kept))
        title = (self.tr("Some quick notes can't be read") if report.damaged
                 else self.tr("A voice note or picture wasn't kept"))
        messages.error(self, title, "\n\n".join(parts))

    def _say_merged(self, report: MergeReport | JournalError) -> None:
        """What the unlock did with the quick notes, in the status bar (counts only)."""
        if isinstance(report, JournalError) or not (report.merged or report.waiting):
            return
        parts = []
        if report.merged:
            parts.append(self.tr("%n quick note(s) written while locked were added to the "
                                 "journal.", "", report.merged))
        if report.redated:
            parts.append(self.tr("%n of them said a time outside when the journal could "
                                 "have been written; they are dated now, with the time "
                                 "they said noted.", "", report.redated))
        if report.waiting:
            parts.append(self.tr("%n more wait and will be added at the next unlock.", "",
                                 report.waiting))
        self.statusBar().showMessage(" ".join(parts))

    def open_vault(self, vault: Vault) -> None:
        """Show an already unlocked vault (after the create wizard)."""
        self._unlocked(vault)

    def _unlocked(self, vault: Vault) -> None:
        used_recovery = self.unlock_flow.forget_secret()
        from journal_app.ui.shell.open_journal import OpenJournal

        area = self._ensure_journal_area()
        self.journal = OpenJournal(vault, self)
        self.journal.state_changed.connect(self._save_state)
        self.journal.save_failed.connect(self._save_failed)
        area.attach(self.journal)
        self.stack.setCurrentWidget(area)
        area.nav.setCurrentRow(0)
        self._save_state("saved")
        self.idle.restart()
        today = area.page("today")  # on screen: it has just worked out what is waiting
        plan = getattr(today, "plan", None)
        self._ensure_reminders().attach(self.journal, plan.waiting if plan else None)
        self.hub.journal_unlocked.emit()
        if vault.migrated:  # written once now, so the next unlock doesn't migrate again
            self.journal.write_whole_soon()
        if vault.read_only:
            self.statusBar().showMessage(self.tr(
                "Opened read-only: this folder can't be written to, so changes won't be saved."))
        if used_recovery:
            from journal_app.ui.dialogs.passphrase_dialog import PassphraseDialog

            PassphraseDialog(self.journal.data, ask_current=False, parent=self).exec()

    def lock(self) -> None:
        """Save, close the journal and clear every view. Refuses to lose unsaved work."""
        if self.journal is None or self._locking:
            return
        self._locking = True
        self._flush_everything()
        self._purge_removed_words()
        self.journal.save_now(self._finish_lock, compact=True)

    def _finish_lock(self, error: BaseException | None) -> None:
        self._locking = False
        if error is not None or self.journal is None:
            self.idle.restart()
            return  # _save_failed already told the user; nothing is lost
        self.journal.close()
        self.journal.deleteLater()
        self.journal = None
        self._close_journal_windows()
        if self.reminders is not None:
            self.reminders.detach()
        self.clipboard_guard.clear_if_ours()
        self._show_locked()
        self.hub.journal_locked.emit()

    def _flush_everything(self) -> None:
        """Deliver every pending edit: pages and open prompt-flow windows."""
        if self.journal_area is not None:
            self.journal_area.flush()
            from journal_app.ui.dialogs.prompt_flow import flush_flows

            flush_flows(self)

    def _purge_removed_words(self) -> None:
        """Before the last save of a sitting: words edited out of entries leave the index."""
        if self.journal is not None and self.journal.dirty:
            self.journal.data.purge_removed_words()

    def _close_journal_windows(self) -> None:
        """After a lock nothing of the journal may stay reachable: close every dialog.
        One holding something not yet kept (a recording, a drawing) closes through its
        ``discard``: the journal it would go into is closed, and a question about it must
        not wait on the lock screen."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                discard = getattr(dialog, "discard", None)
                if callable(discard):
                    discard()
                else:
                    dialog.reject()

    # ------------------------------------------------------------------ entries
    def new_entry(self) -> None:
        if self.journal is not None:
            self._ensure_journal_area().new_entry()

    def find(self) -> None:
        if self.journal is not None:
            self._ensure_journal_area().find()

    def delete_entry(self) -> None:
        area = self.journal_area
        if self.journal is not None and area is not None and area.is_built("journal") \
                and self.current_page() is self.journal_page:
            self.journal_page.delete_entry()

    # ------------------------------------------------------------------ saving
    def _save_state(self, state: str) -> None:
        texts = {
            "saved": self.tr("All changes saved"),
            "unsaved": self.tr("Unsaved changes"),
            "saving": self.tr("Saving…"),
            "failed": self.tr("Not saved — your changes are still here"),
        }
        self.save_label.setText(texts.get(state, ""))
        self.hub.save_state_changed.emit(state)

    def _save_failed(self, message: str) -> None:
        messages.save_failed(self, message)

    def change_passphrase(self) -> None:
        if self.journal is None:
            return
        from journal_app.ui.dialogs.passphrase_dialog import PassphraseDialog

        PassphraseDialog(self.journal.data, parent=self).exec()

    # ------------------------------------------------------------------ reminders, export
    def _ensure_reminders(self) -> ReminderService:
        if self.reminders is None:
            from journal_app.ui.shell.reminders import ReminderService

            self.reminders = ReminderService(self)
            self.reminders.open_requested.connect(self.bring_to_front)
            self.reminders.lock_requested.connect(self.lock)
            self.reminders.quit_requested.connect(self.close)
            self.reminders.steps_became_due.connect(self._steps_became_due)
            self._apply_reminder_setting()
        return self.reminders

    def _apply_reminder_setting(self) -> None:
        if self.reminders is None:
            return
        on = bool(self.settings.get("reminders"))
        self.reminders.set_enabled(on)
        if on:
            self.reminders.show_tray()
        else:
            self.reminders.tray.hide()

    def _steps_became_due(self) -> None:
        if self.journal_area is not None:
            self.journal_area.refresh_others()

    def show_safety_panel(self) -> None:
        """Open at once; with the journal unlocked it also shows the care team and plan."""
        from journal_app.ui.dialogs.safety_panel import open_safety_panel

        open_safety_panel(self, self.journal)

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def import_journal(self) -> None:
        """Journal → Import… (the dialog's module is imported only when it is asked for)."""
        from journal_app.ui.dialogs.import_dialog import open_import_dialog

        open_import_dialog(self.journal, self, self.hub, on_changed=self._refresh_pages)

    def _refresh_pages(self) -> None:
        """Entries came in from elsewhere: every built page shows them."""
        if self.journal_area is not None:
            if self.journal_area.is_built("journal"):  # else it loads when first shown
                self.journal_page.refresh()
            self.journal_area.refresh_others()

    def export_report(self) -> None:
        if self.journal is None:
            return
        self._flush_everything()
        from journal_app.ui.dialogs.export_dialog import open_export_dialog

        open_export_dialog(self.journal.data, self,
                           suggested_name=self.settings.get("default_export_name"))

    # ------------------------------------------------------------------ preferences
    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, unlocked=self.journal is not None, parent=self)
        dialog.applied.connect(self.apply_settings)
        dialog.contacts_requested.connect(self.edit_contacts)
        dialog.exec()

    def edit_contacts(self) -> None:
        """Clinic, therapist and crisis contacts and the safety plan (kept in the journal)."""
        if self.journal is None:
            return
        from journal_app.ui.dialogs.safety_plan import SafetyPlanDialog

        SafetyPlanDialog(self.journal, self).exec()

    def apply_settings(self) -> None:
        app = QApplication.instance()
        apply_theme(app, self.settings.get("theme"), self.settings.get("font_size"))
        self.idle.set_minutes(self.settings.get("auto_lock_minutes"))
        if self.journal is None:
            self.idle.stop()
        self._apply_reminder_setting()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.action_registry.values(), self).exec()

    # ------------------------------------------------------------------ quitting
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.journal is None:
            event.accept()
            return
        self._flush_everything()
        self._purge_removed_words()
        if not (self.journal.dirty or self.journal.saving or self.journal.compaction_due):
            self.journal.close()
            self.journal = None
            event.accept()
            return
        event.ignore()
        self.journal.save_now(self._closed_after_save, compact=True)

    def _closed_after_save(self, error: BaseException | None) -> None:
        if error is None and self.journal is not None:
            self.journal.close()
            self.journal = None
            self.close()
