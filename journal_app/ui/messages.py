"""Every message box goes through here, so tests patch one place."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def error(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()


def info(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def discard_box(parent: QWidget | None, title: str, text: str, discard: str,
                keep: str) -> tuple[QMessageBox, QAbstractButton]:
    """The question before something unkept is dropped: keeping it is the default, and
    Enter or Escape keep it. Returns the box and its discard button."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    discard_button = box.addButton(discard, QMessageBox.ButtonRole.DestructiveRole)
    keep_button = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep_button)
    box.setEscapeButton(keep_button)
    return box, discard_button


def confirm_discard(parent: QWidget | None, title: str, text: str, discard: str,
                    keep: str) -> bool:
    """True only when the person chose ``discard`` (see :func:`discard_box`)."""
    box, discard_button = discard_box(parent, title, text, discard, keep)
    box.exec()
    return box.clickedButton() is discard_button


def save_failed(parent: QWidget | None, message: str) -> None:
    error(parent, translate("messages", "Not saved"), message)


def warning_choice(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """A warning with two named choices; True for ``yes``. Escape or closing means ``no``."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button
