"""Which session a new check-in is linked to by default (domain/checkin_session.py)."""

from __future__ import annotations

import datetime as dt

from journal_app.domain.checkin_session import (
    RECENT_SESSION,
    UPCOMING_SESSION,
    default_session,
)
from journal_app.domain.entities import TreatmentSession

WHEN = dt.datetime(2026, 4, 15, 18, 0).astimezone()


def session(days: float, number: int) -> TreatmentSession:
    """A session ``days`` after WHEN (negative: before it)."""
    return TreatmentSession(WHEN + dt.timedelta(days=days), number=number)


def test_the_latest_session_of_the_past_two_weeks_wins():
    old, earlier, recent = session(-30, 1), session(-10, 2), session(-3, 3)
    assert default_session([recent, old, earlier], WHEN) == recent
    assert default_session([old, earlier], WHEN) == earlier
    assert default_session([old], WHEN) is None


def test_a_recent_session_wins_over_an_upcoming_one():
    recent, upcoming = session(-5, 1), session(1, 2)
    assert default_session([upcoming, recent], WHEN) == recent


def test_without_a_recent_session_the_soonest_upcoming_one_within_two_days():
    tomorrow, day_after, later = session(1, 2), session(2, 3), session(5, 4)
    assert default_session([later, day_after, tomorrow], WHEN) == tomorrow
    assert default_session([later], WHEN) is None


def test_the_edges_are_inclusive_and_now_counts_as_past():
    now_session = session(0, 1)
    assert default_session([now_session], WHEN) == now_session
    edge = TreatmentSession(WHEN - RECENT_SESSION, number=1)
    assert default_session([edge], WHEN) == edge
    just_too_old = TreatmentSession(WHEN - RECENT_SESSION - dt.timedelta(seconds=1), number=1)
    assert default_session([just_too_old], WHEN) is None
    last_upcoming = TreatmentSession(WHEN + UPCOMING_SESSION, number=2)
    assert default_session([last_upcoming], WHEN) == last_upcoming
    too_far = TreatmentSession(WHEN + UPCOMING_SESSION + dt.timedelta(seconds=1), number=2)
    assert default_session([too_far], WHEN) is None


def test_no_sessions_no_default():
    assert default_session([], WHEN) is None
