"""The sealed quick-note format: a note sealed to a journal's public key. No I/O here
(the inbox folder beside the journal, and merging, are :mod:`journal_app.storage.inbox`).

Sealed note layout::

    magic "IJINBOX\\0" (8) | version u16 | ephemeral X25519 public key (32) | nonce (12)
    | AES-256-GCM(key, nonce, plaintext, AAD = everything before the ciphertext)

* key = HKDF-SHA256(X25519(ephemeral, recipient), salt = ephemeral public || recipient
  public, info = ``_INFO``): a note sealed for another journal fails authentication.
* plaintext = JSON length u32 | JSON {"text", "captured_at"} | zero padding to a multiple
  of ``PAD_UNIT``, so the size of a note says little about its length.

A note that carries a voice note or a picture is version 2 (text-only notes stay version
1, byte for byte)::

    magic (8) | version u16 = 2 | ephemeral public key (32) | nonce (12)
    | text part length u32 | attachment nonce (12)
    | text part: AES-256-GCM(key, nonce, the version 1 plaintext, AAD = the 70 bytes above)
    | attachment part: AES-256-GCM(attachment key, attachment nonce, JSON length u32 |
      JSON {"kind", "size"} | the attachment's bytes | zero padding to a multiple of
      ``ATTACHMENT_PAD``, AAD = the 70 bytes above)

* attachment key = HKDF-SHA256 as the key, with info ``_ATTACHMENT_INFO``.
* The parts are authenticated apart, so a damaged or oversized attachment part still
  leaves the text readable (:func:`open_sealed` says what went wrong with it). The text
  may be empty when an attachment is carried (a voice note instead of words).

Errors are typed (:class:`CorruptFileError`, :class:`TamperedFileError`,
:class:`UsageError`) and never quote the note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.domain.attachments import MAX_ATTACHMENT_BYTES, AttachmentKind
from journal_app.domain.entities import aware, now
from journal_app.errors import CorruptFileError, TamperedFileError, UsageError
from journal_app.storage.keyslots import NONCE_LEN

__all__ = [
    "ATTACHMENT_PAD",
    "MAGIC",
    "MAX_FILE_SIZE",
    "MAX_NOTE_FILE",
    "MAX_PLAINTEXT",
    "MAX_TEXT_PART_END",
    "PAD_UNIT",
    "PUBLIC_KEY_LEN",
    "TAG_LEN",
    "VERSION",
    "OpenedNote",
    "SealedAttachment",
    "attachment_uid",
    "check_public_key",
    "check_structure",
    "note_uid",
    "open_sealed",
    "seal",
    "unseal",
]

MAGIC = b"IJINBOX\x00"
VERSION = 1
_PREFIX = struct.Struct(">8sH32s12s")  # magic, version, ephemeral public key, nonce
_LEN = struct.Struct(">I")
PUBLIC_KEY_LEN = 32
TAG_LEN = 16
PAD_UNIT = 4 * 1024
MAX_PLAINTEXT = 1024 * 1024  # a quick note is short; this bounds what a reader allocates
MAX_FILE_SIZE = _PREFIX.size + MAX_PLAINTEXT + TAG_LEN

_INFO = b"integration-journal quick capture v1"
_UID_LABEL = b"integration-journal quick capture uid v1\x00"

VERSION_WITH_ATTACHMENT = 2
_PREFIX2 = struct.Struct(">8sH32s12sI12s")  # ... nonce, text part length, attachment nonce
ATTACHMENT_PAD = 64 * 1024
_ATTACHMENT_HEAD_MAX = 256  # the attachment part's JSON header
MAX_ATTACHMENT_PART = (-(-(_LEN.size + _ATTACHMENT_HEAD_MAX + MAX_ATTACHMENT_BYTES)
                         // ATTACHMENT_PAD) * ATTACHMENT_PAD + TAG_LEN)
#: The largest note file read whole; a larger one is read up to its text part only
#: (at most ``MAX_TEXT_PART_END`` bytes).
MAX_TEXT_PART_END = _PREFIX2.size + MAX_PLAINTEXT + TAG_LEN
MAX_NOTE_FILE = MAX_TEXT_PART_END + MAX_ATTACHMENT_PART
_ATTACHMENT_INFO = b"integration-journal quick capture attachment v2"
_ATTACHMENT_UID_LABEL = b"integration-journal quick capture attachment uid v2\x00"


def check_public_key(raw: bytes) -> X25519PublicKey:
    """The recipient key ``raw`` holds; refuses a malformed one before anything is sealed."""
    if len(raw) != PUBLIC_KEY_LEN:
        raise CorruptFileError("The journal file's quick-capture key is malformed.")
    return X25519PublicKey.from_public_bytes(raw)


def _public_bytes(key: X25519PrivateKey | X25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return public.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)


def _note_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes,
              info: bytes = _INFO) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
                info=info).derive(shared)


def note_uid(data: bytes) -> str:
    """A stable entry uid for one sealed note (its bytes are unique: fresh keys and nonce)."""
    return hashlib.sha256(_UID_LABEL + data).hexdigest()[:32]


def attachment_uid(data: bytes) -> str:
    """A stable uid for the attachment a sealed note carries (32 hex digits, like every
    attachment uid): merged again after a crash, it is the same attachment."""
    return hashlib.sha256(_ATTACHMENT_UID_LABEL + data).hexdigest()[:32]


@dataclass(frozen=True)
class SealedAttachment:
    kind: AttachmentKind
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class OpenedNote:
    """A note's text and time, and its attachment if it carries one. ``problem`` says
    why a carried attachment can't be used ("damaged" or "too large"); the text still
    is."""

    text: str = field(repr=False)
    captured_at: dt.datetime
    attachment: SealedAttachment | None = None
    problem: str | None = None

    @property
    def carries_attachment(self) -> bool:
        return self.attachment is not None or self.problem is not None


def _plaintext(text: str, captured_at: dt.datetime, *, may_be_empty: bool = False) -> bytes:
    if not text.strip() and not may_be_empty:
        raise UsageError("A quick note can't be empty.")
    try:
        doc = json.dumps({"text": text, "captured_at": captured_at.isoformat(timespec="seconds")},
                         ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # from None: the codec error would quote the note
        raise UsageError("The quick note contains characters that can't be stored.") from None
    used = _LEN.size + len(doc)
    if used > MAX_PLAINTEXT:
        raise UsageError("This quick note is too long; write it in the journal once unlocked.")
    return _padded(doc, PAD_UNIT)


def _padded(doc: bytes, unit: int, tail: bytes = b"") -> bytes:
    used = _LEN.size + len(doc) + len(tail)
    padded = bytearray(-(-used // unit) * unit)
    _LEN.pack_into(padded, 0, len(doc))
    padded[_LEN.size : _LEN.size + len(doc)] = doc
    padded[_LEN.size + len(doc) : used] = tail
    return bytes(padded)


def _exchange(recipient_public: bytes) -> tuple[bytes, bytes]:
    """A fresh ephemeral key's public half and its shared secret with the recipient."""
    recipient = check_public_key(recipient_public)
    ephemeral = X25519PrivateKey.generate()
    try:
        shared = ephemeral.exchange(recipient)
    except ValueError as exc:  # a low-order point: not a key a real journal holds
        raise CorruptFileError("The journal file's quick-capture key is malformed.") from exc
    return _public_bytes(ephemeral), shared


