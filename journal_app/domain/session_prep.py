"""Pure helpers for preparing a session and for walking a step's prompts one at a time.

* Reading a preparation back: the intention, the plan for when it gets hard, the support
  person, the logistics checklist and the before-session ratings, from the answers.
* Sections: the preparation prompts fall into calm groups (intention, set, setting,
  logistics, ratings). The library has no section field, so the group follows from the
  prompt id's prefix, which the library promises never to change.
* :class:`FlowState`: where a prompt flow stands (position, answers so far), convertible to
  and from the stored :class:`FlowProgress` and the final :class:`PromptAnswer` list. The
  GUI's flow is a thin view over it, so the rules are tested without Qt.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from journal_app.domain.entities import Setting, TreatmentSession
from journal_app.domain.prompts import (
    Answer,
    FlowProgress,
    Prompt,
    PromptAnswer,
    Translate,
)

PREPARATION_STEP = "preparation"

INTENTION = "intention"
HARD_PLAN = "set_hard_plan"
SUPPORT = "setting_support"
PLACE = "setting_place"
LOGISTICS = "logistics_checklist"
MOOD_BEFORE = "mood_before"
ANXIETY_BEFORE = "anxiety_before"


def _same(text: str) -> str:
    return text


# ---------------------------------------------------------------------------- reading answers


def answer_of(answers: Iterable[PromptAnswer], prompt_id: str) -> PromptAnswer | None:
    """The answer to ``prompt_id`` if it was given (not skipped, not blank)."""
    for answer in answers:
        if answer.prompt_id == prompt_id and not answer.is_empty:
            return answer
    return None


def text_of(answers: Iterable[PromptAnswer], prompt_id: str) -> str | None:
    found = answer_of(answers, prompt_id)
    if found is None or not isinstance(found.answer, str):
        return None
    return found.answer.strip()


def intention_of(answers: Iterable[PromptAnswer]) -> str | None:
    """The intention as written, or None if it wasn't given."""
    return text_of(answers, INTENTION)


def hard_plan_of(answers: Iterable[PromptAnswer]) -> str | None:
    """What the person will do if it gets hard."""
    return text_of(answers, HARD_PLAN)


def support_of(answers: Iterable[PromptAnswer]) -> str | None:
    """Who will be with them or within reach."""
    return text_of(answers, SUPPORT)


def rating_of(answers: Iterable[PromptAnswer], prompt_id: str) -> int | None:
    found = answer_of(answers, prompt_id)
    if found is None or not isinstance(found.answer, int):
        return None
    return found.answer


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    done: bool


def checklist_status(answers: Iterable[PromptAnswer], prompt_id: str = LOGISTICS, *,
                     prompt: Prompt | None = None,
                     translate: Translate = _same) -> list[ChecklistItem]:
    """Every item of a checklist with whether it is ticked.

    Uses the wording the person saw (the answer's snapshot). If the checklist wasn't
    answered (skipped, or not reached yet), the library ``prompt`` gives the items, all
    still open; with neither, the list is empty.
    """
    for answer in answers:
        if answer.prompt_id == prompt_id and answer.options:
            ticked = answer.answer if isinstance(answer.answer, list) else []
            return [ChecklistItem(o.id, o.label, o.id in ticked) for o in answer.options]
    if prompt is None:
        return []
    return [ChecklistItem(o.id, translate(o.label), False) for o in prompt.options]


#: Logistics items that only apply to a session at home (their label says so).
HOME_ONLY_ITEMS = frozenset({"support_person"})


def items_for_setting(items: Iterable[ChecklistItem], setting: Setting) -> list[ChecklistItem]:
    """The items that matter for where the session happens: an unticked at-home item is
    left out for a clinic session, so the day card doesn't show a needless "not yet"."""
    return [item for item in items
            if item.done or setting is Setting.HOME or item.id not in HOME_ONLY_ITEMS]


# ---------------------------------------------------------------------------- sections


class Section(enum.StrEnum):
    INTENTION = "intention"
    SET = "set"
    SETTING = "setting"
    LOGISTICS = "logistics"
    RATINGS = "ratings"


def section_of(prompt: Prompt) -> Section | None:
    """The preparation section a prompt belongs to, or None outside the preparation."""
    if prompt.step != PREPARATION_STEP:
        return None
    pid = prompt.id
    if pid.startswith("intention"):
        return Section.INTENTION
    if pid.startswith("setting_"):
        return Section.SETTING
    if pid.startswith("set_"):
        return Section.SET
    if pid.startswith("logistics_"):
        return Section.LOGISTICS
    if pid.endswith("_before"):
        return Section.RATINGS
    return None


