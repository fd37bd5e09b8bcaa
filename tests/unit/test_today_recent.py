"""Only recent sessions can have a step waiting: what the Today page and the reminders
show, worked out from the recent end of the course, equals the same worked out from every
session, on varied course histories (hypothesis)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.domain import today as today_module
from journal_app.domain.entities import TreatmentSession
from journal_app.domain.reminders import open_steps
from journal_app.domain.timeline import StepStatus, default_schedule, due_items
from journal_app.domain.today import (
    listing_reach,
    plan_today,
    recent_sessions,
    recent_since,
)

NOW = dt.datetime(2026, 3, 12, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
STEPS = default_schedule().ids
STORED = (StepStatus.IN_PROGRESS, StepStatus.DONE, StepStatus.SKIPPED)
OFFSETS = [dt.timedelta(hours=h, minutes=m) for h, m in
           ((0, 0), (1, 0), (-5, 0), (5, 30), (-9, 30), (13, 0), (14, 0), (-12, 0))]
ZONES = [None, zoneinfo.ZoneInfo("Europe/Berlin"), zoneinfo.ZoneInfo("Pacific/Apia"),
         zoneinfo.ZoneInfo("America/St_Johns")]

# Session starts, in minutes from now: mostly within the weeks around now (where steps
# are due, overdue, stale or upcoming), some long ago or far ahead.
near = st.integers(min_value=-60 * 24 * 60, max_value=30 * 24 * 60)
far = st.integers(min_value=-5 * 365 * 24 * 60, max_value=2 * 365 * 24 * 60)
# Around three weeks ago: a week-one step still listed, or just no longer.
edge = st.integers(min_value=-23 * 24 * 60, max_value=-19 * 24 * 60)
minutes = st.one_of(near, near, edge, far)


@st.composite
def courses(draw):
    starts = draw(st.lists(minutes, max_size=14))
    if starts and draw(st.booleans()):  # two sessions at the same moment
        starts.append(draw(st.sampled_from(starts)))
    now = NOW + dt.timedelta(minutes=draw(st.integers(-3 * 24 * 60, 3 * 24 * 60)))
    sessions = []
    for number, offset in enumerate(starts, start=1):
        zone = dt.timezone(draw(st.sampled_from(OFFSETS)))
        moment = (NOW + dt.timedelta(minutes=offset)).astimezone(zone)
        sessions.append(TreatmentSession(starts_at=moment, number=number, id=number,
                                         created_at=NOW, updated_at=NOW))
    statuses = {}
    for session in sessions:
        stored = draw(st.dictionaries(st.sampled_from(STEPS), st.sampled_from(STORED),
                                      max_size=4))
        if stored:
            statuses[session.id] = stored
    shuffled = draw(st.permutations(sessions))
    return shuffled, statuses, now


def every_session(sessions, now, *, schedule=None):
    """The reference: no session left out."""
    return today_module._ordered(sessions)


def plan_from_all(sessions, statuses, now, zone):
    with mock.patch.object(today_module, "recent_sessions", every_session):
        return plan_today(sessions, statuses, [], now, has_entries=True, zone=zone)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(courses())
def test_what_is_waiting_is_the_same_from_the_recent_sessions_as_from_all(course):
    sessions, statuses, now = course
    recent = recent_sessions(sessions, now)
    assert due_items(recent, statuses, now) == due_items(sessions, statuses, now)
    assert open_steps(sessions, statuses, now) == due_items(sessions, statuses, now)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(courses(), st.sampled_from(ZONES))
def test_the_today_plan_is_the_same_from_the_recent_end_of_the_course(course, zone):
    sessions, statuses, now = course
    reference = plan_from_all(sessions, statuses, now, zone)
    assert plan_today(sessions, statuses, [], now, has_entries=True, zone=zone) == reference
    tail = recent_sessions(sessions, now)
    from_tail = plan_today(tail, statuses, [], now, has_entries=True, zone=zone,
                           has_sessions=bool(sessions))
    assert from_tail == reference
    assert reference.waiting == tuple(due_items(sessions, statuses, now, zone=zone))


def test_recent_sessions_are_those_since_the_reach_and_the_one_before():
    reach = listing_reach(default_schedule())
    # week1 is overdue 14 days after 09:00 on the session's day and listed 7 days more.
    assert dt.timedelta(days=22) <= reach <= dt.timedelta(days=30)
    since = recent_since(NOW)
    assert since == NOW - reach
    old = [TreatmentSession(starts_at=since - dt.timedelta(days=d), id=d) for d in (300, 90, 40)]
    new = [TreatmentSession(starts_at=since + dt.timedelta(hours=h), id=100 + h)
           for h in (0, 30)]
    assert recent_sessions([*new, *old], NOW) == [old[2], *new], "the last old one starts it"
    assert recent_sessions(old, NOW) == [old[2]]
    assert recent_sessions([], NOW) == []


def test_an_old_session_whose_next_session_is_recent_keeps_its_step_before_the_next():
    """A session long ago, the next one soon: its 'before your next session' step is due,
    so the old session is among the recent ones."""
    old = TreatmentSession(starts_at=NOW - dt.timedelta(days=400), id=1, number=1)
    soon = TreatmentSession(starts_at=NOW + dt.timedelta(days=1), id=2, number=2)
    items = open_steps([old, soon], {1: {step: StepStatus.DONE for step in STEPS
                                         if step != "before_next"}}, NOW)
    assert sorted((i.session_id, i.step) for i in items) == [(1, "before_next"),
                                                          (2, "preparation")]


def test_near_year_one_every_session_counts():
    early = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
    assert recent_since(early) is None
    sessions = [TreatmentSession(starts_at=early + dt.timedelta(hours=h), id=h) for h in (2, 1)]
    assert [s.id for s in recent_sessions(sessions, early)] == [1, 2]
