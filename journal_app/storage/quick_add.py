"""Adding one entry with plain sqlite3, for the command line's ``add``.

``JournalRepository.add_entry`` goes through SQLAlchemy's ORM, whose import (~250-300 ms)
and teardown cost more than everything else ``add`` does. :func:`add_entry` writes the
same rows on the vault's own connection (``Database.conn``), in one transaction, in the
order the ORM's flush writes them: the tags looked up (and made where missing) in the
order given, the entry, then its ``entry_tags`` rows; the full-text index follows by
itself (triggers, migration 0004).
Values are the repository's: the uid a new random hex uuid, times ISO-8601 to the second,
tag names as ``storage.tags.stored_name`` gives them. tests/unit/test_quick_add.py adds the
same entries both ways and compares every row of every table they touch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import uuid

from journal_app.domain.entities import Entry, normalize_tag
from journal_app.storage.database import Database

__all__ = ["add_entry", "stored_name"]


def stored_name(raw: str) -> str:
    """``storage.tags.stored_name`` without its SQLAlchemy import: ``normalize_tag``
    applied until it stops changing ("" means no tag). tests/unit/test_quick_add.py
    checks the two agree."""
    name = normalize_tag(raw)
    while (again := normalize_tag(name)) != name:
        name = again
    return name


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")  # as the repository stores times


def _tag_ids(conn: sqlite3.Connection, names: list[str]) -> list[int]:
    ids = []
    for name in names:
        row = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
        if row is None:
            made = conn.execute("INSERT INTO tags (name) VALUES (?)", (name,)).lastrowid
            assert made is not None
            ids.append(made)
        else:
            ids.append(row[0])
    return ids


def add_entry(db: Database, entry: Entry) -> Entry:
    """Store ``entry`` as ``JournalRepository.add_entry`` does; returns it as stored (id,
    uid, tags as stored, times to the second)."""
    conn = db.conn
    uid = entry.uid or uuid.uuid4().hex
    names = list(dict.fromkeys(n for n in map(stored_name, entry.tags) if n))
    created, updated = _iso(entry.created_at), _iso(entry.updated_at)
    conn.execute("BEGIN")
    try:
        tag_ids = _tag_ids(conn, names)
        entry_id = conn.execute(
            "INSERT INTO entries (uid, kind, title, body, private, created_at, updated_at, "
            "session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (uid, entry.kind.value, entry.title, entry.body, int(entry.private), created,
             updated, entry.session_id)).lastrowid
        assert entry_id is not None
        conn.executemany("INSERT INTO entry_tags (entry_id, tag_id) VALUES (?, ?)",
                         [(entry_id, tag_id) for tag_id in tag_ids])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    db.notify_changes()  # as the ORM's commit does: listeners learn the journal changed
    return dataclasses.replace(entry, id=entry_id, uid=uid, tags=tuple(names),
                               created_at=dt.datetime.fromisoformat(created),
                               updated_at=dt.datetime.fromisoformat(updated))
