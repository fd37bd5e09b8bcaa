"""One treatment told in order: preparation with the intention, the session, then every
integration step with what was written in it. Also the step-flow opener the Today page shares.

The small card widgets (labels, cards, buttons, the entry preview) live in
:mod:`journal_app.ui.widgets.story_cards`; they are re-exported here so the pages that import
them from this module keep working."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import Entry, TreatmentSession
from journal_app.domain.entities import now as local_now
from journal_app.domain.practices import Practice, PracticeOutcome
from journal_app.domain.prompts import Phase
from journal_app.domain.render import markdown_to_html
from journal_app.domain.timeline import StepStatus, TimelineItem, default_schedule
from journal_app.ui.dialogs.prompt_flow import PromptFlowDialog, open_step_flow
from journal_app.ui.labels import modality_label, setting_label
from journal_app.ui.models.timeline_model import (
    Course,
    TimelineModel,
    day_and_time,
    domain_title,
    format_day,
    labelled,
    session_intention,
    session_name,
    skip_step,
    status_text,
    step_title,
    unskip_step,
)
from journal_app.ui.widgets.story_cards import (
    PREVIEW_CHARS,
    EntryPreview,
    add_intention,
    button,
    card,
    entry_html,
    label,
    page_style,
    preview_markdown,
)

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

__all__ = [
    "OPEN",
    "PREVIEW_CHARS",
    "EntryPreview",
    "SessionStory",
    "add_intention",
    "button",
    "card",
    "entry_html",
    "label",
    "open_step",
    "outcome_text",
    "page_style",
    "preview_markdown",
    "watch_flow",
]

OPEN = (StepStatus.DUE, StepStatus.OVERDUE, StepStatus.IN_PROGRESS)


# ---------------------------------------------------------------------------- step actions


def open_step(
    parent: QWidget, journal: OpenJournal, session_id: int, step: str
) -> PromptFlowDialog:
    """Open the prompt flow of one step (a dialog with ``finished(int)``/``cancelled()``)."""
    return open_step_flow(parent, journal, session_id, step)


def watch_flow(dialog: PromptFlowDialog | None, done: Callable[..., object]) -> None:
    """Call ``done`` when a step's window is finished or closed early (progress saved)."""
    if dialog is None:
        done()
        return
    dialog.finished.connect(done)
    dialog.cancelled.connect(done)


# ---------------------------------------------------------------------------- the story


