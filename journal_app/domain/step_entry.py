"""What one step's prompt flow stores, and where it starts again. Pure.

A step still open keeps its progress in the timeline (in progress). A finished step has an
entry: a readable Markdown body made from the answers, the answers themselves with the
wording they were given to, and the step marked done. Opening a finished step again edits
that same entry, so it stays done. A day-3 or week-1 flow may also choose or close the
session's practice. On the evening after a session, the first prompt also takes a voice note
or a drawing instead of typed words (``offers_capture``); an evening note with nothing
typed and only a voice note is a finished note like any other. The dialog's store
(ui/dialogs/flow_store.py) makes the calls on the journal object; the wording (an entry's
title, the prompts' translation) comes from the ui.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.practices import Practice, practice_after_flow
from journal_app.domain.prompts import (
    FlowProgress,
    Prompt,
    PromptAnswer,
    Translate,
    render_markdown,
)
from journal_app.domain.session_prep import INTENTION, PREPARATION_STEP, FlowState
from journal_app.domain.timeline import StepRecord, StepStatus

__all__ = [
    "CAPTURE_PROMPTS",
    "FINISHED",
    "INTEGRATION_TAG",
    "PREPARATION_TAG",
    "IntentionNote",
    "SaveTarget",
    "entry_kind",
    "entry_tag",
    "finished_entry_id",
    "flow_resumed",
    "intention_note",
    "intention_text",
    "new_step_entry",
    "offers_capture",
    "opening_state",
    "resumable_progress",
    "revised_step_entry",
    "save_target",
    "session_practice_change",
    "stored_answers",
]

#: The status a step gets when its flow is finished.
FINISHED = StepStatus.DONE

PREPARATION_TAG = "preparation"
INTEGRATION_TAG = "integration"

#: The prompts that offer "Say it" and "Draw it" beside typing, by step: the evening
#: after a session, when many people can't type.
CAPTURE_PROMPTS: dict[str, frozenset[str]] = {"day0": frozenset({"day0_words"})}


class SaveTarget(enum.StrEnum):
    """Where a move in the flow (Next, Back, a pause in typing) is saved."""

    PROGRESS = "progress"  # an open step: where the flow is, in the timeline
    ENTRY = "entry"  # a finished step with changed answers: straight into its entry
    NOTHING = "nothing"  # a finished step with nothing changed


class IntentionNote(enum.StrEnum):
    """Whose intention is shown beside a prompt."""

    NONE = "none"
    EARLIER_SESSION = "earlier-session"  # beside a new intention: the last one written
    THIS_SESSION = "this-session"  # beside every integration prompt


# ---------------------------------------------------------------------------- starting


def finished_entry_id(record: StepRecord | None) -> int | None:
    """The entry of a finished step (the step counts as finished once it has one)."""
    return record.entry_id if record is not None else None


def resumable_progress(record: StepRecord | None) -> FlowProgress | None:
    """Where a flow left off, for a step still in progress with something kept."""
    if record is not None and record.status is StepStatus.IN_PROGRESS and record.progress:
        return FlowProgress.from_json(record.progress)
    return None


def opening_state(prompts: Sequence[Prompt], record: StepRecord | None,
                  finished_answers: Callable[[], Iterable[PromptAnswer]] | None,
                  ) -> FlowState:
    """Where the flow opens: resumed progress first, else a finished entry's answers
    (``finished_answers`` loads them; None when there is no entry), else the start."""
    progress = resumable_progress(record)
    if progress is not None:
        return FlowState.from_progress(prompts, progress)
    if finished_answers is not None:
        return FlowState.from_answers(prompts, finished_answers())
    return FlowState(prompts)


def flow_resumed(state: FlowState) -> bool:
    """Something was answered or moved past before: the flow welcomes the person back."""
    return bool(state.answers) or state.position > 0


def save_target(*, finished: bool, changed: bool) -> SaveTarget:
    """A finished step's changes go into its entry so it stays done; an open step keeps
    its progress, even when nothing changed (the position may have)."""
    if not finished:
        return SaveTarget.PROGRESS
    return SaveTarget.ENTRY if changed else SaveTarget.NOTHING


def offers_capture(step: str, prompt_id: str) -> bool:
    """Whether ``prompt_id`` offers a voice note or a drawing beside its words. What is
    recorded or drawn is attached to the step's entry when the flow stores it; with one,
    the prompt's words may stay empty (the prompt counts as skipped)."""
    return prompt_id in CAPTURE_PROMPTS.get(step, frozenset())


# ---------------------------------------------------------------------------- the entry


def entry_kind(step: str) -> EntryKind:
    return EntryKind.PREPARATION if step == PREPARATION_STEP else EntryKind.INTEGRATION


def entry_tag(step: str) -> str:
    return PREPARATION_TAG if step == PREPARATION_STEP else INTEGRATION_TAG


def stored_answers(state: FlowState, translate: Translate) -> list[PromptAnswer]:
    """Every prompt of the flow, answered or skipped, in the wording shown."""
    return state.prompt_answers(translate)


def new_step_entry(step: str, session_id: int | None, answers: Iterable[PromptAnswer], *,
                   title: str) -> Entry:
    """The entry a first finished flow makes (``title`` is worded by the ui)."""
    return Entry(kind=entry_kind(step), title=title, body=render_markdown(answers),
                 tags=(entry_tag(step),), session_id=session_id)


def revised_step_entry(entry: Entry, step: str, answers: Iterable[PromptAnswer]) -> Entry:
    """``entry`` with a body from the new answers. The title and tags the person may have
    changed are kept; the step's tag comes back if it was removed."""
    return entry.edited(body=render_markdown(answers), tags=(*entry.tags, entry_tag(step)))


def session_practice_change(answers: Iterable[PromptAnswer], *, session_id: int,
                            practices: Sequence[Practice]) -> Practice | None:
    """A practice chosen on day 3, or how it went in week 1, for the session's latest
    practice (``practices``: the session's, oldest first). The practice to store (``id``
    None: a new one) or None when nothing changes; see ``practice_after_flow``."""
    current = practices[-1] if practices else None
    return practice_after_flow(answers, session_id=session_id, current=current)


# ---------------------------------------------------------------------------- intentions


def intention_note(step: str, prompt_id: str) -> IntentionNote:
    """Whose intention helps beside ``prompt_id``: the last session's beside a new
    intention, this session's beside every integration prompt, none elsewhere."""
    if step == PREPARATION_STEP:
        return IntentionNote.EARLIER_SESSION if prompt_id == INTENTION else IntentionNote.NONE
    return IntentionNote.THIS_SESSION


def intention_text(answer: PromptAnswer | None) -> str:
    """The intention's words, or empty when there is none written."""
    if answer is None or not isinstance(answer.answer, str):
        return ""
    return answer.answer.strip()
