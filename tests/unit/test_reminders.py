"""Which steps a reminder announces and the kind of words it uses (no Qt).

The course (Central European time): session 1 on Monday 3 March 2025 at 10:00, session 2
on Thursday 13 March at 10:00, session 3 on Monday 24 March at 14:00.
"""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.reminders import (
    ReminderMemory,
    ReminderMessage,
    open_steps,
    reminder_message,
    step_key,
)
from journal_app.domain.timeline import StepStatus

CET = dt.timezone(dt.timedelta(hours=1))
S = StepStatus


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=CET)


COURSE = [TreatmentSession(starts_at=at(3, 10), number=1, id=1),
          TreatmentSession(starts_at=at(13, 10), number=2, id=2),
          TreatmentSession(starts_at=at(24, 14), number=3, id=3)]
PREPARED = {1: {"preparation": S.DONE}}


def keys(items) -> list[tuple[int | None, str]]:
    return sorted(step_key(item) for item in items)


def test_the_steps_looked_at_are_the_ones_waiting():
    assert keys(open_steps(COURSE, PREPARED, at(3, 12))) == []
    assert keys(open_steps(COURSE, PREPARED, at(3, 18, 1))) == [(1, "day0")]
    assert keys(open_steps(COURSE, {}, at(6, 10))) == [
        (1, "day1"), (1, "day3"), (2, "preparation")]


def test_what_waits_at_unlock_is_not_announced():
    memory = ReminderMemory()
    memory.note_waiting(open_steps(COURSE, PREPARED, at(3, 19)))
    assert memory.seen((1, "day0"))
    assert memory.fresh(open_steps(COURSE, PREPARED, at(3, 20))) == []


def test_a_step_is_announced_once():
    memory = ReminderMemory()
    memory.note_waiting(open_steps(COURSE, PREPARED, at(3, 12)))
    assert keys(memory.fresh(open_steps(COURSE, PREPARED, at(3, 18, 1)))) == [(1, "day0")]
    assert memory.fresh(open_steps(COURSE, PREPARED, at(3, 18, 2))) == []
    assert keys(memory.fresh(open_steps(COURSE, PREPARED, at(4, 9)))) == [(1, "day1")]


def test_a_started_step_is_not_announced_and_not_later_either():
    memory = ReminderMemory()
    started = {1: {"preparation": S.DONE, "day0": S.IN_PROGRESS}}
    assert memory.fresh(open_steps(COURSE, started, at(3, 18, 1))) == []
    assert memory.seen((1, "day0"))
    assert memory.fresh(open_steps(COURSE, PREPARED, at(3, 18, 2))) == [], \
        "set back to open, it was still seen once"


def test_only_new_steps_are_fresh_among_several():
    memory = ReminderMemory()
    memory.note_waiting(open_steps(COURSE, {}, at(4, 9)))  # day0 (overdue) and day1
    assert keys(memory.fresh(open_steps(COURSE, {}, at(6, 10)))) == [
        (1, "day3"), (2, "preparation")]


def test_the_message_kind_follows_the_steps():
    prep = open_steps(COURSE[1:2], {}, at(6, 10))
    assert [i.step for i in prep] == ["preparation"]
    assert reminder_message(prep) is ReminderMessage.PREPARATION
    day0 = open_steps(COURSE, PREPARED, at(3, 18, 1))
    assert reminder_message(day0) is ReminderMessage.REFLECTION
    several = open_steps(COURSE, {}, at(6, 10))
    assert len(several) == 3 and reminder_message(several) is ReminderMessage.SEVERAL
    with pytest.raises(ValueError):
        reminder_message([])
