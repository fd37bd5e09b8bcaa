"""What the Today screen shows, decided from its plan, across a simulated course (no Qt).

The course (Central European time): session 1 on Monday 3 March 2025 at 10:00, session 2
on Thursday 13 March at 10:00, session 3 on Monday 24 March at 14:00.
"""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import EntryKind, TreatmentSession
from journal_app.domain.measures import CheckIn
from journal_app.domain.practices import Practice, PracticeDomain
from journal_app.domain.timeline import StepStatus
from journal_app.domain.today import PrimaryAction, plan_today
from journal_app.domain.today_view import (
    DEFAULT_MEASURE,
    PreparationOffer,
    TimeOfDay,
    TodayCard,
    checkin_measure,
    evening_of_a_session,
    quick_entry,
    save_stands_out,
    time_of_day,
    today_cards,
    today_view,
)

CET = dt.timezone(dt.timedelta(hours=1))
S = StepStatus
C = TodayCard


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=CET)


S1 = TreatmentSession(starts_at=at(3, 10), number=1, id=1)
S2 = TreatmentSession(starts_at=at(13, 10), number=2, id=2)
S3 = TreatmentSession(starts_at=at(24, 14), number=3, id=3)
COURSE = [S1, S2, S3]
PREPARED = {1: {"preparation": S.DONE}}


def plan(now, statuses=None, *, sessions=COURSE, check_ins=(), has_entries=True,
         practices=()):
    return plan_today(sessions, statuses if statuses is not None else PREPARED, check_ins,
                      now, has_entries=has_entries, practices=practices)


# ---------------------------------------------------------------------------- greeting


@pytest.mark.parametrize(("hour", "minute", "expected"), [
    (5, 0, TimeOfDay.MORNING), (11, 59, TimeOfDay.MORNING),
    (12, 0, TimeOfDay.AFTERNOON), (17, 59, TimeOfDay.AFTERNOON),
    (18, 0, TimeOfDay.EVENING), (23, 59, TimeOfDay.EVENING),
    (0, 0, TimeOfDay.EVENING), (4, 59, TimeOfDay.EVENING),
])
def test_the_greeting_follows_the_hour(hour, minute, expected):
    assert time_of_day(dt.datetime(2025, 3, 1, hour, minute, tzinfo=CET)) is expected


# ---------------------------------------------------------------------------- cards


def test_a_first_time_user_is_welcomed_and_asked_for_a_session():
    view = today_view(plan(at(1, 12), {}, sessions=[], has_entries=False))
    assert view.cards == (C.WELCOME, C.ADD_SESSION)
    assert view.invites_first_session and view.invites_first_entry
    assert view.preparation is None and view.due == ()


def test_free_entries_only_no_welcome_but_still_an_offer_to_add_a_session():
    view = today_view(plan(at(1, 12), {}, sessions=[], has_entries=True))
    assert view.cards == (C.ADD_SESSION,)
    assert view.invites_first_session and not view.invites_first_entry


def test_two_days_before_the_first_session_its_preparation_waits_with_it():
    view = today_view(plan(at(1, 12), {}))
    assert view.cards == (C.NEXT_SESSION,)
    assert view.preparation is PreparationOffer.START
    assert view.plan.primary is PrimaryAction.PREPARE


def test_the_morning_of_the_session_day_shows_the_day_card_and_not_the_next_session():
    p = plan(at(3, 8))
    assert today_cards(p) == (C.SESSION_DAY,), "today's session is not repeated as the next"
    assert not evening_of_a_session(p)


def test_the_evening_of_the_session_day_asks_little():
    p = plan(at(3, 19))
    assert evening_of_a_session(p)
    assert today_cards(p) == (C.DUE, C.AFTER_SESSION), "what is ahead waits until tomorrow"
    assert today_view(p).preparation is None


def test_the_day_after_shows_the_next_session_again():
    p = plan(at(4, 8))
    assert not evening_of_a_session(p)
    assert today_cards(p) == (C.DUE, C.NEXT_SESSION)
    assert today_view(p).preparation is PreparationOffer.NOT_YET_OPEN


def test_after_the_last_session_has_begun_the_evening_still_asks_nothing_more():
    p = plan(at(24, 19), {3: {"preparation": S.DONE}}, sessions=[S3])
    assert p.next_session is None and evening_of_a_session(p)
    assert C.ADD_SESSION not in today_cards(p)
    later = plan(at(25, 12), {3: {"preparation": S.DONE}}, sessions=[S3])
    assert today_cards(later)[-1] is C.ADD_SESSION
    assert not today_view(later).invites_first_session, "a session was added before"


