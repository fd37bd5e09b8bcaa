"""Attachment bytes for storage tests, built by hand (no camera, no microphone, no Qt):
PNG pictures and drawings, a JPEG's header segments, WAV voice notes. Each can carry a
canary string inside the file (a PNG text chunk, a JPEG comment, a WAV LIST chunk and
its samples) that must never show on disk in plaintext."""

from __future__ import annotations

import io
import struct
import wave
import zlib

from journal_app.domain.attachments import AttachmentKind


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int = 4, height: int = 3, *, text: str = "", seed: int = 0) -> bytes:
    """An RGB PNG; ``text`` goes into a tEXt chunk; ``seed`` varies the pixels."""
    pattern = bytes(range(256)) * (width * 3 // 256 + 2)
    rows = b"".join(b"\x00" + pattern[(seed + y) % 256:][:width * 3] for y in range(height))
    parts = [b"\x89PNG\r\n\x1a\n",
             _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    if text:
        parts.append(_chunk(b"tEXt", b"Comment\x00" + text.encode("utf-8")))
    parts += [_chunk(b"IDAT", zlib.compress(rows)), _chunk(b"IEND", b"")]
    return b"".join(parts)


def jpeg(width: int = 640, height: int = 480, *, comment: str = "") -> bytes:
    """A JPEG's segments up to its frame header (what storage reads of a JPEG)."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    parts = [b"\xff\xd8", b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0]
    if comment:
        body = comment.encode("utf-8")
        parts.append(b"\xff\xfe" + struct.pack(">H", len(body) + 2) + body)
    sof = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    parts += [b"\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof, b"\x00" * 64, b"\xff\xd9"]
    return b"".join(parts)


def wav(seconds: float = 0.5, *, rate: int = 8000, text: str = "", seed: int = 0) -> bytes:
    """A 16-bit mono PCM WAV; ``text`` goes into a LIST/INFO chunk and into the samples."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        count = int(seconds * rate) * 2
        pattern = bytes((seed + i) % 251 for i in range(251))
        frames = bytearray((pattern * (count // 251 + 1))[:count])
        if text:
            marker = text.encode("utf-8")
            frames[100:100 + len(marker)] = marker
        w.writeframes(bytes(frames))
    data = out.getvalue()
    if not text:
        return data
    info = b"INFO" + b"ICMT" + struct.pack("<I", len(text) + 1) + text.encode() + b"\x00"
    if len(info) % 2:
        info += b"\x00"
    listed = data + b"LIST" + struct.pack("<I", len(info)) + info
    return listed[:4] + struct.pack("<I", len(listed) - 8) + listed[8:]


#: One of each kind the journal keeps, for round trips.
SAMPLES: dict[str, tuple[AttachmentKind, bytes]] = {
    "voice-wav": (AttachmentKind.VOICE, wav(1.25)),
    "image-png": (AttachmentKind.IMAGE, png(32, 20, seed=3)),
    "image-jpeg": (AttachmentKind.IMAGE, jpeg(1024, 768)),
    "drawing-png": (AttachmentKind.DRAWING, png(64, 64, seed=9)),
}
