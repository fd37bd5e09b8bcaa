"""The foundation's end-to-end flow in the real GUI: create, write, lock, unlock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from journal_app.ui.hub import Hub
from journal_app.ui.shell.create_wizard import CreateJournalWizard
from journal_app.ui.shell.main_window import MainWindow
from tests.conftest import FAST_KDF

PASSPHRASE = "calm river stone lantern"


def create_with_wizard(qtbot, path: Path) -> tuple[Vault, str]:
    wizard = CreateJournalWizard(path, FAST_KDF)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    fields = wizard.passphrase_page.fields
    assert not wizard.passphrase_page.isComplete()
    qtbot.keyClicks(fields.first, PASSPHRASE)
    qtbot.keyClicks(fields.second, PASSPHRASE[:-1])
    assert not wizard.passphrase_page.isComplete(), "mismatched passphrases must not pass"
    qtbot.keyClicks(fields.second, PASSPHRASE[-1])
    assert wizard.passphrase_page.isComplete()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.recovery_key is not None, timeout=10_000)
    page = wizard.recovery_page
    key = wizard.recovery_key
    assert page.key_label.text().replace("\n", "") == key
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled(), "finishing needs the confirmation that the key was kept"
    page.kept.setChecked(True)
    assert finish.isEnabled()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert wizard.recovery_key is None and page.key_label.text() == ""
    assert wizard.vault is not None
    return wizard.vault, key


def make_window(qtbot, path: Path) -> MainWindow:
    window = MainWindow(path, Hub(), auto_lock_minutes=5)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    return window


def write_entry(qtbot, window: MainWindow, title: str, body: str, tags: str = "") -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.journal_page.editor
    assert editor.isEnabled()
    qtbot.keyClicks(editor.title, title)
    qtbot.keyClicks(editor.tags, tags)
    editor.body.setFocus()
    qtbot.keyClicks(editor.body, body)
    with qtbot.waitSignal(editor.edited, timeout=5_000):
        pass


def lock(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.hub.journal_locked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def unlock(qtbot, window: MainWindow, text: str, *, recovery: bool = False) -> None:
    screen = window.unlock_screen
    if recovery:
        qtbot.mouseClick(screen.mode_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.secret, text)
    with qtbot.waitSignal(window.hub.journal_unlocked, timeout=10_000):
        qtbot.keyClick(screen.secret, Qt.Key.Key_Return)


def visible_titles(window: MainWindow) -> list[str]:
    """The titles listed on the Journal page, opened from the navigation as a user would
    (pages load when shown: the window opens on Today)."""
    window.journal_area.nav.setCurrentRow(window.pages.index(window.journal_page))
    model = window.journal_page.model
    return [model.entry_at(r).title for r in range(model.rowCount())]


@pytest.fixture
def journal_path(tmp_path) -> Path:
    return tmp_path / "journal.ijournal"


def test_create_write_lock_unlock_with_passphrase(qtbot, journal_path, no_modals):
    vault, _key = create_with_wizard(qtbot, journal_path)
    window = make_window(qtbot, journal_path)
    window.open_vault(vault)
    write_entry(qtbot, window, "After the third session", "I saw the ocean again.", "ocean, grief")
    assert visible_titles(window) == ["After the third session"]

    lock(qtbot, window)
    assert window.stack.currentWidget() is window.unlock_screen
    assert window.journal is None
    assert window.journal_page.model.rowCount() == 0
    assert window.journal_page.editor.body.toPlainText() == ""

    unlock(qtbot, window, PASSPHRASE)
    assert visible_titles(window) == ["After the third session"]
    shown = window.journal_page.editor
    assert shown.body.toPlainText() == "I saw the ocean again."
    assert shown.tags.text() == "grief, ocean"  # tags are kept in alphabetical order
    assert no_modals == []


def test_wrong_passphrase_is_calm_and_changes_nothing(qtbot, journal_path, no_modals):
    vault, _key = create_with_wizard(qtbot, journal_path)
    vault.close()
    before = journal_path.read_bytes()
    window = make_window(qtbot, journal_path)
    screen = window.unlock_screen
    qtbot.keyClicks(screen.secret, "not my passphrase")
    qtbot.keyClick(screen.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.unlock_button.isEnabled(), timeout=10_000)
    assert "didn't open" in screen.message.text()
    assert window.stack.currentWidget() is screen
    assert journal_path.read_bytes() == before
    unlock(qtbot, window, PASSPHRASE)
    assert window.stack.currentWidget() is window.journal_area


def test_recovery_key_opens_and_sets_a_new_passphrase(qtbot, journal_path, no_modals,
                                                      monkeypatch):
    vault, key = create_with_wizard(qtbot, journal_path)
    window = make_window(qtbot, journal_path)
    window.open_vault(vault)
    write_entry(qtbot, window, "Intention", "To be gentle with myself.")
    lock(qtbot, window)

    new_passphrase = "a brand new gentle passphrase"
    from journal_app.ui.dialogs import passphrase_dialog
    def set_new(dialog_self):
        dialog_self.fields.first.setText(new_passphrase)
        dialog_self.fields.second.setText(new_passphrase)
        dialog_self._change()
        qtbot.waitUntil(lambda: dialog_self.result() == 1, timeout=10_000)
        return 1

    monkeypatch.setattr(passphrase_dialog.PassphraseDialog, "exec", set_new)
    unlock(qtbot, window, key.lower().replace("-", " "), recovery=True)
    assert visible_titles(window) == ["Intention"]
    lock(qtbot, window)

    with pytest.raises(Exception, match="passphrase"):
        Vault.open(journal_path, Secret(passphrase=PASSPHRASE), lock=False)
    reopened = Vault.open(journal_path, Secret(passphrase=new_passphrase), lock=False)
    assert [e.title for e in JournalRepository(reopened.db).list_entries()] == ["Intention"]
    reopened.close()


def test_text_written_in_the_gui_never_reaches_disk_in_plaintext(qtbot, journal_path,
                                                                 no_modals, private_dirs):
    vault, _key = create_with_wizard(qtbot, journal_path)
    window = make_window(qtbot, journal_path)
    window.open_vault(vault)
    canaries = ["CanaryTitleQx7", "CanaryBodyZr4", "canarytagwp9"]
    write_entry(qtbot, window, canaries[0], f"Some words {canaries[1]} more words",
                canaries[2])
    lock(qtbot, window)
    for folder in (journal_path.parent, private_dirs):
        for file in folder.rglob("*"):
            if file.is_file():
                data = file.read_bytes()
                for canary in canaries:
                    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                        assert canary.encode(encoding) not in data, (file.name, encoding)


def test_idle_timeout_locks(qtbot, journal_path, no_modals):
    vault, _key = create_with_wizard(qtbot, journal_path)
    window = make_window(qtbot, journal_path)
    window.open_vault(vault)
    write_entry(qtbot, window, "Before idle", "text")
    window.idle.set_minutes(0.002)  # ~120 ms
    with qtbot.waitSignal(window.hub.journal_locked, timeout=10_000):
        pass
    assert window.stack.currentWidget() is window.unlock_screen
    assert window.journal_page.model.rowCount() == 0
    reopened = Vault.open(journal_path, Secret(passphrase=PASSPHRASE), lock=False)
    assert [e.title for e in JournalRepository(reopened.db).list_entries()] == ["Before idle"]
    reopened.close()


def test_quick_note_from_lock_screen_is_merged_at_unlock(qtbot, journal_path, no_modals,
                                                         monkeypatch):
    from journal_app.storage import inbox
    from journal_app.ui.dialogs import quick_note
    vault, _key = create_with_wizard(qtbot, journal_path)
    vault.close()
    window = make_window(qtbot, journal_path)

    def write_note(dialog_self):
        dialog_self.text.setPlainText("Heavy arms, warm chest, the colour blue")
        dialog_self.keep()
        return dialog_self.result()

    monkeypatch.setattr(quick_note.QuickNoteDialog, "exec", write_note)
    qtbot.mouseClick(window.unlock_screen.quick_note_button, Qt.MouseButton.LeftButton)
    assert len(inbox.inbox_items(journal_path)) == 1
    qtbot.waitUntil(lambda: "1 quick note" in window.unlock_screen.quick_note_status.text(),
                    timeout=5_000)

    unlock(qtbot, window, PASSPHRASE)
    assert "1 quick note(s) written while locked were added" in \
        window.statusBar().currentMessage()
    assert len(visible_titles(window)) == 1, "the note became one entry"
    note = window.journal_page.model.entry_at(0)
    shown = window.journal_page.editor
    assert note.display_title == "Heavy arms, warm chest, the colour blue"
    assert shown.body.toPlainText() == "Heavy arms, warm chest, the colour blue"
    assert note.kind.value == "quick-capture" and "quick capture" in shown.tags.text()
    assert inbox.inbox_items(journal_path) == []
    lock(qtbot, window)
    assert window.statusBar().currentMessage() == "", "the lock screen says nothing of it"


def test_lock_closes_windows_that_show_journal_content(qtbot, journal_path, no_modals):
    from journal_app.ui.dialogs.export_dialog import ExportDialog

    vault, _key = create_with_wizard(qtbot, journal_path)
    window = make_window(qtbot, journal_path)
    window.open_vault(vault)
    write_entry(qtbot, window, "For my therapist", "Words to bring along.")
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialogs = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    assert len(dialogs) == 1, "Ctrl+E opens the export dialog"
    lock(qtbot, window)
    assert not any(d.isVisible() for d in window.findChildren(ExportDialog))


def test_damaged_journal_names_the_backup_that_opens_and_restores_it(qtbot, journal_path,
                                                                     no_modals):
    import datetime as dt

    from journal_app.storage import filestore

    vault, _key = create_with_wizard(qtbot, journal_path)
    window = make_window(qtbot, journal_path)
    window.open_vault(vault)
    write_entry(qtbot, window, "Kept safe", "This was saved yesterday.")
    lock(qtbot, window)
    # Today's backup is the first save of the day (the new, empty journal): make it hold
    # the entry, as it would on a later day.
    for old in filestore.list_backups(journal_path):
        old.unlink()
    filestore.make_backup(journal_path, today=dt.date.today())
    data = bytearray(journal_path.read_bytes())
    data[-100] ^= 0xFF  # damage the encrypted body
    journal_path.write_bytes(bytes(data))

    screen = window.unlock_screen
    qtbot.keyClicks(screen.secret, PASSPHRASE)
    qtbot.keyClick(screen.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(screen.restore_button.isVisible, timeout=10_000)
    assert "backup" in screen.message.text()
    assert window.stack.currentWidget() is screen

    with qtbot.waitSignal(window.hub.journal_unlocked, timeout=10_000):
        qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    assert visible_titles(window) == ["Kept safe"]
    kept = list(journal_path.parent.glob(journal_path.name + ".damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(data), "the damaged file is kept"


def test_disk_full_during_autosave_tells_the_user_and_keeps_the_work(qtbot, journal_path,
                                                                    no_modals, monkeypatch):
    import errno
    import os

    from journal_app.storage.vault import Vault as VaultClass
    from journal_app.ui.shell.open_journal import OpenJournal

    vault, _key = create_with_wizard(qtbot, journal_path)
    window = make_window(qtbot, journal_path)
    window.open_vault(vault)
    write_entry(qtbot, window, "Saved first", "This one reaches the disk.")
    qtbot.waitUntil(lambda: window.journal.state == "saved", timeout=10_000)
    before = journal_path.read_bytes()

    def disk_full(_fd, _data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(VaultClass, "_writer", staticmethod(disk_full))
    write_entry(qtbot, window, "Written while the disk is full", "Still here.")
    qtbot.waitUntil(lambda: window.journal.state == "failed", timeout=10_000)
    assert any("disk is full" in text for _title, text in no_modals), no_modals
    assert "Not saved" in window.save_label.text()
    assert window.journal.vault.dirty
    assert journal_path.read_bytes() == before, "the last good journal is untouched"

    journal = window.journal
    with qtbot.waitSignal(journal.save_failed, timeout=10_000):
        window.lock()  # a lock must not lose the work
    assert window.journal is journal, "the journal stays open while it can't be saved"
    assert isinstance(window.journal, OpenJournal)

    monkeypatch.setattr(VaultClass, "_writer", staticmethod(os.write))
    lock(qtbot, window)
    reopened = VaultClass.open(journal_path, Secret(passphrase=PASSPHRASE), lock=False)
    titles = sorted(e.title for e in JournalRepository(reopened.db).list_entries())
    assert titles == ["Saved first", "Written while the disk is full"]
    reopened.close()


def test_help_now_is_one_click_away_locked_and_unlocked(qtbot, journal_path, no_modals):
    from journal_app.domain.care_settings import CareContacts, save_care_contacts
    from journal_app.ui.dialogs.safety_panel import SafetyPanel

    vault, _key = create_with_wizard(qtbot, journal_path)
    vault.close()
    window = make_window(qtbot, journal_path)
    button = window.toolbar.widgetForAction(window.action_registry["help_now"])
    assert button.isVisible(), "the help button shows on the lock screen"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    panel = next(p for p in window.findChildren(SafetyPanel) if p.isVisible())
    assert panel.edit_button is None, "locked: public crisis lines only"
    panel.close()

    unlock(qtbot, window, PASSPHRASE)
    save_care_contacts(window.journal.repo, CareContacts("Harbor Clinic", "555-010-2000",
                                                         "Dr. Reyes", "555-010-3000"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    panel = next(p for p in window.findChildren(SafetyPanel) if p.isVisible())
    texts = " ".join(b.text() for b in panel.contact_buttons)
    assert "988" in texts and "555-010-2000" in texts
