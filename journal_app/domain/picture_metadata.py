"""Pictures leave the journal without their metadata: where and when a photo was taken,
the phone that took it, editing history, comments.

:func:`strip_metadata` rewrites a PNG, JPEG, GIF or WebP keeping only what decoding and
showing the picture need, in pure Python (no decoding, no re-encoding: the pixels are the
same bytes). Each format keeps an allow-list, so metadata in a chunk or segment this
module has never heard of is dropped too:

* JPEG: every APP1–APP15 segment and every comment is dropped, except the JFIF/JFXX APP0
  and the Adobe APP14 (it says how the colours are coded). The EXIF orientation is the
  one fact kept, written anew as a minimal EXIF block holding nothing else, so a phone
  photo is not shown on its side. Anything after the end-of-image marker goes (phones
  append a video to "motion photos" there).
* PNG: only the chunks that shape the pixels (header, palette, data, transparency,
  colour space, pixel density, animation); text, EXIF and time chunks go.
* GIF: comments and application blocks other than the looping one go.
* WebP: EXIF and XMP chunks go, and the header's flags for them are cleared.

A picture that isn't one of these formats, or whose structure is broken, raises
:class:`PictureFormatError`: it is then not shared at all rather than shared as it is.
"""

from __future__ import annotations

import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: PNG ancillary chunks kept (critical chunks, with an upper-case first letter, always are).
PNG_KEPT = frozenset({
    b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV", b"mDCv",
    b"cLLI", b"cLLi", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
})
#: WebP chunks kept: image data, alpha, animation and the colour profile.
WEBP_KEPT = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"})
_WEBP_EXIF_XMP_FLAGS = 0x08 | 0x04
#: GIF application blocks kept: the looping instruction of animated GIFs.
GIF_KEPT_APPLICATIONS = frozenset({b"NETSCAPE2.0", b"ANIMEXTS1.0"})

_EXIF = b"Exif\x00\x00"
_ORIENTATION_TAG = 0x0112
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length
_SOS, _EOI, _COM, _APP0, _APP14 = 0xDA, 0xD9, 0xFE, 0xE0, 0xEE


class PictureFormatError(ValueError):
    """Not a picture this module can clean (the message names the problem, not data)."""


