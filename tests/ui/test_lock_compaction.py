"""Lock and quit leave the journal file a whole image with no change records after it,
and that whole image is written on the worker like any save: the vault's ``close()`` on
the UI thread has nothing left to compact (a compaction at 50k entries takes ~300 ms).
A journal migrated at open is written once, in the background, so the next unlock does
not migrate it again."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from journal_app.storage import database
from journal_app.storage.savelog import LogState
from journal_app.storage.vault import Secret, Vault, read_journal
from journal_app.ui.hub import Hub
from journal_app.ui.shell.main_window import MainWindow
from tests.helpers.journals import PASSPHRASE, add_entries, make_journal, titles_in

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"


@pytest.fixture
def whole_writes(monkeypatch) -> list[bool]:
    """For every whole image written: True if it was written on the UI thread."""
    seen: list[bool] = []
    original = LogState.write_whole

    def recording(self, *args, **kwargs):
        seen.append(threading.current_thread() is threading.main_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(LogState, "write_whole", recording)
    return seen


def unlocked(qtbot, path: Path, passphrase: str = PASSPHRASE) -> MainWindow:
    window = MainWindow(path, Hub(), auto_lock_minutes=5)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.unlock_screen.secret.setText(passphrase)  # keyClicks: ASCII only
    with qtbot.waitSignal(window.hub.journal_unlocked, timeout=10_000):
        qtbot.keyClick(window.unlock_screen.secret, Qt.Key.Key_Return)
    return window


def saved_as_record(qtbot, window: MainWindow, title: str) -> None:
    """An edit, autosaved the usual way: one change record appended."""
    journal = window.journal
    assert journal is not None
    add_entries(journal.vault, [title])
    journal.save_now()
    qtbot.waitUntil(lambda: journal.state == "saved", timeout=10_000)
    assert journal.vault.records >= 1 and journal.vault.needs_compaction


def reopened(path: Path, secret: Secret):
    vault = Vault.open(path, secret, lock=False)
    try:
        return vault.records, titles_in(vault)
    finally:
        vault.close()


@pytest.mark.parametrize("unsaved_at_lock", [False, True], ids=["all-saved", "unsaved"])
def test_lock_compacts_on_the_worker(qtbot, tmp_path, whole_writes, unsaved_at_lock):
    made = make_journal(tmp_path / "j", ("kept",))
    whole_writes.clear()  # the fixture's own writes
    window = unlocked(qtbot, made.path)
    saved_as_record(qtbot, window, "appended")
    assert whole_writes == []  # the autosave appended a record
    if unsaved_at_lock:
        add_entries(window.journal.vault, ["typed just before the lock"])
    window.lock()
    qtbot.waitUntil(lambda: window.journal is None, timeout=10_000)
    assert whole_writes == [False]  # one whole image, not on the UI thread
    records, titles = reopened(made.path, made.secret)
    assert records == 0
    assert sorted(titles) == sorted(["kept", "appended"]
                                    + ["typed just before the lock"] * unsaved_at_lock)


def test_idle_lock_compacts_on_the_worker(qtbot, tmp_path, whole_writes):
    made = make_journal(tmp_path / "j", ("kept",))
    whole_writes.clear()  # the fixture's own writes
    window = unlocked(qtbot, made.path)
    saved_as_record(qtbot, window, "appended")
    with qtbot.waitSignal(window.hub.journal_locked, timeout=10_000):
        window.idle.set_minutes(0.003)
    assert whole_writes == [False]
    assert reopened(made.path, made.secret)[0] == 0


def test_quit_compacts_on_the_worker(qtbot, tmp_path, whole_writes):
    made = make_journal(tmp_path / "j", ("kept",))
    whole_writes.clear()  # the fixture's own writes
    window = unlocked(qtbot, made.path)
    saved_as_record(qtbot, window, "appended")
    window.close()
    qtbot.waitUntil(lambda: window.journal is None and not window.isVisible(),
                    timeout=10_000)
    assert whole_writes == [False]
    records, titles = reopened(made.path, made.secret)
    assert records == 0 and sorted(titles) == ["appended", "kept"]


def test_a_sitting_that_saved_nothing_writes_nothing_at_lock(qtbot, tmp_path, whole_writes):
    made = make_journal(tmp_path / "j", ("kept",))
    whole_writes.clear()  # the fixture's own writes
    before = made.path.read_bytes()
    window = unlocked(qtbot, made.path)
    window.lock()
    qtbot.waitUntil(lambda: window.journal is None, timeout=10_000)
    assert whole_writes == [] and made.path.read_bytes() == before


def test_a_failed_compaction_with_everything_saved_still_locks(qtbot, tmp_path,
                                                               whole_writes, monkeypatch):
    """The records on disk hold every change: the lock goes ahead (as the vault's own
    compaction at close is best effort), and nothing is compacted on the UI thread."""
    made = make_journal(tmp_path / "j", ("kept",))
    whole_writes.clear()  # the fixture's own writes
    window = unlocked(qtbot, made.path)
    saved_as_record(qtbot, window, "appended")
    failures: list[bool] = []

    def failing(self, *args, **kwargs):
        failures.append(threading.current_thread() is threading.main_thread())
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(LogState, "write_whole", failing)
    window.lock()
    qtbot.waitUntil(lambda: window.journal is None, timeout=10_000)
    assert failures == [False]
    records, titles = reopened(made.path, made.secret)
    assert records >= 1 and sorted(titles) == ["appended", "kept"]


def _golden_copy(tmp_path: Path, name: str) -> tuple[dict, Path]:
    facts = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    copy = tmp_path / "golden" / facts["file"]
    copy.parent.mkdir()
    shutil.copyfile(GOLDEN / facts["file"], copy)
    blobs = GOLDEN / (facts["file"] + ".attachments")
    if blobs.is_dir():
        shutil.copytree(blobs, copy.with_name(blobs.name))
    return facts, copy


def test_a_journal_migrated_at_unlock_is_written_once(qtbot, tmp_path, whole_writes):
    facts, path = _golden_copy(tmp_path, "journal-v3-rev0003")
    secret = Secret(passphrase=facts["passphrase"])
    with Vault.open(path, secret, lock=False) as vault:
        assert vault.migrated  # the fixture: this file needs migrating
        titles = sorted(titles_in(vault))
    whole_writes.clear()
    window = unlocked(qtbot, path, facts["passphrase"])
    journal = window.journal
    assert journal is not None and not journal.dirty  # nothing the person changed
    qtbot.waitUntil(lambda: not journal.saving, timeout=10_000)
    assert whole_writes == [False]  # written in the background, before any lock
    on_disk = read_journal(path, secret)
    assert on_disk.log.count == 0
    assert database.Database(on_disk.body.image).revision() == database.head_revision()
    window.lock()
    qtbot.waitUntil(lambda: window.journal is None, timeout=10_000)
    assert whole_writes == [False]  # and the lock had nothing more to write
    with Vault.open(path, secret) as vault:
        assert not vault.migrated and vault.records == 0
        assert sorted(titles_in(vault)) == titles


def test_an_unmigrated_journal_is_not_rewritten_at_unlock(qtbot, tmp_path, whole_writes):
    made = make_journal(tmp_path / "j", ("kept",))
    whole_writes.clear()  # the fixture's own writes
    before = made.path.read_bytes()
    window = unlocked(qtbot, made.path)
    qtbot.wait(200)
    assert window.journal is not None and not window.journal.saving
    assert whole_writes == [] and made.path.read_bytes() == before


def test_a_save_that_cannot_even_start_is_a_failed_save_and_later_saves_and_lock_work(
        qtbot, tmp_path, monkeypatch):
    """If preparing a save raises, the person is told the save failed and the journal is
    not left "saving" for ever (every later save, and the lock, would wait for it)."""
    made = make_journal(tmp_path / "j", ("kept",))
    window = unlocked(qtbot, made.path)
    journal = window.journal
    vault = journal.vault
    original = vault.prepare_save
    calls = []

    def failing_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("no room")
        return original(*args, **kwargs)

    monkeypatch.setattr(vault, "prepare_save", failing_once)
    told: list[str] = []
    monkeypatch.setattr("journal_app.ui.messages.save_failed",
                        lambda _parent, message: told.append(message))
    add_entries(vault, ["typed before the failure"])
    results: list = []
    journal.save_now(results.append)
    assert len(results) == 1 and isinstance(results[0], OSError)
    assert journal.state == "failed" and vault.dirty and not journal.saving
    assert len(told) == 1  # the person is told, once
    journal.save_now(results.append)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=10_000)
    assert results[1] is None and not vault.dirty
    window.lock()
    qtbot.waitUntil(lambda: window.journal is None, timeout=10_000)
    assert "typed before the failure" in reopened(made.path, Secret(passphrase=PASSPHRASE))[1]
