"""The Look back page's intentions table: one row a session, its intention beside how it
looked on day 3."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.lookback import IntentionLine, SessionAnswer
from journal_app.domain.prompts import answer_text
from journal_app.ui.labels import session_label

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

_Index = QModelIndex | QPersistentModelIndex
EntryIdRole = Qt.ItemDataRole.UserRole + 1


def session_day(session: TreatmentSession) -> str:
    start = session.starts_at
    return QLocale().toString(QDate(start.year, start.month, start.day), "d MMM yyyy")


class IntentionsModel(QAbstractTableModel):
    """One row a session, oldest first: its intention and how it looked on day 3."""

    SESSION, INTENTION, REVISITED = range(3)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[IntentionLine] = []

    def set_lines(self, lines: list[IntentionLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            (
                translate("LookBack", "Session"),
                translate("LookBack", "My intention"),
                translate("LookBack", "Looking back on day 3"),
            )[section]
            if 0 <= section < 3
            else None
        )

    def _answer(self, line: IntentionLine, column: int) -> SessionAnswer | None:
        return (
            line.intention
            if column == self.INTENTION
            else line.revisited
            if column == self.REVISITED
            else None
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        answer = self._answer(line, column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.SESSION:
                return f"{session_label(line.session)}\n{session_day(line.session)}"
            return answer_text(answer.answer) if answer else translate("LookBack", "—")
        if role == Qt.ItemDataRole.ToolTipRole and column != self.SESSION and answer is None:
            return translate("LookBack", "Nothing written for this session")
        if role == EntryIdRole:
            return answer.entry_id if answer else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return None
