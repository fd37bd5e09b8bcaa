"""The report's pictures as Qt images, for the PDF, the printer and the preview.

The print HTML names each picture ``report-picture:KEY`` (``export/html_media.py``); this
module decodes the picture's bytes (metadata already removed, in memory only: no file is
ever written) with its EXIF orientation applied, scales it down to what the page or the
screen shows, and adds it to the QTextDocument under that name. A picture Qt can't decode
is reported back so the report lists it as "a picture that couldn't be read" instead of
drawing a broken image.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl
from PySide6.QtGui import QImage, QImageReader, QTextDocument

from journal_app.export.document import Picture, ReportDocument
from journal_app.export.html_media import fitted, picture_url

#: Pixels per inch a picture is kept at in the PDF: sharp in print, and a phone photo
#: adds a few hundred kilobytes rather than its full size.
PRINT_PPI = 200
CSS_DPI = 96


def pictures_of(document: ReportDocument) -> list[Picture]:
    return [b for b in document.blocks if isinstance(b, Picture)]


def decode(data: bytes, largest: QSize | None = None) -> QImage:
    """``data`` decoded upright (EXIF orientation applied), scaled down to fit ``largest``
    if it is bigger. A null image when Qt can't decode it."""
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    image = reader.read()
    buffer.close()
    if image.isNull() or largest is None:
        return image
    if image.width() > largest.width() or image.height() > largest.height():
        image = image.scaled(largest, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


def decoded(document: ReportDocument, box: tuple[float, float], *,
            pixels_per_css_px: float) -> dict[str, QImage]:
    """The document's pictures by key, each at most the size it is drawn at times
    ``pixels_per_css_px``; pictures that can't be decoded map to a null image."""
    found = {}
    for picture in pictures_of(document):
        size = fitted(picture.width, picture.height, box)
        largest = None if size is None else QSize(
            max(1, round(size[0] * pixels_per_css_px)), max(1, round(size[1] * pixels_per_css_px)))
        found[picture.key] = decode(picture.data, largest)
    return found


def unreadable(images: Mapping[str, QImage]) -> frozenset[str]:
    return frozenset(key for key, image in images.items() if image.isNull())


def add_to(text: QTextDocument, images: Mapping[str, QImage]) -> None:
    """Hand Qt each decoded picture under the name the print HTML gives it."""
    for key, image in images.items():
        if not image.isNull():
            text.addResource(QTextDocument.ResourceType.ImageResource,
                             QUrl(picture_url(key)), image)
