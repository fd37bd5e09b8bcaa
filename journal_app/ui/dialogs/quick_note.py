"""A quick note written while the journal is locked: sealed to the journal's public key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from journal_app.errors import JournalError


class QuickNoteDialog(QDialog):
    def __init__(self, seal: Callable[[str], object], parent: QWidget | None = None) -> None:
        """``seal(text)`` locks the note into the journal's inbox (the window passes it)."""
        super().__init__(parent)
        self._seal = seal
        self.setWindowTitle(self.tr("Quick note"))
        self.resize(560, 380)
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
        buttons.accepted.connect(self.keep)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.text.setFocus()

    def keep(self) -> None:
        text = self.text.toPlainText()
        if not text.strip():
            self.message.setText(self.tr("The note is empty."))
            return
        try:
            self._seal(text)
        except JournalError as exc:
            self.message.setText(exc.message)
            return
        self.text.clear()
        self.accept()
