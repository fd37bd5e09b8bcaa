"""Collecting attachment blobs (issue 15): a blob goes only after a save that no longer
refers to it, once no backup refers to it either; never while the journal that removed it
is still open (undo), never when young (an add racing a save), never on doubt (a backup
that can't be read). Collection runs on the save's worker, and only when there is
something to collect."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from journal_app.domain.attachments import Attachment, AttachmentKind
from journal_app.domain.entities import Entry, EntryKind
from journal_app.storage import blob_gc, filestore
from journal_app.storage.blobs import BlobStore
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Vault
from tests.helpers.attachment_files import png, wav
from tests.helpers.journals import make_journal

OLD = time.time() - 3600  # older than the grace period


def _open(made) -> Journal:
    return Journal(Vault.open(made.path, made.secret))


def _age(path: Path) -> None:
    os.utime(path, (OLD, OLD))


def _age_all(made) -> None:
    folder = filestore.attachments_dir(made.path)
    for path in folder.iterdir():
        _age(path)


def _clear_backups(made) -> None:
    for backup in filestore.list_backups(made.path):
        backup.unlink()


@pytest.fixture
def attached(tmp_path):
    """A closed journal with one entry and one saved attachment (blob aged), no backups."""
    made = make_journal(tmp_path, ())
    journal = _open(made)
    entry = journal.repo.add_entry(Entry(EntryKind.FREE, "t", "b"))
    assert entry.id is not None
    attachment = journal.add_attachment(entry.id, AttachmentKind.VOICE, wav(0.2))
    blob = journal.vault.blobs.path(attachment.uid)
    journal.save()
    journal.close()
    _clear_backups(made)
    _age(blob)
    return made, attachment, blob


def _remove_in_a_sitting(made, attachment: Attachment) -> None:
    journal = _open(made)
    try:
        assert attachment.id is not None
        journal.remove_attachment(attachment.id)
        journal.save()
    finally:
        journal.close()


def _save_in_a_sitting(made) -> None:
    journal = _open(made)
    try:
        journal.save()
    finally:
        journal.close()


def test_removed_blob_stays_while_open_and_goes_at_a_later_save(attached, monkeypatch):
    made, attachment, blob = attached
    monkeypatch.setattr(filestore, "make_backup", lambda *a, **k: None)  # no backups at all
    journal = _open(made)
    try:
        journal.remove_attachment(attachment.id)
        journal.save()
        journal.save()
        assert blob.exists()  # the sitting that removed it keeps it: an undo may need it
        journal.restore_attachment(attachment)
        journal.save()
        journal.remove_attachment(attachment.id)
        journal.save()
    finally:
        journal.close()
    assert blob.exists()
    _save_in_a_sitting(made)  # the next sitting's save: nothing needs it any more
    assert not blob.exists()


def test_blob_goes_only_when_the_last_backup_referring_to_it_is_pruned(attached):
    made, attachment, blob = attached
    filestore.make_backup(made.path, today=dt.date(2024, 1, 1))  # refers to the blob
    _remove_in_a_sitting(made, attachment)
    today = [b for b in filestore.list_backups(made.path) if not b.name.endswith("2024-01-01")]
    for backup in today:  # made by that save: a copy that still refers to the blob too
        backup.unlink()
    first = f"{made.path.name}.2024-01-01"

    def backups() -> list[str]:
        return [b.name for b in filestore.list_backups(made.path)]

    journal = _open(made)
    try:
        journal.save()  # today's backup now: a copy that no longer refers to the blob
        day = 2
        while first in backups():
            assert blob.exists(), day
            filestore.make_backup(made.path, today=dt.date(2024, 1, day))  # prunes to 7
            day += 1
            if first in backups():
                journal.save()
        assert day > 5  # several days of backups went by first
        assert blob.exists()  # pruned, but nothing collects outside a save
        journal.save()
        assert not blob.exists()
    finally:
        journal.close()


def test_each_backup_is_read_once_per_sitting_and_only_when_needed(attached):
    made, attachment, blob = attached
    for day in (1, 2, 3):
        filestore.make_backup(made.path, today=dt.date(2024, 1, day))
    journal = _open(made)
    try:
        collector = journal.vault._collector
        journal.save()
        assert collector.backups_read == 0  # nothing unreferenced: no backup is read
        journal.vault.blobs._kept.clear()  # as if removed in an earlier sitting
        journal.remove_attachment(attachment.id)
        journal.vault.blobs._kept.clear()
        journal.save()
        assert blob.exists()  # the backups refer to it
        read = collector.backups_read
        assert read == len(filestore.list_backups(made.path))
        journal.save()
        journal.save()
        assert collector.backups_read == read  # remembered by name, size and mtime
    finally:
        journal.close()


def test_an_unreadable_backup_keeps_every_blob(attached):
    made, attachment, blob = attached
    _remove_in_a_sitting(made, attachment)
    _clear_backups(made)
    folder = filestore.backup_dir(made.path)
    (folder / f"{made.path.name}.2024-01-01").write_bytes(b"not a journal at all")
    _save_in_a_sitting(made)
    assert blob.exists()
    (folder / f"{made.path.name}.2024-01-01").unlink()
    _save_in_a_sitting(made)
    assert not blob.exists()


def test_a_backup_of_another_journal_is_doubt_and_keeps_blobs(attached, tmp_path):
    made, attachment, blob = attached
    other = make_journal(tmp_path / "other", ("elsewhere",))
    _remove_in_a_sitting(made, attachment)
    _clear_backups(made)
    folder = filestore.backup_dir(made.path)
    (folder / f"{made.path.name}.2024-01-01").write_bytes(other.path.read_bytes())
    _save_in_a_sitting(made)
    assert blob.exists()


def test_young_orphans_are_left_alone_then_collected(attached):
    """A blob nothing refers to yet, written by another sitting (an add racing a save, or
    a crash between the blob and its row), stays for the grace period."""
    made, _attachment, _blob = attached
    journal = _open(made)
    try:
        orphan_store = BlobStore(made.path, journal.vault._data_key)  # not this sitting's
        orphan = orphan_store.write("ab" * 16, png())
        journal.save()
        assert orphan.exists()
        _age(orphan)
        journal.save()
        assert not orphan.exists()
    finally:
        journal.close()


def test_blob_of_an_add_after_the_save_was_prepared_is_kept(attached):
    """The save's image was taken before the add: its collection must not take the
    add's blob (even past the grace period)."""
    made, _attachment, _blob = attached
    journal = _open(made)
    try:
        entry_id = journal.repo.list_entries()[0].id
        job = journal.vault.prepare_save()
        added = journal.add_attachment(entry_id, AttachmentKind.IMAGE, png(seed=8))
        _age_all(made)
        job.run()
        assert journal.attachment_data(added) == png(seed=8)
        journal.save()
    finally:
        journal.close()
    journal = _open(made)
    try:
        assert journal.attachment_data(added.id) == png(seed=8)
    finally:
        journal.close()