def strip_metadata(data: bytes) -> bytes:
    """``data`` without metadata, in its own format (see the module's notes)."""
    try:
        if data.startswith(b"\xff\xd8"):
            return _strip_jpeg(data)
        if data.startswith(PNG_SIGNATURE):
            return _strip_png(data)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return _strip_gif(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _strip_webp(data)
    except (struct.error, IndexError):
        raise PictureFormatError("the picture's structure is damaged") from None
    raise PictureFormatError("not a PNG, JPEG, GIF or WebP picture")


def jpeg_orientation(data: bytes) -> int:
    """The EXIF orientation of a JPEG (1-8; 1, upright, when it says none)."""
    if not data.startswith(b"\xff\xd8"):
        return 1
    try:
        for marker, payload in _jpeg_header_segments(data):
            if marker == 0xE1 and payload.startswith(_EXIF):
                return _exif_orientation(payload[6:])
    except (struct.error, IndexError, PictureFormatError):
        return 1
    return 1


def turned_sideways(orientation: int) -> bool:
    """Whether an EXIF orientation swaps width and height (a quarter turn)."""
    return orientation in (5, 6, 7, 8)


# --------------------------------------------------------------------------- JPEG


def _jpeg_header_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The (marker, payload) pairs of the segments before the first scan."""
    found: list[tuple[int, bytes]] = []
    pos = 2
    while True:
        marker, pos_after = _next_marker(data, pos)
        if marker in (_SOS, _EOI):
            return found
        if marker in _STANDALONE:
            pos = pos_after
            continue
        end = pos_after + struct.unpack(">H", data[pos_after:pos_after + 2])[0]
        found.append((marker, data[pos_after + 2:end]))
        pos = end


def _next_marker(data: bytes, pos: int) -> tuple[int, int]:
    """The marker at ``pos`` (0xFF fill bytes skipped) and the position right after it,
    where a segment's length starts."""
    if data[pos] != 0xFF:
        raise PictureFormatError("a JPEG segment does not start where it should")
    while data[pos + 1] == 0xFF:
        pos += 1
    return data[pos + 1], pos + 2


def _strip_jpeg(data: bytes) -> bytes:
    kept: list[bytes] = []
    orientation = 1
    pos = 2
    while pos < len(data):
        marker, after = _next_marker(data, pos)
        if marker == _EOI:
            break
        if marker in _STANDALONE:
            kept.append(bytes((0xFF, marker)))
            pos = after
            continue
        end = after + struct.unpack(">H", data[after:after + 2])[0]
        if end > len(data):
            raise PictureFormatError("a JPEG segment runs past the end of the file")
        payload = data[after + 2:end]
        if marker == 0xE1 and payload.startswith(_EXIF):
            orientation = _exif_orientation(payload[6:])
        elif marker == _SOS:
            scan_end = _scan_end(data, end)
            kept.append(bytes((0xFF, marker)) + data[after:scan_end])
            pos = scan_end
            continue
        elif _kept_jpeg_segment(marker, payload):
            kept.append(bytes((0xFF, marker)) + data[after:end])
        pos = end
    if orientation != 1:
        at = 1 if kept and kept[0][1] == _APP0 else 0
        kept.insert(at, _orientation_segment(orientation))
    return b"\xff\xd8" + b"".join(kept) + b"\xff\xd9"


def _kept_jpeg_segment(marker: int, payload: bytes) -> bool:
    if marker == _APP0:
        return payload.startswith((b"JFIF\x00", b"JFXX\x00"))
    if marker == _APP14:
        return payload.startswith(b"Adobe")
    return not (0xE1 <= marker <= 0xEF or marker == _COM)


def _scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data that starts at ``pos`` ends: at the next marker that is
    neither a stuffed 0xFF00 nor a restart marker (or at the end of a cut-off file)."""
    while True:
        found = data.find(b"\xff", pos)
        if found < 0 or found + 1 >= len(data):
            return len(data)
        following = data[found + 1]
        if following == 0xFF:
            pos = found + 1
        elif following == 0x00 or 0xD0 <= following <= 0xD7:
            pos = found + 2
        else:
            return found


def _exif_orientation(tiff: bytes) -> int:
    """The orientation tag of IFD0 in an EXIF TIFF block (1 when absent or odd)."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return 1
    try:
        return _ifd0_orientation(tiff, order)
    except (struct.error, IndexError):
        return 1  # a damaged EXIF block: the picture is shown as it is stored


def _ifd0_orientation(tiff: bytes, order: str) -> int:
    ifd = struct.unpack(order + "I", tiff[4:8])[0]
    count = struct.unpack(order + "H", tiff[ifd:ifd + 2])[0]
    for index in range(count):
        start = ifd + 2 + 12 * index
        tag, kind = struct.unpack(order + "HH", tiff[start:start + 4])
        if tag == _ORIENTATION_TAG and kind == 3:
            value: int = struct.unpack(order + "H", tiff[start + 8:start + 10])[0]
            return value if 1 <= value <= 8 else 1
    return 1


def _orientation_segment(orientation: int) -> bytes:
    """An APP1 EXIF segment holding the orientation and nothing else."""
    tiff = (b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
            + struct.pack(">HHIHH", _ORIENTATION_TAG, 3, 1, orientation, 0)
            + struct.pack(">I", 0))
    payload = _EXIF + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


# --------------------------------------------------------------------------- PNG


def _strip_png(data: bytes) -> bytes:
    kept = [PNG_SIGNATURE]
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise PictureFormatError("a PNG chunk runs past the end of the file")
        if kind[:1].isupper() or kind in PNG_KEPT:
            kept.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            return b"".join(kept)
    raise PictureFormatError("the PNG has no end chunk")


# --------------------------------------------------------------------------- GIF


def _sub_blocks_end(data: bytes, pos: int) -> int:
    """The end of a run of GIF data sub-blocks starting at ``pos`` (after its 0 byte)."""
    while True:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _strip_gif(data: bytes) -> bytes:
    packed = data[10]
    pos = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)
    kept = [data[:pos]]
    while True:
        introducer = data[pos]
        if introducer == 0x3B:  # trailer
            return b"".join(kept) + b"\x3b"
        if introducer == 0x2C:  # an image: descriptor, colour table, LZW data
            flags = data[pos + 9]
            start = pos + 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
            end = _sub_blocks_end(data, start + 1)
            kept.append(data[pos:end])
        elif introducer == 0x21:
            label = data[pos + 1]
            end = _sub_blocks_end(data, pos + 2)
            application = data[pos + 3:pos + 14] if label == 0xFF else b""
            if label not in (0xFE, 0xFF) or application in GIF_KEPT_APPLICATIONS:
                kept.append(data[pos:end])
        else:
            raise PictureFormatError("the GIF has a block this reader does not know")
        pos = end


# --------------------------------------------------------------------------- WebP


def _strip_webp(data: bytes) -> bytes:
    riff_end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    chunks = []
    pos = 12
    while pos + 8 <= riff_end:
        kind = data[pos:pos + 4]
        size = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        end = pos + 8 + size + (size & 1)
        if pos + 8 + size > riff_end:
            raise PictureFormatError("a WebP chunk runs past the end of the file")
        chunk = data[pos:min(end, riff_end)]
        if kind == b"VP8X":
            chunk = chunk[:8] + bytes((chunk[8] & ~_WEBP_EXIF_XMP_FLAGS,)) + chunk[9:]
        if kind in WEBP_KEPT:
            chunks.append(chunk + b"\x00" * (len(chunk) & 1))
        pos = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
