"""The entries a report may hold, each with a tick box, and under each entry its pictures,
drawings and voice notes with a tick box of their own (:class:`EntryChoiceModel`, a tree
of two levels shown expanded); :class:`EntryChooser` is the box around it in the export
dialog, with "Include entries marked private", "Include pictures and drawings" and
"Include voice notes".

Private entries start unticked and are marked. Pictures and drawings start ticked, voice
notes unticked (they are left out unless the person ticks them). An attachment can only
be ticked while its entry is: unticking an entry greys its attachments out, and the report
leaves them out with it. Everything is reachable from the keyboard: arrow keys move
through the list, Space ticks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.attachments import Attachment, AttachmentKind, duration_text
from journal_app.domain.entities import Entry
from journal_app.ui.dialogs.export_choices import day_text, kind_label

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

ModelIndex = QModelIndex | QPersistentModelIndex
_TOP = 0  # internal id of an entry's index; an attachment's is its entry's row + 1


def attachment_label(attachment: Attachment) -> str:
    """"Drawing · 4 Mar 2026", "Picture · 4 Mar 2026", "Voice note · 2:05"."""
    if attachment.kind is AttachmentKind.VOICE:
        length = duration_text(attachment.duration_ms)
        name = translate("ExportDialog", "Voice note")
        return f"{name} · {length}" if length else name
    name = (translate("ExportDialog", "Drawing") if attachment.kind is AttachmentKind.DRAWING
            else translate("ExportDialog", "Picture"))
    return f"{name} · {day_text(attachment.created_at.date())}"


class EntryChoiceModel(QAbstractItemModel):
    """Candidate entries (top level) and their attachments (children), each with a tick.
    Ticks the person set are remembered by id while the filters change."""

    ticks_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []
        self._attachments: list[list[Attachment]] = []
        self._chosen: dict[int, bool] = {}
        self._attachment_chosen: dict[int, bool] = {}

    def set_entries(self, entries: Sequence[Entry],
                    attachments: Mapping[int, Sequence[Attachment]] | None = None) -> None:
        self.beginResetModel()
        self._entries = [e for e in entries if e.id is not None]
        found = attachments or {}
        self._attachments = [[a for a in found.get(e.id, ()) if a.id is not None]  # type: ignore[arg-type]
                             for e in self._entries]
        self.endResetModel()
        self.ticks_changed.emit()

    # ------------------------------------------------------------------ tree structure
    def index(self, row: int, column: int = 0,
              parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _TOP) if row < len(self._entries) else QModelIndex()
        if parent.internalId() != _TOP or row >= len(self._attachments[parent.row()]):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._entries)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._attachments[parent.row()])
        return 0

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def _entry_of(self, index: ModelIndex) -> Entry:
        top = index.row() if index.internalId() == _TOP else index.internalId() - 1
        return self._entries[top]

    def _attachment_of(self, index: ModelIndex) -> Attachment | None:
        if index.internalId() == _TOP:
            return None
        return self._attachments[index.internalId() - 1][index.row()]

    # ------------------------------------------------------------------ ticks
    def is_ticked(self, entry: Entry) -> bool:
        return self._chosen.get(entry.id, not entry.private)  # type: ignore[arg-type]

    def attachment_ticked(self, attachment: Attachment) -> bool:
        """The attachment's own tick (it counts only while its entry is ticked)."""
        default = attachment.kind is not AttachmentKind.VOICE
        return self._attachment_chosen.get(attachment.id, default)  # type: ignore[arg-type]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        entry, attachment = self._entry_of(index), self._attachment_of(index)
        if attachment is not None:
            return self._attachment_data(entry, attachment, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._label(entry)
        if role == Qt.ItemDataRole.CheckStateRole:
            return _state(self.is_ticked(entry))
        if role == Qt.ItemDataRole.ToolTipRole and entry.private:
            return translate("ExportDialog", "Marked private: left out unless you tick it.")
        if role == Qt.ItemDataRole.ForegroundRole and entry.private:
            return _quiet_brush()
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None

    def _attachment_data(self, entry: Entry, attachment: Attachment, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return attachment_label(attachment)
        if role == Qt.ItemDataRole.CheckStateRole:  # shown as it goes in: not without its entry
            return _state(self.is_ticked(entry) and self.attachment_ticked(attachment))
        if role == Qt.ItemDataRole.ToolTipRole:
            if not self.is_ticked(entry):
                return translate("ExportDialog", "Left out with its entry.")
            if attachment.kind is AttachmentKind.VOICE:
                return translate("ExportDialog", "Plays in the web page (HTML) report; the "
                                 "PDF lists it with its length.")
        if role == Qt.ItemDataRole.UserRole:
            return attachment.id
        return None

    def _label(self, entry: Entry) -> str:
        parts = [
            day_text(entry.created_at.date()),
            kind_label(entry.kind),
            entry.display_title or translate("ExportDialog", "(untitled)"),
        ]
        text = " · ".join(parts)
        return text + "  " + translate("ExportDialog", "[private]") if entry.private else text

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return super().flags(index)
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
        if self._attachment_of(index) is None or self.is_ticked(self._entry_of(index)):
            flags |= Qt.ItemFlag.ItemIsEnabled
        if self._attachment_of(index) is not None:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def setData(
        self, index: ModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        ticked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        attachment = self._attachment_of(index)
        if attachment is not None:
            self._attachment_chosen[attachment.id] = ticked  # type: ignore[index]
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        else:
            self._chosen[self._entry_of(index).id] = ticked  # type: ignore[index]
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
            self._children_changed(index.row())
        self.ticks_changed.emit()
        return True

    def _children_changed(self, row: int) -> None:
        """An entry's tick enables or greys out its attachments."""
        count = len(self._attachments[row])
        if count:
            parent = self.index(row)
            self.dataChanged.emit(self.index(0, 0, parent), self.index(count - 1, 0, parent))

    def _all_changed(self) -> None:
        if self._entries:
            self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1))
            for row in range(len(self._entries)):
                self._children_changed(row)
        self.ticks_changed.emit()

    def set_all(self, ticked: bool, *, private_only: bool = False) -> None:
        for entry in self._entries:
            if not private_only or entry.private:
                self._chosen[entry.id] = ticked  # type: ignore[index]
        self._all_changed()

    def set_all_attachments(self, ticked: bool, *, voice: bool) -> None:
        """Tick or untick every voice note (``voice``) or every picture and drawing."""
        for attachment in self._all_attachments():
            if (attachment.kind is AttachmentKind.VOICE) == voice:
                self._attachment_chosen[attachment.id] = ticked  # type: ignore[index]
        self._all_changed()

    def _all_attachments(self) -> list[Attachment]:
        return [a for own in self._attachments for a in own]

    def ticked_ids(self) -> set[int]:
        return {e.id for e in self._entries if self.is_ticked(e)}  # type: ignore[misc]

    def unticked_attachment_ids(self) -> set[int]:
        return {a.id for a in self._all_attachments()  # type: ignore[misc]
                if not self.attachment_ticked(a)}

    def voice_ticked(self) -> bool:
        return any(a.kind is AttachmentKind.VOICE and self.attachment_ticked(a)
                   for a in self._all_attachments())

    def private_ticked(self) -> bool:
        return any(e.private and self.is_ticked(e) for e in self._entries)

    def private_count(self) -> int:
        return sum(1 for e in self._entries if e.private)

    def count_of(self, *, voice: bool) -> int:
        return sum(1 for a in self._all_attachments()
                   if (a.kind is AttachmentKind.VOICE) == voice)

    def row_of(self, entry_id: int) -> int:
        return next(i for i, e in enumerate(self._entries) if e.id == entry_id)


def _state(ticked: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked


def _quiet_brush() -> object:
    app = QCoreApplication.instance()
    return app.palette().brush(QPalette.ColorRole.PlaceholderText)  # type: ignore[attr-defined]


class EntryChooser(QGroupBox):
    """The "Entries" box of the export dialog: the list, the three "Include …" boxes, a
    note on private entries, and Tick all / Untick all. ``changed`` fires on every tick."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("ExportDialog", "Entries"), parent)
        self.model = EntryChoiceModel(self)
        self.model.ticks_changed.connect(self._ticks_changed)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setAccessibleName(translate("ExportDialog", "Entries in the report"))
        self.view.setMinimumHeight(240)
        self.model.modelReset.connect(self.view.expandAll)
        self.private_box = self._box(
            translate("ExportDialog", "Include entries marked private"),
            lambda on: self.model.set_all(on, private_only=True))
        self.pictures_box = self._box(
            translate("ExportDialog", "Include pictures and drawings"),
            lambda on: self.model.set_all_attachments(on, voice=False), checked=True)
        self.voice_box = self._box(
            translate("ExportDialog", "Include voice notes"),
            lambda on: self.model.set_all_attachments(on, voice=True))
        self.voice_note = self._quiet(translate(
            "ExportDialog", "They play in the web page (HTML) report; the PDF lists them with "
            "their length."))
        self.voice_box.setAccessibleDescription(self.voice_note.text())
        self.private_note = self._quiet("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        for widget in (self.private_box, self.private_note, self.pictures_box, self.voice_box,
                       self.voice_note):
            layout.addWidget(widget)
        buttons = QHBoxLayout()
        for text, ticked in ((translate("ExportDialog", "Tick all"), True),
                             (translate("ExportDialog", "Untick all"), False)):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _=False, t=ticked: self.model.set_all(t))
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def _box(self, text: str, toggled: object, *, checked: bool = False) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setChecked(checked)
        box.toggled.connect(toggled)
        return box

    def _quiet(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("quietLabel")
        label.setWordWrap(True)
        return label

    def set_entries(self, entries: Sequence[Entry],
                    attachments: Mapping[int, Sequence[Attachment]]) -> None:
        self.model.set_entries(entries, attachments)

    def _ticks_changed(self) -> None:
        model = self.model
        count = model.private_count()
        self.private_box.setEnabled(count > 0)
        self.private_note.setText(
            translate(
                "ExportDialog",
                "Private entries are left out unless you tick them. %n of the entries above "
                "are marked private.",
                "",
                count,
            )
            if count
            else translate("ExportDialog", "None of the entries above is marked private.")
        )
        self.pictures_box.setVisible(model.count_of(voice=False) > 0)
        for widget in (self.voice_box, self.voice_note):
            widget.setVisible(model.count_of(voice=True) > 0)
        self.changed.emit()
