"""The check-ins read by plain SQL are exactly what the ORM read gave: the same check-ins,
values and order, for every filter the page and the export use, on a varied journal (time
zones, sessions, notes, ties in time, every measure)."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from sqlalchemy import func, select

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import CheckIn, load_measures
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.database import Database
from journal_app.storage.repository import JournalRepository
from journal_app.storage.tables import CheckInRow

MEASURES = load_measures()
ZONES = [dt.timezone(dt.timedelta(hours=h)) for h in (-7, 0, 2, 5.5, 13)]


def _orm_list(db: Database, measure_id=None, session_id=None, since=None, until=None):
    """The ORM read the repository used before (kept here as the reference)."""
    def iso(value: dt.datetime) -> str:
        return value.isoformat(timespec="seconds")

    query = select(CheckInRow).order_by(func.julianday(CheckInRow.taken_at), CheckInRow.id)
    if measure_id is not None:
        query = query.where(CheckInRow.measure == measure_id)
    if session_id is not None:
        query = query.where(CheckInRow.session_id == session_id)
    if since is not None:
        query = query.where(func.julianday(CheckInRow.taken_at) >= func.julianday(iso(since)))
    if until is not None:
        query = query.where(func.julianday(CheckInRow.taken_at) <= func.julianday(iso(until)))
    with db.session() as s:
        return [CheckIn(measure_id=r.measure, measure_version=r.measure_version,
                        answers=tuple(int(v) for v in json.loads(r.answers)),
                        taken_at=dt.datetime.fromisoformat(r.taken_at),
                        session_id=r.session_id, note=r.note, id=r.id, uid=r.uid,
                        created_at=dt.datetime.fromisoformat(r.created_at))
                for r in s.scalars(query)]


@pytest.fixture
def varied():
    db = Database()
    db.migrate()
    rng = random.Random(19)
    journal = JournalRepository(db)
    start = dt.datetime(2025, 1, 1, 9, tzinfo=ZONES[2])
    sessions = [journal.add_session(TreatmentSession(starts_at=start + dt.timedelta(days=9 * i),
                                                     number=i + 1)) for i in range(6)]
    repo = CheckInRepository(db)
    measures = list(MEASURES.values())
    for i in range(400):
        measure = rng.choice(measures)
        answers = _answers(measure, rng)
        when = (start + dt.timedelta(hours=rng.randint(0, 24 * 60))).astimezone(
            rng.choice(ZONES))
        if i % 37 == 0:  # the same moment twice: the id decides
            when = start.astimezone(ZONES[i % len(ZONES)])
        session = rng.choice([None, None, *sessions])
        repo.add(measure.new_check_in(answers, taken_at=when,
                                      session_id=session.id if session else None,
                                      note=rng.choice(["", "", "tired", "après la séance"])))
    yield db, sessions
    db.close()


def _answers(measure, rng):
    values = []
    for item in measure.items:
        low, high = item.scale.minimum, item.scale.maximum
        values.append(rng.randint(low, high))
    return values


def test_every_filter_reads_what_the_orm_read(varied):
    db, sessions = varied
    repo = CheckInRepository(db)
    middle = dt.datetime(2025, 1, 20, 12, tzinfo=ZONES[0])
    later = dt.datetime(2025, 2, 10, tzinfo=ZONES[4])
    cases = [{}, {"measure_id": "mood"}, {"measure_id": "phq9"}, {"measure_id": "none"},
             {"session_id": sessions[2].id}, {"since": middle}, {"until": middle},
             {"since": middle, "until": later, "measure_id": "gad7"}]
    for case in cases:
        plain = repo.list(**case)
        assert plain == _orm_list(db, **case), case
        assert [c.taken_at.utcoffset() for c in plain] == \
            [c.taken_at.utcoffset() for c in _orm_list(db, **case)]
    assert len(repo.list()) == 400
    for measure_id in [*MEASURES, None]:
        assert repo.latest(measure_id) == (_orm_list(db, measure_id) or [None])[-1]
    assert repo.counts() == {m: len(_orm_list(db, m)) for m in MEASURES
                             if _orm_list(db, m)}
    assert repo.notes() == {c.id: c.note for c in _orm_list(db) if c.note}
    assert len(repo.notes()) > 100
