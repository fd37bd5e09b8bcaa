"""The session day card: on the day, one calm screen with what the person prepared.

The intention, the plan for when it gets hard, who supports them, what's ticked on the
practical checklist and what isn't yet, and when and where the session is. If the
preparation isn't finished, a gentle line offers to continue it; nothing is required.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import TreatmentSession, local
from journal_app.domain.entities import now as local_now
from journal_app.domain.prompts import PromptAnswer, default_library
from journal_app.domain.session_prep import (
    HARD_PLAN,
    INTENTION,
    LOGISTICS,
    PREPARATION_STEP,
    SUPPORT,
    ChecklistItem,
    FlowState,
    checklist_status,
    hard_plan_of,
    intention_of,
    items_for_setting,
    support_of,
)
from journal_app.domain.step_entry import finished_entry_id, resumable_progress, stored_answers
from journal_app.domain.timeline import StepRecord, StepStatus
from journal_app.ui.dialogs.prompt_flow import open_step_flow
from journal_app.ui.dialogs.session_dialog import setting_label
from journal_app.ui.labels import modality_label
from journal_app.ui.widgets.prompt_widgets import plain_label, translate_prompt

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

DONE_MARK = "✓"
OPEN_MARK = "○"


class SessionDayCard(QWidget):
    """Call ``show_session`` with the day's session; ``clear`` drops everything shown."""

    preparation_changed = Signal(int)  # session id: the preparation was continued or finished

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal: OpenJournal | None = None
        self.session: TreatmentSession | None = None
        self.checklist: list[ChecklistItem] = []
        self._flow_session = 0
        self._build()
        self.clear()

    def _build(self) -> None:
        self.card = QFrame(self)
        self.card.setObjectName("card")
        self.heading = plain_label(self.card, "heading")
        self.when = plain_label(self.card, "quietLabel")
        self.intention = plain_label(self.card, "cardIntention")
        self.plan = plain_label(self.card)
        self.support = plain_label(self.card)
        self.checklist_box = QWidget(self.card)
        self.checklist_layout = QVBoxLayout(self.checklist_box)
        self.checklist_layout.setContentsMargins(0, 0, 0, 0)
        self.checklist_layout.setSpacing(4)
        self.unfinished = plain_label(self.card)
        self.continue_button = QPushButton(self.card)
        self.continue_button.setObjectName("primary")
        self.continue_button.clicked.connect(self.continue_preparation)

        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(6)
        for column, (title, value) in enumerate(((self.tr("If it gets hard, I will…"),
                                                  self.plan),
                                                 (self.tr("Who supports me"), self.support))):
            grid.addWidget(self._caption(title), 0, column)
            grid.addWidget(value, 1, column, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(column, 1)
        offer = QHBoxLayout()
        offer.addWidget(self.unfinished, 1)
        offer.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignVCenter)

        inner = QVBoxLayout(self.card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(10)
        inner.addWidget(self.heading)
        inner.addWidget(self.when)
        inner.addSpacing(8)
        inner.addWidget(self._caption(self.tr("My intention")))
        inner.addWidget(self.intention)
        inner.addSpacing(8)
        inner.addLayout(grid)
        inner.addSpacing(8)
        inner.addWidget(self._caption(self.tr("Before I go")))
        inner.addWidget(self.checklist_box)
        inner.addSpacing(8)
        inner.addLayout(offer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.card)
        layout.addStretch(1)
        size = self.font().pointSizeF() if self.font().pointSizeF() > 0 else 12
        muted = QApplication.palette().color(QPalette.ColorRole.PlaceholderText).name()
        self.setStyleSheet(f"""
            QLabel#cardCaption {{ color: palette(link); font-weight: 600; }}
            QLabel#cardIntention {{ font-size: {round(size * 1.3)}pt; }}
            QLabel[quiet="true"], QLabel#cardIntention[quiet="true"] {{ color: {muted};
                font-size: {round(size)}pt; }}
        """)

    def _caption(self, text: str) -> QLabel:
        label = plain_label(self.card, "cardCaption")
        label.setText(text)
        return label

    # ------------------------------------------------------------------ showing
    def show_session(self, journal: OpenJournal, session_id: int) -> None:
        session = journal.repo.get_session(session_id)
        if session is None:
            raise KeyError(session_id)
        self.journal, self.session = journal, session
        answers_repo, timeline = journal.answers, journal.timeline
        record = timeline.step_records(session_id).get(PREPARATION_STEP)
        answers = self._answers(record, answers_repo, session_id)
        self.heading.setText(self._heading(session))
        self.when.setText(self._when(session))
        self._fill(self.intention, intention_of(answers))
        self._fill(self.plan, hard_plan_of(answers))
        self._fill(self.support, support_of(answers))
        prompt = default_library().get(LOGISTICS) if LOGISTICS in default_library() else None
        self._show_checklist(items_for_setting(
            checklist_status(answers, prompt=prompt, translate=translate_prompt),
            session.setting))
        self._show_offer(record)
        self.card.show()

    def _answers(self, record: StepRecord | None, answers_repo,
                 session_id: int) -> list[PromptAnswer]:
        """What the preparation holds so far: the finished entry's answers, or the answers
        of a preparation still in progress."""
        progress = resumable_progress(record)
        if progress is not None:
            prompts = default_library().for_step(PREPARATION_STEP)
            return stored_answers(FlowState.from_progress(prompts, progress), translate_prompt)
        entry_id = finished_entry_id(record)
        if entry_id is not None:
            return answers_repo.load_answers(entry_id)
        found = (answers_repo.latest_answer(pid, session_id=session_id)
                 for pid in (INTENTION, HARD_PLAN, SUPPORT, LOGISTICS))
        return [answer for answer in found if answer is not None]

    def _heading(self, session: TreatmentSession) -> str:
        if local(session.starts_at).date() == local_now().date():
            return self.tr("Session day")
        if session.number:
            return self.tr("Session %1").replace("%1", str(session.number))
        return self.tr("Your session")

    def _when(self, session: TreatmentSession) -> str:
        start = local(session.starts_at)
        locale = QLocale()
        time = locale.toString(start.time(), QLocale.FormatType.ShortFormat)
        if start.date() == local_now().date():
            day = self.tr("Today")
        elif start.date() == local_now().date() + dt.timedelta(days=1):
            day = self.tr("Tomorrow")
        else:
            day = locale.toString(start.date(), QLocale.FormatType.LongFormat)
        parts = [self.tr("%1 at %2").replace("%1", day).replace("%2", time)]
        if session.number and not self._heading(session).endswith(str(session.number)):
            parts.insert(0, self.tr("Session %1").replace("%1", str(session.number)))
        parts += [setting_label(session.setting), modality_label(session.modality)]
        if session.provider.strip():
            parts.append(session.provider.strip())
        return " · ".join(parts)

    def _fill(self, label: QLabel, text: str | None) -> None:
        label.setText(text or self.tr("Not written yet"))
        self._set_quiet(label, text is None)

    @staticmethod
    def _set_quiet(label: QLabel, quiet: bool) -> None:
        """Absent or open things are shown in the muted colour, at normal size."""
        label.setProperty("quiet", quiet)
        label.style().unpolish(label)
        label.style().polish(label)

    def _show_checklist(self, items: list[ChecklistItem]) -> None:
        self._clear_checklist()
        self.checklist = items
        for item in items:
            row = plain_label(self.checklist_box)
            state = self.tr("done") if item.done else self.tr("not yet")
            mark = DONE_MARK if item.done else OPEN_MARK
            row.setText(f"{mark}  {item.label}" + ("" if item.done else f"  ({state})"))
            row.setAccessibleName(f"{item.label}: {state}")
            self._set_quiet(row, not item.done)
            self.checklist_layout.addWidget(row)

    def _show_offer(self, record: StepRecord | None) -> None:
        status = record.status if record is not None else None
        if status is StepStatus.DONE:
            self.unfinished.hide()
            self.continue_button.hide()
            return
        if status is StepStatus.IN_PROGRESS:
            self.unfinished.setText(self.tr(
                "Your preparation isn't finished. There's still time to continue it, if "
                "you'd like."))
            self.continue_button.setText(self.tr("Continue preparation"))
        else:
            self.unfinished.setText(self.tr(
                "There's no preparation for this session yet. If you'd like, a few quiet "
                "minutes can help."))
            self.continue_button.setText(self.tr("Start preparation"))
        self.continue_button.setAccessibleName(self.continue_button.text())
        self.unfinished.show()
        self.continue_button.show()

    def _clear_checklist(self) -> None:
        while self.checklist_layout.count():
            widget = self.checklist_layout.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.checklist = []

    # ------------------------------------------------------------------ actions
    def continue_preparation(self) -> None:
        if self.journal is None or self.session is None:
            return
        dialog = open_step_flow(self, self.journal, self.session.id, PREPARATION_STEP)
        self._flow_session = self.session.id
        # Bound methods: the connections go away with the card if it is deleted first.
        dialog.finished.connect(self._flow_done)
        dialog.cancelled.connect(self._flow_done)

    def _flow_done(self, *_args: object) -> None:
        session_id = self._flow_session
        if self.journal is not None and self.session is not None \
                and self.session.id == session_id:
            self.show_session(self.journal, session_id)
        self.preparation_changed.emit(session_id)

    def clear(self) -> None:
        """Drop the journal and every word shown (on lock)."""
        self.journal = self.session = None
        for label in (self.heading, self.when, self.intention, self.plan, self.support,
                      self.unfinished):
            label.clear()
        self._clear_checklist()
        self.card.hide()
