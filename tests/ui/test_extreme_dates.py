"""A journal holding a session or check-in at the edge of time still unlocks, and every
page shows. The entry points now refuse such dates (domain/bounds.py), but a journal
written before that, or by hand, may hold them: one odd row must never lock the person
out of their journal."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from journal_app.domain.entities import Entry, EntryKind
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault
from tests.conftest import FAST_KDF
from tests.ui.test_journal_flow import PASSPHRASE, make_window, unlock

EXTREMES = ("0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:00:00+00:00", "9999-12-31T23:59:00-05:00")


def _journal_with(path, when: str) -> None:
    vault, _key = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    JournalRepository(vault.db).add_entry(Entry(kind=EntryKind.FREE, title="Still here",
                                                body="An ordinary evening."))
    conn = vault.db.conn
    conn.execute(
        "INSERT INTO sessions (uid, starts_at, modality, setting, number, provider, notes, "
        "created_at, updated_at) VALUES ('edge', ?, 'iv-infusion', 'clinic', 1, '', '', ?, ?)",
        (when, when, when))
    conn.execute(
        "INSERT INTO check_ins (uid, measure, measure_version, answers, taken_at, session_id, "
        "note, created_at) VALUES ('edge', 'mood', 1, ?, ?, NULL, '', ?)",
        (json.dumps([5]), when, when))
    vault.save()
    vault.close()


@pytest.mark.parametrize("when", EXTREMES)
def test_a_session_at_the_edge_of_time_does_not_stop_the_unlock(qtbot, tmp_path, when,
                                                                 no_modals):
    path = tmp_path / "journal.ijournal"
    _journal_with(path, when)
    window = make_window(qtbot, path)
    unlock(qtbot, window, PASSPHRASE)
    assert window.journal is not None
    for row, page in enumerate(window.pages):
        window.journal_area.nav.setCurrentRow(row)
        frame = window.journal_area.frames[row]
        assert not frame.failed, f"the {page.page_title()} page could not load"
        qtbot.waitUntil(page.isVisible, timeout=5_000)
    checkins = window.journal_area.page("checkins")
    window.journal_area.show_page(checkins)
    for tab in range(checkins.tabs.count()):
        checkins.tabs.setCurrentIndex(tab)  # every chart and the table get built
    assert not window.journal_area.frames[window.pages.index(checkins)].failed
    titles = [window.journal_page.model.entry_at(r).title
              for r in range(window.journal_page.model.rowCount())]
    assert titles == ["Still here"]



def test_a_page_that_fails_shows_a_calm_notice_and_the_rest_works(qtbot, tmp_path, no_modals,
                                                                monkeypatch, caplog):
    path = tmp_path / "journal.ijournal"
    _journal_with(path, "2026-03-03T10:00:00+00:00")
    window = make_window(qtbot, path)
    unlock(qtbot, window, PASSPHRASE)
    sessions = window.journal_area.page("sessions")
    original = type(sessions).refresh

    def broken(_page):
        raise ValueError("Still here: An ordinary evening.")  # a message quoting content

    monkeypatch.setattr(type(sessions), "refresh", broken)
    window.journal_area.show_page(sessions)
    frame = window.journal_area.frames[window.pages.index(sessions)]
    assert frame.failed and frame.notice.isVisible()
    shown = " ".join(label.text() for label in frame.notice.findChildren(QLabel))
    assert "can't be shown right now" in shown and "Your writing is safe" in shown
    assert "An ordinary evening" not in caplog.text, "the log names the kind, not the text"
    assert "ValueError" in caplog.text
    window.journal_area.show_page(window.journal_page)  # the other pages still work
    assert window.journal_page.model.rowCount() == 1
    window.journal_area.show_page(sessions)
    assert frame.failed, "still failing: still the notice"
    monkeypatch.setattr(type(sessions), "refresh", original)
    qtbot.mouseClick(frame.retry, Qt.MouseButton.LeftButton)
    assert not frame.failed and sessions.isVisible()
