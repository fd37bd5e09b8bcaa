"""The search page: search as you type over everything written, with filters that work
with or without words, and the tag list.

Searching runs on the UI thread: the journal is an in-memory database and a search of a
10,000-entry journal takes tens of milliseconds (see storage/search.py); typing is
debounced so a fast typist never waits for the words in between.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain import bounds
from journal_app.domain.entities import EntryKind, TreatmentSession
from journal_app.domain.search import PRACTICE_KIND, Query, SearchFilters, SearchOrder
from journal_app.ui.dialogs.tags_dialog import TagsDialog
from journal_app.ui.labels import kind_label, session_label
from journal_app.ui.models.search_model import (
    ResultDelegate,
    SearchResultModel,
)
from journal_app.ui.pages.base import Page

if TYPE_CHECKING:
    from journal_app.storage.search import SearchService
    from journal_app.ui.shell.open_journal import OpenJournal

TYPING_SETTLE_MS = 150

_ANY_TIME, _WEEK, _MONTH, _YEAR, _BETWEEN = range(5)


class SearchPage(Page):
    entry_open_requested = Signal(int)  # an entry id
    practice_open_requested = Signal(int)  # a practice id, when it has no entry to open
    changed = Signal()  # tags were renamed or merged: other pages should reload

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = None
        self.service: SearchService | None = None  # the journal's, while attached
        self._sessions: dict[int, TreatmentSession] = {}
        self._settle = QTimer(self, singleShot=True, interval=TYPING_SETTLE_MS)
        self._settle.timeout.connect(self.run_search)
        self._build()
        self._connect()
        self._show_status()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.field = QLineEdit(self)
        self.field.setObjectName("searchField")
        self.field.setClearButtonEnabled(True)
        self.field.setPlaceholderText(self.tr("Search everything you’ve written"))
        self.field.setAccessibleName(self.tr("Search"))
        self.field.installEventFilter(self)

        self.kind = self._combo(self.tr("Kind of entry"))
        self.tag = self._combo(self.tr("Tag"))
        self.session = self._combo(self.tr("Session"))
        self.period = self._combo(self.tr("When"))
        for text, value in ((self.tr("Any time"), _ANY_TIME), (self.tr("Past 7 days"), _WEEK),
                            (self.tr("Past 30 days"), _MONTH), (self.tr("Past year"), _YEAR),
                            (self.tr("Between dates…"), _BETWEEN)):
            self.period.addItem(text, value)
        self.date_from = self._date_edit(self.tr("From date"))
        self.date_to = self._date_edit(self.tr("To date"))
        self.private = self._combo(self.tr("Private entries"))
        for text, value in ((self.tr("Include private"), None),
                            (self.tr("Leave out private"), False),
                            (self.tr("Only private"), True)):
            self.private.addItem(text, value)
        self.order = self._combo(self.tr("Order of results"))
        self.order.addItem(self.tr("Best match first"), SearchOrder.RELEVANCE.value)
        self.order.addItem(self.tr("Newest first"), SearchOrder.NEWEST.value)
        self.clear_filters_button = QPushButton(self.tr("Clear filters"), self)
        self.clear_filters_button.setObjectName("linkButton")
        self.tags_button = QPushButton(self.tr("Tags…"), self)
        self.tags_button.setAccessibleName(self.tr("Tags: list, rename and merge"))
        self._fill_kinds()

        self.status = QLabel(self)
        self.status.setObjectName("quietLabel")
        self.status.setWordWrap(True)
        self.model = SearchResultModel(self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.delegate = ResultDelegate(self.results)
        self.results.setItemDelegate(self.delegate)
        self.model.modelReset.connect(self.delegate.forget)
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setWordWrap(True)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)  # rows re-wrap on resize
        self.results.setSpacing(2)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.field, 1)
        top.addWidget(self.order)
        top.addWidget(self.tags_button)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        for widget in (self.kind, self.tag, self.session, self.period, self.private,
                       self.clear_filters_button):
            filters.addWidget(widget)
        filters.addStretch(1)
        # The two dates get their own row, shown only for "Between dates…", so the row of
        # filters fits beside the navigation on a small screen.
        dates = QHBoxLayout()
        dates.setSpacing(8)
        self.dates_label = QLabel(self.tr("From"), self)
        self.to_label = QLabel(self.tr("to"), self)
        for widget in (self.dates_label, self.date_from, self.to_label, self.date_to):
            widget.setVisible(False)
            dates.addWidget(widget)
        dates.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(dates)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        # Long choices (a session's date, a long tag) are elided rather than widening the page.
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        return combo

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setAccessibleName(name)
        edit.setToolTip(name)
        edit.setDate(QDate.currentDate())
        edit.setDateRange(QDate(bounds.EARLIEST.year, 1, 1), QDate(bounds.LATEST.year, 12, 31))
        return edit

    def _fill_kinds(self) -> None:
        self.kind.addItem(self.tr("Everything"), None)
        for kind in (EntryKind.PREPARATION, EntryKind.INTEGRATION, EntryKind.FREE,
                     EntryKind.QUICK_CAPTURE, EntryKind.CHECK_IN):
            self.kind.addItem(kind_label(kind), kind.value)
        self.kind.addItem(self.tr("Practices"), PRACTICE_KIND)

    def _connect(self) -> None:
        self.field.textEdited.connect(lambda _text: self._settle.start())
        self.field.returnPressed.connect(self._open_current_or_first)
        for combo in (self.kind, self.tag, self.session, self.private, self.order):
            combo.currentIndexChanged.connect(self.run_search)
        self.period.currentIndexChanged.connect(self._period_changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.run_search)
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.tags_button.clicked.connect(self.open_tags)
        self.results.activated.connect(self._open)

    # ------------------------------------------------------------------ Page
    def page_title(self) -> str:
        return self.tr("Search")

    def attach(self, journal: OpenJournal) -> None:
        self.service = journal.search
        super().attach(journal)

    def refresh(self) -> None:
        """Reload the tag and session choices and search again (entries may have changed)."""
        if self.journal is None:
            return
        self._sessions = {s.id: s for s in self.journal.repo.list_sessions()
                          if s.id is not None}
        self._refill(self.tag, self.tr("Any tag"), [
            (self.tr("%1 (%2)").replace("%1", name).replace("%2", str(n)), name)
            for name, n in self.journal.repo.tag_counts()])
        self._refill(self.session, self.tr("Any session"), [
            (self._session_text(s), s.id) for s in reversed(self._sessions.values())])
        self.run_search()

    def detach(self) -> None:
        """Forget the words typed and every result: nothing stays after lock."""
        self._settle.stop()
        self.field.setText("")  # unlike clear(), also forgets the undo history
        self.model.clear()
        for combo in (self.tag, self.session):
            combo.blockSignals(True)
            combo.clear()
            combo.blockSignals(False)
        self.service = None
        self._sessions = {}
        super().detach()
        self._show_status()

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search field, its text selected."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    # ------------------------------------------------------------------ choices
    @staticmethod
    def _refill(combo: QComboBox, any_text: str, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_text, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _session_text(self, session: TreatmentSession) -> str:
        day = QDate(session.starts_at.year, session.starts_at.month, session.starts_at.day)
        return f"{session_label(session)} · {self.locale().toString(day, 'd MMM yyyy')}"

    def show_tag(self, tag: str) -> None:
        """Show every entry with ``tag`` (from the tag list)."""
        self._settle.stop()
        self.field.clear()
        index = self.tag.findData(tag)
        if index >= 0:
            self.tag.setCurrentIndex(index)
        self.run_search()

    def clear_filters(self) -> None:
        for combo in (self.kind, self.tag, self.session, self.period, self.private):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._period_changed(blocked=True)
        self.run_search()

    def _period_changed(self, _index: int = 0, *, blocked: bool = False) -> None:
        between = self.period.currentData() == _BETWEEN
        if between and self.date_from.date() == self.date_to.date():
            self.date_from.blockSignals(True)
            self.date_from.setDate(QDate.currentDate().addMonths(-1))
            self.date_from.blockSignals(False)
        for widget in (self.dates_label, self.date_from, self.to_label, self.date_to):
            widget.setVisible(between)
        if not blocked:
            self.run_search()

    def filters(self) -> SearchFilters:
        """What the filter controls say, as the search engine's filters."""
        kind = self.kind.currentData()
        tag = self.tag.currentData()
        date_from, date_to = self._dates()
        return SearchFilters(kinds=frozenset({kind}) if kind else frozenset(),
                             tags=(tag,) if tag else (),
                             session_id=self.session.currentData(),
                             date_from=date_from, date_to=date_to,
                             private=self.private.currentData())

    def _dates(self) -> tuple[dt.date | None, dt.date | None]:
        period = self.period.currentData()
        today = dt.date.today()
        days = {_WEEK: 6, _MONTH: 29, _YEAR: 364}
        if period in days:
            return today - dt.timedelta(days=days[period]), None
        if period == _BETWEEN:
            first, last = self.date_from.date().toPython(), self.date_to.date().toPython()
            return min(first, last), max(first, last)
        return None, None

    # ------------------------------------------------------------------ searching
    def run_search(self) -> None:
        self._settle.stop()
        if self.service is None:
            return
        query = Query.parse(self.field.text())
        filters = self.filters()
        order = SearchOrder(self.order.currentData())
        matches = self.service.find(query, filters, order)
        self.model.show(query, matches, self.service.load, self._sessions)
        if self.model.rowCount():
            self.results.setCurrentIndex(self.model.index(0))
        self.clear_filters_button.setVisible(not filters.is_empty)
        self._show_status(query, filters)

    def _show_status(self, query: Query | None = None,
                     filters: SearchFilters | None = None) -> None:
        filtered = filters is not None and not filters.is_empty
        self.clear_filters_button.setVisible(filtered)
        if query is None or (query.is_empty and not filtered):
            self.status.setText(self.tr(
                "Search your entries, prompt answers, practices and quick notes. Part of a "
                "word is enough; “quotes” find a phrase; -word leaves a word out. The "
                "filters work on their own too."))
        elif query.too_short:
            self.status.setText(self.tr("Keep typing…"))
        elif self.model.total == 0:
            self.status.setText(self.tr(
                "Nothing found. Try fewer or shorter words, or clear the filters."))
        elif self.model.total == 1:
            self.status.setText(self.tr("One result"))
        else:
            self.status.setText(self.tr("%1 results").replace("%1", str(self.model.total)))

    # ------------------------------------------------------------------ opening
    def _open(self, index: QModelIndex) -> None:
        result = self.model.result_at(index.row())
        if result is None:
            return
        if result.entry_id is not None:
            self.entry_open_requested.emit(result.entry_id)
        elif result.practice is not None and result.practice.id is not None:
            self.practice_open_requested.emit(result.practice.id)

    def _open_current_or_first(self) -> None:
        if self._settle.isActive():
            self.run_search()
        index = self.results.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0)
        if index.isValid():
            self._open(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down in the search field moves into the results."""
        if watched is self.field and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down \
                and self.model.rowCount():
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ tags
    def open_tags(self) -> None:
        if self.journal is None:
            return
        dialog = TagsDialog(self.journal.repo, self)
        dialog.show_tag_requested.connect(self._show_tag_later)
        dialog.exec()
        changed = dialog.made_changes
        dialog.deleteLater()  # it holds tag names; nothing may outlive a lock
        self.load_safely()
        if changed:
            self.changed.emit()

    def _show_tag_later(self, tag: str) -> None:
        QTimer.singleShot(0, lambda: self.show_tag(tag))
