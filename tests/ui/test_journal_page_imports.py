"""The Journal page is built at every unlock; the recorder, the drawing canvas and their
dialogs are imported only when an attachment is first added (they cost ~70 ms)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
import journal_app.ui.pages.journal_page
print(",".join(m for m in sys.modules if m.startswith(("journal_app.ui.dialogs.",
               "journal_app.ui.widgets.drawing", "journal_app.ui.widgets.voice"))))
"""

ON_USE = ("journal_app.ui.dialogs.capture", "journal_app.ui.dialogs.draw_dialog",
          "journal_app.ui.dialogs.record_dialog", "journal_app.ui.widgets.drawing_canvas",
          "journal_app.ui.widgets.voice_recorder")


def test_the_journal_page_imports_no_capture_dialog():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            check=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    imported = set(result.stdout.strip().split(","))
    assert not imported & set(ON_USE), imported & set(ON_USE)
