"""Which steps a reminder announces, and what kind of words it uses. Pure.

A reminder says only that something is ready, never what (the notification is seen by
anyone near the screen). It announces a step once per (session, step); what was already
waiting when the journal was unlocked counts as seen, because the Today page shows it; a
step someone already started needs no reminder. The reminder service in the shell keeps a
:class:`ReminderMemory` for the app's run and owns the tray and the timer.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.prompts import Phase
from journal_app.domain.timeline import StatusInput, StepStatus, TimelineItem, due_items
from journal_app.domain.today import recent_sessions

__all__ = [
    "ReminderMemory",
    "ReminderMessage",
    "StepKey",
    "open_steps",
    "reminder_message",
    "step_key",
]

StepKey = tuple[int | None, str]


class ReminderMessage(enum.StrEnum):
    """The kind of words a reminder uses; the shell words them (generic text only)."""

    SEVERAL = "several"  # "%n steps are ready"
    PREPARATION = "preparation"  # "your preparation is waiting"
    REFLECTION = "reflection"  # "a reflection step is ready"


def step_key(item: TimelineItem) -> StepKey:
    return (item.session_id, item.step)


def open_steps(sessions: Iterable[TreatmentSession],
               statuses: Mapping[int | None, StatusInput],
               now: dt.datetime) -> list[TimelineItem]:
    """The steps a reminder looks at: the same ones the Today page lists as waiting
    (``TodayPlan.waiting``). ``sessions`` may be only the recent end of the course (at
    least ``recent_sessions``): older ones have nothing waiting."""
    return due_items(recent_sessions(sessions, now), statuses, now)


class ReminderMemory:
    """The steps already announced or already waiting, for one run of the app.

    It is kept across lock and unlock, so a step is announced at most once per run.
    """

    def __init__(self) -> None:
        self._seen: set[StepKey] = set()

    def note_waiting(self, items: Iterable[TimelineItem]) -> None:
        """What is waiting at unlock counts as seen: the Today page shows it."""
        self._seen |= {step_key(item) for item in items}

    def fresh(self, items: Iterable[TimelineItem]) -> list[TimelineItem]:
        """The steps to announce now: new since the last look and not started. Every
        new step counts as seen from here on, announced or not (a step that came while
        reminders were off, or was started, is not announced later)."""
        new = [item for item in items if step_key(item) not in self._seen]
        self._seen |= {step_key(item) for item in new}
        return [item for item in new if item.status is not StepStatus.IN_PROGRESS]

    def seen(self, key: StepKey) -> bool:
        return key in self._seen


def reminder_message(items: Sequence[TimelineItem]) -> ReminderMessage:
    """One message for all the steps announced together; ``items`` is not empty."""
    if not items:
        raise ValueError("a reminder needs at least one step")
    if len(items) > 1:
        return ReminderMessage.SEVERAL
    if items[0].phase is Phase.PREPARATION:
        return ReminderMessage.PREPARATION
    return ReminderMessage.REFLECTION
