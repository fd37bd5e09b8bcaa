"""The Today screen's content, worked out for a simulated course of three sessions."""

from __future__ import annotations

import datetime as dt

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import CheckIn
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.domain.timeline import StepStatus, timeline
from journal_app.domain.today import (
    PrimaryAction,
    current_practice,
    local_day,
    plan_today,
    session_progress,
    session_timeline,
)

CET = dt.timezone(dt.timedelta(hours=1))
S = StepStatus


def at(day: int, hour: int, minute: int = 0, tz: dt.tzinfo = CET) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=tz)


# Monday 3 March 10:00, Thursday 13 March 10:00, Monday 24 March 14:00.
S1 = TreatmentSession(starts_at=at(3, 10), number=1, id=1)
S2 = TreatmentSession(starts_at=at(13, 10), number=2, id=2)
S3 = TreatmentSession(starts_at=at(24, 14), number=3, id=3)
COURSE = [S3, S1, S2]  # any order
PREPARED = {1: {"preparation": S.DONE}, 2: {"preparation": S.DONE},
            3: {"preparation": S.DONE}}


def steps(plan) -> list[tuple[int | None, str, StepStatus]]:
    return [(i.session_id, i.step, i.status) for i in plan.due]


def plan(now, statuses=None, *, sessions=COURSE, check_ins=(), has_entries=True,
         practices=()):
    return plan_today(sessions, statuses if statuses is not None else PREPARED, check_ins,
                      now, has_entries=has_entries, practices=practices)


def test_a_first_time_user_sees_the_empty_state_and_is_asked_for_a_session():
    empty = plan(at(1, 12), {}, sessions=[], has_entries=False)
    assert empty.first_time
    assert empty.due == () and empty.next_session is None and empty.session_today is None
    assert empty.latest_check_in is None
    assert empty.primary is PrimaryAction.ADD_SESSION


def test_a_journal_with_only_free_entries_is_not_first_time_but_still_offers_a_session():
    p = plan(at(1, 12), {}, sessions=[], has_entries=True)
    assert not p.first_time
    assert p.primary is PrimaryAction.ADD_SESSION


def test_a_week_before_the_first_session_its_preparation_waits_with_the_session():
    p = plan(dt.datetime(2025, 2, 20, 12, tzinfo=CET), {})
    assert p.next_session is not None and p.next_session.session.id == 1
    assert p.next_session.preparation_status is S.UPCOMING
    p = plan(at(1, 12), {})
    assert p.next_session.session.id == 1 and p.next_session.days_until == 2
    assert p.next_session.preparation_status is S.DUE
    assert steps(p) == [], "the next session's preparation is shown with the session"
    assert p.primary is PrimaryAction.PREPARE


def test_the_morning_of_the_session_day_shows_todays_session_as_the_next():
    p = plan(at(3, 8))
    assert p.session_today == S1 and not p.session_today_started
    assert p.next_session.session == S1 and p.next_session.days_until == 0
    assert steps(p) == []


def test_the_evening_of_the_session_day_shows_day0():
    p = plan(at(3, 19), {1: {"preparation": S.DONE}})
    assert steps(p) == [(1, "day0", S.DUE)]
    assert p.session_today == S1 and p.session_today_started
    assert p.next_session.session == S2 and p.next_session.days_until == 10
    assert p.next_session.preparation_status is S.UPCOMING
    assert p.primary is PrimaryAction.START_STEP


def test_day0_is_not_due_right_after_a_late_session_ends():
    late = TreatmentSession(starts_at=at(3, 17), id=1)
    assert steps(plan(at(3, 18, 30), sessions=[late])) == []
    assert steps(plan(at(3, 19, 0), sessions=[late])) == [(1, "day0", S.DUE)]


def test_the_day_after_shows_day1_and_day0_has_gone_quietly():
    p = plan(at(4, 12))
    assert steps(p) == [(1, "day1", S.DUE)]
    assert p.session_today is None


def test_three_days_on_shows_day3_and_the_next_preparation_with_its_session():
    done = {1: {"preparation": S.DONE, "day1": S.DONE}, 2: {}}
    p = plan(at(6, 12), done)
    assert steps(p) == [(1, "day3", S.DUE)]
    assert p.next_session.session == S2
    assert p.next_session.preparation_status is S.DUE
    assert p.primary is PrimaryAction.START_STEP


