"""What the Today screen shows, decided from a :class:`~journal_app.domain.today.TodayPlan`.
Pure.

``plan_today`` works out the facts of the moment (what is due, the next session, today's
session, the one action that stands out). This module turns them into the screen's
choices: which cards appear and in what order, how each step waiting is offered, what the
next session's preparation line says, the greeting's time of day, the check-in offered and
the entry a few quick words become. The page only builds widgets for these choices and
words them.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.prompts import Phase
from journal_app.domain.timeline import StepStatus, TimelineItem
from journal_app.domain.today import PrimaryAction, TodayPlan, UpcomingSession

__all__ = [
    "DEFAULT_MEASURE",
    "DueRow",
    "PreparationOffer",
    "TimeOfDay",
    "TodayCard",
    "TodayView",
    "checkin_measure",
    "due_rows",
    "evening_of_a_session",
    "preparation_offer",
    "quick_entry",
    "save_stands_out",
    "time_of_day",
    "today_cards",
    "today_view",
]

#: The lightest check-in, offered when there is none yet.
DEFAULT_MEASURE = "mood"

#: Morning from 05:00, afternoon from 12:00, evening from 18:00 (and through the night).
MORNING_FROM, AFTERNOON_FROM, EVENING_FROM = 5, 12, 18


class TimeOfDay(enum.StrEnum):
    """Which greeting the screen opens with."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class TodayCard(enum.StrEnum):
    """One part of the screen above the quick entry, in the order it may appear."""

    WELCOME = "welcome"  # nothing in the journal yet
    SESSION_DAY = "session-day"  # today's session, not yet begun: the day card
    DUE = "due"  # the steps ready now
    PRACTICE = "practice"  # the practice chosen for this week
    AFTER_SESSION = "after-session"  # today's session has begun: only its intention
    NEXT_SESSION = "next-session"  # the next session and its preparation
    ADD_SESSION = "add-session"  # nothing planned: an offer to add a session


class PreparationOffer(enum.StrEnum):
    """Where the next session's preparation stands, as its line on the screen."""

    READ = "read"  # done: it can be read again
    SKIPPED = "skipped"  # let go this time: nothing to press
    CONTINUE = "continue"  # started
    NOT_YET_OPEN = "not-yet-open"  # early: say when it opens, ask nothing yet
    START = "start"  # open now


@dataclass(frozen=True)
class DueRow:
    """One step ready now, as its row in the "Ready for you" card."""

    item: TimelineItem
    continues: bool  # started before: "Continue" rather than "Start"
    shows_summary: bool  # the step's summary under it (the first row, not yet started)
    primary: bool  # its button is the one that stands out
    skippable: bool  # a reflection step may be let go ("Not this time")


@dataclass(frozen=True)
class TodayView:
    """Every choice the Today screen makes at one moment."""

    plan: TodayPlan
    time_of_day: TimeOfDay
    cards: tuple[TodayCard, ...]
    due: tuple[DueRow, ...]
    preparation: PreparationOffer | None  # the next session's, when that card is shown
    invites_first_session: bool  # the add-session card speaks to someone starting out
    invites_first_entry: bool  # the quick entry says "Write something"
    checkin_measure: str  # the measure the check-in button offers


def today_view(plan: TodayPlan) -> TodayView:
    """The screen's choices for ``plan``."""
    cards = today_cards(plan)
    upcoming = plan.next_session
    preparation = None
    if upcoming is not None and TodayCard.NEXT_SESSION in cards:
        preparation = preparation_offer(upcoming)
    return TodayView(
        plan=plan,
        time_of_day=time_of_day(plan.now),
        cards=cards,
        due=due_rows(plan),
        preparation=preparation,
        invites_first_session=not plan.has_sessions,
        invites_first_entry=not plan.has_entries,
        checkin_measure=checkin_measure(plan),
    )


def time_of_day(now: dt.datetime) -> TimeOfDay:
    if MORNING_FROM <= now.hour < AFTERNOON_FROM:
        return TimeOfDay.MORNING
    if AFTERNOON_FROM <= now.hour < EVENING_FROM:
        return TimeOfDay.AFTERNOON
    return TimeOfDay.EVENING


def evening_of_a_session(plan: TodayPlan) -> bool:
    """Today's session has begun and nothing about the next one is open yet: the evening
    after asks little, and what is ahead can wait until tomorrow."""
    upcoming = plan.next_session
    return plan.session_today_started and (
        upcoming is None or upcoming.preparation_status is StepStatus.UPCOMING)


def today_cards(plan: TodayPlan) -> tuple[TodayCard, ...]:
    """The cards above the quick entry, top to bottom. The day of a session comes first;
    after it has begun only its intention stays, below what is ready."""
    cards: list[TodayCard] = []
    today = plan.session_today
    if plan.first_time:
        cards.append(TodayCard.WELCOME)
    if today is not None and not plan.session_today_started:
        cards.append(TodayCard.SESSION_DAY)
    if plan.due:
        cards.append(TodayCard.DUE)
    if plan.practice is not None:
        cards.append(TodayCard.PRACTICE)
    if plan.session_today_started:
        cards.append(TodayCard.AFTER_SESSION)
    ahead = _ahead(plan)
    if ahead is not None:
        cards.append(ahead)
    return tuple(cards)


def _ahead(plan: TodayPlan) -> TodayCard | None:
    """The card about what comes next: the next session (unless it is today's, already
    shown), an offer to add one, or nothing on the evening of a session."""
    upcoming, today = plan.next_session, plan.session_today
    if evening_of_a_session(plan):
        return None
    if upcoming is None:
        return TodayCard.ADD_SESSION
    if today is None or upcoming.session.id != today.id:
        return TodayCard.NEXT_SESSION
    return None


def due_rows(plan: TodayPlan) -> tuple[DueRow, ...]:
    """The steps ready now, in the plan's order; only the first may stand out."""
    return tuple(_due_row(item, plan, first=index == 0) for index, item in enumerate(plan.due))


def _due_row(item: TimelineItem, plan: TodayPlan, *, first: bool) -> DueRow:
    started = item.status is StepStatus.IN_PROGRESS
    return DueRow(
        item=item,
        continues=started,
        shows_summary=first and not started,
        primary=first and plan.primary is PrimaryAction.START_STEP,
        skippable=item.phase is Phase.INTEGRATION,
    )


def preparation_offer(upcoming: UpcomingSession) -> PreparationOffer:
    status = upcoming.preparation_status
    if status is StepStatus.DONE:
        return PreparationOffer.READ
    if status is StepStatus.SKIPPED:
        return PreparationOffer.SKIPPED
    if status is StepStatus.IN_PROGRESS:
        return PreparationOffer.CONTINUE
    if status is StepStatus.UPCOMING:
        return PreparationOffer.NOT_YET_OPEN
    return PreparationOffer.START


def save_stands_out(plan: TodayPlan | None, *, typed: bool) -> bool:
    """Saving the quick words stands out only once there is something to save, and only
    when writing is the day's one action: a greyed-out primary button draws the eye to
    nothing."""
    return typed and plan is not None and plan.primary is PrimaryAction.WRITE


def checkin_measure(plan: TodayPlan) -> str:
    """The measure last used, so a check-in continues the same series; else the lightest."""
    latest = plan.latest_check_in
    return latest.measure_id if latest is not None else DEFAULT_MEASURE


def quick_entry(text: str, at: dt.datetime) -> Entry | None:
    """The free entry a few quick words become, or None when only blanks were typed."""
    body = text.strip()
    if not body:
        return None
    return Entry(kind=EntryKind.FREE, title="", body=body, created_at=at, updated_at=at)
