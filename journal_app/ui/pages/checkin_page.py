"""The check-ins page: start a check-in, the latest result of each measure, trend charts and
a table with every value.

A refresh reads the check-ins once; a chart, or the table, is built only when its tab is
shown (a long journal has thousands of check-ins: building every chart and the whole table
for a page that shows one of them took seconds).

The page opens the safety panel itself when a check-in raises the safety flag (safety never
depends on wiring) and emits ``safety_panel_requested`` as well.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.datafile import DataFileError
from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import Measure, load_measures
from journal_app.domain.trends import MeasureSeries, build_series
from journal_app.ui import messages
from journal_app.ui.charts.trend_view import TrendChartView
from journal_app.ui.dialogs.checkin_dialog import CheckInDialog
from journal_app.ui.dialogs.safety_panel import open_safety_panel
from journal_app.ui.dialogs.safety_plan import bold
from journal_app.ui.labels import date_text, tr_measure
from journal_app.ui.models.checkin_table import CheckInTableModel, CheckInTableProxy
from journal_app.ui.pages.base import Page
from journal_app.ui.widgets.checkin_items import measure_summary

log = logging.getLogger(__name__)

TABLE = "table"  # the key of the "All results" tab (measure ids key the chart tabs)
RESIZE_ROWS = 200  # columns fit the widest of this many rows (Qt's default, 1000, is slow)


def measure_heading(measure: Measure) -> str:
    """"PHQ-9 · depression"; a measure named after its topic goes by its title ("Daily mood")."""
    topic = tr_measure(measure.topic)
    if topic.lower() in measure.name.lower():
        return tr_measure(measure.title)
    return f"{measure.name} · {topic}"


class CheckInPage(Page):
    safety_panel_requested = Signal()
    check_in_stored = Signal(int)  # check-in id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = None
        self.dialog: CheckInDialog | None = None
        self.series: dict[str, MeasureSeries] = {}
        self._sessions: list[TreatmentSession] = []
        self._tab_keys: list[str] = []  # measure id of each tab, TABLE for the last
        self._unbuilt: set[str] = set()  # tabs whose content is older than the last refresh
        try:
            self.measures: dict[str, Measure] = load_measures()
        except DataFileError as exc:
            log.error("measure definitions unusable: %s", exc.problem)
            self.measures = {}
        self.model = CheckInTableModel(self.measures, self)
        self.proxy = CheckInTableProxy(self)
        self.proxy.setSourceModel(self.model)
        self.latest_labels: dict[str, QLabel] = {}
        self.new_buttons: dict[str, QPushButton] = {}
        self.charts: dict[str, TrendChartView] = {}
        self.chart_stacks: dict[str, QStackedWidget] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        intro = QLabel(self.tr(
            "Short questionnaires that help you notice how things change over the course of "
            "treatment. Only you see them, unless you export them."), self)
        intro.setObjectName("quietLabel")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self._cards())
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Check-in charts and table"))
        for measure in self.measures.values():
            self.tabs.addTab(self._chart_tab(measure), self._tab_title(measure))
            self._tab_keys.append(measure.id)
        self.tabs.addTab(self._table_tab(), self.tr("All results"))
        self._tab_keys.append(TABLE)
        self.tabs.currentChanged.connect(lambda _i: self.contained(self._build_current_tab))
        layout.addWidget(self.tabs, 1)
        if not self.measures:
            layout.insertWidget(0, QLabel(self.tr(
                "The check-in questionnaires could not be loaded, so check-ins are not "
                "available. Reinstalling the app should bring them back."), self))

    def page_title(self) -> str:
        return self.tr("Check-ins")

    # ------------------------------------------------------------------ building
    def _tab_title(self, measure: Measure) -> str:
        if measure.id == "mood":
            return self.tr("Mood by week")
        return measure_heading(measure)

    def _cards(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(12)
        for column, measure in enumerate(self.measures.values()):
            card = QFrame(self)
            card.setObjectName("card")
            inner = QVBoxLayout(card)
            inner.setContentsMargins(16, 12, 16, 12)
            title = QLabel(measure_heading(measure), card)
            bold(title)
            title.setWordWrap(True)
            latest = QLabel(card)
            latest.setObjectName("quietLabel")
            latest.setWordWrap(True)
            latest.setAccessibleName(self.tr("Latest %1 result").replace("%1", measure.name))
            button = QPushButton(self.tr("New check-in"), card)
            button.setAccessibleName(self.tr("New %1 check-in").replace("%1", measure.name))
            button.setToolTip(measure_summary(measure))
            button.clicked.connect(lambda _=False, m=measure.id: self.new_check_in(m))
            inner.addWidget(title)
            inner.addWidget(latest, 1)
            inner.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.latest_labels[measure.id] = latest
            self.new_buttons[measure.id] = button
            grid.addWidget(card, 0, column)
        return grid

    def _chart_tab(self, measure: Measure) -> QStackedWidget:
        stack = QStackedWidget(self)
        empty = QLabel(self.tr("No %1 check-ins yet. Once you have a few, this chart shows "
                               "how they change over time.").replace("%1", measure.name), stack)
        empty.setObjectName("quietLabel")
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        chart = TrendChartView(stack)
        chart.setAccessibleName(self.tr("%1 chart").replace("%1", measure.name))
        stack.addWidget(empty)
        stack.addWidget(chart)
        self.charts[measure.id] = chart
        self.chart_stacks[measure.id] = stack
        return stack

    def _table_tab(self) -> QWidget:
        tab = QWidget(self)
        column = QVBoxLayout(tab)
        column.setContentsMargins(0, 8, 0, 0)
        self.filter_box = QComboBox(tab)
        self.filter_box.setAccessibleName(self.tr("Show results of"))
        self.filter_box.addItem(self.tr("All check-ins"), "")
        for measure in self.measures.values():
            self.filter_box.addItem(measure_heading(measure), measure.name)
        self.filter_box.currentIndexChanged.connect(self._filter_changed)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Show"), tab))
        row.addWidget(self.filter_box)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self._table(), 1)
        return tab

    def _filter_changed(self) -> None:
        self.proxy.show_measure(self.filter_box.currentData() or "")

    def _table(self) -> QTableView:
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("All check-in results"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self._tint_table()
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(RESIZE_ROWS)
        header.setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        return self.table

    def _tint_table(self) -> None:
        """Alternate rows a shade off the base colour, readable in light and dark alike
        (the app palette leaves AlternateBase at Qt's light default)."""
        palette = self.table.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        shade = QColor.fromRgbF(*(b + (t - b) * 0.06 for b, t in (
            (base.redF(), text.redF()), (base.greenF(), text.greenF()),
            (base.blueF(), text.blueF()))))
        palette.setColor(QPalette.ColorRole.AlternateBase, shade)
        self.table.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "table"):
            self._tint_table()

    # ------------------------------------------------------------------ Page
    def refresh(self) -> None:
        """The latest result of each measure at once; a measure's series (and every
        check-in, for the table) only when its tab is shown, each read once a refresh."""
        if self.journal is None:
            return
        self.series = {}
        self._sessions = self.journal.repo.list_sessions()
        counts = self.journal.check_ins.counts()
        for measure_id, measure in self.measures.items():
            latest = self.journal.check_ins.latest(measure_id) if counts.get(measure_id) \
                else None
            self.latest_labels[measure_id].setText(
                self._latest_text(build_series(measure, [latest] if latest else [])))
            self.chart_stacks[measure_id].setCurrentIndex(1 if latest else 0)
        self._forget_built()
        self._unbuilt = set(self._tab_keys)
        self._build_current_tab()

    def _series_of(self, measure_id: str) -> MeasureSeries:
        series = self.series.get(measure_id)
        if series is None and self.journal is not None:
            series = build_series(self.measures[measure_id],
                                  self.journal.check_ins.list(measure_id))
            self.series[measure_id] = series
        assert series is not None
        return series

    def _build_current_tab(self) -> None:
        """Fill the tab on screen if the last refresh hasn't yet (charts and table are
        the costly part of the page; the others wait until their tab is chosen)."""
        index = self.tabs.currentIndex()
        key = self._tab_keys[index] if 0 <= index < len(self._tab_keys) else None
        if key not in self._unbuilt or self.journal is None:
            return
        self._unbuilt.discard(key)
        if key == TABLE:
            series = {m: self._series_of(m) for m in self.measures}
            self.model.set_rows(self.journal.check_ins.notes(), series, self._sessions)
            # Fitted once to the rows (kept fitting, the header asked every cell again
            # and again: most of this tab's time on a long journal).
            self.table.resizeColumnsToContents()
            return
        if key is None or self.chart_stacks[key].currentIndex() == 0:
            return
        series = self._series_of(key)
        if series.points:
            self.charts[key].show_series(series, self._sessions)

    def _forget_built(self) -> None:
        """Drop what the charts and table show (older than the journal, or locked)."""
        self.model.clear()
        for chart in self.charts.values():
            if chart.built is not None:
                chart.clear()

    def _latest_text(self, series: MeasureSeries) -> str:
        point = series.latest
        if point is None:
            return self.tr("No check-ins yet.")
        measure = series.measure
        value = self.tr("%1 of %2").replace("%1", point.display_total).replace(
            "%2", measure.format_total(measure.max_total))
        if point.band_label:
            value += f" ({tr_measure(point.band_label)})"
        return self.tr("Latest: %1\n%2").replace("%1", value).replace(
            "%2", date_text(point.taken_at))

    def detach(self) -> None:
        if self.dialog is not None:
            self.dialog.discard()
            self.dialog.deleteLater()
            self.dialog = None
        self._forget_built()
        self.series = {}
        self._sessions = []
        self._unbuilt = set()
        for stack in self.chart_stacks.values():
            stack.setCurrentIndex(0)
        for label in self.latest_labels.values():
            label.clear()
        super().detach()

    # ------------------------------------------------------------------ actions
    def new_check_in(self, measure_id: str | None = None) -> CheckInDialog | None:
        """Open the check-in dialog (non-modal), for ``measure_id`` or with a choice."""
        if self.journal is None or not self.measures:
            return None
        if self.dialog is not None and self.dialog.isVisible() and self.dialog.stored is None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            if measure_id is not None and self.dialog.measure is None:
                self.dialog.choose(measure_id)
            return self.dialog
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = CheckInDialog(self.journal, self.measures, measure_id, self)
        self.dialog.safety_panel_requested.connect(self.safety_panel_requested)
        self.dialog.check_in_stored.connect(self._stored)
        self.dialog.show()
        self.dialog.activateWindow()
        return self.dialog

    def _stored(self, check_in: object) -> None:
        self.load_safely()
        self.check_in_stored.emit(getattr(check_in, "id", 0) or 0)

    def open_safety_panel(self) -> None:
        """Show the help panel from this page (e.g. a page-level help button)."""
        open_safety_panel(self, self.journal)
        self.safety_panel_requested.emit()

    def _table_menu(self, pos: QPoint) -> None:
        index = self.proxy.mapToSource(self.table.indexAt(pos))
        check_in_id = self.model.check_in_id(index.row()) if index.isValid() else None
        if check_in_id is None or self.journal is None:
            return
        menu = QMenu(self)
        action = menu.addAction(self.tr("Delete this check-in…"))
        action.triggered.connect(lambda: self.delete_check_in(check_in_id))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def delete_check_in(self, check_in_id: int) -> None:
        if self.journal is None or not messages.confirm(
                self, self.tr("Delete check-in"),
                self.tr("Delete this check-in? This can't be undone."),
                self.tr("Delete"), self.tr("Keep it")):
            return
        self.journal.check_ins.delete(check_in_id)
        self.journal.save_soon()
        self.load_safely()
