"""Attachments in storage (issue 15): each kind survives a save and a reopen from disk;
a damaged, truncated, swapped or missing blob is a typed error naming its entry while the
rest of the journal reads; a full disk mid-blob-write attaches nothing and leaves nothing;
blob names and files reveal nothing of what is in them."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest

from journal_app.domain.attachments import (
    Attachment,
    AttachmentKind,
    AttachmentTooLargeError,
    UnsupportedAttachmentError,
)
from journal_app.domain.entities import Entry, EntryKind
from journal_app.errors import DamagedAttachmentError, DamagedFileError, JournalError, UsageError
from journal_app.storage import blobs, filestore
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Vault
from tests.helpers.attachment_files import SAMPLES, jpeg, png, wav
from tests.helpers.journals import make_journal, snapshot
from tests.unit.test_filestore_failures import failing_after
from tests.unit.test_vault_canary import encodings, hits

WRITTEN = dt.datetime(2024, 3, 5, 20, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def made(tmp_path):
    return make_journal(tmp_path, ())


def _open(made) -> Journal:
    return Journal(Vault.open(made.path, made.secret))


def _entry(journal: Journal, title: str = "a secret title") -> int:
    entry = journal.repo.add_entry(Entry(EntryKind.FREE, title, "body text",
                                         created_at=WRITTEN, updated_at=WRITTEN))
    assert entry.id is not None
    return entry.id


def _blob_files(path: Path) -> list[Path]:
    folder = filestore.attachments_dir(path)
    return sorted(folder.iterdir()) if folder.exists() else []


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_each_kind_survives_save_close_and_reopen(made, sample):
    kind, data = SAMPLES[sample]
    journal = _open(made)
    entry_id = _entry(journal)
    added = journal.add_attachment(entry_id, kind, data)
    assert journal.dirty  # the row makes the journal unsaved; the next save refers to it
    journal.save()
    journal.close()
    journal = _open(made)
    try:
        (stored,) = journal.attachments_for(entry_id)
        assert stored == added
        assert stored.kind is kind and stored.size == len(data)
        assert journal.attachment_data(stored) == data
        assert journal.attachment_data(stored.id) == data
        assert journal.verify_attachments() == []
    finally:
        journal.close()


def test_media_details_are_stored_with_the_row(made):
    journal = _open(made)
    entry_id = _entry(journal)
    voice = journal.add_attachment(entry_id, AttachmentKind.VOICE, wav(2.5))
    photo = journal.add_attachment(entry_id, AttachmentKind.IMAGE, jpeg(800, 600))
    journal.save()
    journal.close()
    journal = _open(made)
    try:
        assert journal.attachment(voice.id).duration_ms == 2500
        assert (journal.attachment(photo.id).width, journal.attachment(photo.id).height) == (
            800, 600)
        assert journal.attachment(photo.id).media_type == "image/jpeg"
        assert [a.id for a in journal.all_attachments()] == [voice.id, photo.id]
    finally:
        journal.close()


def test_bad_input_attaches_nothing_and_writes_no_blob(made):
    journal = _open(made)
    try:
        entry_id = _entry(journal)
        journal.save()
        with pytest.raises(UnsupportedAttachmentError):
            journal.add_attachment(entry_id, AttachmentKind.VOICE, png())
        with pytest.raises(UnsupportedAttachmentError):
            journal.add_attachment(entry_id, AttachmentKind.DRAWING, jpeg())
        with pytest.raises(AttachmentTooLargeError):
            journal.add_attachment(entry_id, AttachmentKind.IMAGE, b"\0" * (50 * 2**20 + 1))
        with pytest.raises(UsageError, match="no entry 999"):
            journal.add_attachment(999, AttachmentKind.IMAGE, png())
        assert journal.all_attachments() == []
        assert not journal.dirty
        assert _blob_files(made.path) == []
        with pytest.raises(UsageError, match="no attachment 5"):
            journal.attachment(5)
    finally:
        journal.close()


def test_staged_attachment_is_written_off_the_owner_thread(made):
    journal = _open(made)
    try:
        entry_id = _entry(journal)
        staged = []
        worker = threading.Thread(target=lambda: staged.append(
            journal.stage_attachment(AttachmentKind.IMAGE, png(seed=5))))
        worker.start()
        worker.join()
        attachment = journal.attach_staged(entry_id, staged[0])
        assert journal.attachment_data(attachment) == png(seed=5)
    finally:
        journal.close()


def test_reader_works_on_another_thread_and_not_after_lock(made):
    journal = _open(made)
    entry_id = _entry(journal)
    attachment = journal.add_attachment(entry_id, AttachmentKind.IMAGE, png(seed=1))
    inputs = journal.report_inputs()
    assert inputs.attachments == {entry_id: (attachment,)}
    assert inputs.attachment_data is not None
    got: list[bytes] = []
    worker = threading.Thread(target=lambda: got.append(inputs.attachment_data(attachment)))
    worker.start()
    worker.join()
    assert got == [png(seed=1)]
    journal.close()
    with pytest.raises(JournalError, match="locked"):
        inputs.attachment_data(attachment)


def test_remove_then_restore_survives_save_and_reopen(made):
    journal = _open(made)
    entry_id = _entry(journal)
    attachment = journal.add_attachment(entry_id, AttachmentKind.DRAWING, png(seed=2))
    journal.save()
    removed = journal.remove_attachment(attachment.id)
    assert removed == attachment
    assert journal.attachments_for(entry_id) == []
    journal.save()
    assert journal.restore_attachment(removed) == attachment  # same id, same blob
    assert journal.restore_attachment(removed) == attachment  # twice: still one row
    journal.save()
    journal.close()
    journal = _open(made)
    try:
        assert journal.attachments_for(entry_id) == [attachment]
        assert journal.attachment_data(attachment.id) == png(seed=2)
    finally:
        journal.close()


def test_deleting_an_entry_deletes_its_attachments(made):
    journal = _open(made)
    try:
        doomed, kept = _entry(journal), _entry(journal, "kept")
        journal.add_attachment(doomed, AttachmentKind.IMAGE, png(seed=1))
        other = journal.add_attachment(kept, AttachmentKind.IMAGE, png(seed=2))
        journal.save()
        journal.repo.delete_entry(doomed)
        assert journal.dirty
        assert journal.all_attachments() == [other]
        with pytest.raises(UsageError):  # its entry is gone: it can't be put back
            journal.restore_attachment(Attachment(doomed, AttachmentKind.IMAGE, "image/png",
                                                  1, uid=blobs.new_uid()))
    finally:
        journal.close()


# --------------------------------------------------------------------------- tampering


@pytest.fixture
def three(made):
    """A saved journal with three attachments on two entries; closed."""
    journal = _open(made)
    first, second = _entry(journal, "first title"), _entry(journal, "second title")
    attached = [journal.add_attachment(first, AttachmentKind.IMAGE, png(seed=1)),
                journal.add_attachment(first, AttachmentKind.VOICE, wav(0.3, seed=2)),
                journal.add_attachment(second, AttachmentKind.DRAWING, png(seed=3))]
    names = [journal.vault.blobs.path(a.uid) for a in attached]
    journal.save()
    journal.close()
    return made, attached, names


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


TAMPERING = {
    "header byte": lambda paths: _flip(paths[0], 3),
    "version byte": lambda paths: _flip(paths[0], 9),
    "nonce byte": lambda paths: _flip(paths[0], 12),
    "body byte": lambda paths: _flip(paths[0], 40),
    "tag byte": lambda paths: _flip(paths[0], paths[0].stat().st_size - 1),
    "truncated": lambda paths: os.truncate(paths[0], paths[0].stat().st_size - 1),
    "truncated to nothing": lambda paths: os.truncate(paths[0], 0),
    "truncated to its header": lambda paths: os.truncate(paths[0], 22),
    "deleted": lambda paths: paths[0].unlink(),
    "bytes appended": lambda paths: paths[0].write_bytes(paths[0].read_bytes() + b"x"),
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_a_tampered_blob_is_a_typed_error_naming_its_entry(three, how):
    made, attached, names = three
    TAMPERING[how](names)
    journal = _open(made)  # the journal itself opens
    try:
        with pytest.raises(DamagedAttachmentError) as info:
            journal.attachment_data(attached[0])
        err = info.value
        assert isinstance(err, DamagedFileError) and err.exit_code == 4
        assert (err.entry_id, err.attachment_id) == (attached[0].entry_id, attached[0].id)
        assert f"entry {attached[0].entry_id}" in err.message
        assert "5 March 2024" in err.message
        assert "title" not in err.message and "body" not in err.message
        assert ("missing" in err.message) == (how == "deleted")
        # Everything else reads.
        assert journal.attachment_data(attached[1]) == wav(0.3, seed=2)
        assert journal.attachment_data(attached[2]) == png(seed=3)
        assert sorted(e.title for e in journal.repo.list_entries()) == [
            "first title", "second title"]
        bad = journal.verify_attachments()
        assert [(e.entry_id, e.attachment_id) for e in bad] == [
            (attached[0].entry_id, attached[0].id)]
    finally:
        journal.close()


def test_swapped_blobs_both_fail_and_nothing_else(three):
    made, attached, names = three
    first, third = names[0].read_bytes(), names[2].read_bytes()
    names[0].write_bytes(third)
    names[2].write_bytes(first)
    journal = _open(made)
    try:
        for attachment in (attached[0], attached[2]):
            with pytest.raises(DamagedAttachmentError) as info:
                journal.attachment_data(attachment)
            assert info.value.attachment_id == attachment.id
            assert info.value.entry_id == attachment.entry_id
        assert journal.attachment_data(attached[1]) == wav(0.3, seed=2)
        assert sorted(e.attachment_id for e in journal.verify_attachments()) == sorted(
            [attached[0].id, attached[2].id])
    finally:
        journal.close()


def test_a_blob_from_another_journal_fails_under_the_same_name(three, tmp_path):
    made, attached, names = three
    other = make_journal(tmp_path / "other", ())
    journal = Journal(Vault.open(other.path, other.secret))
    try:
        foreign = journal.vault.blobs.write(attached[0].uid, png(seed=1))
    finally:
        journal.close()
    names[0].write_bytes(foreign.read_bytes())
    journal = _open(made)
    try:
        with pytest.raises(DamagedAttachmentError):
            journal.attachment_data(attached[0])
    finally:
        journal.close()


# --------------------------------------------------------------------------- full disk


@pytest.mark.parametrize("limit", [0, 1, 21, 500, 5000])
def test_full_disk_mid_blob_write_attaches_nothing_and_leaves_nothing(made, limit):
    journal = _open(made)
    try:
        entry_id = _entry(journal)
        journal.save()
        before = snapshot(made.path.parent)
        changes = journal.vault.change_count
        journal.vault.blobs._writer = failing_after(limit)
        with pytest.raises(JournalError) as info:
            journal.add_attachment(entry_id, AttachmentKind.VOICE, wav(0.5))
        assert info.value.exit_code == 7  # WriteFailedError
        assert "disk is full" in info.value.message and "Nothing was attached" in info.value.message
        assert journal.all_attachments() == []  # no row inserted
        assert journal.vault.change_count == changes and not journal.dirty
        assert [p for p in _blob_files(made.path) if p.is_file()] == []  # no partial file
        assert snapshot(made.path.parent) == before  # journal, backups: as they were
        del journal.vault.blobs._writer
        attachment = journal.add_attachment(entry_id, AttachmentKind.VOICE, wav(0.5))
        assert journal.attachment_data(attachment) == wav(0.5)
    finally:
        journal.close()


def test_read_back_mismatch_is_a_write_failure_and_leaves_nothing(made, monkeypatch):
    journal = _open(made)
    try:
        entry_id = _entry(journal)

        def corrupting(fd: int, view: memoryview) -> int:
            data = bytearray(view)
            data[-1] ^= 0xFF
            return os.write(fd, bytes(data))

        journal.vault.blobs._writer = corrupting
        with pytest.raises(JournalError) as info:
            journal.add_attachment(entry_id, AttachmentKind.IMAGE, png())
        assert info.value.exit_code == 7
        assert journal.all_attachments() == []
        assert _blob_files(made.path) == []
    finally:
        journal.close()


# --------------------------------------------------------------------------- privacy


def test_blob_names_and_files_reveal_nothing(made, tmp_path):
    canary = f"canaryattach{os.urandom(6).hex()}"
    journal = _open(made)
    entry_id = _entry(journal)
    attached = [journal.add_attachment(entry_id, AttachmentKind.IMAGE, png(text=canary)),
                journal.add_attachment(entry_id, AttachmentKind.VOICE, wav(text=canary)),
                journal.add_attachment(entry_id, AttachmentKind.IMAGE, jpeg(comment=canary))]
    journal.save()
    journal.vault.save_copy(made.path.with_name("copy.ijournal"))
    uids = [a.uid for a in attached]
    image = journal.db.serialize()
    journal.close()
    assert canary.encode() not in image  # the bytes never enter the database
    folder = filestore.attachments_dir(made.path)
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    files = sorted(folder.iterdir())
    assert len(files) == 3
    for path in files:
        assert blobs.is_blob_name(path.name)
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        data = path.read_bytes()
        assert data.startswith(blobs.MAGIC)
        for uid in uids:
            assert uid not in path.name and uid.encode() not in data
    needles = {"canary": encodings(canary)} | {f"uid{i}": encodings(u) for i, u in enumerate(uids)}
    assert hits([made.path.parent], needles) == []
    # The copy's folder holds the same blobs (same key, same names), nothing more.
    copied = filestore.attachments_dir(made.path.with_name("copy.ijournal"))
    assert sorted(p.name for p in copied.iterdir()) == [p.name for p in files]


def test_equal_bytes_attached_twice_are_two_unrelated_blobs(made):
    journal = _open(made)
    try:
        entry_id = _entry(journal)
        a = journal.add_attachment(entry_id, AttachmentKind.IMAGE, png())
        b = journal.add_attachment(entry_id, AttachmentKind.IMAGE, png())
        first = journal.vault.blobs.path(a.uid).read_bytes()
        second = journal.vault.blobs.path(b.uid).read_bytes()
        assert a.uid != b.uid and first != second
        assert first[10:] not in second
    finally:
        journal.close()


def test_a_blob_file_says_its_size_only_to_64_kib(made):
    """Two voice notes of 0.1 s and 1.5 s (at 8 kHz, 1.6 KB and 24 KB) give files of one
    size, and every blob file is its header, whole 64 KiB blocks and the tag."""
    journal = _open(made)
    try:
        entry_id = _entry(journal)
        short = journal.add_attachment(entry_id, AttachmentKind.VOICE, wav(0.1))
        long = journal.add_attachment(entry_id, AttachmentKind.VOICE, wav(1.5))
        big = journal.add_attachment(entry_id, AttachmentKind.IMAGE, png(400, 400, seed=3))
        sizes = {a.uid: journal.vault.blobs.path(a.uid).stat().st_size
                 for a in (short, long, big)}
        assert journal.attachment_data(long) == wav(1.5)
    finally:
        journal.close()
    assert sizes[short.uid] == sizes[long.uid]
    overhead = 8 + 2 + 12 + 16  # magic, version, nonce, tag
    assert all((size - overhead) % (64 * 1024) == 0 for size in sizes.values())
