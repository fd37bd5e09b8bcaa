"""Attachments as the journal offers them: rows and blobs kept in step.

The order never changes: check, write the encrypted blob durably, then insert the row.
So a crash, a full disk or a kill at any moment leaves at most a blob nothing refers to
(collected later: storage/blob_gc.py), never a row without its blob. The row makes the
journal unsaved through the database's change counter, and the next save refers to it.

Reading a blob needs no database (any thread may do it); messages about a damaged blob
name the entry by its date and id, which the owner thread looks up beforehand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from journal_app.domain.attachments import Attachment, AttachmentKind, MediaInfo, check_attachment
from journal_app.domain.entities import now
from journal_app.errors import DamagedAttachmentError, UsageError
from journal_app.storage.attachments import AttachmentRepository
from journal_app.storage.blobs import BlobStore, BlobUnreadable, check_uid, new_uid

__all__ = ["AttachmentService", "StagedAttachment", "damaged_attachment", "entry_words"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(frozen=True)
class StagedAttachment:
    """An attachment whose blob is on disk and whose row is still to be inserted."""

    kind: AttachmentKind
    info: MediaInfo
    size: int
    uid: str
    created_at: dt.datetime = field(default_factory=now)


def entry_words(entry_id: int, written: dt.datetime | None) -> str:
    """ "the entry of 3 March 2024 (entry 12)": an entry named by its date and id only."""
    if written is None:
        return f"entry {entry_id}"
    with contextlib.suppress(OverflowError, ValueError, OSError):
        written = written.astimezone()
    return f"the entry of {written.day} {_MONTHS[written.month - 1]} {written.year} " \
           f"(entry {entry_id})"


def damaged_attachment(attachment: Attachment, written: dt.datetime | None,
                       reason: str) -> DamagedAttachmentError:
    what = "is missing" if reason == "missing" else \
        "is damaged, or is not the one this entry refers to"
    assert attachment.id is not None
    return DamagedAttachmentError(
        f"An attachment of {entry_words(attachment.entry_id, written)} can't be read: its "
        f"encrypted file beside the journal {what}. The entry and the rest of the journal "
        "are not affected.",
        entry_id=attachment.entry_id, attachment_id=attachment.id)


def _no_entry(entry_id: int) -> UsageError:
    return UsageError(f"There is no entry {entry_id} in this journal. Nothing was attached.")


class AttachmentService:
    """What :class:`storage.journal.Journal` offers about attachments (see the spec's
    storage API); methods that touch rows run on the owner thread."""

    def __init__(self, rows: AttachmentRepository, blobs: BlobStore) -> None:
        self.rows = rows
        self.blobs = blobs

    # ------------------------------------------------------------------ adding
    def add(self, entry_id: int, kind: AttachmentKind, data: bytes) -> Attachment:
        """Check, write the blob durably, then insert the row (WriteFailedError from the
        blob write inserts nothing)."""
        info = check_attachment(data, kind)
        if not self.rows.entry_exists(entry_id):
            raise _no_entry(entry_id)
        return self.attach(entry_id, self.stage(kind, data, info=info))

    def stage(self, kind: AttachmentKind, data: bytes, *, info: MediaInfo | None = None,
              uid: str | None = None, created_at: dt.datetime | None = None,
              ) -> StagedAttachment:
        """Check and write the blob, touching no database (so a worker thread may do the
        slow part); :meth:`attach` then inserts the row on the owner thread."""
        kind = AttachmentKind(kind)
        info = info or check_attachment(data, kind)
        uid = check_uid(uid) if uid else new_uid()
        self.blobs.write(uid, data)
        return StagedAttachment(kind, info, len(data), uid, created_at or now())

    def attach(self, entry_id: int, staged: StagedAttachment) -> Attachment:
        """Insert the row of a staged attachment (its blob is on disk)."""
        if not self.rows.entry_exists(entry_id):
            raise _no_entry(entry_id)
        return self.rows.add(Attachment(
            entry_id=entry_id, kind=staged.kind, media_type=staged.info.media_type,
            size=staged.size, created_at=staged.created_at,
            duration_ms=staged.info.duration_ms, width=staged.info.width,
            height=staged.info.height, uid=staged.uid))

    # ------------------------------------------------------------------ rows
    def get(self, attachment_id: int) -> Attachment:
        found = self.rows.get(attachment_id)
        if found is None:
            raise UsageError(f"There is no attachment {attachment_id} in this journal.")
        return found

    def remove(self, attachment_id: int) -> Attachment:
        """Remove the row; the blob stays for as long as the journal is open (an undo
        may put the row back) and is collected later."""
        found = self.get(attachment_id)
        assert found.uid is not None
        self.blobs.keep(found.uid)
        self.rows.delete(attachment_id)
        return found

    def restore(self, attachment: Attachment) -> Attachment:
        """Undo a removal: the same row (same uid, the same id when free) again."""
        uid = check_uid(attachment.uid or "")
        present = self.rows.find_by_uid(uid)
        if present is not None:
            return present
        self.blobs.keep(uid)  # before looking: collection can't take it from here on
        if not self.rows.entry_exists(attachment.entry_id):
            raise UsageError("The entry this attachment belonged to is no longer in the "
                             "journal, so it can't be put back.")
        if not self.blobs.exists(uid):
            written = self.rows.entry_dates([attachment.entry_id]).get(attachment.entry_id)
            raise damaged_attachment(attachment, written, "missing")
        return self.rows.add(attachment)

    # ------------------------------------------------------------------ bytes
    def data(self, attachment: Attachment | int) -> bytes:
        if isinstance(attachment, int):
            attachment = self.get(attachment)
        return self.reader([attachment])(attachment)

    def reader(self, attachments: Iterable[Attachment] | None = None,
               ) -> Callable[[Attachment], bytes]:
        """A function giving an attachment's bytes, safe on any thread: the dates its
        messages need are looked up now (owner thread), for ``attachments`` (all if
        None)."""
        wanted = self.rows.list_attachments() if attachments is None else list(attachments)
        dates = self.rows.entry_dates(a.entry_id for a in wanted)
        return _Reader(self.blobs, dates)

    def verify(self) -> list[DamagedAttachmentError]:
        """Read and authenticate every referenced blob; the ones that fail."""
        attachments = self.rows.list_attachments()
        read = self.reader(attachments)
        bad: list[DamagedAttachmentError] = []
        for attachment in attachments:
            try:
                read(attachment)
            except DamagedAttachmentError as exc:
                bad.append(exc)
        return bad


class _Reader:
    def __init__(self, blobs: BlobStore, dates: Mapping[int, dt.datetime]) -> None:
        self._blobs = blobs
        self._dates = dict(dates)

    def __call__(self, attachment: Attachment) -> bytes:
        try:
            data = self._blobs.read(check_uid(attachment.uid or ""))
        except BlobUnreadable as exc:
            raise damaged_attachment(attachment, self._dates.get(attachment.entry_id),
                                     exc.reason) from None
        if len(data) != attachment.size:
            raise damaged_attachment(attachment, self._dates.get(attachment.entry_id),
                                     "damaged")
        return data
