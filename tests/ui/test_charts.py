"""Trend charts: images for the export in light and dark, exact values on hover."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QColor, QImage

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import load_measures
from journal_app.domain.trends import build_series
from journal_app.ui.charts.trend_view import TrendChartView
from journal_app.ui.charts.trends import (
    palette_colours,
    render_chart_image,
    to_ms,
)
from journal_app.ui.theme import DARK, LIGHT, apply_theme

START = dt.datetime(2026, 3, 2, 9, 0).astimezone()  # a Monday


@pytest.fixture(scope="module")
def measures():
    return load_measures()


def phq9_series(measures, totals=(18, 14, 8, 5)):
    phq9 = measures["phq9"]
    check_ins = []
    for week, total in enumerate(totals):
        answers = [min(3, max(0, total - 3 * i)) for i in range(9)]
        check_ins.append(phq9.new_check_in(answers, taken_at=START + dt.timedelta(weeks=week)))
    return build_series(phq9, check_ins)


def mood_series(measures, ratings=(3, 4, 5, 6, 7, 8, 9, 6)):
    mood = measures["mood"]
    return build_series(mood, [mood.new_check_in([r], taken_at=START + dt.timedelta(days=d))
                               for d, r in enumerate(ratings)])


SESSIONS = [TreatmentSession(START + dt.timedelta(days=d), number=n)
            for n, d in ((1, 4), (2, 11), (3, 18))]


def colours_in(image: QImage) -> set[int]:
    return {image.pixel(x, y) for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)}


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("which", ["phq9", "mood"])
def test_chart_renders_to_an_image_in_light_and_dark(qapp, measures, dark, which):
    series = phq9_series(measures) if which == "phq9" else mood_series(measures)
    image = render_chart_image(series, SESSIONS, QSize(800, 400), dark=dark)
    assert not image.isNull() and image.size() == QSize(800, 400)
    assert len(colours_in(image)) > 20, "axes, bands, lines and labels are drawn"
    corner = QColor(image.pixel(2, 2))
    expected = QColor((DARK if dark else LIGHT)["base"])
    assert corner.rgb() == expected.rgb()
    line = QColor((DARK if dark else LIGHT)["accent"]).rgb()
    assert line in colours_in_full(image), "the scores are drawn in the theme's accent"


def colours_in_full(image: QImage) -> set[int]:
    return {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}


def test_chart_image_accepts_a_plain_size_and_an_empty_series(qapp, measures):
    empty = build_series(measures["gad7"], [])
    image = render_chart_image(empty, SESSIONS, (300, 200))
    assert image.size() == QSize(300, 200) and len(colours_in(image)) > 2


def test_hover_shows_the_exact_value_date_and_band(qtbot, measures):
    view = TrendChartView()
    qtbot.addWidget(view)
    view.show()
    view.show_series(phq9_series(measures), SESSIONS)
    totals = next(s for s, texts in view.built.hover_texts if len(texts) == 4)
    third = START + dt.timedelta(weeks=2)
    totals.hovered.emit(QPointF(to_ms(third) + 3_600_000, 8.3), True)
    assert view.last_hover_text == "Mon 16 Mar 2026: 8 of 27 (mild)"
    session_line = view.built.hover_texts[0][0]
    session_line.hovered.emit(QPointF(to_ms(SESSIONS[0].starts_at), 3.0), True)
    assert view.last_hover_text == "Session 1 · Fri 6 Mar 2026"


def test_chart_colours_follow_the_app_palette(qtbot, qapp, measures):
    apply_theme(qapp, "dark", 12)
    view = TrendChartView()
    qtbot.addWidget(view)
    view.show_series(phq9_series(measures), SESSIONS)
    assert view.chart().backgroundBrush().color() == QColor(DARK["base"])
    assert palette_colours().line == QColor(DARK["accent"])
    apply_theme(qapp, "light", 12)
    qtbot.waitUntil(lambda: view.chart().backgroundBrush().color() == QColor(LIGHT["base"]),
                    timeout=2_000)
    assert view.built is not None, "switching the theme redraws the same data"


def test_chart_image_can_be_drawn_larger_for_print(qapp, measures):
    image = render_chart_image(phq9_series(measures), SESSIONS, (400, 200), scale=2.0)
    assert image.size() == QSize(800, 400)
