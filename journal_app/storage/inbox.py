"""Quick capture while locked: notes sealed to the journal's public key, merged at unlock.

Right after a session people can't type a long passphrase. A quick note is sealed to the
X25519 ``capture_public`` key in the journal's header, so writing it needs no passphrase
and no lock on the journal (the app may sit on its lock screen holding it); only the
journal's owner, once unlocked, can read it. Notes wait in ``<journal name>.inbox/`` beside
the journal and are merged into it at the next unlock.

Sealed note layout::

    magic "IJINBOX\\0" (8) | version u16 | ephemeral X25519 public key (32) | nonce (12)
    | AES-256-GCM(key, nonce, plaintext, AAD = everything before the ciphertext)

* key = HKDF-SHA256(X25519(ephemeral, recipient), salt = ephemeral public || recipient
  public, info = ``_INFO``): a note sealed for another journal fails authentication.
* plaintext = JSON length u32 | JSON {"text", "captured_at"} | zero padding to a multiple
  of ``PAD_UNIT``, so the size of a note says little about its length.
* File names are random; nothing about the time or the content shows in them.

What a note claims is not trusted: anyone who can use the computer can write one. Its
claimed time is kept only between the journal's last save and the merge (a note can't
have been written while locked before the journal was last saved, nor after now);
otherwise the entry is dated at the merge and the claimed time is noted in a line below
the person's text, which is kept as it is. One unlock merges at most ``MAX_MERGE`` notes,
oldest file first; the rest wait for the next unlock (``MergeReport.waiting``).

Merging is crash-safe: entries are added, the journal is saved, and only then are the
merged inbox files deleted. Each entry's uid is derived from the sealed file's bytes, so a
note merged again after a crash (or copied by a sync tool) is never added twice. A note
that can't be read is reported and left on disk, never deleted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import math
import os
import secrets
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.domain import bounds
from journal_app.domain.entities import Entry, EntryKind, aware, now
from journal_app.errors import (
    CorruptFileError,
    DamagedFileError,
    JournalError,
    TamperedFileError,
    UsageError,
    WriteFailedError,
)
from journal_app.storage import fileformat as ff
from journal_app.storage import filestore
from journal_app.storage.journalfile import read_head
from journal_app.storage.vault import Vault

if TYPE_CHECKING:
    from journal_app.storage.repository import JournalRepository

MAGIC = b"IJINBOX\x00"
VERSION = 1
_PREFIX = struct.Struct(">8sH32s12s")  # magic, version, ephemeral public key, nonce
_LEN = struct.Struct(">I")
PUBLIC_KEY_LEN = 32
TAG_LEN = 16
PAD_UNIT = 4 * 1024
MAX_PLAINTEXT = 1024 * 1024  # a quick note is short; this bounds what a reader allocates
MAX_FILE_SIZE = _PREFIX.size + MAX_PLAINTEXT + TAG_LEN
NOTE_SUFFIX = ".note"
QUICK_CAPTURE_TAG = "quick capture"
STALE_TEMP_AGE = 24 * 3600  # a capture's temp file older than this was left by a crash
#: Notes merged at one unlock: a flood of notes can't turn one unlock into minutes of
#: work and thousands of entries; the rest wait for the next unlock.
MAX_MERGE = 200
#: The line added below a note whose claimed time wasn't kept (English, stored text).
CLAIM_NOTE = "Written while locked; the note said {when}."
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

_INFO = b"integration-journal quick capture v1"
_UID_LABEL = b"integration-journal quick capture uid v1\x00"


@dataclass(frozen=True)
class InboxNote:
    path: Path
    text: str = field(repr=False)  # note text stays out of reprs, logs and tracebacks
    captured_at: dt.datetime
    uid: str


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


# --------------------------------------------------------------------------- paths & keys


def inbox_dir(journal_path: Path) -> Path:
    journal_path = Path(journal_path)
    return journal_path.with_name(journal_path.name + ".inbox")


def read_public_key(journal_path: Path) -> bytes:
    """The journal's capture public key, from its header alone: no passphrase needed."""
    public = read_head(Path(journal_path)).header.capture_public_key
    _public_key(public)  # refuse a malformed key before anything is sealed to it
    return public


def _public_key(raw: bytes) -> X25519PublicKey:
    if len(raw) != PUBLIC_KEY_LEN:
        raise CorruptFileError("The journal file's quick-capture key is malformed.")
    return X25519PublicKey.from_public_bytes(raw)


def _public_bytes(key: X25519PrivateKey | X25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return public.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)


def _note_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
                info=_INFO).derive(shared)


