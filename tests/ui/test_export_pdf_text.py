"""The PDF report shows what the person wrote, even when it looks like HTML (issue 13)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.prompts import AnswerType, PromptAnswer
from journal_app.domain.report import ReportInputs, ReportRequest, select_report
from journal_app.export.service import ReportFormat, export_report
from journal_app.ui import pdf_report
from tests.ui.test_export_pdf import pdf_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext) is not installed")

TZ = dt.timezone(dt.timedelta(hours=1))
LETTER = "Dear <therapist name>, I am scared"
SCRIPT_WORDS = "I read about the <script> tag today. Then I went for a walk."
AMPERSANDS = "AT&T, &amp; and a<b"


def test_pdf_keeps_text_that_looks_like_html(qapp, tmp_path):
    when = dt.datetime(2026, 3, 4, 12, 0, tzinfo=TZ)
    body = f"{LETTER}\n\n{SCRIPT_WORDS}\n\nAT&T, &amp; and `a<b`\n\n**held** <b>bold?</b>"
    entries = [
        Entry(EntryKind.FREE, "A letter", body, created_at=when, updated_at=when, id=1),
        Entry(EntryKind.INTEGRATION, "Answers", "written", created_at=when, updated_at=when,
              id=2),
    ]
    answers = {2: [PromptAnswer("day1_stood_out", 1, "What stood out", "?", AnswerType.TEXT,
                                answer=f"{SCRIPT_WORDS}\n\n{LETTER}")]}
    data = select_report(ReportInputs(entries=entries, answers=answers),
                         ReportRequest(patient_name="Sam"))
    out = tmp_path / "report.pdf"
    export_report(data, ReportFormat.PDF, out, pdf_renderer=pdf_report.render_pdf)
    text = pdf_text(out)
    assert text.count(LETTER) == 2
    assert text.count(SCRIPT_WORDS) == 2
    assert AMPERSANDS in text
    assert "held <b>bold?</b>" in text
