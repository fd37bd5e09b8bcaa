"""The charts of "What keeps coming up" on Look back (domain/themes.py): recurring phrases
as bars, evening emotions as a grid of dots (one column a session), and mood and scores
session by session as lines. Each tab also says in words what its chart shows, for screen
readers and for exact reading. Colours come from the app palette (ui/charts.py)."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
from PySide6.QtGui import (
    QCursor,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QToolTip, QVBoxLayout, QWidget

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import Measure
from journal_app.domain.themes import Themes
from journal_app.ui.charts.thin import dot_points
from journal_app.ui.charts.trends import ChartColours, new_chart, palette_colours

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

Build = Callable[[ChartColours], QChart]
ROW_PX = 44  # height of one bar or one row of dots


def _number(session: TreatmentSession) -> str:
    return str(session.number) if session.number is not None else "—"


def _numbers(sessions: Sequence[TreatmentSession]) -> str:
    return ", ".join(_number(s) for s in sessions)


def _style(axis: QValueAxis | QCategoryAxis | QBarCategoryAxis, c: ChartColours) -> None:
    axis.setLabelsColor(c.text)
    axis.setLinePen(QPen(c.grid, 1))
    axis.setGridLinePen(QPen(c.grid, 1, Qt.PenStyle.DotLine))
    axis.setTitleBrush(c.muted)
    axis.setLabelsFont(QGuiApplication.font())


def _label_step(sessions: Sequence[TreatmentSession], width: float | None) -> int:
    """Every how many sessions the axis names one, so that names don't overlap: each is
    a label and a grid line in QtCharts (thousands of them froze a long course's page)."""
    if not width:
        screen = QGuiApplication.primaryScreen()
        width = float(screen.availableGeometry().width()) if screen else 1920.0
    widest = max((len(_number(s)) for s in sessions), default=1)
    needed = QFontMetricsF(QGuiApplication.font()).horizontalAdvance("8" * widest) * 1.5 + 16
    return max(1, math.ceil(needed * len(sessions) / width))


def _session_axis(sessions: Sequence[TreatmentSession], c: ChartColours,
                  width: float | None = None) -> QCategoryAxis:
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    step = _label_step(sessions, width)
    for index, session in enumerate(sessions):
        if index % step == 0 or (index == len(sessions) - 1 and index % step > step // 2):
            axis.append(_number(session), index)
    axis.setRange(-0.5, len(sessions) - 0.5)
    axis.setTitleText(translate("ThemesView", "Session"))
    _style(axis, c)
    return axis


def _attach(chart: QChart, series: object, x_axis: object, y_axis: object) -> None:
    chart.addSeries(series)  # type: ignore[arg-type]
    series.attachAxis(x_axis)  # type: ignore[attr-defined]
    series.attachAxis(y_axis)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- charts


def phrases_chart(themes: Themes, c: ChartColours) -> QChart:
    """One bar a phrase, as long as the number of sessions it came up after; the most
    frequent at the top."""
    chart = new_chart(c)
    chart.legend().hide()
    shown = list(reversed(themes.phrases))  # horizontal bars are drawn bottom up
    bars = QBarSet(translate("ThemesView", "Sessions"))
    bars.setColor(c.line)
    bars.setBorderColor(c.line)
    bars.setLabelColor(c.background)
    bars.append([float(p.session_count) for p in shown])
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setBarWidth(0.6)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsInsideEnd)
    series.setLabelsFormat("@value")
    names = QBarCategoryAxis()
    names.append([p.text for p in shown])
    _style(names, c)
    names.setGridLineVisible(False)
    count = QValueAxis()
    count.setRange(0, max(themes.written_sessions, 1))
    count.setTickCount(min(max(themes.written_sessions, 1), 10) + 1)
    count.setLabelFormat("%d")
    count.setTitleText(translate("ThemesView", "Sessions it came up after"))
    _style(count, c)
    chart.addAxis(count, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    _attach(chart, series, count, names)
    return chart


def emotions_chart(themes: Themes, c: ChartColours, width: float | None = None) -> QChart:
    """A dot where an emotion was picked on a session's evening: rows are emotions (the
    most often picked at the top), columns are sessions. On a chart ``width`` pixels wide
    dots a few pixels apart in a row are drawn once (charts/thin.py: QtCharts makes an
    item of each dot; a long course's thousands of them froze the page)."""
    chart = new_chart(c)
    chart.legend().hide()
    evenings = themes.evening_sessions
    rows = list(reversed(themes.emotions))
    dots = QScatterSeries()
    dots.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
    dots.setMarkerSize(13)
    dots.setColor(c.line)
    dots.setBorderColor(c.line)
    column = {s.id: i for i, s in enumerate(evenings)}
    x_range = (-0.5, len(evenings) - 0.5)
    for row, emotion in enumerate(rows):
        xs = [float(column[session.id]) for session in emotion.sessions]
        dots.append([QPointF(x, row) for x in dot_points(xs, xs, [row] * len(xs),
                                                           x_range, width)])
    x_axis = _session_axis(evenings, c, width)
    y_axis = QCategoryAxis()
    y_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for row, emotion in enumerate(rows):
        y_axis.append(emotion.label, row)
    y_axis.setRange(-0.6, len(rows) - 0.4)
    _style(y_axis, c)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    _attach(chart, dots, x_axis, y_axis)
    return chart


#: Fewer pixels than this per session, and a line's dots and dashes would run together.
DENSE_PX = 8.0


def dense(count: int, width: float | None) -> bool:
    """Whether ``count`` sessions on a chart ``width`` pixels wide are too many to draw each
    as a dot, or a line dashed: the markers overlap into a smear, and painting a dashed
    antialiased line through hundreds of points took over half a second on each repaint
    (a hover included)."""
    if not width:
        screen = QGuiApplication.primaryScreen()
        width = float(screen.availableGeometry().width()) if screen else 1920.0
    return count * DENSE_PX > width


def _line(name: str, points: Sequence[tuple[int, float]], colour: object,
          dashed: bool = False, crowded: bool = False) -> QLineSeries:
    """A line through ``points``; ``crowded`` (see :func:`dense`): a thinner solid line
    without dots, told apart from the other by its colour."""
    line = QLineSeries()
    line.setName(name)
    pen = QPen(colour, 1.5 if crowded else 2.5)  # type: ignore[call-overload]
    if dashed and not crowded:
        pen.setStyle(Qt.PenStyle.DashLine)
    line.setPen(pen)
    line.setPointsVisible(not crowded)
    for x, y in points:
        line.append(x, y)
    return line


def mood_chart(themes: Themes, c: ChartColours, width: float | None = None) -> QChart:
    """Mood out of 10 before each session (dashed) and on its evening (solid); on a chart
    ``width`` pixels wide too narrow for a dot per session, two plain lines."""
    chart = new_chart(c)
    rows = [s for s in themes.scores if s.mood_before is not None or s.mood_after is not None]
    sessions = [r.session for r in rows]
    crowded = dense(len(sessions), width)
    x_axis = _session_axis(sessions, c, width)
    y_axis = QValueAxis()
    y_axis.setRange(0, 10)
    y_axis.setTickCount(6)
    y_axis.setLabelFormat("%d")
    y_axis.setTitleText(translate("ThemesView", "Mood (0–10)"))
    _style(y_axis, c)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    before = [(i, float(r.mood_before)) for i, r in enumerate(rows) if r.mood_before is not None]
    after = [(i, float(r.mood_after)) for i, r in enumerate(rows) if r.mood_after is not None]
    if before:
        _attach(chart, _line(translate("ThemesView", "Before the session"), before, c.muted,
                             dashed=True, crowded=crowded), x_axis, y_axis)
    if after:
        _attach(chart, _line(translate("ThemesView", "The evening after"), after, c.line,
                             crowded=crowded), x_axis, y_axis)
    return chart


def scores_chart(themes: Themes, measures: Mapping[str, Measure], c: ChartColours,
                 width: float | None = None) -> QChart:
    """Each questionnaire's average per session (from its day until the next session)."""
    chart = new_chart(c)
    rows = [s for s in themes.scores if s.measures]
    sessions = [r.session for r in rows]
    crowded = dense(len(sessions), width)
    used = [mid for mid in measures if any(m.measure_id == mid for r in rows for m in r.measures)]
    x_axis = _session_axis(sessions, c, width)
    y_axis = QValueAxis()
    top = max((measures[mid].max_total for mid in used), default=10)
    y_axis.setRange(0, float(top))
    y_axis.applyNiceNumbers()  # 0, 5, 10 … rather than 0, 6.75, 13.5 …
    y_axis.setLabelFormat("%d")
    y_axis.setTitleText(translate("ThemesView", "Score"))
    _style(y_axis, c)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    shades = (c.line, c.muted, c.text)
    for index, mid in enumerate(used):
        points = [(i, m.mean) for i, r in enumerate(rows) for m in r.measures
                  if m.measure_id == mid]
        _attach(chart, _line(measures[mid].name, points, shades[index % len(shades)],
                             dashed=index % 2 == 1, crowded=crowded), x_axis, y_axis)
    return chart


# --------------------------------------------------------------------------- words


def phrases_text(themes: Themes) -> str:
    return "<br>".join(
        translate("ThemesView", "<b>%1</b>: after %2 of %3 sessions (%4)")
        .replace("%1", html.escape(p.text)).replace("%2", str(p.session_count))
        .replace("%3", str(themes.written_sessions)).replace("%4", _numbers(p.sessions))
        for p in themes.phrases)


def _evenings(count: int) -> str:
    if count == 1:
        return translate("ThemesView", "<b>%1</b>: 1 evening (session %3)")
    return translate("ThemesView", "<b>%1</b>: %2 evenings (sessions %3)")


def emotions_text(themes: Themes) -> str:
    return "<br>".join(
        _evenings(len(e.sessions)).replace("%1", html.escape(e.label))
        .replace("%2", str(len(e.sessions))).replace("%3", _numbers(e.sessions))
        for e in themes.emotions)


# --------------------------------------------------------------------------- widgets


class ThemeChartView(QChartView):
    """A chart that redraws itself in the new palette when the theme changes. It is
    built when first shown (or at once, when on screen): a chart in a hidden tab waits,
    shown empty, so no one waits for charts nobody looks at."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._build: Build | None = None
        self._waiting = False

    def show_chart(self, build: Build | None) -> None:
        self._build = build
        self._waiting = build is not None and not self.isVisible()
        self._set_chart(None if self._waiting else build)

    def drawn_width(self) -> float:
        """The widest this chart may be drawn: this view, or the screen when wider."""
        screen = self.screen()
        return float(max(self.width(), screen.availableGeometry().width() if screen else 0))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._waiting:
            self._waiting = False
            self._set_chart(self._build)

    def _set_chart(self, build: Build | None) -> None:
        chart = build(palette_colours(self.palette())) if build else new_chart(
            palette_colours(self.palette()))
        old = self.chart()
        self.setChart(chart)  # the view owns the new chart
        if old is not None and old is not chart:
            old.deleteLater()
        for series in chart.series():
            if isinstance(series, QLineSeries | QScatterSeries):
                series.hovered.connect(self._hovered)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._build is not None:
            self.show_chart(self._build)  # a hidden one waits until shown

    def _hovered(self, point: QPointF, state: bool) -> None:
        if state:
            QToolTip.showText(QCursor.pos(), f"{point.y():.3g}", self)
        else:
            QToolTip.hideText()


class ThemeTab(QScrollArea):
    """One tab of Look back: what it shows, the chart, the same in words; or, with
    nothing to show yet, a calm line saying what will appear here. Scrolls when a long
    list of phrases needs more room than the window has."""

    def __init__(self, intro: str, empty: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget(self)
        self.setWidget(inner)
        self.intro = QLabel(intro, inner)
        self.intro.setObjectName("quietLabel")
        self.intro.setWordWrap(True)
        self.chart = ThemeChartView(inner)
        self.details = QLabel(inner)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = QLabel(empty, inner)
        self.empty.setObjectName("quietLabel")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(4, 10, 12, 4)
        layout.setSpacing(10)
        layout.addWidget(self.intro)
        layout.addWidget(self.empty)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.details)
        layout.addStretch(0)
        self.show_nothing()

    def show_chart(self, build: Build, details: str = "", *, rows: int = 0) -> None:
        self.chart.show_chart(build)
        if rows:  # one row a bar or an emotion: as tall as they need, no taller
            self.chart.setFixedHeight(110 + rows * ROW_PX)
        else:
            self.chart.setMinimumHeight(240)
        self.chart.setAccessibleName(self.intro.text())
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.chart.setVisible(True)
        self.empty.setVisible(False)

    def show_nothing(self) -> None:
        self.chart.show_chart(None)
        self.chart.setVisible(False)
        self.details.clear()
        self.details.setVisible(False)
        self.empty.setVisible(True)

    @property
    def has_chart(self) -> bool:
        return not self.chart.isHidden()
