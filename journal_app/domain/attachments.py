"""Attachments: voice notes, pictures and drawings kept with an entry.

Pure rules, no Qt: what kinds exist, how big one may be, and what a file *is*, read from
its first bytes (never from its name). The bytes themselves live encrypted outside the
SQLite image (``storage.blobs``); the database holds only this description.

A picture's format and size come from its header here; the GUI also decodes it with Qt
before attaching, so a picture that is damaged past its header is refused there too.
"""

from __future__ import annotations

import datetime as dt
import enum
import struct
from dataclasses import dataclass, field

from journal_app.domain.entities import aware, now
from journal_app.errors import JournalError

#: Largest single attachment: about 25 minutes of a voice note as 16-bit mono WAV at
#: 16 kHz, or any photo a phone takes.
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
#: Pictures larger than this in either direction are refused (decoding one would take
#: hundreds of megabytes).
MAX_IMAGE_SIDE = 16_384


class AttachmentKind(enum.StrEnum):
    VOICE = "voice"
    IMAGE = "image"  # a picture from a file
    DRAWING = "drawing"  # drawn in the app (stored as PNG)


class AttachmentError(JournalError):
    """An attachment that can't be taken: the message says why and what to do."""

    exit_code = 2


class UnsupportedAttachmentError(AttachmentError):
    """Not a picture or voice note the journal can keep (or damaged at its start)."""


class AttachmentTooLargeError(AttachmentError):
    """Over :data:`MAX_ATTACHMENT_BYTES`."""


@dataclass(frozen=True)
class MediaInfo:
    """What the bytes are: a media type and, where it applies, size or length."""

    media_type: str
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None

    @property
    def is_audio(self) -> bool:
        return self.media_type.startswith("audio/")


@dataclass(frozen=True)
class Attachment:
    """One attachment's description. ``id`` is None until stored; ``uid`` is stable and
    names the encrypted blob (through a keyed hash, so the name reveals nothing)."""

    entry_id: int
    kind: AttachmentKind
    media_type: str
    size: int
    created_at: dt.datetime = field(default_factory=now)
    duration_ms: int | None = None
    width: int | None = None
    height: int | None = None
    id: int | None = None
    uid: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", AttachmentKind(self.kind))
        object.__setattr__(self, "created_at", aware(self.created_at))

    @property
    def is_picture(self) -> bool:
        return self.kind in (AttachmentKind.IMAGE, AttachmentKind.DRAWING)


# --------------------------------------------------------------------------- sniffing

_PNG = b"\x89PNG\r\n\x1a\n"


def _png(data: bytes) -> MediaInfo | None:
    if not data.startswith(_PNG) or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return MediaInfo("image/png", width, height)


def _gif(data: bytes) -> MediaInfo | None:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 10:
        return None
    width, height = struct.unpack("<HH", data[6:10])
    return MediaInfo("image/gif", width, height)


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> MediaInfo | None:
    """Walk the JPEG segments to the frame header, which holds the picture's size."""
    if not data.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if marker in _SOF:
            if pos + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return MediaInfo("image/jpeg", width, height)
        if length < 2:
            return None
        pos += 2 + length
    return None


def _webp(data: bytes) -> MediaInfo | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or len(data) < 30:
        return None
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
    elif chunk == b"VP8 ":
        width, height = (v & 0x3FFF for v in struct.unpack("<HH", data[26:30]))
    elif chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    else:
        return None
    return MediaInfo("image/webp", width, height)


def _wav(data: bytes) -> MediaInfo | None:
    """A RIFF/WAVE file of PCM samples: its length from the format and data chunks."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    pos, byte_rate, frames_bytes = 12, 0, None
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if chunk == b"fmt " and size >= 16:
            fmt_code, _channels, _rate, byte_rate = struct.unpack("<HHII", data[pos + 8:pos + 20])
            if fmt_code not in (1, 0xFFFE):  # PCM, or PCM in an extensible header
                return None
        elif chunk == b"data":
            frames_bytes = min(size, len(data) - pos - 8)
            break
        pos += 8 + size + (size & 1)
    if not byte_rate or frames_bytes is None:
        return None
    return MediaInfo("audio/wav", duration_ms=frames_bytes * 1000 // byte_rate)


_SNIFFERS = (_png, _jpeg, _gif, _webp, _wav)


def sniff(data: bytes) -> MediaInfo:
    """What ``data`` is, or :class:`UnsupportedAttachmentError` (content-free message)."""
    for sniffer in _SNIFFERS:
        try:
            info = sniffer(data)
        except struct.error:
            info = None
        if info is not None:
            return info
    raise UnsupportedAttachmentError(
        "That file isn't a picture (PNG, JPEG, GIF or WebP) or a voice note (WAV) the "
        "journal can keep, or it is damaged. Nothing was attached.")


def check_attachment(data: bytes, kind: AttachmentKind) -> MediaInfo:
    """Sniff and check ``data`` for ``kind``: size, type and picture dimensions."""
    kind = AttachmentKind(kind)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLargeError(
            f"That file is {len(data) / 2**20:.0f} MB; an attachment can be at most "
            f"{MAX_ATTACHMENT_BYTES // 2**20} MB. Nothing was attached.")
    if not data:
        raise UnsupportedAttachmentError("That file is empty. Nothing was attached.")
    info = sniff(data)
    if info.is_audio != (kind is AttachmentKind.VOICE):
        raise UnsupportedAttachmentError(
            "That file is a voice note, not a picture. Nothing was attached." if info.is_audio
            else "That file is a picture, not a voice note. Nothing was attached.")
    if kind is AttachmentKind.DRAWING and info.media_type != "image/png":
        raise UnsupportedAttachmentError("A drawing is kept as PNG. Nothing was attached.")
    if info.width is not None and info.height is not None and (
            not 0 < info.width <= MAX_IMAGE_SIDE or not 0 < info.height <= MAX_IMAGE_SIDE):
        raise UnsupportedAttachmentError(
            f"That picture is {info.width} × {info.height} pixels; the journal keeps "
            f"pictures up to {MAX_IMAGE_SIDE} pixels on a side. Nothing was attached.")
    return info


def kind_of(data: bytes) -> AttachmentKind:
    """The kind a file brought in from outside is kept as (a voice note or a picture)."""
    return AttachmentKind.VOICE if sniff(data).is_audio else AttachmentKind.IMAGE


def duration_text(duration_ms: int | None) -> str:
    """ "2:05" (minutes:seconds), or "" when the length isn't known. Anything recorded
    reads at least "0:01": a short note is still there."""
    if duration_ms is None:
        return ""
    seconds = round(duration_ms / 1000)
    if duration_ms > 0:
        seconds = max(seconds, 1)
    return f"{seconds // 60}:{seconds % 60:02d}"
