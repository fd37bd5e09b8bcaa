"""The PDF report: Qt's PDF writer, charts, page numbers, AES-256 passwords (pdftotext and
pypdf read what a clinician's viewer would)."""

from __future__ import annotations

import shutil
import stat
import subprocess

import pytest
from pypdf import PasswordType, PdfReader

from journal_app.domain.report import ReportRequest, select_report
from journal_app.export.progress import Cancelled, Progress
from journal_app.export.service import ReportFormat, export_report
from journal_app.storage.report_source import gather_from
from journal_app.ui.print import pdf_report
from tests.helpers.report_journal import (
    INTENTIONS,
    PRIVATE_CANARY,
    STOOD_OUT,
    course_database,
    make_course_journal,
)
from tests.unit.cli.support import CliRunner

UNTICKED_TITLE = "Three days after session 2"
PDF_PASSWORD = "clinic-visit-2026"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext) is not installed")


def pdf_text(path, password: str | None = None) -> str:
    args = ["pdftotext", "-layout"] + (["-upw", password] if password else [])
    result = subprocess.run([*args, str(path), "-"], capture_output=True, text=True,
                            check=True)
    return " ".join(result.stdout.split())


@pytest.fixture(scope="module")
def data():
    db, _course = course_database()
    inputs = gather_from(db)
    unticked = next(e.id for e in inputs.entries if e.title == UNTICKED_TITLE)
    yield select_report(inputs, ReportRequest(excluded_entry_ids=frozenset({unticked}),
                                              patient_name="Sam R."))
    db.close()


def _write(data, path, **kwargs) -> None:
    export_report(data, ReportFormat.PDF, path, charts=pdf_report.chart_pngs(data),
                  pdf_renderer=pdf_report.render_pdf, **kwargs)


def test_pdf_carries_course_scores_flags_and_chosen_entries(qapp, data, tmp_path):
    out = tmp_path / "report.pdf"
    _write(data, out)
    text = pdf_text(out)
    assert "3 Mar 2026, 10:00" in text and "31 Mar 2026, 10:00" in text
    assert "IV infusion" in text
    assert "19 (moderately severe)" in text and "15 (severe)" in text
    assert "10 Mar 2026, 09:00" in text and "Several days (1)" in text
    assert "SAFETY: item 9 above 0" in text
    for intention in INTENTIONS:
        assert " ".join(intention.split()[:6]) in text
    assert " ".join(STOOD_OUT[1].split()[:6]) in text
    assert PRIVATE_CANARY not in text and UNTICKED_TITLE not in text
    pages = len(PdfReader(out).pages)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Sam R. · 24 Feb 2026 – 28 Apr 2026" in text  # the running header
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_pdf_embeds_one_chart_per_measure(qapp, data, tmp_path):
    out = tmp_path / "report.pdf"
    _write(data, out)
    listing = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    images = {line.split()[10] for line in listing if line.split()[2] == "image"}  # object ids
    assert len(images) == len([s for s in data.scores if s.points]) == 2


def test_a_password_protected_pdf_opens_only_with_its_password(qapp, data, tmp_path):
    out = tmp_path / "locked.pdf"
    _write(data, out, password=PDF_PASSWORD)
    reader = PdfReader(out)
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"]
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256
    assert reader.decrypt("not the password") == PasswordType.NOT_DECRYPTED
    with pytest.raises(subprocess.CalledProcessError):
        pdf_text(out)
    opened = PdfReader(out)
    assert opened.decrypt(PDF_PASSWORD) != PasswordType.NOT_DECRYPTED
    assert "Intention" in opened.pages[0].extract_text() + opened.pages[1].extract_text()
    assert INTENTIONS[0].split()[0] in pdf_text(out, PDF_PASSWORD)
    assert PDF_PASSWORD.encode() not in out.read_bytes()


def test_cancelling_while_writing_pages_leaves_no_file(qapp, data, tmp_path):
    out = tmp_path / "report.pdf"
    stage = {"name": ""}
    progress = Progress(callback=lambda done, total, name: stage.update(name=name),
                        cancelled=lambda: stage["name"] == "Writing PDF pages")
    with pytest.raises(Cancelled):
        _write(data, out, progress=progress)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def run(monkeypatch, capsys):
    return CliRunner(monkeypatch, capsys)


def test_cli_pdf_with_password_file(qapp, run, tmp_path):
    journal = tmp_path / "course.ijournal"
    make_course_journal(journal)
    secret = tmp_path / "pdf-password.txt"
    secret.write_text(PDF_PASSWORD + "\n")
    out = tmp_path / "report.pdf"
    result = run("export", journal, "--format", "pdf", "--out", out, "--name", "Sam R.",
                 "--pdf-password-file", secret)
    assert result.code == 0, result.err
    assert "password-protected" in result.err and PDF_PASSWORD not in result.err
    assert PdfReader(out).is_encrypted
    text = pdf_text(out, PDF_PASSWORD)
    assert "Sam R." in text and PRIVATE_CANARY not in text


