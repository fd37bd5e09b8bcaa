"""The sealed quick-note format: a note sealed to a journal's public key. No I/O here
(the inbox folder beside the journal, and merging, are :mod:`journal_app.storage.inbox`).

Sealed note layout::

    magic "IJINBOX\\0" (8) | version u16 | ephemeral X25519 public key (32) | nonce (12)
    | AES-256-GCM(key, nonce, plaintext, AAD = everything before the ciphertext)

* key = HKDF-SHA256(X25519(ephemeral, recipient), salt = ephemeral public || recipient
  public, info = ``_INFO``): a note sealed for another journal fails authentication.
* plaintext = JSON length u32 | JSON {"text", "captured_at"} | zero padding to a multiple
  of ``PAD_UNIT``, so the size of a note says little about its length.

Errors are typed (:class:`CorruptFileError`, :class:`TamperedFileError`,
:class:`UsageError`) and never quote the note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.domain.entities import aware, now
from journal_app.errors import CorruptFileError, TamperedFileError, UsageError
from journal_app.storage.keyslots import NONCE_LEN

__all__ = [
    "MAGIC",
    "MAX_FILE_SIZE",
    "MAX_PLAINTEXT",
    "PAD_UNIT",
    "PUBLIC_KEY_LEN",
    "TAG_LEN",
    "VERSION",
    "check_public_key",
    "check_structure",
    "note_uid",
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


def check_public_key(raw: bytes) -> X25519PublicKey:
    """The recipient key ``raw`` holds; refuses a malformed one before anything is sealed."""
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
    recipient = check_public_key(recipient_public)
    plaintext = _plaintext(text, aware(captured_at) if captured_at else now())
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _public_bytes(ephemeral)
    try:
        shared = ephemeral.exchange(recipient)
    except ValueError as exc:  # a low-order point: not a key a real journal holds
        raise CorruptFileError("The journal file's quick-capture key is malformed.") from exc
    nonce = secrets.token_bytes(NONCE_LEN)
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
