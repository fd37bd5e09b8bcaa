"""One call to export a report in any format: the GUI and the CLI both use it.

PDF and charts need Qt, which ``export`` may not import: the caller passes the PDF
renderer (``journal_app.ui.print.pdf_report.render_pdf``) and, if it has them, chart PNGs
(``journal_app.ui.print.pdf_report.chart_pngs``). Files are written atomically, owner-only.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from pathlib import Path

from journal_app.atomic import write_private
from journal_app.domain.report import ReportData
from journal_app.errors import UsageError
from journal_app.export.builder import build_document
from journal_app.export.html import render_html
from journal_app.export.json_format import render_json
from journal_app.export.markdown import render_markdown
from journal_app.export.progress import Progress, ensure


class ReportFormat(enum.StrEnum):
    MARKDOWN = "md"
    HTML = "html"
    JSON = "json"
    PDF = "pdf"

    @property
    def suffix(self) -> str:
        return "." + self.value


PdfRenderer = Callable[..., bytes]  # (document, *, charts, password, progress) -> bytes


def render_report(data: ReportData, fmt: ReportFormat | str, *,
                  charts: Mapping[str, bytes] | None = None,
                  pdf_renderer: PdfRenderer | None = None, password: str | None = None,
                  progress: Progress | None = None) -> bytes:
    """The report's bytes in ``fmt``. A password is only for PDF."""
    fmt = ReportFormat(fmt)
    steps = ensure(progress)
    if password and fmt is not ReportFormat.PDF:
        raise UsageError("Only a PDF report can be protected with a password.")
    if fmt is ReportFormat.JSON:
        return render_json(data, progress=steps).encode("utf-8")
    document = build_document(data, progress=steps)
    if fmt is ReportFormat.MARKDOWN:
        return render_markdown(document, progress=steps).encode("utf-8")
    if fmt is ReportFormat.HTML:
        return render_html(document, charts=charts, progress=steps).encode("utf-8")
    if pdf_renderer is None:
        raise UsageError("PDF export needs the PDF renderer of the desktop app.")
    return pdf_renderer(document, charts=charts, password=password, progress=steps)


def export_report(data: ReportData, fmt: ReportFormat | str, path: Path, *,
                  charts: Mapping[str, bytes] | None = None,
                  pdf_renderer: PdfRenderer | None = None, password: str | None = None,
                  progress: Progress | None = None) -> Path:
    """Render and write ``path`` atomically with owner-only permissions. A cancel (or any
    failure) leaves no new file behind and an existing one unchanged."""
    steps = ensure(progress)
    payload = render_report(data, fmt, charts=charts, pdf_renderer=pdf_renderer,
                            password=password, progress=steps)
    write_private(Path(path), payload, before_replace=steps.check)
    return Path(path)