def test_a_session_later_today_with_its_preparation_open_after_an_earlier_one_began():
    morning = TreatmentSession(starts_at=at(3, 9), number=1, id=1)
    afternoon = TreatmentSession(starts_at=at(3, 15), number=2, id=2)
    p = plan(at(3, 11), {1: {"preparation": S.DONE}}, sessions=[morning, afternoon])
    assert p.session_today == morning and p.next_session.session == afternoon
    assert not evening_of_a_session(p), "the next session's preparation is open"
    assert today_cards(p)[-2:] == (C.AFTER_SESSION, C.NEXT_SESSION)


def test_the_practice_of_the_week_comes_after_what_is_ready():
    practice = Practice(PracticeDomain.NATURE, "Walk by the river", session_id=1,
                        chosen_at=at(6, 10), id=1)
    p = plan(at(7, 12), {1: {"preparation": S.DONE, "day0": S.DONE, "day1": S.DONE,
                             "day3": S.DONE}}, practices=[practice])
    cards = today_cards(p)
    assert C.PRACTICE in cards
    assert cards.index(C.PRACTICE) == len(cards) - 2, "before the next session"


# ---------------------------------------------------------------------------- rows


def test_only_the_first_step_stands_out_and_shows_its_summary():
    view = today_view(plan(at(6, 12)))
    assert [(r.item.step, r.primary, r.shows_summary) for r in view.due] == [
        ("day3", True, True), ("day1", False, False)]
    assert all(r.skippable and not r.continues for r in view.due)


def test_a_started_step_is_continued_and_shows_no_summary():
    view = today_view(plan(at(6, 12), {1: {"preparation": S.DONE, "day3": S.IN_PROGRESS}}))
    first = view.due[0]
    assert first.item.step == "day3" and first.continues and not first.shows_summary
    assert first.primary


def test_preparation_is_not_a_step_that_can_be_let_go():
    # Two sessions close together: the second one's preparation opens before the first
    # session, so it waits in the list rather than with the next session.
    first = TreatmentSession(starts_at=at(3, 10), number=1, id=1)
    second = TreatmentSession(starts_at=at(5, 10), number=2, id=2)
    rows = today_view(plan(at(2, 12), {}, sessions=[first, second])).due
    assert [(r.item.session_id, r.item.step, r.skippable) for r in rows] == [
        (2, "preparation", False)]
    assert all(r.skippable for r in today_view(plan(at(6, 12))).due), "reflection steps"


@pytest.mark.parametrize(("status", "offer"), [
    (S.DONE, PreparationOffer.READ),
    (S.SKIPPED, PreparationOffer.SKIPPED),
    (S.IN_PROGRESS, PreparationOffer.CONTINUE),
])
def test_the_preparation_line_follows_what_was_stored(status, offer):
    view = today_view(plan(at(1, 12), {1: {"preparation": status}}))
    assert view.preparation is offer


def test_an_overdue_preparation_is_still_offered_to_start():
    view = today_view(plan(at(2, 23), {}))
    assert view.plan.next_session.preparation_status in (S.DUE, S.OVERDUE)
    assert view.preparation is PreparationOffer.START


# ---------------------------------------------------------------------------- quick entry, check-in


def test_saving_stands_out_only_with_words_and_nothing_else_waiting():
    quiet = plan(at(4, 12), {1: {"preparation": S.DONE, "day0": S.DONE, "day1": S.SKIPPED}})
    assert quiet.primary is PrimaryAction.WRITE
    assert save_stands_out(quiet, typed=True)
    assert not save_stands_out(quiet, typed=False)
    assert not save_stands_out(None, typed=True)
    assert not save_stands_out(plan(at(6, 12)), typed=True), "a step stands out instead"


def test_quick_words_become_a_free_entry_and_blanks_nothing():
    moment = at(4, 12)
    entry = quick_entry("  Tired but lighter today \n", moment)
    assert entry is not None
    assert (entry.kind, entry.title, entry.body) == (EntryKind.FREE, "",
                                                      "Tired but lighter today")
    assert entry.created_at == entry.updated_at == moment
    assert quick_entry(" \n\t", moment) is None


def test_the_check_in_offered_continues_the_last_measure():
    assert checkin_measure(plan(at(4, 12))) == DEFAULT_MEASURE == "mood"
    taken = CheckIn(measure_id="phq9", answers=(1,) * 9, taken_at=at(3, 21), id=1)
    assert checkin_measure(plan(at(4, 12), check_ins=[taken])) == "phq9"


def test_across_the_course_the_cards_keep_one_order_and_one_card_about_what_is_ahead():
    order = list(TodayCard)
    moment = at(1, 0)
    while moment < at(27, 0):
        cards = today_cards(plan(moment))
        assert list(cards) == sorted(cards, key=order.index), moment
        assert len(set(cards)) == len(cards), moment
        assert not {C.SESSION_DAY, C.AFTER_SESSION} <= set(cards), moment
        assert not {C.NEXT_SESSION, C.ADD_SESSION} <= set(cards), moment
        moment += dt.timedelta(hours=3)
