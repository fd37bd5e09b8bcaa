"""Quick notes that carry a voice note or a picture: reading them from the inbox, and
turning the attachment into one of the merged entry's attachments.

A note file is read whole up to ``MAX_NOTE_FILE``; a larger one (no capture of this app
writes one) is read only up to its text part, so its text still merges and its
attachment is reported as not kept. The attachment's blob is written before its row, as
always (storage/attaching.py), and its uid comes from the note's bytes, so a note merged
again after a crash adds it once. A note whose attachment can't be kept (damaged,
too large, not a kind the journal keeps) is set aside in the inbox under another name
once its text is saved: reported, never deleted, and not merged again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.domain.attachments import AttachmentError
from journal_app.storage.sealed_note import MAX_NOTE_FILE, MAX_TEXT_PART_END, OpenedNote

if TYPE_CHECKING:
    from journal_app.domain.entities import Entry
    from journal_app.storage.vault import Vault

__all__ = ["ADDED", "NOT_KEPT", "PRESENT", "SET_ASIDE_SUFFIX", "attach_note", "read_item",
           "set_aside"]

#: Appended to the name of a note whose text was merged but whose attachment couldn't be.
SET_ASIDE_SUFFIX = ".attachment-not-kept"


def read_item(path: Path) -> tuple[bytes, bool]:
    """The note's bytes and whether they are the whole file (see the module's rule)."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size > MAX_NOTE_FILE:
            return f.read(MAX_TEXT_PART_END), False
        data = f.read(MAX_NOTE_FILE + 1)
    if len(data) > MAX_NOTE_FILE:  # it grew while being read
        return data[:MAX_TEXT_PART_END], False
    return data, True


ADDED, PRESENT, NOT_KEPT = "added", "present", "not kept"


def attach_note(vault: Vault, entry: Entry, opened: OpenedNote, uid: str) -> str:
    """Make the note's attachment one of ``entry``'s, once (by ``uid``): ``ADDED`` now,
    ``PRESENT`` already, or ``NOT_KEPT``. A failed blob write raises WriteFailedError
    (nothing inserted)."""
    from journal_app.storage.attaching import AttachmentService  # the ORM: merging only
    from journal_app.storage.attachments import AttachmentRepository

    if opened.attachment is None or entry.id is None:
        return NOT_KEPT
    service = AttachmentService(AttachmentRepository(vault.db), vault.blobs)
    if service.rows.find_by_uid(uid) is not None:
        return PRESENT
    try:
        staged = service.stage(opened.attachment.kind, opened.attachment.data, uid=uid,
                               created_at=entry.created_at)
    except AttachmentError:
        return NOT_KEPT
    service.attach(entry.id, staged)
    return ADDED


def set_aside(path: Path) -> bool:
    """Rename a note whose attachment wasn't kept, so it isn't merged again; False if
    that failed."""
    try:
        path.rename(path.with_name(path.name + SET_ASIDE_SUFFIX))
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True