def note_uid(data: bytes) -> str:
    """A stable entry uid for one sealed note (its bytes are unique: fresh keys and nonce)."""
    return hashlib.sha256(_UID_LABEL + data).hexdigest()[:32]


# --------------------------------------------------------------------------- sealing


def _plaintext(text: str, captured_at: dt.datetime) -> bytes:
    if not text.strip():
        raise UsageError("A quick note can't be empty.")
    try:
        doc = json.dumps({"text": text, "captured_at": captured_at.isoformat(timespec="seconds")},
                         ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # from None: the codec error would quote the note
        raise UsageError("The quick note contains characters that can't be stored.") from None
    used = _LEN.size + len(doc)
    if used > MAX_PLAINTEXT:
        raise UsageError("This quick note is too long; write it in the journal once unlocked.")
    padded = bytearray(-(-used // PAD_UNIT) * PAD_UNIT)
    _LEN.pack_into(padded, 0, len(doc))
    padded[_LEN.size : used] = doc
    return bytes(padded)


def seal(recipient_public: bytes, text: str, captured_at: dt.datetime | None = None) -> bytes:
    """The sealed bytes of one note for the holder of ``recipient_public``. No I/O."""
    recipient = _public_key(recipient_public)
    plaintext = _plaintext(text, aware(captured_at) if captured_at else now())
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _public_bytes(ephemeral)
    try:
        shared = ephemeral.exchange(recipient)
    except ValueError as exc:  # a low-order point: not a key a real journal holds
        raise CorruptFileError("The journal file's quick-capture key is malformed.") from exc
    nonce = secrets.token_bytes(ff.NONCE_LEN)
    prefix = _PREFIX.pack(MAGIC, VERSION, ephemeral_public, nonce)
    key = _note_key(shared, ephemeral_public, recipient_public)
    return prefix + AESGCM(key).encrypt(nonce, plaintext, prefix)


def check_structure(data: bytes) -> None:
    """Raise CorruptFileError unless ``data`` is shaped like a sealed note. No keys needed."""
    if len(data) < _PREFIX.size or not data.startswith(MAGIC):
        raise CorruptFileError("This inbox item is not a sealed quick note.")
    _magic, version, _eph, _nonce = _PREFIX.unpack_from(data)
    if version != VERSION:
        raise CorruptFileError("This inbox item uses an unknown format version.")
    body = len(data) - _PREFIX.size - TAG_LEN
    if body < PAD_UNIT or body % PAD_UNIT or len(data) > MAX_FILE_SIZE:
        raise CorruptFileError("This inbox item is truncated or damaged.")


def _write_failed(exc: WriteFailedError | OSError) -> WriteFailedError:
    cause = exc if isinstance(exc, OSError) else exc.__cause__
    reason = f" {filestore._describe(cause)}" if isinstance(cause, OSError) else ""
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
    journal_path = Path(journal_path)
    data = seal(read_public_key(journal_path), text, captured_at)
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


# --------------------------------------------------------------------------- reading


def unseal(data: bytes, private_key: bytes) -> tuple[str, dt.datetime]:
    """The text and capture time of one sealed note. Only typed errors, never note text."""
    check_structure(data)
    _magic, _version, ephemeral_public, nonce = _PREFIX.unpack_from(data)
    recipient = X25519PrivateKey.from_private_bytes(private_key)
    try:
        shared = recipient.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _note_key(shared, ephemeral_public, _public_bytes(recipient))
        plain = AESGCM(key).decrypt(nonce, data[_PREFIX.size :], data[: _PREFIX.size])
    except (InvalidTag, ValueError) as exc:
        raise TamperedFileError(
            "This quick note can't be read: it is damaged or was sealed for another journal."
        ) from exc
    return _parse_plaintext(plain)


def _parse_plaintext(plain: bytes) -> tuple[str, dt.datetime]:
    """Decode the padded JSON. Errors are raised ``from None``: the underlying exceptions
    would quote pieces of the note."""
    bad = TamperedFileError("This quick note's contents are malformed.")
    (length,) = _LEN.unpack_from(plain)
    if length > len(plain) - _LEN.size:
        raise bad
    try:
        doc = json.loads(plain[_LEN.size : _LEN.size + length].decode("utf-8"))
        text, stamp = doc["text"], doc["captured_at"]
        if not isinstance(text, str) or not isinstance(stamp, str):
            raise bad
        text.encode("utf-8")  # lone surrogates can't be stored in the journal
        captured_at = dt.datetime.fromisoformat(stamp)
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        raise bad from None
    if captured_at.tzinfo is None:
        raise bad
    return text, captured_at


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


def _read_item(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_SIZE:
        raise CorruptFileError("This inbox item is too large to be a quick note.")
    return path.read_bytes()


def open_inbox(journal_path: Path, private_key: bytes) -> InboxResult:
    """Read every waiting note with the journal's capture private key (vault unlocked).

    An item that can't be read goes to ``damaged`` and stays on disk."""
    notes: list[InboxNote] = []
    damaged: list[Path] = []
    for path in inbox_items(journal_path):
        try:
            data = _read_item(path)
            text, captured_at = unseal(data, private_key)
        except (OSError, DamagedFileError):
            damaged.append(path)
            continue
        notes.append(InboxNote(path, text, captured_at, note_uid(data)))
    notes.sort(key=lambda n: (n.captured_at, n.path.name))
    return InboxResult(notes, damaged)


# --------------------------------------------------------------------------- merging


def note_entry(note: InboxNote) -> Entry:
    return Entry(kind=EntryKind.QUICK_CAPTURE, title="", body=note.text,
                 tags=(QUICK_CAPTURE_TAG,), created_at=note.captured_at,
                 updated_at=note.captured_at, uid=note.uid)


def journal_saved_at(vault: Vault) -> dt.datetime | None:
    """When the opened journal was last saved, to the second (rounded down): the time its
    body carries (``vault.saved_at``, kept up to date by each save), else the file's
    modification time; None when none can be told."""
    try:
        stamp = vault.saved_at if vault.saved_at is not None else vault.path.stat().st_mtime
        return dt.datetime.fromtimestamp(math.floor(stamp), dt.UTC)
    except (OSError, ValueError, OverflowError):
        return None


def _claimed_text(claimed: dt.datetime) -> str:
    """E.g. "3 March 2019, 21:04", in local time where that can be worked out."""
    with contextlib.suppress(OverflowError, ValueError, OSError):
        claimed = claimed.astimezone()  # at the edge of datetime: the note's own offset
    return f"{claimed.day} {_MONTHS[claimed.month - 1]} {claimed.year}, {claimed:%H:%M}"


def claim_kept(claimed: dt.datetime, saved_at: dt.datetime | None,
               merged_at: dt.datetime) -> bool:
    """Whether a note's claimed time can be true: within the journal's dates
    (domain/bounds.py), not before the journal's last save, not after the merge."""
    try:
        bounds.check_date(claimed)
        return (saved_at is None or claimed >= saved_at) and claimed <= merged_at
    except (bounds.OutOfBoundsError, OverflowError):
        return False


def _dated(note: InboxNote, saved_at: dt.datetime | None,
           merged_at: dt.datetime) -> tuple[InboxNote, bool]:
    """``note``, or the same note dated ``merged_at`` with its claimed time noted in a
    line below its text (kept unchanged), and whether it was re-dated."""
    if claim_kept(note.captured_at, saved_at, merged_at):
        return note, False
    line = CLAIM_NOTE.format(when=_claimed_text(note.captured_at))
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


def merge_inbox(vault: Vault, repository: JournalRepository) -> MergeReport:
    """Add waiting notes to the unlocked journal, save it, then delete what was merged.

    A failed save raises (WriteFailedError, ChangedOnDiskError...) and deletes nothing,
    so the next unlock merges again; the uid check keeps that from adding duplicates.
    A note whose claimed time can't be true is dated at the merge, the claim noted below
    its text. At most ``MAX_MERGE`` are added; the rest wait (``waiting``).
    """
    private_key = vault.capture_private_key()
    saved_at = journal_saved_at(vault)
    merged_at = now().replace(microsecond=0)
    paths = _oldest_first(inbox_items(vault.path))
    handled: list[Path] = []
    merged = already = damaged = redated = looked = 0
    for path in paths:
        if merged >= MAX_MERGE:
            break
        looked += 1
        try:
            data = _read_item(path)
            text, captured_at = unseal(data, private_key)
        except (OSError, DamagedFileError):
            damaged += 1
            continue
        handled.append(path)
        note = InboxNote(path, text, captured_at, note_uid(data))
        if repository.find_entry_by_uid(note.uid) is not None:
            already += 1
            continue
        note, moved = _dated(note, saved_at, merged_at)
        repository.add_entry(note_entry(note))
        merged += 1
        redated += moved
    if handled:
        # Always save before deleting: entries found "already present" may exist only in
        # memory, added by an earlier merge whose save failed.
        vault.save()
    not_removed = 0
    for path in handled:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            not_removed += 1
    remove_stale_temp_files(vault.path)
    return MergeReport(merged, already, damaged, not_removed, waiting=len(paths) - looked,
                       redated=redated)


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
