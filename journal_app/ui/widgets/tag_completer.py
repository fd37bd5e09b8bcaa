"""Completing comma-separated tag fields ("tag, tag, ta")."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma of a "tag, tag, ta" field and
    keeps the tags before it."""

    def __init__(self, parent: QLineEdit) -> None:
        self.words = QStringListModel(parent)
        super().__init__(self.words, parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def set_tags(self, tags: list[str]) -> None:
        self.words.setStringList(tags)

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex) -> str:
        widget = self.widget()
        before = widget.text().rsplit(",", 1)[0] + ", " \
            if isinstance(widget, QLineEdit) and "," in widget.text() else ""
        return before + str(index.data())
