"""The export dialog: choose, preview, export, print, cancel."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
import subprocess
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from journal_app.export.service import ReportFormat
from journal_app.storage.report_source import gather_from
from journal_app.ui.dialogs import export_dialog as module
from journal_app.ui.dialogs.export_dialog import ExportDialog, open_export_dialog
from tests.helpers.report_journal import (
    INTENTIONS,
    PRIVATE_CANARY,
    UNLINKED_TITLE,
    course_database,
)


@pytest.fixture(scope="module")
def course():
    db, made = course_database()
    yield db, made
    db.close()


@pytest.fixture
def dialog(qtbot, course):
    db, _made = course
    widget = ExportDialog(gather_from(db), patient_name="Sam R.")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def preview_text(dialog: ExportDialog) -> str:
    dialog.refresh_preview()
    return " ".join(dialog.preview.toPlainText().split())


def row_of_title(dialog: ExportDialog, title: str) -> int:
    model = dialog.model
    return next(r for r in range(model.rowCount())
                if title in model.data(model.index(r), Qt.ItemDataRole.DisplayRole))


def test_model_passes_the_model_tester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.model)


def test_private_entries_are_listed_unticked_marked_and_left_out(dialog):
    model = dialog.model
    row = row_of_title(dialog, "Not for sharing")
    index = model.index(row)
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert "[private]" in model.data(index, Qt.ItemDataRole.DisplayRole)
    assert "left out unless you tick them" in dialog.private_note.text()
    assert PRIVATE_CANARY not in preview_text(dialog)
    model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert PRIVATE_CANARY in preview_text(dialog)


def test_include_private_ticks_every_private_entry(dialog):
    dialog.private_box.setChecked(True)
    assert PRIVATE_CANARY in preview_text(dialog)
    dialog.private_box.setChecked(False)
    assert PRIVATE_CANARY not in preview_text(dialog)


def test_unticking_an_entry_takes_it_out_of_the_preview(dialog):
    assert UNLINKED_TITLE in preview_text(dialog)
    dialog.model.setData(dialog.model.index(row_of_title(dialog, UNLINKED_TITLE)),
                         Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert UNLINKED_TITLE not in preview_text(dialog)


def test_the_period_and_sessions_narrow_the_list_and_the_preview(dialog):
    dialog.filters.start.setDate(QDate(2026, 3, 15))
    dialog.filters.end.setDate(QDate(2026, 3, 29))
    titles = [dialog.model.data(dialog.model.index(r)) for r in range(dialog.model.rowCount())]
    assert titles and all("Mar 2026" in t for t in titles)
    assert not any("session 1" in t for t in titles)
    text = preview_text(dialog)
    assert INTENTIONS[1] in text and INTENTIONS[0] not in text
    sessions = dialog.filters.sessions
    sessions.item(1).setCheckState(Qt.CheckState.Unchecked)  # session 2
    assert INTENTIONS[1] not in preview_text(dialog)


def test_the_preview_shows_the_first_page_for_a_clinician(dialog):
    text = preview_text(dialog)
    for heading in ("Safety answers", "Course of treatment", "Questionnaire scores",
                    "Intention and what happened, session by session", "Journal entries"):
        assert heading in text
    assert "Several days (1)" in text and "Sam R." in text


def _export(qtbot, dialog, monkeypatch, path, fmt: ReportFormat, password: str = ""):
    monkeypatch.setattr(module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt.value))
    if password:
        dialog.password_box.setChecked(True)
        dialog.password.setText(password)
        dialog.password_again.setText(password)
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()


def test_export_writes_what_the_preview_shows(qtbot, dialog, monkeypatch, tmp_path):
    out = tmp_path / "report.md"
    _export(qtbot, dialog, monkeypatch, out, ReportFormat.MARKDOWN)
    text = out.read_text(encoding="utf-8")
    assert INTENTIONS[2] in text and PRIVATE_CANARY not in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "report.md" in dialog.status.text()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_export_a_password_protected_pdf(qtbot, dialog, monkeypatch, tmp_path, no_modals):
    out = tmp_path / "report.pdf"
    _export(qtbot, dialog, monkeypatch, out, ReportFormat.PDF, password="visit-pass")
    assert PdfReader(out).is_encrypted
    assert dialog.password.text() == "" and dialog.password_again.text() == ""
    text = subprocess.run(["pdftotext", "-upw", "visit-pass", str(out), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Sam R." in text and PRIVATE_CANARY not in text
    assert no_modals == []


def test_mismatched_passwords_write_nothing(dialog, monkeypatch, tmp_path, no_modals):
    asked = []
    monkeypatch.setattr(module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: asked.append(1) or ("", "")))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
    dialog.password_box.setChecked(True)
    dialog.password.setText("one")
    dialog.password_again.setText("two")
    dialog.export_button.click()
    assert asked == [] and no_modals and "differ" in no_modals[0][1]


def test_cancel_leaves_no_file(qtbot, dialog, monkeypatch, tmp_path):
    real_export = module.export_report

    def waits_for_cancel(*args, **kwargs):
        assert dialog.cancel_event.wait(10)  # the person presses Cancel meanwhile
        return real_export(*args, **kwargs)

    monkeypatch.setattr(module, "export_report", waits_for_cancel)
    out = tmp_path / "report.html"
    dialog.start_export(out, ReportFormat.HTML)
    assert dialog.cancel_button.isVisible() and not dialog.export_button.isEnabled()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert list(tmp_path.iterdir()) == []
    assert "No file was written" in dialog.status.text()
    assert dialog.export_button.isEnabled()


def test_print_goes_through_the_print_dialog(dialog, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    out = tmp_path / "printed.pdf"

    def pdf_printer():
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(dialog, "make_printer", pdf_printer)
    monkeypatch.setattr("PySide6.QtPrintSupport.QPrintDialog.exec",
                        lambda self: QDialog.DialogCode.Accepted)
    assert dialog.print_report()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Course of treatment" in text and "Page 1 of" in text


@pytest.mark.parametrize("how", ["forget", "close"])
def test_closing_or_locking_drops_the_content(dialog, how):
    assert INTENTIONS[0] in preview_text(dialog)
    dialog.forget() if how == "forget" else dialog.close_button.click()
    assert dialog.preview.toPlainText() == ""
    assert dialog.model.rowCount() == 0
    assert dialog.report_data().entries == ()
    assert not dialog.isVisible()


def test_open_export_dialog_reads_the_journal(qtbot, course):
    db, made = course
    journal = SimpleNamespace(report_inputs=lambda: gather_from(db))
    shown = open_export_dialog(journal, patient_name="Sam R.")
    qtbot.addWidget(shown)
    assert shown.isVisible()
    assert shown.model.rowCount() == len(made.entries)
    assert dt.date(2026, 2, 24) == shown.report_data().period_start
