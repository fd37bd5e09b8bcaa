"""The entry list as a real Qt model, of light entry heads (no body, no tags)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from journal_app.domain.entities import Entry, EntryHead, EntryKind
from journal_app.ui.labels import kind_label

EntryRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def written_while_locked() -> str:
    """The list's marker for a quick note: it was written without the passphrase."""
    return QCoreApplication.translate("EntryListModel", "written while locked")


class EntryListModel(QAbstractListModel):
    """Entries, newest first. Rows are :class:`EntryHead` dataclasses, never ORM objects;
    the page loads a whole entry when it is chosen."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[EntryHead] = []
        self._rows: dict[int, int] | None = None  # entry id → row, built when first needed

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        locked = entry.kind is EntryKind.QUICK_CAPTURE
        if role == Qt.ItemDataRole.DisplayRole:
            title = entry.display_title or QCoreApplication.translate("EntryListModel",
                                                                      "Untitled")
            when = entry.created_at.strftime("%a %d %b %Y")
            marker = f" · {written_while_locked()}" if locked else ""
            return f"{title}\n{when} · {kind_label(entry.kind)}{marker}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            marker = f", {written_while_locked()}" if locked else ""
            return f"{entry.display_title}, {entry.created_at:%d %B %Y}{marker}"
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if entry.private:
                tips.append(QCoreApplication.translate("EntryListModel", "Private entry"))
            if locked:
                tips.append(QCoreApplication.translate(
                    "EntryListModel", "Quick note written while locked, without the "
                    "passphrase: anyone at this computer can write one."))
            return "\n".join(tips) or None
        if role == EntryRole:
            return entry
        if role == IdRole:
            return entry.id
        return None

    # ------------------------------------------------------------------ updates
    def set_entries(self, entries: list[EntryHead] | list[Entry]) -> None:
        self.beginResetModel()
        self._entries = [e if isinstance(e, EntryHead) else EntryHead.of(e) for e in entries]
        self._rows = None
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([])

    def row_of(self, entry_id: int | None) -> int:
        if self._rows is None:
            self._rows = {entry.id: row for row, entry in enumerate(self._entries)}
        return self._rows.get(entry_id, -1) if entry_id is not None else -1

    def upsert(self, entry: Entry | EntryHead) -> int:
        """Insert a new entry at the top or refresh an existing row; returns its row."""
        head = entry if isinstance(entry, EntryHead) else EntryHead.of(entry)
        row = self.row_of(head.id)
        if row >= 0:
            self._entries[row] = head
            index = self.index(row)
            self.dataChanged.emit(index, index)
            return row
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._entries.insert(0, head)
        self._rows = None
        self.endInsertRows()
        return 0

    def remove(self, entry_id: int) -> None:
        row = self.row_of(entry_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._entries[row]
            self._rows = None
            self.endRemoveRows()

    def entry_at(self, row: int) -> EntryHead | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None
