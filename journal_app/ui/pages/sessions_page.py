"""The Sessions page: the course as a list, each session's story beside it, and the
practices chosen across sessions."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListView,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import now as local_now
from journal_app.domain.practices import Practice
from journal_app.ui.dialogs.session_dialog import edit_session
from journal_app.ui.models.timeline_model import (
    CLOCK_STEP,
    Course,
    SessionListModel,
    domain_title,
    format_short_day,
    session_name,
)
from journal_app.ui.pages.base import Page
from journal_app.ui.pages.session_story import (
    SessionStory,
    card,
    label,
    outcome_text,
    page_style,
)


class PracticesView(QScrollArea):
    """Every practice chosen after a session, oldest first, and how it went."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(self.tr("Practices"))
        self.show_practices([], None)

    def show_practices(self, practices: list[Practice], course: Course | None,
                       now: dt.datetime | None = None) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(8, 4, 24, 32)
        layout.setSpacing(18)
        layout.addWidget(label(self.tr("Practices"), content, "heading"))
        if not practices:
            layout.addWidget(label(self.tr(
                "Three days after a session, you can choose one small practice for the week: "
                "for your mind, body, spirit, relationships, daily life or time in nature. "
                "The practices you choose are gathered here."), content, "quietLabel"))
        for practice in practices:
            layout.addWidget(self._practice_card(practice, course, content,
                                                 now or local_now()))
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        self.setWidget(content)
        content.show()

    def _practice_card(self, practice: Practice, course: Course | None,
                       parent: QWidget, now: dt.datetime) -> QFrame:
        frame, layout = card(parent)
        frame.setProperty("practice", True)
        domain = domain_title(practice.domain)
        session = next((s for s in course.sessions if s.id == practice.session_id), None) \
            if course is not None else None
        where = [domain]
        if session is not None:
            where.append(session_name(session, course.position(session.id)))
        where.append(format_short_day(practice.chosen_at, now))
        layout.addWidget(label(" · ".join(where), frame, "quietLabel"))
        layout.addWidget(label(practice.description, frame, "cardTitle"))
        layout.addWidget(label(outcome_text(practice), frame))
        return frame


