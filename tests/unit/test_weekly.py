"""Weekly averages of the daily mood (domain/weekly.py), without Qt."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.measures import Measure, load_measures
from journal_app.domain.trends import MeasureSeries, build_series
from journal_app.domain.weekly import WeeklyMean, week_start, weekly_means

START = dt.datetime(2026, 3, 2, 9, 0).astimezone()  # a Monday


@pytest.fixture(scope="module")
def measures() -> dict[str, Measure]:
    return load_measures()


def mood_series(measures: dict[str, Measure], ratings=(3, 4, 5, 6, 7, 8, 9, 6),
                start: dt.datetime = START) -> MeasureSeries:
    mood = measures["mood"]
    return build_series(mood, [mood.new_check_in([r], taken_at=start + dt.timedelta(days=d))
                               for d, r in enumerate(ratings)])


def test_weekly_mood_means(measures):
    weeks = weekly_means(mood_series(measures, ratings=(3, 4, 5, 6, 7, 8, 9, 6)))
    assert weeks == [(START.date(), 6.0, 7), (START.date() + dt.timedelta(days=7), 6.0, 1)]
    assert weeks[0] == WeeklyMean(monday=START.date(), mean=6.0, ratings=7)


def test_a_week_starts_on_monday():
    sunday = dt.date(2026, 3, 8)
    assert week_start(sunday) == dt.date(2026, 3, 2)
    assert week_start(dt.date(2026, 3, 9)) == dt.date(2026, 3, 9)


def test_weeks_without_ratings_are_left_out_and_weeks_are_in_order(measures):
    mood = measures["mood"]
    late = mood.new_check_in([8], taken_at=START + dt.timedelta(weeks=3))
    early = mood.new_check_in([2], taken_at=START)
    weeks = weekly_means(build_series(mood, [late, early]))
    assert [w.monday for w in weeks] == [START.date(), START.date() + dt.timedelta(weeks=3)]
    assert [(w.mean, w.ratings) for w in weeks] == [(2.0, 1), (8.0, 1)]


def test_a_late_sunday_rating_stays_in_its_own_week(measures):
    sunday_night = dt.datetime(2026, 3, 8, 23, 30).astimezone()
    weeks = weekly_means(mood_series(measures, ratings=(4,), start=sunday_night))
    assert [w.monday for w in weeks] == [dt.date(2026, 3, 2)]


def test_no_ratings_no_weeks(measures):
    assert weekly_means(mood_series(measures, ratings=())) == []
