"""The trend chart as a widget: hovering a point or a session line shows its exact value, and
a theme switch redraws it in the new palette. The charts themselves come from
:mod:`journal_app.ui.charts.trends`."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QEvent, QPointF, QTimer
from PySide6.QtGui import QCursor, QPainter, QResizeEvent
from PySide6.QtWidgets import QToolTip, QWidget

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.trends import MeasureSeries
from journal_app.ui.charts.parts import HoverText
from journal_app.ui.charts.trends import (
    BuiltChart,
    build_chart,
    nearest_text,
    new_chart,
    palette_colours,
)

MIN_WIDTH = 640  # a view not yet laid out is drawn for at least this width
WIDER = 1.25  # a view this much wider than when drawn draws again, with more points


class TrendChartView(QChartView):
    """A chart of one measure's series; hovering a point or line shows the exact value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        self.built: BuiltChart | None = None
        self.last_hover_text = ""
        self._built_width = 0
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(150)
        self._redraw.timeout.connect(self._draw_again)
        self.clear()

    def show_series(self, series: MeasureSeries, sessions: Sequence[TreatmentSession]) -> None:
        """Chart ``series``: only the points this view's width can show (true values; a
        wider window later draws it again with more)."""
        self._shown = (series, list(sessions))
        # A view not yet laid out (its tab just chosen) is as wide as its window at most.
        self._built_width = max(self.viewport().width(), self.window().width(), MIN_WIDTH)
        self.built = build_chart(series, sessions, palette_colours(self.palette()),
                                 width=self._built_width)
        for xy, texts in self.built.hover_texts:
            xy.hovered.connect(lambda point, state, t=texts: self._hovered(point, state, t))
        self._replace(self.built.chart)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._shown is not None and self.viewport().width() > self._built_width * WIDER:
            self._redraw.start()  # once the resizing settles

    def _draw_again(self) -> None:
        if self._shown is not None:
            self.show_series(*self._shown)

    def clear(self) -> None:
        self._shown: tuple[MeasureSeries, list[TreatmentSession]] | None = None
        self.built = None
        self.last_hover_text = ""
        chart = new_chart(palette_colours(self.palette()))
        chart.legend().hide()
        self._replace(chart)

    def changeEvent(self, event: QEvent) -> None:
        """A theme switch (light ↔ dark) redraws the chart in the new palette."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            shown = getattr(self, "_shown", None)
            if shown is not None:
                self.show_series(*shown)
            elif self.built is None:
                self.clear()

    def _replace(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)  # the view takes ownership of the new chart
        if old is not None and old is not chart:
            old.deleteLater()

    def _hovered(self, point: QPointF, state: bool,
                 texts: list[tuple[float, HoverText]]) -> None:
        if not state:
            QToolTip.hideText()
            return
        self.last_hover_text = nearest_text(texts, point.x())
        QToolTip.showText(QCursor.pos(), self.last_hover_text, self)
