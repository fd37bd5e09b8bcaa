"""Making a new attachment: record a voice note, draw, or choose a picture file.

One place for the entry, the evening flow and the quick note, so each offers the same
windows. Every way hands back the bytes (kept in memory only) or None when the person
changed their mind or the file was refused (the message was shown).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from journal_app.domain.attachments import AttachmentKind
from journal_app.ui.dialogs import draw_dialog, picture_file, record_dialog

__all__ = ["capture"]


def capture(kind: AttachmentKind, parent: QWidget) -> bytes | None:
    """Let the person make an attachment of ``kind``; its bytes, or None."""
    kind = AttachmentKind(kind)
    if kind is AttachmentKind.VOICE:
        return record_dialog.record_voice_note(parent)
    if kind is AttachmentKind.DRAWING:
        return draw_dialog.draw_picture(parent)
    return picture_file.choose_picture(parent)
