"""The storage side of one step's prompt flow, without widgets.

Where the flow starts (resumed progress, a finished entry's answers, or nothing), saving
progress after each move, and writing the entry at the end. ``PromptFlow`` shows it. What
is stored (the entry's kind, body and tags, the answers, the practice, where a save goes)
is decided in domain/step_entry.py; this store words the title and notes and makes the
calls on the journal object. The evening note's voice notes and drawings (``captures``)
wait in memory until the entry is stored, and are attached right after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from journal_app.domain.prompts import PromptAnswer, PromptLibrary
from journal_app.domain.session_prep import INTENTION, earlier_sessions
from journal_app.domain.step_entry import (
    FINISHED,
    IntentionNote,
    SaveTarget,
    finished_entry_id,
    flow_resumed,
    intention_note,
    intention_text,
    new_step_entry,
    opening_state,
    revised_step_entry,
    save_target,
    session_practice_change,
    stored_answers,
)
from journal_app.ui.dialogs.flow_capture import FlowCaptures
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
        entry_id = finished_entry_id(record)
        self.entry = journal.repo.get_entry(entry_id) if entry_id is not None else None
        entry = self.entry
        self.state = opening_state(
            prompts,
            record,
            (lambda: self.answers_repo.load_answers(entry.id)) if entry is not None else None,
        )
        self._stored = dict(self.state.answers)
        self.captures = FlowCaptures(journal, self.entry.id if self.entry else None)

    @property
    def editing(self) -> bool:
        return self.entry is not None

    @property
    def resumed(self) -> bool:
        return flow_resumed(self.state)

    def persist(self) -> None:
        """Save where the flow is: progress for an open step, the entry for a done one."""
        target = save_target(finished=self.editing, changed=self.state.answers != self._stored)
        if target is SaveTarget.ENTRY:
            self._store_entry()
        elif target is SaveTarget.PROGRESS:
            self.timeline.save_progress(self.session.id, self.step, self.state.progress())
        self.journal.save_soon()

    def finish(self) -> int:
        """Write the entry and its answers, mark the step done, attach what was recorded
        or drawn; the entry's id. A JournalError from attaching (the disk is full…) leaves
        the step done and what wasn't attached still waiting: finishing again retries."""
        entry_id = self._store_entry()
        self.timeline.set_status(self.session.id, self.step, FINISHED, entry_id=entry_id)
        self.journal.save_soon()
        self.captures.store_pending(entry_id)
        return entry_id

    def _store_entry(self) -> int:
        answers = stored_answers(self.state, translate_prompt)
        repo = self.journal.repo
        if self.entry is None:
            title = step_title(self.step, self.session)
            self.entry = repo.add_entry(
                new_step_entry(self.step, self.session.id, answers, title=title)
            )
        else:
            self.entry = repo.update_entry(revised_step_entry(self.entry, self.step, answers))
        self.answers_repo.save_answers(self.entry.id, answers)
        self._store_practice(answers)
        self._stored = dict(self.state.answers)
        return self.entry.id

    def _store_practice(self, answers: list[PromptAnswer]) -> None:
        """A practice chosen on day 3, or how it went in week 1, becomes the session's
        practice (listed on Today and the Sessions page, and in the report)."""
        practices = self.journal.practices
        changed = session_practice_change(
            answers,
            session_id=self.session.id,
            practices=practices.list_practices(session_id=self.session.id),
        )
        if changed is None:
            return
        if changed.id is None:
            practices.add_practice(changed)
        else:
            practices.update_practice(changed)

    def intention_note(self, prompt_id: str) -> str:
        """The intention, where it helps: the last session's beside a new intention, this
        session's beside every integration prompt. Empty when there is none."""
        note = intention_note(self.step, prompt_id)
        if note is IntentionNote.EARLIER_SESSION:
            return self._earlier_intention()
        text = self._intention(self.session.id) if note is IntentionNote.THIS_SESSION else ""
        if not text:
            return ""
        return translate("PromptFlow", "Your intention for this session:") + f"\n“{text}”"

    def _earlier_intention(self) -> str:
        """The most recent intention written for a session before this one."""
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

    def _intention(self, session_id: int) -> str:
        return intention_text(self.answers_repo.latest_answer(INTENTION, session_id=session_id))
