"""The Today page, the home screen after unlock: what is waiting across sessions, the next
session and its preparation, a few free words, and the latest check-in.

One button stands out at a time (``TodayPlan.primary``); everything else is quiet. Empty
states say what to do first instead of showing blank lists. Which cards appear, in what
order and with which offers is decided in domain/today_view.py; this page builds and words
them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import now as local_now
from journal_app.domain.timeline import TimelineItem, default_schedule
from journal_app.domain.today import RecentCourse, TodayPlan, plan_today, recent_since
from journal_app.domain.today_view import (
    DueRow,
    TimeOfDay,
    TodayCard,
    TodayView,
    quick_entry,
    save_stands_out,
    today_view,
)
from journal_app.ui.models.timeline_model import (
    CLOCK_STEP,
    TimelineModel,
    domain_title,
    format_day,
    format_time,
    labelled,
    session_intention,
    session_name,
    skip_step,
    status_text,
    step_title,
)
from journal_app.ui.pages.base import Page
from journal_app.ui.pages.today_cards import add_session_card, checkin_card, next_session_card
from journal_app.ui.widgets.story_cards import add_intention, button, card, label, page_style

if TYPE_CHECKING:
    from journal_app.ui.pages.session_day_card import SessionDayCard
    from journal_app.ui.shell.open_journal import OpenJournal

# The step windows, the session day card and the session dialog are imported when first
# needed: the page opens at unlock, and most days none of them is.

MAX_WIDTH = 880  # a comfortable line length for reading


def edit_session(parent: QWidget, journal: OpenJournal, session_id: int | None) -> int | None:
    """The session dialog (``dialogs.session_dialog.edit_session``), imported when asked."""
    from journal_app.ui.dialogs import session_dialog

    return session_dialog.edit_session(parent, journal, session_id)


def section_box() -> tuple[QWidget, QVBoxLayout]:
    """A container for one rebuilt part of the page; it is filled before it is shown."""
    host = QWidget()
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(20)
    return host, layout


class TodayPage(Page):
    new_entry_requested = Signal()
    checkin_requested = Signal(str)  # measure id
    entry_open_requested = Signal(int)
    changed = Signal()  # something was stored here (other pages may refresh)

    def __init__(self, parent: QWidget | None = None, *, clock=local_now) -> None:
        super().__init__(parent)
        self.journal = None
        self.clock = clock
        self.plan: TodayPlan | None = None
        self.view: TodayView | None = None
        self.due_model = TimelineModel(self)
        self.day_card: SessionDayCard | None = None  # made the first time a session day comes
        self._course: RecentCourse | None = None
        self._build()

    def page_title(self) -> str:
        return self.tr("Today")

    # ------------------------------------------------------------------ skeleton
    def _build(self) -> None:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget(scroll)
        content = QWidget(holder)
        content.setMaximumWidth(MAX_WIDTH)
        self.column = QVBoxLayout(content)
        self.column.setContentsMargins(8, 8, 24, 32)
        self.column.setSpacing(20)
        self.greeting = label("", content, "heading")
        self.date_line = label("", content, "quietLabel")
        top = QVBoxLayout()
        top.setSpacing(2)
        top.addWidget(self.greeting)
        top.addWidget(self.date_line)
        self.column.addLayout(top)
        self.dynamic_host = QWidget(content)
        self.column.addWidget(self.dynamic_host)
        self.column.addWidget(self._quick_entry(content))
        self.checkin_host = QWidget(content)
        self.column.addWidget(self.checkin_host)
        self.column.addStretch(1)
        # A stretch beside the column, not an alignment flag: wrapped text keeps its height.
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(content, 1)
        row.addStretch(0)
        scroll.setWidget(holder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setStyleSheet(page_style(self.font().pointSizeF()))

    def _quick_entry(self, parent: QWidget) -> QFrame:
        frame, layout = card(parent)
        self.quick_title = label(self.tr("A few words"), frame, "cardTitle")
        self.quick_text = QPlainTextEdit(frame)
        self.quick_text.setPlaceholderText(self.tr("A few words…"))
        self.quick_text.setAccessibleName(self.tr("A few words for your journal"))
        self.quick_text.setTabChangesFocus(True)
        self.quick_text.setFixedHeight(96)
        self.quick_save = button(self.tr("Save"), frame)
        self.quick_save.setAccessibleName(self.tr("Save these words in your journal"))
        self.quick_save.setEnabled(False)
        self.full_entry = button(self.tr("Write a full entry"), frame)
        self.full_entry.setObjectName("linkButton")
        self.quick_status = label("", frame, "quietLabel")
        self.quick_text.textChanged.connect(self._quick_changed)
        self.quick_save.clicked.connect(self.save_quick_entry)
        self.full_entry.clicked.connect(self.new_entry_requested.emit)
        row = QHBoxLayout()
        row.addWidget(self.quick_save)
        row.addWidget(self.full_entry)
        row.addStretch(1)
        row.addWidget(self.quick_status)
        layout.addWidget(self.quick_title)
        layout.addWidget(self.quick_text)
        layout.addLayout(row)
        return frame

    # ------------------------------------------------------------------ Page
    def refresh(self) -> None:
        if self.journal is None:
            return
        now = self.clock()
        # Only the recent end of the course can have a step waiting (domain/today.py).
        course = self.journal.recent_course(recent_since(now))
        latest = self.journal.check_ins.latest()
        self.plan = plan_today(
            course.sessions, course.records, [latest] if latest is not None else [],
            now, has_entries=self.journal.has_entries(),
            practices=self.journal.open_practices(),
            has_sessions=course.total > 0)
        self.view = today_view(self.plan)
        self.due_model.set_items(list(self.plan.due), now)
        self._course = course
        self._render()

    def detach(self) -> None:
        # No flush here: the window flushes before it saves and closes the journal, and by
        # now the journal may be closed. Words still in the box are dropped, not written.
        self.plan = self.view = None
        self._course = None
        self.due_model.clear()
        self._keep_day_card()
        self._swap("dynamic_host", QWidget())
        self._swap("checkin_host", QWidget())
        if self.day_card is not None:
            self.day_card.clear()
        self.quick_text.clear()
        self.quick_status.clear()
        self.greeting.clear()
        self.date_line.clear()
        super().detach()

    def flush(self) -> None:
        """Words typed in the box are kept as an entry rather than lost on lock."""
        if self.journal is not None and self.quick_text.toPlainText().strip():
            self.save_quick_entry()

    def outdated(self) -> bool:
        """Shown again a minute or more later: the clock moved, so what is due may have."""
        return self.plan is None or abs(self.clock() - self.plan.now) >= CLOCK_STEP

    # ------------------------------------------------------------------ quick entry
    def _quick_changed(self) -> None:
        typed = bool(self.quick_text.toPlainText().strip())
        self.quick_save.setEnabled(typed)
        primary = save_stands_out(self.plan, typed=typed)
        if (self.quick_save.objectName() == "primary") != primary:
            self.quick_save.setObjectName("primary" if primary else "")
            self.quick_save.style().polish(self.quick_save)
        if self.quick_text.toPlainText():
            self.quick_status.clear()

    def save_quick_entry(self) -> None:
        entry = quick_entry(self.quick_text.toPlainText(), self.clock())
        if self.journal is None or entry is None:
            return
        self.journal.repo.add_entry(entry)
        self.journal.save_soon()
        self.quick_text.clear()
        self.quick_status.setText(self.tr("Saved in your journal."))
        self.changed.emit()

    # ------------------------------------------------------------------ rendering
    def _render(self) -> None:
        view = self.view
        plan = view.plan
        self.greeting.setText(self._greeting(view.time_of_day))
        self.date_line.setText(format_day(plan.now, plan.now))
        self._keep_day_card()
        host, box = section_box()
        for part in view.cards:
            box.addWidget(self._card(part, view))
        self.quick_title.setText(self.tr("Write something") if view.invites_first_entry
                                 else self.tr("A few words"))
        self._quick_changed()
        self._swap("dynamic_host", host)
        checkin, checkin_box = section_box()
        frame, self.checkin_text = checkin_card(view, self, check=self.checkin_requested.emit)
        checkin_box.addWidget(frame)
        self._swap("checkin_host", checkin)
        self._order_focus()

    def _card(self, part: TodayCard, view: TodayView) -> QWidget:
        builders = {
            TodayCard.WELCOME: self._welcome,
            TodayCard.SESSION_DAY: self._session_day,
            TodayCard.DUE: self._due_card,
            TodayCard.PRACTICE: self._practice_line,
            TodayCard.AFTER_SESSION: self._after_session,
            TodayCard.NEXT_SESSION: self._next_session,
            TodayCard.ADD_SESSION: self._add_session_card,
        }
        return builders[part](view)

    def _order_focus(self) -> None:
        """Tab follows the page from top to bottom (rebuilt cards would otherwise come
        after the quick entry, which was made first)."""
        chain = [*self.dynamic_host.findChildren(QAbstractButton), self.quick_text,
                 self.quick_save, self.full_entry,
                 *self.checkin_host.findChildren(QAbstractButton)]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _swap(self, name: str, new: QWidget) -> None:
        old = getattr(self, name)
        self.column.replaceWidget(old, new)
        old.hide()
        old.deleteLater()
        setattr(self, name, new)
        new.show()

    def _keep_day_card(self) -> None:
        """The day card outlives the frames around it, which are rebuilt on refresh."""
        if self.day_card is not None:
            self.day_card.hide()
            self.day_card.setParent(self)

    def _greeting(self, time_of_day: TimeOfDay) -> str:
        return {TimeOfDay.MORNING: self.tr("Good morning"),
                TimeOfDay.AFTERNOON: self.tr("Good afternoon"),
                TimeOfDay.EVENING: self.tr("Good evening")}[time_of_day]

    def _welcome(self, _view: TodayView) -> QLabel:
        return label(self.tr(
            "Welcome. This page gathers what is ready for you each day. Nothing here is "
            "urgent and nothing is seen by anyone else. Start wherever feels easiest."),
            self, "welcome")

    def _due_card(self, view: TodayView) -> QFrame:
        frame, layout = card(self)
        layout.addWidget(label(self.tr("Ready for you"), frame, "cardTitle"))
        for row in view.due:
            layout.addLayout(self._due_row(row, frame, view.plan.now))
        return frame

    def _due_row(self, row: DueRow, frame: QFrame, now: dt.datetime) -> QHBoxLayout:
        item = row.item
        session = next(s for s in self._course.sessions if s.id == item.session_id)
        name = step_title(item.title)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(label(name, frame, "stepTitle"))
        spec = default_schedule().step(item.step)
        detail = [session_name(session, self._course.position(session.id)),
                  status_text(item, now)]
        text.addWidget(label(" · ".join(detail), frame, "quietLabel"))
        if row.shows_summary and spec.summary:
            text.addWidget(label(QCoreApplication.translate("schedule", spec.summary), frame))
        line = QHBoxLayout()
        line.setSpacing(12)
        line.addLayout(text, 1)
        verb = self.tr("Continue") if row.continues else self.tr("Start")
        start = button(verb, frame, primary=row.primary)
        start.setAccessibleName(labelled(verb, name))
        start.clicked.connect(lambda: self._start(item.session_id, item.step))
        line.addWidget(start, 0, Qt.AlignmentFlag.AlignTop)
        if row.skippable:
            skip = button(self.tr("Not this time"), frame)
            skip.setObjectName("linkButton")
            skip.setAccessibleName(self.tr("Skip: %1").replace("%1", name))
            skip.setToolTip(self.tr("Skip this step. You can undo it on the Sessions page."))
            skip.clicked.connect(lambda: self._skip(item))
            line.addWidget(skip, 0, Qt.AlignmentFlag.AlignTop)
        return line

    def _practice_line(self, view: TodayView) -> QLabel:
        practice = view.plan.practice
        domain = domain_title(practice.domain)
        return label(self.tr("Your practice this week (%1): %2").replace("%1", domain)
                     .replace("%2", practice.description), self, "practiceLine")

    def _session_day(self, view: TodayView) -> QWidget:
        """The day card (intention, plan, checklist, an offer to continue preparing)."""
        if self.day_card is None:
            from journal_app.ui.pages.session_day_card import SessionDayCard

            self.day_card = SessionDayCard(self)
            self.day_card.preparation_changed.connect(self._after_change)
        self.day_card.show_session(self.journal, view.plan.session_today.id)
        self.day_card.show()
        return self.day_card

    def _after_session(self, view: TodayView) -> QFrame:
        """After the session has begun, only the intention: the day card's checklist
        ("a ride home… not yet") no longer helps, and the evening should ask little."""
        plan = view.plan
        session = plan.session_today
        frame, layout = card(self)
        layout.addWidget(label(self.tr("Today's session, at %1").replace(
            "%1", format_time(session.starts_at, plan.now)), frame, "cardTitle"))
        intention = session_intention(self.journal, session.id)
        if intention:
            add_intention(layout, frame, intention)
        else:
            layout.addWidget(label(self.tr("Whatever today brought, it can wait until you "
                                           "are ready."), frame))
        return frame

    def _next_session(self, view: TodayView) -> QFrame:
        return next_session_card(view, self._course, self,
                                 prepare=lambda sid: self._start(sid, "preparation"),
                                 read=self.entry_open_requested.emit)

    def _add_session_card(self, view: TodayView) -> QFrame:
        return add_session_card(view, self, add=self.add_session)

    # ------------------------------------------------------------------ actions
    def _start(self, session_id: int, step: str) -> None:
        if self.journal is not None:
            from journal_app.ui.pages.session_story import open_step, watch_flow

            watch_flow(open_step(self, self.journal, session_id, step), self._after_change)

    def _skip(self, item: TimelineItem) -> None:
        if self.journal is not None:
            skip_step(self.journal, item.session_id, item.step)
            self._after_change()

    def add_session(self) -> None:
        if self.journal is None:
            return
        if edit_session(self, self.journal, None) is not None:
            self._after_change()

    def _after_change(self, *_args: object) -> None:
        self.load_safely()
        self.changed.emit()
