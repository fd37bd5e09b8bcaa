"""What a quick note claims is not taken on trust (issue 14). Anyone who can use the
computer can write one, without the passphrase: its claimed time is kept only between
the journal's last save and the merge (otherwise the merge time, with the claim noted
under the person's text), one unlock merges a bounded number, and lists mark them."""

from __future__ import annotations

import datetime as dt
import os
import time
import types

import pytest

from journal_app.domain.entities import EntryKind
from journal_app.storage import inbox
from journal_app.storage import vault as vault_module
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from tests.conftest import FAST_KDF

PASS = "correct horse battery staple"
TEXT = "Light behind my eyes.\nThen quiet."
#: When the "old" journal was last saved: before every claim the tests keep.
SAVED = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC)
BACKDATED = dt.datetime(2019, 3, 3, 21, 4, tzinfo=dt.UTC)


def _create(path, saved_at: float | None = None):
    """A journal; with ``saved_at``, as if last saved then (body and file time)."""
    if saved_at is None:
        Vault.create(path, PASS, kdf=FAST_KDF)[0].close()
        return path
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(vault_module, "time", types.SimpleNamespace(time=lambda: saved_at))
        Vault.create(path, PASS, kdf=FAST_KDF)[0].close()
    os.utime(path, (saved_at, saved_at))
    return path


@pytest.fixture
def journal(tmp_path):
    """A journal saved just now."""
    return _create(tmp_path / "journal.ijournal")


@pytest.fixture
def old_journal(tmp_path):
    """A journal last saved on 1 January 2024."""
    return _create(tmp_path / "old.ijournal", SAVED.timestamp())


def _merge(path):
    with Vault.open(path, Secret(passphrase=PASS)) as vault:
        return inbox.merge_inbox(vault, JournalRepository(vault.db))


def _quick(path):
    with Vault.open(path, Secret(passphrase=PASS), lock=False) as vault:
        return JournalRepository(vault.db).list_entries(kind=EntryKind.QUICK_CAPTURE)


# --------------------------------------------------------------------------- claimed time


def test_a_note_backdated_before_the_last_save_is_dated_at_the_merge(journal):
    inbox.seal_note(journal, TEXT, captured_at=BACKDATED)
    before = dt.datetime.now(dt.UTC)
    report = _merge(journal)
    assert report.merged == 1
    [entry] = _quick(journal)
    assert before - dt.timedelta(seconds=5) <= entry.created_at <= dt.datetime.now(dt.UTC)
    assert entry.updated_at == entry.created_at
    assert report.redated == 1


def test_the_claimed_time_is_noted_below_the_persons_text_unchanged(journal):
    inbox.seal_note(journal, TEXT, captured_at=BACKDATED)
    _merge(journal)
    [entry] = _quick(journal)
    assert entry.body.startswith(TEXT + "\n\n")
    last = entry.body.splitlines()[-1]
    assert last.startswith("Written while locked; the note said ")
    local = BACKDATED.astimezone()
    assert f"{local.day} {local:%B} {local.year}, {local:%H:%M}" in last


def test_a_note_claiming_the_future_is_dated_at_the_merge(journal):
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)
    inbox.seal_note(journal, TEXT, captured_at=future)
    _merge(journal)
    [entry] = _quick(journal)
    assert entry.created_at <= dt.datetime.now(dt.UTC)
    assert "Written while locked; the note said" in entry.body


def test_a_note_written_after_the_last_save_keeps_its_time_and_text(old_journal):
    claimed = dt.datetime(2025, 3, 14, 9, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    inbox.seal_note(old_journal, TEXT, captured_at=claimed)
    report = _merge(old_journal)
    [entry] = _quick(old_journal)
    assert entry.created_at == claimed
    assert entry.body == TEXT
    assert report.redated == 0


def test_a_note_written_just_now_keeps_its_text(journal):
    inbox.seal_note(journal, TEXT)
    _merge(journal)
    [entry] = _quick(journal)
    assert entry.body == TEXT


def test_a_note_from_before_this_processes_last_save_is_redated(old_journal):
    claimed = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)
    inbox.seal_note(old_journal, TEXT, captured_at=claimed)
    with Vault.open(old_journal, Secret(passphrase=PASS)) as vault:
        vault.mark_dirty()
        vault.save()  # saved now: a note claiming 2025 was not written since
        inbox.merge_inbox(vault, JournalRepository(vault.db))
    [entry] = _quick(old_journal)
    assert entry.created_at > claimed + dt.timedelta(days=300)


# --------------------------------------------------------------------------- the cap


def test_merges_per_unlock_are_capped_and_the_rest_wait(journal, monkeypatch):
    monkeypatch.setattr(inbox, "MAX_MERGE", 3)
    for n in range(5):
        inbox.seal_note(journal, f"note {n}")
    report = _merge(journal)
    assert (report.merged, report.waiting) == (3, 2)
    assert len(inbox.inbox_items(journal)) == 2
    assert len(_quick(journal)) == 3
    report = _merge(journal)
    assert (report.merged, report.waiting) == (2, 0)
    assert inbox.inbox_items(journal) == []
    assert sorted(e.body for e in _quick(journal)) == [f"note {n}" for n in range(5)]


def test_the_oldest_notes_on_disk_merge_first(journal, monkeypatch):
    monkeypatch.setattr(inbox, "MAX_MERGE", 1)
    late = inbox.seal_note(journal, "flood")
    early = inbox.seal_note(journal, "mine")
    then = time.time() - 60
    os.utime(early, (then, then))
    _merge(journal)
    assert [e.body for e in _quick(journal)] == ["mine"]
    assert late.exists()


def test_the_cap_is_a_few_hundred_at_most():
    assert 10 <= inbox.MAX_MERGE <= 500


def test_the_report_stays_counts_only():
    report = inbox.MergeReport()
    assert (report.waiting, report.redated) == (0, 0)


def test_the_last_save_is_read_from_the_journal_itself_not_the_file_time(old_journal):
    """A sync tool or a copy can touch the file's time; the body's stamp is what the
    journal says of its own last save, and what the claims are held against."""
    os.utime(old_journal)  # the file looks saved just now
    with Vault.open(old_journal, Secret(passphrase=PASS), lock=False) as vault:
        assert vault.saved_at == SAVED.timestamp()
        assert inbox.journal_saved_at(vault) == SAVED
