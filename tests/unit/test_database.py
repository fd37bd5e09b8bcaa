"""The in-memory database: schema revisions are known without Alembic, and stay in step
with the migration scripts."""

from __future__ import annotations

import pytest

from journal_app.errors import TooNewError
from journal_app.storage import database
from journal_app.storage.database import Database


def test_head_revision_is_the_head_of_the_migration_scripts():
    """A new migration must move HEAD_REVISION too, or journals would never get it."""
    assert database.head_revision() == database.HEAD_REVISION


def test_known_revisions_are_every_migration_script_oldest_first():
    """A journal at any revision the scripts know opens; anything else is "too new"."""
    scripts = [rev.revision for rev in database.script_directory().walk_revisions()]
    assert tuple(reversed(scripts)) == database.KNOWN_REVISIONS


def test_a_new_database_is_migrated_to_head_once():
    db = Database()
    try:
        assert db.revision() is None
        assert db.migrate() is True
        assert db.revision() == database.HEAD_REVISION
        assert db.migrate() is False
        tables = {row[0] for row in db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"entries", "entries_fts", "practices", "check_ins"} <= tables
    finally:
        db.close()


def test_an_image_at_head_opens_without_migrating_and_keeps_its_bytes():
    db = Database()
    db.migrate()
    image = db.serialize()
    db.close()
    again = Database(image)
    try:
        assert again.migrate() is False
        assert again.serialize() == image
    finally:
        again.close()


@pytest.mark.parametrize("stored", ["0099", "9999", "ffff"])
def test_a_revision_this_app_does_not_know_is_too_new(stored):
    db = Database()
    db.migrate()
    db.conn.execute("UPDATE alembic_version SET version_num = ?", (stored,))
    try:
        with pytest.raises(TooNewError):
            db.migrate()
        assert db.revision() == stored  # nothing was changed
    finally:
        db.close()
