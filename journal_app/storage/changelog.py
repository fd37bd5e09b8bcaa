"""Change records: what a format 3 journal file holds after its base (docs/file-format.md).

A save that changed a few rows appends one record of those rows instead of writing the
whole image again; a compaction (a whole new image, as every save was before) starts
over with no records. On disk each record is one frame::

    length u32 | length ^ 0xFFFFFFFF u32 | nonce (12) | AES-256-GCM ciphertext + tag (16)

``length`` counts nonce, ciphertext and tag; a frame is always a multiple of
``RECORD_UNIT`` bytes (the plaintext is zero-padded), so its size tells the rows'
size only to 4 KiB. The plaintext is ``generation u64 | saved_at f64 | payload length u32
| payload | zero padding``; the payload is :mod:`capture`'s.

The key is HKDF of the data key with the base's per-save salt (a header-only passphrase
change keeps both, so records stay valid under the new header). The associated data binds
each record to its base (the base body's tag, which authenticates the whole image), to its
place (sequence number) and to the record before it (its tag): a record reordered,
dropped, duplicated or spliced in from another file fails authentication, and every
record's generation must be the one before it plus one.

A crash while appending leaves a *torn* last record: a frame shorter than it says, bytes
that are all zero, or a whole last frame that fails authentication. The journal then
opens at the record before it and says so (:class:`UnfinishedSave`). A frame that fails
authentication with more bytes after it is tampering; a frame head whose two length
copies disagree, or that no save writes, is damage. Everything is authenticated before
any of it is used.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BufferedIOBase

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.errors import CorruptFileError, JournalError, TamperedFileError
from journal_app.storage import fileformat as ff

__all__ = [
    "FRAME_HEAD", "MAX_RECORD_LEN", "RECORD_HEAD", "RECORD_UNIT", "Log", "Record",
    "UnfinishedSave", "append_frame", "read_log", "seal_record",
]

RECORD_UNIT = 4096
FRAME_HEAD = struct.Struct(">II")  # length, length ^ 0xFFFFFFFF
RECORD_HEAD = struct.Struct(">QdI")  # generation, saved_at, payload length
#: No save appends a record larger than this (it writes a whole image instead), so no
#: open reads a larger one.
MAX_RECORD_LEN = 32 << 20
_OVERHEAD = FRAME_HEAD.size + ff.NONCE_LEN + ff.TAG_LEN
_INFO = b"integration-journal change log v3"
_AAD = b"IJOURNAL record v3"
_MASK = 0xFFFFFFFF


def record_key(data_key: bytes, base_salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=ff.KEY_LEN, salt=base_salt,
                info=_INFO).derive(data_key)


def _aad(base_tag: bytes, seq: int, prev_tag: bytes, frame_head: bytes) -> bytes:
    return _AAD + base_tag + struct.pack(">Q", seq) + prev_tag + frame_head


def frame_len(payload_len: int) -> int:
    """The bytes a record of ``payload_len`` takes on disk: a multiple of RECORD_UNIT."""
    need = _OVERHEAD + RECORD_HEAD.size + payload_len
    return -(-need // RECORD_UNIT) * RECORD_UNIT


@dataclass(frozen=True)
class Record:
    seq: int
    generation: int
    saved_at: float
    payload: bytes
    tag: bytes


@dataclass(frozen=True)
class UnfinishedSave:
    """The last save did not finish (the app or the computer stopped while it appended):
    the journal opened as it was at the save before. The next save writes a whole new
    file, so the unfinished bytes go."""

    opened_generation: int
    #: How many bytes at the file's end were not used.
    ignored_bytes: int


@dataclass
class Log:
    """The records after a base, as read (or as written by this vault since)."""

    key: bytes
    base_tag: bytes
    base_generation: int
    start: int  # where the first record begins (the base's end)
    end: int  # where the next record goes: the end of the last good one
    records: list[Record] = field(default_factory=list)
    count: int = 0
    last_tag: bytes = b""
    generation: int = 0
    saved_at: float | None = None
    unfinished: UnfinishedSave | None = None

    def __post_init__(self) -> None:
        if not self.last_tag:
            self.last_tag = self.base_tag
        if not self.generation:
            self.generation = self.base_generation

    @property
    def size(self) -> int:
        """Bytes of records after the base."""
        return self.end - self.start


def new_log(data_key: bytes, parsed: ff.ParsedFile, base_tag: bytes, generation: int) -> Log:
    end = parsed.body_end
    return Log(record_key(data_key, parsed.salt), base_tag, generation, end, end)


def seal_record(log: Log, payload: bytes, generation: int, saved_at: float) -> bytes:
    """The frame of the next record of ``log`` (not yet appended)."""
    total = frame_len(len(payload))
    if total > MAX_RECORD_LEN:
        raise JournalError("A change record is larger than this app writes.")
    length = total - FRAME_HEAD.size
    head = FRAME_HEAD.pack(length, length ^ _MASK)
    plain_len = length - ff.NONCE_LEN - ff.TAG_LEN
    plain = RECORD_HEAD.pack(generation, saved_at, len(payload)) + payload
    plain += bytes(plain_len - len(plain))
    nonce = os.urandom(ff.NONCE_LEN)
    sealed = AESGCM(log.key).encrypt(nonce, plain,
                                     _aad(log.base_tag, log.count, log.last_tag, head))
    return head + nonce + sealed


def opened_record(log: Log, frame: bytes | memoryview) -> Record:
    """Authenticate and decode ``frame`` as the next record of ``log``: raises InvalidTag
    if it isn't one, TamperedFileError if it is malformed (never written so)."""
    head = bytes(frame[: FRAME_HEAD.size])
    nonce = bytes(frame[FRAME_HEAD.size : FRAME_HEAD.size + ff.NONCE_LEN])
    sealed = frame[FRAME_HEAD.size + ff.NONCE_LEN :]
    plain = AESGCM(log.key).decrypt(nonce, sealed,
                                    _aad(log.base_tag, log.count, log.last_tag, head))
    generation, saved_at, payload_len = RECORD_HEAD.unpack_from(plain)
    if generation != log.generation + 1 or payload_len > len(plain) - RECORD_HEAD.size:
        raise _tampered()
    payload = plain[RECORD_HEAD.size : RECORD_HEAD.size + payload_len]
    return Record(log.count, generation, saved_at, payload, bytes(sealed[-ff.TAG_LEN :]))