def sections_in(prompts: Sequence[Prompt]) -> list[Section]:
    """The sections the prompts pass through, in order of first appearance."""
    found = (section_of(p) for p in prompts)
    return list(dict.fromkeys(s for s in found if s is not None))


# ---------------------------------------------------------------------------- sessions


def next_session_number(sessions: Sequence[TreatmentSession]) -> int:
    """One more than the highest number so far (or than the count, if unnumbered)."""
    return max([s.number or 0 for s in sessions] + [len(sessions)]) + 1


def earlier_sessions(sessions: Sequence[TreatmentSession],
                     session_id: int) -> list[TreatmentSession]:
    """The sessions before ``session_id`` in time, the most recent first."""
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.id or 0))
    ids = [s.id for s in ordered]
    if session_id not in ids:
        return []
    return list(reversed(ordered[:ids.index(session_id)]))


def number_taken(sessions: Sequence[TreatmentSession], number: int,
                 session_id: int | None) -> TreatmentSession | None:
    """Another session that already has ``number`` in the course, if any."""
    return next((s for s in sessions if s.number == number and s.id != session_id), None)


# ---------------------------------------------------------------------------- a flow's state


class FlowState:
    """One step's prompts, the position on screen and the answers given so far.

    ``answers`` maps prompt id -> answer; ``None`` means the prompt was skipped (or left
    empty). A prompt never reached has no key. Answers from an older library that no longer
    fit a prompt are dropped rather than crashing the flow.
    """

    def __init__(self, prompts: Sequence[Prompt], answers: Mapping[str, Answer] | None = None,
                 position: int = 0) -> None:
        if not prompts:
            raise ValueError("a flow needs at least one prompt")
        self.prompts = tuple(prompts)
        self.answers: dict[str, Answer] = {}
        for prompt in self.prompts:
            if answers and prompt.id in answers:
                self.answers[prompt.id] = _fitting(prompt, answers[prompt.id])
        self.position = min(max(position, 0), len(self.prompts) - 1)

    @classmethod
    def from_progress(cls, prompts: Sequence[Prompt], progress: FlowProgress) -> FlowState:
        return cls(prompts, progress.answers, progress.position)

    @classmethod
    def from_answers(cls, prompts: Sequence[Prompt],
                     answers: Iterable[PromptAnswer]) -> FlowState:
        """Start again from a finished entry's answers, at the first prompt."""
        return cls(prompts, {a.prompt_id: None if a.skipped else a.answer for a in answers})

    @property
    def prompt(self) -> Prompt:
        return self.prompts[self.position]

    @property
    def count(self) -> int:
        return len(self.prompts)

    @property
    def at_start(self) -> bool:
        return self.position == 0

    @property
    def at_end(self) -> bool:
        return self.position == len(self.prompts) - 1

    def current_answer(self) -> Answer:
        return self.answers.get(self.prompt.id)

    def record(self, answer: Answer) -> None:
        """Keep ``answer`` for the prompt on screen (``None``: skipped/empty)."""
        self.answers[self.prompt.id] = _fitting(self.prompt, _blank_to_none(answer))

    def forward(self) -> bool:
        if self.at_end:
            return False
        self.position += 1
        return True

    def back(self) -> bool:
        if self.at_start:
            return False
        self.position -= 1
        return True

    def progress(self) -> FlowProgress:
        return FlowProgress(self.position, dict(self.answers))

    def prompt_answers(self, translate: Translate = _same) -> list[PromptAnswer]:
        """Every prompt of the flow, answered or skipped, with the wording shown."""
        found = []
        for prompt in self.prompts:
            value = self.answers.get(prompt.id)
            if value is None:
                found.append(PromptAnswer.skip(prompt, translate=translate))
            else:
                found.append(PromptAnswer.of(prompt, value, translate=translate))
        return found


def _blank_to_none(answer: Answer) -> Answer:
    if isinstance(answer, str) and not answer.strip():
        return None
    return answer


def _fitting(prompt: Prompt, answer: Answer) -> Answer:
    try:
        return prompt.check_answer(answer)
    except ValueError:
        return None


__all__ = [
    "ANXIETY_BEFORE",
    "HARD_PLAN",
    "HOME_ONLY_ITEMS",
    "INTENTION",
    "LOGISTICS",
    "MOOD_BEFORE",
    "PLACE",
    "PREPARATION_STEP",
    "SUPPORT",
    "ChecklistItem",
    "FlowState",
    "Section",
    "answer_of",
    "checklist_status",
    "earlier_sessions",
    "hard_plan_of",
    "intention_of",
    "items_for_setting",
    "next_session_number",
    "number_taken",
    "rating_of",
    "section_of",
    "sections_in",
    "support_of",
    "text_of",
]
