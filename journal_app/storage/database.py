"""The unlocked journal: an in-memory SQLite database, used through SQLAlchemy 2.

The image never touches disk in plaintext: it is deserialised from the decrypted body,
migrated with Alembic on the same connection, and serialised again for each save.

Start-up cost: SQLAlchemy and Alembic take most of a second to import, more than a whole
command-line search. So this module imports neither at load time. The schema revision is
read with plain sqlite3 and compared with ``HEAD_REVISION``; Alembic is imported only when
a migration is really needed, and the SQLAlchemy engine is made the first time a
repository asks for a session. The read verbs of the command line (``list``, ``show``,
``search``: storage/reader.py, storage/search.py) never ask, so they never load it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.errors import CorruptFileError, MigrationError, TooNewError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

#: The newest schema this version of the app writes, and every schema it can read. Kept
#: here so that opening a journal needs no Alembic; tests/unit/test_database.py checks
#: both against the migration scripts, so a new migration can't be forgotten here.
HEAD_REVISION = "0004"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")


@cache
def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The head of the migration scripts (imports Alembic; ``HEAD_REVISION`` doesn't)."""
    head = script_directory().get_current_head()
    assert head is not None
    return head


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed: deleted text is gone
    conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temp files
    conn.execute("PRAGMA foreign_keys = ON")


class Database:
    """Owns the sqlite3 connection and, once needed, the SQLAlchemy engine bound to it."""

    def __init__(self, image: bytes | memoryview | None = None) -> None:
        self.conn = sqlite3.connect(":memory:", check_same_thread=False,
                                    isolation_level=None)
        if image:
            try:
                self.conn.deserialize(image)
                self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError as exc:
                self.conn.close()
                raise CorruptFileError("The journal's contents are not a readable database.") \
                    from exc
        _configure(self.conn)
        self._listeners: list[Callable[[], None]] = []
        self._notified = self.conn.total_changes
        self._uncounted = 0  # rows the storage layer itself changed (see uncounted)
        self._closed_changes: int | None = None
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._engine_lock = threading.Lock()

    # ---------------------------------------------------------------- changes
    @property
    def changes(self) -> int:
        """How many rows have been inserted, updated or deleted since the database was
        opened: SQLite's own counter (``total_changes``), so no write, through any
        repository, the ORM or plain SQL, can be left out. It only grows; the vault
        compares it with its value at the last save to know whether the journal is
        unsaved."""
        if self._closed_changes is not None:
            return self._closed_changes
        return self.conn.total_changes - self._uncounted

    @contextmanager
    def uncounted(self) -> Iterator[None]:
        """Writes in this block are the storage layer's own (replaying saved changes at
        open, clearing the change capture's notes at a save): they neither count as
        changes nor reach the listeners."""
        before = self.conn.total_changes
        try:
            yield
        finally:
            delta = self.conn.total_changes - before
            self._uncounted += delta
            self._notified += delta

    def add_change_listener(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (on the writing thread) after each transaction that changed
        something. The GUI uses it to show "unsaved" and start the autosave timer."""
        self._listeners.append(callback)

    def notify_changes(self) -> None:
        """Tell the listeners if anything changed since they were last told. Runs after
        every commit of the SQLAlchemy engine; plain-SQL writers call it themselves."""
        if self._closed_changes is not None:
            return
        current = self.conn.total_changes
        if current == self._notified:
            return
        self._notified = current
        for callback in list(self._listeners):
            callback()

    def replay(self, payloads: list[bytes]) -> bool:
        """Apply the change records read at open (storage.capture), uncounted; True if
        one of them changed or removed rows that were there before."""
        from journal_app.storage import capture

        with self.uncounted():
            return capture.replay(self.conn, payloads)

    # ---------------------------------------------------------------- SQLAlchemy
    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine on this connection, made (and SQLAlchemy imported) the
        first time it is asked for."""
        with self._engine_lock:
            if self._engine is None:
                self._engine, self._sessions = _make_engine(self.conn, self.notify_changes)
            return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        self.engine  # noqa: B018 - makes the session factory along with the engine
        assert self._sessions is not None
        return self._sessions

    def session(self) -> Session:
        return self.sessions()

    # ---------------------------------------------------------------- schema
    def revision(self) -> str | None:
        """The schema revision stored in the image (Alembic's version table), or None for
        an empty database. Plain sqlite3: no Alembic needed to ask."""
        has_table = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        rows = self.conn.execute("SELECT version_num FROM alembic_version").fetchall()
        if len(rows) > 1:  # branches: never made by this app
            raise MigrationError("The journal's schema version can't be read, so it was not "
                                 "opened. The file on disk was not changed.")
        return rows[0][0] if rows else None

    def migrate(self) -> bool:
        """Bring the schema to head. Returns True if anything was applied."""
        current = self.revision()
        if current is not None and current not in KNOWN_REVISIONS:
            raise TooNewError(
                "This journal was written by a newer version of Integration Journal. "
                "Update the app to open it; the file was not changed."
            )
        if current == HEAD_REVISION:
            return False
        try:
            self._upgrade()
            # Pages a migration freed (0004: the search index's copy of every entry) leave
            # the image, which is written whole on every save.
            self.conn.execute("VACUUM")
        except Exception as exc:
            raise MigrationError(
                "The journal could not be upgraded to this version of the app. "
                "The file on disk was not changed."
            ) from exc
        return True

    def _upgrade(self) -> None:
        from alembic import command

        cfg = alembic_config()
        try:
            with self.engine.begin() as connection:
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
        finally:
            cfg.attributes.pop("connection", None)

    # ---------------------------------------------------------------- image
    def serialize(self) -> bytes:
        return self.conn.serialize()

    def close(self) -> None:
        if self._closed_changes is None:
            self._closed_changes = self.changes
        self._listeners.clear()
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()
        self.conn.close()


def _make_engine(conn: sqlite3.Connection, committed: Callable[[], None],
                 ) -> tuple[Engine, sessionmaker[Session]]:
    from sqlalchemy import create_engine, event
    from sqlalchemy.orm import sessionmaker
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
    # Let SQLAlchemy own transactions on a connection in autocommit mode (pysqlite
    # recipe), so BEGIN is explicit and savepoints behave.
    event.listen(engine, "begin", lambda c: c.exec_driver_sql("BEGIN"))
    # Every ORM and Core write on this connection ends in a commit: one place to learn
    # that the journal changed, whoever wrote it.
    # The event comes just before COMMIT is sent, when total_changes already counts the
    # transaction's rows; listeners must only take note (no reads or writes from them).
    event.listen(engine, "commit", lambda _c: committed())
    return engine, sessionmaker(engine, expire_on_commit=False)

