"""Which attachments of a chosen entry go into the report, read and cleaned.

Only entries already in the report are asked for (``select_report`` calls this for
those), so a private or unticked entry's pictures can't appear. The bytes are read through
``ReportInputs.attachment_data`` for what is included and nothing else, and pictures leave
here only with their metadata removed, so no export format can forget to.

A picture or voice note that can't be read (its file damaged or missing: a
``DamagedFileError``, or a picture whose structure is broken) is kept in the list without
bytes, so the report says "a picture that couldn't be read" instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable

from journal_app.domain.attachments import Attachment, AttachmentKind
from journal_app.domain.picture_metadata import (
    PictureFormatError,
    jpeg_orientation,
    strip_metadata,
)
from journal_app.domain.report_types import (
    ReportInputs,
    ReportPicture,
    ReportRequest,
    ReportVoiceNote,
)
from journal_app.errors import DamagedFileError

Reader = Callable[[Attachment], bytes]


def is_included(attachment: Attachment, request: ReportRequest) -> bool:
    """Whether ``attachment`` goes in with its entry (the entry itself being in)."""
    if attachment.id is not None and attachment.id in request.excluded_attachment_ids:
        return False
    return attachment.is_picture or (attachment.kind is AttachmentKind.VOICE
                                     and request.include_voice_notes)


def entry_media(entry_id: int | None, inputs: ReportInputs, request: ReportRequest,
                ) -> tuple[tuple[ReportPicture, ...], tuple[ReportVoiceNote, ...]]:
    """The pictures and voice notes of one included entry, oldest first."""
    if entry_id is None:
        return (), ()
    chosen = [a for a in inputs.attachments.get(entry_id, ()) if is_included(a, request)]
    read = inputs.attachment_data
    pictures = tuple(_picture(a, read) for a in chosen if a.is_picture)
    voices = tuple(ReportVoiceNote(a, _read(a, read)) for a in chosen
                   if a.kind is AttachmentKind.VOICE)
    return pictures, voices


def _read(attachment: Attachment, read: Reader | None) -> bytes | None:
    if read is None:
        return None
    try:
        return read(attachment)
    except DamagedFileError:
        return None


def _picture(attachment: Attachment, read: Reader | None) -> ReportPicture:
    data = _read(attachment, read)
    if data is None:
        return ReportPicture(attachment)
    try:
        clean = strip_metadata(data)
    except PictureFormatError:
        return ReportPicture(attachment)  # not shared as it is: its metadata could be in it
    return ReportPicture(attachment, clean, jpeg_orientation(clean))
