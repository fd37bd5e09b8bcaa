"""Looking back: the Look back page (what keeps coming up, emotions, intentions over time,
mood by session; charts in ui/themes_view.py) and "This time last session" (a small
panel to place beside a step's prompts)."""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.lookback import PreviousStep, SessionAnswer
from journal_app.domain.measures import Measure
from journal_app.domain.prompts import answer_text
from journal_app.domain.themes import Themes
from journal_app.ui.labels import session_label
from journal_app.ui.models.intentions import EntryIdRole, IntentionsModel, session_day
from journal_app.ui.pages.base import Page
from journal_app.ui.widgets.themes_view import (
    ThemeTab,
    emotions_chart,
    emotions_text,
    mood_chart,
    phrases_chart,
    phrases_text,
    scores_chart,
)

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

translate = QCoreApplication.translate  # literal calls: lupdate extracts them
log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
ROWS_PER_STEP = 40  # intentions rows measured at a time (wrapped text: ~0.5 ms a row)
STEP_SECONDS = 0.008  # counting themes holds the window at most about this long at a time


class LookBackPage(Page):
    """Look back across sessions, one tab at a time: what keeps coming up in the writing
    after sessions, the emotions picked on session evenings, every intention beside what
    was made of it three days later, and mood and scores session by session. Private
    entries stay out unless the person ticks "Include private entries" (unticked again at
    every lock). In the intentions table, double-click (or Enter) opens the entry."""

    entry_open_requested = Signal(int)
    themes_shown = Signal()  # the counts arrived and the tabs show them

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = None
        self.themes: Themes | None = None
        self._generation = 0
        self._steps: Generator[None, None, None] | None = None
        self._measures: dict[str, Measure] = {}
        self._step_timer = QTimer(self)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._step)
        heading = QLabel(self.tr("Looking back across sessions"), self)
        heading.setObjectName("heading")
        intro = QLabel(
            self.tr(
                "What keeps coming up in your own writing after sessions. It is worked out "
                "here, on this device, from your entries only: nothing leaves the journal."
            ),
            self,
        )
        intro.setObjectName("quietLabel")
        intro.setWordWrap(True)
        self.private_box = QCheckBox(self.tr("Include private entries"), self)
        self.private_box.setToolTip(
            self.tr("Entries you marked private are left out of this page unless ticked.")
        )
        self.private_box.toggled.connect(lambda _on: self.refresh())
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.private_box, 0, Qt.AlignmentFlag.AlignBottom)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.phrases = ThemeTab(
            self.tr(
                "Words and phrases you wrote after more than one session, longest bars first: "
                "each bar counts the sessions it came up after. Common words and the "
                "journal's own questions are left out."
            ),
            self.tr("Nothing recurs yet. After a few sessions, the words you come back to "
                    "will appear here."),
            self,
        )
        self.emotions = ThemeTab(
            self.tr("The emotions you picked on the evening after each session: a dot for "
                    "each evening an emotion was with you."),
            self.tr("The emotions you pick on the evening after a session will appear here."),
            self,
        )
        self.mood = ThemeTab(
            self.tr("Your mood out of 10 before each session (dashed) and on its evening."),
            self.tr("Mood ratings from before and after your sessions will appear here."),
            self,
        )
        self.scores = ThemeTab(
            self.tr("Questionnaires, session by session: the average of your check-ins from "
                    "each session's day until the next one."),
            self.tr("Questionnaire check-ins will appear here, session by session."),
            self,
        )
        self.tabs.addTab(self.phrases, self.tr("What keeps coming up"))
        self.tabs.addTab(self.emotions, self.tr("Emotions"))
        self.tabs.addTab(self._intentions_tab(), self.tr("Intentions"))
        self._mood_page = self._mood_tab()
        self.tabs.addTab(self._mood_page, self.tr("Mood by session"))
        self._pending: dict[QWidget, list[Callable[[], None]]] = {}  # tab → charts to build
        self.tabs.currentChanged.connect(lambda _index: self._show_pending())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        top.setContentsMargins(0, 0, 8, 0)
        self.table.activated.connect(self._open)
        self.model.modelReset.connect(self._update)
        self._update()

    def _intentions_tab(self) -> QWidget:
        tab = QWidget(self)
        intro = QLabel(
            self.tr(
                "The intention you set before each session, beside what you "
                "made of it three days later."
            ),
            tab,
        )
        intro.setObjectName("quietLabel")
        intro.setWordWrap(True)
        self.model = IntentionsModel(self)
        self.table = QTableView(tab)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Intentions over time"))
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        self.table.setStyleSheet(
            "QTableView::item { padding: 10px 10px; }"
            "QHeaderView::section { padding: 6px 10px; border: none; "
            "font-weight: 600; }"
        )
        self.table.setAlternatingRowColors(True)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Wrapped text needs its row heights worked out again whenever widths change: once,
        # after the layout settles (each column resize would measure every row again).
        self._size_rows = QTimer(self)
        self._size_rows.setSingleShot(True)
        self._size_rows.setInterval(0)
        self._size_rows.timeout.connect(self._start_sizing)
        header.sectionResized.connect(lambda *_: self._size_rows.start())
        # Thousands of sessions' wrapped rows took seconds to measure at once: the rows in
        # view first, then the others a few at a time between events.
        self._unsized: list[int] = []
        self._size_more = QTimer(self)
        self._size_more.setInterval(0)
        self._size_more.timeout.connect(self._size_some_rows)
        self.empty = QLabel(
            self.tr("Your intentions will appear here once you have prepared for a session."), tab
        )
        self.empty.setObjectName("quietLabel")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(10)
        for widget in (intro, self.empty):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        return tab

    def _start_sizing(self) -> None:
        rows = self.model.rowCount()
        first = max(self.table.rowAt(0), 0)
        last = self.table.rowAt(self.table.viewport().height())
        last = rows - 1 if last < 0 else last
        in_view = list(range(first, min(last + ROWS_PER_STEP, rows)))
        self._unsized = [r for r in range(rows) if not first <= r < first + len(in_view)]
        self._unsized.reverse()  # popped from the end: top to bottom
        self._unsized += in_view[::-1]
        self._size_some_rows()
        self._size_more.start()

    def _size_some_rows(self) -> None:
        for _ in range(ROWS_PER_STEP):
            if not self._unsized:
                self._size_more.stop()
                return
            row = self._unsized.pop()
            if row < self.model.rowCount():
                self.table.resizeRowToContents(row)

    def _mood_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mood, 1)
        layout.addWidget(self.scores, 1)
        return tab

    def page_title(self) -> str:
        return self.tr("Look back")

    def refresh(self) -> None:
        if self.journal is None:
            return
        private = self.private_box.isChecked()
        self.model.set_lines(self.journal.lookback.intentions_over_time(include_private=private))
        self._size_rows.start()
        # Counted on this thread (it owns the database), a few entries at a time between
        # other events: a long journal takes seconds, and typing must never wait for it
        # (a worker's long calls held the interpreter, and froze the window for seconds).
        self._generation += 1
        self._measures = dict(self.journal.check_ins.measures)
        counting = self.journal.lookback.count_themes(self._measures, include_private=private)
        self._steps = self._count_and_show(self._generation, counting)
        self._step_timer.start()

    def _count_and_show(self, generation: int, counting: Generator[None, None, Themes],
                        ) -> Generator[None, None, None]:
        themes = yield from counting
        if generation != self._generation or self.journal is None:
            return  # the journal locked, or a newer count was started
        self.themes = themes
        yield from self._show_themes(themes, self._measures)
        self.themes_shown.emit()

    def _step(self) -> None:
        """Count for a few milliseconds, then let the window handle its events."""
        if self._steps is None:
            self._step_timer.stop()
            return
        until = time.perf_counter() + STEP_SECONDS
        try:
            while time.perf_counter() < until:
                next(self._steps)
        except StopIteration:
            self._stop_counting()
        except Exception as exc:
            self._stop_counting()
            self._themes_failed(exc)

    def _stop_counting(self) -> None:
        self._step_timer.stop()
        self._steps = None

    def _themes_failed(self, exc: BaseException) -> None:
        log.error("counting themes failed with %s", type(exc).__name__)  # never the text

    def _show_themes(self, themes: Themes, measures: dict[str, Measure],
                     ) -> Generator[None, None, None]:
        """The shown tab's chart now; another tab's when it is first chosen (the
        emotions and mood charts have a point a session: a long course's took seconds
        to build and lay out, even in a tab nobody looked at)."""
        self._pending = {}
        if themes.phrases:
            self.phrases.show_chart(lambda c: phrases_chart(themes, c), phrases_text(themes),
                                    rows=len(themes.phrases))
        else:
            self.phrases.show_nothing()
        yield
        if themes.emotions:
            self._pending[self.emotions] = [lambda: self.emotions.show_chart(
                lambda c: emotions_chart(themes, c, self.emotions.chart.drawn_width()),
                emotions_text(themes),
                rows=len(themes.emotions))]
        else:
            self.emotions.show_nothing()
        later = []
        if any(s.mood_before is not None or s.mood_after is not None for s in themes.scores):
            later.append(lambda: self.mood.show_chart(
                lambda c: mood_chart(themes, c, self.mood.chart.drawn_width())))
        else:
            self.mood.show_nothing()
        if any(s.measures for s in themes.scores):
            later.append(lambda: self.scores.show_chart(
                lambda c: scores_chart(themes, measures, c, self.scores.chart.drawn_width())))
        else:
            self.scores.show_nothing()
        self._pending[self._mood_page] = later
        self._show_pending()

    def _show_pending(self) -> None:
        """Build the charts of the tab on screen, if they wait."""
        for show in self._pending.pop(self.tabs.currentWidget(), []):
            show()

    def detach(self) -> None:
        self.model.set_lines([])
        self._unsized = []
        self._pending = {}
        self.themes = None
        self._generation += 1
        self._stop_counting()  # a count still running is dropped
        for tab in (self.phrases, self.emotions, self.mood, self.scores):
            tab.show_nothing()
        self.private_box.blockSignals(True)
        self.private_box.setChecked(False)  # private entries stay out after a lock
        self.private_box.blockSignals(False)
        super().detach()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._size_rows.start()

    def _update(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.empty.setVisible(not has_rows)
        self.table.setVisible(has_rows)

    def _open(self, index: QModelIndex) -> None:
        entry_id = index.data(EntryIdRole)
        if entry_id is not None:
            self.entry_open_requested.emit(int(entry_id))


class LastSessionPanel(QWidget):
    """ "This time last session": what was written at the same step (or the same prompt) of
    the nearest earlier session. Folded by default, so it never pulls the eye before the
    person has found their own words; one click opens it."""

    entry_open_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entry_id: int | None = None
        self.toggle = QToolButton(self)
        self.toggle.setCheckable(True)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body.setOpenExternalLinks(False)
        self.body.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._fold)
        self.body.linkActivated.connect(self._open)
        self.clear()

    # ------------------------------------------------------------------ loading
    def load_step(self, journal: OpenJournal, session_id: int, step: str) -> None:
        self.show_previous(journal.lookback.previous_step(session_id, step))

    def load_prompt(self, journal: OpenJournal, session_id: int, prompt_id: str) -> None:
        self.show_previous(journal.lookback.previous_answer(session_id, prompt_id))

    def show_previous(self, previous: PreviousStep | SessionAnswer | None) -> None:
        if previous is None:
            self.clear()
            return
        answers = previous.answers if isinstance(previous, PreviousStep) else (previous.answer,)
        self._entry_id = previous.entry_id
        session = previous.session
        self.toggle.setText(
            self.tr("This time last session (%1, %2)")
            .replace("%1", session_label(session))
            .replace("%2", session_day(session))
        )
        blocks = [
            f"<p><b>{html.escape(a.title)}</b><br>"
            f"{html.escape(answer_text(a)).replace(chr(10), '<br>')}</p>"
            for a in answers
            if not a.is_empty
        ]
        link = html.escape(self.tr("Open that entry"))
        self.body.setText("".join(blocks) + f"<p><a href='entry'>{link}</a></p>")
        self.setVisible(True)

    def clear(self) -> None:
        """Nothing to show (no earlier session wrote this step): the panel hides."""
        self._entry_id = None
        self.toggle.setChecked(False)
        self.body.clear()
        self.setVisible(False)

    def _fold(self, open_: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.body.setVisible(open_)

    def _open(self, _link: str) -> None:
        if self._entry_id is not None:
            self.entry_open_requested.emit(self._entry_id)
