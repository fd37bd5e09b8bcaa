"""The report as PDF, made by Qt's own PDF writer (QPdfWriter + QTextDocument).

The print HTML from ``export/html.py`` is laid out page by page; every page gets a header
(the name the patient chose and the period) and a footer with "Page n of N". Charts are
drawn by ``ui/charts.py`` and embedded as PNG. Attached pictures are decoded from their
cleaned bytes (``ui/print/pictures.py``) and drawn under their entry, as wide as the page
and at most half a page high; voice notes are listed with their length. With a password
the finished PDF is encrypted in memory with AES-256 (pypdf) before anything touches the
disk; the password is never stored. ``export.service.export_report(...,
pdf_renderer=render_pdf)`` writes the file atomically, owner-only.

Everything here runs on a worker thread as well as on the main thread: it uses only
QTextDocument, QImage and QPainter on a QPdfWriter, never a widget.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.report import ReportData
from journal_app.domain.trends import MeasureSeries
from journal_app.export.document import ReportDocument
from journal_app.export.html import render_print_html
from journal_app.export.progress import Progress, ensure
from journal_app.ui.images import png_bytes
from journal_app.ui.print import pictures

RESOLUTION = 300  # dots per inch of the PDF's coordinate system
MARGINS_MM = QMarginsF(16, 12, 16, 12)
HEADER_PT = 8.0
KEEP_TOGETHER = 0.4  # tables shorter than this share of a page are never cut
CHART_SIZE = (720, 215)  # layout size of each chart, in screen pixels (fonts as on screen)
CHART_SCALE = 3.0  # drawn at 3x for print: about 300 dpi across the page
CSS_DPI = 96  # Qt's rich text sizes images in CSS pixels of 1/96 inch
PICTURE_PAGE_SHARE = 0.5  # a picture is at most this share of the page's text area high

_app_holder: list[object] = []


def ensure_application() -> None:
    """Charts are QtCharts graphics items and need a QApplication. The command line has
    none: make one on the offscreen platform (no display needed)."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        _app_holder.append(QApplication([sys.argv[0] if sys.argv else "journal-app",
                                         "-platform", os.environ.get("QT_QPA_PLATFORM",
                                                                     "offscreen")]))


def chart_image(series: MeasureSeries, sessions: Sequence[TreatmentSession],
                size: tuple[int, int] = CHART_SIZE, scale: float = CHART_SCALE) -> QImage:
    """The chart of ``ui/charts.py`` in the light theme, drawn at ``scale`` times its size
    so it stays sharp in print."""
    from journal_app.ui.charts.trends import render_chart_image  # QtCharts: loaded late

    return render_chart_image(series, sessions, size, dark=False, scale=scale)


def chart_pngs(data: ReportData, *, size: tuple[int, int] = CHART_SIZE,
               scale: float = CHART_SCALE, progress: Progress | None = None,
               ) -> dict[str, bytes]:
    """PNG trend charts of the report's measures (those with check-ins), by measure id.
    Needs a QApplication on the calling thread's process; call on the main thread."""
    steps = ensure(progress)
    shown = [s for s in data.scores if s.points]
    steps.start("Drawing charts", len(shown))
    sessions = [s.session for s in data.sessions]
    found = {}
    for series in shown:
        steps.advance()
        found[series.measure.id] = png_bytes(chart_image(series, sessions, size, scale))
    return found


# --------------------------------------------------------------------------- pages


