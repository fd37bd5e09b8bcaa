"""The entry editor: title, tags, private flag, Markdown text with a rendered preview, and
the entry's attachments under the text."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import Entry, EntryKind, normalize_tags
from journal_app.domain.render import markdown_to_html
from journal_app.ui.widgets.attachment_shelf import AttachmentShelf
from journal_app.ui.widgets.attachment_strip import AttachmentStrip
from journal_app.ui.widgets.tag_completer import TagCompleter

EDIT_SETTLE_MS = 700


class EntryEditor(QWidget):
    """Emits ``edited`` once typing settles; the owner then stores ``current_entry()``.

    ``attach_requested(kind)`` asks the owner for a new attachment (it opens the recorder,
    the canvas or the file chooser, and stores the entry first if it is new).
    """

    edited = Signal()
    attach_requested = Signal(object)  # AttachmentKind

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entry: Entry | None = None
        self._loading = False
        self._settle = QTimer(self, singleShot=True, interval=EDIT_SETTLE_MS)
        self._settle.timeout.connect(self.edited.emit)

        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("Title (optional)"))
        self.title.setAccessibleName(self.tr("Entry title"))
        self.title.setObjectName("titleField")

        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText(self.tr("Tags, separated by commas"))
        self.tags.setAccessibleName(self.tr("Tags"))
        self.tag_completer = TagCompleter(self.tags)  # completes the tag after the last comma
        self.tags.setCompleter(self.tag_completer)

        self.private = QCheckBox(self.tr("Private (never exported unless I choose)"), self)
        self.private.setAccessibleName(self.tr("Private entry"))

        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName(self.tr("Entry text"))
        self.body.setPlaceholderText(self.tr(
            "Write freely. Markdown works: **bold**, *italic*, # headings, - lists."))
        self.body.setTabChangesFocus(True)
        self.preview = QTextBrowser(self)
        self.preview.setOpenLinks(False)
        self.preview.setAccessibleName(self.tr("Rendered entry"))
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.body, self.tr("Write"))
        self.tabs.addTab(self.preview, self.tr("Read"))
        self.tabs.currentChanged.connect(self._tab_changed)

        self.attachments = AttachmentStrip(self)
        self.attachments.add_requested.connect(self.attach_requested)

        self.hint = QLabel(self)
        self.hint.setObjectName("quietLabel")

        meta = QHBoxLayout()
        meta.addWidget(self.tags, 1)
        meta.addWidget(self.private)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addLayout(meta)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.attachments)
        layout.addWidget(self.hint)

        for signal in (self.title.textEdited, self.tags.textEdited, self.body.textChanged,
                       self.private.toggled):
            signal.connect(self._user_edit)
        self.setEnabled(False)

    # ------------------------------------------------------------------ state
    def load(self, entry: Entry | None, shelf: AttachmentShelf | None = None) -> None:
        """Show ``entry`` and the attachments on ``shelf`` (None: it has none yet)."""
        self._settle.stop()
        self._loading = True
        self._entry = entry
        self.title.setText(entry.title if entry else "")
        self.tags.setText(", ".join(entry.tags) if entry else "")
        self.private.setChecked(bool(entry and entry.private))
        self.body.setPlainText(entry.body if entry else "")
        self._loading = False
        self.attachments.show_shelf(shelf)
        self.setEnabled(entry is not None)
        self.hint.setText("")
        if self.tabs.currentIndex() == 1:
            self._render()

    def new_entry(self, kind: EntryKind = EntryKind.FREE) -> None:
        self.load(Entry(kind=kind, title="", body=""))
        self.tabs.setCurrentIndex(0)
        self.title.setFocus()

    def clear(self) -> None:
        self.load(None)
        self.attachments.clear()
        self.preview.clear()

    def set_known_tags(self, tags: list[str]) -> None:
        self.tag_completer.set_tags(tags)

    def _user_edit(self) -> None:
        if not self._loading and self._entry is not None:
            self._settle.start()

    def has_pending_edit(self) -> bool:
        return self._settle.isActive()

    def flush(self) -> None:
        """Deliver a pending edit now (before lock, switching entries, quitting)."""
        if self._settle.isActive():
            self._settle.stop()
            self.edited.emit()

    @property
    def entry(self) -> Entry | None:
        return self._entry

    def remember(self, stored: Entry, shelf: AttachmentShelf | None = None) -> None:
        """The owner stored our edit; keep its id so later edits update it. A new entry
        gets ``shelf``, where attachments can now be kept."""
        self._entry = stored
        if shelf is not None and self.attachments.shelf is None:
            self.attachments.show_shelf(shelf)

    def current_entry(self) -> Entry | None:
        if self._entry is None:
            return None
        tags = normalize_tags(self.tags.text().split(","))
        return self._entry.edited(title=self.title.text().strip(), body=self.body.toPlainText(),
                                  tags=tags, private=self.private.isChecked())

    def is_blank(self) -> bool:
        return not (self.title.text().strip() or self.body.toPlainText().strip())

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self._render()

    def _render(self) -> None:
        self.preview.setHtml(markdown_to_html(self.body.toPlainText()))