def add(log: Log, record: Record, frame_size: int) -> None:
    log.count += 1
    log.last_tag, log.generation, log.saved_at = record.tag, record.generation, record.saved_at
    log.end += frame_size


def _tampered() -> TamperedFileError:
    return TamperedFileError(
        "The journal file fails its integrity check: a saved change in it was altered, "
        "removed or moved. It was damaged or tampered with.")


def _damaged() -> CorruptFileError:
    return CorruptFileError(
        "The journal file is damaged: the data after its last save is not in the form "
        "this app writes (unexpected data appended, or a damaged change record).")


def read_log(f: BufferedIOBase, log: Log, file_len: int, *, keep: bool = True) -> Log:
    """Read and authenticate every record after the base (``log`` as :func:`new_log` made
    it), keeping their payloads if ``keep``. A torn last record is left out and noted in
    ``log.unfinished``; typed errors for anything else."""
    while log.end < file_len:
        left = file_len - log.end
        f.seek(log.end)
        head = f.read(min(left, FRAME_HEAD.size))
        if len(head) < FRAME_HEAD.size or _all_zero(f, head, left):
            return _torn(log, left)
        length, check = FRAME_HEAD.unpack(head)
        if (check != length ^ _MASK or (length + FRAME_HEAD.size) % RECORD_UNIT
                or length + FRAME_HEAD.size > MAX_RECORD_LEN):
            raise _damaged()
        if length > left - FRAME_HEAD.size:
            return _torn(log, left)  # shorter than it says: the append was cut off
        frame = head + f.read(length)
        if len(frame) != FRAME_HEAD.size + length:
            raise CorruptFileError("The journal file is truncated.")
        try:
            record = opened_record(log, frame)
        except InvalidTag:
            if len(frame) == left:  # the last frame: an append that never completed
                return _torn(log, left)
            raise _tampered() from None
        except struct.error as exc:
            raise _tampered() from exc
        if keep:
            log.records.append(record)
        add(log, record, len(frame))
    return log


def _all_zero(f: BufferedIOBase, head: bytes, left: int) -> bool:
    """The rest of the file is zeros (a file system that grew the file but never wrote
    the data, after a crash). Reads the rest only if it starts with zeros."""
    if any(head):
        return False
    rest = left - len(head)
    while rest > 0:
        piece = f.read(min(rest, 1 << 16))
        if not piece or any(piece):
            return False
        rest -= len(piece)
    return True


def _torn(log: Log, left: int) -> Log:
    log.unfinished = UnfinishedSave(log.generation, left)
    return log


Writer = Callable[[int, memoryview], int]


class AppendFailed(Exception):
    """An append did not land; ``left_tail`` if its bytes could not be taken back."""

    def __init__(self, cause: BaseException, left_tail: bool) -> None:
        super().__init__(type(cause).__name__)
        self.cause = cause
        self.left_tail = left_tail


def append_frame(path: str | os.PathLike[str], at: int, frame: bytes,
                 check: Callable[[bytes], None], writer: Writer) -> None:
    """Write ``frame`` at offset ``at`` (the file's end), sync it, read it back and let
    ``check`` verify the bytes read. On any failure the file is cut back to ``at`` (and
    synced) and AppendFailed raised, its ``left_tail`` set if even that failed."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise AppendFailed(exc, left_tail=False) from exc
    try:
        before = os.fstat(fd)
        try:
            if before.st_size != at:
                os.ftruncate(fd, at)
            os.lseek(fd, at, os.SEEK_SET)
            view = memoryview(frame)
            while view:
                view = view[writer(fd, view):]
            os.fsync(fd)
            os.lseek(fd, at, os.SEEK_SET)
            back = b""
            while len(back) < len(frame):
                piece = os.read(fd, len(frame) - len(back))
                if not piece:
                    break
                back += piece
            if os.fstat(fd).st_size != at + len(frame):
                raise _not_read_back()
            check(back)
        except (OSError, JournalError) as exc:
            try:
                os.ftruncate(fd, at)
            except OSError:
                raise AppendFailed(exc, left_tail=True) from exc
            # A failed sync of the cut leaves at worst a torn record after a crash, which
            # opens at this save's predecessor. Byte for byte as it was; its times too,
            # so nothing (a sync tool, a backup program) takes the file for changed.
            with contextlib.suppress(OSError):
                os.fsync(fd)
            with contextlib.suppress(OSError):
                os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
            raise AppendFailed(exc, left_tail=False) from exc
    finally:
        os.close(fd)


def _not_read_back() -> TamperedFileError:
    return TamperedFileError("The saved change did not read back correctly.")


def check_appended(log: Log, frame: bytes, payload: bytes) -> Callable[[bytes], None]:
    """A read-back check: the bytes are ``frame``, and it opens as the next record of
    ``log`` with ``payload``."""
    def check(back: bytes) -> None:
        if back != frame:
            raise _not_read_back()
        try:
            record = opened_record(log, back)
        except (InvalidTag, struct.error, TamperedFileError) as exc:
            raise _not_read_back() from exc
        if record.payload != payload:
            raise _not_read_back()
    return check