def test_cli_html_gets_the_charts(qapp, run, tmp_path):
    journal = tmp_path / "course.ijournal"
    make_course_journal(journal)
    out = tmp_path / "report.html"
    assert run("export", journal, "--format", "html", "--out", out).code == 0
    assert out.read_text(encoding="utf-8").count('src="data:image/png;base64,') == 2


def test_no_session_summary_is_cut_across_pages(qapp, tmp_path):
    """Twelve sessions with long summaries: without keeping rows together several would
    be cut at a page end."""
    from journal_app.export.document import Comparison, ComparisonRow, ReportDocument, para

    rows = tuple(ComparisonRow((f"Session {n}", "1 Mar 2026"),
                               (para(f"START{n} " + "intention words " * 25),),
                               (para("what happened " * 40 + f" END{n}"),))
                 for n in range(1, 13))
    document = ReportDocument("t", "h", (Comparison(("Session", "Before", "After"), rows),))
    out = tmp_path / "rows.pdf"
    out.write_bytes(pdf_report.render_pdf(document))
    pages = [pdf_text_page(out, n) for n in range(1, len(PdfReader(out).pages) + 1)]
    assert len(pages) > 2
    for n in range(1, 13):
        where = [i for i, page in enumerate(pages) if f"START{n} " in page]
        assert where and f"END{n}" in pages[where[0]], f"session {n} is cut"


def pdf_text_page(path, number: int) -> str:
    result = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number),
                             str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(result.stdout.split())


def test_a_heading_never_ends_a_page(qapp, tmp_path):
    """Sixty entries of different lengths: every entry title shares its page with the
    entry's first answer."""
    from journal_app.export.document import Answer, Heading, ReportDocument, Tone, para

    blocks = []
    for n in range(60):
        blocks += [Heading(4, f"TITLE{n}"), para(f"Integration · day {n}", Tone.META),
                   Answer(f"QUESTION{n}?", f"ANSWER{n} " + "word " * (7 * (n % 9)))]
    out = tmp_path / "headings.pdf"
    out.write_bytes(pdf_report.render_pdf(ReportDocument("t", "h", tuple(blocks))))
    pages = [pdf_text_page(out, n) for n in range(1, len(PdfReader(out).pages) + 1)]
    assert len(pages) > 2
    for n in range(60):
        where = [i for i, page in enumerate(pages) if f"TITLE{n} " in page]
        assert where and f"ANSWER{n} " in pages[where[0]], f"entry {n} is cut after its title"


def test_pages_after_keeping_things_together_are_what_a_fresh_layout_gives(qapp):
    """The pager lays the report out once and lets Qt update positions as it adds each page
    break; what it measured must be what a layout from scratch (as drawn) gives."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QTextFormat, QTextTable

    from journal_app.export.document import (
        Answer,
        Comparison,
        ComparisonRow,
        Heading,
        ReportDocument,
        Tone,
        para,
    )
    from journal_app.export.progress import ensure

    blocks = []
    for n in range(40):
        blocks += [Heading(4, f"Entry {n}"), para(f"Integration · day {n}", Tone.META),
                   Answer(f"Question {n}?", "word " * (9 * (n % 7)))]
        if n % 8 == 3:
            blocks.append(Comparison(("Session", "Before", "After"), (ComparisonRow(
                (f"Session {n}", "1 Mar 2026"), (para("intention " * 30),),
                (para("what happened " * 45),)),)))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pager = pdf_report._Pager(pdf_report._new_writer(buffer, "t"), "h")
    text = pager.layout(ReportDocument("t", "h", tuple(blocks)), None, ensure(None))

    def positions() -> list[tuple[float, float]]:
        layout, found, block = text.documentLayout(), [], text.begin()
        while block.isValid():
            box = layout.blockBoundingRect(block)
            found.append((box.top(), box.bottom()))
            block = block.next()
        return found + [(layout.frameBoundingRect(f).top(), layout.frameBoundingRect(f).bottom())
                        for f in text.rootFrame().childFrames()]

    before = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    moved = sum(1 for f in text.rootFrame().childFrames()
                if isinstance(f, QTextTable) and f.frameFormat().pageBreakPolicy() & before)
    block = text.begin()
    while block.isValid():
        moved += bool(block.blockFormat().pageBreakPolicy() & before)
        block = block.next()
    assert moved >= 3  # the pager really moved things
    measured, pages = positions(), text.pageCount()
    text.markContentsDirty(0, text.characterCount())  # everything laid out again
    assert positions() == measured
    assert text.pageCount() == pages
    buffer.close()
