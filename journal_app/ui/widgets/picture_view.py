"""Pictures from memory: decoding an attachment's bytes with Qt, and a window to look at one.

Nothing is written anywhere: the bytes go into a QBuffer and come out as a QImage.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

__all__ = ["PictureDialog", "decode_picture"]


def decode_picture(data: bytes, fit: QSize | None = None) -> QImage:
    """The picture in ``data``, scaled down to fit ``fit`` (never up); a null image when
    Qt can't decode it (not a picture, or damaged past its header)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # a phone photo's orientation
    size = reader.size()
    if fit is not None and size.isValid() and (size.width() > fit.width()
                                               or size.height() > fit.height()):
        reader.setScaledSize(size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    return image


class PictureDialog(QDialog):
    """A picture as large as the screen comfortably allows, with a Close button."""

    def __init__(self, image: QImage, title: str, description: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        room = self._room()
        shown = image
        if image.width() > room.width() or image.height() > room.height():
            shown = image.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        self.picture = QLabel(self)
        self.picture.setPixmap(QPixmap.fromImage(shown))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAccessibleName(title)
        self.picture.setAccessibleDescription(description)
        scroll = QScrollArea(self)
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setIcon(QIcon())  # words only
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(max(shown.width() + 40, 360), max(shown.height() + 90, 240))

    def _room(self) -> QSize:
        """Most of the screen, leaving space for the window's frame and buttons."""
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen else QSize(1280, 900)
        return QSize(max(320, available.width() * 4 // 5),
                     max(240, available.height() * 4 // 5 - 80))

    def reject(self) -> None:
        self.picture.clear()  # the decoded picture leaves memory with the window
        super().reject()
