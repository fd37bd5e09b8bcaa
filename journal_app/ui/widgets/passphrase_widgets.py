"""Passphrase entry: a field with show/hide, and a pair with a strength hint."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from journal_app.domain.passphrase import MIN_LENGTH, estimate


class SecretField(QLineEdit):
    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setAccessibleName(accessible_name)
        self.setMinimumWidth(320)

    def reveal(self, shown: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def wipe(self) -> None:
        self.clear()


class NewPassphrase(QWidget):
    """Two fields that must match, a strength hint, and a show toggle."""

    validity_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = SecretField(self.tr("New passphrase"), self)
        self.second = SecretField(self.tr("Repeat the new passphrase"), self)
        self.show_box = QCheckBox(self.tr("Show passphrase"), self)
        self.show_box.toggled.connect(self.first.reveal)
        self.show_box.toggled.connect(self.second.reveal)
        self.strength = QLabel(self)
        self.strength.setAccessibleName(self.tr("Passphrase strength"))
        self.strength.setWordWrap(True)
        self.match = QLabel(self)
        self.match.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Passphrase"), self.first)
        form.addRow(self.tr("Repeat it"), self.second)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.show_box)
        layout.addWidget(self.strength)
        layout.addWidget(self.match)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._valid = False
        self._update()

    def _update(self) -> None:
        text = self.first.text()
        strength = estimate(text)
        hints = {
            0: self.tr("At least %n characters. A few unrelated words are easy to remember "
                       "and hard to guess.", "", MIN_LENGTH),
            1: self.tr("Weak: easy to guess. Add a word or two."),
            2: self.tr("Fair. Another word would make it much stronger."),
            3: self.tr("Strong."),
            4: self.tr("Very strong."),
        }
        self.strength.setText(hints[strength.score])
        same = bool(text) and text == self.second.text()
        if self.second.text() and not same:
            self.match.setText(self.tr("The two passphrases are not the same yet."))
        else:
            self.match.setText("")
        valid = strength.score >= 1 and same
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    def is_valid(self) -> bool:
        return self._valid

    def passphrase(self) -> str:
        return self.first.text()

    def wipe(self) -> None:
        self.first.wipe()
        self.second.wipe()
