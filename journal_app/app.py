"""Composition root: logging, QApplication, excepthook, settings, the first window."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from journal_app import paths
from journal_app.ui.hub import Hub
from journal_app.ui.settings import Settings
from journal_app.ui.shell.main_window import MainWindow
from journal_app.ui.theme import apply_theme

if TYPE_CHECKING:
    from journal_app.storage.fileformat import KdfParams

log = logging.getLogger("journal_app")


def setup_logging() -> None:
    """A rotating log of events only: never journal text, titles, tags, scores or secrets."""
    folder = paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "journal-app.log"
    root = logging.getLogger("journal_app")
    root.setLevel(logging.INFO)
    for old in [h for h in root.handlers
                if isinstance(h, logging.handlers.RotatingFileHandler)]:
        if Path(old.baseFilename) == target:
            return
        root.removeHandler(old)
        old.close()
    handler = logging.handlers.RotatingFileHandler(target, maxBytes=512_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def crash_report(exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> str:
    """Where the error happened, without its message (which could quote journal text)."""
    frames = traceback.extract_tb(tb)
    lines = [f"{exc_type.__module__}.{exc_type.__qualname__}"]
    lines += [f'  File "{Path(f.filename).name}", line {f.lineno}, in {f.name}' for f in frames]
    return "\n".join(lines)


def excepthook(exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
    report = crash_report(exc_type, exc, tb)
    log.error("unexpected error:\n%s", report)
    app = QApplication.instance()
    if app is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    box = QMessageBox(QMessageBox.Icon.Critical,
                      QCoreApplication.translate("app", "Something went wrong"),
                      QCoreApplication.translate(
                          "app", "Integration Journal hit an unexpected error. Your saved "
                          "writing is safe. The report below holds no journal text; you can "
                          "copy it for a bug report."))
    box.setDetailedText(report)
    box.exec()


def build_window(path: Path, settings: Settings, kdf: KdfParams | None = None) -> MainWindow | None:
    """The main window, after the create wizard when there is no journal yet."""
    hub = Hub()
    window = MainWindow(path, hub, settings=settings)
    window.hub_ref = hub  # keep the hub alive with the window
    if not path.exists():
        from journal_app.ui.shell.create_wizard import CreateJournalWizard

        wizard = CreateJournalWizard(path, kdf)
        if wizard.exec() != CreateJournalWizard.DialogCode.Accepted or wizard.vault is None:
            return None
        window.open_vault(wizard.vault)
    settings.set("last_journal", str(path))
    return window


def install_translations(app: QApplication) -> None:
    """Load ``resources/translations/journal_app_<locale>.qm`` when one exists."""
    translator = QTranslator(app)
    folder = str(paths.resource("translations"))
    if translator.load(QLocale.system(), "journal_app", "_", folder):
        app.installTranslator(translator)


def run_gui(path: Path | None = None, *, kdf: KdfParams | None = None) -> int:
    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Integration Journal")
    app.setOrganizationName(paths.APP_AUTHOR)
    app.setWindowIcon(app_icon())
    sys.excepthook = excepthook
    install_translations(app)
    settings = Settings()
    apply_theme(app, settings.get("theme"), settings.get("font_size"))
    journal_path = Path(path) if path else paths.default_journal_path()
    log.info("starting")
    window = build_window(journal_path, settings, kdf)
    if window is None:
        return 0
    window.setWindowIcon(app_icon())
    window.show()
    return app.exec()


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(paths.resource("icons", f"app-{size}.png")))
    return icon
