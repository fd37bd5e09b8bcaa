"""What the Today page reads at unlock in plain SQL (storage/session_reads.py) equals the
ORM reads: the recent end of the course (sessions, places, steps; what is waiting worked
out from it is what the whole course gives), whether there are entries, the open
practices."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.domain.entities import Entry, EntryKind, Modality, Setting, TreatmentSession
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.domain.timeline import StepStatus, default_schedule, due_items
from journal_app.domain.today import recent_sessions, recent_since
from journal_app.storage.care import PracticeRepository, TimelineRepository
from journal_app.storage.database import Database
from journal_app.storage.repository import JournalRepository
from journal_app.storage.session_reads import has_entries, open_practices, recent_course

NOW = dt.datetime(2026, 3, 12, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
ZONES = [dt.timezone(dt.timedelta(hours=h, minutes=m))
         for h, m in ((0, 0), (1, 0), (-5, 0), (5, 30), (-9, 30), (14, 0), (-12, 0))]
STEPS = default_schedule().ids


@pytest.fixture(scope="module")
def db():
    database = Database()
    database.migrate()
    yield database
    database.close()


def fill(db: Database, starts: list[tuple[int, int]], stored: list[tuple[int, int, int]]):
    """A course in a fresh database: sessions at (minutes from NOW, zone index), steps
    stored as (session index, step index, status index); returns the repositories."""
    db.conn.execute("DELETE FROM timeline_steps")
    db.conn.execute("DELETE FROM sessions")
    repo, steps = JournalRepository(db), TimelineRepository(db)
    ids = []
    for number, (minutes, zone) in enumerate(starts, start=1):
        moment = (NOW + dt.timedelta(minutes=minutes)).astimezone(ZONES[zone])
        ids.append(repo.add_session(TreatmentSession(
            starts_at=moment, number=number if number % 3 else None,
            modality=Modality.IM_INJECTION if number % 2 else Modality.IV_INFUSION,
            setting=Setting.HOME if number % 4 == 0 else Setting.CLINIC,
            provider=f"Clinic {number}", notes="")).id)
    statuses = (StepStatus.IN_PROGRESS, StepStatus.DONE, StepStatus.SKIPPED)
    for index, step, status in stored:
        if ids:
            steps.set_status(ids[index % len(ids)], STEPS[step], statuses[status])
    return repo, steps


minutes = st.one_of(st.integers(-60 * 24 * 60, 30 * 24 * 60),
                    st.integers(-23 * 24 * 60, -19 * 24 * 60),
                    st.integers(-4 * 365 * 24 * 60, 365 * 24 * 60))
starts = st.lists(st.tuples(minutes, st.integers(0, len(ZONES) - 1)), max_size=12)
stored = st.lists(st.tuples(st.integers(0, 11), st.integers(0, len(STEPS) - 1),
                            st.integers(0, 2)), max_size=10)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(starts, stored)
def test_the_whole_course_read_in_plain_sql_equals_the_orm_reads(db, starts, stored):
    repo, steps = fill(db, starts, stored)
    course = recent_course(db.conn, None)
    everything = repo.list_sessions()
    assert list(course.sessions) == everything
    assert course.records == steps.all_step_records()
    assert course.total == len(everything)
    assert [course.position(s.id) for s in everything] == list(range(1, len(everything) + 1))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(starts, stored, st.integers(-3 * 24 * 60, 3 * 24 * 60))
def test_the_recent_end_gives_what_the_whole_course_gives(db, starts, stored, later):
    repo, steps = fill(db, starts, stored)
    now = NOW + dt.timedelta(minutes=later)
    course = recent_course(db.conn, recent_since(now))
    everything, records = repo.list_sessions(), steps.all_step_records()
    assert list(course.sessions) == everything[len(everything) - len(course.sessions):], \
        "the end of the course, in its order"
    assert recent_sessions(course.sessions, now) == recent_sessions(everything, now)
    assert due_items(course.sessions, course.records, now) == due_items(everything, records, now)
    assert {s.id: course.position(s.id) for s in course.sessions} == {
        s.id: place for place, s in enumerate(everything, start=1) if s in course.sessions}
    assert course.total == len(everything)
    assert all(records.get(s.id, {}) == course.records.get(s.id, {}) for s in course.sessions)


def test_only_the_recent_sessions_are_read(db):
    """A long course: the read holds the last few weeks, not every session."""
    weekly = [(-7 * 24 * 60 * week, 1) for week in range(200)]
    fill(db, weekly, [])
    course = recent_course(db.conn, recent_since(NOW))
    assert course.total == 200
    assert 3 <= len(course.sessions) <= 6
    assert [course.position(s.id) for s in course.sessions] == list(
        range(201 - len(course.sessions), 201))


def test_entries_and_open_practices_read_in_plain_sql_equal_the_orm_reads(db):
    repo, _steps = fill(db, [(-3 * 24 * 60, 1)], [])
    db.conn.execute("DELETE FROM practices")
    db.conn.execute("DELETE FROM entries")
    practices = PracticeRepository(db)
    assert not has_entries(db.conn) and repo.count_entries() == 0
    assert open_practices(db.conn) == practices.list_practices(open_only=True) == []
    session = repo.list_sessions()[0]
    domains = list(PracticeDomain)
    outcomes = [None, PracticeOutcome.NOT_YET, PracticeOutcome.DONE, PracticeOutcome.PARTLY]
    for index in range(12):
        chosen = (NOW - dt.timedelta(days=index % 5, hours=index)).astimezone(
            ZONES[index % len(ZONES)])
        outcome = outcomes[index % 4]
        practices.add_practice(Practice(
            domain=domains[index % len(domains)], description=f"Practice {index}",
            session_id=session.id if index % 2 else None, chosen_at=chosen, outcome=outcome,
            outcome_note="note" if outcome else "",
            outcome_at=chosen + dt.timedelta(days=1) if outcome else None))
    repo.add_entry(Entry(kind=EntryKind.FREE, title="", body="Words"))
    assert has_entries(db.conn) and repo.count_entries() == 1
    found = open_practices(db.conn)
    assert found == practices.list_practices(open_only=True)
    assert len(found) == 6 and {p.outcome for p in found} == {None, PracticeOutcome.NOT_YET}
