"""Journal → Import…: choose, preview, choose tags and privacy, import, cancel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from journal_app.domain.importers import SourceKind
from journal_app.storage.vault import Vault
from journal_app.ui.dialogs import import_dialog as module
from journal_app.ui.dialogs.import_dialog import ImportDialog, open_import_dialog
from journal_app.ui.hub import Hub
from journal_app.ui.shell.open_journal import OpenJournal
from tests.helpers.journals import FAST_KDF, PASSPHRASE

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"


@pytest.fixture
def journal(tmp_path):
    vault, _key = Vault.create(tmp_path / "import.ijournal", PASSPHRASE, kdf=FAST_KDF)
    opened = OpenJournal(vault)
    yield opened
    opened.close()


@pytest.fixture
def dialog(qtbot, journal):
    widget = ImportDialog(journal)
    qtbot.addWidget(widget)
    widget.show()
    return widget


class FakeFileDialog:
    """Stands in for QFileDialog in the dialog's module: answers with the path given."""

    picked = ""

    @classmethod
    def getOpenFileName(cls, *_args, **_kwargs):
        return cls.picked, ""

    @classmethod
    def getExistingDirectory(cls, *_args, **_kwargs):
        return cls.picked


def pick_file(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(FakeFileDialog, "picked", str(path))
    monkeypatch.setattr(module, "QFileDialog", FakeFileDialog)


pick_folder = pick_file


def choose(qtbot, dialog, kind=None) -> None:
    if kind is not None:
        dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(kind))
    dialog.choose_button.click()
    qtbot.waitUntil(lambda: dialog.choose_button.isEnabled(), timeout=10_000)


def do_import(qtbot, dialog) -> None:
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.close_button.text() == "Close", timeout=20_000)


def tags_shown(dialog) -> dict[str, Qt.CheckState]:
    items = [dialog.tag_list.item(i) for i in range(dialog.tag_list.count())]
    return {i.data(Qt.ItemDataRole.UserRole): i.checkState() for i in items}


def test_jrnl_preview_then_import_with_choices(qtbot, dialog, journal, monkeypatch):
    pick_file(monkeypatch, DATA / "jrnl_journal.txt")
    choose(qtbot, dialog)
    assert dialog.chosen_kind() is SourceKind.JRNL  # told from the file
    assert not dialog.preview_box.isHidden()
    assert dialog.counts.text().startswith("7 entries · from ")
    assert "First session tomorrow." in dialog.sample.text()
    assert set(tags_shown(dialog)) == {"starred", "nervous", "prep", "integration",
                                       "family", "walk"}
    assert "taken as local time" in dialog.notes.text()
    assert dialog.import_button.text() == "Import 7 entries"
    assert not journal.repo.list_entries()  # nothing written before Import
    dialog.tag_list.item(0).setCheckState(Qt.CheckState.Unchecked)  # "starred"
    dialog.private_box.setChecked(True)
    do_import(qtbot, dialog)
    assert dialog.status.text() == "Added 7 new entries. 0 were already here."
    stored = journal.repo.list_entries()
    assert len(stored) == 7 and all(e.private for e in stored)
    assert "starred" not in {t for e in stored for t in e.tags}
    assert journal.dirty  # autosave follows


def test_a_second_import_says_already_here(qtbot, journal, monkeypatch):
    pick_file(monkeypatch, DATA / "jrnl_journal_export.json")
    for expected in ("Added 7 new entries. 0 were already here.",
                     "Added 0 new entries. 7 were already here."):
        dialog = ImportDialog(journal)
        qtbot.addWidget(dialog)
        choose(qtbot, dialog)
        do_import(qtbot, dialog)
        assert dialog.status.text() == expected
    assert len(journal.repo.list_entries()) == 7


def test_day_one_zip_lists_photos_not_brought_in(qtbot, dialog, journal, monkeypatch):
    pick_file(monkeypatch, DATA / "dayone_export.zip")
    choose(qtbot, dialog, SourceKind.JRNL)  # the file says what it is
    assert dialog.chosen_kind() is SourceKind.DAYONE
    assert "Not brought in:" in dialog.notes.text()
    assert "1 photo: the journal can't hold files yet" in dialog.notes.text()
    do_import(qtbot, dialog)
    assert len(journal.repo.list_entries()) == 3


def test_markdown_folder(qtbot, dialog, journal, monkeypatch, tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(DATA / "markdown", folder)
    pick_folder(monkeypatch, folder)
    choose(qtbot, dialog, SourceKind.MARKDOWN)
    assert dialog.import_button.text() == "Import 4 entries"
    do_import(qtbot, dialog)
    assert {e.title for e in journal.repo.list_entries()} == {
        "Intention: be gentle", "After the session", "plain note", "Dated by day only"}


def test_a_damaged_file_is_named_and_nothing_is_written(qtbot, dialog, journal,
                                                       monkeypatch, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"entries": [{"date": "2023-03-04", "time": "10:00"}, "secret words"]}')
    pick_file(monkeypatch, bad)
    choose(qtbot, dialog, SourceKind.JRNL)
    assert dialog.status.text().startswith("broken.json can't be imported (entry 2)")
    assert "secret words" not in dialog.status.text()
    assert not dialog.import_button.isEnabled() and dialog.preview_box.isHidden()
    assert not journal.repo.list_entries() and not journal.dirty


def test_cancel_stops_between_batches_and_keeps_what_was_merged(qtbot, dialog, journal,
                                                                monkeypatch, tmp_path):
    many = tmp_path / "many.txt"
    many.write_text("\n".join(f"[2023-01-01 10:{i % 60:02d}] Entry {i}.\nbody {i}\n"
                              for i in range(30)))
    monkeypatch.setattr(module, "BATCH", 5)
    pick_file(monkeypatch, many)
    choose(qtbot, dialog)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 5, timeout=10_000)
    dialog.close_button.click()  # Cancel
    qtbot.waitUntil(lambda: dialog.close_button.text() == "Close", timeout=10_000)
    added = len(journal.repo.list_entries())
    assert 5 <= added < 30
    assert dialog.status.text().startswith(f"Import stopped. {30 - added} entries were "
                                           "not brought in")
    assert f"Added {added} new entries." in dialog.status.text()


def test_open_import_dialog_needs_an_open_journal_and_closes_at_lock(qtbot, journal,
                                                                     monkeypatch):
    hub = Hub()
    window = QWidget()
    qtbot.addWidget(window)
    assert open_import_dialog(None, window, hub) is None
    refreshed: list[bool] = []
    dialog = open_import_dialog(journal, window, hub, on_changed=lambda: refreshed.append(True))
    assert dialog is not None and dialog.isVisible()
    dialog.on_changed()  # the caller's refresh (the window's pages: tests/ui/test_actions.py)
    assert refreshed == [True]
    pick_file(monkeypatch, DATA / "jrnl_journal.txt")
    choose(qtbot, dialog)
    assert dialog.source is not None
    hub.journal_locked.emit()
    assert dialog.source is None and dialog.tag_list.count() == 0
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=5_000)  # deleted on close
    hub.journal_locked.emit()  # the deleted dialog is no longer listening
