"""Collecting attachment blobs nothing needs any more.

A blob file is deleted only after a save, on the save's worker, and only when all of
these hold:

* the image just saved has no attachment row with its uid;
* it was not written, removed or restored while this journal has been open (an undo may
  still put it back, and a save prepared before an add does not know the add's blob);
* it is older than ``GRACE_SECONDS`` (one that nothing references yet may belong to an
  add racing the save);
* no backup in ``<journal>.backups/`` references it.

A backup references a blob when its decrypted SQLite image, with its change records
applied as an open applies them, has an attachment row with the blob's uid: it is opened
in memory and asked (a backup from before attachments
existed has no such table and references none). A backup that can't be read or queried,
or any other doubt, keeps every blob. What each backup references is remembered (by
name, size and modification time) for as long as the journal is open, so each backup is
decrypted at most once per sitting, and only when there is something to collect.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from journal_app import atomic
from journal_app.errors import JournalError
from journal_app.storage import bodystream, filestore, journalfile
from journal_app.storage import fileformat as ff
from journal_app.storage.blobs import BlobStore

__all__ = ["GRACE_SECONDS", "Collector", "image_uids", "referenced_uids"]

GRACE_SECONDS = 600.0

_BackupKey = tuple[str, int, int]  # name, size, mtime_ns


def referenced_uids(conn: sqlite3.Connection) -> frozenset[str] | None:
    """The uid of every attachment row, or None when they can't be read (then nothing
    may be collected). Plain sqlite3, on the owner thread, with each save."""
    try:
        return frozenset(uid for (uid,) in conn.execute("SELECT uid FROM attachments"))
    except sqlite3.Error:
        return None


class Collector:
    """Collection for one open journal, with its memory of what each backup references."""

    def __init__(self, journal_path: Path, blobs: BlobStore) -> None:
        self.path = Path(journal_path)
        self.blobs = blobs
        self._backups: dict[_BackupKey, frozenset[str] | None] = {}
        self.backups_read = 0  # how many backups were decrypted (tests watch the cache)
        self.removed = 0  # blobs deleted in this sitting

    def collect(self, referenced: frozenset[str], data_key: bytes,
                cancelled: Callable[[], bool]) -> int:
        """Delete the blobs nothing needs (see the module's rule); how many went."""
        candidates = self._candidates(referenced)
        if not candidates:
            return 0
        in_backups = self._backup_references(data_key, cancelled)
        if in_backups is None:
            return 0
        removed = 0
        for name in candidates:
            if cancelled():
                break
            if name not in in_backups and self.blobs.unlink_unless_kept(name):
                removed += 1
        self.removed += removed
        if removed:
            with contextlib.suppress(OSError):
                atomic.fsync_dir(self.blobs.folder)
        return removed

    def _candidates(self, referenced: frozenset[str]) -> list[str]:
        files = self.blobs.blob_files()
        if not files:
            return []
        needed = self.blobs.names(referenced)
        cutoff = time.time() - GRACE_SECONDS
        found = []
        for entry in files:
            if entry.name in needed or self.blobs.is_kept(entry.name):
                continue
            try:
                if entry.stat().st_mtime > cutoff:
                    continue
            except OSError:
                continue
            found.append(entry.name)
        return found

    def _backup_references(self, data_key: bytes,
                           cancelled: Callable[[], bool]) -> set[str] | None:
        """Every blob name some backup may reference, or None on any doubt."""
        names: set[str] = set()
        seen: set[_BackupKey] = set()
        for backup in filestore.list_backups(self.path):
            if cancelled():
                return None
            try:
                st = backup.stat()
            except OSError:
                return None
            key = (backup.name, st.st_size, st.st_mtime_ns)
            seen.add(key)
            if key not in self._backups:
                self._backups[key] = self._scan(backup, data_key)
            found = self._backups[key]
            if found is None:
                return None
            names |= found
        for gone in set(self._backups) - seen:
            del self._backups[gone]
        return names

    def _scan(self, backup: Path, data_key: bytes) -> frozenset[str] | None:
        """The blob names a backup may reference, or None if it can't be read."""
        self.backups_read += 1
        try:
            with open(backup, "rb") as f:
                parsed = bodystream.read_head(f)
                ff.check_header(parsed, data_key)
                loaded = journalfile.load(f, parsed, data_key)
            # Read as the app opens it: the base with its change records applied.
            conn = journalfile.replayed(loaded)
        except (OSError, JournalError, sqlite3.Error):
            return None
        del loaded  # the decrypted image is freed here
        try:
            uids = connection_uids(conn)
        finally:
            conn.close()
        return None if uids is None else frozenset(self.blobs.names_of(uids))


def image_uids(image: bytes | memoryview) -> frozenset[str] | None:
    """The attachment uids a journal's SQLite image holds (none if it predates the
    attachments table), or None if it can't be read as a database."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(bytes(image))
        return connection_uids(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def connection_uids(conn: sqlite3.Connection) -> frozenset[str] | None:
    """The attachment uids in an open journal database (see :func:`image_uids`)."""
    try:
        tables = conn.execute(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'attachments'")
        if tables.fetchone() is None:
            return frozenset()
        return frozenset(uid for (uid,) in conn.execute("SELECT uid FROM attachments")
                         if isinstance(uid, str))
    except sqlite3.Error:
        return None
