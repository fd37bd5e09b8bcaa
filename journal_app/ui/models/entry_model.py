"""The entry list as a real Qt model, of light entry heads (no body, no tags).

A long journal's list holds only the entries' ids, newest first; a row's head is read
when the row is first shown (with the rows around it, a page at a time), and its text is
made then. Fifty thousand entries cost an id each until scrolled through.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
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
HeadSource = Callable[[Sequence[int]], list[EntryHead]]  # heads of stored entries, by id

PAGE_ROWS = 100  # rows whose heads are read together, the first time one of them is shown
KEPT_HEADS = 2_000  # heads kept once read; past this they are dropped and read again


def written_while_locked() -> str:
    """The list's marker for a quick note: it was written without the passphrase."""
    return QCoreApplication.translate("EntryListModel", "written while locked")


class EntryListModel(QAbstractListModel):
    """Entries, newest first. Rows are :class:`EntryHead` dataclasses, never ORM objects;
    the page loads a whole entry when it is chosen. Either every head is given at once
    (:meth:`set_entries`) or only the ids, with where to read heads from
    (:meth:`set_source`)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids = array("q")  # entry ids, row by row
        self._heads: dict[int, EntryHead | None] = {}  # read so far; None: no longer stored
        self._source: HeadSource | None = None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entry_at(index.row())
        if entry is None:
            return None
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
        """Show these entries, in this order, every head given."""
        heads = [e if isinstance(e, EntryHead) else EntryHead.of(e) for e in entries]
        self._reset(array("q", (h.id for h in heads)), None)
        self._heads = {h.id: h for h in heads}

    def set_source(self, entry_ids: Sequence[int], source: HeadSource) -> None:
        """Show these entries, in this order; ``source`` reads heads as rows are shown."""
        self._reset(array("q", entry_ids), source)

    def _reset(self, ids: array[int], source: HeadSource | None) -> None:
        self.beginResetModel()
        self._ids, self._source, self._heads = ids, source, {}
        self.endResetModel()

    def clear(self) -> None:
        self._reset(array("q"), None)  # the source (the open journal) is let go too

    def row_of(self, entry_id: int | None) -> int:
        if entry_id is None:
            return -1
        try:
            return self._ids.index(entry_id)
        except ValueError:
            return -1

    def upsert(self, entry: Entry | EntryHead) -> int:
        """Insert a new entry at the top or refresh an existing row; returns its row."""
        head = entry if isinstance(entry, EntryHead) else EntryHead.of(entry)
        row = self.row_of(head.id)
        self._heads[head.id] = head
        if row >= 0:
            index = self.index(row)
            self.dataChanged.emit(index, index)
            return row
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._ids.insert(0, head.id)
        self.endInsertRows()
        return 0

    def remove(self, entry_id: int) -> None:
        row = self.row_of(entry_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row]
            self._heads.pop(entry_id, None)
            self.endRemoveRows()

    def entry_at(self, row: int) -> EntryHead | None:
        if not 0 <= row < len(self._ids):
            return None
        entry_id = self._ids[row]
        if entry_id not in self._heads and self._source is not None:
            self._read_page(row, self._source)
        return self._heads.get(entry_id)

    def _read_page(self, row: int, source: HeadSource) -> None:
        """Read the heads of the page of rows around ``row`` not read yet."""
        if len(self._heads) >= KEPT_HEADS:
            self._heads = {}
        start = row - row % PAGE_ROWS
        wanted = [i for i in self._ids[start:start + PAGE_ROWS] if i not in self._heads]
        self._heads.update(dict.fromkeys(wanted))  # an entry deleted meanwhile stays None
        self._heads.update((head.id, head) for head in source(wanted))
