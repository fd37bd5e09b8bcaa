"""The Today page in pytest-qt, across a simulated course of three sessions.

The course (Central European time): session 1 on Monday 3 March 2025 at 10:00, session 2
on Thursday 13 March at 10:00, session 3 on Monday 24 March at 14:00. Each test sets the
page's clock to a fixed moment of that course.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.practices import Practice, PracticeDomain
from journal_app.domain.prompts import PromptAnswer, default_library
from journal_app.domain.timeline import StepStatus
from journal_app.storage.care import PracticeRepository, PromptAnswerRepository, TimelineRepository
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.vault import Vault
from journal_app.ui.dialogs.prompt_flow import PromptFlowDialog
from journal_app.ui.pages.today_page import TodayPage
from journal_app.ui.shell.open_journal import OpenJournal
from tests.conftest import FAST_KDF

CET = dt.timezone(dt.timedelta(hours=1))
CANARIES = ("CanaryTitleMv3", "CanaryBodyKp8", "CanaryIntentionWq2", "CanaryPracticeZt5",
            "CanaryNotesHj6", "CanaryQuickRb1")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=CET)


class Clock:
    """A settable clock for the pages and the reminder service."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


# ---------------------------------------------------------------------------- seeding


@pytest.fixture
def journal(tmp_path):
    vault, _key = Vault.create(tmp_path / "course.ijournal", "a calm test passphrase",
                               kdf=FAST_KDF)
    opened = OpenJournal(vault)
    yield opened
    opened.close()


def add_course(journal: OpenJournal) -> list[int]:
    """The three sessions of the course; returns their ids."""
    starts = (at(3, 10), at(13, 10), at(24, 14))
    return [journal.repo.add_session(TreatmentSession(
        starts_at=start, number=n, provider=f"Dr {CANARIES[4]}" if n == 1 else "",
        notes=f"Notes {CANARIES[4]}" if n == 1 else "")).id
        for n, start in enumerate(starts, start=1)]


def write_step(journal: OpenJournal, session_id: int, step: str, when: dt.datetime,
               title: str = "", body: str = "", *, kind: EntryKind = EntryKind.INTEGRATION,
               ) -> int:
    """An entry written in one step, and the step marked done."""
    entry = journal.repo.add_entry(Entry(
        kind=kind, title=title or f"{CANARIES[0]} {step}", body=body or f"{CANARIES[1]} {step}",
        session_id=session_id, created_at=when, updated_at=when))
    TimelineRepository(journal.vault.db).set_status(session_id, step, StepStatus.DONE,
                                                    entry_id=entry.id, at=when)
    return entry.id


def prepare(journal: OpenJournal, session_id: int, when: dt.datetime,
            intention: str = f"To meet myself kindly {CANARIES[2]}") -> int:
    entry_id = write_step(journal, session_id, "preparation", when,
                          kind=EntryKind.PREPARATION)
    prompt = default_library().get("intention")
    PromptAnswerRepository(journal.vault.db).save_answers(
        entry_id, [PromptAnswer.of(prompt, intention)])
    return entry_id


def choose_practice(journal: OpenJournal, session_id: int, when: dt.datetime) -> Practice:
    return PracticeRepository(journal.vault.db).add_practice(Practice(
        PracticeDomain.NATURE, f"Walk by the river {CANARIES[3]}", session_id=session_id,
        chosen_at=when))


def skip(journal: OpenJournal, session_id: int, step: str) -> None:
    TimelineRepository(journal.vault.db).set_status(session_id, step, StepStatus.SKIPPED)


def check_in(journal: OpenJournal, measure: str, answers: tuple[int, ...],
             when: dt.datetime) -> None:
    repo = CheckInRepository(journal.vault.db)
    repo.add(repo.measures[measure].new_check_in(answers, taken_at=when))


# ---------------------------------------------------------------------------- reading a page


def flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def visible_texts(root: QWidget) -> list[str]:
    """Text of every visible label and button under ``root``."""
    flush_deletes()
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
    return found


def shown(root: QWidget, text: str) -> bool:
    return any(text in t for t in visible_texts(root))


