"""What a file is, read from its first bytes, and what the journal accepts
(journal_app/domain/attachments.py); no Qt."""

from __future__ import annotations

import struct

import pytest

from journal_app.domain.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_IMAGE_SIDE,
    AttachmentKind,
    AttachmentTooLargeError,
    UnsupportedAttachmentError,
    check_attachment,
    duration_text,
    kind_of,
    sniff,
)
from tests.helpers.attachment_files import jpeg, png, wav


def _webp_vp8x(width: int, height: int) -> bytes:
    body = b"VP8X" + struct.pack("<I", 10) + b"\x00" * 4 \
        + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


@pytest.mark.parametrize(("data", "media_type", "size"), [
    (png(7, 5), "image/png", (7, 5)),
    (jpeg(640, 480, comment="a note"), "image/jpeg", (640, 480)),
    (b"GIF89a" + struct.pack("<HH", 33, 21) + b"\x00" * 8, "image/gif", (33, 21)),
    (_webp_vp8x(1200, 800), "image/webp", (1200, 800)),
])
def test_pictures_are_known_by_their_header(data, media_type, size):
    info = sniff(data)
    assert (info.media_type, (info.width, info.height), info.is_audio) == (
        media_type, size, False)
    assert kind_of(data) is AttachmentKind.IMAGE


def test_a_wav_is_a_voice_note_with_its_length():
    data = wav(2.5, rate=8000)
    info = sniff(data)
    assert info.media_type == "audio/wav" and info.duration_ms == 2500
    assert kind_of(data) is AttachmentKind.VOICE
    assert check_attachment(data, AttachmentKind.VOICE) == info


@pytest.mark.parametrize("data", [b"", b"hello", b"%PDF-1.7\n", png(4, 3)[:20],
                                  b"RIFF\x00\x00\x00\x00WAVEjunk", b"\xff\xd8\xff"])
def test_anything_else_is_refused_with_a_plain_message(data):
    with pytest.raises(UnsupportedAttachmentError) as raised:
        check_attachment(data, AttachmentKind.IMAGE)
    assert "Nothing was attached" in str(raised.value)


def test_the_kind_must_match_what_the_file_is():
    with pytest.raises(UnsupportedAttachmentError, match="voice note, not a picture"):
        check_attachment(wav(0.1), AttachmentKind.IMAGE)
    with pytest.raises(UnsupportedAttachmentError, match="picture, not a voice note"):
        check_attachment(png(), AttachmentKind.VOICE)
    with pytest.raises(UnsupportedAttachmentError, match="drawing is kept as PNG"):
        check_attachment(jpeg(), AttachmentKind.DRAWING)
    assert check_attachment(png(), AttachmentKind.DRAWING).media_type == "image/png"


def test_too_large_files_and_pictures_are_refused():
    huge = png() + b"\x00" * (MAX_ATTACHMENT_BYTES + 1 - len(png()))
    with pytest.raises(AttachmentTooLargeError, match="at most 50 MB"):
        check_attachment(huge, AttachmentKind.IMAGE)
    wide = png(MAX_IMAGE_SIDE + 1, 1)[:24]  # the header says how big it would be
    with pytest.raises(UnsupportedAttachmentError, match="pixels on a side"):
        check_attachment(wide + b"\x00" * 16, AttachmentKind.IMAGE)


@pytest.mark.parametrize(("ms", "text"), [(None, ""), (0, "0:00"), (300, "0:01"),
                                          (1499, "0:01"), (42_000, "0:42"),
                                          (125_000, "2:05"), (3_600_000, "60:00")])
def test_duration_text(ms, text):
    assert duration_text(ms) == text
