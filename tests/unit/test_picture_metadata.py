"""Pictures leave the journal without metadata (domain/picture_metadata.py): the structure
of each format, byte by byte. Decoding after stripping is checked with Qt in
tests/ui/test_picture_metadata_qt.py."""

from __future__ import annotations

import struct

import pytest

from journal_app.domain.attachments import sniff
from journal_app.domain.picture_metadata import (
    PictureFormatError,
    jpeg_orientation,
    strip_metadata,
    turned_sideways,
)
from tests.helpers import report_pictures as rp

CANARIES = (rp.MAKE_CANARY, rp.GPS_LATITUDE, rp.COMMENT_CANARY, rp.TEXT_CANARY,
            rp.TAIL_CANARY)


def segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


APP0 = segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
ADOBE = segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01")
DQT = segment(0xDB, b"\x00" + bytes(range(64)))
SOF0 = segment(0xC0, b"\x08" + struct.pack(">HH", 48, 64) + b"\x01\x01\x11\x00")
SOS = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
#: Entropy-coded data with a stuffed 0xFF00 and a restart marker, which belong to the scan.
SCAN = b"\x12\x34\xff\x00\x56\xff\xd0\x78\x9a"


def synthetic_jpeg(*extra_segments: bytes, after_scan: bytes = b"") -> bytes:
    return (b"\xff\xd8" + APP0 + b"".join(extra_segments) + ADOBE + DQT + SOF0 + SOS + SCAN
            + after_scan + b"\xff\xd9" + rp.TAIL_CANARY)


def test_jpeg_keeps_what_decoding_needs_and_nothing_else():
    dirty = synthetic_jpeg(rp.exif_segment(), segment(0xFE, rp.COMMENT_CANARY),
                           segment(0xE2, b"ICC_PROFILE\x00" + rp.TEXT_CANARY),
                           segment(0xED, b"Photoshop 3.0\x00" + rp.TEXT_CANARY),
                           segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + rp.TEXT_CANARY))
    clean = strip_metadata(dirty)
    assert clean == b"\xff\xd8" + APP0 + ADOBE + DQT + SOF0 + SOS + SCAN + b"\xff\xd9"
    assert not any(c in clean for c in CANARIES)
    assert sniff(clean) == sniff(dirty)  # the frame header (its size) is untouched


def test_jpeg_segments_between_scans_are_cleaned_too():
    """A progressive JPEG has tables between its scans; a comment there goes as well."""
    later = segment(0xFE, rp.COMMENT_CANARY) + DQT + SOS + SCAN
    clean = strip_metadata(synthetic_jpeg(after_scan=later))
    assert rp.COMMENT_CANARY not in clean
    assert clean.count(SOS + SCAN) == 2 and clean.count(DQT) == 2


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_the_orientation_is_the_one_exif_fact_kept(orientation):
    clean = strip_metadata(synthetic_jpeg(rp.exif_segment(orientation)))
    assert jpeg_orientation(clean) == orientation
    assert rp.MAKE_CANARY not in clean and rp.GPS_LATITUDE not in clean
    app1 = clean.index(b"\xff\xe1")
    assert app1 == 2 + len(APP0)  # right after JFIF, where decoders look for it
    assert struct.unpack(">H", clean[app1 + 2:app1 + 4])[0] < 40  # a minimal block


def test_an_upright_photo_keeps_no_exif_at_all():
    clean = strip_metadata(synthetic_jpeg(rp.exif_segment(1)))
    assert b"Exif" not in clean and jpeg_orientation(clean) == 1
    assert jpeg_orientation(synthetic_jpeg(rp.exif_segment(6))) == 6
    assert turned_sideways(6) and turned_sideways(8) and not turned_sideways(3)


def test_a_damaged_exif_block_does_not_stop_the_picture():
    broken = segment(0xE1, b"Exif\x00\x00II*\x00\xff\xff\xff\x00")
    clean = strip_metadata(synthetic_jpeg(broken))
    assert b"Exif" not in clean and jpeg_orientation(clean) == 1


def test_png_keeps_pixels_and_colour_drops_text_exif_and_time():
    dirty = rp.png(30, 20, text=True)
    clean = strip_metadata(dirty)
    assert not any(c in clean for c in CANARIES)
    for chunk in (b"tEXt", b"iTXt", b"eXIf", b"tIME"):
        assert chunk in dirty and chunk not in clean
    for chunk in (b"IHDR", b"pHYs", b"IDAT", b"IEND"):
        assert chunk in clean
    assert sniff(clean) == sniff(dirty)
    assert strip_metadata(clean) == clean


def test_png_drops_unknown_chunks_and_anything_after_the_end():
    plain = rp.png(4, 4)
    end = plain.rindex(b"IEND") - 4
    private = struct.pack(">I", 5) + b"caBX" + b"who!!" + b"\x00\x00\x00\x00"
    dirty = plain[:end] + private + plain[end:] + rp.TAIL_CANARY
    assert strip_metadata(dirty) == plain


def test_gif_drops_comments_and_xmp_keeps_the_loop():
    dirty = rp.gif(1, 1)
    clean = strip_metadata(dirty)
    assert rp.COMMENT_CANARY not in clean and rp.TEXT_CANARY not in clean
    assert b"NETSCAPE2.0" in clean and clean.endswith(b"\x3b")
    assert sniff(clean) == sniff(dirty)


def webp_chunk(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("<I", len(body)) + body + b"\x00" * (len(body) & 1)


def test_webp_drops_exif_and_xmp_and_clears_their_flags():
    vp8x = webp_chunk(b"VP8X", bytes((0x08 | 0x04 | 0x10, 0, 0, 0)) + (9).to_bytes(3, "little")
                      + (4).to_bytes(3, "little"))
    image = webp_chunk(b"VP8L", b"\x2f" + bytes(20))
    body = (b"WEBP" + vp8x + image + webp_chunk(b"EXIF", rp.exif_tiff())
            + webp_chunk(b"XMP ", rp.TEXT_CANARY))
    clean = strip_metadata(b"RIFF" + struct.pack("<I", len(body)) + body)
    assert rp.MAKE_CANARY not in clean and rp.TEXT_CANARY not in clean
    assert clean[20] == 0x10  # only the alpha flag is left
    assert struct.unpack("<I", clean[4:8])[0] == len(clean) - 8
    assert clean.endswith(image)


@pytest.mark.parametrize("data", [
    b"", b"not a picture", b"RIFF\x00\x00\x00\x00WAVEfmt ",
    b"\xff\xd8\xff\xe0\xff\xff",  # a segment longer than the file
    rp.png(2, 2)[:40],  # cut off before its end chunk
])
def test_what_cannot_be_cleaned_is_refused(data):
    with pytest.raises(PictureFormatError):
        strip_metadata(data)