def buttons(root: QWidget, text: str) -> list[QAbstractButton]:
    flush_deletes()
    return [b for b in root.findChildren(QAbstractButton)
            if b.isVisibleTo(root) and b.text() == text]


def primaries(root: QWidget) -> list[str]:
    flush_deletes()
    return [b.text() for b in root.findChildren(QAbstractButton)
            if b.isVisibleTo(root) and b.objectName() == "primary"]


def all_content(root: QWidget) -> str:
    """Everything a widget tree still holds as text: widgets (visible or not) and models."""
    flush_deletes()
    parts: list[str] = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        parts += [widget.toolTip(), widget.accessibleName(), widget.windowTitle()]
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            parts.append(widget.toPlainText())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            parts += model_texts(widget.model())
    for model in root.findChildren(QAbstractItemModel):
        parts += model_texts(model)
    return "\n".join(p for p in parts if p)


def model_texts(model) -> list[str]:
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
             Qt.ItemDataRole.ToolTipRole)
    return [str(model.data(model.index(row, 0), role) or "")
            for row in range(model.rowCount()) for role in roles]


def assert_no_canary(text: str) -> None:
    for canary in CANARIES:
        assert canary not in text, canary


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def clock():
    return Clock(at(1, 12))


@pytest.fixture
def page(qtbot, journal, clock):
    widget = TodayPage(clock=clock)
    qtbot.addWidget(widget)
    widget.resize(1000, 900)
    widget.show()
    widget.attach(journal)
    return widget


def at_time(page: TodayPage, clock: Clock, now: dt.datetime) -> TodayPage:
    clock.now = now
    page.refresh()
    return page


# ---------------------------------------------------------------------------- tests


def test_a_first_time_user_is_guided(page):
    assert page.page_title() == "Today"
    assert shown(page, "Welcome.")
    assert shown(page, "Add your next session")
    assert shown(page, "Write something")
    assert shown(page, "No check-ins yet")
    assert buttons(page, "Check in")
    assert primaries(page) == ["Add session"], "one primary action"
    assert not shown(page, "Ready for you")


def test_the_first_session_added_brings_its_preparation(page, journal, clock, monkeypatch):
    from journal_app.ui.pages import today_page
    def add(_parent, j, session_id):
        assert session_id is None
        return j.repo.add_session(TreatmentSession(starts_at=at(3, 10), number=1)).id

    monkeypatch.setattr(today_page, "edit_session", add)
    with pytest.raises(AssertionError):  # nothing happens until the button is pressed
        assert shown(page, "Next session")
    buttons(page, "Add session")[0].click()
    assert shown(page, "Next session")
    assert shown(page, "Monday 3 March, 10:00 (in 2 days)")
    assert shown(page, "Time to prepare")
    assert primaries(page) == ["Start preparation"]
    assert not shown(page, "Welcome.")


def test_the_morning_of_the_session_day_shows_the_day_card_first(page, journal, clock):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    at_time(page, clock, at(3, 8))
    assert page.day_card is not None and page.day_card.isVisibleTo(page)
    assert shown(page, CANARIES[2]), "the day card shows the intention"
    assert shown(page, "My intention")
    assert not shown(page, "Next session"), "today's session is not repeated as the next"
    assert not shown(page, "Ready for you")


def test_the_evening_of_the_session_day_offers_day0_and_asks_little_else(page, journal,
                                                                         clock):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    at_time(page, clock, at(3, 8))
    at_time(page, clock, at(3, 19))
    assert shown(page, "Good evening")
    assert shown(page, "Ready for you")
    assert shown(page, "The evening after")
    assert primaries(page) == ["Start"]
    assert not page.day_card.isVisibleTo(page), "no checklist for a trip already made"
    assert shown(page, "Today's session, at 10:00")
    assert shown(page, CANARIES[2]), "the intention, to reflect on"
    assert not shown(page, "Next session"), "what is ahead waits until tomorrow"
    at_time(page, clock, at(4, 8))
    assert shown(page, "Next session")
    assert shown(page, "Thursday 13 March, 10:00 (in 9 days)")
    assert shown(page, "Preparation opens on Thu 6 Mar.")
    assert not buttons(page, "Start preparation"), "nothing to press before it opens"


