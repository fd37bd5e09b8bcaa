"""The parts every trend chart is built from (QtCharts): the time and total axes, the
shaded severity bands, the scale's own words, and the dashed treatment-session lines with
their numbers along the top. The charts themselves are put together in
:mod:`journal_app.ui.charts.trends`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCharts import (
    QAreaSeries,
    QCategoryAxis,
    QChart,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
    QXYSeries,
)
from PySide6.QtCore import QCoreApplication, QDateTime, QLineF, QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject, QGraphicsSceneHoverEvent

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import Measure
from journal_app.domain.trends import MeasureSeries
from journal_app.ui.charts.colours import ChartColours
from journal_app.ui.labels import session_text

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

DAY_MS = 24 * 3600 * 1000
#: What hovering a point shows: its text, or how to make it (made only when hovered: a long
#: journal's chart has thousands of points, and formatting every date took a while).
HoverText = str | Callable[[], str]


def to_ms(when: dt.datetime) -> float:
    return when.timestamp() * 1000


def from_ms(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value / 1000).astimezone()


def time_span(times: Sequence[float]) -> tuple[float, float]:
    """The time axis's range: the times with a little room, or the last four weeks."""
    if not times:
        today = to_ms(dt.datetime.now().astimezone())
        return today - 28 * DAY_MS, today + DAY_MS
    low, high = min(times), max(times)
    pad = max((high - low) * 0.04, 2 * DAY_MS)
    return low - pad, high + pad


def style_axis(axis: QValueAxis | QDateTimeAxis | QCategoryAxis, c: ChartColours) -> None:
    axis.setLabelsColor(c.text)
    axis.setLinePen(QPen(c.grid, 1))
    axis.setGridLinePen(QPen(c.grid, 1, Qt.PenStyle.DotLine))
    axis.setTitleBrush(c.muted)
    font = QGuiApplication.font()
    axis.setLabelsFont(font)


def new_chart(c: ChartColours) -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundBrush(c.background)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(8, 8, 8, 8))
    chart.legend().setLabelColor(c.text)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(QGuiApplication.font())
    return chart


def add_axes(
    chart: QChart, measure: Measure, x_range: tuple[float, float], c: ChartColours
) -> tuple[QDateTimeAxis, QValueAxis]:
    x_axis = QDateTimeAxis()
    span_days = (x_range[1] - x_range[0]) / DAY_MS
    x_axis.setFormat("MMM yyyy" if span_days > 300 else "d MMM")
    x_axis.setTickCount(7)
    x_axis.setRange(
        QDateTime.fromMSecsSinceEpoch(int(x_range[0])),
        QDateTime.fromMSecsSinceEpoch(int(x_range[1])),
    )
    y_axis = QValueAxis()
    low, high = total_span(measure)
    y_axis.setRange(low, high)
    y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    y_axis.setTickAnchor(float(measure.min_total))
    y_axis.setTickInterval(5 if high - low > 15 else 2)
    y_axis.setLabelFormat("%d")
    for axis in (x_axis, y_axis):
        style_axis(axis, c)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    return x_axis, y_axis


def total_span(measure: Measure) -> tuple[float, float]:
    """The total's range with a little room, so points at the ends aren't cut in half."""
    low, high = float(measure.min_total), float(measure.max_total)
    pad = (high - low) * 0.04
    return low - pad, high + pad


def attach(
    chart: QChart, series: QXYSeries | QAreaSeries, axes: Sequence[object], in_legend: bool = True
) -> None:
    chart.addSeries(series)
    for axis in axes:
        series.attachAxis(axis)
    if not in_legend:
        for marker in chart.legend().markers(series):
            marker.setVisible(False)


