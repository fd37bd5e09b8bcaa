"""Reading entries and practices with plain sqlite3, as domain objects.

The repositories (repository.py, care.py) go through SQLAlchemy's ORM, which costs most of
a second to import. Reads that only need rows use this module instead, on the vault's own
connection (``Database.conn``): the search engine (search.py, behind both the GUI's search
page and the command line's ``search``) and the command line's ``list``, ``show`` and
``verify``. It builds the same ``Entry`` and ``Practice`` objects as the repositories'
conversions (tests/unit/test_reader.py compares them), and never writes.

:func:`list_lines` is what ``list`` shows of every entry, without building whole entries:
a body is read only as far as its display title needs.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from journal_app.domain.entities import Entry, EntryKind, aware, display_title_of, normalize_tags

if TYPE_CHECKING:  # imported by practices(): list and show need none of its imports
    from journal_app.domain.practices import Practice

__all__ = ["EntryLine", "count_entries", "count_sessions", "entries_by_id", "get_entry",
           "list_entries", "list_lines", "practices"]

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
#: How much of a body ``list_lines`` reads for an untitled entry's display title; the
#: rest only when its first line with words doesn't end inside it (rare).
_BODY_START = 256
_LINES = ("SELECT e.id, e.kind, e.title, CASE WHEN trim(e.title) = '' THEN "
          "substr(e.body, 1, ?) END, e.private, e.created_at, (SELECT json_group_array(t.name) "
          "FROM entry_tags AS et JOIN tags AS t ON t.id = et.tag_id WHERE et.entry_id = e.id) "
          "FROM entries AS e ORDER BY julianday(e.created_at) DESC, e.id DESC")
_KINDS = {kind.value: kind for kind in EntryKind}
_TITLE_CHARS = 80  # of a body's first line, as display_title_of keeps


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


class EntryLine(NamedTuple):
    """What ``list`` shows of an entry: the fields of ``Entry`` it prints, the body only
    as its display title. The same values as the entry's (tests/unit/test_reader.py)."""

    id: int
    kind: EntryKind
    display_title: str
    private: bool
    created_at: dt.datetime
    tags: tuple[str, ...]


def list_lines(conn: sqlite3.Connection) -> list[EntryLine]:
    """Every entry, newest first (the order of :func:`list_entries`), as an EntryLine."""
    tag_sets: dict[str, tuple[str, ...]] = {}  # the same few sets of tags come again and again

    def tags_of(names: str) -> tuple[str, ...]:
        found = tag_sets.get(names)
        if found is None:
            found = tag_sets[names] = normalize_tags(sorted(json.loads(names)))
        return found

    return [EntryLine(entry_id, _KINDS.get(kind) or EntryKind(kind),
                      _display_title(conn, entry_id, title, body_start), bool(private),
                      aware(dt.datetime.fromisoformat(created)), tags_of(tags))
            for entry_id, kind, title, body_start, private, created, tags
            in conn.execute(_LINES, (_BODY_START,))]


def _display_title(conn: sqlite3.Connection, entry_id: int, title: str,
                   body_start: str | None) -> str:
    """``display_title_of(title, body)`` from the start of the body the query read (None
    when the title has words to SQL's ``trim``), reading the whole body only when that
    start can't decide it."""
    if title.strip():
        return display_title_of(title, "")
    if body_start is not None:
        if len(body_start) < _BODY_START:  # the whole body
            return display_title_of(title, body_start)
        decided = _title_from_start(body_start)
        if decided is not None:
            return decided
    row = conn.execute("SELECT body FROM entries WHERE id = ?", (entry_id,)).fetchone()
    return display_title_of(title, row[0])


def _title_from_start(start: str) -> str | None:
    """The display title of an untitled body that begins with ``start`` (see
    ``display_title_of``: its first line with words, without "#" and space around, at most
    80 characters), or None if the rest of the body could change it."""
    lines = start.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if index < len(lines) - 1 or line != line.splitlines()[0]:
            return display_title_of("", start)  # that line ends inside ``start``
        # The line goes on past ``start``. Its first 80 characters (after the "#" and
        # space before them) are known once a character other than space or "#" stands
        # at or after the 80th: the strip at the line's end can't reach before it.
        words = line.lstrip("# ").lstrip()
        if any(not (c == "#" or c.isspace()) for c in words[_TITLE_CHARS - 1:]):
            return words[:_TITLE_CHARS]
        return None
    return None


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
