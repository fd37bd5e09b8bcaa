"""Which rows changed since the last save, and putting them back at open (change records,
:mod:`changelog`).

Capture: TEMP triggers (they live on the connection, never in the image) on every table
the user's writes reach note ``(table, rowid)`` in a TEMP table. Left out: ``sqlite_*``,
FTS5 shadow tables, and *derived* tables, the ones some trigger of the schema writes (the
search index and what its triggers keep): replaying the tables they derive from fires
those triggers again, which rebuilds them. A contentful FTS5 table that the app writes
itself (schema 0003's ``entries_fts``) is captured through its ``_content`` table and
replayed as the FTS rows. At save the owner thread reads the noted rows as they are now
(a row gone is a delete) into a payload, in the order they were first changed.

Replay, in one transaction with foreign keys off (each row is set to its state at the save,
so a cascade must not touch rows the record doesn't hold): a row that exists is UPDATEd,
one that doesn't is INSERTed with its rowid, a deleted one DELETEd, so the schema's own
triggers (the search index) see an ordinary update, insert or delete. Never ``INSERT OR
REPLACE``: it would skip delete triggers. A row that briefly collides with a unique key is
retried once the others are in.

The payload is JSON: ``{"c": {table: [column, ...]}, "o": [[table, rowid, values|null]],
"r": 0|1}``, a BLOB value written as ``[base64]``; ``r`` is 1 when a row was changed or
removed, not only added (then closing compacts, so the old text leaves the file).
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from journal_app.errors import TamperedFileError

__all__ = ["Capture", "replay"]

_LOG_NAME = "ij_changed"  # a TEMP table: triggers name it unqualified
_PENDING = "SELECT count(*) FROM temp.ij_changed"
_NOTED = "SELECT tbl, rid, max(ev) FROM temp.ij_changed GROUP BY tbl, rid ORDER BY min(seq)"
_FORGET = "DELETE FROM temp.ij_changed"
_UNNOTABLE = "SELECT 1 FROM temp.ij_changed WHERE tbl = '' LIMIT 1"
_SHADOW = ("_data", "_idx", "_content", "_docsize", "_config")
_WRITES = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+(?:main\.)?[\"'`\[]?(\w+)", re.IGNORECASE)


_BEGIN = re.compile(r"\bBEGIN\b", re.IGNORECASE)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA main.schema_version").fetchone()[0]
    return version


def _plan(conn: sqlite3.Connection) -> tuple[dict[str, str], bool]:
    """Captured tables -> the table whose rows they note (itself, for an FTS ``_content``
    table the FTS table, "" for a table without rowid); always supported now."""
    rows = conn.execute("SELECT type, name, sql FROM main.sqlite_master "
                        "WHERE type IN ('table', 'trigger')").fetchall()
    tables = {name: sql or "" for kind, name, sql in rows if kind == "table"}
    derived = {m.group(1).lower() for kind, _n, sql in rows if kind == "trigger"
               for m in _WRITES.finditer(_BEGIN.split(sql or "", maxsplit=1)[-1])}
    fts = {name for name, sql in tables.items()
           if re.match(r"\s*CREATE\s+VIRTUAL\s+TABLE", sql, re.IGNORECASE)}
    shadow = {f + s for f in fts for s in _SHADOW}
    plan: dict[str, str] = {}
    for name, sql in tables.items():
        if name.startswith("sqlite_") or name in fts or name.lower() in derived:
            continue
        if name in shadow:
            owner = name[: -len("_content")] if name.endswith("_content") else ""
            if owner in fts and owner.lower() not in derived:
                plan[name] = owner
            continue
        # A table without rowid can't be noted by rowid: a change to it asks for a whole
        # image (noted as table "").
        plan[name] = "" if re.search(r"WITHOUT\s+ROWID\s*$", sql, re.IGNORECASE) else name
    return plan, True


class Capture:
    """The change capture of one open database (owner thread only)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.plan, self.supported = _plan(conn)
        self.schema = schema_version(conn)
        self._columns: dict[str, list[str]] = {}
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_LOG_NAME} (seq INTEGER "
                     "PRIMARY KEY, tbl TEXT NOT NULL, rid INTEGER NOT NULL, ev INTEGER)")
        if not self.supported:
            return
        for table, noted in self.plan.items():
            key = "id" if table != noted else "rowid"  # an FTS _content row's id is its rowid
            t = _lit(noted)
            new, old = ("0", "0") if not noted else (f"new.{key}", f"old.{key}")
            self._trigger(table, "INSERT", f"SELECT {t}, {new}, 0")
            self._trigger(table, "DELETE", f"SELECT {t}, {old}, 1")
            self._trigger(table, "UPDATE", f"SELECT {t}, {old}, 1 UNION SELECT {t}, {new}, 1")

    def _trigger(self, table: str, event: str, select: str) -> None:
        name = _q(f"ij_capture_{table}_{event.lower()}")
        self.conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER {event} ON main."
                          f"{_q(table)} BEGIN INSERT INTO {_LOG_NAME}(tbl, rid, ev) {select}; END")

    @property
    def schema_changed(self) -> bool:
        return schema_version(self.conn) != self.schema

    def pending(self) -> int:
        """How many row changes were noted since the last :meth:`collect` (a huge number
        if one was to a table without rowid: then only a whole image will do)."""
        count: int = self.conn.execute(_PENDING).fetchone()[0]
        if count and self.conn.execute(_UNNOTABLE).fetchone() is not None:
            return 1 << 62
        return count

    def collect(self) -> tuple[bytes, bool]:
        """The payload of every row noted since the last call, as it is now, and whether
        a row was changed or removed (not only added); forgets them. Call :meth:`forget`
        instead when a whole image is saved."""
        noted = self.conn.execute(_NOTED).fetchall()
        columns: dict[str, list[str]] = {}
        ops: list[list[Any]] = []
        removing = 0
        for table, rid, ev in noted:
            removing |= ev
            select = f"SELECT * FROM main.{_q(table)} WHERE rowid = ?"  # noqa: S608
            cur = self.conn.execute(select, (rid,))
            if table not in columns:
                columns[table] = [d[0] for d in cur.description]
            row = cur.fetchone()
            ops.append([table, rid, None if row is None else [_out(v) for v in row]])
        self.forget()
        payload = json.dumps({"c": columns, "o": ops, "r": removing}, separators=(",", ":"),
                             ensure_ascii=False).encode("utf-8")
        return payload, bool(removing)

    def forget(self) -> None:
        self.conn.execute(_FORGET)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _out(value: object) -> object:
    return [base64.b64encode(value).decode("ascii")] if isinstance(value, bytes) else value