def test_the_day_after_shows_day1_and_no_day_card(page, journal, clock):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    at_time(page, clock, at(4, 12))
    assert shown(page, "The next day")
    assert not shown(page, "The evening after")
    assert page.day_card is None or not page.day_card.isVisibleTo(page)


def test_three_days_on_the_next_preparation_waits_with_its_session(page, journal, clock):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    write_step(journal, ids[0], "day0", at(3, 20))
    write_step(journal, ids[0], "day1", at(4, 10))
    at_time(page, clock, at(6, 12))
    assert shown(page, "Three days on")
    assert shown(page, "Time to prepare")
    assert primaries(page) == ["Start"], "the day-3 step, not the preparation, stands out"
    assert [page.due_model.item_at(r).step for r in range(page.due_model.rowCount())] == [
        "day3"]


def test_an_overdue_step_is_shown_gently(page, journal, clock):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    at_time(page, clock, at(6, 12))
    assert shown(page, "Still open, since Tue 4 Mar")
    assert [page.due_model.item_at(r).step for r in range(page.due_model.rowCount())] == [
        "day3", "day1"]


def test_one_week_on_and_before_the_next_session(page, journal, clock):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    for step, day in (("day0", 3), ("day1", 4), ("day3", 6)):
        write_step(journal, ids[0], step, at(day, 20))
    at_time(page, clock, at(10, 12))
    assert shown(page, "One week on")
    assert shown(page, "(in 3 days)")
    write_step(journal, ids[0], "week1", at(10, 20))
    at_time(page, clock, at(11, 12))
    assert shown(page, "Before your next session")
    write_step(journal, ids[0], "before_next", at(11, 20))
    at_time(page, clock, at(11, 21))
    assert not shown(page, "Ready for you")
    assert primaries(page) == ["Start preparation"]


def test_skipping_a_step_makes_it_disappear(page, journal, clock, qtbot):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    at_time(page, clock, at(4, 12))
    with qtbot.waitSignal(page.changed, timeout=2_000):
        buttons(page, "Not this time")[0].click()
    assert not shown(page, "The next day")
    records = TimelineRepository(journal.vault.db).step_records(ids[0])
    assert records["day1"].status is StepStatus.SKIPPED


def test_start_opens_the_steps_flow(page, journal, clock, qtbot):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    at_time(page, clock, at(3, 19))
    buttons(page, "Start")[0].click()
    flows = [d for d in page.window().findChildren(PromptFlowDialog) if d.isVisible()]
    assert [d.key for d in flows] == [(ids[0], "day0")]
    flows[0].close()


def test_the_latest_check_in_is_shown_with_its_band(page, journal, clock, qtbot):
    check_in(journal, "mood", (6,), at(2, 9))
    check_in(journal, "phq9", (1, 1, 1, 1, 1, 1, 1, 1, 0), at(5, 21))
    at_time(page, clock, at(6, 12))
    assert shown(page, "Last check-in, Wednesday 5 March: PHQ-9, 8 of 27 (mild)")
    assert not shown(page, "No check-ins yet")
    with qtbot.waitSignal(page.checkin_requested, timeout=1_000) as signal:
        buttons(page, "Check in")[0].click()
    assert signal.args == ["phq9"]


def test_the_first_check_in_offers_the_mood_rating(page, qtbot):
    with qtbot.waitSignal(page.checkin_requested, timeout=1_000) as signal:
        buttons(page, "Check in")[0].click()
    assert signal.args == ["mood"]


def test_the_quick_entry_saves_a_free_entry(page, journal, qtbot):
    assert not page.quick_save.isEnabled()
    qtbot.keyClicks(page.quick_text, "Tired but lighter today")
    assert page.quick_save.isEnabled()
    assert primaries(page) == ["Add session"], "a first-time user is still shown the session"
    with qtbot.waitSignal(page.changed, timeout=2_000):
        qtbot.mouseClick(page.quick_save, Qt.MouseButton.LeftButton)
    entries = journal.repo.list_entries()
    assert [(e.kind, e.body) for e in entries] == [(EntryKind.FREE, "Tired but lighter today")]
    assert page.quick_text.toPlainText() == ""
    assert shown(page, "Saved in your journal.")
    assert journal.vault.dirty and journal._timer.isActive(), "an autosave is on its way"
    page.refresh()
    assert shown(page, "A few words") and not shown(page, "Write something")


