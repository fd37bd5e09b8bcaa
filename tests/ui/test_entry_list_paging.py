"""The journal list reads its rows as they are shown: a long journal's list holds the
entries' ids, and a row's head is read (with the rows around it) when first shown. What
the person sees and can do is the same as with every head read at once."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from journal_app.domain.entities import Entry, EntryHead, EntryKind
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault
from journal_app.ui.models.entry_model import PAGE_ROWS, EntryListModel
from tests.conftest import FAST_KDF
from tests.ui.test_journal_flow import PASSPHRASE, make_window, unlock

WHEN = dt.datetime(2026, 3, 2, 21, 4, tzinfo=dt.UTC)
MANY = 3 * PAGE_ROWS + 17


class Source:
    """Heads by id, as the repository gives them; remembers what was asked."""

    def __init__(self, count: int) -> None:
        self.heads = {n: EntryHead(n, EntryKind.FREE, f"Entry {n}", "", WHEN)
                      for n in range(1, count + 1)}
        self.asked: list[list[int]] = []

    def __call__(self, ids):
        self.asked.append(list(ids))
        return [self.heads[i] for i in ids if i in self.heads]


def test_rows_are_read_a_page_at_a_time_when_shown(qapp):
    source = Source(MANY)
    ids = sorted(source.heads, reverse=True)
    model = EntryListModel()
    model.set_source(ids, source)
    assert model.rowCount() == MANY and source.asked == []
    assert model.data(model.index(0)).startswith(f"Entry {MANY}\n")
    assert source.asked == [ids[:PAGE_ROWS]]
    model.data(model.index(PAGE_ROWS - 1))
    assert len(source.asked) == 1  # the same page: nothing read again
    assert model.entry_at(2 * PAGE_ROWS + 5).title == f"Entry {ids[2 * PAGE_ROWS + 5]}"
    assert source.asked[1] == ids[2 * PAGE_ROWS:3 * PAGE_ROWS]
    assert model.row_of(ids[-1]) == MANY - 1 and len(source.asked) == 2  # by id, unread


def test_an_entry_gone_meanwhile_shows_nothing_and_is_not_read_again(qapp):
    source = Source(5)
    model = EntryListModel()
    model.set_source([5, 4, 3, 2, 1], source)
    del source.heads[4]
    assert model.entry_at(1) is None and model.data(model.index(1)) is None
    assert model.entry_at(2).title == "Entry 3"
    assert len(source.asked) == 1


def test_stored_and_removed_entries_keep_the_order(qapp):
    source = Source(MANY)
    model = EntryListModel()
    model.set_source(sorted(source.heads, reverse=True), source)
    new = EntryHead(MANY + 1, EntryKind.FREE, "Just written", "", WHEN)
    assert model.upsert(new) == 0 and model.entry_at(0) == new
    edited = EntryHead(3, EntryKind.FREE, "Edited", "", WHEN)
    assert model.upsert(edited) == MANY - 2  # where it was: near the end
    assert model.entry_at(MANY - 2).title == "Edited"
    model.remove(MANY)
    assert model.rowCount() == MANY and model.row_of(MANY) == -1
    assert model.entry_at(1).title == f"Entry {MANY - 1}"
    model.clear()
    assert model.rowCount() == 0 and model.entry_at(0) is None and model._source is None


def _seed(path) -> list[int]:
    vault, _key = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    repo = JournalRepository(vault.db)
    added = repo.add_entries([
        Entry(kind=EntryKind.FREE, title=f"Entry {n}", body="words",
              created_at=WHEN + dt.timedelta(hours=n), updated_at=WHEN + dt.timedelta(hours=n))
        for n in range(MANY)])
    vault.save()
    vault.close()
    return [e.id for e in reversed(added)]


def test_the_page_reads_the_rows_on_screen_and_the_keyboard_reaches_the_last(
        qtbot, tmp_path, monkeypatch):
    newest_first = _seed(tmp_path / "j.ijournal")
    read: list[int] = []
    original = JournalRepository.entry_heads

    def counting(self, ids):
        read.extend(ids)
        return original(self, ids)

    monkeypatch.setattr(JournalRepository, "entry_heads", counting)
    window = make_window(qtbot, tmp_path / "j.ijournal")
    unlock(qtbot, window, PASSPHRASE)
    page = window.journal_page
    window.journal_area.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor.entry is not None, timeout=5_000)
    assert page.model.rowCount() == MANY
    assert page.editor.entry.title == f"Entry {MANY - 1}"  # the newest, chosen
    # The page on screen (and one row Qt sizes the list by): not the whole journal.
    assert set(newest_first[:10]) <= set(read) and len(read) <= 2 * PAGE_ROWS
    asked_rows: list[int] = []
    page.model.rowCount = lambda *a: asked_rows.append(1) or EntryListModel.rowCount(
        page.model, *a)
    page.list.doItemsLayout()  # laying the list out again doesn't ask ours row by row
    del page.model.rowCount
    assert 0 < len(asked_rows) < MANY / 2
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: page.editor.entry.title == "Entry 0", timeout=5_000)
    assert page.list.currentIndex().row() == MANY - 1
    assert len(read) < MANY
    page.show_entry(newest_first[2 * PAGE_ROWS])
    assert page.editor.entry.id == newest_first[2 * PAGE_ROWS]
