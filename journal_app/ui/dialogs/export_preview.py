"""What the export dialog keeps while it is open: attachment bytes, the preview's pictures
decoded once at screen size, and the charts.

The preview is redrawn after every tick, and each redraw selects the report anew, which
reads the included attachments: :class:`CachedReader` keeps what it read (up to a budget,
the least recently used dropped first) so a tick doesn't decrypt every picture again.
:class:`PreviewPictures` keeps the decoded, screen-sized images. Both live in memory only
(no file is ever written) and are dropped when the dialog closes or the journal locks.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping

from PySide6.QtGui import QImage, QTextDocument

from journal_app.domain.attachments import Attachment
from journal_app.domain.report import ReportData
from journal_app.errors import DamagedFileError
from journal_app.export.document import ReportDocument
from journal_app.ui.print import pdf_report, pictures

#: Attachment bytes the dialog keeps between redraws of the preview.
CACHE_BYTES = 192 * 1024 * 1024


class CachedReader:
    """``read`` with the answers kept (by attachment id) up to ``budget`` bytes. A file
    that can't be read (``DamagedFileError``) is remembered as such while the dialog is
    open, so a damaged picture is not decrypted again at every redraw."""

    def __init__(self, read: Callable[[Attachment], bytes], budget: int = CACHE_BYTES) -> None:
        self._read = read
        self._budget = budget
        self._kept: OrderedDict[int, bytes] = OrderedDict()
        self._damaged: dict[int, DamagedFileError] = {}
        self._size = 0

    def __call__(self, attachment: Attachment) -> bytes:
        key = attachment.id
        if key is None:
            return self._read(attachment)
        if key in self._damaged:
            raise self._damaged[key]
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        try:
            data = self._read(attachment)
        except DamagedFileError as exc:
            self._damaged[key] = exc
            raise
        if len(data) <= self._budget:
            self._kept[key] = data
            self._size += len(data)
            while self._size > self._budget:
                _old, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped)
        return data

    def clear(self) -> None:
        self._kept.clear()
        self._damaged.clear()
        self._size = 0


class PreviewPictures:
    """The preview's pictures, decoded at the size the preview shows them."""

    def __init__(self) -> None:
        self._images: dict[tuple[str, int, int], QImage] = {}

    def add_to(self, text: QTextDocument, document: ReportDocument,
               box: tuple[float, float], scale: float) -> frozenset[str]:
        """Add the pictures of ``document`` to ``text`` (decoding only new ones); returns
        the keys of those that can't be decoded."""
        wanted: dict[tuple[str, int, int], QImage] = {}
        for picture in pictures.pictures_of(document):
            key = (picture.key, len(picture.data), round(box[0] * scale))
            image = self._images.get(key)
            if image is None:
                one = ReportDocument(document.title, document.header, (picture,))
                image = pictures.decoded(one, box, pixels_per_css_px=scale)[picture.key]
            wanted[key] = image
        self._images = wanted
        images = {key[0]: image for key, image in wanted.items()}
        pictures.add_to(text, images)
        return pictures.unreadable(images)

    def clear(self) -> None:
        self._images = {}


class ChartCache:
    """Charts of a report, kept while the period, measures and sessions stay the same, at
    one scale for the preview (the screen's) and one for files and prints."""

    def __init__(self) -> None:
        self._charts: dict[tuple[object, ...], Mapping[str, bytes]] = {}

    def get(self, data: ReportData, scale: float) -> Mapping[str, bytes]:
        key = (
            scale,
            data.period_start,
            data.period_end,
            tuple((s.measure.id, len(s.points)) for s in data.scores),
            tuple(s.session.id for s in data.sessions),
        )
        if key not in self._charts:
            self._charts = {k: v for k, v in self._charts.items() if k[0] != scale}
            self._charts[key] = pdf_report.chart_pngs(data, scale=scale)
        return self._charts[key]

    def clear(self) -> None:
        self._charts = {}
