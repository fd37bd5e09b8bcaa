"""Quick capture while locked: notes sealed to the journal's public key, merged at unlock.

Right after a session people can't type a long passphrase. A quick note is sealed to the
X25519 ``capture_public`` key in the journal's header, so writing it needs no passphrase
and no lock on the journal (the app may sit on its lock screen holding it); only the
journal's owner, once unlocked, can read it. Notes wait in ``<journal name>.inbox/`` beside
the journal and are merged into it at the next unlock.

A sealed note's bytes are :mod:`journal_app.storage.sealed_note` (its names are
re-exported here). Inbox file names are random; nothing about the time or the content
shows in them. A note may carry one voice note or picture, sealed the same way
(:func:`seal_note_with_attachment`); merged, it becomes an attachment of the note's entry
(:mod:`storage.inbox_attach`).

What a note claims is not trusted: anyone who can use the computer can write one. Its
claimed time is kept only between the journal's last save and the merge (a note can't
have been written while locked before the journal was last saved, nor after now);
otherwise the entry is dated at the merge and the claimed time is noted in a line below
the person's text, which is kept as it is (:mod:`storage.inbox_claims`). One unlock
merges at most ``MAX_MERGE`` notes, oldest file first; the rest wait for the next unlock
(``MergeReport.waiting``).

Merging is crash-safe: entries are added, the journal is saved, and only then are the
merged inbox files deleted. Each entry's uid is derived from the sealed file's bytes, so a
note merged again after a crash (or copied by a sync tool) is never added twice. A note
that can't be read is reported and left on disk, never deleted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import math
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.domain.attachments import AttachmentKind, check_attachment
from journal_app.domain.entities import Entry, EntryKind, now
from journal_app.errors import DamagedFileError, JournalError, WriteFailedError
from journal_app.storage import filestore
from journal_app.storage.inbox_claims import (
    CLAIM_NOTE,
    claim_kept,
    claimed_text,
    journal_saved_at,
)
from journal_app.storage.journalfile import read_head
from journal_app.storage.vault import Vault

if TYPE_CHECKING:
    from journal_app.storage.repository import JournalRepository
    from journal_app.storage.sealed_note import (
        MAGIC,
        MAX_FILE_SIZE,
        MAX_PLAINTEXT,
        PAD_UNIT,
        PUBLIC_KEY_LEN,
        TAG_LEN,
        VERSION,
        check_structure,
        note_uid,
        seal,
        unseal,
    )

__all__ = [
    "CLAIM_NOTE",
    "MAGIC",
    "MAX_FILE_SIZE",
    "MAX_MERGE",
    "MAX_PLAINTEXT",
    "NOTE_SUFFIX",
    "PAD_UNIT",
    "PUBLIC_KEY_LEN",
    "QUICK_CAPTURE_TAG",
    "STALE_TEMP_AGE",
    "TAG_LEN",
    "VERSION",
    "InboxNote",
    "InboxResult",
    "MergeReport",
    "check_structure",
    "claim_kept",
    "inbox_dir",
    "inbox_items",
    "journal_saved_at",
    "merge_inbox",
    "note_entry",
    "note_uid",
    "open_inbox",
    "read_public_key",
    "remove_stale_temp_files",
    "seal",
    "seal_note",
    "seal_note_with_attachment",
    "unseal",
]

#: The sealed-note format's names this module re-exports. They are imported when first
#: asked for (:func:`__getattr__`), like the functions below that seal and open notes:
#: counting the notes that wait (:func:`inbox_items`, what every reading command does)
#: needs none of them, nor the cryptography serialization sealed_note imports.
_FORMAT_NAMES = frozenset({"MAGIC", "MAX_FILE_SIZE", "MAX_PLAINTEXT", "PAD_UNIT",
                           "PUBLIC_KEY_LEN", "TAG_LEN", "VERSION", "check_structure",
                           "note_uid", "seal", "unseal"})


def __getattr__(name: str) -> object:
    if name in _FORMAT_NAMES:
        from journal_app.storage import sealed_note

        return getattr(sealed_note, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


NOTE_SUFFIX = ".note"
QUICK_CAPTURE_TAG = "quick capture"
STALE_TEMP_AGE = 24 * 3600  # a capture's temp file older than this was left by a crash
#: Notes merged at one unlock: a flood of notes can't turn one unlock into minutes of
#: work and thousands of entries; the rest wait for the next unlock.
MAX_MERGE = 200


@dataclass(frozen=True)
class InboxNote:
    path: Path
    text: str = field(repr=False)  # note text stays out of reprs, logs and tracebacks
    captured_at: dt.datetime
    uid: str
    attachment: AttachmentKind | None = None  # what it carries, if it can be read


@dataclass(frozen=True)
class InboxResult:
    notes: list[InboxNote]
    damaged: list[Path]


@dataclass(frozen=True)
class MergeReport:
    """Counts only: safe to show and to log."""

    merged: int = 0  # new entries added to the journal
    already_present: int = 0  # merged earlier (e.g. before a crash), not added again
    damaged: int = 0  # unreadable items, left in the inbox
    not_removed: int = 0  # merged and saved, but the inbox file could not be deleted
    waiting: int = 0  # not looked at this time (over MAX_MERGE): left for the next unlock
    redated: int = 0  # merged, dated at the merge: the time they claimed was not kept
    attachments: int = 0  # voice notes and pictures added to merged quick-note entries
    #: Notes whose text was merged but whose voice note or picture could not be kept
    #: (damaged, too large, not a kind the journal keeps); set aside in the inbox.
    attachments_not_kept: int = 0


# --------------------------------------------------------------------------- paths & sealing


def inbox_dir(journal_path: Path) -> Path:
    journal_path = Path(journal_path)
    return journal_path.with_name(journal_path.name + ".inbox")


def read_public_key(journal_path: Path) -> bytes:
    """The journal's capture public key, from its header alone: no passphrase needed."""
    from journal_app.storage.sealed_note import check_public_key

    public = read_head(Path(journal_path)).header.capture_public_key
    check_public_key(public)  # refuse a malformed key before anything is sealed to it
    return public


