"""Pages load when shown: an unlock fills the page on screen, not every page of the journal.

A page attached but never shown holds nothing of the journal; it loads when the person
opens it, and a change made elsewhere reaches it the next time it is shown.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractItemModel

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession, now
from journal_app.domain.measures import load_measures
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault
from journal_app.ui.pages.base import Page
from journal_app.ui.shell.main_window import MainWindow
from tests.conftest import FAST_KDF
from tests.ui.test_journal_flow import PASSPHRASE, lock, make_window, unlock
from tests.ui.test_today_page import all_content

CANARIES = ("CanaryHeadTitleQ4", "CanaryHeadBodyN8", "CanaryCheckNoteV2")


def seed(path) -> None:
    vault, _key = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    repo = JournalRepository(vault.db)
    when = now() - dt.timedelta(days=2)
    session = repo.add_session(TreatmentSession(starts_at=when, number=1))
    repo.add_entry(Entry(kind=EntryKind.INTEGRATION, title=CANARIES[0],
                         body=f"Words {CANARIES[1]}", session_id=session.id,
                         created_at=when, updated_at=when))
    measures = load_measures()
    CheckInRepository(vault.db).add(
        measures["mood"].new_check_in([6], taken_at=when, note=CANARIES[2]))
    vault.save()
    vault.close()


def open_page(window: MainWindow, key: str) -> Page:
    """Choose a page in the navigation, as a user would."""
    area = window.journal_area
    page = area.page(key)
    area.nav.setCurrentRow(area.pages.index(page))
    return page


def content(page: Page) -> str:
    """What the page holds as text: its widgets, and every cell of its models."""
    cells = [str(model.data(model.index(row, column)) or "")
             for model in page.findChildren(QAbstractItemModel)
             for row in range(model.rowCount()) for column in range(model.columnCount())]
    return "\n".join([all_content(page), *cells])


def holds_nothing(page: Page) -> bool:
    text = content(page)
    return not any(canary in text for canary in CANARIES)


def test_unlock_fills_only_the_page_on_screen(qtbot, tmp_path, no_modals):
    path = tmp_path / "journal.ijournal"
    seed(path)
    window = make_window(qtbot, path)
    unlock(qtbot, window, PASSPHRASE)
    area = window.journal_area
    today = area.page("today")
    assert area.current_page() is today and today.plan is not None
    assert not today.plan.first_time, "Today shows this journal"

    journal, sessions = area.page("journal"), area.page("sessions")
    checkins, lookback = area.page("checkins"), area.page("lookback")
    assert journal.model.rowCount() == 0 and sessions.model.rowCount() == 0
    assert checkins.series == {} and lookback.model.rowCount() == 0
    for key in ("journal", "sessions", "checkins", "search", "lookback"):
        assert holds_nothing(area.page(key)), key

    open_page(window, "journal")
    assert [journal.model.entry_at(r).title for r in range(journal.model.rowCount())] == [
        CANARIES[0]]
    assert journal.editor.body.toPlainText() == f"Words {CANARIES[1]}", "the entry, whole"
    open_page(window, "sessions")
    assert sessions.model.rowCount() == 1
    open_page(window, "checkins")
    assert checkins.latest_labels["mood"].text().startswith("Latest: ")
    checkins.tabs.setCurrentIndex(checkins.tabs.count() - 1)
    assert CANARIES[2] in content(checkins), "the table, once its tab is open"


def test_a_change_reaches_a_hidden_page_when_it_is_shown(qtbot, tmp_path, no_modals):
    path = tmp_path / "journal.ijournal"
    seed(path)
    window = make_window(qtbot, path)
    unlock(qtbot, window, PASSPHRASE)
    journal = open_page(window, "journal")
    assert journal.model.rowCount() == 1
    today = open_page(window, "today")
    today.quick_text.setPlainText("A few quiet words")
    today.save_quick_entry()
    assert journal.model.rowCount() == 1, "hidden: it waits"
    open_page(window, "journal")
    titles = [journal.model.entry_at(r).display_title for r in range(journal.model.rowCount())]
    assert titles == ["A few quiet words", CANARIES[0]]


def test_lock_clears_and_the_next_unlock_starts_on_today(qtbot, tmp_path, no_modals):
    path = tmp_path / "journal.ijournal"
    seed(path)
    window = make_window(qtbot, path)
    unlock(qtbot, window, PASSPHRASE)
    for key in ("sessions", "checkins", "lookback", "journal"):
        open_page(window, key)
    assert window.journal_page.model.rowCount() == 1
    lock(qtbot, window)
    for page in window.pages:
        assert holds_nothing(page), type(page).__name__

    unlock(qtbot, window, PASSPHRASE)
    area = window.journal_area
    assert area.current_page() is area.page("today")
    assert area.page("journal").model.rowCount() == 0, "the page left open at the lock waits"
    assert holds_nothing(area.page("checkins"))
