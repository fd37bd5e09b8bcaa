"""The attachment store: one encrypted file per attachment, beside the journal.

Voice notes and pictures live outside the SQLite image, so a 20 MB recording never
makes a text save slower. They sit in ``<journal name>.attachments/`` (0700; files 0600),
one file per attachment, written once and never changed.

* Name: HMAC-SHA256 of the attachment's uid under a name key (HKDF of the data key,
  ``_NAME_INFO``), 64 hex digits: it says nothing about the attachment, its entry or its
  order, and only the journal's owner can tell which uid a file belongs to.
* Content::

      magic "IJATTACH" (8) | version u16 | nonce (12)
      | AES-256-GCM(blob key, nonce, length u64 | the attachment's bytes | zero padding,
                    AAD = magic | version | uid)

  The padding rounds the encrypted part up to a multiple of 64 KiB, as the journal's own
  body is: a file's size tells a voice note's length only to within about two seconds.

  The blob key is HKDF of a root key (itself HKDF of the data key, ``_BLOB_INFO``) with
  the uid in its info: each blob has its own key, and a blob put under another one's name
  (swapped, or copied from another journal) fails authentication.
* Written with :func:`journal_app.atomic.replace_file` (temp file beside the target,
  fully synced, read back, replaced, folder synced; nothing left behind on failure).

The store holds keys derived from the data key, never the data key itself;
:meth:`BlobStore.forget` drops them when the journal is locked. Reading and writing
touch no database, so any thread may do them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import struct
import threading
import uuid
from collections.abc import Iterable
from io import BufferedIOBase
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app import atomic
from journal_app.domain.attachments import MAX_ATTACHMENT_BYTES
from journal_app.errors import JournalError, WriteFailedError
from journal_app.storage import filestore

__all__ = [
    "MAGIC",
    "MAX_BLOB_FILE",
    "NAME_LEN",
    "PAD",
    "UID_PATTERN",
    "VERSION",
    "BlobStore",
    "BlobUnreadable",
    "blob_write_failed",
    "check_uid",
    "copy_blob",
    "derive_name_key",
    "is_blob_name",
    "new_uid",
    "padded_len",
]

MAGIC = b"IJATTACH"
VERSION = 1
_HEAD = struct.Struct(">8sH12s")  # magic, version, nonce
TAG_LEN = 16
PAD = 64 * 1024
_LENGTH = struct.Struct(">Q")


def padded_len(size: int) -> int:
    """The plaintext length a ``size``-byte attachment is sealed as (length, bytes, zeros)."""
    return -(-(_LENGTH.size + size) // PAD) * PAD


MAX_BLOB_FILE = _HEAD.size + padded_len(MAX_ATTACHMENT_BYTES) + TAG_LEN
NAME_LEN = 64
_NAME_INFO = b"integration-journal attachment names v1"
_BLOB_INFO = b"integration-journal attachment blobs v1"
_BLOB_KEY_INFO = b"integration-journal attachment blob key v1\x00"
#: A uid is 32 lowercase hex digits. Collection relies on it: a backup references a blob
#: when its decrypted image holds the uid's text (storage/blob_gc.py).
UID_PATTERN = re.compile(r"[0-9a-f]{32}")
_NAME_PATTERN = re.compile(r"[0-9a-f]{64}")
_COMPARE_CHUNK = 1 << 20


class BlobUnreadable(Exception):
    """A blob that is missing, short, or fails authentication. Never leaves storage:
    :mod:`storage.attachments` turns it into a ``DamagedAttachmentError`` naming the
    entry. ``reason`` is "missing" or "damaged"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def new_uid() -> str:
    return uuid.uuid4().hex


def check_uid(uid: str) -> str:
    if not isinstance(uid, str) or not UID_PATTERN.fullmatch(uid):
        raise ValueError("an attachment uid is 32 lowercase hex digits")
    return uid


def is_blob_name(name: str) -> bool:
    return bool(_NAME_PATTERN.fullmatch(name))