def label_axis(
    chart: QChart,
    labels: Sequence[tuple[str, float]],
    value_range: tuple[float, float],
    where: Qt.AlignmentFlag,
    c: ChartColours,
) -> None:
    """Quiet text at given values along one side: band names, scale words, session numbers."""
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setRange(*value_range)
    used: set[str] = set()
    for text, value in labels:
        while text in used:  # category labels must be unique
            text += "\u200b"
        used.add(text)
        axis.append(text, value)
    style_axis(axis, c)
    axis.setGridLineVisible(False)
    axis.setLineVisible(False)
    axis.setLabelsColor(c.muted)
    chart.addAxis(axis, where)


def shade_bands(
    chart: QChart,
    measure: Measure,
    x_range: tuple[float, float],
    axes: tuple[QDateTimeAxis, QValueAxis],
    c: ChartColours,
) -> None:
    if not measure.bands:
        return
    low_total, high_total = total_span(measure)
    names = []
    bands = sorted(measure.bands, key=lambda b: b.minimum)
    for index, band in enumerate(bands):
        low = low_total if index == 0 else band.minimum - 0.5
        high = high_total if index == len(bands) - 1 else band.maximum + 0.5
        upper, lower = QLineSeries(), QLineSeries()
        for x in x_range:
            upper.append(x, high)
            lower.append(x, low)
        area = QAreaSeries(upper, lower)
        upper.setParent(area)  # the area needs its edges alive as long as itself
        lower.setParent(area)
        area.setName(translate("charts", "Level: %1").replace("%1", band.label))
        area.setBrush(c.band(index))
        area.setPen(QPen(Qt.PenStyle.NoPen))
        attach(chart, area, axes, in_legend=False)
        names.append((band_name(band.label), (low + high) / 2))
    label_axis(chart, names, (low_total, high_total), Qt.AlignmentFlag.AlignRight, c)


def anchor_names(chart: QChart, measure: Measure, c: ChartColours) -> None:
    """The scale's own words ("Very low" … "Very good") beside a one-question rating."""
    if len(measure.items) != 1 or not measure.items[0].scale.labels:
        return
    words = [(band_name(label), float(value)) for value, label in measure.items[0].scale.labels]
    label_axis(chart, words, total_span(measure), Qt.AlignmentFlag.AlignRight, c)


def band_name(label: str) -> str:
    return QCoreApplication.translate("measures", label)


class SessionLines(QGraphicsObject):
    """Every session's dashed vertical line, drawn by one item line by line (a series per
    session took seconds to build and lay out on a long course; one series zigzagging
    through them all took a second to paint). ``series`` is the legend's "Treatment
    session" entry: hovering near a line emits its ``hovered``, as a line series does."""

    def __init__(self, chart: QChart, series: QLineSeries, xs: Sequence[float],
                 pen: QPen) -> None:
        super().__init__(chart)
        self.chart, self.series, self.xs, self.pen = chart, series, sorted(xs), pen
        self._near: float | None = None
        self.setAcceptHoverEvents(True)
        self.setZValue(SERIES_Z)
        chart.plotAreaChanged.connect(lambda _area: self.prepareGeometryChange())

    def boundingRect(self) -> QRectF:
        return self.chart.plotArea()

    def _pixels(self) -> list[float]:
        """Where each line is across the chart (the time axis is linear: two points mapped
        by the chart place them all)."""
        if not self.xs:
            return []
        first, last = self.xs[0], self.xs[-1]
        left = self.chart.mapToPosition(QPointF(first, 0), self.series).x()
        if last == first:
            return [left] * len(self.xs)
        scale = (self.chart.mapToPosition(QPointF(last, 0), self.series).x() - left) \
            / (last - first)
        return [left + (x - first) * scale for x in self.xs]

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        area = self.chart.plotArea()
        painter.setClipRect(area.adjusted(0, 0, 0, 1))  # as the chart clips its series
        painter.setPen(self.pen)
        # Sessions closer than a quarter pixel are drawn once (the same line, over itself).
        columns: dict[int, float] = {}
        for x in self._pixels():
            if area.left() <= x <= area.right():
                columns.setdefault(round(x * 4), x)  # drawn where the first of them is
        painter.drawLines([QLineF(x, area.bottom(), x, area.top()) for x in columns.values()])

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        pixels = self._pixels()
        at = event.pos().x()
        index = min(range(len(pixels)), key=lambda i: abs(pixels[i] - at), default=None)
        near = self.xs[index] if index is not None and abs(pixels[index] - at) <= 4 else None
        if near != self._near:
            if self._near is not None:
                self.series.hovered.emit(QPointF(self._near, 0), False)
            if near is not None:
                self.series.hovered.emit(QPointF(near, 0), True)
            self._near = near

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if self._near is not None:
            self.series.hovered.emit(QPointF(self._near, 0), False)
            self._near = None


