"""What the Today screen shows at one moment, worked out from the journal's data. Pure.

Given the sessions, what is stored about their steps, the check-ins and the time, this
module decides: the steps that want attention (freshest first, older ones after), the next
session and where its preparation stands, today's session if there is one, the latest
check-in, and the one action that should stand out. The Sessions page uses
:func:`session_progress` for its short status line; that rule lives in domain/timeline.py
(``journal-app sessions`` uses it too) and is re-exported here.

Sessions at the ends of the calendar (year 1, year 9999) never make this raise: their
steps that can't be represented are left out of the timeline (see domain/timeline.py).

"Today" is the calendar day of ``now`` in ``now``'s own time zone: pass the user's local
time (``entities.now()``).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from journal_app.domain.entities import TreatmentSession, aware
from journal_app.domain.measures import CheckIn
from journal_app.domain.practices import Practice
from journal_app.domain.timeline import (
    Schedule,
    SessionProgress,
    StatusInput,
    StepRecord,
    StepStatus,
    TimelineItem,
    TimePoint,
    default_schedule,
    due_items,
    session_progress,
    timeline,
)

__all__ = [
    "PrimaryAction",
    "RecentCourse",
    "SessionProgress",
    "TodayPlan",
    "UpcomingSession",
    "current_practice",
    "listing_reach",
    "local_day",
    "plan_today",
    "recent_sessions",
    "recent_since",
    "session_progress",
    "session_timeline",
]

PREPARATION_STEP = "preparation"

#: How the Today screen orders what is open: what was started, then what is fresh, then
#: what has waited a while. A tired person sees the gentlest, most current thing first.
_ATTENTION_ORDER = {StepStatus.IN_PROGRESS: 0, StepStatus.DUE: 1, StepStatus.OVERDUE: 2}

#: A practice is shown on Today for this long after it was chosen (about the week it is for).
PRACTICE_DAYS = 10

#: Room for a step's clock time (``at = "HH:MM"``) to fall up to a day after its anchor,
#: and for the time zone's offset to change in between (a zone has skipped a whole day).
CLOCK_SLACK = dt.timedelta(days=3)
#: Whatever the schedule, today's sessions (begun at most a day ago) are among the recent.
MIN_REACH = dt.timedelta(days=2)


class PrimaryAction(enum.StrEnum):
    """The one button that stands out on the Today screen."""

    START_STEP = "start-step"  # the first item of ``due``
    PREPARE = "prepare"  # the next session's preparation
    ADD_SESSION = "add-session"  # nothing is planned yet
    WRITE = "write"  # nothing is waiting: a few free words


@dataclass(frozen=True)
class UpcomingSession:
    session: TreatmentSession
    preparation: TimelineItem | None
    days_until: int  # calendar days from today; 0 is today

    @property
    def preparation_status(self) -> StepStatus | None:
        return self.preparation.status if self.preparation is not None else None

    @property
    def preparation_open(self) -> bool:
        """Preparation not yet done or skipped (it may still be early for it)."""
        return self.preparation_status not in (StepStatus.DONE, StepStatus.SKIPPED, None)


@dataclass(frozen=True)
class TodayPlan:
    now: dt.datetime
    due: tuple[TimelineItem, ...]
    next_session: UpcomingSession | None
    session_today: TreatmentSession | None
    latest_check_in: CheckIn | None
    practice: Practice | None
    has_sessions: bool
    has_entries: bool
    primary: PrimaryAction
    #: Every step open now as ``due_items`` lists them, soonest due first: what the
    #: reminders look at. ``due`` is these without the next session's preparation (it has
    #: its own card), in the order of the attention they ask.
    waiting: tuple[TimelineItem, ...] = ()

    @property
    def first_time(self) -> bool:
        """Nothing in the journal yet: the screen guides instead of listing."""
        return not (self.has_sessions or self.has_entries or self.latest_check_in)

    @property
    def session_today_started(self) -> bool:
        return self.session_today is not None and self.session_today.starts_at <= self.now


def local_day(moment: dt.datetime, now: dt.datetime) -> dt.date:
    """The calendar day of ``moment`` as seen in ``now``'s time zone (or in its own, when
    that conversion would leave the calendar: a moment near year 1 or 9999)."""
    moment = aware(moment)
    try:
        return moment.astimezone(aware(now).tzinfo).date()
    except OverflowError:
        return moment.date()


def _ordered(sessions: Iterable[TreatmentSession]) -> list[TreatmentSession]:
    return sorted(sessions, key=lambda s: (s.starts_at, s.id or 0))


def session_timeline(session: TreatmentSession, sessions: Sequence[TreatmentSession],
                     statuses: StatusInput, now: dt.datetime, *,
                     schedule: Schedule | None = None,
                     zone: dt.tzinfo | None = None) -> list[TimelineItem]:
    """``session``'s timeline, with the session that follows it found in ``sessions``."""
    ordered = _ordered(sessions)
    following = None
    for index, other in enumerate(ordered):
        if other.id == session.id and index + 1 < len(ordered):
            following = ordered[index + 1]
    return timeline(session, following, statuses, now, schedule=schedule, zone=zone)


