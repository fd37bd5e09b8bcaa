"""vault.md test 10: after a GUI session that wrote, searched and exported, nothing the
user wrote is found in plaintext in the journal folder, backups, settings, logs, the
temp folder or Qt's cache folders — in UTF-8 or UTF-16.

With attachments (issue 15): a picture whose PNG carries a canary in a text chunk and a
voice note whose samples spell one are attached, shown, played and exported; neither
canary reaches any of those places either (the encrypted blobs beside the journal
included)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from journal_app.app import setup_logging
from journal_app.domain.report import ReportRequest, select_report
from journal_app.export.service import export_report
from journal_app.storage.report_source import gather_from
from journal_app.ui.print import pdf_report
from journal_app.ui.widgets.picture_view import PictureDialog
from tests.ui.attachment_helpers import (
    back_to,
    choose_file,
    png_bytes,
    record_from,
    silent_playback,
    voice_wav,
)
from tests.ui.test_journal_flow import (
    PASSPHRASE,
    create_with_wizard,
    lock,
    make_window,
    unlock,
    write_entry,
)

CANARIES = ("CanaryTitleQ7v", "CanaryBodyW3x", "canarytagz5k", "CanarySearchP2m",
            "CanaryPictureH8j", "CanaryVoiceM6qz")  # the last two: in the attachments
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def leaks(folders: list[Path], skip: set[Path]) -> list[str]:
    found = []
    for folder in folders:
        for file in folder.rglob("*"):
            if not file.is_file() or file in skip:
                continue
            data = file.read_bytes()
            for canary in CANARIES:
                for encoding in ENCODINGS:
                    if canary.encode(encoding) in data:
                        found.append(f"{file} ({encoding}: {canary})")
    return found


def attach_canaries(qtbot, window, monkeypatch, outside: Path) -> None:
    """Through the entry's strip: a picture chosen from a folder outside the scanned ones,
    a voice note recorded (the recorder fed a WAV), both looked at and played."""
    outside.mkdir()
    (outside / "picture.png").write_bytes(png_bytes(text=CANARIES[4]))
    assert any(CANARIES[4] in hit for hit in leaks([outside], set())), \
        "the scan finds the picture's canary where it is plain"
    players = silent_playback(monkeypatch)
    strip = window.journal_page.editor.attachments
    choose_file(monkeypatch, outside / "picture.png")
    qtbot.mouseClick(strip.picture_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not strip.busy, timeout=10_000)  # its blob is written
    record_from(monkeypatch, qtbot, voice_wav(1.0, spelling=CANARIES[5].encode()))
    qtbot.mouseClick(strip.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not strip.busy, timeout=10_000)
    assert len(strip.tiles) == 1 and len(strip.rows) == 1
    qtbot.mouseClick(strip.rows[0].play_button, Qt.MouseButton.LeftButton)
    assert CANARIES[5].encode() in players[-1].played[0][0], "played from memory"
    QTest.keyClick(strip.tiles[0].thumb, Qt.Key.Key_Space)
    assert [d for d in window.findChildren(PictureDialog) if d.isVisible()]
    back_to(qtbot, window)


def test_gui_session_leaves_no_plaintext_anywhere(qtbot, tmp_path, private_dirs, no_modals,
                                                  monkeypatch):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    setup_logging()  # the real rotating log, in the test's log folder
    journal_folder = tmp_path / "journal"
    path = journal_folder / "journal.ijournal"

    vault, _key = create_with_wizard(qtbot, path)
    window = make_window(qtbot, path)
    window.open_vault(vault)
    write_entry(qtbot, window, CANARIES[0], f"words {CANARIES[1]} and {CANARIES[3]}",
                CANARIES[2])

    attach_canaries(qtbot, window, monkeypatch, tmp_path / "outside")

    window.find()  # Ctrl+F: the search page, typed into like a person would
    search = window.journal_area.page("search")
    qtbot.keyClicks(search.field, CANARIES[3])
    qtbot.waitUntil(lambda: search.model.rowCount() == 1, timeout=5_000)

    exports = journal_folder / "exports"
    exports.mkdir()
    data = select_report(gather_from(window.journal.vault.db), ReportRequest())
    chosen = {export_report(data, "html", exports / "report.html"),
              export_report(data, "pdf", exports / "report.pdf",
                            charts=pdf_report.chart_pngs(data),
                            pdf_renderer=pdf_report.render_pdf)}
    assert CANARIES[1] in (exports / "report.html").read_text(encoding="utf-8")
    with_media = select_report(window.journal.data.report_inputs(),
                               ReportRequest(include_voice_notes=True))
    chosen |= {export_report(with_media, "html", exports / "pictures.html"),
               export_report(with_media, "pdf", exports / "pictures.pdf",
                             charts=pdf_report.chart_pngs(with_media),
                             pdf_renderer=pdf_report.render_pdf)}
    html = (exports / "pictures.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "data:audio/wav;base64," in html, \
        "the report has the picture (and the voice note that was ticked)"

    back_to(qtbot, window)
    lock(qtbot, window)
    unlock(qtbot, window, PASSPHRASE)
    lock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    scanned = [journal_folder, private_dirs, temp]
    assert list((private_dirs / "log").rglob("*.log")), "the log file exists and is scanned"
    blobs = journal_folder / f"{path.name}.attachments"
    assert len([f for f in blobs.iterdir() if f.is_file()]) == 2, "the blobs are scanned"
    assert leaks(scanned, skip=chosen) == []
