"""Cleaned pictures still decode (Qt reads them as a browser or PDF viewer would): the
same size, the GPS block gone, a phone photo still the right way up."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from journal_app.domain.attachments import sniff
from journal_app.domain.picture_metadata import strip_metadata
from journal_app.ui.print.pictures import decode
from tests.helpers import report_pictures as rp


def test_a_jpeg_with_a_gps_block_decodes_to_the_same_size_without_it(qapp):
    dirty = rp.jpeg(320, 200)
    assert rp.GPS_LATITUDE in dirty and rp.MAKE_CANARY in dirty
    clean = strip_metadata(dirty)
    for canary in (rp.GPS_LATITUDE, rp.MAKE_CANARY, rp.COMMENT_CANARY, rp.TAIL_CANARY):
        assert canary not in clean
    assert b"Exif" not in clean
    before, after = QImage.fromData(dirty), QImage.fromData(clean)
    assert not after.isNull() and after.size() == before.size()
    assert (after.width(), after.height()) == (320, 200)
    assert after.pixelColor(10, 10) == before.pixelColor(10, 10)  # the same pixels


def test_a_turned_phone_photo_is_shown_upright_after_cleaning(qapp):
    clean = strip_metadata(rp.jpeg(320, 200, orientation=6))
    assert rp.GPS_LATITUDE not in clean
    upright = decode(clean)
    assert (upright.width(), upright.height()) == (200, 320)


@pytest.mark.parametrize("make", [lambda: rp.png(30, 20, text=True), lambda: rp.webp(40, 30)])
def test_png_and_webp_decode_after_cleaning(qapp, make):
    dirty = make()
    clean = strip_metadata(dirty)
    assert rp.TEXT_CANARY not in clean and rp.MAKE_CANARY not in clean
    image = QImage.fromData(clean)
    info = sniff(dirty)
    assert (image.width(), image.height()) == (info.width, info.height)
