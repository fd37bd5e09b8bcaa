"""How saves look on disk: fresh bytes each time, padded sizes, daily backups, no
overwriting a file that changed on disk, and restoring a backup over a damaged journal."""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import os

import pytest

from journal_app import atomic
from journal_app.errors import ChangedOnDiskError, CorruptFileError, JournalError, WriteFailedError
from journal_app.storage import fileformat as ff
from journal_app.storage import filestore
from journal_app.storage.vault import Vault, find_openable_backup, restore_backup
from tests.helpers.journals import (
    PASSPHRASE,
    add_entries,
    make_journal,
    open_titles,
    snapshot,
    temp_files,
)


def test_each_save_gives_different_bytes_for_identical_content(tmp_path):
    made = make_journal(tmp_path, ("same",))
    with Vault.open(made.path, made.secret) as vault:
        first = ff.parse(made.path.read_bytes())
        vault.compact()
        second = ff.parse(made.path.read_bytes())
    assert first.salt != second.salt and first.nonce != second.nonce
    assert len(first.ciphertext) == len(second.ciphertext)
    # No 16-byte block of ciphertext repeats between the two saves.
    blocks = {first.ciphertext[i:i + 16] for i in range(0, len(first.ciphertext), 16)}
    assert not any(second.ciphertext[i:i + 16] in blocks
                   for i in range(0, len(second.ciphertext), 16))


def test_each_change_record_gives_different_bytes_for_identical_content(tmp_path):
    made = make_journal(tmp_path, ("same",))
    frames = []
    with Vault.open(made.path, made.secret) as vault:
        for _ in range(2):
            size = made.path.stat().st_size
            vault.mark_dirty()  # nothing changed in the database: identical records
            vault.save()
            frames.append(made.path.read_bytes()[size:])
        assert vault.records == 2
    first, second = frames
    assert len(first) == len(second) == 4096
    blocks = {first[i:i + 16] for i in range(8, len(first), 16)}
    assert not any(second[i:i + 16] in blocks for i in range(8, len(second), 16))


def test_change_records_are_padded_to_4_kib_multiples(tmp_path):
    made = make_journal(tmp_path, ())
    growth = []
    with Vault.open(made.path, made.secret) as vault:
        for n in range(1, 6):
            for text in (f"entry {n} " + "words " * (300 * n), f"short {n}"):
                size = made.path.stat().st_size
                add_entries(vault, [text])
                vault.save()
                growth.append(made.path.stat().st_size - size)
        assert vault.records == 10
    assert all(g > 0 and g % 4096 == 0 for g in growth)
    assert growth[1::2] == [4096] * 5  # a short entry: one unit, whatever its words
    assert growth[0] < growth[2] < growth[8]  # long ones: their size to 4 KiB only


def test_body_is_padded_to_64_kib_multiples(tmp_path):
    made = make_journal(tmp_path, ())
    sizes = []
    with Vault.open(made.path, made.secret) as vault:
        # Each long entry is followed by a short one: saves that differ by a few words
        # must land on the same size, wherever the schema's own pages put the start.
        for n in range(12):
            for text in (f"entry {n} " + "words " * (1500 * n), f"short {n}"):
                add_entries(vault, [text])
                vault.compact()
                data = made.path.read_bytes()
                body = ff.parse(data).ciphertext
                assert (len(body) - 16) % ff.PAD_UNIT == 0  # 16: the AES-GCM tag
                sizes.append(len(data))
    # Sizes move in whole 64 KiB steps, never with the text's length.
    assert len(set(sizes)) < len(sizes)
    assert all((b - a) % ff.PAD_UNIT == 0 for a, b in itertools.pairwise(sizes))


def test_backups_keep_first_version_of_each_day_at_most_seven(tmp_path):
    path = tmp_path / "journal.ijournal"
    start = dt.date(2024, 1, 1)
    for day in range(10):
        for version in range(3):
            # As a save does: a new file replaces the journal, then the next save
            # backs it up if it is the first of its day.
            filestore.make_backup(path, today=start + dt.timedelta(days=day))
            path.with_name("next").write_bytes(f"day {day} version {version}".encode())
            os.replace(path.with_name("next"), path)
    backups = filestore.list_backups(path)
    assert [b.name for b in backups] == [
        f"journal.ijournal.{start + dt.timedelta(days=d)}" for d in range(9, 2, -1)]
    for backup in backups:
        day = (dt.date.fromisoformat(backup.name.rsplit(".", 1)[1]) - start).days
        # The journal as it was before the day's first save: the previous day's last.
        assert backup.read_bytes() == f"day {day - 1} version 2".encode()


def test_backup_of_the_day_is_the_journal_before_todays_first_save(tmp_path):
    made = make_journal(tmp_path, ("morning",))  # create + one save: backup = created file
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["noon"])
        vault.save()
        add_entries(vault, ["evening"])
        vault.save()
    (backup,) = filestore.list_backups(made.path)
    with Vault.open(backup, made.secret, lock=False) as old:
        assert old.generation == 1
    assert open_titles(made.path) == ["evening", "morning", "noon"]


