"""Pictures and voice notes for report tests, built by hand (no camera, no microphone).

``PNG``-making is pure Python (zlib); JPEG and WebP need Qt's encoders, so those helpers
import Qt only when called. Every kind of metadata carries a canary that must never reach
a report: GPS coordinates, a phone's make, a comment, text chunks, a "motion photo" tail.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib

from journal_app.domain.attachments import Attachment, AttachmentKind, sniff

TZ = dt.timezone(dt.timedelta(hours=1))
MAKE_CANARY = b"CanaryPhone 15"
COMMENT_CANARY = b"COMMENT-CANARY at the lake"
TEXT_CANARY = b"PNG-TEXT-CANARY"
TAIL_CANARY = b"MOTION-PHOTO-TAIL ftypmp42"
#: 52 deg 31' 12.34" N as EXIF rationals: bytes that exist only in the GPS block.
GPS_LATITUDE = struct.pack("<6I", 52, 1, 31, 1, 1234, 100)


def png(width: int, height: int, colour: tuple[int, int, int] = (200, 60, 40),
        *, text: bool = False) -> bytes:
    """An RGB PNG of one colour; with ``text`` it carries tEXt, iTXt, eXIf and tIME."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    row = b"\x00" + bytes(colour) * width
    parts = [b"\x89PNG\r\n\x1a\n",
             chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    if text:
        parts += [chunk(b"tEXt", b"Comment\x00" + TEXT_CANARY),
                  chunk(b"iTXt", b"Author\x00\x00\x00en\x00\x00" + TEXT_CANARY),
                  chunk(b"eXIf", exif_tiff()),
                  chunk(b"tIME", struct.pack(">HBBBBB", 2026, 3, 4, 21, 40, 0)),
                  chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1))]
    parts += [chunk(b"IDAT", zlib.compress(row * height)), chunk(b"IEND", b"")]
    return b"".join(parts)


def exif_tiff(orientation: int | None = None) -> bytes:
    """A little-endian EXIF TIFF block: IFD0 with the phone's make (and ``orientation``),
    pointing to a GPS IFD with a latitude."""
    entries = 2 + (orientation is not None)
    ifd0_size = 2 + 12 * entries + 4
    make_at = 8 + ifd0_size
    gps_at = make_at + len(MAKE_CANARY) + 1
    ifd0 = [struct.pack("<HHII", 0x010F, 2, len(MAKE_CANARY) + 1, make_at)]
    if orientation is not None:
        ifd0.append(struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0))
    ifd0.append(struct.pack("<HHII", 0x8825, 4, 1, gps_at))
    gps_entries = 2
    latitude_at = gps_at + 2 + 12 * gps_entries + 4
    gps = (struct.pack("<H", gps_entries)
           + struct.pack("<HHI4s", 0x0001, 2, 2, b"N\x00\x00\x00")
           + struct.pack("<HHII", 0x0002, 5, 3, latitude_at) + struct.pack("<I", 0))
    return (b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", entries) + b"".join(ifd0)
            + struct.pack("<I", 0) + MAKE_CANARY + b"\x00" + gps + GPS_LATITUDE)


def exif_segment(orientation: int | None = None) -> bytes:
    payload = b"Exif\x00\x00" + exif_tiff(orientation)
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _qt_encode(width: int, height: int, fmt: str) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a6ea5"))
    painter = QPainter(image)
    painter.fillRect(0, 0, width // 2, height // 2, QColor("#f2c14e"))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt, 90)
    buffer.close()
    return bytes(data.data())


def jpeg(width: int, height: int, *, orientation: int | None = None,
         metadata: bool = True) -> bytes:
    """A JPEG from Qt's encoder with, when ``metadata``, an EXIF block (GPS, make), a
    comment and a motion-photo tail after the end of the image. Needs Qt."""
    plain = _qt_encode(width, height, "JPEG")
    if not metadata:
        return plain
    assert plain[2:4] == b"\xff\xe0"  # Qt writes the JFIF APP0 first
    app0_end = 4 + struct.unpack(">H", plain[4:6])[0]
    comment = b"\xff\xfe" + struct.pack(">H", len(COMMENT_CANARY) + 2) + COMMENT_CANARY
    return (plain[:app0_end] + exif_segment(orientation) + comment + plain[app0_end:]
            + TAIL_CANARY)


def webp(width: int, height: int) -> bytes:
    """A lossless WebP from Qt, wrapped in a VP8X header with EXIF and XMP chunks."""
    plain = _qt_encode(width, height, "WEBP")
    assert plain[:4] == b"RIFF" and plain[8:12] == b"WEBP"
    image = plain[12:]
    flags = 0x08 | 0x04
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes((flags, 0, 0, 0)) \
        + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    exif = exif_tiff()
    xmp = b"<x:xmpmeta>" + TEXT_CANARY + b"</x:xmpmeta>"
    extra = (b"EXIF" + struct.pack("<I", len(exif)) + exif + b"\x00" * (len(exif) & 1)
             + b"XMP " + struct.pack("<I", len(xmp)) + xmp + b"\x00" * (len(xmp) & 1))
    body = b"WEBP" + vp8x + image + extra
    return b"RIFF" + struct.pack("<I", len(body)) + body


def gif(width: int, height: int) -> bytes:
    """A one-colour GIF89a with a comment and an XMP application block."""
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\xff\x00\x00" \
        + b"\x00\x00\x00"
    comment = b"\x21\xfe" + bytes((len(COMMENT_CANARY),)) + COMMENT_CANARY + b"\x00"
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes((len(TEXT_CANARY),)) + TEXT_CANARY + b"\x00"
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00"
    return header + comment + loop + xmp + image + b"\x3b"


def wav(seconds: float, rate: int = 8000) -> bytes:
    """A mono 16-bit PCM WAV of silence."""
    frames = b"\x00\x00" * int(seconds * rate)
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"data" + struct.pack("<I", len(frames)) + frames)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def attachment(entry_id: int, attachment_id: int, kind: AttachmentKind,
               data: bytes) -> Attachment:
    """The stored description of ``data`` (as the journal would make it)."""
    info = sniff(data)
    return Attachment(entry_id, kind, info.media_type, len(data),
                      created_at=dt.datetime(2026, 3, 4, 21, 40, tzinfo=TZ),
                      duration_ms=info.duration_ms, width=info.width, height=info.height,
                      id=attachment_id, uid=f"{attachment_id:032x}")
