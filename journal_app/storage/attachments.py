"""Attachment rows: domain ``Attachment`` in and out, one ORM session per call.

The rows describe attachments; their bytes are encrypted blobs beside the journal
(:mod:`storage.blobs`), and the two are put together by :mod:`storage.attaching`.
Writes need not be reported: the vault sees them in the database's change counter.
Deleting an entry deletes its rows (``ON DELETE CASCADE``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from sqlalchemy import func, select

from journal_app.domain.attachments import Attachment, AttachmentKind
from journal_app.domain.entities import aware
from journal_app.storage.blobs import check_uid, new_uid
from journal_app.storage.database import Database
from journal_app.storage.tables import AttachmentRow, EntryRow

__all__ = ["AttachmentRepository"]

_OLDEST_FIRST = (func.julianday(AttachmentRow.created_at), AttachmentRow.id)
_DATES_SQL = ("SELECT id, created_at FROM entries "
              "WHERE id IN (SELECT value FROM json_each(?))")


def _iso(value: dt.datetime) -> str:
    return aware(value).isoformat(timespec="seconds")


def _attachment(row: AttachmentRow) -> Attachment:
    return Attachment(
        entry_id=row.entry_id,
        kind=AttachmentKind(row.kind),
        media_type=row.media_type,
        size=row.size,
        created_at=dt.datetime.fromisoformat(row.created_at),
        duration_ms=row.duration_ms,
        width=row.width,
        height=row.height,
        id=row.id,
        uid=row.uid,
    )


def _fill(row: AttachmentRow, attachment: Attachment) -> None:
    row.entry_id = attachment.entry_id
    row.kind = attachment.kind.value
    row.media_type = attachment.media_type
    row.size = attachment.size
    row.created_at = _iso(attachment.created_at)
    row.duration_ms = attachment.duration_ms
    row.width = attachment.width
    row.height = attachment.height


class AttachmentRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, attachment: Attachment) -> Attachment:
        """Store ``attachment`` (its blob must already be on disk); a uid is made if it
        has none. An ``id`` is kept when it is free (an undo puts a row back as it was)."""
        with self.db.session() as s, s.begin():
            row = AttachmentRow(uid=check_uid(attachment.uid or new_uid()))
            if attachment.id is not None and s.get(AttachmentRow, attachment.id) is None:
                row.id = attachment.id
            _fill(row, attachment)
            s.add(row)
            s.flush()
            return _attachment(row)

    def get(self, attachment_id: int) -> Attachment | None:
        with self.db.session() as s:
            row = s.get(AttachmentRow, attachment_id)
            return _attachment(row) if row else None

    def find_by_uid(self, uid: str) -> Attachment | None:
        with self.db.session() as s:
            row = s.scalar(select(AttachmentRow).where(AttachmentRow.uid == uid))
            return _attachment(row) if row else None

    def for_entry(self, entry_id: int) -> list[Attachment]:
        """The entry's attachments, oldest first."""
        query = select(AttachmentRow).where(AttachmentRow.entry_id == entry_id)
        with self.db.session() as s:
            return [_attachment(r) for r in s.scalars(query.order_by(*_OLDEST_FIRST))]

    def list_attachments(self) -> list[Attachment]:
        """Every attachment, oldest first."""
        with self.db.session() as s:
            return [_attachment(r) for r in s.scalars(select(AttachmentRow)
                                                      .order_by(*_OLDEST_FIRST))]

    def by_entry(self) -> dict[int, list[Attachment]]:
        """Every entry's attachments (entry id -> oldest first), in one query."""
        found: dict[int, list[Attachment]] = {}
        for attachment in self.list_attachments():
            found.setdefault(attachment.entry_id, []).append(attachment)
        return found

    def delete(self, attachment_id: int) -> Attachment | None:
        """Remove one row; returns what it held (None if there was none)."""
        with self.db.session() as s, s.begin():
            row = s.get(AttachmentRow, attachment_id)
            if row is None:
                return None
            removed = _attachment(row)
            s.delete(row)
        return removed

    def entry_exists(self, entry_id: int) -> bool:
        with self.db.session() as s:
            return s.get(EntryRow, entry_id) is not None

    def entry_dates(self, entry_ids: Iterable[int]) -> dict[int, dt.datetime]:
        """When each of these entries was written (for messages that name an entry by its
        date), by id. Plain sqlite3: no ORM objects for a date."""
        ids = json.dumps(sorted(set(entry_ids)))
        rows = self.db.conn.execute(_DATES_SQL, (ids,))
        found = {entry_id: dt.datetime.fromisoformat(created) for entry_id, created in rows}
        return found