def _write_failed(exc: WriteFailedError | OSError) -> WriteFailedError:
    cause = exc if isinstance(exc, OSError) else exc.__cause__
    reason = f" {filestore.failure_reason(cause)}" if isinstance(cause, OSError) else ""
    return WriteFailedError(
        f"Could not keep the quick note.{reason} The note was not saved; "
        "the journal itself was not changed."
    )


def _ensure_inbox(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise _write_failed(exc) from exc
    if not folder.is_dir():
        raise WriteFailedError("The quick-capture inbox beside the journal is not a folder.")


def seal_note(journal_path: Path, text: str, captured_at: dt.datetime | None = None) -> Path:
    """Seal ``text`` into the journal's inbox and return the new file's path.

    Needs no passphrase and takes no lock: the journal file is only read, never written,
    so this works while the app holds the journal open on its lock screen.
    """
    from journal_app.storage.sealed_note import seal

    journal_path = Path(journal_path)
    return _keep(journal_path, seal(read_public_key(journal_path), text, captured_at))


def seal_note_with_attachment(journal_path: Path, text: str, kind: AttachmentKind,
                              data: bytes, captured_at: dt.datetime | None = None) -> Path:
    """Seal a quick note carrying one voice note or picture (``text`` may be empty) into
    the journal's inbox, as :func:`seal_note` does; returns the new file's path.

    ``data`` is checked first (``check_attachment``: AttachmentError subclasses, e.g. too
    large or not a picture), before anything is written. At the next unlock it becomes
    an attachment of the merged quick-note entry.
    """
    from journal_app.storage.sealed_note import SealedAttachment, seal

    kind = AttachmentKind(kind)
    check_attachment(data, kind)
    journal_path = Path(journal_path)
    sealed = seal(read_public_key(journal_path), text, captured_at,
                  SealedAttachment(kind, data))
    return _keep(journal_path, sealed)


def _keep(journal_path: Path, data: bytes) -> Path:
    from journal_app.storage.sealed_note import check_structure

    folder = inbox_dir(journal_path)
    _ensure_inbox(folder)
    while True:  # 128 random bits: a clash is practically impossible, but never overwrite
        target = folder / f"{secrets.token_hex(16)}{NOTE_SUFFIX}"
        if not target.exists():
            break
    try:
        filestore.atomic_write(target, data, check_structure)
    except WriteFailedError as exc:
        raise _write_failed(exc) from exc
    return target


def inbox_items(journal_path: Path) -> list[Path]:
    """Sealed notes waiting beside the journal. Temp files of a capture in progress are
    dot-named and skipped; anything not named ``*.note`` is left alone."""
    folder = inbox_dir(journal_path)
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise JournalError(
            f"The quick-capture inbox can't be read ({exc.strerror}). It was not changed."
        ) from exc
    return sorted(p for p in entries if p.name.endswith(NOTE_SUFFIX)
                  and not p.name.startswith(".") and p.is_file())


def open_inbox(journal_path: Path, private_key: bytes) -> InboxResult:
    """Read every waiting note with the journal's capture private key (vault unlocked).

    An item that can't be read goes to ``damaged`` and stays on disk."""
    from journal_app.storage.inbox_attach import read_item
    from journal_app.storage.sealed_note import note_uid, open_sealed

    notes: list[InboxNote] = []
    damaged: list[Path] = []
    for path in inbox_items(journal_path):
        try:
            data, complete = read_item(path)
            opened = open_sealed(data, private_key, complete=complete)
        except (OSError, DamagedFileError):
            damaged.append(path)
            continue
        carried = opened.attachment.kind if opened.attachment else None
        notes.append(InboxNote(path, opened.text, opened.captured_at, note_uid(data), carried))
    notes.sort(key=lambda n: (n.captured_at, n.path.name))
    return InboxResult(notes, damaged)


# --------------------------------------------------------------------------- merging


def note_entry(note: InboxNote) -> Entry:
    return Entry(kind=EntryKind.QUICK_CAPTURE, title="", body=note.text,
                 tags=(QUICK_CAPTURE_TAG,), created_at=note.captured_at,
                 updated_at=note.captured_at, uid=note.uid)


def _dated(note: InboxNote, saved_at: dt.datetime | None,
           merged_at: dt.datetime) -> tuple[InboxNote, bool]:
    """``note``, or the same note dated ``merged_at`` with its claimed time noted in a
    line below its text (kept unchanged), and whether it was re-dated."""
    if claim_kept(note.captured_at, saved_at, merged_at):
        return note, False
    line = CLAIM_NOTE.format(when=claimed_text(note.captured_at))
    return dataclasses.replace(note, captured_at=merged_at,
                               text=f"{note.text}\n\n{line}"), True




def _oldest_first(paths: list[Path]) -> list[Path]:
    """Files by modification time, so that a flood written after a note doesn't hold
    it back; a file that can't be looked at goes last (and is reported as damaged)."""
    def age(path: Path) -> tuple[float, str]:
        try:
            return path.stat().st_mtime, path.name
        except OSError:
            return math.inf, path.name

    return sorted(paths, key=age)


@dataclass
class _Merge:
    """One merge's work: the notes taken, what to do with their files, the counts."""

    vault: Vault
    repository: JournalRepository
    saved_at: dt.datetime | None
    merged_at: dt.datetime
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("merged", "already_present", "damaged", "redated", "attachments",
         "attachments_not_kept"), 0))
    handled: list[Path] = field(default_factory=list)  # deleted once saved
    set_aside: list[Path] = field(default_factory=list)  # renamed once saved

    def take(self, path: Path, private_key: bytes) -> None:
        from journal_app.storage.inbox_attach import (
            ADDED,
            NOT_KEPT,
            PRESENT,
            attach_note,
            read_item,
        )
        from journal_app.storage.sealed_note import attachment_uid, note_uid, open_sealed

        try:
            data, complete = read_item(path)
            opened = open_sealed(data, private_key, complete=complete)
        except (OSError, DamagedFileError):
            self.counts["damaged"] += 1
            return
        note = InboxNote(path, opened.text, opened.captured_at, note_uid(data))
        entry = self.repository.find_entry_by_uid(note.uid)
        if entry is None:
            note, moved = _dated(note, self.saved_at, self.merged_at)
            entry = self.repository.add_entry(note_entry(note))
            self.counts["merged"] += 1
            self.counts["redated"] += moved
        else:
            self.counts["already_present"] += 1
        outcome = attach_note(self.vault, entry, opened, attachment_uid(data)) \
            if opened.carries_attachment else PRESENT
        if outcome == NOT_KEPT:
            self.counts["attachments_not_kept"] += 1
            self.set_aside.append(path)
            return
        self.counts["attachments"] += outcome == ADDED
        self.handled.append(path)

    def finish(self) -> int:
        """Delete (or set aside) the notes taken; how many files could not be."""
        from journal_app.storage.inbox_attach import set_aside

        not_removed = 0
        for path in self.handled:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                not_removed += 1
        return not_removed + sum(not set_aside(path) for path in self.set_aside)


