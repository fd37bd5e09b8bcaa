"""Change the passphrase (or set a new one after opening with the recovery key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from journal_app.errors import JournalError, WrongSecretError
from journal_app.ui.background import run_in_background
from journal_app.ui.widgets.passphrase_widgets import NewPassphrase, SecretField

if TYPE_CHECKING:
    from journal_app.storage.journal import Journal


class PassphraseDialog(QDialog):
    """With ``ask_current``, the current passphrase is checked before the change."""

    def __init__(self, journal: Journal, *, ask_current: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.setWindowTitle(self.tr("Change passphrase") if ask_current
                            else self.tr("Choose a new passphrase"))
        self.current = SecretField(self.tr("Current passphrase"), self) if ask_current else None
        self.fields = NewPassphrase(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._change)
        self.buttons.rejected.connect(self.reject)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Change passphrase"))
        self.ok.setEnabled(False)
        self.fields.validity_changed.connect(self.ok.setEnabled)
        layout = QVBoxLayout(self)
        if not ask_current:
            intro = QLabel(self.tr("You opened the journal with your recovery key. Choose a "
                                   "new passphrase to use from now on."), self)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        if self.current is not None:
            form = QFormLayout()
            form.addRow(self.tr("Current passphrase"), self.current)
            layout.addLayout(form)
        layout.addWidget(self.fields)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _change(self) -> None:
        new = self.fields.passphrase()
        current = self.current.text() if self.current is not None else None
        journal = self.journal

        def work() -> None:
            if current is not None:
                journal.verify_passphrase(current)
            journal.change_passphrase(new)

        self._busy(True)
        run_in_background(work, lambda _r: self._done(), self._failed, parent=self)

    def _busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        self.message.setText(self.tr("Changing the passphrase…") if busy else "")

    def _done(self) -> None:
        self.fields.wipe()
        if self.current is not None:
            self.current.wipe()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, WrongSecretError):
            self.message.setText(self.tr("The current passphrase is not right."))
        elif isinstance(exc, JournalError):
            self.message.setText(exc.message)
        else:
            self.message.setText(self.tr("The passphrase could not be changed."))
