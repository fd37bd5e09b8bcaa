"""Check-ins over time: one series per measure, for the trend charts and the therapist export.

Each point carries the date, the exact total, the band label and the safety flag; for
measures with a change rule (PHQ-9) also the change from baseline. The baseline is the
first check-in of that measure unless the caller names one.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from journal_app.domain.measures import (
    Change,
    CheckIn,
    Measure,
    Score,
    change_from_baseline,
    score,
)


@dataclass(frozen=True)
class SeriesPoint:
    taken_at: dt.datetime
    total: int | float = field(repr=False)
    band_label: str | None = field(repr=False)
    safety_flag: bool = field(repr=False)
    display_total: str = field(repr=False)
    check_in_id: int | None = None
    session_id: int | None = None
    change: Change | None = field(default=None, repr=False)

    def as_row(self) -> tuple[dt.datetime, int | float, str | None, bool]:
        """(taken_at, total, band label, safety flag): the plain row for tables and CSV."""
        return (self.taken_at, self.total, self.band_label, self.safety_flag)


@dataclass(frozen=True)
class MeasureSeries:
    """All check-ins of one measure, oldest first."""

    measure: Measure
    points: tuple[SeriesPoint, ...]
    baseline: SeriesPoint | None = None

    @property
    def latest(self) -> SeriesPoint | None:
        return self.points[-1] if self.points else None

    @property
    def flagged(self) -> tuple[SeriesPoint, ...]:
        """The points whose answers raised the safety flag (the export lists their dates)."""
        return tuple(p for p in self.points if p.safety_flag)

    def rows(self) -> list[tuple[dt.datetime, int | float, str | None, bool]]:
        return [p.as_row() for p in self.points]


def _point(measure: Measure, check_in: CheckIn,
           scored: dict[tuple[int, ...], Score] | None = None) -> SeriesPoint:
    """``scored``: answers already scored (the same answers always score the same; a daily
    mood has eleven possible, so a long journal scores each once, not 30,000 times)."""
    result = scored.get(check_in.answers) if scored is not None else None
    if result is None:
        result = score(measure, check_in.answers)
        if scored is not None:
            scored[check_in.answers] = result
    return SeriesPoint(check_in.taken_at, result.total, result.band_label, result.safety_flag,
                       result.display_total, check_in.id, check_in.session_id)


_BY_TIME = operator.attrgetter("taken_at", "id")


def _order(check_in: CheckIn) -> tuple[dt.datetime, int]:
    return (check_in.taken_at, check_in.id if check_in.id is not None else -1)


def build_series(measure: Measure, check_ins: Iterable[CheckIn], *,
                 baseline: CheckIn | None = None) -> MeasureSeries:
    """The series of ``measure`` from ``check_ins`` (others are ignored), oldest first.

    ``baseline`` may lie outside ``check_ins`` (e.g. an export of the last three months still
    compares with the check-in before the first treatment).
    """
    own = [c for c in check_ins if c.measure_id == measure.id]
    # attrgetter sorts a long series fast; a check-in not yet stored has no id to compare
    own.sort(key=_BY_TIME if all(c.id is not None for c in own) else _order)
    scored: dict[tuple[int, ...], Score] = {}
    points = [_point(measure, c, scored) for c in own]
    if baseline is not None and baseline.measure_id != measure.id:
        raise ValueError(f"the baseline is not a {measure.name} check-in")
    base = _point(measure, baseline) if baseline is not None else (points[0] if points else None)
    if measure.change is not None and base is not None:
        points = [_with_change(measure, base, p) for p in points]
        base = _with_change(measure, base, base)
    return MeasureSeries(measure, tuple(points), base)


def _with_change(measure: Measure, base: SeriesPoint, point: SeriesPoint) -> SeriesPoint:
    change = change_from_baseline(measure, base.total, point.total)
    return SeriesPoint(point.taken_at, point.total, point.band_label, point.safety_flag,
                       point.display_total, point.check_in_id, point.session_id, change)


def summarize(check_ins: Iterable[CheckIn], measures: Mapping[str, Measure], *,
              baselines: Mapping[str, CheckIn] | None = None) -> dict[str, MeasureSeries]:
    """One series per known measure, in the measures' display order (empty ones included,
    so a chart can say "no check-ins yet"). Check-ins of measures not in ``measures`` are
    left out."""
    pool = list(check_ins)
    chosen = baselines or {}
    return {mid: build_series(m, pool, baseline=chosen.get(mid)) for mid, m in measures.items()}
