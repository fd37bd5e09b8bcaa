"""The attachments under an entry's text: thumbnails, voice notes, and ways to add more.

Pictures and drawings show as thumbnails decoded from memory (a click, Space or Enter opens
them larger); voice notes as rows "Voice note · 0:42" with Play, whose bytes are read only
when Play is pressed. Remove takes one away with an Undo beside the strip until the next
removal or another entry. One that can't be read says so in its place.

The strip asks for new attachments (``add_requested``) but doesn't make them: recording,
drawing and choosing a file are dialogs, which its owner opens.
"""

from __future__ import annotations

import logging
import wave
from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.attachments import Attachment, AttachmentKind
from journal_app.errors import JournalError
from journal_app.ui.widgets.attachment_shelf import AttachmentShelf
from journal_app.ui.widgets.attachment_tiles import (
    THUMB_SIZE,
    PictureTile,
    VoiceRow,
    kind_name,
    picture_description,
    tile_style,
    unreadable_text,
)
from journal_app.ui.widgets.audio_pcm import read_wav
from journal_app.ui.widgets.audio_playback import PcmPlayer, SpeakerPlayer
from journal_app.ui.widgets.picture_view import PictureDialog, decode_picture

__all__ = ["AttachmentStrip", "make_player"]

log = logging.getLogger(__name__)

#: Makes the strip's player at the first Play (tests put a silent one here).
make_player: Callable[[QObject], PcmPlayer] = SpeakerPlayer

_POSITION_TICK_MS = 250