def _hkdf(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


def derive_name_key(data_key: bytes) -> bytes:
    return _hkdf(data_key, _NAME_INFO)


def _aad(uid: str) -> bytes:
    return MAGIC + VERSION.to_bytes(2, "big") + uid.encode("ascii")


def blob_write_failed(exc: OSError) -> WriteFailedError:
    """A failed attachment write, worded like the journal's (``filestore.write_failed``)."""
    return WriteFailedError(
        f"Could not keep the attachment. {filestore.failure_reason(exc)} Nothing was "
        "attached and nothing was lost: the journal is as it was."
    )


class BlobStore:
    """The encrypted attachment files of one open journal."""

    _writer = staticmethod(os.write)  # tests replace this to inject write failures

    def __init__(self, journal_path: Path, data_key: bytes) -> None:
        self.folder = filestore.attachments_dir(Path(journal_path))
        self._name_key = derive_name_key(data_key)
        self._root = _hkdf(data_key, _BLOB_INFO)
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()
        #: Blob names collection must leave alone while this journal stays open: written,
        #: removed or restored in this sitting (an undo may still need them, and a save
        #: prepared before an add doesn't know the add's blob yet).
        self._kept: set[str] = set()

    # ------------------------------------------------------------------ names and keys
    def _keys(self) -> tuple[bytes, bytes]:
        if not self._root:
            raise JournalError("The journal is locked; unlock it to read its attachments.")
        return self._name_key, self._root

    def name(self, uid: str) -> str:
        """The file name of ``uid``'s blob (a keyed hash: reveals nothing)."""
        found = self._names.get(uid)
        if found is None:
            name_key, _root = self._keys()
            found = hmac.new(name_key, check_uid(uid).encode("ascii"), hashlib.sha256).hexdigest()
            self._names[uid] = found
        return found

    def names(self, uids: frozenset[str] | set[str]) -> set[str]:
        return {self.name(uid) for uid in uids}

    def names_of(self, uids: Iterable[str]) -> set[str]:
        """File names for many possible uids (not remembered: a backup's scan)."""
        name_key, _root = self._keys()
        return {hmac.new(name_key, uid.encode("ascii"), hashlib.sha256).hexdigest()
                for uid in uids}

    def path(self, uid: str) -> Path:
        return self.folder / self.name(uid)

    def _key(self, uid: str) -> bytes:
        _name_key, root = self._keys()
        return _hkdf(root, _BLOB_KEY_INFO + uid.encode("ascii"))

    def forget(self) -> None:
        """Drop the keys (the journal is being locked): every later use raises."""
        self._name_key = self._root = b""
        self._names.clear()

    # ------------------------------------------------------------------ sitting
    def keep(self, uid: str) -> None:
        """Leave ``uid``'s blob alone for as long as this journal stays open."""
        name = self.name(uid)
        with self._lock:
            self._kept.add(name)

    def unlink_unless_kept(self, name: str) -> bool:
        """Delete one blob file unless it is kept (checked under the same lock as
        :meth:`keep`, so a restore racing collection wins). True if it went."""
        with self._lock:
            if name in self._kept:
                return False
            try:
                os.unlink(self.folder / name)
            except FileNotFoundError:
                return True
            except OSError:
                return False
            return True

    def is_kept(self, name: str) -> bool:
        with self._lock:
            return name in self._kept

    # ------------------------------------------------------------------ writing
    def write(self, uid: str, data: bytes) -> Path:
        """Encrypt ``data`` as ``uid``'s blob and put it on disk durably (atomic, synced,
        read back). Any failure raises WriteFailedError and leaves no file behind."""
        self.keep(uid)
        nonce = secrets.token_bytes(12)
        head = _HEAD.pack(MAGIC, VERSION, nonce)
        plain = bytearray(padded_len(len(data)))
        _LENGTH.pack_into(plain, 0, len(data))
        plain[_LENGTH.size:_LENGTH.size + len(data)] = data
        sealed = AESGCM(self._key(uid)).encrypt(nonce, bytes(plain), _aad(uid))
        del plain
        target = self.path(uid)
        try:
            _ensure_folder(self.folder)
            atomic.replace_file(target, (head, sealed), check=_same_bytes(head, sealed),
                                writer=self._writer, mark=filestore.TEMP_MARK)
        except OSError as exc:
            raise blob_write_failed(exc) from exc
        return target

    def copy_to(self, journal_path: Path, uids: Iterable[str]) -> int:
        """Copy these blobs into another journal's attachments folder (a copy of this
        journal has its data key, so the same names). A blob that is missing here is
        missing there too; one already there is kept. Returns how many were copied."""
        folder = filestore.attachments_dir(Path(journal_path))
        copied = 0
        try:
            for uid in sorted(uids):
                source = self.path(uid)
                target = folder / source.name
                if not source.is_file() or target.is_file():
                    continue
                _ensure_folder(folder)
                copy_blob(source, target)
                copied += 1
        except OSError as exc:
            raise WriteFailedError(
                f"Could not save the copy. {filestore.failure_reason(exc)} The journal "
                "itself was not changed.") from exc
        return copied

    # ------------------------------------------------------------------ reading
    def exists(self, uid: str) -> bool:
        return self.path(uid).is_file()

    def read(self, uid: str) -> bytes:
        """The decrypted, authenticated bytes of ``uid``'s blob, or BlobUnreadable."""
        key = self._key(uid)
        try:
            with open(self.path(uid), "rb") as f:
                raw = f.read(MAX_BLOB_FILE + 1)
        except FileNotFoundError:
            raise BlobUnreadable("missing") from None
        except OSError:
            raise BlobUnreadable("damaged") from None
        if len(raw) < _HEAD.size + TAG_LEN or len(raw) > MAX_BLOB_FILE:
            raise BlobUnreadable("damaged")
        magic, version, nonce = _HEAD.unpack_from(raw)
        if magic != MAGIC or version != VERSION:
            raise BlobUnreadable("damaged")
        try:
            plain = AESGCM(key).decrypt(nonce, memoryview(raw)[_HEAD.size:], _aad(uid))
        except (InvalidTag, ValueError):
            raise BlobUnreadable("damaged") from None
        (size,) = _LENGTH.unpack_from(plain)
        if size > len(plain) - _LENGTH.size:
            raise BlobUnreadable("damaged")
        return plain[_LENGTH.size:_LENGTH.size + size]

    def blob_files(self) -> list[os.DirEntry[str]]:
        """The blob files in the folder (names of 64 hex digits; nothing else is ours)."""
        try:
            with os.scandir(self.folder) as found:
                return [e for e in found if is_blob_name(e.name) and e.is_file()]
        except OSError:
            return []


def _ensure_folder(folder: Path) -> None:
    if folder.is_dir():
        return
    folder.mkdir(mode=0o700)  # FileExistsError (a file has its name) is an OSError
    if os.name == "posix":
        os.chmod(folder, 0o700)  # whatever the umask
    atomic.fsync_dir(folder.parent)  # the folder itself must survive a crash


def _same_bytes(*parts: bytes) -> atomic.ReadBack:
    """A read-back check: the synced temp file holds exactly ``parts``."""
    def check(written: BufferedIOBase) -> None:
        for part in parts:
            view = memoryview(part)
            for pos in range(0, len(view), _COMPARE_CHUNK):
                piece = view[pos:pos + _COMPARE_CHUNK]
                if written.read(len(piece)) != piece:
                    raise OSError(5, "the attachment did not read back correctly")
        if written.read(1):
            raise OSError(5, "the attachment did not read back correctly")
    return check


def copy_blob(source: Path, target: Path) -> None:
    """Copy one blob file durably (atomic, synced); OSError as it is."""
    with open(source, "rb") as src:
        atomic.replace_file(target, filestore.pieces(src), mark=filestore.TEMP_MARK)

