"""Check-ins (completed measures) in the journal: domain CheckIn objects in and out.

Answers are stored as a JSON list of whole numbers; scores are never stored, they are
recomputed from the answers. Only complete answers are stored: :meth:`add` validates them
against the measure definitions and refuses incomplete ones.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import delete, func, select

from journal_app.domain.measures import CheckIn, Measure, UnknownMeasureError, load_measures
from journal_app.storage.database import Database
from journal_app.storage.tables import CheckInRow

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _check_in(row: CheckInRow) -> CheckIn:
    return CheckIn(
        measure_id=row.measure,
        measure_version=row.measure_version,
        answers=tuple(int(v) for v in json.loads(row.answers)),
        taken_at=dt.datetime.fromisoformat(row.taken_at),
        session_id=row.session_id,
        note=row.note,
        id=row.id,
        uid=row.uid,
        created_at=dt.datetime.fromisoformat(row.created_at),
    )


_SELECT = ("SELECT id, uid, measure, measure_version, answers, taken_at, session_id, note, "
           "created_at FROM check_ins")
_Row = tuple[int, str, str, int, str, str, "int | None", str, str]


def _where(measure_id: str | None, session_id: int | None, since: dt.datetime | None,
           until: dt.datetime | None) -> tuple[str, tuple[object, ...]]:
    terms: list[str] = []
    params: list[object] = []
    if measure_id is not None:
        terms.append("measure = ?")
        params.append(measure_id)
    if session_id is not None:
        terms.append("session_id = ?")
        params.append(session_id)
    if since is not None:
        terms.append("julianday(taken_at) >= julianday(?)")
        params.append(_iso(since))
    if until is not None:
        terms.append("julianday(taken_at) <= julianday(?)")
        params.append(_iso(until))
    return (" WHERE " + " AND ".join(terms) if terms else ""), tuple(params)


def _check_ins(rows: Iterable[_Row]) -> list[CheckIn]:
    """Rows of :data:`_SELECT` as check-ins. Answers repeat a lot (a daily mood has eleven
    possible), so each distinct JSON text is parsed once."""
    parsed: dict[str, tuple[int, ...]] = {}
    found = []
    for (id_, uid, measure, version, answers, taken_at, session_id, note,
         created_at) in rows:
        values = parsed.get(answers)
        if values is None:
            values = parsed[answers] = tuple(int(v) for v in json.loads(answers))
        found.append(CheckIn(
            measure_id=measure, measure_version=version, answers=values,
            taken_at=dt.datetime.fromisoformat(taken_at), session_id=session_id,
            note=note, id=id_, uid=uid, created_at=dt.datetime.fromisoformat(created_at)))
    return found


class CheckInRepository:
    """Add, list, get and delete check-ins. ``measures`` defaults to the bundled
    definitions, loaded on first use."""

    def __init__(self, db: Database, *, measures: Mapping[str, Measure] | None = None) -> None:
        self.db = db
        self._measures = measures

    @property
    def measures(self) -> Mapping[str, Measure]:
        if self._measures is None:
            self._measures = load_measures()
        return self._measures

    def add(self, check_in: CheckIn) -> CheckIn:
        """Store a check-in; returns it with ``id`` and ``uid``. Raises
        IncompleteAnswersError (nothing stored) unless the answers are complete, and
        UnknownMeasureError for a measure that isn't defined."""
        measure = self.measures.get(check_in.measure_id)
        if measure is None:
            raise UnknownMeasureError(check_in.measure_id)
        answers = measure.validate(check_in.answers)
        with self.db.session() as s, s.begin():
            row = CheckInRow(
                uid=check_in.uid or uuid.uuid4().hex,
                measure=check_in.measure_id,
                measure_version=check_in.measure_version,
                answers=json.dumps(list(answers)),
                taken_at=_iso(check_in.taken_at),
                session_id=check_in.session_id,
                note=check_in.note,
                created_at=_iso(check_in.created_at),
            )
            s.add(row)
            s.flush()
            result = _check_in(row)
        return result

    def get(self, check_in_id: int) -> CheckIn | None:
        with self.db.session() as s:
            row = s.get(CheckInRow, check_in_id)
            return _check_in(row) if row else None

    def find_by_uid(self, uid: str) -> CheckIn | None:
        with self.db.session() as s:
            row = s.scalar(select(CheckInRow).where(CheckInRow.uid == uid))
            return _check_in(row) if row else None

    def list(self, measure_id: str | None = None, *, session_id: int | None = None,
             since: dt.datetime | None = None, until: dt.datetime | None = None,
             ) -> list[CheckIn]:
        """Check-ins oldest first (by when they were taken), optionally of one measure, one
        treatment session, or taken within [since, until]. Plain SQL: a long journal has
        tens of thousands (the ORM took a second for 35,000)."""
        where, params = _where(measure_id, session_id, since, until)
        return _check_ins(self.db.conn.execute(
            f"{_SELECT}{where} ORDER BY julianday(taken_at), id", params))

    def notes(self) -> dict[int, str]:
        """The notes written with check-ins, by check-in id (those without one left out)."""
        return dict(self.db.conn.execute("SELECT id, note FROM check_ins WHERE note != ''"))

    def counts(self) -> dict[str, int]:
        """How many check-ins each measure has (measures without any are left out)."""
        return dict(self.db.conn.execute(
            "SELECT measure, count(*) FROM check_ins GROUP BY measure"))

    def latest(self, measure_id: str | None = None) -> CheckIn | None:
        """The check-in taken last (of one measure, if given), or None: what
        ``list()[-1]`` gives, without reading every check-in."""
        where, params = _where(measure_id, None, None, None)
        found = _check_ins(self.db.conn.execute(
            f"{_SELECT}{where} ORDER BY julianday(taken_at) DESC, id DESC LIMIT 1", params))
        return found[0] if found else None

    def count(self, measure_id: str | None = None) -> int:
        query = select(func.count()).select_from(CheckInRow)
        if measure_id is not None:
            query = query.where(CheckInRow.measure == measure_id)
        with self.db.session() as s:
            return s.scalar(query) or 0

    def delete(self, check_in_id: int) -> bool:
        """Delete one check-in; False if there was none with that id."""
        with self.db.session() as s, s.begin():
            # A DELETE runs to a CursorResult, which Session.execute's typing doesn't say.
            result = cast("CursorResult[Any]",
                          s.execute(delete(CheckInRow).where(CheckInRow.id == check_in_id)))
        return bool(result.rowcount)
