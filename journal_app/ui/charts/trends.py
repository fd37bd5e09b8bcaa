"""Trend charts of check-ins (QtCharts): totals over time, and daily mood over weeks.

Severity bands are shaded in one neutral tone that deepens band by band (no alarm
colours); treatment sessions are dashed vertical lines; hovering a point shows its exact
value. Colours come from the application palette, so the charts read in light and dark;
:func:`render_chart_image` draws the same chart with the theme's own colours for the PDF
export. Every chart needs a QApplication (QtCharts are graphics widgets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCharts import (
    QAreaSeries,
    QCategoryAxis,
    QChart,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
    QXYSeries,
)
from PySide6.QtCore import QCoreApplication, QDateTime, QMargins, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsScene

from journal_app.domain import bounds
from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import Measure
from journal_app.domain.trends import MeasureSeries
from journal_app.ui.labels import date_text, flag_text, session_text
from journal_app.ui.theme import DARK, LIGHT

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class ChartColours:
    background: QColor
    text: QColor
    muted: QColor
    line: QColor
    flag: QColor

    @property
    def grid(self) -> QColor:
        return _alpha(self.text, 38)

    def band(self, index: int) -> QColor:
        """Band ``index`` (0 = lowest): one neutral tone, a little deeper each band."""
        return _alpha(self.text, 8 + 10 * index)


def _alpha(colour: QColor, alpha: int) -> QColor:
    out = QColor(colour)
    out.setAlpha(alpha)
    return out


def palette_colours(palette: QPalette | None = None) -> ChartColours:
    """The chart's colours taken from the app palette (light or dark theme alike)."""
    pal = palette or QGuiApplication.palette()
    base = pal.color(QPalette.ColorRole.Base)
    alert = DARK["alert"] if base.lightness() < 128 else LIGHT["alert"]
    return ChartColours(
        base,
        pal.color(QPalette.ColorRole.Text),
        pal.color(QPalette.ColorRole.PlaceholderText),
        pal.color(QPalette.ColorRole.Link),
        QColor(alert),
    )


def theme_colours(dark: bool) -> ChartColours:
    """The theme's colours, independent of the running app (for exported images)."""
    c = DARK if dark else LIGHT
    return ChartColours(
        QColor(c["base"]),
        QColor(c["text"]),
        QColor(c["muted"]),
        QColor(c["accent"]),
        QColor(c["alert"]),
    )


def to_ms(when: dt.datetime) -> float:
    return when.timestamp() * 1000


def from_ms(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value / 1000).astimezone()


# --------------------------------------------------------------------------- building


def _x_range(times: Sequence[float]) -> tuple[float, float]:
    if not times:
        today = to_ms(dt.datetime.now().astimezone())
        return today - 28 * DAY_MS, today + DAY_MS
    low, high = min(times), max(times)
    pad = max((high - low) * 0.04, 2 * DAY_MS)
    return low - pad, high + pad


def _style_axis(axis: QValueAxis | QDateTimeAxis | QCategoryAxis, c: ChartColours) -> None:
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


