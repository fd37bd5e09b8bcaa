"""The unlocked journal: an in-memory SQLite database used through SQLAlchemy 2.

The image never touches disk in plaintext: it is deserialised from the decrypted body,
migrated with Alembic on the same connection, and serialised again for each save.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from journal_app.errors import CorruptFileError, MigrationError, TooNewError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@cache
def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed: deleted text is gone
    conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temp files
    conn.execute("PRAGMA foreign_keys = ON")


class Database:
    """Owns the sqlite3 connection and the SQLAlchemy engine bound to it."""

    def __init__(self, image: bytes | None = None) -> None:
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
        self.engine: Engine = create_engine("sqlite://", creator=lambda: self.conn,
                                            poolclass=StaticPool)
        # Let SQLAlchemy own transactions on a connection in autocommit mode (pysqlite
        # recipe), so BEGIN is explicit and savepoints behave.
        event.listen(self.engine, "begin", lambda c: c.exec_driver_sql("BEGIN"))
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    # ---------------------------------------------------------------- schema
    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def migrate(self) -> bool:
        """Bring the schema to head. Returns True if anything was applied."""
        current = self.revision()
        known = {rev.revision for rev in script_directory().walk_revisions()}
        if current is not None and current not in known:
            raise TooNewError(
                "This journal was written by a newer version of Integration Journal. "
                "Update the app to open it; the file was not changed."
            )
        if current == head_revision():
            return False
        try:
            with self.engine.begin() as connection:
                cfg = alembic_config()
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
        except Exception as exc:
            raise MigrationError(
                "The journal could not be upgraded to this version of the app. "
                "The file on disk was not changed."
            ) from exc
        finally:
            alembic_config().attributes.pop("connection", None)
        return True

    # ---------------------------------------------------------------- image
    def serialize(self) -> bytes:
        return self.conn.serialize()

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()
        self.conn.close()
