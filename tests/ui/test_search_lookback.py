"""Look-back in the GUI: the intentions page and the "this time last session" panel."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.prompts import PromptAnswer, default_library, render_markdown
from journal_app.storage.care import PromptAnswerRepository
from journal_app.storage.vault import Vault
from journal_app.ui.pages.lookback import LastSessionPanel, LookBackPage
from journal_app.ui.shell.open_journal import OpenJournal
from tests.conftest import FAST_KDF

CET = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def journal(tmp_path):
    vault, _key = Vault.create(tmp_path / "look.ijournal", "calm river stone", kdf=FAST_KDF)
    journal = OpenJournal(vault)
    library = default_library()
    answers = PromptAnswerRepository(vault.db)
    journal.sessions = []
    journal.entries = {}
    for number, (intention, words) in enumerate(
            [("To be open about my mother.", "floating"), ("To rest.", None)], start=1):
        when = dt.datetime(2025, 1, 14 * number, 10, tzinfo=CET)
        session = journal.repo.add_session(TreatmentSession(starts_at=when, number=number))
        journal.sessions.append(session)
        for prompt_id, value in (("intention", intention), ("day0_words", words)):
            if value is None:
                continue
            given = [PromptAnswer.of(library.get(prompt_id), value)]
            entry = journal.repo.add_entry(Entry(
                kind=EntryKind.INTEGRATION, title="", body=render_markdown(given),
                session_id=session.id, created_at=when, updated_at=when))
            answers.save_answers(entry.id, given)
            journal.entries[(number, prompt_id)] = entry
    yield journal
    journal.close()


def test_intentions_page_lists_sessions_and_opens_the_entry(qtbot, journal):
    page = LookBackPage()
    qtbot.addWidget(page)
    page.attach(journal)
    page.show()
    model = page.model
    assert model.rowCount() == 2 and not page.empty.isVisible()
    assert model.index(0, 0).data().startswith("Session 1")
    assert model.index(0, 1).data() == "To be open about my mother."
    assert model.index(1, 1).data() == "To rest."
    assert model.index(1, 2).data() == "—"
    with qtbot.waitSignal(page.entry_open_requested, timeout=2_000) as opened:
        page.table.setCurrentIndex(model.index(1, 1))
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [journal.entries[(2, "intention")].id]
    page.detach()
    assert model.rowCount() == 0


def test_last_session_panel_is_folded_until_opened(qtbot, journal):
    panel = LastSessionPanel()
    qtbot.addWidget(panel)
    first, second = journal.sessions
    panel.load_step(journal, first.id, "day0")
    assert panel.isHidden(), "nothing came before the first session"
    panel.load_step(journal, second.id, "day0")
    panel.show()
    assert "Session 1" in panel.toggle.text()
    assert not panel.body.isVisible()  # folded: the person's own words come first
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    assert panel.body.isVisible() and "floating" in panel.body.text()
    with qtbot.waitSignal(panel.entry_open_requested, timeout=2_000) as opened:
        panel.body.linkActivated.emit("entry")
    assert opened.args == [journal.entries[(1, "day0_words")].id]
    panel.load_prompt(journal, second.id, "intention")
    assert "mother" in panel.body.text()
