"""One attachment in the strip: a picture's thumbnail, or a voice note's row with Play.

The tiles only show and ask; the strip reads the bytes, plays and removes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.attachments import Attachment, AttachmentKind, duration_text
from journal_app.ui.widgets.capture_style import DISABLED_STYLE

__all__ = [
    "THUMB_SIZE",
    "VOICE_ROW_WIDTH",
    "PictureTile",
    "VoiceRow",
    "kind_name",
    "picture_description",
    "unreadable_text",
]

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

#: The box a thumbnail is scaled into (its shape kept).
THUMB_SIZE = QSize(168, 112)
#: A voice note's row is no wider than this, so its Remove stays near its Play.
VOICE_ROW_WIDTH = 560
_THUMB_PADDING = QSize(8, 8)


def kind_name(kind: AttachmentKind) -> str:
    return {
        AttachmentKind.VOICE: translate("AttachmentStrip", "Voice note"),
        AttachmentKind.IMAGE: translate("AttachmentStrip", "Picture"),
        AttachmentKind.DRAWING: translate("AttachmentStrip", "Drawing"),
    }[AttachmentKind(kind)]


def picture_description(attachment: Attachment) -> str:
    """ "Picture, 1200 × 800 pixels" (for screen readers and tooltips)."""
    if attachment.width and attachment.height:
        return translate("AttachmentStrip", "%1, %2 × %3 pixels").replace(
            "%1", kind_name(attachment.kind)).replace("%2", str(attachment.width)).replace(
            "%3", str(attachment.height))
    return kind_name(attachment.kind)


def unreadable_text() -> str:
    return translate("AttachmentStrip", "This attachment couldn't be read")


def _remove_button(parent: QWidget, attachment: Attachment) -> QPushButton:
    button = QPushButton(translate("AttachmentStrip", "Remove"), parent)
    button.setObjectName("linkButton")
    button.setFlat(True)
    button.setAccessibleName({
        AttachmentKind.VOICE: translate("AttachmentStrip", "Remove voice note"),
        AttachmentKind.IMAGE: translate("AttachmentStrip", "Remove picture"),
        AttachmentKind.DRAWING: translate("AttachmentStrip", "Remove drawing"),
    }[attachment.kind])
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def tile_style() -> str:
    """Tiles as quiet cards; the theme's palette, so light and dark both work."""
    return """
    QFrame#attachmentTile { border: 1px solid palette(mid); border-radius: 8px;
        background: palette(base); }
    QFrame#attachmentTile QLabel { border: none; background: transparent; }
    QToolButton#thumbButton { padding: 0; border: 2px solid transparent; border-radius: 6px;
        background: transparent; }
    QToolButton#thumbButton:hover { border-color: palette(mid); }
    QToolButton#thumbButton:focus { border-color: palette(link); }
    """ + DISABLED_STYLE


class ThumbButton(QToolButton):
    """A thumbnail to press: a click, Space or Enter opens the larger view."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class PictureTile(QFrame):
    """A picture or drawing: its thumbnail (or a line saying it couldn't be read), its kind
    and Remove."""

    open_requested = Signal(object)  # Attachment
    remove_requested = Signal(object)  # Attachment

    def __init__(self, attachment: Attachment, image: QImage | None,
                 parent: QWidget | None = None, *, box: QSize = THUMB_SIZE) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self.setObjectName("attachmentTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(2)
        self.readable = image is not None and not image.isNull()
        if self.readable:
            self.thumb: QWidget = self._thumb(image)
        else:
            self.thumb = QLabel(unreadable_text(), self)
            self.thumb.setObjectName("quietLabel")
            self.thumb.setWordWrap(True)
            self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.thumb.setFixedSize(box + _THUMB_PADDING)
        self.caption = QLabel(kind_name(attachment.kind), self)
        self.caption.setObjectName("quietLabel")
        self.remove_button = _remove_button(self, attachment)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.attachment))
        foot = QHBoxLayout()
        foot.setContentsMargins(2, 0, 0, 0)
        foot.addWidget(self.caption)
        foot.addStretch(1)
        foot.addWidget(self.remove_button)
        layout.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(foot)

    def _thumb(self, image: QImage | None) -> QToolButton:
        assert image is not None
        button = ThumbButton(self)
        button.setObjectName("thumbButton")
        button.setIcon(QIcon(QPixmap.fromImage(image)))
        button.setIconSize(image.size())
        button.setFixedSize(image.size() + _THUMB_PADDING)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        description = picture_description(self.attachment)
        button.setAccessibleName(
            translate("AttachmentStrip", "Open drawing")
            if self.attachment.kind is AttachmentKind.DRAWING
            else translate("AttachmentStrip", "Open picture"))
        button.setAccessibleDescription(description)
        button.setToolTip(translate("AttachmentStrip", "Open it larger"))
        button.clicked.connect(lambda: self.open_requested.emit(self.attachment))
        return button

    def clear(self) -> None:
        """Let go of the thumbnail (the journal is locking, or another entry is shown)."""
        if isinstance(self.thumb, QToolButton):
            self.thumb.setIcon(QIcon())


class VoiceRow(QFrame):
    """ "Voice note · 0:42", Play/Stop and Remove. The bytes are read only at Play."""

    play_requested = Signal(object)  # Attachment
    remove_requested = Signal(object)  # Attachment

    def __init__(self, attachment: Attachment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self.setObjectName("attachmentTile")
        self.setMaximumWidth(VOICE_ROW_WIDTH)
        self.playing = False
        self.label = QLabel(self)
        self.play_button = QPushButton(self)
        self.play_button.setMinimumWidth(96)
        self.play_button.clicked.connect(lambda: self.play_requested.emit(self.attachment))
        self.problem = QLabel(self)
        self.problem.setObjectName("quietLabel")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.remove_button = _remove_button(self, attachment)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.attachment))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.play_button)
        row.addWidget(self.label, 1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        self.set_playing(False)

    def length_text(self) -> str:
        return duration_text(self.attachment.duration_ms) or "0:00"

    def set_playing(self, playing: bool, position_ms: int = 0) -> None:
        self.playing = playing
        name = kind_name(AttachmentKind.VOICE)
        if playing:
            self.label.setText(translate("AttachmentStrip", "%1 · %2 of %3").replace(
                "%1", name).replace("%2", duration_text(position_ms)).replace(
                "%3", self.length_text()))
        else:
            self.label.setText(translate("AttachmentStrip", "%1 · %2").replace(
                "%1", name).replace("%2", self.length_text()))
        self.play_button.setText(translate("AttachmentStrip", "Stop") if playing
                                 else translate("AttachmentStrip", "Play"))
        self.play_button.setAccessibleName(
            translate("AttachmentStrip", "Stop playing") if playing
            else translate("AttachmentStrip", "Play voice note, %1").replace(
                "%1", self.length_text()))

    def show_problem(self, text: str, *, unreadable: bool = False) -> None:
        """Say in place why it didn't play; an unreadable one can't be tried again."""
        self.set_playing(False)
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if unreadable:
            self.play_button.setEnabled(False)
