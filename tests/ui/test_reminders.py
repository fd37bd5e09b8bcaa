"""Reminders: one notification per newly due step, never journal text, nothing while off
or locked."""

from __future__ import annotations

import pytest

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.timeline import StepStatus
from journal_app.storage.care import TimelineRepository
from journal_app.ui.shell.reminders import CHECK_INTERVAL_MS, ReminderService
from tests.ui.test_today_page import (
    CANARIES,
    Clock,
    add_course,
    at,
    check_in,
    choose_practice,
    journal,  # noqa: F401 (fixture)
    prepare,
    write_step,
)


@pytest.fixture
def shown_messages():
    return []


@pytest.fixture
def service(qtbot, shown_messages):
    reminders = ReminderService(clock=Clock(at(3, 12)))
    # Record what reaches the desktop instead of asking the (absent) tray to show it.
    reminders.tray.showMessage = lambda title, text, *_rest: shown_messages.append(
        (title, text))
    yield reminders
    reminders.detach()
    reminders.deleteLater()


def test_what_is_due_at_unlock_is_not_announced_again(service, journal, shown_messages):  # noqa: F811
    add_course(journal)
    service.attach(journal)  # day1 of nothing yet; preparation of session 2 not due yet
    assert service.check(at(3, 12)) == []
    assert shown_messages == []


def test_a_step_that_becomes_due_is_announced_once(service, journal, shown_messages, qtbot):  # noqa: F811
    ids = add_course(journal)
    prepare(journal, ids[0], at(1, 20))
    service.attach(journal)
    with qtbot.waitSignal(service.notified, timeout=1_000) as signal:
        assert service.check(at(3, 18, 1)) == [(ids[0], "day0")]
    assert signal.args == ["A reflection step is ready."]
    assert shown_messages == [("Integration Journal", "A reflection step is ready.")]
    assert service.check(at(3, 18, 2)) == []
    assert service.check(at(3, 23)) == []
    assert len(shown_messages) == 1
    assert service.check(at(4, 9, 0)) == [(ids[0], "day1")]
    assert len(shown_messages) == 2


def test_preparation_has_its_own_words(service, journal, shown_messages):  # noqa: F811
    journal.repo.add_session(TreatmentSession(starts_at=at(13, 10), number=1))
    service.attach(journal)
    service.check(at(6, 9, 1))
    assert shown_messages == [("Integration Journal", "Your preparation is waiting.")]


def test_several_steps_at_once_make_one_message(service, journal, shown_messages):  # noqa: F811
    add_course(journal)
    service.clock.now = at(1, 12)
    service.attach(journal)
    # The evening after has passed quietly; the next day, three days on and the second
    # session's preparation are all new.
    assert sorted(service.check(at(6, 10))) == [(1, "day1"), (1, "day3"), (2, "preparation")]
    assert shown_messages == [("Integration Journal", "3 steps are ready in your journal.")]


def test_nothing_is_shown_while_reminders_are_off(service, journal, shown_messages, qtbot):  # noqa: F811
    ids = add_course(journal)
    service.attach(journal)
    service.set_enabled(False)
    assert not service.enabled
    with qtbot.waitSignal(service.steps_became_due, timeout=1_000):
        assert service.check(at(3, 18, 1)) == [(ids[0], "day0")]
    assert shown_messages == []
    service.set_enabled(True)
    assert service.check(at(3, 18, 2)) == [], "what came while off is not announced late"
    assert service.check(at(4, 9)) == [(ids[0], "day1")]
    assert len(shown_messages) == 1


def test_nothing_is_shown_while_locked(service, journal, shown_messages):  # noqa: F811
    ids = add_course(journal)
    service.attach(journal)
    assert service.timer.isActive() and service.timer.interval() == CHECK_INTERVAL_MS
    service.detach()
    assert not service.timer.isActive()
    assert service.check(at(3, 18, 1)) == []
    assert shown_messages == []
    service.clock.now = at(3, 19)
    service.attach(journal)  # unlocked in the evening: day0 is on the Today page already
    assert service.check(at(3, 19)) == []
    assert shown_messages == []
    assert service.check(at(4, 9)) == [(ids[0], "day1")]


def test_a_started_step_needs_no_reminder(service, journal, shown_messages):  # noqa: F811
    ids = add_course(journal)
    service.attach(journal)
    TimelineRepository(journal.vault.db).set_status(ids[0], "day0", StepStatus.IN_PROGRESS)
    assert service.check(at(3, 18, 1)) == []
    assert shown_messages == []


def test_the_message_never_contains_journal_text(service, journal, shown_messages):  # noqa: F811
    ids = add_course(journal)  # session 1's provider and notes hold canaries
    prepare(journal, ids[0], at(1, 20))  # the intention and the entry hold canaries
    write_step(journal, ids[0], "day0", at(3, 20))
    choose_practice(journal, ids[0], at(6, 10))
    check_in(journal, "phq9", (1, 1, 1, 1, 1, 1, 1, 1, 0), at(3, 21))
    service.clock.now = at(3, 21)
    service.attach(journal)
    for moment in (at(4, 9), at(6, 9), at(10, 9), at(11, 9), at(13, 11), at(14, 9)):
        service.check(moment)
    assert len(shown_messages) >= 4
    texts = "\n".join(f"{title}\n{text}" for title, text in shown_messages)
    texts += "\n" + service.tray.toolTip()
    for canary in CANARIES:
        assert canary not in texts
    for private in ("Session", "session 1", "The next day", "Three days on", "Before the",
                    "March", "Mar", "mild", "8", "Dr"):
        assert private not in texts, private


def test_the_tray_menu_opens_locks_and_quits(service, journal, qtbot):  # noqa: F811
    actions = {a.text(): a for a in service.menu.actions()}
    assert list(actions) == ["Open", "Lock", "Quit"]
    assert not actions["Lock"].isEnabled(), "nothing to lock yet"
    service.attach(journal)
    assert actions["Lock"].isEnabled()
    for text, signal in (("Open", service.open_requested), ("Lock", service.lock_requested),
                         ("Quit", service.quit_requested)):
        with qtbot.waitSignal(signal, timeout=1_000):
            actions[text].trigger()
