"""What the Today page and the reminders read at unlock, in plain SQL.

Only sessions that start from some moment on (and the one before them) can have a step
waiting now (``domain.today.recent_sessions``), so the page that opens at unlock reads
those and their steps, not the whole course through the ORM. Rows become the same domain
objects ``JournalRepository.list_sessions``, ``TimelineRepository.step_records`` and
``PracticeRepository.list_practices`` make (a test compares them); each session's place in
the course follows the same order as ``list_sessions``: by ``julianday(starts_at)``, then
id. Nothing here needs the ORM, so an unlock doesn't set it up.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import sqlite3
from typing import Any, cast

from journal_app.domain.entities import Modality, Setting, TreatmentSession
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.domain.timeline import StepRecord, StepStatus
from journal_app.domain.today import RecentCourse

__all__ = ["SLACK_DAYS", "has_entries", "open_practices", "recent_course"]

#: The read starts this many days before the moment asked for: SQLite's julianday and
#: Python's datetimes then never disagree about which sessions are in it (the domain
#: trims to the exact moment).
SLACK_DAYS = 1.0

_ORDER_SQL = "SELECT id, julianday(starts_at) FROM sessions ORDER BY julianday(starts_at), id"
_SESSIONS_SQL = """
SELECT id, uid, starts_at, modality, setting, number, provider, notes, created_at, updated_at
FROM sessions WHERE id IN (SELECT value FROM json_each(:ids))
"""
_STEPS_SQL = """
SELECT session_id, step, status, entry_id, progress, updated_at FROM timeline_steps
WHERE session_id IN (SELECT value FROM json_each(:ids)) ORDER BY id
"""


def recent_course(conn: sqlite3.Connection, since: dt.datetime | None) -> RecentCourse:
    """The sessions starting from ``since`` on (a day earlier, to be safe), every earlier
    session at the latest moment before that, and their stored steps; ``None``: the whole
    course. Sessions whose start SQLite can't read are always included."""
    order = conn.execute(_ORDER_SQL).fetchall()  # ids and days only: small rows
    places = {row[0]: place for place, row in enumerate(order, start=1)}
    first = _first_recent(conn, [row[1] for row in order], _utc_text(since))
    chosen = [row[0] for row in order if row[1] is None] + [row[0] for row in order[first:]]
    ids = json.dumps(chosen)
    rows = conn.execute(_SESSIONS_SQL, {"ids": ids}).fetchall()
    sessions = tuple(sorted((_session(row) for row in rows),
                            key=lambda session: places[session.id or 0]))
    records: dict[int, dict[str, StepRecord]] = {}
    for row in conn.execute(_STEPS_SQL, {"ids": ids}):
        records.setdefault(row[0], {})[row[1]] = _step_record(row)
    return RecentCourse(sessions=sessions, records=records,
                        places={i: places[i] for i in chosen}, total=len(order))


def _first_recent(conn: sqlite3.Connection, days: list[float | None],
                  since_text: str | None) -> int:
    """Where the read starts in ``days`` (julianday of each start, in the course's order,
    the unreadable ones first): the first session from a day before ``since`` on, moved
    back over every session at the latest moment before that."""
    readable = next((i for i, day in enumerate(days) if day is not None), len(days))
    if since_text is None:
        return readable
    (bound,) = conn.execute("SELECT julianday(?) - ?", (since_text, SLACK_DAYS)).fetchone()
    if bound is None:
        return readable
    known = cast("list[float]", days[readable:])
    first = readable + bisect.bisect_left(known, bound)
    if first > readable:
        before = days[first - 1]
        while first > readable and days[first - 1] == before:
            first -= 1
    return first


def has_entries(conn: sqlite3.Connection) -> bool:
    """Whether the journal holds any entry."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM entries)").fetchone()[0])


_PRACTICES_SQL = """
SELECT domain, description, session_id, chosen_at, outcome, outcome_note, outcome_at, id, uid
FROM practices WHERE outcome IS NULL OR outcome = ? ORDER BY julianday(chosen_at), id
"""


def open_practices(conn: sqlite3.Connection) -> list[Practice]:
    """The practices still waiting for an outcome (none yet, or "not yet"), oldest first:
    ``PracticeRepository.list_practices(open_only=True)``."""
    return [Practice(
        domain=PracticeDomain(row[0]),
        description=row[1],
        session_id=row[2],
        chosen_at=dt.datetime.fromisoformat(row[3]),
        outcome=PracticeOutcome(row[4]) if row[4] else None,
        outcome_note=row[5],
        outcome_at=dt.datetime.fromisoformat(row[6]) if row[6] else None,
        id=row[7],
        uid=row[8],
    ) for row in conn.execute(_PRACTICES_SQL, (PracticeOutcome.NOT_YET.value,))]


def _utc_text(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    try:
        return moment.astimezone(dt.UTC).isoformat(timespec="seconds")
    except OverflowError:  # at the calendar's edge: read everything
        return None


def _session(row: tuple[Any, ...]) -> TreatmentSession:
    return TreatmentSession(
        starts_at=dt.datetime.fromisoformat(row[2]),
        modality=Modality(row[3]),
        setting=Setting(row[4]),
        number=row[5],
        provider=row[6],
        notes=row[7],
        id=row[0],
        uid=row[1],
        created_at=dt.datetime.fromisoformat(row[8]),
        updated_at=dt.datetime.fromisoformat(row[9]),
    )


def _step_record(row: tuple[Any, ...]) -> StepRecord:
    return StepRecord(
        session_id=row[0],
        step=row[1],
        status=StepStatus(row[2]),
        entry_id=row[3],
        progress=json.loads(row[4]) if row[4] else None,
        updated_at=dt.datetime.fromisoformat(row[5]) if row[5] else None,
    )
