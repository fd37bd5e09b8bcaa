"""The journal page: every entry, newest first, beside the editor.

The list holds light entry heads; the entry chosen is loaded whole into the editor, with
its attachments (a new entry is stored as soon as something is attached to it, so the
attachment has an entry to belong to).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QLabel, QListView, QPushButton, QSplitter, QVBoxLayout, QWidget

from journal_app.domain.attachments import AttachmentKind
from journal_app.domain.entities import Entry, EntryKind
from journal_app.errors import JournalError
from journal_app.ui import messages
from journal_app.ui.background import run_in_background
from journal_app.ui.models.entry_model import EntryListModel
from journal_app.ui.pages.base import Page
from journal_app.ui.widgets.attachment_shelf import EntryShelf
from journal_app.ui.widgets.editor import EntryEditor

if TYPE_CHECKING:
    from journal_app.storage.attaching import StagedAttachment
    from journal_app.ui.shell.open_journal import OpenJournal

log = logging.getLogger(__name__)


class JournalPage(Page):
    entry_stored = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = None
        self.model = EntryListModel(self)
        self.new_button = QPushButton(self.tr("New entry"), self)
        self.new_button.setObjectName("primary")
        self.new_button.setAccessibleName(self.tr("New entry"))
        # The view talks to a C++ model in front of ours: laying out a long list asks for
        # every row's index, which would be two Python calls a row (50k rows: ~0.4 s).
        self.rows = QSortFilterProxyModel(self)  # no filter, no sort: the same rows
        self.rows.setSourceModel(self.model)
        self.list = QListView(self)
        self.list.setModel(self.rows)
        self.list.setAccessibleName(self.tr("Entries"))
        self.list.setUniformItemSizes(True)
        self.list.setSpacing(2)
        self.empty = QLabel(self.tr("Nothing written yet. “New entry” starts your first page."),
                            self)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("quietLabel")
        self.editor = EntryEditor(self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.new_button)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.list, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_empty)
        self.new_button.clicked.connect(lambda: self.new_entry())
        self.list.selectionModel().currentChanged.connect(self._entry_selected)
        self.editor.edited.connect(self._store_edit)
        self.editor.attach_requested.connect(self.add_attachment)
        self._update_empty()

    def page_title(self) -> str:
        return self.tr("Journal")

    # ------------------------------------------------------------------ Page
    def refresh(self) -> None:
        if self.journal is None:
            return
        self.editor.flush()
        current = self.editor.entry.id if self.editor.entry else None
        repo = self.journal.repo
        self.model.set_source(repo.list_entry_ids(), repo.entry_heads)
        self.editor.set_known_tags([t for t, _n in repo.tag_counts()])
        if not self.model.rowCount():
            return
        row = self.model.row_of(current) if current is not None else -1
        self.list.setCurrentIndex(self._shown(max(row, 0)))

    def detach(self) -> None:
        self.flush()
        self.model.clear()
        self.editor.clear()
        self.editor.set_known_tags([])
        super().detach()

    def flush(self) -> None:
        self.editor.flush()

    # ------------------------------------------------------------------ entries
    def _update_empty(self) -> None:
        self.empty.setVisible(self.model.rowCount() == 0)

    def new_entry(self, kind: EntryKind = EntryKind.FREE) -> None:
        if self.journal is None:
            return
        self.editor.flush()
        self.list.selectionModel().clearCurrentIndex()
        self.editor.new_entry(kind)

    def show_entry(self, entry_id: int) -> None:
        row = self.model.row_of(entry_id)
        if row >= 0:
            self.list.setCurrentIndex(self._shown(row))

    def _shown(self, row: int) -> QModelIndex:
        """The list's index of the model's ``row``."""
        return self.rows.mapFromSource(self.model.index(row))

    def _entry_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.editor.flush()
        row = self.rows.mapToSource(current).row() if current.isValid() else -1
        head = self.model.entry_at(row)
        if head is None or self.journal is None:
            return
        if self.editor.entry is None or self.editor.entry.id != head.id:
            entry = self.journal.repo.get_entry(head.id)
            if entry is not None:
                self.editor.load(entry, self._shelf(entry.id))

    def _shelf(self, entry_id: int | None) -> EntryShelf | None:
        if self.journal is None or entry_id is None:
            return None
        return EntryShelf(self.journal, entry_id)

    def _store_edit(self, *, even_blank: bool = False) -> Entry | None:
        """Store what the editor shows; a new blank entry only when ``even_blank`` (it is
        getting an attachment)."""
        if self.journal is None:
            return None
        entry = self.editor.current_entry()
        if entry is None or (entry.id is None and self.editor.is_blank() and not even_blank):
            return None
        stored = self._store(entry)
        self.editor.remember(stored, self._shelf(stored.id))
        row = self.model.upsert(stored)
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        selection.setCurrentIndex(self._shown(row),
                                  QItemSelectionModel.SelectionFlag.ClearAndSelect)
        selection.blockSignals(False)
        self.entry_stored.emit(stored.id)
        return stored

    def _store(self, entry: Entry) -> Entry:
        repo = self.journal.repo
        return repo.update_entry(entry) if entry.id is not None else repo.add_entry(entry)

    # ------------------------------------------------------------------ attachments
    def add_attachment(self, kind: AttachmentKind) -> None:
        """Record, draw or choose a picture, and keep it with the entry shown. The
        encrypted blob is written on a worker (a long recording never holds up typing);
        the row that refers to it is added back here."""
        journal = self.journal
        if journal is None or self.editor.entry is None:
            return
        self.editor.flush()
        from journal_app.ui.dialogs.capture import capture  # the recorder and canvas: on use

        data = capture(kind, self)
        if data is None or self.journal is not journal or self.editor.entry is None:
            return  # changed their mind, or the journal was locked meanwhile
        if self.editor.entry.id is None:
            self._store_edit(even_blank=True)
        entry_id = self.editor.entry.id
        if entry_id is None:
            return
        self.editor.attachments.set_busy(True)
        run_in_background(lambda: journal.data.stage_attachment(kind, data),
                          lambda staged: self._staged(journal, entry_id, staged),
                          lambda exc: self._not_attached(journal, exc), parent=self)

    def _staged(self, journal: OpenJournal, entry_id: int, staged: StagedAttachment) -> None:
        if self.journal is not journal:
            return  # locked meanwhile: nothing refers to the blob, it is collected later
        self.editor.attachments.set_busy(False)
        try:
            journal.data.attach_staged(entry_id, staged)
        except JournalError as exc:  # e.g. the entry was deleted meanwhile
            self._not_attached(journal, exc)
            return
        if self.editor.entry is not None and self.editor.entry.id == entry_id:
            self.editor.attachments.reload()

    def _not_attached(self, journal: OpenJournal, exc: BaseException) -> None:
        if self.journal is not journal:
            return
        self.editor.attachments.set_busy(False)
        if isinstance(exc, JournalError):
            message = exc.message
        else:
            log.error("an attachment could not be kept: %s", type(exc).__name__)
            message = self.tr("It couldn't be kept because of an unexpected error. The "
                              "entry itself is safe.")
        messages.error(self, self.tr("Not attached"), message)

    def delete_entry(self) -> None:
        entry = self.editor.entry
        if self.journal is None or entry is None:
            return
        self.editor.flush()
        entry = self.editor.entry
        if entry.id is None:
            self.editor.clear()
            return
        attached = len(self.editor.attachments.attachments)
        question = (self.tr("Delete this entry and its %n attachment(s)? This can't be "
                            "undone.", "", attached) if attached
                    else self.tr("Delete this entry? This can't be undone."))
        if not messages.confirm(self, self.tr("Delete entry"), question,
                                self.tr("Delete"), self.tr("Keep it")):
            return
        self.journal.repo.delete_entry(entry.id)
        self.model.remove(entry.id)
        self.editor.clear()
