"""The session timeline: which preparation/integration steps are due, and when.

The schedule is data (``resources/schedule.toml``). Each step names three points in time,
each relative to this session's start or to the next session's start:

* ``due``: the step becomes due. Before it, the step is *upcoming*.
* ``not_before`` (optional): the step is never due earlier than this. It keeps "the evening
  after" from falling before a late session has even ended.
* ``overdue``: a step still open at this point is *overdue*. A step is always open for at
  least the schedule's ``min_open_hours`` first.

A point with ``at = "HH:MM"`` means that wall-clock time on the session's calendar day
(+ ``days``), in the session's own local time: the UTC offset it was recorded with, or the
``zone`` passed in (a ``zoneinfo.ZoneInfo`` gets daylight-saving changes right). A point
without ``at`` is the start plus ``days``/``hours`` exactly. Everything is computed from
the session's start, so moving a session moves all of its items; what the person did
(done, skipped, in progress) is stored per session and step and is kept.

Status, in order of precedence: the stored status (*done*, *skipped*, *in-progress*), else
*overdue* from ``overdue_at``, *due* from ``due_at``, and *upcoming* before that. Steps
relative to the next session are left out when there is no next session, and so is a step
whose time can't be represented (a session dated near year 1 or 9999): nothing here ever
raises ``OverflowError``.

:func:`session_progress` is the one rule for how far a session has come, used by the
Sessions page and by ``journal-app sessions``: a step is *finished* when it is done or
skipped (a step the person chose to skip is finished with).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from journal_app import paths
from journal_app.domain.datafile import (
    DataFileError,
    DataSource,
    Record,
    TomlDocument,
    file_version,
    read_document,
    records,
)
from journal_app.domain.entities import TreatmentSession, aware
from journal_app.domain.prompts import Phase

__all__ = [
    "FINISHED_STATUSES",
    "Anchor",
    "Schedule",
    "SessionProgress",
    "StepRecord",
    "StepSpec",
    "StepStatus",
    "TimePoint",
    "TimelineItem",
    "default_schedule",
    "due_items",
    "is_finished",
    "load_schedule",
    "session_progress",
    "timeline",
]


class StepStatus(enum.StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"
    SKIPPED = "skipped"
    IN_PROGRESS = "in-progress"


#: The statuses a person's actions store; the others follow from the clock.
STORED_STATUSES = frozenset({StepStatus.IN_PROGRESS, StepStatus.DONE, StepStatus.SKIPPED})
#: The statuses ``due_items`` lists.
OPEN_STATUSES = frozenset({StepStatus.DUE, StepStatus.OVERDUE, StepStatus.IN_PROGRESS})
#: The statuses that count as finished in a session's progress: done, or skipped.
FINISHED_STATUSES = frozenset({StepStatus.DONE, StepStatus.SKIPPED})


class Anchor(enum.StrEnum):
    SESSION = "session"
    NEXT_SESSION = "next_session"


@dataclass(frozen=True)
class TimePoint:
    anchor: Anchor
    days: int = 0
    hours: int = 0
    at: dt.time | None = None

    def resolve(self, start: dt.datetime, next_start: dt.datetime | None,
                zone: dt.tzinfo | None) -> dt.datetime | None:
        """The moment this point names, or None when there is no next session to count
        from or the moment can't be represented (before year 1 or after year 9999)."""
        anchor = start if self.anchor is Anchor.SESSION else next_start
        if anchor is None:
            return None
        try:
            if self.at is None:
                return _representable(anchor + dt.timedelta(days=self.days, hours=self.hours))
            local = anchor.astimezone(zone) if zone is not None else anchor
            day = local.date() + dt.timedelta(days=self.days)
            return _representable(dt.datetime.combine(day, self.at, tzinfo=local.tzinfo))
        except OverflowError:
            return None


def _representable(moment: dt.datetime) -> dt.datetime:
    """``moment``, checked to survive what the timeline does with it: comparing, adding
    the schedule's periods and converting to any time zone. Raises OverflowError if not."""
    moment.astimezone(dt.UTC)
    return moment


@dataclass(frozen=True)
class StepSpec:
    id: str
    phase: Phase
    title: str
    summary: str
    due: TimePoint
    overdue: TimePoint
    not_before: TimePoint | None = None
    stale_after: dt.timedelta | None = None  # None: the schedule's default


@dataclass(frozen=True)
class Schedule:
    version: int
    steps: tuple[StepSpec, ...]
    min_open: dt.timedelta
    stale_after: dt.timedelta

    def step(self, step_id: str) -> StepSpec:
        for spec in self.steps:
            if spec.id == step_id:
                return spec
        raise KeyError(step_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.steps)


@dataclass(frozen=True)
class StepRecord:
    """What is stored about one step of one session (see storage/care.py)."""

    session_id: int
    step: str
    status: StepStatus
    entry_id: int | None = None
    progress: Mapping[str, object] | None = field(default=None, repr=False)
    updated_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        status = StepStatus(self.status)
        if status not in STORED_STATUSES:
            raise ValueError(f"'{status}' is worked out from the clock, not stored")
        object.__setattr__(self, "status", status)


