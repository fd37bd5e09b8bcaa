"""The storage side of one step's prompt flow, without widgets.

Where the flow starts (resumed progress, a finished entry's answers, or nothing), saving
progress after each move, and writing the entry at the end. ``PromptFlow`` shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.practices import practice_after_flow
from journal_app.domain.prompts import FlowProgress, PromptLibrary, render_markdown
from journal_app.domain.session_prep import INTENTION, PREPARATION_STEP, FlowState, earlier_sessions
from journal_app.domain.timeline import StepStatus
from journal_app.ui.widgets.prompt_widgets import (
    session_label,
    step_title,
    translate_prompt,
)

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


class FlowStore:
    """One session's step: its prompts, the answers so far and where they are stored.

    A step still open keeps its progress in the timeline (in progress). A finished step
    (``editing``) has an entry; changes go straight into that entry so it stays done.
    """

    def __init__(
        self, journal: OpenJournal, session_id: int, step: str, library: PromptLibrary
    ) -> None:
        session = journal.repo.get_session(session_id)
        prompts = library.for_step(step)
        if session is None or not prompts:
            raise KeyError((session_id, step))
        self.journal, self.session, self.step = journal, session, step
        self.answers_repo, self.timeline = journal.answers, journal.timeline
        record = self.timeline.step_records(session_id).get(step)
        self.entry = (
            journal.repo.get_entry(record.entry_id)
            if record is not None and record.entry_id is not None
            else None
        )
        if record is not None and record.status is StepStatus.IN_PROGRESS and record.progress:
            self.state = FlowState.from_progress(prompts, FlowProgress.from_json(record.progress))
        elif self.entry is not None:
            self.state = FlowState.from_answers(
                prompts, self.answers_repo.load_answers(self.entry.id)
            )
        else:
            self.state = FlowState(prompts)
        self._stored = dict(self.state.answers)

    @property
    def editing(self) -> bool:
        return self.entry is not None

    @property
    def resumed(self) -> bool:
        return bool(self.state.answers) or self.state.position > 0

    def persist(self) -> None:
        """Save where the flow is: progress for an open step, the entry for a done one."""
        if self.editing:
            if self.state.answers != self._stored:
                self._store_entry()
        else:
            self.timeline.save_progress(self.session.id, self.step, self.state.progress())
        self.journal.save_soon()

    def finish(self) -> int:
        """Write the entry and its answers, mark the step done; the entry's id."""
        entry_id = self._store_entry()
        self.timeline.set_status(self.session.id, self.step, StepStatus.DONE, entry_id=entry_id)
        self.journal.save_soon()
        return entry_id

    def _store_entry(self) -> int:
        answers = self.state.prompt_answers(translate_prompt)
        body = render_markdown(answers)
        preparing = self.step == PREPARATION_STEP
        tag = "preparation" if preparing else "integration"
        repo = self.journal.repo
        if self.entry is None:
            self.entry = repo.add_entry(
                Entry(
                    kind=EntryKind.PREPARATION if preparing else EntryKind.INTEGRATION,
                    title=step_title(self.step, self.session),
                    body=body,
                    tags=(tag,),
                    session_id=self.session.id,
                )
            )
        else:  # the title and tags the person may have changed are kept
            self.entry = repo.update_entry(
                self.entry.edited(body=body, tags=(*self.entry.tags, tag))
            )
        self.answers_repo.save_answers(self.entry.id, answers)
        self._store_practice(answers)
        self._stored = dict(self.state.answers)
        return self.entry.id

    def _store_practice(self, answers: list) -> None:
        """A practice chosen on day 3, or how it went in week 1, becomes the session's
        practice (listed on Today and the Sessions page, and in the report)."""
        practices = self.journal.practices
        existing = practices.list_practices(session_id=self.session.id)
        current = existing[-1] if existing else None
        changed = practice_after_flow(answers, session_id=self.session.id, current=current)
        if changed is None:
            return
        if changed.id is None:
            practices.add_practice(changed)
        else:
            practices.update_practice(changed)

    def intention_note(self, prompt_id: str) -> str:
        """The intention, where it helps: the last session's beside a new intention, this
        session's beside every integration prompt. Empty when there is none."""
        if self.step == PREPARATION_STEP:
            if prompt_id != INTENTION:
                return ""
            for earlier in earlier_sessions(self.journal.repo.list_sessions(), self.session.id):
                text = self._intention(earlier.id)
                if text:
                    return (
                        translate("PromptFlow", "Your intention for %1 was:").replace(
                            "%1", session_label(earlier)
                        )
                        + f"\n“{text}”"
                    )
            return ""
        text = self._intention(self.session.id)
        return (
            translate("PromptFlow", "Your intention for this session:") + f"\n“{text}”"
            if text
            else ""
        )

    def _intention(self, session_id: int) -> str:
        found = self.answers_repo.latest_answer(INTENTION, session_id=session_id)
        if found is None or not isinstance(found.answer, str):
            return ""
        return found.answer.strip()
