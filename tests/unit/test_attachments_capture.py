"""Quick capture with a voice note or a picture while locked (issue 15): sealed to the
journal's public key like the text, merged at the next unlock into an attachment of the
quick-note entry. A damaged or oversized attached part still lets the text merge, is
reported, and is set aside, never deleted; old text-only notes stay readable."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.domain.attachments import (
    AttachmentKind,
    AttachmentTooLargeError,
    UnsupportedAttachmentError,
)
from journal_app.domain.entities import EntryKind
from journal_app.errors import DamagedFileError, WriteFailedError
from journal_app.storage import filestore, inbox, inbox_attach, sealed_note
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Vault
from tests.helpers.attachment_files import png, wav
from tests.helpers.journals import make_journal
from tests.unit.test_filestore_failures import failing_after
from tests.unit.test_inbox import key_pair
from tests.unit.test_vault_canary import encodings, hits


@pytest.fixture
def made(tmp_path):
    return make_journal(tmp_path, ())


def _merge(made) -> tuple[inbox.MergeReport, Journal]:
    journal = Journal(Vault.open(made.path, made.secret))
    return journal.merge_inbox(), journal


def _quick(journal: Journal):
    return journal.repo.list_entries(kind=EntryKind.QUICK_CAPTURE)


def test_picture_captured_while_locked_merges_as_an_attachment(made):
    holder = Vault.open(made.path, made.secret)  # the app on its lock screen holds it
    try:
        note = inbox.seal_note_with_attachment(made.path, "what I saw", AttachmentKind.IMAGE,
                                               png(40, 30, seed=6))
    finally:
        holder.close()
    assert note.parent == inbox.inbox_dir(made.path) and note.name.endswith(".note")
    report, journal = _merge(made)
    try:
        assert (report.merged, report.attachments, report.attachments_not_kept) == (1, 1, 0)
        (entry,) = _quick(journal)
        assert entry.body == "what I saw"
        (attachment,) = journal.attachments_for(entry.id)
        assert attachment.kind is AttachmentKind.IMAGE
        assert (attachment.width, attachment.height) == (40, 30)
        assert attachment.created_at == entry.created_at
        assert journal.attachment_data(attachment) == png(40, 30, seed=6)
        assert not journal.dirty  # the merge saved
    finally:
        journal.close()
    assert inbox.inbox_items(made.path) == [] and not note.exists()
    journal = Journal(Vault.open(made.path, made.secret))  # from disk
    try:
        (entry,) = _quick(journal)
        (attachment,) = journal.attachments_for(entry.id)
        assert journal.attachment_data(attachment) == png(40, 30, seed=6)
    finally:
        journal.close()


def test_a_voice_note_needs_no_words(made):
    inbox.seal_note_with_attachment(made.path, "", AttachmentKind.VOICE, wav(1.5))
    report, journal = _merge(made)
    try:
        assert report.attachments == 1
        (entry,) = _quick(journal)
        assert entry.body == ""
        (attachment,) = journal.attachments_for(entry.id)
        assert attachment.duration_ms == 1500
        assert journal.attachment_data(attachment) == wav(1.5)
    finally:
        journal.close()


def test_bad_attachments_are_refused_before_anything_is_written(made):
    with pytest.raises(AttachmentTooLargeError):
        inbox.seal_note_with_attachment(made.path, "x", AttachmentKind.VOICE,
                                        b"RIFF" + bytes(50 * 2**20))
    with pytest.raises(UnsupportedAttachmentError):
        inbox.seal_note_with_attachment(made.path, "x", AttachmentKind.VOICE, png())
    assert inbox.inbox_items(made.path) == []


def test_old_text_only_notes_are_still_version_1_and_merge(made):
    path = inbox.seal_note(made.path, "just words")
    assert path.read_bytes()[8:10] == b"\x00\x01"
    report, journal = _merge(made)
    try:
        assert (report.merged, report.attachments) == (1, 0)
        assert journal.all_attachments() == []
    finally:
        journal.close()


def _flip_in_attachment_part(path) -> None:
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_damaged_attached_part_still_merges_the_text_and_keeps_the_file(made):
    note = inbox.seal_note_with_attachment(made.path, "words survive", AttachmentKind.IMAGE,
                                           png())
    _flip_in_attachment_part(note)
    report, journal = _merge(made)
    try:
        assert (report.merged, report.attachments, report.attachments_not_kept) == (1, 0, 1)
        assert report.damaged == 0
        (entry,) = _quick(journal)
        assert entry.body == "words survive"
        assert journal.all_attachments() == []
    finally:
        journal.close()
    kept = note.with_name(note.name + inbox_attach.SET_ASIDE_SUFFIX)
    assert kept.exists() and not note.exists()  # nothing lost, not merged again
    report, journal = _merge(made)
    try:
        assert report == inbox.MergeReport()
        assert len(_quick(journal)) == 1
    finally:
        journal.close()


def test_an_oversized_note_merges_its_text_only(made, monkeypatch):
    note = inbox.seal_note_with_attachment(made.path, "too big a picture", AttachmentKind.IMAGE,
                                           png(64, 64))
    monkeypatch.setattr(inbox_attach, "MAX_NOTE_FILE", note.stat().st_size - 1)
    report, journal = _merge(made)
    try:
        assert (report.merged, report.attachments_not_kept) == (1, 1)
        assert _quick(journal)[0].body == "too big a picture"
    finally:
        journal.close()


def test_a_sealed_part_that_is_not_what_it_says_is_not_kept(made):
    public = inbox.read_public_key(made.path)
    sealed = sealed_note.seal(public, "labelled wrong", None,
                              sealed_note.SealedAttachment(AttachmentKind.VOICE, png()))
    (inbox.inbox_dir(made.path)).mkdir(mode=0o700)
    (inbox.inbox_dir(made.path) / "0123.note").write_bytes(sealed)
    report, journal = _merge(made)
    try:
        assert (report.merged, report.attachments_not_kept) == (1, 1)
        assert journal.all_attachments() == []
    finally:
        journal.close()


def test_full_disk_while_merging_an_attachment_loses_nothing(made):
    note = inbox.seal_note_with_attachment(made.path, "kept for later", AttachmentKind.VOICE,
                                           wav(0.5))
    journal = Journal(Vault.open(made.path, made.secret))
    try:
        journal.vault.blobs._writer = failing_after(100)
        with pytest.raises(WriteFailedError):
            journal.merge_inbox()
        assert journal.all_attachments() == []
    finally:
        journal.close()  # the entry added in memory is not saved
    assert note.exists()
    assert list(filestore.attachments_dir(made.path).iterdir()) == []
    report, journal = _merge(made)
    try:
        assert (report.merged, report.attachments) == (1, 1)
        (entry,) = _quick(journal)
        assert journal.attachment_data(journal.attachments_for(entry.id)[0]) == wav(0.5)
    finally:
        journal.close()


def test_a_note_merged_again_after_a_crash_adds_its_attachment_once(made, tmp_path):
    note = inbox.seal_note_with_attachment(made.path, "once", AttachmentKind.IMAGE, png())
    copy = tmp_path / "copy.note"
    copy.write_bytes(note.read_bytes())
    report, journal = _merge(made)
    journal.close()
    os.replace(copy, note)  # as if the delete after the save never happened
    report, journal = _merge(made)
    try:
        assert (report.merged, report.already_present, report.attachments) == (0, 1, 0)
        (entry,) = _quick(journal)
        assert len(journal.attachments_for(entry.id)) == 1
    finally:
        journal.close()


def test_the_inbox_holds_no_plaintext_of_the_attachment(made):
    canary = f"canarycapture{os.urandom(6).hex()}"
    inbox.seal_note_with_attachment(made.path, "", AttachmentKind.IMAGE, png(text=canary))
    inbox.seal_note_with_attachment(made.path, "", AttachmentKind.VOICE, wav(text=canary))
    assert hits([made.path.parent], {"canary": encodings(canary)}) == []
    report, journal = _merge(made)
    journal.close()
    assert report.attachments == 2
    assert hits([made.path.parent], {"canary": encodings(canary)}) == []


def test_open_inbox_lists_what_a_note_carries(made):
    inbox.seal_note_with_attachment(made.path, "", AttachmentKind.DRAWING, png())
    vault = Vault.open(made.path, made.secret)
    try:
        (note,) = inbox.open_inbox(made.path, vault.capture_private_key()).notes
        assert note.attachment is AttachmentKind.DRAWING
    finally:
        vault.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=80_000), flip=st.integers(min_value=0))
def test_cut_or_flipped_version_2_notes_raise_typed_errors_or_lose_only_the_attachment(
        cut, flip):
    private, public = key_pair()
    sealed = sealed_note.seal(public, "fuzz", None,
                              sealed_note.SealedAttachment(AttachmentKind.IMAGE, png()))
    text_end = 70 + sealed_note.PAD_UNIT + sealed_note.TAG_LEN
    flipped = bytearray(sealed)
    flipped[flip % len(sealed)] ^= 0x04
    for candidate in (sealed[:cut], bytes(flipped)):
        if candidate == sealed:
            continue
        try:
            opened = sealed_note.open_sealed(candidate, private)
        except DamagedFileError:
            continue
        assert opened.text == "fuzz"  # only a damaged attachment part still opens
        assert opened.attachment is None and opened.problem == "damaged"
        assert len(candidate) < len(sealed) or flip % len(sealed) >= text_end
