"""Pictures in the PDF and HTML reports, read back as a clinician's viewer would: the
PDF's pages hold the picture as an image under its entry, voice notes are listed (never
embedded), a saved phone photo carries no EXIF, and one end-to-end run goes through a real
journal's encrypted attachment store."""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from journal_app.domain.attachments import AttachmentKind, sniff
from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.report import ReportInputs, ReportRequest, select_report
from journal_app.export.service import ReportFormat, export_report, render_report
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Vault
from journal_app.ui.print import pdf_report
from tests.helpers import report_pictures as rp
from tests.helpers.journals import make_journal
from tests.ui.test_export_pdf import pdf_text, pdf_text_page

pytestmark = pytest.mark.skipif(shutil.which("pdfimages") is None,
                                reason="poppler-utils (pdfimages, pdftotext) is not installed")

WHEN = dt.datetime(2026, 3, 4, 21, 0, tzinfo=rp.TZ)
TITLE = "The evening after"
BODY = "I saw a lake, wide and calm."


def pdf_image_rows(path) -> list[list[str]]:
    lines = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    return [f for f in (line.split() for line in lines) if f[2] == "image"]


def pdf_images(path) -> list[tuple[int, int, int, str]]:
    """(page, width, height, object id) of each image drawn in the PDF."""
    return [(int(f[0]), int(f[3]), int(f[4]), f[10]) for f in pdf_image_rows(path)]


def drawn_inches(path) -> list[tuple[float, float]]:
    """(width, height) in inches each image is drawn at (its pixels over its ppi)."""
    return [(int(f[3]) / int(f[12]), int(f[4]) / int(f[13])) for f in pdf_image_rows(path)]


def one_entry(attached: list[tuple[int, AttachmentKind, bytes | None]], *, body: str = BODY,
              **request) -> object:
    entry = Entry(EntryKind.INTEGRATION, TITLE, body, created_at=WHEN, updated_at=WHEN, id=1)
    blobs = {aid: data for aid, _kind, data in attached if data is not None}
    found = [rp.attachment(1, aid, kind, data if data is not None else rp.png(800, 600))
             for aid, kind, data in attached]

    def read(attachment):
        if attachment.id not in blobs:
            from journal_app.errors import DamagedFileError
            raise DamagedFileError("The attachment can't be read.")
        return blobs[attachment.id]

    inputs = ReportInputs(entries=[entry], attachments={1: found}, attachment_data=read)
    return select_report(inputs, ReportRequest(**request))


def write_pdf(data, path) -> None:
    export_report(data, ReportFormat.PDF, path, pdf_renderer=pdf_report.render_pdf)


def test_the_pdf_draws_the_picture_under_its_entry_and_lists_the_voice_note(qapp, tmp_path):
    data = one_entry([(11, AttachmentKind.IMAGE, rp.jpeg(1600, 800)),
                      (12, AttachmentKind.VOICE, rp.wav(125))], include_voice_notes=True)
    out = tmp_path / "report.pdf"
    write_pdf(data, out)
    images = pdf_images(out)
    assert len(images) == 1
    page, width, height, _obj = images[0]
    assert width / height == pytest.approx(2, rel=0.01)  # its shape is kept
    text = pdf_text_page(out, page)
    assert TITLE in text and BODY in text and "Voice note · 2:05" in text
    assert "Picture · The evening after · 4 Mar 2026" in text  # under it, naming its entry
    reader = PdfReader(out)
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"])  # nothing to play
    (wide, high), = drawn_inches(out)
    a4_text_width = (210 - 32) / 25.4
    assert wide == pytest.approx(a4_text_width, rel=0.03)  # as wide as the text
    assert high < 297 / 25.4 / 2  # at most half a page


def test_a_phone_photo_is_drawn_upright_in_the_pdf(qapp, tmp_path):
    data = one_entry([(11, AttachmentKind.IMAGE, rp.jpeg(320, 200, orientation=6))])
    out = tmp_path / "report.pdf"
    write_pdf(data, out)
    (_page, width, height, _obj), = pdf_images(out)
    assert width < height


def test_pictures_never_straddle_a_page_end(qapp, tmp_path):
    attached = [(10 + n, AttachmentKind.IMAGE, rp.jpeg(900, 700 + 40 * n)) for n in range(7)]
    out = tmp_path / "report.pdf"
    write_pdf(one_entry(attached), out)
    images = pdf_images(out)
    assert len(images) == 7  # each drawn once: none was cut and drawn on two pages
    assert len({obj for _p, _w, _h, obj in images}) == 7
    assert all(high < 297 / 25.4 / 2 for _wide, high in drawn_inches(out))
    assert len(PdfReader(out).pages) >= 3