def merge_inbox(vault: Vault, repository: JournalRepository) -> MergeReport:
    """Add waiting notes to the unlocked journal, save it, then delete what was merged.

    A failed save raises (WriteFailedError, ChangedOnDiskError...) and deletes nothing,
    so the next unlock merges again; the uid check keeps that from adding duplicates.
    A note whose claimed time can't be true is dated at the merge, the claim noted below
    its text. At most ``MAX_MERGE`` are added; the rest wait (``waiting``). A voice note
    or picture a note carries becomes an attachment of its entry (a full disk while
    writing it raises WriteFailedError, and deletes nothing).
    """
    private_key = vault.capture_private_key()
    merge = _Merge(vault, repository, journal_saved_at(vault), now().replace(microsecond=0))
    paths = _oldest_first(inbox_items(vault.path))
    looked = 0
    for path in paths:
        if merge.counts["merged"] >= MAX_MERGE:
            break
        looked += 1
        merge.take(path, private_key)
    if merge.handled or merge.set_aside:
        # Always save before deleting: entries found "already present" may exist only in
        # memory, added by an earlier merge whose save failed.
        vault.save()
    not_removed = merge.finish()
    remove_stale_temp_files(vault.path)
    return MergeReport(**merge.counts, not_removed=not_removed, waiting=len(paths) - looked)


def remove_stale_temp_files(journal_path: Path, *, max_age: float = STALE_TEMP_AGE) -> int:
    """Delete temp files a crashed capture left (ciphertext only); a fresh one may belong
    to a capture in progress, so only old ones go."""
    folder = inbox_dir(journal_path)
    removed = 0
    cutoff = time.time() - max_age
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(".")
                      and filestore.TEMP_MARK in p.name]
    except OSError:
        return 0
    for path in candidates:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                os.unlink(path)
                removed += 1
    return removed