@dataclass(frozen=True)
class TimelineItem:
    session_id: int | None
    step: str
    phase: Phase
    title: str
    status: StepStatus
    due_at: dt.datetime
    overdue_at: dt.datetime
    entry_id: int | None = None

    def to_json(self) -> dict[str, object]:
        """The fields ``journal-app due --json`` prints."""
        return {
            "session_id": self.session_id,
            "step": self.step,
            "phase": str(self.phase),
            "title": self.title,
            "status": str(self.status),
            "due_at": self.due_at.isoformat(timespec="minutes"),
            "overdue_at": self.overdue_at.isoformat(timespec="minutes"),
            "entry_id": self.entry_id,
        }


StatusInput = Mapping[str, StepRecord | StepStatus | str]


# ---------------------------------------------------------------------------- computing


def timeline(session: TreatmentSession, next_session: TreatmentSession | None,
             statuses: StatusInput, now: dt.datetime, *, schedule: Schedule | None = None,
             zone: dt.tzinfo | None = None) -> list[TimelineItem]:
    """Every step of ``session``'s timeline with its status at ``now``, soonest due first.

    ``statuses`` maps step ids to what is stored about them: a :class:`StepRecord` or just
    its status. Steps with nothing stored follow the clock.
    """
    schedule = schedule or default_schedule()
    now = aware(now)
    start = session.starts_at
    next_start = next_session.starts_at if next_session is not None else None
    items = []
    for spec in schedule.steps:
        window = _window(spec, schedule, start, next_start, zone)
        if window is None:
            continue
        due_at, overdue_at = window
        status, entry_id = _stored(statuses.get(spec.id))
        if status is None:
            status = _by_clock(now, due_at, overdue_at)
        items.append(TimelineItem(session.id, spec.id, spec.phase, spec.title, status,
                                  due_at, overdue_at, entry_id))
    return sorted(items, key=lambda item: item.due_at)  # stable: schedule order on ties


def due_items(sessions: Iterable[TreatmentSession],
              statuses: Mapping[int | None, StatusInput], now: dt.datetime, *,
              schedule: Schedule | None = None,
              zone: dt.tzinfo | None = None) -> list[TimelineItem]:
    """Steps that want attention at ``now`` across all sessions, soonest due first.

    Lists due, overdue and in-progress steps. A step that has been overdue for longer than
    its ``stale_after_days`` is left out here (it stays overdue on its own timeline), so
    an old course does not fill the list. ``statuses`` maps session id -> step statuses.
    """
    schedule = schedule or default_schedule()
    now = aware(now)
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.id or 0))
    found: list[TimelineItem] = []
    for index, session in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        for item in timeline(session, following, statuses.get(session.id, {}), now,
                             schedule=schedule, zone=zone):
            if item.status in OPEN_STATUSES and not _stale(item, schedule, now):
                found.append(item)
    return sorted(found, key=lambda item: (item.due_at, schedule.ids.index(item.step)))


def _window(spec: StepSpec, schedule: Schedule, start: dt.datetime,
            next_start: dt.datetime | None,
            zone: dt.tzinfo | None) -> tuple[dt.datetime, dt.datetime] | None:
    """When ``spec`` is due and overdue; None when it can't be scheduled (no next session,
    or a time out of the calendar's reach)."""
    due_at = spec.due.resolve(start, next_start, zone)
    overdue_at = spec.overdue.resolve(start, next_start, zone)
    if due_at is None or overdue_at is None:
        return None
    try:
        if spec.not_before is not None:
            earliest = spec.not_before.resolve(start, next_start, zone)
            if earliest is not None and earliest > due_at:
                due_at = earliest.astimezone(due_at.tzinfo)
        overdue_at = max(overdue_at, due_at + schedule.min_open)
        _representable(overdue_at)
    except OverflowError:
        return None
    return due_at, overdue_at


def _stored(value: StepRecord | StepStatus | str | None) -> tuple[StepStatus | None, int | None]:
    if value is None:
        return None, None
    if isinstance(value, StepRecord):
        return value.status, value.entry_id
    status = StepStatus(value)
    if status not in STORED_STATUSES:
        raise ValueError(f"'{status}' is worked out from the clock, not stored")
    return status, None


def _by_clock(now: dt.datetime, due_at: dt.datetime, overdue_at: dt.datetime) -> StepStatus:
    if now < due_at:
        return StepStatus.UPCOMING
    if now < overdue_at:
        return StepStatus.DUE
    return StepStatus.OVERDUE


def _stale(item: TimelineItem, schedule: Schedule, now: dt.datetime) -> bool:
    spec = schedule.step(item.step)
    keep = spec.stale_after if spec.stale_after is not None else schedule.stale_after
    try:
        return now >= item.overdue_at + keep
    except OverflowError:  # stale only after year 9999: not yet
        return False


