"""What the app says when the last save of the journal did not finish (``vault.
unfinished_save``, see storage.changelog): the app or the computer stopped while a save
was written, and the journal opened as it was at the save before. A notice, shown at
unlock like the older-copy warning (``rollback_notice``); nothing to decide."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from journal_app.ui import messages

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def title() -> str:
    return translate("unfinished_save", "The last save didn't finish")


def text() -> str:
    return translate(
        "unfinished_save",
        "The app or the computer stopped while your journal was being saved. The journal "
        "opened as it was at the save before that one, so what was written after that save "
        "may be missing.\n\nEverything else in the journal is as it was. If something you "
        "wrote last is missing, you can write it again now; the next save is written in "
        "full.")


def show(parent: QWidget | None) -> None:
    messages.info(parent, title(), text())
