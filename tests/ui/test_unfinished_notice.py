"""The last save did not finish (a torn change record at the file's end: the app or the
computer stopped while appending): the unlock says so, calmly, and the journal opens as
it was at the save before. A normal unlock says nothing of the kind."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal_app.storage import rollback
from journal_app.storage.vault import Vault
from journal_app.ui import messages
from journal_app.ui.hub import Hub
from journal_app.ui.shell import unfinished_notice
from journal_app.ui.shell.main_window import MainWindow
from tests.helpers.journals import PASSPHRASE, add_entries, make_journal, titles_in


@pytest.fixture
def notices(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "info", lambda _parent, title, text: shown.append(
        (title, text)))
    return shown


def unlock(qtbot, path) -> MainWindow:
    window = MainWindow(path, Hub(), auto_lock_minutes=5)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClicks(window.unlock_screen.secret, PASSPHRASE)
    with qtbot.waitSignal(window.hub.journal_unlocked, timeout=10_000):
        qtbot.keyClick(window.unlock_screen.secret, Qt.Key.Key_Return)
    return window


def test_a_torn_last_save_is_told_at_unlock(qtbot, tmp_path, notices, monkeypatch):
    made = make_journal(tmp_path / "j", ("saved before",))
    vault = Vault.open(made.path, made.secret)
    add_entries(vault, ["being saved when the computer stopped"])
    with monkeypatch.context() as mp:  # a crash mid-append: the save is never noted
        mp.setattr(rollback, "saved", lambda *_a: None)
        vault.save()  # one change record appended
    vault.close(compact=False)  # the record stays, as after a crash
    data = made.path.read_bytes()
    made.path.write_bytes(data[:-100])  # the record cut short: a torn append
    window = unlock(qtbot, made.path)
    assert notices == [(unfinished_notice.title(), unfinished_notice.text())]
    title, text = notices[0]
    assert title == "The last save didn't finish"
    assert "stopped while your journal was being saved" in text
    assert "as it was at the save before" in text
    assert "may be missing" in text
    assert window.journal is not None
    assert titles_in(window.journal.vault) == ["saved before"]


def test_a_normal_unlock_tells_nothing(qtbot, tmp_path, notices):
    made = make_journal(tmp_path / "j", ("saved",))
    vault = Vault.open(made.path, made.secret)
    add_entries(vault, ["appended whole"])
    vault.save()
    vault.close(compact=False)  # a whole record after the base: nothing unfinished
    window = unlock(qtbot, made.path)
    assert window.journal is not None
    assert notices == []
