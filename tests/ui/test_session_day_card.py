"""The session day card shows what the person prepared, and offers to finish preparing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from journal_app.domain.prompts import FlowProgress
from journal_app.ui.dialogs.prompt_flow import PromptFlowDialog
from journal_app.ui.pages.session_day_card import SessionDayCard
from tests.ui.prep_helpers import (
    add_session,
    care,
    close_flows,
    create_journal,
    finish_with,
    open_flow,
)


@pytest.fixture
def card(qtbot) -> SessionDayCard:
    widget = SessionDayCard()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    return widget


@pytest.fixture
def journal(tmp_path):
    opened = create_journal(tmp_path / "journal.ijournal")
    yield opened
    opened.close()


def checklist_rows(card: SessionDayCard) -> list[str]:
    return [label.text() for label in card.checklist_box.findChildren(QLabel)
            if label.isVisibleTo(card)]


def test_card_shows_intention_plan_support_and_checklist(qtbot, card, journal):
    session = add_session(journal, 3, days_ahead=0, provider="Clinic North")
    host = QWidget()
    qtbot.addWidget(host)
    finish_with(qtbot, open_flow(qtbot, host, journal, session.id), {
        "intention": "Meet the fear with curiosity",
        "set_hard_plan": "Squeeze the stone and breathe out slowly",
        "setting_support": "Ana, 555-0142",
        "logistics_checklist": "2",  # ride home, no driving
    })
    close_flows(host)
    card.show_session(journal, session.id)
    assert card.heading.text() == "Session day"
    assert "Today at" in card.when.text() and "Clinic North" in card.when.text()
    assert "Session 3" in card.when.text()
    assert card.intention.text() == "Meet the fear with curiosity"
    assert card.plan.text() == "Squeeze the stone and breathe out slowly"
    assert card.support.text() == "Ana, 555-0142"
    # A clinic session: the unticked at-home item ("a support person or sitter") is left out.
    assert [(item.id, item.done) for item in card.checklist] == [
        ("ride_home", True), ("no_driving", True), ("clinic_phone", False),
        ("fasting", False)]
    rows = checklist_rows(card)
    assert rows[0] == "✓  A ride home is arranged"
    assert rows[2] == "○  The clinic’s phone number is at hand  (not yet)"
    assert not card.continue_button.isVisibleTo(card), "nothing to offer once it's done"


def test_unprepared_session_offers_a_gentle_start(qtbot, card, journal):
    session = add_session(journal, 1, days_ahead=2)
    card.show_session(journal, session.id)
    assert card.heading.text() == "Session 1"
    assert card.intention.text() == "Not written yet"
    assert len(card.checklist) == 4 and not any(item.done for item in card.checklist)
    assert card.continue_button.isVisibleTo(card)
    assert card.continue_button.text() == "Start preparation"


def test_card_reads_a_preparation_in_progress_and_continues_it(qtbot, card, journal):
    session = add_session(journal, 2, days_ahead=0)
    care(journal)[1].save_progress(session.id, "preparation", FlowProgress(
        position=16, answers={"intention": "Rest", "logistics_checklist": ["clinic_phone"]}))
    card.show_session(journal, session.id)
    assert card.intention.text() == "Rest"
    assert [item.id for item in card.checklist if item.done] == ["clinic_phone"]
    assert card.continue_button.text() == "Continue preparation"
    assert "isn't finished" in card.unfinished.text()

    qtbot.mouseClick(card.continue_button, Qt.MouseButton.LeftButton)
    dialogs = card.findChildren(PromptFlowDialog)
    assert len(dialogs) == 1
    assert dialogs[0].flow.state.position == 16, "it opens where the person stopped"
    with qtbot.waitSignal(card.preparation_changed, timeout=5_000):
        dialogs[0].close()


def test_clear_drops_everything_shown(qtbot, card, journal):
    session = add_session(journal, 1, days_ahead=0)
    care(journal)[1].save_progress(session.id, "preparation",
                                   FlowProgress(1, {"intention": "Private words"}))
    card.show_session(journal, session.id)
    card.clear()
    texts = [label.text() for label in card.findChildren(QLabel)]
    assert not any("Private words" in text for text in texts)
    assert card.journal is None and card.checklist == []
    assert not card.card.isVisibleTo(card)
