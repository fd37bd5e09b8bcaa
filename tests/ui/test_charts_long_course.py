"""A long journal's charts: every session line drawn however many sessions there are, only
the points the chart's width can show (true values, the lowest, highest and latest kept),
and every point when the width is unknown (the export's images)."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

from PySide6.QtCore import QPointF

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import load_measures
from journal_app.domain.trends import build_series
from journal_app.ui.charts.parts import SessionLines
from journal_app.ui.charts.trend_view import TrendChartView
from journal_app.ui.charts.trends import build_chart, palette_colours, to_ms

START = dt.datetime(2020, 1, 6, 9, 0).astimezone()
MEASURES = load_measures()


def sessions(count: int) -> list[TreatmentSession]:
    return [TreatmentSession(START + dt.timedelta(days=3 * i), number=i + 1, id=i + 1)
            for i in range(count)]


def mood(days: int, seed: int = 5):
    rng = random.Random(seed)
    measure = MEASURES["mood"]
    return build_series(measure, [
        measure.new_check_in([rng.randint(0, 10)], taken_at=START + dt.timedelta(hours=8 * i))
        for i in range(days)])


def phq9(count: int, seed: int = 3):
    rng = random.Random(seed)
    measure = MEASURES["phq9"]
    return build_series(measure, [
        measure.new_check_in([rng.randint(0, 3) for _ in range(9)],
                             taken_at=START + dt.timedelta(hours=30 * i))
        for i in range(count)])


def points_of(chart, name: str) -> list[QPointF]:
    return next(s for s in chart.series() if s.name() == name).points()


def test_the_chart_has_as_many_series_for_three_sessions_as_for_three_hundred(qapp):
    series = phq9(800)  # 1,000 days: every session below is in the chart's time range
    few = build_chart(series, sessions(3), palette_colours(), width=800).chart
    many = build_chart(series, sessions(300), palette_colours(), width=800).chart
    assert len(few.series()) == len(many.series())
    lines = [i for i in many.childItems() if isinstance(i, SessionLines)]
    assert len(lines) == 1 and lines[0].xs == [to_ms(s.starts_at) for s in sessions(300)]
    names = [m.label() for m in many.legend().markers()]
    assert names.count("Treatment session") == 1


def test_hovering_near_a_session_line_tells_which_session(qtbot):
    view = TrendChartView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    shown = sessions(4)
    view.show_series(phq9(20), shown)
    qtbot.waitUntil(lambda: view.chart().plotArea().width() > 100, timeout=2_000)
    item = next(i for i in view.chart().childItems() if isinstance(i, SessionLines))
    second = view.chart().mapToPosition(QPointF(to_ms(shown[1].starts_at), 0), item.series)
    item.hoverMoveEvent(SimpleNamespace(pos=lambda: QPointF(second.x() + 2, 50)))
    assert view.last_hover_text.startswith("Session 2")
    item.hoverLeaveEvent(SimpleNamespace(pos=lambda: QPointF(0, 0)))
    assert view.last_hover_text.startswith("Session 2")  # the tooltip hides, text stays


def test_a_long_mood_chart_draws_what_its_width_shows_with_true_values(qapp):
    series = mood(9000)
    full = build_chart(series, [], palette_colours()).chart
    assert len(points_of(full, "Daily rating")) == 9000, "no width: every point (export)"
    narrow = build_chart(series, [], palette_colours(), width=600).chart
    drawn = points_of(narrow, "Daily rating")
    assert len(drawn) < 9000 / 2
    true = {(to_ms(p.taken_at), float(p.total)) for p in series.points}
    assert all((p.x(), p.y()) in true for p in drawn), "no point is moved or averaged"
    assert {p.y() for p in drawn} == {float(p.total) for p in series.points}
    assert (drawn[-1].x(), drawn[-1].y()) == (to_ms(series.points[-1].taken_at),
                                              float(series.points[-1].total))
    weeks = points_of(narrow, "Weekly average")
    assert max(p.y() for p in weeks) == max(p.y() for p in points_of(full, "Weekly average"))


def test_a_long_totals_line_keeps_its_peaks_dips_and_latest_value(qapp):
    series = phq9(4000)
    drawn = points_of(build_chart(series, [], palette_colours(), width=500).chart,
                      "PHQ-9 score")
    totals = [float(p.total) for p in series.points]
    assert len(drawn) < len(totals) / 2
    assert max(p.y() for p in drawn) == max(totals) and min(p.y() for p in drawn) == min(totals)
    assert drawn[-1].y() == totals[-1] and drawn[0].y() == totals[0]
    xs = [p.x() for p in drawn]
    assert xs == sorted(xs)
    few = phq9(30)
    assert len(points_of(build_chart(few, [], palette_colours(), width=500).chart,
                         "PHQ-9 score")) == 30, "a short series is drawn whole"


def _old_session_markers(chart, sessions, x_range, axes, c):
    """How session lines were drawn before: a two-point dashed series per session."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPen

    from journal_app.ui.charts import parts

    shown = [s for s in sessions if x_range[0] <= to_ms(s.starts_at) <= x_range[1]]
    if not shown:
        return None
    pen = QPen(c.muted, 1.5, Qt.PenStyle.DashLine)
    first = None
    low, high = parts.total_span(MEASURES["phq9"])
    for session in shown:
        line = parts.QLineSeries()
        line.setName("Treatment session")
        line.append(to_ms(session.starts_at), low)
        line.append(to_ms(session.starts_at), high)
        line.setPen(pen)
        parts.attach(chart, line, axes, in_legend=first is None)
        first = first or line
    return first, shown


def test_the_exports_chart_image_is_as_drawn_before_pixel_for_pixel(qapp, monkeypatch):
    from journal_app.ui.charts import parts
    from journal_app.ui.charts.trends import render_chart_image

    series, shown = phq9(12), sessions(5)
    now = render_chart_image(series, shown, (800, 400))
    monkeypatch.setattr(parts, "session_markers", _old_session_markers)
    before = render_chart_image(series, shown, (800, 400))
    assert now == before