class SessionsPage(Page):
    entry_open_requested = Signal(int)
    changed = Signal()  # a session or step changed here (other pages may refresh)

    def __init__(self, parent: QWidget | None = None, *, clock=local_now) -> None:
        super().__init__(parent)
        self.journal = None
        self.clock = clock
        self.model = SessionListModel(self)
        self._course: Course | None = None
        self._story_course: Course | None = None  # just loaded: the story needn't again
        self._loaded_at: dt.datetime | None = None  # the clock when the rows were made
        self._build()

    def page_title(self) -> str:
        return self.tr("Sessions")

    def _build(self) -> None:
        self.add_button = QPushButton(self.tr("Add session"), self)
        self.add_button.setAccessibleName(self.tr("Add session"))
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setAccessibleName(self.tr("Sessions"))
        self.list.setSpacing(2)
        # Every row is three lines, each kept to one line (a line too long for the column
        # is elided; the whole text is the row's tooltip and accessible text), so one
        # row's size is every row's: the list needn't make each row's text to size it.
        # (With wrapping, a wrapped first line pushed the third out of a uniform row.)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.practices_button = QPushButton(self.tr("Practices across sessions"), self)
        self.practices_button.setObjectName("linkButton")
        self.empty = label(self.tr(
            "No sessions yet. Add your next session, and the journal will offer a few "
            "gentle steps before and after it."), self, "quietLabel")
        left = QWidget(self)
        left.setFixedWidth(320)  # "Session 12 · Wed 30 Sep, 15:00" whole at the default size
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(self.add_button)
        column.addWidget(self.empty)
        column.addWidget(self.list, 1)
        column.addWidget(self.practices_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.story = SessionStory(self, clock=lambda: self.clock())
        self.practices = PracticesView(self)
        self.right = QStackedWidget(self)
        self.right.addWidget(self.story)
        self.right.addWidget(self.practices)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(20)
        layout.addWidget(left)
        layout.addWidget(self.right, 1)

        self.add_button.clicked.connect(self.add_session)
        self.practices_button.clicked.connect(self.show_practices)
        self.list.selectionModel().currentChanged.connect(self._session_chosen)
        self.story.entry_open_requested.connect(self.entry_open_requested)
        self.story.edit_requested.connect(self.edit_session)
        self.story.changed.connect(self._story_changed)
        self._update_empty()
        self.setStyleSheet(page_style(self.font().pointSizeF()))

    # ------------------------------------------------------------------ Page
    def refresh(self) -> None:
        if self.journal is None:
            return
        now = self.clock()
        current = self.current_session_id()
        course = self._load_rows()
        self._update_empty()
        if self.right.currentWidget() is self.practices:
            self.show_practices()
            return
        if current is None or self.model.row_of(current) < 0:
            current = self._most_relevant(course, now)
        self._story_course = course  # the story shown now needn't read it again
        try:
            self.select_session(current)
        finally:
            self._story_course = None

    def detach(self) -> None:
        self.model.clear()
        self.story.clear()
        self.practices.show_practices([], None)
        self._course = self._story_course = None
        self._loaded_at = None
        self._update_empty()
        super().detach()

    def outdated(self) -> bool:
        """Shown again a minute or more later: statuses follow the clock."""
        return self._loaded_at is None or abs(self.clock() - self._loaded_at) >= CLOCK_STEP

    # ------------------------------------------------------------------ sessions
    def _load_rows(self) -> Course:
        now = self._loaded_at = self.clock()
        course = self._course = Course.load(self.journal)
        self.model.set_course(course, now)
        return course

    @staticmethod
    def _most_relevant(course: Course, now) -> int | None:
        """The session being integrated now (the latest begun), else the next one."""
        begun = [s for s in course.sessions if s.starts_at <= now]
        if begun:
            return begun[-1].id
        return course.sessions[0].id if course.sessions else None

    def current_session_id(self) -> int | None:
        index = self.list.currentIndex()
        session = self.model.session_at(index.row()) if index.isValid() else None
        return session.id if session is not None else None

    def select_session(self, session_id: int | None) -> None:
        row = self.model.row_of(session_id)
        if row < 0:
            self.story.clear()
            return
        self.right.setCurrentWidget(self.story)
        if row == self.list.currentIndex().row():
            self.story.show_session(self.journal, session_id, self._take_story_course())
        else:
            self.list.setCurrentIndex(self.model.index(row))

    def _session_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        session = self.model.session_at(current.row()) if current.isValid() else None
        if session is None or self.journal is None:
            self.story.clear()
            return
        self.right.setCurrentWidget(self.story)
        self.story.show_session(self.journal, session.id, self._take_story_course())

    def _take_story_course(self) -> Course | None:
        """The course loaded by the refresh under way, once; None: the story loads it."""
        course, self._story_course = self._story_course, None
        return course

    def _update_empty(self) -> None:
        has = self.model.rowCount() > 0
        self.empty.setVisible(not has)
        self.list.setVisible(has)
        self.add_button.setObjectName("" if has else "primary")
        self.add_button.style().polish(self.add_button)

    def add_session(self) -> None:
        if self.journal is None:
            return
        session_id = edit_session(self, self.journal, None)
        if session_id is not None:
            self.load_safely()
            self.select_session(session_id)
            self.changed.emit()

    def edit_session(self, session_id: int) -> None:
        if self.journal is not None and edit_session(self, self.journal, session_id) is not None:
            self.load_safely()
            self.select_session(session_id)
            self.changed.emit()

    def _story_changed(self) -> None:
        current = self.current_session_id()
        if self.journal is not None:
            self._load_rows()
            row = self.model.row_of(current)
            if row >= 0:
                self.list.selectionModel().blockSignals(True)
                self.list.setCurrentIndex(self.model.index(row))
                self.list.selectionModel().blockSignals(False)
        self.changed.emit()

    # ------------------------------------------------------------------ practices
    def show_practices(self) -> None:
        if self.journal is None:
            return
        practices = self.journal.practices.list_practices()
        self.practices.show_practices(practices, self._course, self.clock())
        self.right.setCurrentWidget(self.practices)
        self.list.selectionModel().clear()  # no session looks chosen while practices show

