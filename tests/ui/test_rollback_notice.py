"""The GUI's answer to an older copy of the journal (issue 14): a plain warning with two
choices, "Continue with this copy" (accepted, remembered) or "Lock and look for the newer
copy" (closed unsaved, nothing written)."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from journal_app.storage.vault import Secret, Vault
from journal_app.ui import messages
from journal_app.ui.hub import Hub
from journal_app.ui.shell import rollback_notice
from journal_app.ui.shell.main_window import MainWindow
from tests.helpers.journals import PASSPHRASE, add_entries, make_journal, snapshot


@pytest.fixture
def rolled_back(tmp_path):
    """A journal on disk that is one save older than the one this computer opened last."""
    made = make_journal(tmp_path / "j", ("kept",))
    older = tmp_path / "older.ijournal"
    shutil.copyfile(made.path, older)
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["written later"])
        vault.save()
    shutil.copyfile(older, made.path)
    return made


@pytest.fixture
def choices(monkeypatch):
    """Record the warning instead of showing it; answer with ``choices.answer``."""

    class Choices(list):
        answer = True

    shown = Choices()

    def fake(_parent, title, text, yes, no):
        shown.append((title, text, yes, no))
        return shown.answer

    monkeypatch.setattr(messages, "warning_choice", fake)
    monkeypatch.setattr(messages, "error", lambda *_a: shown.append(_a[1:]))
    return shown


def make_window(qtbot, path) -> MainWindow:
    window = MainWindow(path, Hub(), auto_lock_minutes=5)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def type_passphrase(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.unlock_screen.secret, PASSPHRASE)
    qtbot.keyClick(window.unlock_screen.secret, Qt.Key.Key_Return)


def test_older_copy_warns_and_continue_accepts_it(qtbot, rolled_back, choices):
    window = make_window(qtbot, rolled_back.path)
    with qtbot.waitSignal(window.hub.journal_unlocked, timeout=10_000):
        type_passphrase(qtbot, window)
    assert len(choices) == 1
    _title, text, yes, no = choices[0]
    assert "older than the one this computer opened last" in text
    assert "Entries written since may be missing" in text
    assert "synced folder brings back an older copy" in text
    assert (yes, no) == ("Continue with this copy", "Lock and look for the newer copy")
    assert window.journal is not None and window.journal.vault.rollback is None
    window.lock()
    qtbot.waitUntil(lambda: window.journal is None, timeout=10_000)
    with Vault.open(rolled_back.path, Secret(passphrase=PASSPHRASE)) as vault:
        assert vault.rollback is None  # accepted: remembered as the newest now


def test_older_copy_lock_and_look_closes_it_unsaved(qtbot, rolled_back, choices):
    choices.answer = False
    before = snapshot(rolled_back.path.parent)
    window = make_window(qtbot, rolled_back.path)
    unlocked: list[bool] = []
    window.hub.journal_unlocked.connect(lambda: unlocked.append(True))
    type_passphrase(qtbot, window)
    qtbot.waitUntil(lambda: len(choices) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "without saving" in window.unlock_screen.message.text(),
                    timeout=5_000)
    assert unlocked == [] and window.journal is None
    assert window.stack.currentWidget() is window.unlock_screen
    after = snapshot(rolled_back.path.parent)
    after.pop("journal.ijournal.lock", None)
    before.pop("journal.ijournal.lock", None)
    assert after == before  # nothing written, not even a backup
    with Vault.open(rolled_back.path, Secret(passphrase=PASSPHRASE)) as vault:
        assert vault.rollback is not None  # still reported: not accepted


def test_rollback_text_names_both_generations():
    text = rollback_notice.text(4, 9)
    assert "4" in text and "9" in text
    assert "older than the one this computer opened last" in text
