"""Quick capture while locked: sealing without the passphrase, merging at the next unlock."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import time
import types

import pytest
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.domain.entities import EntryKind
from journal_app.errors import (
    DamagedFileError,
    InUseError,
    JournalError,
    NotAJournalError,
    UsageError,
    WriteFailedError,
)
from journal_app.storage import filestore, inbox
from journal_app.storage import vault as vault_module
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from tests.conftest import FAST_KDF

PASS = "correct horse battery staple"
CAPTURED = dt.datetime(2025, 3, 14, 9, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


#: When the ``journal`` fixture was last saved: before CAPTURED, so that notes claiming
#: CAPTURED keep it (a claim before the last save is dated at the merge instead:
#: tests/unit/test_inbox_claims.py).
LAST_SAVED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC).timestamp()


@pytest.fixture
def journal(tmp_path):
    """A closed journal on disk, last saved at LAST_SAVED."""
    path = tmp_path / "journal.ijournal"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(vault_module, "time", types.SimpleNamespace(time=lambda: LAST_SAVED))
        vault, _recovery = Vault.create(path, PASS, kdf=FAST_KDF)
        vault.close()
    os.utime(path, (LAST_SAVED, LAST_SAVED))
    return path


def unlock(path):
    vault = Vault.open(path, Secret(passphrase=PASS))
    return vault, JournalRepository(vault.db)


def quick_entries(path):
    vault, repo = unlock(path)
    try:
        return repo.list_entries(kind=EntryKind.QUICK_CAPTURE)
    finally:
        vault.close()


def snapshot(path):
    st_ = path.stat()
    return path.read_bytes(), st_.st_mtime_ns


def key_pair():
    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw,
                                        ser.NoEncryption())
    raw_public = private.public_key().public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)
    return raw_private, raw_public


# --------------------------------------------------------------------------- sealing


def test_public_key_is_read_from_the_header_without_a_passphrase(journal):
    public = inbox.read_public_key(journal)
    vault, _repo = unlock(journal)
    try:
        assert public == vault.capture_public_key
        assert len(public) == 32
    finally:
        vault.close()


def test_seal_while_journal_closed_needs_no_passphrase_and_leaves_journal_alone(journal):
    before = snapshot(journal)
    note = inbox.seal_note(journal, "slept after the session", captured_at=CAPTURED)
    assert note.parent == journal.with_name("journal.ijournal.inbox")
    assert note.is_file()
    assert re.fullmatch(r"[0-9a-f]{32}\.note", note.name)  # random: no time, no content
    assert snapshot(journal) == before
    if os.name == "posix":
        assert stat.S_IMODE(note.stat().st_mode) == 0o600
        assert stat.S_IMODE(note.parent.stat().st_mode) == 0o700


def test_seal_while_another_holder_has_the_journal_open_and_locked(tmp_path):
    path = tmp_path / "journal.ijournal"
    holder, _recovery = Vault.create(path, PASS, kdf=FAST_KDF)  # e.g. the GUI's lock screen
    try:
        with pytest.raises(InUseError):
            filestore.InstanceLock(path).acquire()
        before = snapshot(path)
        note = inbox.seal_note(path, "a note while the app is open")
        assert note.is_file()
        assert snapshot(path) == before
        # The holder merges it once unlocked, without reopening.
        report = inbox.merge_inbox(holder, JournalRepository(holder.db))
        assert report.merged == 1
    finally:
        holder.close()
    assert [e.body for e in quick_entries(path)] == ["a note while the app is open"]


def test_no_plaintext_anywhere_in_the_journal_folder(journal, tmp_path):
    canary = "CANARY-quickcapture-7f3a91"
    inbox.seal_note(journal, f"first line\n{canary} and more", captured_at=CAPTURED)
    needles = [canary.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    needles += [b"2025-03-14T09:30:05"]  # nor the capture time
    scanned = 0
    for file in tmp_path.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            scanned += 1
            for needle in needles:
                assert needle not in data, file.name
    assert scanned >= 2  # the journal and the sealed note were both scanned


def test_notes_of_different_short_lengths_have_the_same_size(journal):
    short = inbox.seal_note(journal, "ok")
    longer = inbox.seal_note(journal, "felt the floor drop away, then calm " * 8)
    assert short.stat().st_size == longer.stat().st_size
    long_note = inbox.seal_note(journal, "x" * (2 * inbox.PAD_UNIT))
    assert long_note.stat().st_size > short.stat().st_size


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_an_empty_note_is_refused_and_nothing_is_written(journal, text):
    with pytest.raises(UsageError):
        inbox.seal_note(journal, text)
    assert inbox.inbox_items(journal) == []


def test_unstorable_text_is_refused_without_quoting_it(journal):
    text = "CANARY-surrogate \ud800 tail"
    with pytest.raises(UsageError) as info:
        inbox.seal_note(journal, text)
    chain = [info.value, info.value.__cause__, info.value.__context__]
    assert all("CANARY" not in str(exc) for exc in chain if exc is not None)
    assert info.value.__cause__ is None


def test_sealing_for_a_missing_or_foreign_file_fails_clearly(tmp_path):
    with pytest.raises(JournalError):
        inbox.seal_note(tmp_path / "absent.ijournal", "note")
    other = tmp_path / "notes.txt"
    other.write_text("just a text file")
    with pytest.raises(NotAJournalError):
        inbox.seal_note(other, "note")
    assert not inbox.inbox_dir(other).exists()
    assert other.read_text() == "just a text file"


def test_a_failed_write_is_reported_and_leaves_nothing(journal, monkeypatch):
    def no_space(fd, view):
        raise OSError(28, "No space left on device")

    real = filestore.atomic_write
    monkeypatch.setattr(filestore, "atomic_write",
                        lambda p, d, v: real(p, d, v, writer=no_space))
    with pytest.raises(WriteFailedError) as info:
        inbox.seal_note(journal, "CANARY-full-disk")
    assert "quick note" in str(info.value)
    assert "CANARY" not in str(info.value)
    assert list(inbox.inbox_dir(journal).iterdir()) == []


# --------------------------------------------------------------------------- merging


def test_merge_at_next_unlock_adds_a_quick_capture_entry_and_removes_the_file(journal):
    note = inbox.seal_note(journal, "the colours were loud", captured_at=CAPTURED)
    vault, repo = unlock(journal)
    try:
        generation = vault.generation
        report = inbox.merge_inbox(vault, repo)
        assert vault.generation == generation + 1  # saved
    finally:
        vault.close()
    assert report == inbox.MergeReport(merged=1, already_present=0, damaged=0, not_removed=0)
    assert not note.exists()
    [entry] = quick_entries(journal)  # read back from disk: the merge was saved
    assert entry.kind is EntryKind.QUICK_CAPTURE
    assert entry.body == "the colours were loud"
    assert entry.created_at == CAPTURED
    assert entry.created_at.utcoffset() == dt.timedelta(hours=-5)
    assert entry.tags == ("quick capture",)


def test_merge_with_an_empty_inbox_changes_nothing(journal):
    before = snapshot(journal)
    vault, repo = unlock(journal)
    try:
        assert inbox.merge_inbox(vault, repo) == inbox.MergeReport()
    finally:
        vault.close()
    assert snapshot(journal) == before


def test_failed_save_keeps_the_note_and_the_next_unlock_merges_it_once(journal, monkeypatch):
    note = inbox.seal_note(journal, "written right after", captured_at=CAPTURED)
    sealed = note.read_bytes()
    vault, repo = unlock(journal)

    def failing_save():
        raise WriteFailedError("Could not save the journal. The disk is full.")

    monkeypatch.setattr(vault, "save", failing_save)
    try:
        with pytest.raises(WriteFailedError):
            inbox.merge_inbox(vault, repo)
    finally:
        vault.close()  # the crash: the merged entry never reached the disk
    assert note.read_bytes() == sealed
    assert quick_entries(journal) == []

    vault, repo = unlock(journal)
    try:
        assert inbox.merge_inbox(vault, repo).merged == 1
    finally:
        vault.close()
    assert not note.exists()
    assert [e.body for e in quick_entries(journal)] == ["written right after"]


def test_retry_on_the_same_vault_after_a_failed_save_saves_before_deleting(journal,
                                                                            monkeypatch):
    note = inbox.seal_note(journal, "retry me")
    vault, repo = unlock(journal)
    real_save = vault.save
    fail = [True]

    def save_failing_once():
        if fail.pop() if fail else False:
            raise WriteFailedError("Could not save the journal.")
        return real_save()

    monkeypatch.setattr(vault, "save", save_failing_once)
    try:
        with pytest.raises(WriteFailedError):
            inbox.merge_inbox(vault, repo)
        assert note.exists()
        report = inbox.merge_inbox(vault, repo)  # the entry exists only in memory so far
        assert (report.merged, report.already_present) == (0, 1)
    finally:
        vault.close()
    assert not note.exists()
    assert [e.body for e in quick_entries(journal)] == ["retry me"]


def test_a_note_merged_twice_is_not_duplicated(journal, tmp_path):
    note = inbox.seal_note(journal, "only once please")
    kept = tmp_path / "copy-of-note"
    shutil.copy2(note, kept)
    vault, repo = unlock(journal)
    try:
        inbox.merge_inbox(vault, repo)
    finally:
        vault.close()
    shutil.copy2(kept, note)  # as if the process died after saving, before deleting
    vault, repo = unlock(journal)
    try:
        report = inbox.merge_inbox(vault, repo)
    finally:
        vault.close()
    assert (report.merged, report.already_present) == (0, 1)
    assert not note.exists()
    assert len(quick_entries(journal)) == 1


def flip_byte(path, offset):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_damaged_items_are_reported_and_kept_while_the_rest_merges(journal, tmp_path):
    good = inbox.seal_note(journal, "the good one", captured_at=CAPTURED)
    flipped = inbox.seal_note(journal, "flipped")
    flip_byte(flipped, 200)
    truncated = inbox.seal_note(journal, "truncated")
    truncated.write_bytes(truncated.read_bytes()[:-10])
    junk = inbox.inbox_dir(journal) / "0123456789abcdef0123456789abcdef.note"
    junk.write_bytes(os.urandom(inbox.PAD_UNIT + 70))
    empty = inbox.inbox_dir(journal) / "ffffffffffffffffffffffffffffffff.note"
    empty.write_bytes(b"")
    other_path = tmp_path / "other.ijournal"
    Vault.create(other_path, PASS, kdf=FAST_KDF)[0].close()
    foreign = inbox.seal_note(other_path, "meant for another journal")
    foreign = shutil.move(foreign, inbox.inbox_dir(journal) / foreign.name)

    bad = sorted([flipped, truncated, junk, empty, foreign])
    before = {p: p.read_bytes() for p in bad}
    vault, repo = unlock(journal)
    try:
        opened = inbox.open_inbox(journal, vault.capture_private_key())
        assert [n.path for n in opened.notes] == [good]
        assert sorted(opened.damaged) == bad
        report = inbox.merge_inbox(vault, repo)
    finally:
        vault.close()
    assert (report.merged, report.damaged) == (1, 5)
    assert not good.exists()
    assert {p: p.read_bytes() for p in bad} == before  # left on disk, unchanged
    assert [e.body for e in quick_entries(journal)] == ["the good one"]


def test_temp_files_and_foreign_names_are_not_notes(journal):
    note = inbox.seal_note(journal, "real note")
    folder = inbox.inbox_dir(journal)
    fresh_temp = folder / f".{note.name}{filestore.TEMP_MARK}aaaaaa"
    old_temp = folder / f".{note.name}{filestore.TEMP_MARK}bbbbbb"
    other = folder / "desktop.ini"
    for extra in (fresh_temp, old_temp, other):
        extra.write_bytes(b"partial")
    day_ago = time.time() - 2 * inbox.STALE_TEMP_AGE
    os.utime(old_temp, (day_ago, day_ago))
    assert inbox.inbox_items(journal) == [note]
    vault, repo = unlock(journal)
    try:
        report = inbox.merge_inbox(vault, repo)
    finally:
        vault.close()
    assert (report.merged, report.damaged) == (1, 0)
    assert fresh_temp.exists()  # may belong to a capture still in progress
    assert not old_temp.exists()  # left by a crash long ago: ciphertext, safe to drop
    assert other.exists()


def test_notes_merge_in_capture_order_with_distinct_uids(journal):
    later = CAPTURED + dt.timedelta(hours=2)
    inbox.seal_note(journal, "second", captured_at=later)
    inbox.seal_note(journal, "first", captured_at=CAPTURED)
    vault, repo = unlock(journal)
    try:
        opened = inbox.open_inbox(journal, vault.capture_private_key())
        assert [n.text for n in opened.notes] == ["first", "second"]
        assert len({n.uid for n in opened.notes}) == 2
        inbox.merge_inbox(vault, repo)
    finally:
        vault.close()
    entries = quick_entries(journal)
    assert sorted((e.created_at, e.body) for e in entries) == [
        (CAPTURED, "first"), (later, "second")]


def test_reprs_and_reports_carry_no_note_text(journal):
    inbox.seal_note(journal, "CANARY-repr-check")
    vault, repo = unlock(journal)
    try:
        opened = inbox.open_inbox(journal, vault.capture_private_key())
        assert "CANARY" not in repr(opened)
        report = inbox.merge_inbox(vault, repo)
    finally:
        vault.close()
    assert "CANARY" not in repr(report)


# --------------------------------------------------------------------------- format


def test_seal_and_unseal_round_trip_unicode():
    private, public = key_pair()
    text = "Ärger, 平静, 🌊\nline two"
    assert inbox.unseal(inbox.seal(public, text, CAPTURED), private) == (text, CAPTURED)


@pytest.mark.parametrize("offset", [0, 8, 10, 30, 45, 60, 500, -1])
def test_any_flipped_byte_is_a_typed_error(offset):
    private, public = key_pair()
    data = bytearray(inbox.seal(public, "flip me", CAPTURED))
    data[offset] ^= 0x80
    with pytest.raises(DamagedFileError):
        inbox.unseal(bytes(data), private)


def test_wrong_key_is_a_typed_error_without_note_text():
    _private, public = key_pair()
    other_private, _other_public = key_pair()
    with pytest.raises(DamagedFileError) as info:
        inbox.unseal(inbox.seal(public, "CANARY-wrong-key"), other_private)
    assert "CANARY" not in str(info.value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), cut=st.integers(min_value=0, max_value=5000))
def test_unseal_of_arbitrary_or_truncated_bytes_raises_only_typed_errors(data, cut):
    private, public = key_pair()
    sealed = inbox.seal(public, "fuzz", CAPTURED)
    for candidate in (data, inbox.MAGIC + data, sealed[:cut], sealed + data[:1]):
        if candidate == sealed:
            continue
        with pytest.raises(DamagedFileError):
            inbox.unseal(candidate, private)


def test_sealed_layout_follows_the_documented_construction():
    """An independent decryption from the spec: other capture tools can rely on it."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    private, public = key_pair()
    sealed = inbox.seal(public, "spec check", CAPTURED)
    assert sealed[:8] == b"IJINBOX\x00" and sealed[8:10] == b"\x00\x01"
    ephemeral, nonce, prefix = sealed[10:42], sealed[42:54], sealed[:54]
    shared = X25519PrivateKey.from_private_bytes(private).exchange(
        X25519PublicKey.from_public_bytes(ephemeral))
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + public,
               info=b"integration-journal quick capture v1").derive(shared)
    plain = AESGCM(key).decrypt(nonce, sealed[54:], prefix)
    assert len(plain) % inbox.PAD_UNIT == 0
    length = int.from_bytes(plain[:4], "big")
    assert plain[4 + length:] == bytes(len(plain) - 4 - length)
    assert plain[4:4 + length].decode() == (
        '{"text": "spec check", "captured_at": "2025-03-14T09:30:05-05:00"}')