def seal(recipient_public: bytes, text: str, captured_at: dt.datetime | None = None,
         attachment: SealedAttachment | None = None) -> bytes:
    """The sealed bytes of one note for the holder of ``recipient_public``. No I/O.
    With ``attachment`` (checked by the caller) the note is version 2."""
    check_public_key(recipient_public)
    plaintext = _plaintext(text, aware(captured_at) if captured_at else now(),
                           may_be_empty=attachment is not None)
    ephemeral_public, shared = _exchange(recipient_public)
    key = _note_key(shared, ephemeral_public, recipient_public)
    nonce = secrets.token_bytes(NONCE_LEN)
    if attachment is None:
        prefix = _PREFIX.pack(MAGIC, VERSION, ephemeral_public, nonce)
        return prefix + AESGCM(key).encrypt(nonce, plaintext, prefix)
    if len(attachment.data) > MAX_ATTACHMENT_BYTES:
        raise UsageError("The attachment is too large for a quick note.")
    attachment_nonce = secrets.token_bytes(NONCE_LEN)
    prefix = _PREFIX2.pack(MAGIC, VERSION_WITH_ATTACHMENT, ephemeral_public, nonce,
                           len(plaintext) + TAG_LEN, attachment_nonce)
    head = json.dumps({"kind": attachment.kind.value, "size": len(attachment.data)}).encode()
    part = _padded(head, ATTACHMENT_PAD, attachment.data)
    attachment_key = _note_key(shared, ephemeral_public, recipient_public, _ATTACHMENT_INFO)
    return (prefix + AESGCM(key).encrypt(nonce, plaintext, prefix)
            + AESGCM(attachment_key).encrypt(attachment_nonce, part, prefix))


def _check_text_part(length: int) -> None:
    body = length - TAG_LEN
    if body < PAD_UNIT or body % PAD_UNIT or length > MAX_PLAINTEXT + TAG_LEN:
        raise CorruptFileError("This inbox item is truncated or damaged.")


def _attachment_part_ok(length: int) -> bool:
    body = length - TAG_LEN
    return body >= ATTACHMENT_PAD and not body % ATTACHMENT_PAD \
        and length <= MAX_ATTACHMENT_PART


