"""The plain-sqlite3 reader gives exactly what the ORM repositories give, so the command
line's ``list``/``show``/``search`` (which use it) show the same journal as the GUI."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.storage import reader
from journal_app.storage.care import PracticeRepository
from journal_app.storage.database import Database
from journal_app.storage.repository import JournalRepository

TZ = dt.timezone(dt.timedelta(hours=-5))


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2025, 4, day, hour, 30, tzinfo=TZ)


@pytest.fixture
def db():
    db = Database()
    db.migrate()
    yield db
    db.close()


@pytest.fixture
def journal(db):
    repo = JournalRepository(db)
    session = repo.add_session(TreatmentSession(starts_at=at(1), number=1))
    repo.add_entry(Entry(kind=EntryKind.FREE, title="Plain", body="Just words.",
                         created_at=at(2), updated_at=at(3)))
    repo.add_entry(Entry(kind=EntryKind.INTEGRATION, title="", body="# Héllo\nwith ünïcode",
                         tags=("zebra", "Élan", "apple", "ocean swim", "日記"), private=True,
                         created_at=at(4, 22), updated_at=at(4, 23), session_id=session.id))
    repo.add_entry(Entry(kind=EntryKind.FREE, title="Same moment", body="tie on time",
                         created_at=at(2), updated_at=at(2)))
    practices = PracticeRepository(db)
    practices.add_practice(Practice(PracticeDomain.BODY, "Stretch", session_id=session.id,
                                    chosen_at=at(5)))
    done = practices.add_practice(Practice(PracticeDomain.NATURE, "Walk", chosen_at=at(3)))
    practices.update_practice(done.with_outcome(PracticeOutcome.PARTLY, "twice", at(6)))
    return repo, practices


def test_entries_are_the_repository_entries_newest_first(db, journal):
    repo, _ = journal
    assert reader.list_entries(db.conn) == repo.list_entries()
    tagged = next(e for e in reader.list_entries(db.conn) if e.tags)
    assert tagged.tags == ("apple", "ocean swim", "zebra", "élan", "日記")  # by name
    assert tagged.private is True


def test_one_entry_and_entries_by_id(db, journal):
    repo, _ = journal
    for entry in repo.list_entries():
        assert reader.get_entry(db.conn, entry.id) == entry
    assert reader.get_entry(db.conn, 999) is None
    ids = [e.id for e in repo.list_entries()]
    assert reader.entries_by_id(db.conn, [*ids, 999]) == {i: repo.get_entry(i) for i in ids}


def test_practices_are_the_repository_practices(db, journal):
    _, practices = journal
    assert reader.practices(db.conn) == sorted(practices.list_practices(),
                                               key=lambda p: p.id)


def test_counts(db, journal):
    assert reader.count_entries(db.conn) == 3
    assert reader.count_sessions(db.conn) == 1
