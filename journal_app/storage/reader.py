"""Reading entries and practices with plain sqlite3, as domain objects.

The repositories (repository.py, care.py) go through SQLAlchemy's ORM, which costs most of
a second to import. Reads that only need rows use this module instead, on the vault's own
connection (``Database.conn``): the search engine (search.py, behind both the GUI's search
page and the command line's ``search``) and the command line's ``list``, ``show`` and
``verify``. It builds the same ``Entry`` and ``Practice`` objects as the repositories'
conversions (tests/unit/test_reader.py compares them), and never writes.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from journal_app.domain.entities import Entry, EntryKind

if TYPE_CHECKING:  # imported by practices(): list and show need none of its imports
    from journal_app.domain.practices import Practice

__all__ = ["count_entries", "count_sessions", "entries_by_id", "get_entry", "list_entries",
           "practices"]

# Tags come as a JSON array from a subquery (one statement for entries and their tags); the
# names are sorted in Python, as the ORM's relationship orders them (by name: SQLite's
# binary collation is the code point order Python sorts by).
_ENTRY = ("SELECT e.id, e.uid, e.kind, e.title, e.body, e.private, e.created_at, "
          "e.updated_at, e.session_id, (SELECT json_group_array(t.name) FROM entry_tags AS et "
          "JOIN tags AS t ON t.id = et.tag_id WHERE et.entry_id = e.id) FROM entries AS e")
_NEWEST_FIRST = " ORDER BY julianday(e.created_at) DESC, e.id DESC"
_PRACTICE = ("SELECT id, uid, session_id, domain, description, chosen_at, outcome, "
             "outcome_note, outcome_at FROM practices")
_CHUNK = 500  # ids per statement: well under SQLite's parameter limit


def _entry(row: tuple[Any, ...]) -> Entry:
    entry_id, uid, kind, title, body, private, created, updated, session_id, tags = row
    return Entry(
        kind=EntryKind(kind),
        title=title,
        body=body,
        tags=tuple(sorted(json.loads(tags))),
        private=bool(private),
        created_at=dt.datetime.fromisoformat(created),
        updated_at=dt.datetime.fromisoformat(updated),
        session_id=session_id,
        id=entry_id,
        uid=uid,
    )


def _practice(row: tuple[Any, ...]) -> Practice:
    from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome

    practice_id, uid, session_id, domain, description, chosen, outcome, note, outcome_at = row
    return Practice(
        domain=PracticeDomain(domain),
        description=description,
        session_id=session_id,
        chosen_at=dt.datetime.fromisoformat(chosen),
        outcome=PracticeOutcome(outcome) if outcome else None,
        outcome_note=note,
        outcome_at=dt.datetime.fromisoformat(outcome_at) if outcome_at else None,
        id=practice_id,
        uid=uid,
    )


def list_entries(conn: sqlite3.Connection) -> list[Entry]:
    """Every entry, newest first (as ``JournalRepository.list_entries()``)."""
    return [_entry(row) for row in conn.execute(_ENTRY + _NEWEST_FIRST)]


def get_entry(conn: sqlite3.Connection, entry_id: int) -> Entry | None:
    row = conn.execute(_ENTRY + " WHERE e.id = ?", (entry_id,)).fetchone()
    return _entry(row) if row else None


def entries_by_id(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Entry]:
    """The entries with these ids (those that exist), by id."""
    wanted = list(dict.fromkeys(ids))
    found: dict[int, Entry] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))  # placeholders only: the ids are parameters
        for row in conn.execute(f"{_ENTRY} WHERE e.id IN ({marks})", chunk):
            found[row[0]] = _entry(row)
    return found


def practices(conn: sqlite3.Connection) -> list[Practice]:
    """Every practice, in the order they were stored."""
    return [_practice(row) for row in conn.execute(_PRACTICE + " ORDER BY id")]


def count_entries(conn: sqlite3.Connection) -> int:
    return _count(conn, "SELECT count(*) FROM entries")


def count_sessions(conn: sqlite3.Connection) -> int:
    return _count(conn, "SELECT count(*) FROM sessions")


def _count(conn: sqlite3.Connection, query: str) -> int:
    row: tuple[int] = conn.execute(query).fetchone()  # count(*): always one integer row
    return row[0]
