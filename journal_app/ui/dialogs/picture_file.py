"""Attach picture…: choosing a picture file and making sure the journal can keep it.

A picture is taken only when its first bytes say it is PNG, JPEG, GIF or WebP, it is
within the size limits (``domain.attachments.check_attachment``) and Qt can decode all of
it; otherwise a calm message says why and nothing is attached. The file's bytes are read
into memory; nothing is copied anywhere.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from journal_app.domain.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_IMAGE_SIDE,
    AttachmentError,
    AttachmentKind,
    AttachmentTooLargeError,
    check_attachment,
    sniff,
)
from journal_app.ui import messages
from journal_app.ui.widgets.picture_view import decode_picture

__all__ = ["choose_picture", "picture_problem", "read_picture"]

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def _too_large() -> str:
    return translate(
        "AttachPicture", "That picture is larger than %1 MB, the most one attachment can "
        "be. Nothing was attached.").replace("%1", str(MAX_ATTACHMENT_BYTES // 2**20))


def _unsupported() -> str:
    return translate(
        "AttachPicture", "That file isn't a picture the journal can keep. Pictures can be "
        "PNG, JPEG, GIF or WebP. Nothing was attached.")


def _damaged() -> str:
    return translate(
        "AttachPicture", "That picture couldn't be opened; the file may be damaged or "
        "incomplete. Nothing was attached.")


def _too_many_pixels() -> str:
    return translate(
        "AttachPicture", "That picture is too big to show: the journal keeps pictures up to "
        "%1 pixels on a side. Nothing was attached.").replace("%1", str(MAX_IMAGE_SIDE))


def picture_problem(data: bytes) -> str:
    """Why ``data`` can't be attached as a picture, in calm words; "" when it can."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        return _too_large()
    try:
        info = sniff(data)
    except AttachmentError:
        return _unsupported()
    if info.is_audio:
        return _unsupported()
    try:
        check_attachment(data, AttachmentKind.IMAGE)
    except AttachmentTooLargeError:
        return _too_large()
    except AttachmentError:
        return _too_many_pixels()
    if decode_picture(data).isNull():
        return _damaged()
    return ""


def read_picture(path: Path) -> tuple[bytes | None, str]:
    """The picture file's bytes, or None and why not (too large files are not read)."""
    try:
        if path.stat().st_size > MAX_ATTACHMENT_BYTES:
            return None, _too_large()
        data = path.read_bytes()
    except OSError:
        return None, translate("AttachPicture", "That file couldn't be read. Nothing was "
                                                "attached.")
    problem = picture_problem(data)
    return (None, problem) if problem else (data, "")


def choose_picture(parent: QWidget) -> bytes | None:
    """Ask for a picture file; its bytes, or None (cancelled, or refused with a message)."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, translate("AttachPicture", "Attach a picture"), "",
        translate("AttachPicture", "Pictures (*.png *.jpg *.jpeg *.gif *.webp);;"
                                   "All files (*)"))
    if not name:
        return None
    data, problem = read_picture(Path(name))
    if data is None:
        messages.error(parent, translate("AttachPicture", "Picture not attached"), problem)
    return data
