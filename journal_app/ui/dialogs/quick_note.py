"""A quick note written while the journal is locked: sealed to the journal's public key.

Words, and if it helps one picture or one voice note with them (the evening after a
session typing may be too much). The picture or recording stays in this window's memory
until the note is sealed; cancelling lets go of it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.attachments import AttachmentKind
from journal_app.errors import JournalError
from journal_app.ui.dialogs.capture import capture
from journal_app.ui.widgets.attachment_shelf import MemoryShelf
from journal_app.ui.widgets.attachment_strip import AttachmentStrip

#: What goes with the note: one (kind, bytes), or None.
Attached = tuple[AttachmentKind, bytes] | None
Seal = Callable[[str, Attached], object]


class QuickNoteDialog(QDialog):
    def __init__(self, seal: Seal, parent: QWidget | None = None) -> None:
        """``seal(text, attached)`` locks the note (and what is attached) into the
        journal's inbox; the window passes it."""
        super().__init__(parent)
        self._seal = seal
        self.shelf = MemoryShelf()
        self.setWindowTitle(self.tr("Quick note"))
        self.resize(600, 560)
        intro = QLabel(self.tr(
            "Write a few words now — no passphrase needed. The note is locked straight away "
            "and added to your journal the next time you open it."), self)
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName(self.tr("Quick note text"))
        self.text.setPlaceholderText(self.tr("A word, an image, how your body feels…"))
        self.text.setTabChangesFocus(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("calmMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Keep this note"))
        for button in buttons.buttons():
            button.setIcon(QIcon())  # words only: a red cross on Cancel shouts
        buttons.accepted.connect(self.keep)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addLayout(self._attach_row())
        layout.addWidget(self.attach_hint)
        layout.addWidget(self.strip)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.strip.show_shelf(self.shelf)
        self._refresh()
        self.text.setFocus()

    def _attach_row(self) -> QHBoxLayout:
        self.picture_button = QPushButton(self.tr("Attach a picture…"), self)
        self.picture_button.setAccessibleName(self.tr("Attach a picture"))
        self.picture_button.clicked.connect(lambda: self.attach(AttachmentKind.IMAGE))
        self.voice_button = QPushButton(self.tr("Record a voice note…"), self)
        self.voice_button.setAccessibleName(self.tr("Record a voice note"))
        self.voice_button.clicked.connect(lambda: self.attach(AttachmentKind.VOICE))
        self.attach_hint = QLabel(self.tr(
            "One picture or voice note goes with each quick note; remove it to choose "
            "another."), self)
        self.attach_hint.setObjectName("quietLabel")
        self.attach_hint.setWordWrap(True)
        self.strip = AttachmentStrip(self, with_buttons=False, thumb_size=QSize(150, 100))
        self.strip.changed.connect(self._refresh)
        row = QHBoxLayout()
        row.addWidget(self.picture_button)
        row.addWidget(self.voice_button)
        row.addStretch(1)
        return row

    def attached(self) -> Attached:
        kept = self.shelf.kept()
        return kept[0] if kept else None

    def _refresh(self) -> None:
        free = not self.shelf
        self.picture_button.setEnabled(free)
        self.voice_button.setEnabled(free)
        self.attach_hint.setVisible(not free)

    def attach(self, kind: AttachmentKind) -> None:
        """Choose a picture or record a voice note to go with the note."""
        if self.shelf:
            return
        data = capture(kind, self)
        if data is None:
            return
        try:
            self.shelf.add(kind, data)
        except JournalError as exc:
            self.message.setText(exc.message)
            return
        self.message.clear()
        self.strip.show_shelf(self.shelf)
        self.strip.reload()
        self._refresh()

    def keep(self) -> None:
        text = self.text.toPlainText()
        attached = self.attached()
        if not text.strip() and attached is None:
            self.message.setText(self.tr("The note is empty."))
            return
        try:
            self._seal(text, attached)
        except JournalError as exc:
            self.message.setText(exc.message)
            return
        self.text.clear()
        self.accept()

    def done(self, result: int) -> None:
        """Closing by any way lets go of the picture or recording held here."""
        self.strip.clear()
        self.shelf.clear()
        super().done(result)
