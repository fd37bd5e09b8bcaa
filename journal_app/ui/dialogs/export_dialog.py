"""The therapist report: choose, preview, export (or print).

Left: what goes in (period, sessions, kinds, questionnaires, the name to print) and the
matching entries, each with a tick box and its pictures, drawings and voice notes under it
(``export_entry_list.py``); private entries and voice notes start unticked.
Right: a live preview of exactly what will be written. Below: the format, an optional PDF
password, Print and Export. Writing runs in the background with progress and Cancel; a
cancelled export leaves no file. The password is never stored.

The dialog holds journal content: the main window must close it when the journal locks
(``ExportDialog.forget``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.report import ReportData, ReportInputs, candidate_entries, select_report
from journal_app.errors import JournalError
from journal_app.export.builder import build_document
from journal_app.export.html import PICTURE_HEIGHT_SHARE, render_print_html
from journal_app.export.progress import Cancelled, Progress
from journal_app.export.service import ReportFormat, export_report
from journal_app.ui import messages
from journal_app.ui.background import run_in_background
from journal_app.ui.dialogs.export_choices import ReportFilters, format_names
from journal_app.ui.dialogs.export_entry_list import EntryChooser
from journal_app.ui.dialogs.export_preview import CachedReader, ChartCache, PreviewPictures
from journal_app.ui.print import pdf_report

if TYPE_CHECKING:
    from journal_app.storage.journal import Journal

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

PREVIEW_DELAY_MS = 250


class _Relay(QObject):
    """Carries progress from the worker to the dialog (a queued signal)."""

    progressed = Signal(int, int, str)


class ExportDialog(QDialog):
    exported = Signal(Path)

    def __init__(
        self,
        inputs: ReportInputs,
        parent: QWidget | None = None,
        *,
        patient_name: str = "",
        suggested_name: str = "therapy-report",
    ) -> None:
        super().__init__(parent)
        self._reader = CachedReader(inputs.attachment_data) \
            if inputs.attachment_data is not None else None
        self.inputs = replace(inputs, attachment_data=self._reader)
        self._pictures = PreviewPictures()
        self.suggested_name = suggested_name
        self.cancel_event = threading.Event()
        self.running = False
        self._charts = ChartCache()
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._show_progress)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.setWindowTitle(self.tr("Report for your care team"))
        self.resize(1240, 860)
        self._build()
        self.filters.name.setText(patient_name)
        self._filters_changed()
        self.refresh_preview()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.filters = ReportFilters(self.inputs, self)
        self.filters.changed.connect(self._filters_changed)
        self.chooser = EntryChooser(self)
        self.chooser.changed.connect(self._schedule_preview)
        self.model = self.chooser.model
        self.entry_list = self.chooser.view
        self.private_box = self.chooser.private_box
        self.private_note = self.chooser.private_note
        self.preview = QTextBrowser(self)
        self.preview.setOpenLinks(False)
        self.preview.setAccessibleName(self.tr("Preview of the report"))
        self.preview.zoomOut(2)  # the printed page's proportions, at a reading size
        splitter = QSplitter(self)
        splitter.addWidget(self._choices_panel())
        splitter.addWidget(self._preview_panel())
        splitter.setSizes([470, 770])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._bottom_row())

    def _choices_panel(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        panel = QWidget(scroll)
        scroll.setWidget(panel)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.filters)
        layout.addWidget(self.chooser, 1)
        return scroll

    def _preview_panel(self) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        note = QLabel(
            self.tr(
                "This is exactly what the report will contain. Nothing is sent anywhere: you "
                "choose where to save the file and whom to give it to."
            ),
            panel,
        )
        note.setWordWrap(True)
        note.setObjectName("quietLabel")
        layout.addWidget(note)
        layout.addWidget(self.preview, 1)
        return panel

    def _bottom_row(self) -> QHBoxLayout:
        self.format_box = QComboBox(self)
        for fmt, name in format_names():
            self.format_box.addItem(name, fmt.value)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.password_box = QCheckBox(self.tr("Protect the PDF with a password"), self)
        self.password_box.toggled.connect(self._format_changed)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password_again = QLineEdit(self)
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again.setPlaceholderText(self.tr("Repeat the password"))
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("quietLabel")
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_button.clicked.connect(self.print_report)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.choose_file_and_export)
        self.cancel_button = QPushButton(self.tr("Cancel export"), self)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.cancel_button.hide()
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        for widget in (QLabel(self.tr("Format:"), self), self.format_box, self.password_box,
                       self.password, self.password_again):
            row.addWidget(widget)
        row.addStretch(1)
        for widget in (self.status, self.progress, self.cancel_button, self.print_button,
                       self.export_button, self.close_button):
            row.addWidget(widget)
        self._format_changed()
        return row

    # ------------------------------------------------------------------ choosing
    @property
    def chosen_format(self) -> ReportFormat:
        return ReportFormat(self.format_box.currentData())

    def _format_changed(self) -> None:
        is_pdf = self.chosen_format is ReportFormat.PDF
        self.password_box.setEnabled(is_pdf)
        for edit in (self.password, self.password_again):
            edit.setVisible(is_pdf and self.password_box.isChecked())

    def _filters_changed(self) -> None:
        entries = candidate_entries(self.inputs, self.filters.request(include_private=True))
        self.chooser.set_entries(entries, self.inputs.attachments)

    def report_data(self) -> ReportData:
        """The report as chosen right now. Anything not ticked in the list is left out,
        an attachment with its entry."""
        ticked = self.model.ticked_ids()
        excluded = {e.id for e in self.inputs.entries if e.id not in ticked}
        request = self.filters.request(
            excluded=excluded,
            include_private=self.model.private_ticked(),
            excluded_attachments=self.model.unticked_attachment_ids(),
            include_voice_notes=self.model.voice_ticked(),
        )
        return select_report(self.inputs, request)

    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def _chart_pngs(self, data: ReportData, *, for_screen: bool = False) -> Mapping[str, bytes]:
        """The preview's charts at screen resolution; files' and prints' at print's."""
        scale = self.devicePixelRatioF() if for_screen else pdf_report.CHART_SCALE
        return self._charts.get(data, scale)

    def refresh_preview(self) -> None:
        data = self.report_data()
        width = max(400, self.preview.viewport().width() - 40)
        document = build_document(data)
        box = (width, width * PICTURE_HEIGHT_SHARE)
        unreadable = self._pictures.add_to(
            self.preview.document(), document, box, self.devicePixelRatioF()
        )
        html = render_print_html(
            document,
            charts=self._chart_pngs(data, for_screen=True),
            chart_width=width,
            picture_box=box,
            unreadable=unreadable,
        )
        position = self.preview.verticalScrollBar().value()
        self.preview.setHtml(html)
        self.preview.verticalScrollBar().setValue(position)

    # ------------------------------------------------------------------ exporting
    def _password(self) -> str | None:
        if self.chosen_format is not ReportFormat.PDF or not self.password_box.isChecked():
            return None
        first, second = self.password.text(), self.password_again.text()
        if not first:
            raise JournalError(self.tr("Type a password for the PDF, or untick the box."))
        if first != second:
            raise JournalError(self.tr("The two passwords differ. Type them again."))
        return first

    def choose_file_and_export(self) -> None:
        fmt = self.chosen_format
        try:
            password = self._password()
        except JournalError as err:
            messages.error(self, self.tr("Report not written"), err.message)
            return
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the report"),
            self.suggested_name + fmt.suffix,
            self.tr("Report (*%1)").replace("%1", fmt.suffix),
        )
        if path:
            target = Path(path)
            self.start_export(
                target if target.suffix else target.with_suffix(fmt.suffix), fmt, password
            )

    def start_export(self, path: Path, fmt: ReportFormat, password: str | None = None) -> None:
        """Write ``path`` in the background (charts are drawn here, on the UI thread)."""
        data = self.report_data()
        charts = self._chart_pngs(data) if fmt in (ReportFormat.HTML, ReportFormat.PDF) else None
        renderer = pdf_report.render_pdf if fmt is ReportFormat.PDF else None
        self.cancel_event.clear()
        progress = Progress(
            callback=self._relay.progressed.emit, cancelled=self.cancel_event.is_set
        )
        self._set_running(True)
        run_in_background(
            lambda: export_report(
                data,
                fmt,
                path,
                charts=charts,
                pdf_renderer=renderer,
                password=password,
                progress=progress,
            ),
            self._export_done,
            self._export_failed,
            parent=self,
        )
        self.password.clear()
        self.password_again.clear()

    def cancel_export(self) -> None:
        self.cancel_event.set()
        self.status.setText(self.tr("Cancelling…"))

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.progress.setVisible(running)
        self.progress.setValue(0)
        self.cancel_button.setVisible(running)
        for widget in (self.export_button, self.print_button, self.format_box, self.filters,
                       self.chooser):
            widget.setEnabled(not running)
        if running:
            self.status.setText(self.tr("Writing the report…"))

    def _show_progress(self, done: int, total: int, _stage: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _export_done(self, path: Path) -> None:
        self._set_running(False)
        self.status.setText(self.tr("Saved as %1.").replace("%1", Path(path).name))
        self.exported.emit(Path(path))

    def _export_failed(self, exc: BaseException) -> None:
        self._set_running(False)
        if isinstance(exc, Cancelled):
            self.status.setText(self.tr("Cancelled. No file was written."))
            return
        self.status.setText("")
        text = (
            exc.message
            if isinstance(exc, JournalError)
            else self.tr("The report could not be written (%1).").replace("%1", type(exc).__name__)
        )
        messages.error(self, self.tr("Report not written"), text)

    # ------------------------------------------------------------------ printing
    def make_printer(self) -> object:
        from PySide6.QtPrintSupport import QPrinter

        return QPrinter(QPrinter.PrinterMode.HighResolution)

    def print_report(self) -> bool:
        """Print through the system's print dialog; True if something was printed."""
        from PySide6.QtPrintSupport import QPrintDialog

        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)  # type: ignore[arg-type]
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        data = self.report_data()
        pdf_report.paint_report(
            build_document(data),
            printer,  # type: ignore[arg-type]
            charts=self._chart_pngs(data),
        )
        return True

    # ------------------------------------------------------------------ closing
    def forget(self) -> None:
        """Drop every piece of journal content and close (on lock, or when closed)."""
        self.reject()

    def reject(self) -> None:
        """Closing cancels a running export and drops the journal content this dialog
        holds; open a new dialog (``open_export_dialog``) to export again."""
        self.cancel_event.set()
        self.inputs = ReportInputs()
        self.model.set_entries([])
        self._preview_timer.stop()
        self.preview.clear()  # its pictures too
        self._pictures.clear()
        if self._reader is not None:
            self._reader.clear()
        self._charts.clear()
        self.password.clear()
        self.password_again.clear()
        super().reject()


def open_export_dialog(
    journal: Journal,
    parent: QWidget | None = None,
    *,
    patient_name: str = "",
    suggested_name: str = "therapy-report",
) -> ExportDialog:
    """Gather the journal's data (on this, the UI thread) and show the dialog (non-modal).
    ``journal`` is the open journal (``OpenJournal.data``)."""
    dialog = ExportDialog(
        journal.report_inputs(),
        parent,  # type: ignore[arg-type]
        patient_name=patient_name,
        suggested_name=suggested_name,
    )
    dialog.show()
    return dialog
