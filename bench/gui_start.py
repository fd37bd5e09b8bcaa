"""Bench probe, run as its own process: start the GUI on a journal, as ``run_gui`` does,
and print the monotonic clock when the lock screen is first painted, then quit.

    python bench/gui_start.py JOURNAL      (with QT_QPA_PLATFORM=offscreen)

Prints one JSON line: {"imported": t, "painted": t} (time.monotonic(), which is the
system-wide CLOCK_MONOTONIC on Linux, so the parent can subtract its own start time).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

import journal_app.cli  # noqa: F401  (the entry point imports it first)
from journal_app.app import apply_theme, build_window, setup_logging
from journal_app.ui.settings import Settings

imported = time.monotonic()


class _FirstPaint(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.painted: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted is None:
            self.painted = time.monotonic()
            QTimer.singleShot(0, self.app.quit)
        return False


def main() -> int:
    # The same steps as journal_app.app.run_gui, up to app.exec().
    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Integration Journal")
    settings = Settings()
    apply_theme(app, settings.get("theme"), settings.get("font_size"))
    window = build_window(Path(sys.argv[1]), settings)
    assert window is not None
    probe = _FirstPaint(app)
    window.unlock_screen.installEventFilter(probe)
    window.show()
    QTimer.singleShot(10_000, app.quit)  # never hang the bench
    app.exec()
    print(json.dumps({"imported": imported, "painted": probe.painted}))
    return 0 if probe.painted else 1


if __name__ == "__main__":
    raise SystemExit(main())
