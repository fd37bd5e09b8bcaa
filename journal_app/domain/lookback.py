"""Looking back across sessions: every intention side by side, and what was written at
the same step of the previous session. Plain data; storage/lookback.py fills it."""

from __future__ import annotations

from dataclasses import dataclass

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.prompts import PromptAnswer

#: The preparation prompt that holds a session's intention, and the day-3 prompt that
#: looks back at it (resources/prompts/*.toml).
INTENTION_PROMPT = "intention"
REVISITED_PROMPT = "day3_intention"


@dataclass(frozen=True)
class SessionAnswer:
    """One answer given for a session, and the entry it is in."""

    session: TreatmentSession
    answer: PromptAnswer
    entry_id: int


@dataclass(frozen=True)
class IntentionLine:
    """One session's row of "Intentions over time"."""

    session: TreatmentSession
    intention: SessionAnswer | None = None
    revisited: SessionAnswer | None = None


@dataclass(frozen=True)
class PreviousStep:
    """What was written at one step (e.g. "day1") of an earlier session."""

    session: TreatmentSession
    step: str
    answers: tuple[PromptAnswer, ...]
    entry_id: int