class _Pager:
    """Lays one report out on a paged device (a QPdfWriter or a QPrinter) and draws every
    page with its header (name and period) and footer (page n of N)."""

    def __init__(self, device: QPagedPaintDevice, header: str) -> None:
        self.device = device
        self.header = header
        self.dpi = float(device.resolution())
        page = device.pageLayout().paintRectPixels(device.resolution())
        self.width = float(page.width())
        self.band = self.points(HEADER_PT * 3.2)  # room above and below the header text
        self.body_height = float(page.height()) - 2 * self.band

    def points(self, value: float) -> float:
        return value / 72 * self.dpi

    def layout(self, document: ReportDocument, charts: Mapping[str, bytes] | None,
               steps: Progress) -> QTextDocument:
        text = QTextDocument()
        text.documentLayout().setPaintDevice(self.device)
        text.setPageSize(QSizeF(self.width, self.body_height))
        text.setDocumentMargin(0)
        width = self.width / self.dpi * CSS_DPI
        box = (width, self.body_height / self.dpi * CSS_DPI * PICTURE_PAGE_SHARE)
        images = pictures.decoded(document, box, pixels_per_css_px=pictures.PRINT_PPI / CSS_DPI)
        pictures.add_to(text, images)
        text.setHtml(render_print_html(
            document, charts=charts, chart_width=int(width), px_scale=self.dpi / CSS_DPI,
            picture_box=box, unreadable=pictures.unreadable(images), progress=steps))
        # Lay the whole document out once, now. After that, each page break set below is
        # applied by Qt itself as it is set: it lays out the changed block again and moves
        # what follows (re-breaking lines that now cross a page end), which matches a
        # layout from scratch. Marking the rest of the document dirty after each break
        # made Qt lay all of it out again each time: ~1.3 s of a 500-entry report. (An
        # estimate that adds each break's shift in Python is no substitute: lines pushed
        # to the next page at each page end make positions drift from it.)
        text.pageCount()
        self._keep_tables_together(text)
        self._keep_headings_with_text(text, steps)
        return text

    def _keep_tables_together(self, text: QTextDocument) -> None:
        """A short table that would straddle two pages starts on the next one instead
        (Qt would cut it mid-row; the session summaries are one table per session)."""
        layout = text.documentLayout()
        for frame in text.rootFrame().childFrames():
            if not isinstance(frame, QTextTable):
                continue
            box = layout.frameBoundingRect(frame)  # queried anew: earlier breaks move it
            first, last = int(box.top() // self.body_height), int(box.bottom() // self.body_height)
            if first != last and box.height() < KEEP_TOGETHER * self.body_height:
                fmt = frame.frameFormat()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                frame.setFrameFormat(fmt)

    def _keep_headings_with_text(self, text: QTextDocument, steps: Progress) -> None:
        """Headings (with the meta line under them, and any heading right after) never end
        a page: if the first lines that follow would fall on the next page, the whole run
        starts there. A picture (or chart) that would be cut at a page end starts the next
        page too (Qt would draw a sliver of it above the footer)."""
        layout = text.documentLayout()
        block = text.begin()
        while block.isValid():
            if _is_heading(block) and not _is_heading(block.previous()):
                steps.check()
                last = block
                while last.next().isValid() and _is_heading(last.next()):
                    last = last.next()
                top = layout.blockBoundingRect(block).top()  # anew: earlier breaks move it
                end = layout.blockBoundingRect(last)
                follow = layout.blockBoundingRect(last.next()) if last.next().isValid() \
                    else end
                needed = end.bottom() + min(follow.height(), 2 * end.height())
                if int(top // self.body_height) != int(needed // self.body_height) \
                        and needed - top < KEEP_TOGETHER * self.body_height:
                    _break_before(block)
                block = last
            elif _has_image(block):
                box = layout.blockBoundingRect(block)
                if int(box.top() // self.body_height) != int(box.bottom() // self.body_height) \
                        and box.height() < self.body_height:
                    _break_before(self._entry_start(text, block))
            block = block.next()

    def _entry_start(self, text: QTextDocument, picture: QTextBlock) -> QTextBlock:
        """Where a picture that must start a new page takes its entry along: the entry's
        title (and any heading right above it), when only a few lines on the same page
        lead from it to the picture, so a short entry is not left apart from its photo."""
        layout = text.documentLayout()
        top = layout.blockBoundingRect(picture).top()
        nearest = max(top - KEEP_TOGETHER * self.body_height,
                      top // self.body_height * self.body_height)  # this page, a few lines
        block = picture.previous()
        while block.isValid() and not _is_title(block) and not _has_image(block) \
                and layout.blockBoundingRect(block).top() >= nearest:
            block = block.previous()
        if not _is_title(block) or layout.blockBoundingRect(block).top() < nearest:
            return picture
        while _is_heading(block.previous()):
            block = block.previous()
        return block if layout.blockBoundingRect(block).top() >= nearest else picture

    def draw(self, text: QTextDocument, painter: QPainter, steps: Progress) -> None:
        pages = text.pageCount()
        steps.start("Writing PDF pages", pages)
        for index in range(pages):
            steps.advance()
            if index:
                self.device.newPage()
            self._chrome(painter, index + 1, pages)
            painter.save()
            painter.translate(0, self.band - index * self.body_height)
            text.drawContents(painter, QRectF(0, index * self.body_height,
                                              self.width, self.body_height))
            painter.restore()

    def _chrome(self, painter: QPainter, number: int, total: int) -> None:
        font = QFont("DejaVu Sans")
        font.setPointSizeF(HEADER_PT)
        painter.setFont(font)
        painter.setPen(QColor("#555555"))
        left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        text_h = self.band * 0.6
        top = QRectF(0, 0, self.width, text_h)
        painter.drawText(top, left, self.header)
        painter.drawText(top, right, "Confidential: shared by the patient")
        painter.setPen(QPen(QColor("#9aa5b1"), self.points(0.5)))
        rule = text_h + self.points(2)
        painter.drawLine(QPointF(0, rule), QPointF(self.width, rule))
        bottom = QRectF(0, self.band + self.body_height + self.band * 0.4, self.width, text_h)
        painter.setPen(QColor("#555555"))
        painter.drawText(bottom, right, f"Page {number} of {total}")
        painter.drawText(bottom, left, "Integration journal report")


def _is_heading(block: QTextBlock) -> bool:
    return block.isValid() and block.blockFormat().headingLevel() >= 2


def _is_title(block: QTextBlock) -> bool:
    """A section, session or entry title (h2-h4; questions and meta lines are h5/h6)."""
    return block.isValid() and 2 <= block.blockFormat().headingLevel() <= 4


def _has_image(block: QTextBlock) -> bool:
    """Whether ``block`` holds an image (Qt marks one with U+FFFC in the text)."""
    if "\ufffc" not in block.text():
        return False
    fragments = block.begin()
    while not fragments.atEnd():
        if fragments.fragment().charFormat().isImageFormat():
            return True
        fragments += 1
    return False


def _break_before(block: QTextBlock) -> None:
    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)


def paint_report(document: ReportDocument, device: QPagedPaintDevice, *,
                 charts: Mapping[str, bytes] | None = None,
                 progress: Progress | None = None) -> int:
    """Draw the report on ``device`` (a QPdfWriter or a QPrinter); returns the page count."""
    steps = ensure(progress)
    pager = _Pager(device, document.header)
    text = pager.layout(document, charts, steps)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the page device could not start")
    try:
        pager.draw(text, painter, steps)
    finally:
        painter.end()
    return text.pageCount()


def _new_writer(buffer: QBuffer, title: str) -> QPdfWriter:
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, MARGINS_MM,
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(title)
    writer.setCreator("Integration Journal")
    return writer


def render_pdf(document: ReportDocument, *, charts: Mapping[str, bytes] | None = None,
               password: str | None = None, progress: Progress | None = None) -> bytes:
    """The PDF's bytes (encrypted with AES-256 when ``password`` is given)."""
    steps = ensure(progress)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        paint_report(document, _new_writer(buffer, document.title), charts=charts,
                     progress=steps)
    finally:
        buffer.close()
    pdf = bytes(data.data())
    steps.check()
    return encrypt(pdf, password) if password else pdf


def encrypt(pdf: bytes, password: str) -> bytes:
    """``pdf`` encrypted with AES-256 for ``password`` (in memory: no plaintext file)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

