"""The session timeline and the Today plan never raise for sessions at the ends of the
calendar (year 1, year 9999), which older journals or a damaged import may hold: steps
whose time can't be represented are left out, everything else is worked out as usual."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.timeline import StepStatus, due_items, session_progress, timeline
from journal_app.domain.today import local_day, plan_today, session_timeline

UTC = dt.UTC
EAST = dt.timezone(dt.timedelta(hours=14))
WEST = dt.timezone(dt.timedelta(hours=-12))
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

EXTREMES = [
    dt.datetime(1, 1, 1, 0, 0, tzinfo=UTC),
    dt.datetime(1, 1, 1, 0, 0, tzinfo=EAST),  # before the earliest UTC instant
    dt.datetime(1, 1, 2, 9, 0, tzinfo=WEST),
    dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    dt.datetime(9999, 12, 31, 23, 59, tzinfo=WEST),  # after the latest UTC instant
    dt.datetime(9999, 12, 25, 10, 0, tzinfo=EAST),
]
ZONES = [None, UTC, EAST, WEST]


def _session(starts_at: dt.datetime, id_: int, number: int) -> TreatmentSession:
    return TreatmentSession(starts_at=starts_at, number=number, id=id_)


NORMAL = _session(dt.datetime(2026, 2, 20, 10, 0, tzinfo=UTC), 2, 2)


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize("start", EXTREMES, ids=lambda d: d.isoformat())
def test_a_timeline_at_the_ends_of_the_calendar_never_raises(start, zone):
    odd = _session(start, 1, 1)
    for session, following in ((odd, None), (odd, NORMAL), (NORMAL, odd), (odd, odd)):
        items = timeline(session, following, {}, NOW, zone=zone)
        assert all(item.due_at <= item.overdue_at for item in items)
        for item in items:
            item.to_json()
    assert isinstance(due_items([odd, NORMAL], {}, NOW, zone=zone), list)


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize("start", EXTREMES, ids=lambda d: d.isoformat())
def test_the_today_plan_with_a_session_at_the_ends_of_the_calendar(start, zone):
    odd = _session(start, 1, 1)
    plan = plan_today([odd, NORMAL], {1: {"day1": StepStatus.DONE}}, [], NOW,
                      has_entries=True, zone=zone)
    assert plan.has_sessions
    if start.year == 9999:
        assert plan.next_session is not None and plan.next_session.session.id == 1
        assert plan.next_session.days_until > 2_000_000
    progress = session_progress(session_timeline(odd, [odd, NORMAL], {}, NOW, zone=zone))
    assert progress.integration_done == 0


def test_the_normal_session_keeps_its_steps_beside_an_extreme_one():
    ancient = _session(EXTREMES[0], 1, 1)
    alone = timeline(NORMAL, None, {}, NOW)
    with_odd = session_timeline(NORMAL, [ancient, NORMAL], {}, NOW)
    assert [i.step for i in with_odd] == [i.step for i in alone]


def test_steps_after_the_latest_representable_moment_are_left_out():
    last = _session(dt.datetime(9999, 12, 31, 12, 0, tzinfo=UTC), 1, 1)
    steps = [item.step for item in timeline(last, None, {}, NOW)]
    assert "preparation" in steps  # due days before, representable
    assert "week1" not in steps  # a week later is after year 9999


def test_steps_before_the_earliest_representable_moment_are_left_out():
    first = _session(dt.datetime(1, 1, 1, 10, 0, tzinfo=UTC), 1, 1)
    steps = [item.step for item in timeline(first, None, {}, NOW)]
    assert "preparation" not in steps  # due days before year 1
    assert "day1" in steps


@pytest.mark.parametrize("moment", EXTREMES, ids=lambda d: d.isoformat())
def test_local_day_of_an_extreme_moment(moment):
    assert isinstance(local_day(moment, NOW), dt.date)
    assert isinstance(local_day(NOW, moment), dt.date)