class SessionStory(QScrollArea):
    """The story of one session. Emits ``changed`` after a step was skipped, un-skipped or
    written, and ``entry_open_requested(id)`` for "Open in journal"."""

    changed = Signal()
    entry_open_requested = Signal(int)
    edit_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, clock=local_now) -> None:
        super().__init__(parent)
        self.clock = clock
        self.journal: OpenJournal | None = None
        self.session_id: int | None = None
        self.model = TimelineModel(self)
        self._primary_used = False
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(translate("SessionStory", "Session story"))
        self._build_empty()

    # ------------------------------------------------------------------ public
    def show_session(self, journal: OpenJournal, session_id: int,
                     course: Course | None = None) -> None:
        """Show the session's story; ``course``: the course just loaded, if the caller has
        it (otherwise it is read here)."""
        self.journal, self.session_id = journal, session_id
        self._render(course)

    def clear(self) -> None:
        """Drop every piece of journal content (lock). An open step window closes itself
        when its journal goes away."""
        self.journal = self.session_id = None
        self.model.clear()
        self._build_empty()

    def step_cards(self) -> list[QFrame]:
        return [f for f in self.findChildren(QFrame, "card") if f.property("step")]

    # ------------------------------------------------------------------ building
    def _fresh_content(self) -> QVBoxLayout:
        """A new, not yet shown page to fill; ``_install`` puts it in place."""
        self._content = QWidget()
        self._content.setObjectName("storyContent")
        layout = QVBoxLayout(self._content)
        layout.setContentsMargins(8, 4, 24, 32)
        layout.setSpacing(18)
        self._primary_used = False
        return layout

    def _install(self) -> None:
        old = self.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        self.setWidget(self._content)
        self._content.show()

    def _build_empty(self) -> None:
        layout = self._fresh_content()
        layout.addWidget(
            label(
                translate(
                    "SessionStory",
                    "Choose a session to see its story: your preparation, "
                    "the session and every step after it.",
                ),
                self._content,
                "quietLabel",
            )
        )
        layout.addStretch(1)
        self._install()

    def _render(self, course: Course | None = None) -> None:
        journal = self.journal
        session = journal.repo.get_session(self.session_id) if journal else None
        if journal is None or session is None:
            self.clear()
            return
        now = self.clock()
        if course is None:
            course = Course.load(journal)
        items = course.timeline(session, now)
        self.model.set_items(items, now)
        layout = self._fresh_content()
        layout.addLayout(self._header(session, course.position(session.id), now))
        practices = journal.practices.list_practices(session_id=session.id)
        shown_entries: set[int] = set()
        session_card = self._session_card(session, now)
        placed = False
        for item in items:
            if item.phase is Phase.INTEGRATION and not placed:
                layout.addWidget(session_card)
                placed = True
            layout.addWidget(self._step_card(item, session, now, practices))
            if item.entry_id is not None:
                shown_entries.add(item.entry_id)
        if not placed:
            layout.addWidget(session_card)
        others = [
            e for e in journal.repo.list_entries(session_id=session.id) if e.id not in shown_entries
        ]
        if others:
            layout.addWidget(self._others_card(others))
        layout.addStretch(1)
        self._install()

    def _header(self, session: TreatmentSession, position: int, now: dt.datetime) -> QHBoxLayout:
        parent = self._content
        text = QVBoxLayout()
        text.addWidget(label(session_name(session, position), parent, "heading"))
        text.addWidget(label(day_and_time(session.starts_at, now), parent, "quietLabel"))
        row = QHBoxLayout()
        row.addLayout(text, 1)
        edit = button(translate("SessionStory", "Edit session"), parent)
        edit.clicked.connect(lambda: self.edit_requested.emit(session.id))
        row.addWidget(edit, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _session_card(self, session: TreatmentSession, now: dt.datetime) -> QFrame:
        frame, layout = card(self._content)
        layout.addWidget(label(translate("SessionStory", "The session"), frame, "cardTitle"))
        how = modality_label(session.modality)
        where = setting_label(session.setting)
        how_where = (
            translate("SessionStory", "%1 %2").replace("%1", how).replace("%2", where).strip()
        )
        layout.addWidget(
            label(f"{day_and_time(session.starts_at, now)} · {how_where}", frame, "quietLabel")
        )
        if session.provider.strip():
            layout.addWidget(
                label(
                    translate("SessionStory", "With %1").replace("%1", session.provider.strip()),
                    frame,
                )
            )
        if session.notes.strip():
            layout.addWidget(label(markdown_to_html(session.notes), frame, "entryText", rich=True))
        return frame

    def _step_card(
        self,
        item: TimelineItem,
        session: TreatmentSession,
        now: dt.datetime,
        practices: list[Practice],
    ) -> QFrame:
        frame, layout = card(self._content)
        frame.setProperty("step", item.step)
        entry = self.journal.repo.get_entry(item.entry_id) if item.entry_id else None
        layout.addWidget(label(step_title(item.title), frame, "cardTitle"))
        when = status_text(item, now)
        if item.status is StepStatus.DONE and entry is not None:
            when = translate("SessionStory", "Written on %1").replace(
                "%1", format_day(entry.created_at, now)
            )
        layout.addWidget(label(when, frame, "quietLabel"))
        spec = default_schedule().step(item.step)
        # What a step asks is said when it can be done; later ones just say when.
        if spec.summary and (
            item.status in OPEN
            or (item.status is StepStatus.UPCOMING and item.phase is Phase.PREPARATION)
        ):
            layout.addWidget(label(QCoreApplication.translate("schedule", spec.summary), frame))
        intention = (
            session_intention(self.journal, session.id) if item.step == "preparation" else None
        )
        if intention:
            add_intention(layout, frame, intention)
        self._add_practice(layout, frame, item.step, practices)
        if entry is not None:
            layout.addWidget(EntryPreview(entry, frame))
        buttons = self._step_buttons(frame, item, session, now, entry)
        if buttons.count():
            layout.addLayout(buttons)
        return frame

    def _add_practice(
        self, layout: QVBoxLayout, frame: QFrame, step: str, practices: list[Practice]
    ) -> None:
        if not practices or step not in ("day3", "week1"):
            return
        for practice in practices:
            domain = domain_title(practice.domain)
            if step == "day3":
                layout.addWidget(
                    label(translate("SessionStory", "The practice you chose"), frame, "smallTitle")
                )
                layout.addWidget(label(labelled(domain, practice.description), frame))
            else:
                layout.addWidget(
                    label(
                        translate("SessionStory", "Did the practice happen?"), frame, "smallTitle"
                    )
                )
                layout.addWidget(label(outcome_text(practice), frame))

    def _step_buttons(
        self,
        frame: QFrame,
        item: TimelineItem,
        session: TreatmentSession,
        now: dt.datetime,
        entry: Entry | None,
    ) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        name = step_title(item.title)
        can_start = item.status in OPEN or (
            item.status is StepStatus.UPCOMING
            and (item.phase is Phase.PREPARATION or session.starts_at <= now)
        )
        if can_start:
            text = (
                translate("SessionStory", "Continue")
                if item.status is StepStatus.IN_PROGRESS
                else translate("SessionStory", "Start")
            )
            start = button(text, frame, primary=not self._primary_used)
            start.setAccessibleName(labelled(text, name))
            self._primary_used = True
            start.clicked.connect(lambda: self._start(item))
            row.addWidget(start)
        if entry is not None:
            read = button(translate("SessionStory", "Open in journal"), frame)
            read.setObjectName("linkButton")
            read.clicked.connect(lambda: self.entry_open_requested.emit(entry.id))
            row.addWidget(read)
        if item.status in OPEN:
            skip = button(translate("SessionStory", "Skip this step"), frame)
            skip.setAccessibleName(translate("SessionStory", "Skip: %1").replace("%1", name))
            skip.clicked.connect(lambda: self._skip(item))
            row.addWidget(skip)
        if item.status is StepStatus.SKIPPED:
            undo = button(translate("SessionStory", "Undo skip"), frame)
            undo.setAccessibleName(translate("SessionStory", "Undo skip: %1").replace("%1", name))
            undo.clicked.connect(lambda: self._unskip(item))
            row.addWidget(undo)
        row.addStretch(1)
        return row

    def _others_card(self, entries: list[Entry]) -> QFrame:
        frame, layout = card(self._content)
        layout.addWidget(
            label(translate("SessionStory", "Also written about this session"), frame, "cardTitle")
        )
        for entry in reversed(entries):  # oldest first, like the rest of the story
            row = QHBoxLayout()
            title = entry.display_title or translate("SessionStory", "Untitled")
            row.addWidget(
                label(f"{title} · {format_day(entry.created_at, self.clock())}", frame), 1
            )
            read = button(translate("SessionStory", "Open"), frame)
            read.setAccessibleName(translate("SessionStory", "Open: %1").replace("%1", title))
            read.clicked.connect(lambda _=False, e=entry.id: self.entry_open_requested.emit(e))
            row.addWidget(read)
            layout.addLayout(row)
        return frame

    # ------------------------------------------------------------------ actions
    def _start(self, item: TimelineItem) -> None:
        if self.journal is None:
            return
        watch_flow(open_step(self, self.journal, item.session_id, item.step), self._after_change)

    def _skip(self, item: TimelineItem) -> None:
        if self.journal is not None:
            skip_step(self.journal, item.session_id, item.step)
            self._after_change()

    def _unskip(self, item: TimelineItem) -> None:
        if self.journal is not None:
            unskip_step(self.journal, item.session_id, item.step)
            self._after_change()

    def _after_change(self, *_args: object) -> None:
        if self.journal is not None and self.session_id is not None:
            self._render()
        self.changed.emit()


def outcome_text(practice: Practice) -> str:
    texts = {
        PracticeOutcome.DONE: translate("SessionStory", "Yes, it happened"),
        PracticeOutcome.PARTLY: translate("SessionStory", "Partly"),
        PracticeOutcome.NOT_YET: translate("SessionStory", "Not yet"),
    }
    said = (
        texts.get(practice.outcome, translate("SessionStory", "Not said yet"))
        if practice.outcome
        else translate("SessionStory", "Not said yet")
    )
    note = practice.outcome_note.strip()
    return labelled(said, note) if note else said