def test_an_overdue_step_is_still_shown_after_the_fresh_one():
    p = plan(at(6, 12))
    assert steps(p) == [(1, "day3", S.DUE), (1, "day1", S.OVERDUE)]


def test_a_started_step_comes_first():
    started = {1: {"preparation": S.DONE, "day3": S.IN_PROGRESS}}
    p = plan(at(7, 12), started)
    assert steps(p) == [(1, "day3", S.IN_PROGRESS), (1, "day1", S.OVERDUE)]


def test_a_skipped_step_disappears():
    skipped = {1: {"preparation": S.DONE, "day1": S.SKIPPED}}
    assert steps(plan(at(4, 12), skipped)) == []
    assert plan(at(4, 12), skipped).primary is PrimaryAction.WRITE


def test_one_week_on_shows_week1():
    done = {1: {"preparation": S.DONE, "day1": S.DONE, "day3": S.DONE}, 2: {}}
    p = plan(at(10, 12), done)
    assert steps(p) == [(1, "week1", S.DUE)]
    assert p.next_session.days_until == 3


def test_before_the_next_session_shows_before_next_and_then_the_preparation():
    done = {1: {"preparation": S.DONE, "day1": S.DONE, "day3": S.DONE, "week1": S.DONE},
            2: {}}
    p = plan(at(11, 12), done)
    assert steps(p) == [(1, "before_next", S.DUE)]
    assert p.next_session.preparation_status is S.DUE
    done[1]["before_next"] = S.DONE
    p = plan(at(11, 12), done)
    assert steps(p) == []
    assert p.primary is PrimaryAction.PREPARE


def test_after_the_last_session_there_is_no_next_session():
    p = plan(at(25, 12))
    assert p.next_session is None
    assert (3, "day1", S.DUE) in steps(p)
    assert p.primary is PrimaryAction.START_STEP


def test_today_is_the_users_local_day():
    # 23:30 UTC on the 12th is already the 13th in Central Europe.
    utc_session = TreatmentSession(starts_at=dt.datetime(2025, 3, 12, 23, 30, tzinfo=dt.UTC),
                                   id=9)
    p = plan(at(13, 0, 45), {}, sessions=[utc_session])
    assert p.session_today == utc_session and p.session_today_started
    assert local_day(utc_session.starts_at, at(13, 0, 45)) == dt.date(2025, 3, 13)
    p = plan(at(12, 20), {}, sessions=[utc_session])
    assert p.next_session.days_until == 1 and p.session_today is None


def test_the_latest_check_in_is_the_newest():
    older = CheckIn("phq9", (0,) * 9, taken_at=at(1, 9), id=1)
    newer = CheckIn("mood", (6,), taken_at=at(5, 20), id=2)
    assert plan(at(6, 12), check_ins=[newer, older]).latest_check_in == newer
    alone = plan(at(6, 12), {}, sessions=[], check_ins=[older], has_entries=False)
    assert not alone.first_time


def test_the_practice_of_the_week_shows_until_it_is_answered_or_old():
    chosen = Practice(PracticeDomain.NATURE, "Walk by the river", session_id=1,
                      chosen_at=at(6, 10), id=1)
    assert current_practice([chosen], at(8, 12)) == chosen
    assert current_practice([chosen], at(20, 12)) is None
    answered = chosen.with_outcome(PracticeOutcome.DONE, at=at(9, 10))
    assert current_practice([answered], at(10, 12)) is None
    assert plan(at(8, 12), practices=[chosen]).practice == chosen


def test_session_progress_counts_done_open_and_preparation():
    records = {"preparation": S.DONE, "day0": S.SKIPPED, "day1": S.DONE}
    items = session_timeline(S1, COURSE, records, at(6, 12))
    assert items == timeline(S1, S2, records, at(6, 12))
    progress = session_progress(items)
    assert progress.preparation is S.DONE
    assert (progress.integration_done, progress.integration_open,
            progress.integration_total) == (2, 1, 5)
    assert progress.integration_started
    fresh = session_progress(session_timeline(S3, COURSE, {}, at(6, 12)))
    assert fresh.preparation is S.UPCOMING and not fresh.integration_started
    assert fresh.integration_total == 4  # no "before next" after the last session
