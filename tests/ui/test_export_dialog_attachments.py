"""The export dialog with attachments: pictures and drawings listed under their entry and
ticked, voice notes unticked until "Include voice notes", an entry's attachments greyed out
while the entry is unticked, ticks by keyboard, and the preview showing the pictures."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from journal_app.export.html_media import picture_url
from journal_app.export.service import ReportFormat
from journal_app.ui.dialogs import export_dialog as module
from journal_app.ui.dialogs.export_dialog import ExportDialog
from tests.ui.test_export_pictures import pdf_images
from tests.unit.test_export_attachments import Store, inputs


@pytest.fixture
def store():
    return Store()


@pytest.fixture
def dialog(qtbot, store):
    widget = ExportDialog(inputs(store), patient_name="Sam R.")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def rows(dialog: ExportDialog, entry_row: int) -> list[str]:
    model = dialog.model
    parent = model.index(entry_row)
    return [model.data(model.index(r, 0, parent)) for r in range(model.rowCount(parent))]


def child(dialog: ExportDialog, entry_row: int, row: int):
    return dialog.model.index(row, 0, dialog.model.index(entry_row))


def test_the_tree_model_passes_the_model_tester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.model)


def test_attachments_are_listed_under_their_entry(dialog):
    assert dialog.model.rowCount() == 3  # the entries, at the top level
    assert rows(dialog, 0) == ["Drawing · 4 Mar 2026", "Voice note · 2:05",
                               "Picture · 4 Mar 2026"]
    checks = [dialog.model.data(child(dialog, 0, r), Qt.ItemDataRole.CheckStateRole)
              for r in range(3)]
    assert checks == [Qt.CheckState.Checked, Qt.CheckState.Unchecked, Qt.CheckState.Checked]
    assert dialog.entry_list.isExpanded(dialog.model.index(0))
    assert dialog.chooser.voice_box.isVisible() and not dialog.chooser.voice_box.isChecked()
    assert dialog.chooser.pictures_box.isChecked()


def test_the_report_holds_what_is_ticked(dialog):
    data = dialog.report_data()
    assert [[p.attachment.id for p in e.pictures] for e in data.entries] == [[11, 13], [31]]
    assert all(e.voice_notes == () for e in data.entries)
    dialog.chooser.voice_box.setChecked(True)
    assert [v.attachment.id for v in dialog.report_data().entries[0].voice_notes] == [12]
    dialog.model.setData(child(dialog, 0, 2), Qt.CheckState.Unchecked,
                         Qt.ItemDataRole.CheckStateRole)
    assert [p.attachment.id for p in dialog.report_data().entries[0].pictures] == [11]
    dialog.chooser.pictures_box.setChecked(False)
    assert all(e.pictures == () for e in dialog.report_data().entries)


def test_an_unticked_entry_greys_out_its_attachments(dialog):
    model = dialog.model
    assert model.flags(child(dialog, 0, 0)) & Qt.ItemFlag.ItemIsEnabled
    model.setData(model.index(0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert not model.flags(child(dialog, 0, 0)) & Qt.ItemFlag.ItemIsEnabled
    assert "Left out with its entry" in model.data(child(dialog, 0, 0),
                                                   Qt.ItemDataRole.ToolTipRole)
    assert [e.entry.id for e in dialog.report_data().entries] == [3]


def test_a_private_entrys_picture_waits_for_its_entry(dialog, store):
    model = dialog.model
    private_row = dialog.model.row_of(2)
    picture = child(dialog, private_row, 0)
    assert not model.flags(picture) & Qt.ItemFlag.ItemIsEnabled
    # shown as it goes in: unticked, though it will be in once its entry is
    assert model.data(picture, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert 21 not in store.read
    dialog.private_box.setChecked(True)
    assert model.flags(picture) & Qt.ItemFlag.ItemIsEnabled
    assert model.data(picture, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert [p.attachment.id for p in dialog.report_data().entries[1].pictures] == [21]


def test_space_ticks_the_current_row(qtbot, dialog):
    view = dialog.entry_list
    voice = child(dialog, 0, 1)
    view.setFocus()
    view.setCurrentIndex(voice)
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert dialog.model.data(voice, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert dialog.model.voice_ticked()


def test_the_preview_shows_the_pictures_and_reads_each_once(dialog, store):
    dialog.refresh_preview()
    document = dialog.preview.document()
    image = document.resource(QTextDocument.ResourceType.ImageResource,
                              QUrl(picture_url("1-11")))
    assert image is not None and not image.isNull()
    assert "A picture that couldn't be read" in dialog.preview.toPlainText()
    reads = len(store.read)
    dialog.refresh_preview()
    dialog.refresh_preview()
    assert len(store.read) == reads == 3  # each once, the damaged one too


def test_closing_drops_the_pictures(dialog):
    dialog.refresh_preview()
    dialog.forget()
    document = dialog.preview.document()
    assert document.resource(QTextDocument.ResourceType.ImageResource,
                             QUrl(picture_url("1-11"))) is None
    assert dialog.model.rowCount() == 0


def _export(qtbot, dialog, monkeypatch, path, fmt: ReportFormat):
    monkeypatch.setattr(module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt.value))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()


def test_a_ticked_voice_note_is_exported_to_html(qtbot, dialog, monkeypatch, tmp_path):
    dialog.chooser.voice_box.setChecked(True)
    out = tmp_path / "report.html"
    _export(qtbot, dialog, monkeypatch, out, ReportFormat.HTML)
    text = out.read_text(encoding="utf-8")
    assert text.count("<audio controls") == 1 and text.count("<img src=\"data:image/png") == 2


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="pdfimages is not installed")
def test_the_exported_pdf_has_the_pictures(qtbot, dialog, monkeypatch, tmp_path):
    out = tmp_path / "report.pdf"
    _export(qtbot, dialog, monkeypatch, out, ReportFormat.PDF)
    assert len(pdf_images(out)) == 2