def test_refuses_to_overwrite_a_file_changed_on_disk_and_keeps_both(tmp_path):
    made = make_journal(tmp_path, ("shared",))
    other_device = tmp_path / "other.ijournal"
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["written here"])
        # A sync tool puts another device's version in place while the journal is open.
        other = make_journal(tmp_path / "elsewhere", ("written on the laptop",))
        os.replace(other.path, made.path)
        synced = made.path.read_bytes()
        with pytest.raises(ChangedOnDiskError) as info:
            vault.save()
        assert info.value.exit_code == 5
        assert made.path.read_bytes() == synced
        assert vault.dirty
        vault.save_copy(other_device)
        with pytest.raises(JournalError):
            vault.save_copy(made.path)  # "keep both" must not become "overwrite"
        assert made.path.read_bytes() == synced
    assert open_titles(made.path) == ["written on the laptop"]
    assert open_titles(other_device) == ["shared", "written here"]


def test_damaged_journal_names_a_backup_and_restore_keeps_the_damaged_file(tmp_path):
    made = make_journal(tmp_path, ("kept in the backup",))
    for old in filestore.list_backups(made.path):
        old.unlink()
    filestore.make_backup(made.path)  # today's backup: the journal as it is now
    damaged = bytearray(made.path.read_bytes())
    damaged[30] ^= 0xFF
    made.path.write_bytes(bytes(damaged))
    with pytest.raises(CorruptFileError) as info:
        Vault.open(made.path, made.secret)
    backup = info.value.backup
    assert backup is not None and backup == filestore.list_backups(made.path)[0]
    assert backup.name in info.value.message
    kept = restore_backup(made.path, backup)
    assert kept.read_bytes() == bytes(damaged)
    assert kept.parent == made.path.parent
    assert open_titles(made.path) == ["kept in the backup"]
    assert temp_files(made.path) == []


def test_no_backup_opens_says_so(tmp_path):
    made = make_journal(tmp_path, ("only copy",))
    for backup in filestore.list_backups(made.path):
        backup.write_bytes(b"not a journal")
    made.path.write_bytes(made.path.read_bytes()[:-10])
    with pytest.raises(CorruptFileError) as info:
        Vault.open(made.path, made.secret)
    assert info.value.backup is None
    assert "No backup" in info.value.message
    assert find_openable_backup(made.path, made.secret) is None


def test_folder_sync_failure_after_replace_does_not_block_later_saves(tmp_path, request):
    """The new file is in place but syncing its folder failed: the user is told, and the
    next save must not mistake our own write for a change by another program."""
    # Its own patcher: undoing the fixture's mid-test would also undo the private
    # folders conftest set (and send this computer's records to the real one).
    patch = pytest.MonkeyPatch()
    request.addfinalizer(patch.undo)  # also when the test fails first
    made = make_journal(tmp_path, ("before",))
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["after"])

        def failing_dir_sync(folder):
            raise OSError(errno.EIO, "I/O error")

        patch.setattr(atomic, "fsync_dir", failing_dir_sync)
        with pytest.raises(WriteFailedError):
            vault.compact()
        patch.undo()
        assert vault.dirty  # not known to be durable: saved again next time
        vault.save()
        assert not vault.dirty
    assert open_titles(made.path) == ["after", "before"]


def test_an_older_save_job_never_overwrites_a_newer_one(tmp_path):
    """Two jobs prepared in order but run out of order (two workers): the file keeps the
    newer image and the journal stays marked unsaved only if it really is."""
    made = make_journal(tmp_path, ("one",))
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["two"])
        older = vault.prepare_save()
        add_entries(vault, ["three"])
        newer = vault.prepare_save()
        newer.run()
        older.run()
        assert not vault.dirty
    assert open_titles(made.path) == ["one", "three", "two"]


def test_created_files_are_private(tmp_path):
    made = make_journal(tmp_path, ("private",), saves=2)
    assert made.path.stat().st_mode & 0o077 == 0
    assert filestore.backup_dir(made.path).stat().st_mode & 0o077 == 0
    for backup in filestore.list_backups(made.path):
        assert backup.stat().st_mode & 0o077 == 0


def test_save_after_close_is_a_journal_error_and_writes_nothing(tmp_path):
    made = make_journal(tmp_path, ("closed",))
    vault = Vault.open(made.path, made.secret)
    vault.close()
    before = snapshot(tmp_path)
    with pytest.raises(JournalError):
        vault.save()
    assert snapshot(tmp_path) == before
    assert PASSPHRASE  # the journal still opens with it
    assert open_titles(made.path) == ["closed"]


def test_open_removes_a_backup_copy_a_crash_left_half_done(tmp_path):
    made = make_journal(tmp_path, ("x",), saves=2)
    partial = filestore.backup_dir(made.path) / f".{made.path.name}.2024-01-01.partial"
    partial.write_bytes(b"half a backup")
    assert partial in temp_files(made.path)
    Vault.open(made.path, made.secret).close()
    assert not partial.exists()
    assert len(filestore.list_backups(made.path)) == 1
