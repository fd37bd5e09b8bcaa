"""Journal → Import…: bring in a journal kept elsewhere (jrnl, Day One, a Markdown folder).

Choose the file or folder; it is read on a worker thread (domain/importers) and the
preview shows what would come in: how many entries, their dates, a few titles, the tags
(each with a tick box: untick to leave a tag behind), whether to make them private, and
what is not brought in and why. Nothing is written until "Import N entries". The merge
then runs on the UI thread (the database belongs to it) a batch at a time from a timer,
so the progress bar moves and Cancel stops between batches; what was merged stays and the
summary says how much. A source imported twice adds nothing the second time.

The dialog holds journal content: :func:`open_import_dialog` closes it when the journal
locks (``ImportDialog.forget``, on the hub's ``journal_locked``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.importers import SourceKind, guess_kind, read_source
from journal_app.domain.importers.common import (
    ImportChoices,
    ParsedSource,
    batches,
    combined,
    split_known,
    to_imported,
)
from journal_app.domain.importers.preview import Preview, make_preview
from journal_app.domain.transfer import COPY_MARK, ImportedJournal, ImportResult
from journal_app.errors import JournalError
from journal_app.ui.background import run_in_background

if TYPE_CHECKING:
    from journal_app.ui.hub import Hub
    from journal_app.ui.shell.open_journal import OpenJournal

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # literal calls: lupdate extracts them

BATCH = 200  # entries merged between two looks at Cancel (a fraction of a second)


def kind_names() -> list[tuple[SourceKind, str]]:
    return [(SourceKind.JRNL, translate("ImportDialog", "jrnl (journal file or JSON export)")),
            (SourceKind.DAYONE, translate("ImportDialog", "Day One (JSON or export zip)")),
            (SourceKind.MARKDOWN, translate("ImportDialog", "A folder of Markdown files"))]


class ImportDialog(QDialog):
    def __init__(self, journal: OpenJournal, parent: QWidget | None = None,
                 on_changed: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.on_changed = on_changed
        self.source: ParsedSource | None = None
        self.preview: Preview | None = None
        self._parts: list[ImportedJournal] = []
        self._results: list[ImportResult] = []
        self._known = 0
        self._total = 0
        self._cancelled = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._merge_next)
        self.setWindowTitle(self.tr("Import a journal"))
        self.setMinimumSize(560, 480)
        self.resize(660, 640)
        self._build()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        intro = QLabel(self.tr("Bring in what you have written elsewhere. You will see what "
                               "comes in first; nothing is added until you choose Import."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.kind_box = QComboBox()
        for kind, label in kind_names():
            self.kind_box.addItem(label, kind)
        self.kind_box.setAccessibleName(self.tr("Kind of journal"))
        self.choose_button = QPushButton(self.tr("Choose…"))
        self.choose_button.clicked.connect(self.choose_source)
        row.addWidget(QLabel(self.tr("From:")))
        row.addWidget(self.kind_box, 1)
        row.addWidget(self.choose_button)
        layout.addLayout(row)
        self.status = QLabel(self.tr("Choose a file or folder to see what it holds."))
        self.status.setWordWrap(True)
        self.status.setObjectName("importStatus")
        layout.addWidget(self.status)
        self.preview_box = QGroupBox()
        box = QVBoxLayout(self.preview_box)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.sample = QLabel()
        self.sample.setWordWrap(True)
        self.sample.setTextFormat(Qt.TextFormat.PlainText)
        self.tags_label = QLabel(self.tr("Tags to keep (untick a tag to leave it behind):"))
        self.tag_list = QListWidget()
        self.tag_list.setAccessibleName(self.tr("Tags to keep"))
        self.tag_list.setFlow(QListView.Flow.LeftToRight)  # tags side by side, wrapping
        self.tag_list.setWrapping(True)
        self.tag_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.tag_list.setSpacing(4)
        self.tag_list.setMinimumHeight(72)
        self.tag_list.setMaximumHeight(130)
        self.private_box = QCheckBox(self.tr("Make the imported entries private"))
        self.private_hint = QLabel(self.tr("Private entries are left out of reports unless "
                                           "you choose to include them."))
        self.private_hint.setWordWrap(True)
        self.private_hint.setIndent(24)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.notes_area = QScrollArea()
        self.notes_area.setWidget(self.notes)
        self.notes_area.setWidgetResizable(True)
        self.notes_area.setFrameShape(QFrame.Shape.NoFrame)
        self.notes_area.setMaximumHeight(150)
        self.notes_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes.setContentsMargins(0, 0, 16, 0)  # clear of the scroll bar
        for widget in (self.counts, self.sample, self.tags_label, self.tag_list,
                       self.private_box, self.private_hint, self.notes_area):
            box.addWidget(widget)
        self.preview_box.hide()
        layout.addWidget(self.preview_box)
        layout.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Import progress"))
        self.progress.hide()
        layout.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.clicked.connect(self._cancel_or_close)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ choosing
    def chosen_kind(self) -> SourceKind:
        return SourceKind(self.kind_box.currentData())

    def choose_source(self) -> None:
        kind = self.chosen_kind()
        if kind is SourceKind.MARKDOWN:
            folder = QFileDialog.getExistingDirectory(
                self, self.tr("Choose the folder of Markdown files"))
            if folder:
                self.load(Path(folder), kind)
            return
        filters = (self.tr("jrnl journal or export (*.txt *.json);;All files (*)")
                   if kind is SourceKind.JRNL else
                   self.tr("Day One export (*.zip *.json);;All files (*)"))
        name, _filter = QFileDialog.getOpenFileName(self, self.tr("Choose the file"), "",
                                                    filters)
        if name:
            path = Path(name)
            guessed = guess_kind(path)
            self.load(path, guessed if guessed is not None else kind)

    def load(self, path: Path, kind: SourceKind) -> None:
        """Read ``path`` as ``kind`` on a worker; the preview follows."""
        self.kind_box.setCurrentIndex(self.kind_box.findData(kind))
        self.source = self.preview = None
        self.preview_box.hide()
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.status.setText(self.tr("Reading %1…").replace("%1", path.name))
        run_in_background(lambda: read_source(path, kind), self._read, self._failed,
                          parent=self)

    def _read(self, source: ParsedSource) -> None:
        self.choose_button.setEnabled(True)
        self.show_preview(source)

    def _failed(self, exc: BaseException) -> None:
        self.choose_button.setEnabled(True)
        if isinstance(exc, JournalError):
            self.status.setText(exc.message)
        else:
            log.error("reading an import failed with %s", type(exc).__name__)
            self.status.setText(self.tr("The file could not be read. Nothing was imported; "
                                        "your journal is unchanged."))

    # ------------------------------------------------------------------ preview
    def show_preview(self, source: ParsedSource) -> None:
        self.source = source
        self.preview = preview = make_preview(source)
        self.status.setText(self.tr("“%1” is ready to import.").replace("%1", preview.name))
        self.counts.setText(self._counts_text(preview))
        sample = "\n".join(f"• {title}" for title in preview.sample)
        self.sample.setText(self.tr("A few of them:") + "\n" + sample if sample else "")
        self.sample.setVisible(bool(sample))
        self.tag_list.clear()
        for tag, count in preview.tags:
            item = QListWidgetItem(self.tr("%1 (%2)").replace("%1", tag)
                                   .replace("%2", str(count)))
            item.setData(Qt.ItemDataRole.UserRole, tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.tag_list.addItem(item)
        self.tags_label.setVisible(bool(preview.tags))
        self.tag_list.setVisible(bool(preview.tags))
        self.notes.setText(self._notes_text(preview))
        self.notes_area.setVisible(bool(preview.skipped or preview.warnings))
        self.preview_box.setTitle(self.tr("What will come in"))
        self.preview_box.show()
        n = preview.entries
        self.import_button.setText(self.tr("Import 1 entry") if n == 1 else
                                   self.tr("Import %n entries", "", n))
        self.import_button.setEnabled(n > 0)

    def _counts_text(self, preview: Preview) -> str:
        n = preview.entries
        text = self.tr("1 entry") if n == 1 else self.tr("%n entries", "", n)
        if preview.first and preview.last:
            locale = QLocale()
            first = locale.toString(preview.first, "d MMMM yyyy")
            last = locale.toString(preview.last, "d MMMM yyyy")
            text += " · " + (self.tr("from %1 to %2").replace("%1", first).replace("%2", last)
                             if first != last else first)
        return text

    def _notes_text(self, preview: Preview) -> str:
        lines = [self.tr("Not brought in:")] if preview.skipped else []
        lines += [f"• {s.place}: {s.reason}" for s in preview.skipped[:8]]
        if len(preview.skipped) > 8:
            lines.append(self.tr("• and %n more", "", len(preview.skipped) - 8))
        if preview.warnings:
            lines += [self.tr("Good to know:")] + [f"• {w}" for w in preview.warnings]
        return "\n".join(lines)

    def choices(self) -> ImportChoices:
        keep = frozenset(
            self.tag_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.tag_list.count())
            if self.tag_list.item(i).checkState() == Qt.CheckState.Checked)
        return ImportChoices(keep_tags=keep, private=self.private_box.isChecked())

    # ------------------------------------------------------------------ importing
    def start_import(self) -> None:
        if self.source is None:
            return
        try:
            imported = to_imported(self.source, self.choices())
        except JournalError as exc:
            self.status.setText(exc.message)
            return
        rest, self._known = split_known(imported, self.journal.repo.entries_by_uid)
        self._parts = batches(rest, BATCH)
        self._results = []
        self._total = len(rest.entries)
        self._cancelled = False
        for widget in (self.import_button, self.choose_button, self.kind_box,
                       self.tag_list, self.private_box):
            widget.setEnabled(False)
        self.progress.setRange(0, max(1, self._total))
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(self.tr("Importing…"))
        self._timer.start()

    def _merged(self) -> int:
        return sum(len(p.entries) for p in self._parts[:len(self._results)])

    def _merge_next(self) -> None:
        if self._cancelled or len(self._results) == len(self._parts):
            self._finish()
            return
        part = self._parts[len(self._results)]
        try:
            self._results.append(self.journal.data.import_journal(part))
        except JournalError as exc:
            self.status.setText(exc.message)
            self._finish(failed=True)
            return
        self.progress.setValue(self._merged())
        self._timer.start()

    def _finish(self, *, failed: bool = False) -> None:
        result = combined(self._results)
        result.entries_unchanged += self._known
        complete = len(self._results) == len(self._parts)
        if not failed:
            self.status.setText(self.summary(result, complete))
            font = self.status.font()
            font.setBold(True)
            self.status.setFont(font)
        self.progress.hide()
        self.preview_box.setTitle(self.tr("What was read"))
        for widget in (self.sample, self.tags_label, self.tag_list, self.private_box,
                       self.private_hint):
            widget.hide()
        self.progress.setValue(self._merged())
        self.import_button.hide()
        self.close_button.setText(self.tr("Close"))
        self.close_button.setDefault(True)
        self._parts = []
        if self.on_changed is not None and result.changed:
            self.on_changed()

    def summary(self, result: ImportResult, complete: bool) -> str:
        added, here = result.entries_added, result.entries_unchanged
        lines = [self.tr("Added 1 new entry.") if added == 1 else
                 self.tr("Added %n new entries.", "", added),
                 self.tr("1 was already here.") if here == 1 else
                 self.tr("%n were already here.", "", here)]
        if result.entries_copied:
            lines.append(self.tr("%n changed since the last import and were kept beside "
                                 "the ones here, tagged '%1'.", "", result.entries_copied)
                         .replace("%1", COPY_MARK))
        if not complete:
            left = self._total - self._merged()
            lines.insert(0, self.tr("Import stopped. %n entries were not brought in; "
                                    "import the same source again to add them.", "", left))
        return " ".join(lines)

    def _cancel_or_close(self) -> None:
        if self._parts and not self._cancelled:
            self._cancelled = True  # the timer's next turn finishes
            return
        self.reject()

    def forget(self) -> None:
        """The journal locked: stop, drop what was read, close."""
        self._timer.stop()
        self._parts = []
        self.source = self.preview = None
        self.tag_list.clear()
        self.sample.clear()
        self.close()


def open_import_dialog(journal: OpenJournal | None, parent: QWidget, hub: Hub,
                       on_changed: Callable[[], None] | None = None) -> ImportDialog | None:
    """Journal → Import…: show the dialog (non-modal) for the open ``journal``, closed when
    ``hub`` says the journal locked; ``on_changed`` runs once entries came in."""
    if journal is None:
        return None
    dialog = ImportDialog(journal, parent, on_changed=on_changed)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    hub.journal_locked.connect(dialog.forget)  # let go when the dialog is deleted
    dialog.show()
    return dialog