def check_structure(data: bytes) -> None:
    """Raise CorruptFileError unless ``data`` is shaped like a sealed note. No keys needed."""
    if len(data) < _PREFIX.size or not data.startswith(MAGIC):
        raise CorruptFileError("This inbox item is not a sealed quick note.")
    _magic, version, _eph, _nonce = _PREFIX.unpack_from(data)
    if version == VERSION_WITH_ATTACHMENT:
        text_end = _text_end(data)
        if not _attachment_part_ok(len(data) - text_end):
            raise CorruptFileError("This inbox item is truncated or damaged.")
        return
    if version != VERSION:
        raise CorruptFileError("This inbox item uses an unknown format version.")
    body = len(data) - _PREFIX.size - TAG_LEN
    if body < PAD_UNIT or body % PAD_UNIT or len(data) > MAX_FILE_SIZE:
        raise CorruptFileError("This inbox item is truncated or damaged.")


def _text_end(data: bytes) -> int:
    """Where a version 2 note's text part ends (its structure checked up to there)."""
    if len(data) < _PREFIX2.size:
        raise CorruptFileError("This inbox item is truncated or damaged.")
    text_len: int = _PREFIX2.unpack_from(data)[4]
    _check_text_part(text_len)
    if len(data) < _PREFIX2.size + text_len:
        raise CorruptFileError("This inbox item is truncated or damaged.")
    return _PREFIX2.size + text_len


def _open_text(data: bytes, prefix: bytes, ephemeral_public: bytes, nonce: bytes,
               end: int, private_key: bytes) -> tuple[tuple[str, dt.datetime], bytes]:
    """The text part decrypted, and the shared secret (for the attachment part)."""
    recipient = X25519PrivateKey.from_private_bytes(private_key)
    try:
        shared = recipient.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _note_key(shared, ephemeral_public, _public_bytes(recipient))
        plain = AESGCM(key).decrypt(nonce, data[len(prefix) : end], prefix)
    except (InvalidTag, ValueError) as exc:
        raise TamperedFileError(
            "This quick note can't be read: it is damaged or was sealed for another journal."
        ) from exc
    return _parse_plaintext(plain), shared


def unseal(data: bytes, private_key: bytes) -> tuple[str, dt.datetime]:
    """The text and capture time of one sealed note. Only typed errors, never note text."""
    opened = open_sealed(data, private_key)
    return opened.text, opened.captured_at


def open_sealed(data: bytes, private_key: bytes, *, complete: bool = True) -> OpenedNote:
    """A sealed note opened: its text, time and (version 2) attachment. ``complete``
    False says ``data`` is only the start of a file too large to read whole: its text
    still opens, its attachment is "too large". Only typed errors, never note text."""
    if data.startswith(MAGIC) and data[8:10] == VERSION_WITH_ATTACHMENT.to_bytes(2, "big"):
        return _open_v2(data, private_key, complete)
    if not complete:
        raise CorruptFileError("This inbox item is too large to be a quick note.")
    check_structure(data)
    _magic, _version, ephemeral_public, nonce = _PREFIX.unpack_from(data)
    (text, captured_at), _shared = _open_text(data, data[: _PREFIX.size], ephemeral_public,
                                              nonce, len(data), private_key)
    return OpenedNote(text, captured_at)


def _open_v2(data: bytes, private_key: bytes, complete: bool) -> OpenedNote:
    end = _text_end(data)  # long enough for the prefix, and the text part whole
    prefix = data[: _PREFIX2.size]
    _magic, _version, ephemeral_public, nonce, _len, attachment_nonce = _PREFIX2.unpack(prefix)
    (text, captured_at), shared = _open_text(data, prefix, ephemeral_public, nonce, end,
                                             private_key)
    if not complete:
        return OpenedNote(text, captured_at, problem="too large")
    if not _attachment_part_ok(len(data) - end):
        return OpenedNote(text, captured_at, problem="damaged")
    try:
        recipient_public = _public_bytes(X25519PrivateKey.from_private_bytes(private_key))
        key = _note_key(shared, ephemeral_public, recipient_public, _ATTACHMENT_INFO)
        part = AESGCM(key).decrypt(attachment_nonce, data[end:], prefix)
        attachment = _parse_attachment(part)
    except (InvalidTag, ValueError, TamperedFileError):
        return OpenedNote(text, captured_at, problem="damaged")
    return OpenedNote(text, captured_at, attachment)


def _parse_attachment(part: bytes) -> SealedAttachment:
    bad = TamperedFileError("This quick note's attachment is malformed.")
    (length,) = _LEN.unpack_from(part)
    if length > min(_ATTACHMENT_HEAD_MAX, len(part) - _LEN.size):
        raise bad
    try:
        head = json.loads(part[_LEN.size : _LEN.size + length].decode("utf-8"))
        kind, size = AttachmentKind(head["kind"]), head["size"]
    except (ValueError, TypeError, KeyError, RecursionError):
        raise bad from None
    start = _LEN.size + length
    if not isinstance(size, int) or not 0 < size <= min(MAX_ATTACHMENT_BYTES, len(part) - start):
        raise bad
    return SealedAttachment(kind, part[start : start + size])


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