# ---------------------------------------------------------------------------- progress


def is_finished(status: StepStatus | str) -> bool:
    """Whether a step counts as finished in a session's progress: done or skipped."""
    return StepStatus(status) in FINISHED_STATUSES


@dataclass(frozen=True)
class SessionProgress:
    """How far one session's timeline has come: counts and the preparation's status only.

    Integration steps tied to the next session count only once there is a next session,
    as on the session's own timeline.
    """

    preparation: StepStatus | None  # None: the schedule has no preparation step
    integration_done: int  # finished: done or skipped (:func:`is_finished`)
    integration_total: int  # steps of the session's timeline so far known
    integration_open: int  # due, overdue or in progress now
    integration_skipped: int = 0  # of ``integration_done``, how many were skipped

    @property
    def integration_started(self) -> bool:
        return self.integration_done > 0 or self.integration_open > 0


def session_progress(items: Iterable[TimelineItem]) -> SessionProgress:
    """Where one session's timeline stands (``items`` from :func:`timeline`)."""
    preparation: StepStatus | None = None
    done = skipped = total = open_now = 0
    for item in items:
        if item.phase is Phase.PREPARATION:
            preparation = item.status
            continue
        total += 1
        if is_finished(item.status):
            done += 1
            skipped += item.status is StepStatus.SKIPPED
        elif item.status in OPEN_STATUSES:
            open_now += 1
    return SessionProgress(preparation, done, total, open_now, skipped)


# ---------------------------------------------------------------------------- loading

_STEP_FIELDS = frozenset({"id", "phase", "title", "summary", "due", "not_before", "overdue",
                          "stale_after_days"})
_POINT_FIELDS = frozenset({"from", "days", "hours", "at"})
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@functools.cache
def default_schedule() -> Schedule:
    """The bundled schedule, read once."""
    return load_schedule()


def load_schedule(path: DataSource | None = None) -> Schedule:
    """Read a schedule file (default: ``resources/schedule.toml``); :class:`DataFileError`
    names the file, line and step for anything malformed."""
    doc = read_document(paths.resource("schedule.toml") if path is None else path)
    steps: list[StepSpec] = []
    for record in records(doc, "step", _STEP_FIELDS):
        spec = _step(record)
        if any(s.id == spec.id for s in steps):
            raise record.fail("the id is used twice")
        steps.append(spec)
    return Schedule(
        version=file_version(doc),
        steps=tuple(steps),
        min_open=dt.timedelta(hours=_top_number(doc, "min_open_hours")),
        stale_after=dt.timedelta(days=_top_number(doc, "stale_after_days")),
    )


def _top_number(doc: TomlDocument, key: str) -> int:
    value = doc.data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DataFileError(doc.name, f"'{key}' must be a whole number, 0 or more",
                            line=doc.top_line(key))
    return value


def _step(record: Record) -> StepSpec:
    stale = None
    if "stale_after_days" in record.values:
        days = record.integer("stale_after_days")
        if days < 0:
            raise record.fail("'stale_after_days' can't be negative", key="stale_after_days")
        stale = dt.timedelta(days=days)
    return StepSpec(
        id=record.identifier(),
        phase=Phase(record.choice("phase", tuple(Phase))),
        title=record.text("title"),
        summary=record.text("summary", required=False),
        due=_point(record, "due"),
        overdue=_point(record, "overdue"),
        not_before=_point(record, "not_before") if "not_before" in record.values else None,
        stale_after=stale,
    )


def _point(record: Record, key: str) -> TimePoint:
    raw = record.values.get(key)
    if raw is None:
        raise record.fail(f"missing field '{key}'")
    if not isinstance(raw, dict) or not set(raw) <= _POINT_FIELDS:
        raise record.fail(f"'{key}' must be a table with from, days, hours, at", key=key)
    anchor = raw.get("from")
    if anchor not in tuple(Anchor):
        raise record.fail(f"'{key}.from' must be 'session' or 'next_session'", key=key)
    days, hours = raw.get("days", 0), raw.get("hours", 0)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (days, hours)):
        raise record.fail(f"'{key}.days' and '{key}.hours' must be whole numbers", key=key)
    at = raw.get("at")
    if at is not None:
        match = _CLOCK.match(at) if isinstance(at, str) else None
        if match is None:
            raise record.fail(f"'{key}.at' must be a time like \"09:00\"", key=key)
        if hours:
            raise record.fail(f"'{key}' can't have both 'at' and 'hours'", key=key)
        at = dt.time(int(match.group(1)), int(match.group(2)))
    return TimePoint(Anchor(anchor), days, hours, at)


def steps_for(schedule: Schedule, phase: Phase | str) -> Sequence[StepSpec]:
    """The schedule's steps of one phase, in order."""
    return tuple(spec for spec in schedule.steps if spec.phase == Phase(phase))