def _in(value: object) -> object:
    if isinstance(value, list):
        if len(value) != 1 or not isinstance(value[0], str):
            raise _malformed()
        return base64.b64decode(value[0], validate=True)
    if value is not None and not isinstance(value, (int, float, str)):
        raise _malformed()
    return value


def _malformed() -> TamperedFileError:
    return TamperedFileError("The journal file's saved changes are malformed.")


@contextmanager
def _foreign_keys_off(conn: sqlite3.Connection) -> Iterator[None]:
    on = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if on:
            conn.execute("PRAGMA foreign_keys = ON")


def replay(conn: sqlite3.Connection, payloads: list[bytes]) -> bool:
    """Apply the payloads of authenticated records, in order, in one transaction; True if
    one of them changed or removed a row that was there before. Raises TamperedFileError
    if one doesn't fit this database (never written so)."""
    if not payloads:
        return False
    removing = False
    fts = {name for (name,) in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql LIKE "
        "'CREATE VIRTUAL TABLE%'")}
    known: dict[str, set[str]] = {}
    with _foreign_keys_off(conn):
        conn.execute("BEGIN")
        try:
            for payload in payloads:
                removing = _apply(conn, payload, fts, known) or removing
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return removing


def _apply(conn: sqlite3.Connection, payload: bytes, fts: set[str],
           known: dict[str, set[str]]) -> bool:
    try:
        doc = json.loads(payload)
        removing = bool(doc.get("r"))
        columns: dict[str, list[str]] = doc["c"]
        ops = [(str(t), int(r), None if v is None else [_in(x) for x in v])
               for t, r, v in doc["o"]]
        for table, names in columns.items():
            if table not in known:
                known[table] = {row[1] for row in conn.execute(
                    f"PRAGMA main.table_info({_q(table)})")}
            if not known[table] or not set(names) <= known[table]:
                raise _malformed()
    except (ValueError, KeyError, TypeError, AttributeError, sqlite3.Error) as exc:
        raise _malformed() from exc
    waiting = ops
    while waiting:
        failed = []
        for op in waiting:
            try:
                _one(conn, op, columns, op[0] in fts)
            except sqlite3.IntegrityError:
                failed.append(op)
        if len(failed) == len(waiting):
            raise _malformed()
        waiting = failed
    return removing


def _one(conn: sqlite3.Connection, op: tuple[str, int, list[object] | None],
         columns: dict[str, list[str]], is_fts: bool) -> None:
    table, rid, values = op
    target = f"main.{_q(table)}"
    if is_fts or values is None:
        conn.execute(f"DELETE FROM {target} WHERE rowid = ?", (rid,))  # noqa: S608
        if values is None:
            return
    names = columns.get(table)
    if names is None or len(names) != len(values):
        raise _malformed()
    if not is_fts:
        sets = ", ".join(f"{_q(n)} = ?" for n in names)
        update = f"UPDATE {target} SET {sets} WHERE rowid = ?"  # noqa: S608
        if conn.execute(update, (*values, rid)).rowcount:
            return
    cols = ", ".join(["rowid", *(_q(n) for n in names)])
    marks = ", ".join("?" * (len(names) + 1))
    conn.execute(f"INSERT INTO {target}({cols}) VALUES ({marks})", (rid, *values))  # noqa: S608