SERIES_Z = 4  # QtCharts draws its series at this height (above bands, grid and axes)


def session_markers(
    chart: QChart,
    sessions: Sequence[TreatmentSession],
    x_range: tuple[float, float],
    axes: Sequence[object],
    c: ChartColours,
) -> tuple[QLineSeries, list[TreatmentSession]] | None:
    """Every session in ``x_range`` as a dashed vertical line (:class:`SessionLines`),
    and "Treatment session" once in the legend."""
    shown = [s for s in sessions if x_range[0] <= to_ms(s.starts_at) <= x_range[1]]
    if not shown:
        return None
    pen = QPen(c.muted, 1.5, Qt.PenStyle.DashLine)
    legend = QLineSeries()
    legend.setName(translate("charts", "Treatment session"))
    legend.setPen(pen)
    attach(chart, legend, axes)
    SessionLines(chart, legend, [to_ms(s.starts_at) for s in shown], pen)
    return legend, shown


def session_lines(
    chart: QChart,
    sessions: Sequence[TreatmentSession],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    axes: tuple[QDateTimeAxis, QValueAxis],
    c: ChartColours,
    *,
    width: float | None = None,
) -> list[tuple[QXYSeries, list[tuple[float, HoverText]]]]:
    """Dashed lines at the sessions, numbered along the top; their hover texts (the
    session nearest the pointer). ``width``: the plot's width in pixels, if known: numbers
    that would sit on top of each other are left out then."""
    drawn = session_markers(chart, sessions, x_range, axes, c)
    if drawn is None:
        return []
    line, shown = drawn
    session_numbers(chart, spaced(shown, x_range, width), sessions, x_range, c)
    return [(line, [(to_ms(s.starts_at), partial(session_text, s)) for s in shown])]


NUMBER_GAP_PX = 18  # session numbers closer than this along the top would overlap


def spaced(shown: Sequence[TreatmentSession], x_range: tuple[float, float],
           width: float | None) -> list[TreatmentSession]:
    """The sessions whose numbers have room along the top: each at least
    :data:`NUMBER_GAP_PX` from the one numbered before it (all, if the width is unknown)."""
    if not width or width <= 0:
        return list(shown)
    gap = (x_range[1] - x_range[0]) * NUMBER_GAP_PX / width
    kept: list[TreatmentSession] = []
    last = -float("inf")
    for session in shown:
        x = to_ms(session.starts_at)
        if x - last >= gap:
            kept.append(session)
            last = x
    return kept


def session_numbers(
    chart: QChart,
    shown: Sequence[TreatmentSession],
    sessions: Sequence[TreatmentSession],
    x_range: tuple[float, float],
    c: ChartColours,
) -> None:
    position = {id(s): i for i, s in enumerate(sessions)}
    numbers = [(str(s.number or position[id(s)] + 1), to_ms(s.starts_at)) for s in shown]
    label_axis(chart, numbers, x_range, Qt.AlignmentFlag.AlignTop, c)


def chart_times(series: MeasureSeries, sessions: Sequence[TreatmentSession]) -> list[float]:
    times = [to_ms(p.taken_at) for p in series.points]
    if not times:
        return [to_ms(s.starts_at) for s in sessions]
    first, last = min(times), max(times)
    near = [
        to_ms(s.starts_at)
        for s in sessions
        if first - 14 * DAY_MS <= to_ms(s.starts_at) <= last + 14 * DAY_MS
    ]
    return times + near