def _axes(
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
    low, high = _y_range(measure)
    y_axis.setRange(low, high)
    y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    y_axis.setTickAnchor(float(measure.min_total))
    y_axis.setTickInterval(5 if high - low > 15 else 2)
    y_axis.setLabelFormat("%d")
    for axis in (x_axis, y_axis):
        _style_axis(axis, c)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    return x_axis, y_axis


def _y_range(measure: Measure) -> tuple[float, float]:
    """The total's range with a little room, so points at the ends aren't cut in half."""
    low, high = float(measure.min_total), float(measure.max_total)
    pad = (high - low) * 0.04
    return low - pad, high + pad


def _attach(
    chart: QChart, series: QXYSeries | QAreaSeries, axes: Sequence[object], in_legend: bool = True
) -> None:
    chart.addSeries(series)
    for axis in axes:
        series.attachAxis(axis)
    if not in_legend:
        for marker in chart.legend().markers(series):
            marker.setVisible(False)


def _label_axis(
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
    _style_axis(axis, c)
    axis.setGridLineVisible(False)
    axis.setLineVisible(False)
    axis.setLabelsColor(c.muted)
    chart.addAxis(axis, where)


def _bands(
    chart: QChart,
    measure: Measure,
    x_range: tuple[float, float],
    axes: tuple[QDateTimeAxis, QValueAxis],
    c: ChartColours,
) -> None:
    if not measure.bands:
        return
    low_total, high_total = _y_range(measure)
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
        _attach(chart, area, axes, in_legend=False)
        names.append((_band_name(band.label), (low + high) / 2))
    _label_axis(chart, names, (low_total, high_total), Qt.AlignmentFlag.AlignRight, c)


def _anchor_names(chart: QChart, measure: Measure, c: ChartColours) -> None:
    """The scale's own words ("Very low" … "Very good") beside a one-question rating."""
    if len(measure.items) != 1 or not measure.items[0].scale.labels:
        return
    words = [(_band_name(label), float(value)) for value, label in measure.items[0].scale.labels]
    _label_axis(chart, words, _y_range(measure), Qt.AlignmentFlag.AlignRight, c)


def _band_name(label: str) -> str:
    return QCoreApplication.translate("measures", label)


def _sessions(
    chart: QChart,
    sessions: Sequence[TreatmentSession],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    axes: Sequence[object],
    c: ChartColours,
) -> list[tuple[QLineSeries, TreatmentSession]]:
    pen = QPen(c.muted, 1.5, Qt.PenStyle.DashLine)
    shown = []
    for session in sessions:
        x = to_ms(session.starts_at)
        if not x_range[0] <= x <= x_range[1]:
            continue
        line = QLineSeries()
        line.setName(translate("charts", "Treatment session"))
        line.append(x, y_range[0])
        line.append(x, y_range[1])
        line.setPen(pen)
        _attach(chart, line, axes, in_legend=not shown)
        shown.append((line, session))
    return shown


def _session_lines(
    chart: QChart,
    sessions: Sequence[TreatmentSession],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    axes: tuple[QDateTimeAxis, QValueAxis],
    c: ChartColours,
) -> list[tuple[QXYSeries, list[tuple[float, str]]]]:
    """Dashed lines at the sessions, numbered along the top; their hover texts."""
    shown = _sessions(chart, sessions, x_range, y_range, axes, c)
    if shown:
        _session_numbers(chart, [s for _line, s in shown], sessions, x_range, c)
    return [(line, [(to_ms(s.starts_at), session_text(s))]) for line, s in shown]


def _session_numbers(
    chart: QChart,
    shown: Sequence[TreatmentSession],
    sessions: Sequence[TreatmentSession],
    x_range: tuple[float, float],
    c: ChartColours,
) -> None:
    numbers = [(str(s.number or sessions.index(s) + 1), to_ms(s.starts_at)) for s in shown]
    _label_axis(chart, numbers, x_range, Qt.AlignmentFlag.AlignTop, c)


def _times(series: MeasureSeries, sessions: Sequence[TreatmentSession]) -> list[float]:
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


@dataclass
class BuiltChart:
    """A chart and what hover needs: series → text for the point nearest in time."""

    chart: QChart
    hover_texts: list[tuple[QXYSeries, list[tuple[float, str]]]]


def build_chart(
    series: MeasureSeries, sessions: Sequence[TreatmentSession], colours: ChartColours
) -> BuiltChart:
    """Totals over time for any measure; for daily mood, daily ratings and weekly averages.
    Points and sessions dated outside what the journal accepts (domain/bounds.py; an old
    journal may hold one) can't be placed on a time axis: the chart leaves them out, the
    table still lists them."""
    placed = tuple(p for p in series.points if bounds.date_within(p.taken_at))
    series = replace(series, points=placed)
    if series.baseline is not None and not bounds.date_within(series.baseline.taken_at):
        series = replace(series, baseline=None)
    sessions = [s for s in sessions if bounds.date_within(s.starts_at)]
    if series.measure.id == "mood":
        return _mood_chart(series, sessions, colours)
    return _totals_chart(series, sessions, colours)


def _totals_chart(
    series: MeasureSeries, sessions: Sequence[TreatmentSession], c: ChartColours
) -> BuiltChart:
    measure = series.measure
    chart = new_chart(c)
    x_range = _x_range(_times(series, sessions))
    axes = _axes(chart, measure, x_range, c)
    _bands(chart, measure, x_range, axes, c)
    hover = _session_lines(chart, sessions, x_range, _y_range(measure), axes, c)
    totals = QLineSeries()
    totals.setName(translate("charts", "%1 score").replace("%1", measure.name))
    totals.setPen(QPen(c.line, 2.5))
    totals.setPointsVisible(True)
    totals.setMarkerSize(7)
    texts = []
    for point in series.points:
        totals.append(to_ms(point.taken_at), float(point.total))
        texts.append(
            (
                to_ms(point.taken_at),
                point_text(measure, point.taken_at, point.display_total, point.band_label),
            )
        )
    _attach(chart, totals, axes)
    hover.append((totals, texts))
    flagged = [p for p in series.points if p.safety_flag]
    if flagged and measure.safety is not None:
        rings = QScatterSeries()
        rings.setName(flag_text(measure))
        rings.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeRectangle)
        rings.setMarkerSize(15)
        rings.setColor(QColor(0, 0, 0, 0))
        rings.setBorderColor(c.flag)
        rings.setPen(QPen(c.flag, 2.5))
        for point in flagged:
            rings.append(to_ms(point.taken_at), float(point.total))
        _attach(chart, rings, axes)
    return BuiltChart(chart, hover)


def point_text(measure: Measure, when: dt.datetime, value: str, band: str | None) -> str:
    top = measure.format_total(measure.max_total)
    text = (
        translate("charts", "%1: %2 of %3")
        .replace("%1", date_text(when))
        .replace("%2", value)
        .replace("%3", top)
    )
    return f"{text} ({_band_name(band)})" if band else text


def weekly_means(series: MeasureSeries) -> list[tuple[dt.date, float, int]]:
    """(Monday of the week, mean rating, number of ratings) for each week with ratings."""
    weeks: dict[dt.date, list[float]] = {}
    for point in series.points:
        day = point.taken_at.date()
        weeks.setdefault(day - dt.timedelta(days=day.weekday()), []).append(float(point.total))
    return [(monday, sum(v) / len(v), len(v)) for monday, v in sorted(weeks.items())]


def _mood_chart(
    series: MeasureSeries, sessions: Sequence[TreatmentSession], c: ChartColours
) -> BuiltChart:
    measure = series.measure
    chart = new_chart(c)
    x_range = _x_range(_times(series, sessions))
    axes = _axes(chart, measure, x_range, c)
    hover = _session_lines(chart, sessions, x_range, _y_range(measure), axes, c)
    _anchor_names(chart, measure, c)
    daily = QScatterSeries()
    daily.setName(translate("charts", "Daily rating"))
    daily.setMarkerSize(7)
    daily.setColor(_alpha(c.line, 110))
    daily.setBorderColor(_alpha(c.line, 0))
    daily_texts = []
    for point in series.points:
        daily.append(to_ms(point.taken_at), float(point.total))
        daily_texts.append(
            (to_ms(point.taken_at), point_text(measure, point.taken_at, point.display_total, None))
        )
    _attach(chart, daily, axes)
    weekly = QLineSeries()
    weekly.setName(translate("charts", "Weekly average"))
    weekly.setPen(QPen(c.line, 2.5))
    weekly.setPointsVisible(True)
    weekly_texts = []
    for monday, mean, count in weekly_means(series):
        middle = dt.datetime.combine(monday, dt.time(12)).astimezone() + dt.timedelta(days=3)
        weekly.append(to_ms(middle), mean)
        weekly_texts.append(
            (
                to_ms(middle),
                translate("charts", "Week of %1: average %2 (%3 ratings)")
                .replace("%1", date_text(middle - dt.timedelta(days=3)))
                .replace("%2", f"{mean:.1f}")
                .replace("%3", str(count)),
            )
        )
    _attach(chart, weekly, axes)
    hover += [(daily, daily_texts), (weekly, weekly_texts)]
    return BuiltChart(chart, hover)


def nearest_text(texts: Sequence[tuple[float, str]], x: float) -> str:
    return min(texts, key=lambda t: abs(t[0] - x))[1] if texts else ""


def render_chart_image(
    series: MeasureSeries,
    sessions: Sequence[TreatmentSession],
    size: QSize | tuple[int, int],
    dark: bool = False,
    *,
    scale: float = 1.0,
) -> QImage:
    """The chart of ``series`` as an image, in the light or dark theme (for the PDF export).

    ``size`` is the layout size (fonts as on screen); ``scale`` draws it that many times
    larger, e.g. 3.0 for print. Needs a QApplication; works offscreen, shows no window.
    """
    width, height = (size.width(), size.height()) if isinstance(size, QSize) else size
    colours = theme_colours(dark)
    built = build_chart(series, sessions, colours)
    scene = QGraphicsScene()
    scene.addItem(built.chart)  # the scene owns the chart from here on
    built.chart.setGeometry(QRectF(0, 0, width, height))
    built.chart.layout().activate()
    scene.setSceneRect(QRectF(0, 0, width, height))
    image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_ARGB32)
    image.fill(colours.background)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), QRectF(0, 0, width, height))
    painter.end()
    scene.clear()
    return image