class AttachmentStrip(QWidget):
    add_requested = Signal(object)  # AttachmentKind
    changed = Signal()  # one was removed or put back

    def __init__(self, parent: QWidget | None = None, *, with_buttons: bool = True,
                 thumb_size: QSize = THUMB_SIZE) -> None:
        super().__init__(parent)
        self.thumb_size = thumb_size
        self.setAccessibleName(self.tr("Attachments"))
        self.shelf: AttachmentShelf | None = None
        self.tiles: list[PictureTile] = []
        self.rows: list[VoiceRow] = []
        self._removed: Attachment | None = None
        self._player: PcmPlayer | None = None
        self._playing: VoiceRow | None = None
        self._tick = QTimer(self, interval=_POSITION_TICK_MS)
        self._tick.timeout.connect(self._show_position)
        self._build(with_buttons)
        self.setStyleSheet(tile_style())
        self._refresh_visibility()

    # ------------------------------------------------------------------ building
    def _build(self, with_buttons: bool) -> None:
        self.record_button = self._add_button(self.tr("Record voice note…"),
                                              AttachmentKind.VOICE)
        self.picture_button = self._add_button(self.tr("Attach picture…"),
                                               AttachmentKind.IMAGE)
        self.draw_button = self._add_button(self.tr("Draw…"), AttachmentKind.DRAWING)
        self.buttons = QWidget(self)
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.record_button, self.picture_button, self.draw_button):
            button.setParent(self.buttons)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.buttons.setVisible(with_buttons)

        self.pictures = QWidget(self)
        self.picture_row = QHBoxLayout(self.pictures)
        self.picture_row.setContentsMargins(0, 0, 0, 0)
        self.picture_row.setSpacing(10)
        self.picture_row.addStretch(1)
        self.picture_scroll = QScrollArea(self)  # many pictures scroll sideways
        self.picture_scroll.setWidget(self.pictures)
        self.picture_scroll.setWidgetResizable(True)
        self.picture_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.picture_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.voices = QWidget(self)
        self.voice_column = QVBoxLayout(self.voices)
        self.voice_column.setContentsMargins(0, 0, 0, 0)
        self.voice_column.setSpacing(6)

        self.undo_label = QLabel(self)
        self.undo_label.setObjectName("quietLabel")
        self.undo_button = QPushButton(self.tr("Undo"), self)
        self.undo_button.setAccessibleName(self.tr("Undo the removal"))
        self.undo_button.clicked.connect(self.undo_remove)
        self.undo_bar = QWidget(self)
        undo = QHBoxLayout(self.undo_bar)
        undo.setContentsMargins(0, 0, 0, 0)
        undo.addWidget(self.undo_label)
        undo.addWidget(self.undo_button)
        undo.addStretch(1)
        self.undo_bar.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.picture_scroll)
        layout.addWidget(self.voices)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.buttons)

    def _add_button(self, text: str, kind: AttachmentKind) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(lambda: self.add_requested.emit(kind))
        return button

    def set_busy(self, busy: bool) -> None:
        """A new attachment is being kept (its blob written): no other one meanwhile."""
        self._forget_removed()
        self.buttons.setEnabled(not busy)
        self._say(self.tr("Keeping it with the entry…") if busy else "")

    @property
    def busy(self) -> bool:
        return not self.buttons.isEnabled()

    # ------------------------------------------------------------------ showing
    def show_shelf(self, shelf: AttachmentShelf | None) -> None:
        """Show ``shelf``'s attachments (None: none, e.g. an entry not stored yet)."""
        if shelf is not self.shelf:
            self._forget_removed()
        self.shelf = shelf
        self.reload()

    def reload(self) -> None:
        """Show the shelf again (after an attachment was added)."""
        self._stop_playing()
        self._drop_items()
        items = self.shelf.attachments() if self.shelf is not None else []
        for attachment in items:
            if attachment.is_picture:
                self._add_tile(attachment)
            else:
                self._add_row(attachment)
        self._refresh_visibility()

    @property
    def attachments(self) -> list[Attachment]:
        return [tile.attachment for tile in self.tiles] + [row.attachment for row in self.rows]

    def _add_tile(self, attachment: Attachment) -> None:
        tile = PictureTile(attachment, self._thumbnail(attachment), self.pictures,
                           box=self.thumb_size)
        tile.open_requested.connect(self.open_picture)
        tile.remove_requested.connect(self.remove)
        self.picture_row.insertWidget(len(self.tiles), tile)
        self.tiles.append(tile)

    def _add_row(self, attachment: Attachment) -> None:
        row = VoiceRow(attachment, self.voices)
        row.play_requested.connect(self.toggle_play)
        row.remove_requested.connect(self.remove)
        self.voice_column.addWidget(row)
        self.rows.append(row)

    def _thumbnail(self, attachment: Attachment) -> QImage | None:
        data = self._read(attachment)
        return decode_picture(data, self.thumb_size) if data is not None else None

    def _read(self, attachment: Attachment) -> bytes | None:
        """The bytes, or None when they can't be read (logged by kind, never content)."""
        if self.shelf is None:
            return None
        try:
            return self.shelf.read(attachment)
        except (JournalError, KeyError) as exc:
            log.warning("an attachment could not be read: %s", type(exc).__name__)
            return None

    def _drop_items(self) -> None:
        for tile in self.tiles:
            tile.clear()
        for widget in [*self.tiles, *self.rows]:
            widget.hide()
            widget.deleteLater()
        self.tiles, self.rows = [], []

    def _refresh_visibility(self) -> None:
        self.picture_scroll.setVisible(bool(self.tiles))
        self.voices.setVisible(bool(self.rows))
        if self.tiles:
            tall = max(tile.sizeHint().height() for tile in self.tiles)
            bar = self.picture_scroll.horizontalScrollBar().sizeHint().height()
            self.picture_scroll.setFixedHeight(tall + bar + 2)

    def clear(self) -> None:
        """Show nothing and hold nothing (lock, or no entry)."""
        self._forget_removed()
        self.buttons.setEnabled(True)  # a blob still being written belongs to no one now
        self.shelf = None
        self.reload()
        if self._player is not None:
            self._player.deleteLater()
            self._player = None

    # ------------------------------------------------------------------ opening
    def open_picture(self, attachment: Attachment) -> None:
        data = self._read(attachment)
        image = decode_picture(data) if data is not None else None
        if image is None or image.isNull():
            self._tile_of(attachment).thumb.setToolTip(unreadable_text())
            return
        dialog = PictureDialog(image, kind_name(attachment.kind),
                               picture_description(attachment), self.window())
        dialog.show()  # beside the entry, not in its way: writing can go on

    def _tile_of(self, attachment: Attachment) -> PictureTile:
        return next(tile for tile in self.tiles if tile.attachment.id == attachment.id)

    # ------------------------------------------------------------------ removing
    def remove(self, attachment: Attachment) -> None:
        if self.shelf is None:
            return
        try:
            removed = self.shelf.remove(attachment)
        except JournalError as exc:
            self._say(exc.message)
            return
        self._removed = removed
        self.reload()
        self._say(self.tr("%1 removed.").replace("%1", kind_name(removed.kind)), undo=True)
        self.undo_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def undo_remove(self) -> None:
        removed, self._removed = self._removed, None
        if removed is None or self.shelf is None:
            return
        try:
            restored = self.shelf.restore(removed)
        except JournalError as exc:
            self._say(exc.message)
            return
        self.undo_bar.hide()
        self.reload()
        self._focus_on(restored)
        self.changed.emit()

    def _focus_on(self, attachment: Attachment) -> None:
        """The keyboard goes to the attachment put back (Undo is gone)."""
        for tile in self.tiles:
            if tile.attachment.id == attachment.id:
                tile.thumb.setFocus(Qt.FocusReason.OtherFocusReason)
        for row in self.rows:
            if row.attachment.id == attachment.id:
                row.play_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _say(self, text: str, *, undo: bool = False) -> None:
        self.undo_label.setText(text)
        self.undo_button.setVisible(undo)
        self.undo_bar.setVisible(bool(text))

    def _forget_removed(self) -> None:
        self._removed = None
        self.undo_bar.hide()
        self.undo_label.clear()

    @property
    def can_undo(self) -> bool:
        return self._removed is not None

    # ------------------------------------------------------------------ playing
    def toggle_play(self, attachment: Attachment) -> None:
        row = next(r for r in self.rows if r.attachment.id == attachment.id)
        if row is self._playing:
            self._stop_playing()
            return
        self._stop_playing()
        data = self._read(attachment)
        try:
            pcm, rate = read_wav(data) if data is not None else (b"", 0)
        except (wave.Error, EOFError):
            pcm, rate = b"", 0
        if not pcm:
            row.show_problem(unreadable_text(), unreadable=True)
            return
        player = self._ensure_player()
        if not player.available():
            row.show_problem(self.tr("No speakers or headphones were found, so the voice "
                                     "note can't be played here. It is kept."))
        elif not player.play(pcm, rate):
            row.show_problem(self.tr("The voice note couldn't be played here. It is kept."))
        else:
            row.show_problem("")
            self._playing = row
            row.set_playing(True)
            self._tick.start()

    def _ensure_player(self) -> PcmPlayer:
        if self._player is None:
            self._player = make_player(self)
            self._player.finished.connect(self._played)
        return self._player

    def _show_position(self) -> None:
        if self._playing is not None and self._player is not None:
            self._playing.set_playing(True, self._player.position_ms())

    def _played(self) -> None:
        self._tick.stop()
        if self._playing is not None:
            self._playing.set_playing(False)
        self._playing = None

    def _stop_playing(self) -> None:
        if self._playing is not None and self._player is not None:
            self._player.stop()  # says ``finished``
        self._played()

    @property
    def playing(self) -> Attachment | None:
        return self._playing.attachment if self._playing is not None else None