def test_an_entry_with_a_little_text_moves_with_its_picture(qapp, tmp_path):
    """A picture pushed to the next page takes its entry's title and few lines along."""
    from journal_app.export.document import Heading, Picture, ReportDocument, Tone, para

    photo = rp.jpeg(900, 1200)
    blocks = []
    for name in ("FIRST", "SECOND"):
        blocks += [Heading(4, f"TITLE-{name}"), para("Free writing · 4 Mar 2026", Tone.META),
                   para(f"WORDS-{name} a few words."),
                   Picture(name, "image/jpeg", photo, 900, 1200, "Picture")]
    out = tmp_path / "moved.pdf"
    out.write_bytes(pdf_report.render_pdf(ReportDocument("t", "h", tuple(blocks))))
    assert [page for page, *_rest in pdf_images(out)] == [1, 2]
    second = pdf_text_page(out, 2)
    assert "TITLE-SECOND" in second and "WORDS-SECOND" in second
    assert "TITLE-SECOND" not in pdf_text_page(out, 1)


def test_unreadable_pictures_are_listed_in_the_pdf(qapp, tmp_path):
    broken_pixels = bytearray(rp.png(60, 40))
    at = broken_pixels.index(b"IDAT") + 8
    broken_pixels[at:at + 12] = b"\x00" * 12  # the header is fine, the pixels are not
    data = one_entry([(11, AttachmentKind.IMAGE, None),
                      (12, AttachmentKind.IMAGE, bytes(broken_pixels))])
    out = tmp_path / "report.pdf"
    write_pdf(data, out)
    assert pdf_images(out) == []
    assert pdf_text(out).count("A picture that couldn't be read") == 2


def test_the_saved_html_carries_the_photo_without_exif(qapp):
    data = one_entry([(11, AttachmentKind.IMAGE, rp.jpeg(320, 200)),
                      (12, AttachmentKind.IMAGE, rp.jpeg(320, 200, orientation=8))])
    markup = render_report(data, ReportFormat.HTML).decode()
    sources = re.findall(r'<img src="data:image/jpeg;base64,([^"]+)"', markup)
    assert len(sources) == 2
    upright, turned = (base64.b64decode(s) for s in sources)
    for photo in (upright, turned):
        assert rp.GPS_LATITUDE not in photo and rp.MAKE_CANARY not in photo
        assert rp.COMMENT_CANARY not in photo and rp.TAIL_CANARY not in photo
        assert sniff(photo).width == 320
    assert b"Exif" not in upright
    assert turned.count(b"Exif") == 1 and len(turned) < len(upright) + 60  # orientation only
    assert 'width="200" height="320"' in markup  # shown turned, as the browser will


def test_voice_notes_are_out_of_the_pdf_unless_ticked(qapp, tmp_path):
    attached = [(11, AttachmentKind.VOICE, rp.wav(3))]
    out = tmp_path / "report.pdf"
    write_pdf(one_entry(attached), out)
    assert "Voice note" not in pdf_text(out)
    write_pdf(one_entry(attached, include_voice_notes=True), out)
    assert "Voice note · 0:03" in pdf_text(out)


# --------------------------------------------------------------------------- end to end


def test_a_picture_added_to_a_real_journal_reaches_the_report(qapp, tmp_path):
    made = make_journal(tmp_path, ())
    journal = Journal(Vault.open(made.path, made.secret))
    try:
        shared = journal.repo.add_entry(Entry(EntryKind.FREE, TITLE, BODY, created_at=WHEN,
                                              updated_at=WHEN))
        private = journal.repo.add_entry(Entry(EntryKind.FREE, "Mine", "PRIVATE-WORDS",
                                               private=True, created_at=WHEN, updated_at=WHEN))
        assert shared.id is not None and private.id is not None
        journal.add_attachment(shared.id, AttachmentKind.IMAGE, rp.jpeg(640, 480))
        journal.add_attachment(shared.id, AttachmentKind.VOICE, rp.wav(2))
        journal.add_attachment(private.id, AttachmentKind.DRAWING, rp.png(33, 22))
        journal.save()
        data = select_report(journal.report_inputs(), ReportRequest(include_voice_notes=True))
    finally:
        journal.close()
    markup = render_report(data, ReportFormat.HTML).decode()
    photos = re.findall(r'<img src="data:image/jpeg;base64,([^"]+)"', markup)
    assert len(photos) == 1 and "<img src=\"data:image/png" not in markup
    assert rp.GPS_LATITUDE not in base64.b64decode(photos[0])
    assert markup.count("<audio controls") == 1
    out = tmp_path / "report.pdf"
    write_pdf(data, out)
    assert len(pdf_images(out)) == 1 and "PRIVATE-WORDS" not in pdf_text(out)