def plan_today(sessions: Iterable[TreatmentSession],
               statuses: Mapping[int | None, StatusInput],
               check_ins: Iterable[CheckIn], now: dt.datetime, *, has_entries: bool,
               practices: Iterable[Practice] = (), schedule: Schedule | None = None,
               zone: dt.tzinfo | None = None, has_sessions: bool | None = None) -> TodayPlan:
    """Everything the Today screen shows at ``now`` (the user's local time).

    ``sessions`` may be the whole course or only its recent end (at least
    :func:`recent_sessions`); then say with ``has_sessions`` whether the course has any.
    """
    now = aware(now)
    schedule = schedule or default_schedule()
    ordered = recent_sessions(sessions, now, schedule=schedule)
    upcoming = _next_session(ordered, statuses, now, schedule, zone)
    waiting = due_items(ordered, statuses, now, schedule=schedule, zone=zone)
    plan = TodayPlan(
        now=now,
        due=_attention(waiting, upcoming),
        next_session=upcoming,
        session_today=_session_today(ordered, now),
        latest_check_in=latest_check_in(check_ins),
        practice=current_practice(practices, now),
        has_sessions=bool(ordered) if has_sessions is None else has_sessions,
        has_entries=has_entries,
        primary=PrimaryAction.WRITE,
        waiting=tuple(waiting),
    )
    return _with_primary(plan)


# ---------------------------------------------------------------------------- recent sessions


def _after_anchor(point: TimePoint) -> dt.timedelta:
    """At most how long after its anchor ``point`` falls."""
    offset = dt.timedelta(days=point.days, hours=point.hours)
    return offset + CLOCK_SLACK if point.at is not None else offset


def listing_reach(schedule: Schedule) -> dt.timedelta:
    """How long after the later of its anchors (its start, the next session's start) a
    session can still have a step that ``due_items`` lists.

    A listed step is open and not stale: ``now < overdue_at + stale_after``. Its
    ``overdue_at`` is at most its latest point (due, not before, overdue) plus the
    schedule's ``min_open``; each point falls at most its offset (and a day, for a clock
    time) after its anchor.
    """
    reach = MIN_REACH
    for spec in schedule.steps:
        points = [spec.due, spec.overdue] + ([spec.not_before] if spec.not_before else [])
        keep = spec.stale_after if spec.stale_after is not None else schedule.stale_after
        latest = max(_after_anchor(point) for point in points)
        reach = max(reach, latest + schedule.min_open + keep)
    return reach


def recent_since(now: dt.datetime, schedule: Schedule | None = None) -> dt.datetime | None:
    """Of the sessions starting before this moment, only the last can have a step listed
    as waiting at ``now`` (its next session starts after it); None: any may (``now`` is
    too near year 1 to count back from)."""
    try:
        return aware(now) - listing_reach(schedule or default_schedule())
    except OverflowError:
        return None


