"""quick_add.add_entry (plain sqlite3, the command line's ``add``) writes exactly the rows
``JournalRepository.add_entry`` (the ORM) writes: the same entries added both ways to two
journals leave every table they touch the same, the search index included."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.search import SearchFilters, SearchOrder
from journal_app.storage import quick_add, tags
from journal_app.storage.database import Database
from journal_app.storage.repository import JournalRepository
from journal_app.storage.search import SearchService

TZ = dt.timezone(dt.timedelta(hours=5, minutes=30))
ENTRY_KINDS = frozenset(k.value for k in EntryKind)

#: Every table an add touches, with the columns compared (uid apart: it is random).
TABLES = {
    "entries": "rowid, id, kind, title, body, private, created_at, updated_at, session_id",
    "tags": "rowid, id, name",
    "entry_tags": "rowid, entry_id, tag_id",
    "entries_fts": "rowid, title, body, tags",
    "search_entry_tags": "*", "entries_fts_docsize": "*", "entries_fts_data": "*",
    "entries_fts_idx": "*", "entries_fts_config": "*",
}


def _entries() -> list[Entry]:
    return [
        Entry(kind=EntryKind.FREE, title="Plain", body="Just words."),
        Entry(kind=EntryKind.INTEGRATION, title="", body="# Héllo\nwith ünïcode 日記",
              tags=("#Zebra", "  Two   Spaces ", "zebra", "# #a", "#", "", "walk",
                    "x" * 70 + " y", "Élan"), private=True,
              created_at=dt.datetime(2025, 4, 2, 22, 15, 30, 123456, tzinfo=TZ),
              updated_at=dt.datetime(2025, 4, 3, 7, 0, tzinfo=dt.UTC)),
        # A prompt flow's lines are left out of the index (search.indexed_body).
        Entry(kind=EntryKind.PREPARATION, title="Before",
              body="## What do you hope for?\nTo rest.\n- [ ] Sad\n- [x] Calm\nEnergy: 3 / 10",
              tags=("walk", "new one")),
        Entry(kind=EntryKind.QUICK_CAPTURE, title="", body="a note", tags=("quick capture",),
              uid="0123456789abcdef0123456789abcdef"),
        Entry(kind=EntryKind.CHECK_IN, title="Linked", body="to a session", session_id=1,
              created_at=dt.datetime(2025, 1, 1, 0, 0, tzinfo=dt.timezone(-dt.timedelta(
                  hours=8)))),
    ]


@pytest.fixture
def journals():
    """Two journals alike before the adds: a session and an entry with tags."""
    made = []
    for _ in range(2):
        db = Database()
        db.migrate()
        repo = JournalRepository(db)
        repo.add_session(TreatmentSession(starts_at=dt.datetime(2025, 1, 1, tzinfo=TZ),
                                          created_at=dt.datetime(2025, 1, 1, tzinfo=TZ),
                                          updated_at=dt.datetime(2025, 1, 1, tzinfo=TZ),
                                          uid="s" * 32))
        repo.add_entry(Entry(kind=EntryKind.FREE, title="Earlier", body="from before",
                             tags=("walk", "old"), uid="e" * 32,
                             created_at=dt.datetime(2024, 12, 1, tzinfo=TZ),
                             updated_at=dt.datetime(2024, 12, 1, tzinfo=TZ)))
        made.append(db)
    yield made
    for db in made:
        db.close()


def _rows(db: Database) -> dict[str, list[tuple]]:
    return {table: db.conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1").fetchall()
            for table, columns in TABLES.items()}


def _found(db: Database, query: str) -> list[tuple[int | None, str]]:
    results = SearchService(db).search(query, SearchFilters(kinds=ENTRY_KINDS),
                                       SearchOrder.RELEVANCE, 50)
    return [(r.entry.id if r.entry else None, r.snippet) for r in results]


def test_plain_and_orm_adds_write_the_same_rows(journals):
    orm_db, plain_db = journals
    repo = JournalRepository(orm_db)
    for entry in _entries():
        by_orm = repo.add_entry(entry)
        by_plain = quick_add.add_entry(plain_db, entry)
        assert by_plain == dataclasses.replace(by_orm, uid=by_plain.uid)
        assert by_plain.uid == (entry.uid or by_plain.uid)
    assert _rows(plain_db) == _rows(orm_db)
    for db in journals:
        uids = [row[0] for row in db.conn.execute("SELECT uid FROM entries")]
        assert all(re.fullmatch("[0-9a-f]{32}", uid) for uid in uids)
        assert len(set(uids)) == len(uids)
    times = [row[0] for row in plain_db.conn.execute("SELECT created_at FROM entries")]
    assert "2025-04-02T22:15:30+05:30" in times  # to the second, with its offset
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", t) for t in times)
    for query in ("walk", "hello", "rest", "hope", "sad", "zebra", "two spaces", "日記",
                  "note", "élan"):
        assert _found(plain_db, query) == _found(orm_db, query), query
    assert _found(plain_db, "calm") and not _found(plain_db, "sad")  # unticked: left out


def test_a_failed_plain_add_leaves_nothing(journals):
    _, db = journals
    before = _rows(db)
    with pytest.raises(Exception, match="FOREIGN KEY"):  # no session 99
        quick_add.add_entry(db, Entry(kind=EntryKind.FREE, title="x", body="y",
                                      tags=("brand new",), session_id=99))
    assert _rows(db) == before
    assert not db.conn.in_transaction


def test_plain_add_tells_the_change_listeners(journals):
    _, db = journals
    told: list[int] = []
    db.add_change_listener(lambda: told.append(db.changes))
    quick_add.add_entry(db, Entry(kind=EntryKind.FREE, title="x", body="y"))
    assert len(told) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.text(alphabet="# \t\u3000aB\u00c9", max_size=80))
def test_stored_names_are_the_repositorys(raw):
    assert quick_add.stored_name(raw) == tags.stored_name(raw)
