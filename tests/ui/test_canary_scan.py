"""vault.md test 10: after a GUI session that wrote, searched and exported, nothing the
user wrote is found in plaintext in the journal folder, backups, settings, logs, the
temp folder or Qt's cache folders — in UTF-8 or UTF-16."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt

from journal_app.app import setup_logging
from journal_app.domain.report import ReportRequest, select_report
from journal_app.export.service import export_report
from journal_app.storage.report_source import gather_from
from journal_app.ui.print import pdf_report
from tests.ui.test_journal_flow import (
    PASSPHRASE,
    create_with_wizard,
    lock,
    make_window,
    unlock,
    write_entry,
)

CANARIES = ("CanaryTitleQ7v", "CanaryBodyW3x", "canarytagz5k", "CanarySearchP2m")
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

    lock(qtbot, window)
    unlock(qtbot, window, PASSPHRASE)
    lock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    scanned = [journal_folder, private_dirs, temp]
    assert list((private_dirs / "log").rglob("*.log")), "the log file exists and is scanned"
    assert leaks(scanned, skip=chosen) == []
