"""``journal-app --self-test``: prove an installed copy (or a frozen bundle) works end to end.

Creates a journal in a temporary folder with a weak KDF, writes, saves, reopens, searches,
shows it in the real main window offscreen, exports it, and exits 0 — or prints which
step failed and exits 1. Nothing is written outside the temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

PASSPHRASE = "self-test passphrase"  # noqa: S105 - a throwaway journal in a temp folder
WORD = "selftestocean"


def _steps(folder: Path) -> list[tuple[str, Callable[[], None]]]:
    from journal_app.domain.entities import Entry, EntryKind
    from journal_app.storage.fileformat import KdfParams
    from journal_app.storage.repository import JournalRepository
    from journal_app.storage.vault import Secret, Vault

    path = folder / "self-test.ijournal"
    state: dict[str, object] = {}

    def create() -> None:
        vault, _key = Vault.create(path, PASSPHRASE, KdfParams(8 * 1024, 1, 1))
        JournalRepository(vault.db).add_entry(
            Entry(EntryKind.FREE, "Self-test", f"The **{WORD}** was calm.", ("check",)))
        vault.save()
        vault.close()

    def reopen_and_search() -> None:
        vault = Vault.open(path, Secret(passphrase=PASSPHRASE))
        hits = JournalRepository(vault.db).search(WORD)
        if len(hits) != 1:
            raise AssertionError("search did not find the entry written before saving")
        state["vault"] = vault

    def show_window() -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from journal_app.ui.hub import Hub
        from journal_app.ui.settings import Settings
        from journal_app.ui.shell.main_window import MainWindow

        app = QApplication.instance() or QApplication([sys.argv[0]])
        window = MainWindow(path, Hub(), settings=Settings())
        window.open_vault(state.pop("vault"))  # type: ignore[arg-type]
        window.show_page(window.journal_page)  # pages load when shown
        app.processEvents()
        if window.journal_page.model.rowCount() != 1:
            raise AssertionError("the main window does not list the entry")
        window.lock()
        for _ in range(200):
            app.processEvents()
            if window.journal is None:
                break
            QApplication.instance().thread().msleep(10)
        if window.journal is not None:
            raise AssertionError("locking did not finish")

    def export() -> None:
        from journal_app.domain.report import ReportRequest, select_report
        from journal_app.export.service import export_report
        from journal_app.storage.report_source import gather_from
        from journal_app.ui.print import pdf_report
        vault = Vault.open(path, Secret(passphrase=PASSPHRASE), lock=False)
        try:
            data = select_report(gather_from(vault.db), ReportRequest())
        finally:
            vault.close()
        pdf_report.ensure_application()
        charts = pdf_report.chart_pngs(data)
        html = export_report(data, "html", folder / "report.html", charts=charts)
        if WORD not in html.read_text(encoding="utf-8"):
            raise AssertionError("the HTML report lacks the entry")
        pdf = export_report(data, "pdf", folder / "report.pdf", charts=charts,
                            pdf_renderer=pdf_report.render_pdf)
        if not pdf.read_bytes().startswith(b"%PDF"):
            raise AssertionError("the PDF report is not a PDF")

    return [("create a journal", create), ("reopen and search", reopen_and_search),
            ("show it in the main window", show_window), ("export a report", export)]


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="journal-self-test-") as tmp:
        for name, step in _steps(Path(tmp)):
            try:
                step()
            except Exception:
                print(f"self-test FAILED at: {name}", file=sys.stderr)
                traceback.print_exc()
                return 1
            print(f"ok: {name}")
    print("self-test passed")
    return 0
