"""Look back's theme charts on a long course: the emotions chart of thousands of evenings
is made of about as many parts as a short course's (dots a few pixels apart drawn once,
session numbers far enough apart to read), every dot drawn is a real one, and a chart
waits to be built until its tab is shown."""

from __future__ import annotations

import datetime as dt
import random

from PySide6.QtCharts import QCategoryAxis

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.themes import Emotion, SessionScores, Themes
from journal_app.ui.charts.trends import palette_colours
from journal_app.ui.widgets.themes_view import ThemeTab, emotions_chart, mood_chart

START = dt.datetime(2020, 1, 6, 9, 0).astimezone()
LABELS = ("Calm", "Hopeful", "Sad", "Tired", "Open", "Grateful")


def course(count: int, seed: int = 7) -> Themes:
    rng = random.Random(seed)
    sessions = tuple(TreatmentSession(START + dt.timedelta(days=7 * i), number=i + 1,
                                      id=i + 1) for i in range(count))
    emotions = tuple(Emotion(label.lower(), label,
                             tuple(s for s in sessions if rng.random() < 0.5) or sessions[:1])
                     for label in LABELS)
    scores = tuple(SessionScores(s, mood_before=rng.randint(0, 10), mood_after=rng.randint(0, 10))
                   for s in sessions)
    return Themes(sessions=sessions, emotions=emotions, scores=scores)


def parts(chart) -> tuple[int, int]:
    """(dots, session numbers on the axis) of an emotions or mood chart."""
    dots = sum(len(s.points()) for s in chart.series())
    axis = next(a for a in chart.axes() if isinstance(a, QCategoryAxis)
                and a.titleText() == "Session")
    return dots, len(axis.categoriesLabels())


def test_three_thousand_evenings_make_about_as_many_parts_as_twelve(qapp):
    few = emotions_chart(course(12), palette_colours(), 1000)
    assert parts(few) == (sum(len(e.sessions) for e in course(12).emotions), 12), \
        "a short course: every dot, every session named"
    dots, named = parts(emotions_chart(course(3000), palette_colours(), 1000))
    assert dots <= len(LABELS) * (1000 / 4 + 1) and named <= 40, (dots, named)


def test_every_dot_drawn_is_an_evening_that_emotion_was_picked(qapp):
    themes = course(3000)
    chart = emotions_chart(themes, palette_colours(), 1000)
    rows = list(reversed(themes.emotions))
    (dots,) = chart.series()
    for point in dots.points():
        emotion = rows[int(point.y())]
        assert point.x() == int(point.x())
        assert themes.evening_sessions[int(point.x())] in emotion.sessions
    for row, emotion in enumerate(rows):  # the last evening of each is always there
        last = themes.evening_sessions.index(emotion.sessions[-1])
        assert any(p.x() == last and p.y() == row for p in dots.points())


def test_the_mood_chart_names_a_readable_number_of_sessions(qapp):
    assert parts(mood_chart(course(8), palette_colours()))[1] == 8
    assert parts(mood_chart(course(3000), palette_colours()))[1] <= 80


def test_a_chart_is_built_when_its_tab_is_first_shown(qtbot):
    tab = ThemeTab("intro", "empty")
    qtbot.addWidget(tab)
    built = []
    tab.show_chart(lambda c: built.append(1) or emotions_chart(course(5), c), rows=6)
    assert built == [] and tab.chart.chart().series() == [], "nothing built while hidden"
    tab.show()
    qtbot.waitExposed(tab)
    assert built == [1] and len(tab.chart.chart().series()) == 1


def test_a_long_course_mood_is_two_plain_lines_and_a_short_one_dots_and_a_dash(qapp):
    """Hundreds of sessions in a thousand pixels: dots would smear into one band and a
    dashed antialiased line took over half a second to paint on every hover; a short
    course keeps its dots and the dashed "before" line."""
    from PySide6.QtCore import Qt

    def look(chart):
        return [(s.name(), s.pen().style(), s.pointsVisible()) for s in chart.series()]

    short = look(mood_chart(course(12), palette_colours(), 1000))
    assert short == [("Before the session", Qt.PenStyle.DashLine, True),
                     ("The evening after", Qt.PenStyle.SolidLine, True)]
    long = mood_chart(course(600), palette_colours(), 1000)
    assert look(long) == [("Before the session", Qt.PenStyle.SolidLine, False),
                          ("The evening after", Qt.PenStyle.SolidLine, False)]
    assert [len(s.points()) for s in long.series()] == [600, 600], "every session's value"