def recent_sessions(sessions: Iterable[TreatmentSession], now: dt.datetime, *,
                    schedule: Schedule | None = None) -> list[TreatmentSession]:
    """The sessions, by date, that can matter at ``now``: those starting from
    :func:`recent_since` on and the one just before them. What is waiting, the next
    session and today's session are the same worked out from these as from all."""
    ordered = _ordered(sessions)
    since = recent_since(now, schedule)
    if since is None:
        return ordered
    first = next((i for i, s in enumerate(ordered) if s.starts_at >= since), len(ordered))
    return ordered[max(first - 1, 0):]


@dataclass(frozen=True)
class RecentCourse:
    """The recent end of the course, read at one moment: sessions by date (from some
    moment on, and the one before), what is stored about their steps, and each one's
    1-based place in the whole course."""

    sessions: tuple[TreatmentSession, ...]
    records: Mapping[int, Mapping[str, StepRecord]]
    places: Mapping[int, int]
    total: int  # sessions in the whole course

    def position(self, session_id: int | None) -> int:
        """The session's 1-based place in the course by date; 0 if it isn't here."""
        return self.places.get(session_id, 0) if session_id is not None else 0


def _attention(items: list[TimelineItem],
               upcoming: UpcomingSession | None) -> tuple[TimelineItem, ...]:
    # The next session's preparation has its own place on the screen, with that session.
    if upcoming is not None:
        items = [i for i in items if not (i.session_id == upcoming.session.id
                                          and i.step == PREPARATION_STEP)]
    return tuple(sorted(items, key=lambda i: (_ATTENTION_ORDER[i.status], i.due_at)))


def _next_session(ordered: list[TreatmentSession], statuses: Mapping[int | None, StatusInput],
                  now: dt.datetime, schedule: Schedule,
                  zone: dt.tzinfo | None) -> UpcomingSession | None:
    session = next((s for s in ordered if s.starts_at > now), None)
    if session is None:
        return None
    items = session_timeline(session, ordered, statuses.get(session.id, {}), now,
                             schedule=schedule, zone=zone)
    preparation = next((i for i in items if i.step == PREPARATION_STEP), None)
    days = (local_day(session.starts_at, now) - now.date()).days
    return UpcomingSession(session, preparation, days)


def _session_today(ordered: list[TreatmentSession],
                   now: dt.datetime) -> TreatmentSession | None:
    """Today's session: the latest one that has begun today, else the first still to come."""
    today = [s for s in ordered if local_day(s.starts_at, now) == now.date()]
    begun = [s for s in today if s.starts_at <= now]
    if begun:
        return begun[-1]
    return today[0] if today else None


def latest_check_in(check_ins: Iterable[CheckIn]) -> CheckIn | None:
    return max(check_ins, key=lambda c: (c.taken_at, c.id if c.id is not None else -1),
               default=None)


def current_practice(practices: Iterable[Practice], now: dt.datetime) -> Practice | None:
    """The newest practice still waiting for "how did it go", if chosen recently."""
    now = aware(now)
    recent = [p for p in practices if p.is_open
              and dt.timedelta(0) <= now - p.chosen_at <= dt.timedelta(days=PRACTICE_DAYS)]
    return max(recent, key=lambda p: p.chosen_at, default=None)


def _with_primary(plan: TodayPlan) -> TodayPlan:
    if plan.due:
        primary = PrimaryAction.START_STEP
    elif plan.next_session is not None and plan.next_session.preparation_status in (
            StepStatus.DUE, StepStatus.IN_PROGRESS):
        primary = PrimaryAction.PREPARE
    elif not plan.has_sessions:
        primary = PrimaryAction.ADD_SESSION
    else:
        primary = PrimaryAction.WRITE
    return replace(plan, primary=primary)
