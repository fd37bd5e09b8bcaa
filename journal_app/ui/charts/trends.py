"""Trend charts of check-ins (QtCharts): totals over time, and daily mood over weeks.

Severity bands are shaded in one neutral tone that deepens band by band (no alarm
colours); treatment sessions are dashed vertical lines; hovering a point shows its exact
value. Colours come from the application palette, so the charts read in light and dark;
:func:`render_chart_image` draws the same chart with the theme's own colours for the PDF
export. Every chart needs a QApplication (QtCharts are graphics widgets). The axes, bands
and session lines come from :mod:`journal_app.ui.charts.parts`, the colours from
:mod:`journal_app.ui.charts.colours`, the weekly averages from the domain
(domain/weekly.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

from PySide6.QtCharts import QChart, QLineSeries, QScatterSeries, QXYSeries
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene

from journal_app.domain import bounds
from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import Measure
from journal_app.domain.trends import MeasureSeries
from journal_app.domain.weekly import weekly_means
from journal_app.ui.charts.colours import ChartColours, palette_colours, theme_colours, with_alpha
from journal_app.ui.charts.parts import (
    HoverText,
    add_axes,
    anchor_names,
    attach,
    band_name,
    chart_times,
    new_chart,
    session_lines,
    shade_bands,
    time_span,
    to_ms,
    total_span,
)
from journal_app.ui.charts.thin import dot_points, line_points
from journal_app.ui.labels import date_text, flag_text

__all__ = [  # the colours and the empty chart are used from here too (themes view, tests)
    "BuiltChart",
    "ChartColours",
    "build_chart",
    "nearest_text",
    "new_chart",
    "palette_colours",
    "point_text",
    "render_chart_image",
    "theme_colours",
    "to_ms",
]

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


@dataclass
class BuiltChart:
    """A chart and what hover needs: series → text for the point nearest in time."""

    chart: QChart
    hover_texts: list[tuple[QXYSeries, list[tuple[float, HoverText]]]]


def build_chart(
    series: MeasureSeries,
    sessions: Sequence[TreatmentSession],
    colours: ChartColours,
    *,
    width: float | None = None,
) -> BuiltChart:
    """Totals over time for any measure; for daily mood, daily ratings and weekly averages.
    Points and sessions dated outside what the journal accepts (domain/bounds.py; an old
    journal may hold one) can't be placed on a time axis: the chart leaves them out, the
    table still lists them. ``width``: the chart's width in pixels, if known: then only
    the points it can show are drawn (ui/charts/thin.py: true values, the lowest, highest
    and latest of each few pixels kept), and session numbers that would overlap are left
    out. Without it (the export's images) every point is drawn."""
    placed = tuple(p for p in series.points if bounds.date_within(p.taken_at))
    series = replace(series, points=placed)
    if series.baseline is not None and not bounds.date_within(series.baseline.taken_at):
        series = replace(series, baseline=None)
    sessions = [s for s in sessions if bounds.date_within(s.starts_at)]
    if series.measure.id == "mood":
        return _mood_chart(series, sessions, colours, width)
    return _totals_chart(series, sessions, colours, width)


def _totals_chart(
    series: MeasureSeries, sessions: Sequence[TreatmentSession], c: ChartColours,
    width: float | None,
) -> BuiltChart:
    measure = series.measure
    chart = new_chart(c)
    x_range = time_span(chart_times(series, sessions))
    axes = add_axes(chart, measure, x_range, c)
    shade_bands(chart, measure, x_range, axes, c)
    hover = session_lines(chart, sessions, x_range, total_span(measure), axes, c, width=width)
    xs = [to_ms(p.taken_at) for p in series.points]
    drawn = line_points(series.points, xs, [float(p.total) for p in series.points],
                        x_range, width)
    totals = QLineSeries()
    totals.setName(translate("charts", "%1 score").replace("%1", measure.name))
    totals.setPen(QPen(c.line, 2.5))
    totals.setPointsVisible(True)
    totals.setMarkerSize(7)
    totals.replace([QPointF(to_ms(p.taken_at), float(p.total)) for p in drawn])
    texts: list[tuple[float, HoverText]] = [
        (to_ms(p.taken_at), partial(point_text, measure, p.taken_at, p.display_total,
                                    p.band_label))
        for p in drawn
    ]
    attach(chart, totals, axes)
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
        attach(chart, rings, axes)
    return BuiltChart(chart, hover)


def point_text(measure: Measure, when: dt.datetime, value: str, band: str | None) -> str:
    top = measure.format_total(measure.max_total)
    text = (
        translate("charts", "%1: %2 of %3")
        .replace("%1", date_text(when))
        .replace("%2", value)
        .replace("%3", top)
    )
    return f"{text} ({band_name(band)})" if band else text


def _mood_chart(
    series: MeasureSeries, sessions: Sequence[TreatmentSession], c: ChartColours,
    width: float | None,
) -> BuiltChart:
    measure = series.measure
    chart = new_chart(c)
    x_range = time_span(chart_times(series, sessions))
    axes = add_axes(chart, measure, x_range, c)
    hover = session_lines(chart, sessions, x_range, total_span(measure), axes, c, width=width)
    anchor_names(chart, measure, c)
    daily = QScatterSeries()
    daily.setName(translate("charts", "Daily rating"))
    daily.setMarkerSize(7)
    daily.setColor(with_alpha(c.line, 110))
    daily.setBorderColor(with_alpha(c.line, 0))
    xs = [to_ms(p.taken_at) for p in series.points]
    dots = dot_points(series.points, xs, [float(p.total) for p in series.points],
                      x_range, width)
    daily.replace([QPointF(to_ms(p.taken_at), float(p.total)) for p in dots])
    daily_texts: list[tuple[float, HoverText]] = [
        (to_ms(p.taken_at), partial(point_text, measure, p.taken_at, p.display_total, None))
        for p in dots
    ]
    attach(chart, daily, axes)
    weekly = QLineSeries()
    weekly.setName(translate("charts", "Weekly average"))
    weekly.setPen(QPen(c.line, 2.5))
    weekly.setPointsVisible(True)
    weekly_texts: list[tuple[float, HoverText]] = []
    weeks = weekly_means(series)
    middles = [dt.datetime.combine(w.monday, dt.time(12)).astimezone() + dt.timedelta(days=3)
               for w in weeks]
    kept = line_points(list(zip(weeks, middles, strict=True)), [to_ms(m) for m in middles],
                       [w.mean for w in weeks], x_range, width)
    for (_monday, mean, count), middle in kept:
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
    attach(chart, weekly, axes)
    hover += [(daily, daily_texts), (weekly, weekly_texts)]
    return BuiltChart(chart, hover)


def nearest_text(texts: Sequence[tuple[float, HoverText]], x: float) -> str:
    """The text of the point nearest ``x`` in time (worked out only now, when hovered)."""
    if not texts:
        return ""
    text = min(texts, key=lambda t: abs(t[0] - x))[1]
    return text if isinstance(text, str) else text()


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