def test_with_nothing_waiting_saving_stands_out_once_there_are_words(page, journal, clock,
                                                                       qtbot):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    skip(journal, ids[0], "day1")
    at_time(page, clock, at(4, 12))
    assert primaries(page) == []
    qtbot.keyClicks(page.quick_text, "ok")
    assert primaries(page) == ["Save"]


def test_free_journaling_is_one_click_away(page, qtbot):
    with qtbot.waitSignal(page.new_entry_requested, timeout=1_000):
        buttons(page, "Write a full entry")[0].click()


def test_typed_words_are_kept_when_the_page_is_flushed_for_a_lock(page, journal, qtbot):
    qtbot.keyClicks(page.quick_text, "half a thought")
    page.flush()
    assert [e.body for e in journal.repo.list_entries()] == ["half a thought"]


def test_reading_a_done_preparation_opens_its_entry(page, journal, clock, qtbot):
    ids = add_course(journal)
    entry_id = prepare(journal, ids[0], at(1, 20))
    at_time(page, clock, at(2, 12))
    with qtbot.waitSignal(page.entry_open_requested, timeout=1_000) as signal:
        buttons(page, "Read your preparation")[0].click()
    assert signal.args == [entry_id]


def test_detach_leaves_no_journal_content(page, journal, clock):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    choose_practice(journal, ids[0], at(6, 10))
    check_in(journal, "mood", (7,), at(6, 11))
    at_time(page, clock, at(3, 8))
    assert shown(page, CANARIES[2]), "the day card shows the intention"
    at_time(page, clock, at(3, 19))
    assert shown(page, CANARIES[2]), "so does the evening"
    page.quick_text.setPlainText(CANARIES[5])
    at_time(page, clock, at(7, 12))
    assert shown(page, CANARIES[3]), "the practice of the week is shown"
    assert shown(page, "7 of 10")
    page.flush()  # what the window does before it saves for a lock
    page.detach()
    assert page.journal is None
    assert page.due_model.rowCount() == 0
    content = all_content(page)
    assert_no_canary(content)
    assert "7 of 10" not in content and "The next day" not in content
    assert [e.body for e in journal.repo.list_entries(kind=EntryKind.FREE)] == [CANARIES[5]]


def test_tab_moves_down_the_page_in_reading_order(page, journal, clock, qtbot):
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    at_time(page, clock, at(6, 12))
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5_000)
    buttons(page, "Start")[0].setFocus()
    seen = []
    for _ in range(8):
        widget = QApplication.focusWidget()
        seen.append(widget.text() if isinstance(widget, QAbstractButton)
                    else widget.accessibleName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    # Two steps are open (three days on, and the next day, still open), then the next
    # session, the quick entry (Save is off while empty) and the check-in.
    assert seen == ["Start", "Not this time", "Start", "Not this time", "Start preparation",
                    "A few words for your journal", "Write a full entry", "Check in"]


def test_shown_again_it_reloads_once_the_clock_has_moved(qtbot, journal, clock, monkeypatch):
    hidden = TodayPage(clock=clock)
    qtbot.addWidget(hidden)
    loads = []
    original = TodayPage.refresh
    monkeypatch.setattr(TodayPage, "refresh", lambda self: loads.append(1) or original(self))
    hidden.attach(journal)
    assert loads == [] and hidden.plan is None, "not shown: nothing loaded"
    hidden.show()
    assert len(loads) == 1 and shown(hidden, "Welcome."), "loaded once when shown"
    hidden.hide()
    hidden.show()
    assert len(loads) == 1, "shown again at the same minute: nothing to redo"
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    hidden.hide()
    clock.now = at(3, 19)
    hidden.show()
    assert len(loads) == 2 and shown(hidden, "The evening after"), "the clock moved on"