def test_restore_racing_collection_wins(attached):
    made, attachment, blob = attached
    _remove_in_a_sitting(made, attachment)
    _clear_backups(made)
    journal = _open(made)
    try:
        job = journal.vault.prepare_save()  # its image doesn't refer to the blob
        journal.restore_attachment(attachment)
        job.run()
        assert blob.exists()
        journal.save()
    finally:
        journal.close()
    journal = _open(made)
    try:
        assert journal.attachment_data(attachment.id) == wav(0.2)
    finally:
        journal.close()


def test_deleted_entry_blobs_are_collected(attached):
    made, attachment, blob = attached
    journal = _open(made)
    try:
        journal.repo.delete_entry(attachment.entry_id)
        journal.save()
    finally:
        journal.close()
    _clear_backups(made)
    _save_in_a_sitting(made)
    assert not blob.exists()


def test_collection_runs_on_the_saving_thread_not_when_preparing(attached, monkeypatch):
    made, _attachment, _blob = attached
    threads: list[str] = []
    real = blob_gc.Collector.collect

    def spy(self, *args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(blob_gc.Collector, "collect", spy)
    journal = _open(made)
    try:
        job = journal.vault.prepare_save()
        assert threads == []
        worker = threading.Thread(target=job.run, name="save-worker")
        worker.start()
        worker.join()
        assert threads == ["save-worker"]
    finally:
        journal.close()


def test_a_failed_collection_never_fails_the_save(attached, monkeypatch):
    made, attachment, _blob = attached

    def broken(self, *args, **kwargs):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(blob_gc.Collector, "collect", broken)
    journal = _open(made)
    try:
        journal.remove_attachment(attachment.id)
        journal.save()
        assert not journal.dirty
    finally:
        journal.close()


def test_stray_files_in_the_folder_are_never_touched(attached):
    made, attachment, blob = attached
    folder = filestore.attachments_dir(made.path)
    stray = folder / "notes.txt"
    stray.write_text("mine")
    upper = folder / blob.name.upper()
    upper.write_bytes(b"x")
    for path in (stray, upper):
        _age(path)
    _remove_in_a_sitting(made, attachment)
    _clear_backups(made)
    _save_in_a_sitting(made)
    assert not blob.exists()
    assert stray.read_text() == "mine" and upper.exists()


def test_copy_keeps_both_with_its_own_attachments(attached, tmp_path):
    made, attachment, _blob = attached
    copy = made.path.with_name("kept both.ijournal")
    journal = _open(made)
    try:
        entry_id = attachment.entry_id
        extra = journal.add_attachment(entry_id, AttachmentKind.IMAGE, png(seed=4))
        journal.vault.save_copy(copy)
    finally:
        journal.close()
    copied = Journal(Vault.open(copy, made.secret))
    try:
        assert copied.attachment_data(attachment.id) == wav(0.2)
        assert copied.attachment_data(extra.id) == png(seed=4)
        assert copied.verify_attachments() == []
    finally:
        copied.close()
    assert filestore.attachments_dir(copy) != filestore.attachments_dir(made.path)


def test_a_backup_image_is_asked_for_its_attachment_rows(attached):
    """The rows of the attachments table count, not hex that happens to look like a uid;
    an image from before attachments existed references none; a damaged image is doubt."""
    made, attachment, _blob = attached
    journal = _open(made)
    try:
        image = journal.vault.db.serialize()
    finally:
        journal.close()
    assert blob_gc.image_uids(image) == {attachment.uid}
    older = sqlite3.connect(":memory:")
    older.execute("CREATE TABLE entries (uid TEXT)")
    older.execute("INSERT INTO entries VALUES (?)", (attachment.uid,))
    assert blob_gc.image_uids(older.serialize()) == frozenset()
    assert blob_gc.image_uids(b"not a database" * 100) is None


def test_a_backup_counts_the_rows_of_its_change_records(tmp_path):
    """A backup copied while the journal had change records: an attachment added by a
    record (not in the base image) is referenced by that backup, read as an open reads it."""
    made = make_journal(tmp_path, ())
    journal = _open(made)
    try:
        entry = journal.repo.add_entry(Entry(EntryKind.FREE, "t", "b"))
        assert entry.id is not None
        journal.save()
        _clear_backups(made)
        attachment = journal.add_attachment(entry.id, AttachmentKind.VOICE, wav(0.2))
        journal.save()
        assert journal.vault.records >= 1  # the attachment's row is in a record only
        filestore.make_backup(made.path, today=dt.date(2024, 1, 1))
    finally:
        journal.close()
    journal = _open(made)
    try:
        blob = journal.vault.blobs.path(attachment.uid)
        _age(blob)
        assert attachment.id is not None
        journal.remove_attachment(attachment.id)
        journal.save()
    finally:
        journal.close()
    _clear_today(made)
    journal = _open(made)
    try:
        journal.save()  # collects what no backup needs: the 2024-01-01 one needs it
        assert blob.exists()
    finally:
        journal.close()


def _clear_today(made) -> None:
    for backup in filestore.list_backups(made.path):
        if not backup.name.endswith("2024-01-01"):
            backup.unlink()
