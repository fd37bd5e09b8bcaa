"""The Sessions page: the course, one session's story in order, practices, and the models."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.practices import PracticeOutcome
from journal_app.domain.timeline import StepStatus
from journal_app.storage.care import PracticeRepository, TimelineRepository
from journal_app.ui.dialogs.prompt_flow import PromptFlowDialog
from journal_app.ui.models.timeline_model import SessionListModel, SessionRow, TimelineModel
from journal_app.ui.pages.sessions_page import SessionsPage
from tests.ui.test_today_page import (
    CANARIES,
    Clock,
    add_course,
    all_content,
    assert_no_canary,
    at,
    buttons,
    choose_practice,
    journal,  # noqa: F401 (fixture)
    prepare,
    primaries,
    shown,
    skip,
    write_step,
)


@pytest.fixture
def clock():
    return Clock(at(11, 12))


@pytest.fixture
def course(journal):  # noqa: F811
    """Session 1 told up to "one week on", with a practice that partly happened."""
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    write_step(journal, ids[0], "day0", at(3, 20), "Evening words", "Warm and heavy")
    write_step(journal, ids[0], "day1", at(4, 10), "Next day", "## What stood out\n\nThe sea")
    write_step(journal, ids[0], "day3", at(6, 10), "Day three", "Looking back")
    practice = choose_practice(journal, ids[0], at(6, 10))
    PracticeRepository(journal.vault.db).update_practice(
        practice.with_outcome(PracticeOutcome.PARTLY, "twice, in the rain", at=at(10, 19)))
    write_step(journal, ids[0], "week1", at(10, 19), "A week", "Some things moved")
    journal.repo.add_entry(Entry(kind=EntryKind.FREE, title="A dream about the clinic",
                                 body="free words", session_id=ids[0],
                                 created_at=at(5, 8), updated_at=at(5, 8)))
    return ids


@pytest.fixture
def page(qtbot, journal, clock):  # noqa: F811
    widget = SessionsPage(clock=clock)
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()
    return widget


def row_texts(model) -> list[str]:
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def story_steps(page: SessionsPage) -> list[str]:
    cards = page.story.step_cards()
    cards.sort(key=lambda c: c.mapTo(page.story.widget(), c.rect().topLeft()).y())
    return [c.property("step") for c in cards]


def card_text(page: SessionsPage, step: str) -> str:
    card = next(c for c in page.story.step_cards() if c.property("step") == step)
    return "\n".join(label.text() for label in card.findChildren(QLabel))


def test_an_empty_course_guides_to_adding_a_session(page, journal):  # noqa: F811
    page.attach(journal)
    assert page.page_title() == "Sessions"
    assert shown(page, "No sessions yet")
    assert primaries(page) == ["Add session"]


def test_the_list_shows_each_session_with_its_status(page, journal, course):  # noqa: F811
    page.attach(journal)
    rows = row_texts(page.model)
    assert len(rows) == 3
    assert rows[0].splitlines() == ["Session 1 · Mon 3 Mar, 10:00", "IV infusion",
                                    "Integration: 4 of 5 steps"]
    assert rows[1].splitlines()[0] == "Session 2 · Thu 13 Mar, 10:00"
    assert rows[1].splitlines()[2] == "Preparation ready when you are"
    assert rows[2].splitlines()[2] == "Preparation not started yet"
    assert page.current_session_id() == course[0], "the session being integrated is chosen"


def test_the_story_tells_the_session_in_order_with_its_entries(page, journal, course):  # noqa: F811
    page.attach(journal)
    assert story_steps(page) == ["preparation", "day0", "day1", "day3", "week1",
                                 "before_next"]
    assert shown(page.story, "Session 1")
    assert CANARIES[2] in card_text(page, "preparation"), "the intention"
    assert "Warm and heavy" in card_text(page, "day0")
    day1 = card_text(page, "day1")
    assert "The sea" in day1 and "<b>What stood out</b>" in day1, "rendered Markdown"
    assert CANARIES[3] in card_text(page, "day3") and "Nature" in card_text(page, "day3")
    assert "Partly: twice, in the rain" in card_text(page, "week1")
    assert "Ready when you are" in card_text(page, "before_next")
    assert shown(page.story, "The session")
    assert shown(page.story, f"Notes {CANARIES[4]}")
    assert shown(page.story, "A dream about the clinic")
    assert primaries(page.story) == ["Start"], "only the open step stands out"


def test_an_entry_opens_from_the_story(page, journal, course, qtbot):  # noqa: F811
    page.attach(journal)
    day0_entry = TimelineRepository(journal.vault.db).step_records(course[0])["day0"].entry_id
    with qtbot.waitSignal(page.entry_open_requested, timeout=1_000) as signal:
        buttons(page.story, "Open in journal")[1].click()
    assert signal.args == [day0_entry]


def test_a_step_can_be_skipped_and_unskipped(page, journal, course, qtbot):  # noqa: F811
    page.attach(journal)
    with qtbot.waitSignal(page.changed, timeout=1_000):
        buttons(page.story, "Skip this step")[0].click()
    records = TimelineRepository(journal.vault.db).step_records(course[0])
    assert records["before_next"].status is StepStatus.SKIPPED
    assert "Skipped" in card_text(page, "before_next")
    assert "Integration: 5 of 5 steps" in row_texts(page.model)[0]
    with qtbot.waitSignal(page.changed, timeout=1_000):
        buttons(page.story, "Undo skip")[0].click()
    assert "before_next" not in TimelineRepository(journal.vault.db).step_records(course[0])
    assert "Ready when you are" in card_text(page, "before_next")


def test_undoing_a_skip_keeps_the_link_to_what_was_written(page, journal, course):  # noqa: F811
    repo = TimelineRepository(journal.vault.db)
    skip(journal, course[0], "day3")
    page.attach(journal)
    buttons(page.story, "Undo skip")[0].click()
    record = repo.step_records(course[0])["day3"]
    assert record.status is StepStatus.IN_PROGRESS and record.entry_id is not None


def test_start_in_the_story_opens_the_steps_flow(page, journal, course):  # noqa: F811
    page.attach(journal)
    buttons(page.story, "Start")[0].click()
    flows = [d for d in page.window().findChildren(PromptFlowDialog) if d.isVisible()]
    assert [d.key for d in flows] == [(course[0], "before_next")]
    flows[0].close()


def test_a_future_session_can_be_prepared_but_not_reflected_on_yet(page, journal, course):  # noqa: F811
    page.attach(journal)
    page.select_session(course[2])
    assert story_steps(page)[0] == "preparation"
    assert buttons(page.story, "Start") and primaries(page.story) == ["Start"]
    assert len(buttons(page.story, "Start")) == 1, "integration steps wait for the session"
    assert "From Mon 24 Mar" in card_text(page, "day0")


def test_adding_a_session_lists_and_selects_it(page, journal, course, monkeypatch):  # noqa: F811
    from journal_app.ui.pages import sessions_page
    def add(_parent, j, session_id):
        assert session_id is None
        return j.repo.add_session(TreatmentSession(starts_at=at(31, 10), number=4)).id

    monkeypatch.setattr(sessions_page, "edit_session", add)
    buttons(page, "Add session")[0].click()  # not attached: nothing happens
    page.attach(journal)
    buttons(page, "Add session")[0].click()
    assert page.model.rowCount() == 4
    assert page.model.session_at(page.list.currentIndex().row()).number == 4
    assert shown(page.story, "Session 4")


def test_practices_across_sessions(page, journal, course):  # noqa: F811
    choose_practice(journal, course[1], at(16, 10))
    page.attach(journal)
    page.practices_button.click()
    assert page.right.currentWidget() is page.practices
    cards = page.practices.findChildren(QLabel, "cardTitle")
    assert [c.text() for c in cards] == [f"Walk by the river {CANARIES[3]}"] * 2
    assert shown(page.practices, "Nature · Session 1 · Thu 6 Mar")
    assert not shown(page.practices, "2025"), "dates in the current year need no year"
    assert not page.list.selectionModel().hasSelection()
    assert shown(page.practices, "Nature · Session 2")
    assert shown(page.practices, "Partly: twice, in the rain")
    assert shown(page.practices, "Not said yet")
    page.list.setCurrentIndex(page.model.index(1))
    assert page.right.currentWidget() is page.story


def test_detach_leaves_no_journal_content(page, journal, course):  # noqa: F811
    page.attach(journal)
    assert CANARIES[1] in all_content(page)
    page.detach()
    assert page.model.rowCount() == 0 and page.story.model.rowCount() == 0
    assert_no_canary(all_content(page))
    assert "Warm and heavy" not in all_content(page)
    page.attach(journal)
    page.show_practices()
    page.detach()
    assert_no_canary(all_content(page))


def test_the_models_pass_the_model_tester(qtmodeltester, journal, course, clock):  # noqa: F811
    from journal_app.ui.models.timeline_model import Course

    data = Course.load(journal)
    timeline = TimelineModel()
    timeline.set_items(data.timeline(data.sessions[0], clock()), clock())
    qtmodeltester.check(timeline)
    assert timeline.rowCount() == 6
    assert timeline.data(timeline.index(1, 0), Qt.ItemDataRole.DisplayRole) == \
        "The evening after\nDone"
    sessions = SessionListModel()
    from journal_app.domain.today import session_progress

    sessions.set_rows([SessionRow(s, i + 1, session_progress(data.timeline(s, clock())))
                       for i, s in enumerate(data.sessions)], clock())
    qtmodeltester.check(sessions)
    timeline.clear()
    sessions.clear()
    qtmodeltester.check(timeline)
    qtmodeltester.check(sessions)


def test_a_long_entry_starts_folded_and_opens_in_place(page, journal, course):  # noqa: F811
    paragraphs = [f"Paragraph {n} " + "words " * 30 for n in range(1, 9)]
    write_step(journal, course[0], "before_next", at(11, 9), "Looking ahead",
               "\n\n".join(paragraphs))
    page.attach(journal)
    text = card_text(page, "before_next")
    assert "Paragraph 1" in text and "Paragraph 8" not in text
    buttons(page.story, "Show all")[0].click()
    assert "Paragraph 8" in card_text(page, "before_next")
    buttons(page.story, "Show less")[0].click()
    assert "Paragraph 8" not in card_text(page, "before_next")
    assert "Warm and heavy" in card_text(page, "day0"), "short entries are shown whole"


def test_the_course_walks_every_timeline_at_once_as_one_by_one(journal, course):  # noqa: F811
    from journal_app.ui.models.timeline_model import Course

    loaded = Course.load(journal)
    for now in (at(2, 12), at(11, 12), at(30, 12)):
        assert loaded.timelines(now) == [(s, loaded.timeline(s, now)) for s in loaded.sessions]
    assert [loaded.position(s.id) for s in loaded.sessions] == [1, 2, 3]
    assert loaded.position(None) == 0 and loaded.position(10_000) == 0
    assert Course([], {}).timelines(at(2, 12)) == []
