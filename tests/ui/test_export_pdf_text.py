"""The PDF report shows what the person wrote, even when it looks like HTML (issue 13)."""

from __future__ import annotations

import shutil

import pytest

from journal_app.export.service import ReportFormat, export_report
from journal_app.ui.print import pdf_report
from tests.ui.test_export_pdf import pdf_text
from tests.unit.test_export_html_safety import LETTER, SCRIPT_WORDS, plain_report

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext) is not installed")


def test_pdf_keeps_text_that_looks_like_html(qapp, tmp_path):
    data = plain_report("\n\n**held** <b>bold?</b>")
    out = tmp_path / "report.pdf"
    export_report(data, ReportFormat.PDF, out, pdf_renderer=pdf_report.render_pdf)
    text = pdf_text(out)
    assert text.count(LETTER) == 2
    assert text.count(SCRIPT_WORDS) == 2
    assert "AT&T, &amp; and a<b" in text
    assert "held <b>bold?</b>" in text
