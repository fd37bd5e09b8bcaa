"""The lock screen: a calm card with the passphrase field, or the recovery key."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.ui.widgets.passphrase_widgets import SecretField


class UnlockScreen(QWidget):
    unlock_requested = Signal(object)  # Secret
    restore_backup_requested = Signal()
    quick_note_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recovery_mode = False

        self.heading = QLabel(self.tr("Your journal is locked"), self)
        self.heading.setObjectName("heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.secret = SecretField(self.tr("Passphrase"), self)
        self.secret.returnPressed.connect(self._submit)
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.unlock_button.setDefault(True)
        self.unlock_button.setObjectName("primary")
        self.unlock_button.clicked.connect(self._submit)
        self.message = QLabel(self)
        self.message.setObjectName("calmMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleName(self.tr("Unlock message"))
        self.restore_button = QPushButton(self.tr("Restore that backup"), self)
        self.restore_button.clicked.connect(self.restore_backup_requested)
        self.restore_button.hide()
        self.mode_button = QPushButton(self)
        self.mode_button.setObjectName("linkButton")
        self.mode_button.setFlat(True)
        self.mode_button.clicked.connect(self.toggle_mode)

        self.quick_note_button = QPushButton(self.tr("Write a quick note without unlocking"),
                                             self)
        self.quick_note_button.setAccessibleDescription(self.tr(
            "Opens a small window for a note, a picture or a voice note that is added at "
            "the next unlock"))
        self.quick_note_button.setToolTip(self.tr(
            "A few words, a picture or a voice note: added to your journal when you "
            "unlock it"))
        self.quick_note_button.clicked.connect(self.quick_note_requested)
        self.quick_note_hint = QLabel(self.tr("A few words, a picture or a voice note."),
                                      self)
        self.quick_note_hint.setObjectName("quietLabel")
        self.quick_note_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.quick_note_status = QLabel(self)
        self.quick_note_status.setObjectName("quietLabel")
        self.quick_note_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.quick_note_status.setWordWrap(True)

        card = QFrame(self)
        card.setObjectName("card")
        card.setMaximumWidth(520)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(40, 36, 40, 36)
        inner.setSpacing(16)
        inner.addWidget(self.heading)
        inner.addWidget(self.prompt)
        inner.addWidget(self.secret)
        inner.addWidget(self.unlock_button)
        inner.addWidget(self.message)
        inner.addWidget(self.restore_button)
        inner.addWidget(self.mode_button, 0, Qt.AlignmentFlag.AlignCenter)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 2)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addSpacing(24)
        outer.addWidget(self.quick_note_button, 0, Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.quick_note_hint)
        outer.addWidget(self.quick_note_status)
        outer.addStretch(2)
        self._apply_mode()

    # ------------------------------------------------------------------ modes
    def toggle_mode(self) -> None:
        self._recovery_mode = not self._recovery_mode
        self._apply_mode()

    def _apply_mode(self) -> None:
        self.secret.clear()
        self.message.clear()
        self.restore_button.hide()
        if self._recovery_mode:
            self.prompt.setText(self.tr(
                "Type the recovery key you saved when you created the journal. "
                "Dashes and spaces don't matter. You will then choose a new passphrase."))
            self.secret.setAccessibleName(self.tr("Recovery key"))
            self.secret.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
            self.secret.setEchoMode(SecretField.EchoMode.Normal)
            self.mode_button.setText(self.tr("Use my passphrase instead"))
        else:
            self.prompt.setText(self.tr("Enter your passphrase to open your journal."))
            self.secret.setAccessibleName(self.tr("Passphrase"))
            self.secret.setPlaceholderText("")
            self.secret.setEchoMode(SecretField.EchoMode.Password)
            self.mode_button.setText(self.tr("Forgot your passphrase? Use your recovery key"))
        self.secret.setFocus()

    @property
    def recovery_mode(self) -> bool:
        return self._recovery_mode

    # ------------------------------------------------------------------ actions
    def _submit(self) -> None:
        text = self.secret.text()
        if not text or not self.unlock_button.isEnabled():
            return
        from journal_app.storage.vault import Secret

        secret = Secret(recovery_key=text) if self._recovery_mode else Secret(passphrase=text)
        self.unlock_requested.emit(secret)

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.secret.setEnabled(not busy)
        self.unlock_button.setText(self.tr("Unlocking…") if busy else self.tr("Unlock"))
        if busy:
            self.message.setText(self.tr("Opening your journal…"))

    def show_wrong_secret(self) -> None:
        self.set_busy(False)
        if self._recovery_mode:
            self.message.setText(self.tr(
                "That recovery key doesn't open this journal. Check each group of five "
                "and try again."))
        else:
            self.message.setText(self.tr(
                "That passphrase didn't open the journal. Take your time and try again — "
                "or use your recovery key."))
        self.secret.selectAll()
        self.secret.setFocus()

    def show_message(self, text: str, *, offer_restore: bool = False) -> None:
        self.set_busy(False)
        self.message.setText(text)
        self.restore_button.setVisible(offer_restore)

    def set_waiting_notes(self, count: int) -> None:
        self.quick_note_status.setText(self.tr(
            "%n quick note(s) waiting: they are added when you unlock.", "", count)
            if count else "")

    def reset(self) -> None:
        """Back to the passphrase mode with nothing typed."""
        self._recovery_mode = False
        self.set_busy(False)
        self._apply_mode()
