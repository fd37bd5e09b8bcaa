"""Weekly averages of a series, for the daily-mood chart: one point per calendar week.

Weeks run Monday to Sunday, on the date of each rating as it was taken (its own time
zone), so a rating late on a Sunday evening stays in that week.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from journal_app.domain.trends import MeasureSeries


class WeeklyMean(NamedTuple):
    """One week with ratings: its Monday, the mean of its ratings and how many there were."""

    monday: dt.date
    mean: float
    ratings: int


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def weekly_means(series: MeasureSeries) -> list[WeeklyMean]:
    """Each week that has ratings, oldest first; weeks without ratings are left out."""
    weeks: dict[dt.date, list[float]] = {}
    for point in series.points:
        weeks.setdefault(week_start(point.taken_at.date()), []).append(float(point.total))
    return [WeeklyMean(monday, sum(v) / len(v), len(v)) for monday, v in sorted(weeks.items())]
