"""Pages are built when first opened: an unlock builds and imports only the Today page; a
page opened later is built then, with the open journal, and works as one built at once."""

from __future__ import annotations

import os
import subprocess
import sys

from journal_app.ui.shell.journal_area import KEYS
from tests.ui.test_journal_flow import PASSPHRASE, lock, make_window, unlock, write_entry
from tests.ui.test_lazy_pages import CANARIES, holds_nothing, open_page, seed

UNLOCK = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from journal_app.app import build_window
from journal_app.storage.vault import Secret, Vault
from journal_app.ui.settings import Settings
sys.path.insert(0, sys.argv[2])
from tests.conftest import FAST_KDF
path = Path(sys.argv[1])
Vault.create(path, "a calm test passphrase", kdf=FAST_KDF)[0].close()
window = build_window(path, Settings())
window.show()
window.unlock(Secret(passphrase="a calm test passphrase"))
deadline = time.monotonic() + 60
while window.journal is None and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
app.processEvents()
print("unlocked:" + str(window.journal is not None))
print("imported:" + ",".join(sorted(m for m in sys.modules if m.startswith("journal_app.ui"))))
area = window.journal_area
print("built:" + ",".join(k for k in {KEYS} if area.is_built(k)))
area.nav.setCurrentRow(1)
print("then:" + ",".join(k for k in {KEYS} if area.is_built(k)))
print("journal page imported:" + str("journal_app.ui.pages.journal_page" in sys.modules))
"""

NOT_AT_UNLOCK = ("journal_app.ui.pages.journal_page", "journal_app.ui.pages.sessions_page",
                 "journal_app.ui.pages.checkin_page", "journal_app.ui.pages.search_page",
                 "journal_app.ui.pages.lookback", "journal_app.ui.dialogs.prompt_flow",
                 "journal_app.ui.dialogs.capture", "journal_app.ui.dialogs.draw_dialog",
                 "journal_app.ui.dialogs.record_dialog", "journal_app.ui.charts.trend_view")


def test_unlock_imports_and_builds_only_the_today_page(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {**os.environ, "JOURNAL_APP_CONFIG_DIR": str(tmp_path / "c"),
           "JOURNAL_APP_LOG_DIR": str(tmp_path / "l"), "JOURNAL_APP_DATA_DIR": str(tmp_path / "d")}
    script = UNLOCK.replace("{KEYS}", repr(KEYS))
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "j.ijournal"), root],
                            capture_output=True, text=True, timeout=120, check=False, env=env)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    assert lines["unlocked"] == "True"
    imported = lines["imported"].split(",")
    assert "journal_app.ui.pages.today_page" in imported
    assert [m for m in NOT_AT_UNLOCK if m in imported] == []
    assert lines["built"] == "today"
    assert lines["then"] == "today,journal", "opening a page builds it"
    assert lines["journal page imported"] == "True"


def test_a_page_built_after_unlock_shows_the_journal_and_reaches_the_others(
        qtbot, tmp_path, no_modals):
    path = tmp_path / "journal.ijournal"
    seed(path)
    window = make_window(qtbot, path)
    unlock(qtbot, window, PASSPHRASE)
    area = window.journal_area
    assert [area.is_built(key) for key in KEYS] == [True] + [False] * (len(KEYS) - 1)
    assert [area.nav.item(row).text() for row in range(area.nav.count())] == [
        page.page_title() for page in area.pages], "the titles before and after building"

    saved = []
    window.hub.entry_saved.connect(saved.append)
    write_entry(qtbot, window, "Built on demand", "Some words")
    qtbot.waitUntil(lambda: bool(saved), timeout=5_000)
    journal = window.journal_page
    assert journal.journal is window.journal
    assert journal.model.rowCount() == 2

    lock(qtbot, window)
    for page in window.pages:
        assert page.journal is None and holds_nothing(page), type(page).__name__
    unlock(qtbot, window, PASSPHRASE)
    sessions = open_page(window, "sessions")
    assert sessions.journal is window.journal and sessions.model.rowCount() == 1
    open_page(window, "journal")
    assert sorted(journal.model.entry_at(r).title for r in range(journal.model.rowCount())) \
        == sorted(["Built on demand", CANARIES[0]])


LOCK_SCREEN = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from journal_app.app import build_window
from journal_app.ui.settings import Settings
journal = Path(sys.argv[1])
journal.write_bytes(b"placeholder: only its existence matters before unlock")
window = build_window(journal, Settings())
counted = []
window.unlock_screen.set_waiting_notes = counted.append
window.unlock_flow.refresh_waiting_notes()
window.show()
from journal_app.storage.tables import SessionRow
def ready():
    return counted and "sqlalchemy.dialects.sqlite" in sys.modules and "markdown" in sys.modules
deadline = time.monotonic() + 30
while not ready() and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
print("counted:" + str(counted))
print("orm:" + str("sqlalchemy.dialects.sqlite" in sys.modules))
print("markdown:" + str("markdown" in sys.modules))
print("unlocked:" + str(window.journal is not None))
"""


def test_the_lock_screen_sets_up_the_database_layer_in_the_background(tmp_path):
    """While the passphrase is typed, a worker imports and sets up what an unlock's first
    reads need (the ORM, its table mappings, the Markdown renderer), not the UI thread
    after it. (The mappings are configured by the first query, on the owner thread.)"""
    env = {**os.environ, "JOURNAL_APP_CONFIG_DIR": str(tmp_path / "c"),
           "JOURNAL_APP_LOG_DIR": str(tmp_path / "l"), "JOURNAL_APP_DATA_DIR": str(tmp_path / "d")}
    result = subprocess.run([sys.executable, "-c", LOCK_SCREEN, str(tmp_path / "j.ijournal")],
                            capture_output=True, text=True, timeout=120, check=False, env=env)
    assert result.returncode == 0, result.stderr
    assert "counted:[0]" in result.stdout
    assert "orm:True" in result.stdout
    assert "markdown:True" in result.stdout
    assert "unlocked:False" in result.stdout, "no journal was opened for it"
