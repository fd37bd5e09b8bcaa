"""Tags: the list with counts, renaming and merging across the journal with Undo.

The completer for comma-separated tag fields is ``widgets.tag_completer``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import normalize_tag
from journal_app.ui import messages

if TYPE_CHECKING:
    from journal_app.storage.repository import JournalRepository
    from journal_app.storage.tags import TagChange

NameRole = Qt.ItemDataRole.UserRole + 1
CountRole = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


def entries_text(count: int) -> str:
    """"%1, on one entry" / "%1, on N entries" (the tag's name goes in %1)."""
    if count == 1:
        return QCoreApplication.translate("TagListModel", "%1, on one entry")
    return QCoreApplication.translate("TagListModel", "%1, on %2 entries").replace(
        "%2", str(count))


class TagListModel(QAbstractListModel):
    """Every tag in use, alphabetically, with how many entries carry it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._tags: list[tuple[str, int]] = []

    def set_tags(self, tags: list[tuple[str, int]]) -> None:
        self.beginResetModel()
        self._tags = list(tags)
        self.endResetModel()

    def names(self) -> list[str]:
        return [name for name, _n in self._tags]

    def row_of(self, name: str) -> int:
        return next((row for row, (tag, _n) in enumerate(self._tags) if tag == name), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tags)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tags):
            return None
        name, count = self._tags[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}  ({count})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return entries_text(count).replace("%1", name)
        if role == NameRole:
            return name
        if role == CountRole:
            return count
        return None


class TagsDialog(QDialog):
    """Rename or merge one tag at a time; the last change can be undone right away."""

    show_tag_requested = Signal(str)

    def __init__(self, repo: JournalRepository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.last_change: TagChange | None = None
        self.made_changes = False  # anything renamed or undone: other views must reload
        self.setWindowTitle(self.tr("Tags"))
        self.resize(520, 560)
        self.model = TagListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(NameRole)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._build()
        self.reload()

    def _build(self) -> None:
        self.find = QLineEdit(self)
        self.find.setPlaceholderText(self.tr("Find a tag"))
        self.find.setAccessibleName(self.tr("Find a tag"))
        self.find.setClearButtonEnabled(True)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self.list.setAccessibleName(self.tr("Tags and how many entries have each"))
        self.new_name = QLineEdit(self)
        self.new_name.setPlaceholderText(self.tr("New name for the chosen tag"))
        self.new_name.setAccessibleName(self.tr("New tag name"))
        self.rename_button = QPushButton(self.tr("Rename"), self)
        self.rename_button.setObjectName("primary")
        hint = QLabel(self.tr("Renaming changes the tag on every entry at once. If the new "
                              "name is already a tag, the two become one."), self)
        hint.setObjectName("quietLabel")
        hint.setWordWrap(True)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"), self)
        self.undo_button.setEnabled(False)
        self.show_button = QPushButton(self.tr("Show its entries"), self)
        close = QPushButton(self.tr("Close"), self)

        rename_row = QHBoxLayout()
        rename_row.addWidget(self.new_name, 1)
        rename_row.addWidget(self.rename_button)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result, 1)
        result_row.addWidget(self.undo_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        for widget in (self.find, self.list):
            layout.addWidget(widget, 1 if widget is self.list else 0)
        layout.addLayout(rename_row)
        layout.addWidget(hint)
        layout.addLayout(result_row)
        layout.addLayout(buttons)

        self.find.textChanged.connect(self.proxy.setFilterFixedString)
        self.list.selectionModel().currentChanged.connect(self._chosen)
        self.new_name.returnPressed.connect(self.rename)
        self.new_name.textChanged.connect(self._update_buttons)
        self.rename_button.clicked.connect(self.rename)
        self.undo_button.clicked.connect(self.undo)
        self.show_button.clicked.connect(self._show_entries)
        close.clicked.connect(self.accept)
        self._update_buttons()

    # ------------------------------------------------------------------ state
    def reload(self, select: str | None = None) -> None:
        self.model.set_tags(self.repo.tag_counts())
        row = self.model.row_of(select) if select else -1
        if row >= 0:
            self.list.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row)))
        self._update_buttons()

    def chosen_tag(self) -> str | None:
        index = self.list.currentIndex()
        return index.data(NameRole) if index.isValid() else None

    def choose(self, name: str) -> None:
        row = self.model.row_of(name)
        if row >= 0:
            self.list.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row)))

    def _chosen(self) -> None:
        self.new_name.setText(self.chosen_tag() or "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.chosen_tag()
        new = normalize_tag(self.new_name.text())
        self.rename_button.setEnabled(bool(chosen and new and new != chosen))
        self.show_button.setEnabled(chosen is not None)
        merge = bool(new and new != chosen and new in self.model.names())
        self.rename_button.setText(self.tr("Merge") if merge else self.tr("Rename"))

    # ------------------------------------------------------------------ actions
    def rename(self) -> None:
        old, new = self.chosen_tag(), normalize_tag(self.new_name.text())
        if not old or not new or new == old:
            return
        if new in self.model.names() and not messages.confirm(
                self, self.tr("Merge tags"),
                self.tr("“%1” is already a tag. Put every entry tagged “%2” under “%1” "
                        "and remove “%2”?").replace("%1", new).replace("%2", old),
                self.tr("Merge"), self.tr("Cancel")):
            return
        try:
            change = self.repo.rename_tag(old, new)
        except (KeyError, ValueError):
            messages.error(self, self.tr("Tags"), self.tr(
                "That tag could not be renamed; it may have changed meanwhile."))
            self.reload()
            return
        self.last_change = change
        self.made_changes = True
        done = (self.tr("“%1” is now “%2” on one entry.") if len(change.entry_ids) == 1
                else self.tr("“%1” is now “%2” on %3 entries.").replace(
                    "%3", str(len(change.entry_ids))))
        self.result.setText(done.replace("%1", old).replace("%2", new))
        self.undo_button.setEnabled(True)
        self.reload(select=new)

    def undo(self) -> None:
        change = self.last_change
        if change is None:
            return
        self.repo.undo_tag_change(change)
        self.made_changes = True
        self.last_change = None
        self.undo_button.setEnabled(False)
        self.result.setText(self.tr("Undone: “%1” is back as it was.").replace("%1", change.old))
        self.reload(select=change.old)

    def _show_entries(self) -> None:
        tag = self.chosen_tag()
        if tag:
            self.show_tag_requested.emit(tag)
            self.accept()
