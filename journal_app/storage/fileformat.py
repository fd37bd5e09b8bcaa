"""The journal file's bytes: layout, header and body encryption. No I/O here (the body in
pieces, to and from files, is :mod:`bodystream`; key slots are :mod:`keyslots`).

Layout (all integers big-endian)::

    magic "IJOURNAL" (8) | format version u16 | header length u32 | body length u64
    | header (canonical JSON) | per-save salt (32) | nonce (12)
    | header MAC (32, format 2 and later)
    | SHA-256 of everything before this field (32)
    | AEAD body (AES-256-GCM, ``body length`` bytes)

* The unkeyed SHA-256 tells a damaged prefix ("corrupt") from a wrong passphrase.
* The header has two parts: ``meta`` (cipher, padding, the quick-capture public key and
  its wrapped private key) and ``slots`` (the data key wrapped per passphrase/recovery
  key). The body's associated data covers magic, version, ``meta``, salt and nonce but
  not ``slots``, so a passphrase change rewrites the header only and copies the body.
* Format 2 adds the header MAC: HMAC-SHA256, under a key derived from the data key, of
  everything before it (prefix, the whole header with its key slots, salt, nonce). A key
  slot removed, added or put back is refused as tampering once the data key is
  unwrapped, and a passphrase change (which knows the data key) still rewrites the
  header only. Format 1 files (no MAC) still open; every save writes format 2. The
  version is in the body's associated data, so a format 2 file can't pass as format 1.
* Every save uses a fresh body key (HKDF of the data key with a new salt) and nonce.
* The plaintext body is ``generation u64 | saved_at f64 | image length u64 | image |
  zero padding`` to a multiple of ``PAD_UNIT`` so the size says little.
* Format 3 is format 2 (the *base*: header and whole image) followed by zero or more
  change records, each the rows changed by one save, encrypted and chained to the base
  and to the record before it (:mod:`changelog`, docs/file-format.md). Only format 3
  may have bytes after its body; earlier readers refuse it as too new.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.errors import (
    CorruptFileError,
    JournalError,
    NotAJournalError,
    TamperedFileError,
    TooNewError,
    WrongSecretError,
)

# Key slots and KDF settings are part of the format; re-exported (``__all__``) so that
# ``ff.X`` names all of it.
from journal_app.storage.keyslots import (
    KDF_MAX_ITERATIONS,
    KDF_MAX_LANES,
    KDF_MAX_MEMORY_KIB,
    KDF_MAX_WORK_KIB,
    KDF_MIN_MEMORY_KIB,
    KEY_LEN,
    NONCE_LEN,
    SLOT_SALT_LEN,
    TAG_LEN,
    KdfParams,
    Slot,
    b64d,
    b64e,
    canonical_json,
    derive_passphrase_key,
    derive_recovery_key,
    kdf_cost,
    load_json,
    normalize_passphrase,
    passphrase_slot,
    recovery_slot,
    wrap_slot,
)

__all__ = [  # the format's names, and those of key slots and KDF settings (keyslots)
    "BODY_HEAD", "DIGEST_LEN", "FORMAT_VERSION", "KDF_MAX_ITERATIONS", "KDF_MAX_LANES",
    "KDF_MAX_MEMORY_KIB", "KDF_MAX_WORK_KIB", "KDF_MIN_MEMORY_KIB", "KEY_LEN", "MAC_LEN", "MAGIC",
    "MAX_BODY_LEN", "MAX_HEADER_LEN", "NONCE_LEN", "PAD_UNIT", "PEEK_LEN", "RECORDS_FROM",
    "SALT_LEN", "SLOT_KINDS", "SLOT_SALT_LEN", "SQLITE_MAGIC", "SUPPORTED_FORMATS", "TAG_LEN",
    "Body", "Header", "KdfParams", "ParsedFile", "Slot", "assemble", "b64d", "b64e", "body_aad",
    "body_from_plaintext", "canonical_json", "capture_private_key", "check_header",
    "check_savable", "check_start", "decrypt", "derive_body_key", "derive_passphrase_key",
    "derive_recovery_key", "file_head", "head_len", "header_mac", "kdf_cost", "load_json",
    "new_meta", "normalize_passphrase", "padded_len", "parse", "parse_head", "passphrase_slot",
    "random_data_key", "recovery_slot", "tampered", "unlock_data_key", "unwrap_data_key",
    "wrap_slot",
]

MAGIC = b"IJOURNAL"
FORMAT_VERSION = 3
SUPPORTED_FORMATS = (1, 2, 3)
RECORDS_FROM = 3  # the first format whose base may be followed by change records
_PREFIX = struct.Struct(">8sHIQ")  # magic, version, header length, body length
SALT_LEN = 32
DIGEST_LEN = 32
MAC_LEN = 32
PAD_UNIT = 64 * 1024
MAX_HEADER_LEN = 64 * 1024
# No save writes a body larger than this (a journal of ~10k long entries is ~40 MB), so
# no open ever allocates for a larger one: a longer claim is refused from the file's
# first bytes. The claim must also match the file's real size (see parse_head).
MAX_BODY_LEN = 1 << 30
BODY_HEAD = struct.Struct(">QdQ")  # generation, saved_at, image length
SQLITE_MAGIC = b"SQLite format 3\x00"

_BODY_INFO = b"integration-journal body v1"
_HEADER_MAC_INFO = b"integration-journal header mac v2"
SLOT_KINDS = ("passphrase", "recovery")
_CAPTURE_KEY_AAD = b"integration-journal capture key v1"


def derive_body_key(data_key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=_BODY_INFO).derive(
        data_key
    )


# --------------------------------------------------------------------------- header


@dataclass
class Header:
    meta: dict[str, Any]
    slots: list[Slot] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        return canonical_json({"meta": self.meta, "slots": [s.to_json() for s in self.slots]})

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        obj = load_json(raw)
        if not isinstance(obj, dict) or not isinstance(obj.get("meta"), dict):
            raise CorruptFileError("The journal file's header is malformed.")
        if obj["meta"].get("cipher") != "AES-256-GCM":
            raise CorruptFileError("The journal file names an unknown cipher.")
        slots_raw = obj.get("slots")
        if not isinstance(slots_raw, list) or not 1 <= len(slots_raw) <= 16:
            raise CorruptFileError("The journal file's key slots are malformed.")
        header = cls(obj["meta"], [Slot.from_json(s) for s in slots_raw])
        if not header.has_full_slot_set():  # every version of the app writes both
            raise TamperedFileError(
                "The journal file's set of keys was altered: it must hold exactly one "
                "passphrase slot and one recovery key slot. It was not opened.")
        return header

    def has_full_slot_set(self) -> bool:
        return sorted(s.kind for s in self.slots) == sorted(SLOT_KINDS)

    def slot(self, kind: str) -> Slot:
        for s in self.slots:
            if s.kind == kind:
                return s
        raise WrongSecretError(f"This journal has no {kind} key.")

    def replace_slot(self, new: Slot) -> Header:
        slots = [s for s in self.slots if s.kind != new.kind] + [new]
        return Header(dict(self.meta), slots)

    @property
    def capture_public_key(self) -> bytes:
        return b64d(self.meta.get("capture_public"))


def new_meta(data_key: bytes) -> dict[str, Any]:
    """The authenticated, slot-independent half of a new header."""
    capture = X25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization as ser

    private_raw = capture.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw,
                                        ser.NoEncryption())
    public_raw = capture.public_key().public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)
    nonce = secrets.token_bytes(NONCE_LEN)
    wrapped = AESGCM(data_key).encrypt(nonce, private_raw, _CAPTURE_KEY_AAD + public_raw)
    return {
        "cipher": "AES-256-GCM",
        "pad_unit": PAD_UNIT,
        "capture_public": b64e(public_raw),
        "capture_private": {"nonce": b64e(nonce), "wrapped": b64e(wrapped)},
    }


def capture_private_key(meta: dict[str, Any], data_key: bytes) -> bytes:
    public_raw = b64d(meta.get("capture_public"))
    wrapped = meta.get("capture_private")
    if not isinstance(wrapped, dict):
        raise CorruptFileError("The journal file's header is malformed.")
    try:
        return AESGCM(data_key).decrypt(b64d(wrapped.get("nonce")), b64d(wrapped.get("wrapped")),
                                        _CAPTURE_KEY_AAD + public_raw)
    except (InvalidTag, ValueError) as exc:
        raise TamperedFileError("The journal file's header fails authentication.") from exc


# --------------------------------------------------------------------------- whole file


@dataclass
class ParsedFile:
    """A checked file head. ``ciphertext`` is a view into the bytes given to :func:`parse`
    (no copy of the body); it is empty when only the head was read (:func:`parse_head`)."""

    version: int
    header: Header
    salt: bytes
    nonce: bytes
    digest: bytes
    ciphertext: bytes | memoryview = b""
    body_start: int = 0
    body_len: int = 0
    signed: bytes = b""  # the head's bytes the header MAC covers
    mac: bytes = b""  # empty in format 1

    def body_aad(self) -> bytes:
        return body_aad(self.version, self.header.meta, self.salt, self.nonce)

    @property
    def body_end(self) -> int:
        """Where the base's body ends: the file's end, or its first change record."""
        return self.body_start + self.body_len


def _mac_len(version: int) -> int:
    return 0 if version == 1 else MAC_LEN  # unknown (newer) versions: the latest layout


def header_mac(data_key: bytes, signed: bytes) -> bytes:
    key = HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=None,
               info=_HEADER_MAC_INFO).derive(data_key)
    return hmac.new(key, signed, hashlib.sha256).digest()


def check_header(parsed: ParsedFile, data_key: bytes) -> None:
    """Raise TamperedFileError unless the header (key slots included) is the one saved
    with this data key. Format 1 has no MAC: only its slot set was checked at parse."""
    if parsed.version == 1:
        return
    if not hmac.compare_digest(header_mac(data_key, parsed.signed), parsed.mac):
        raise TamperedFileError(
            "The journal file's header was altered after it was saved (a key slot was "
            "removed, added or replaced): it was tampered with. It was not opened.")


def body_aad(version: int, meta: dict[str, Any], salt: bytes, nonce: bytes) -> bytes:
    return MAGIC + struct.pack(">H", version) + canonical_json(meta) + salt + nonce


PEEK_LEN = 64  # enough bytes for check_start to tell a journal from anything else


def check_start(data: bytes) -> None:
    """Refuse what is plainly not a journal, from its first ``PEEK_LEN`` bytes alone (so a
    large file picked by mistake is never read whole)."""
    if not data:
        raise NotAJournalError("The journal file is empty (0 bytes).")
    if data.startswith(SQLITE_MAGIC):
        raise NotAJournalError(
            "This is a plain, unencrypted SQLite database, not an Integration Journal file."
        )
    if len(data) < len(MAGIC) or not data.startswith(MAGIC):
        if MAGIC.startswith(data[: len(MAGIC)]):
            raise CorruptFileError("The journal file is truncated.")
        raise NotAJournalError("This file is not an Integration Journal file.")


def head_len(start: bytes) -> int:
    """How many bytes come before the body, from the file's first ``PEEK_LEN`` bytes (or
    all of it if shorter). Refuses absurd lengths before anything more is read."""
    check_start(start)
    if len(start) < _PREFIX.size:
        raise CorruptFileError("The journal file is truncated.")
    prefix: tuple[bytes, int, int, int] = _PREFIX.unpack_from(start)
    _magic, version, header_len, body_len = prefix
    if header_len > MAX_HEADER_LEN:
        raise CorruptFileError("The journal file's structure is damaged.")
    if body_len > MAX_BODY_LEN:
        raise CorruptFileError(
            "The journal file's structure is damaged: it claims to be larger than any "
            "journal this app writes.")
    return _PREFIX.size + header_len + SALT_LEN + NONCE_LEN + _mac_len(version) + DIGEST_LEN


def parse_head(head: bytes, file_len: int) -> ParsedFile:
    """Check the part before the body (``head``: at least :func:`head_len` bytes) of a
    file of ``file_len`` bytes: structure, checksum, version, header. Typed errors only;
    no key derivation."""
    fixed = head_len(head) - DIGEST_LEN
    _magic, version, header_len, body_len = _PREFIX.unpack_from(head)
    # The claimed body length must be what is on disk (not more: truncated; not less:
    # appended data), so it can never make the app allocate beyond the file's size.
    if file_len < fixed + DIGEST_LEN + body_len or len(head) < fixed + DIGEST_LEN:
        raise CorruptFileError("The journal file is truncated.")
    digest = bytes(head[fixed : fixed + DIGEST_LEN])
    if hashlib.sha256(head[:fixed]).digest() != digest:
        raise CorruptFileError("The journal file is damaged: its checksum does not match.")
    if file_len > fixed + DIGEST_LEN + body_len and version < RECORDS_FROM:
        raise CorruptFileError("The journal file has unexpected data appended after its end.")
    if version not in SUPPORTED_FORMATS:
        if version > FORMAT_VERSION:
            raise TooNewError(
                "This journal was written by a newer version of Integration Journal. "
                "Update the app to open it; the file was not changed."
            )
        raise CorruptFileError("The journal file names an unknown format version.")
    header = Header.from_bytes(bytes(head[_PREFIX.size : _PREFIX.size + header_len]))
    pos = _PREFIX.size + header_len
    signed_end = pos + SALT_LEN + NONCE_LEN
    return ParsedFile(version, header, salt=bytes(head[pos : pos + SALT_LEN]),
                      nonce=bytes(head[pos + SALT_LEN : signed_end]), digest=digest,
                      body_start=fixed + DIGEST_LEN, body_len=body_len,
                      signed=bytes(head[:signed_end]), mac=bytes(head[signed_end:fixed]))


def parse(data: bytes) -> ParsedFile:
    """Check structure and checksum of a whole file; raise typed errors only. Does no key
    derivation. The result's ``ciphertext`` is a view into ``data`` (the base's body;
    change records after it, format 3, are :mod:`changelog`'s)."""
    parsed = parse_head(data, len(data))
    parsed.ciphertext = memoryview(data)[parsed.body_start : parsed.body_end]
    return parsed


def file_head(version: int, header: Header, salt: bytes, nonce: bytes, body_len: int,
              data_key: bytes | None = None) -> bytes:
    """Everything before the body: prefix, header, salt, nonce, (format 2) the header MAC
    under ``data_key``, and their checksum. Without ``data_key`` the MAC is zeros, a file
    that never opens (tests build hostile files so)."""
    raw_header = header.to_bytes()
    head = _PREFIX.pack(MAGIC, version, len(raw_header), body_len) + raw_header + salt + nonce
    if _mac_len(version):
        head += header_mac(data_key, head) if data_key else bytes(MAC_LEN)
    return head + hashlib.sha256(head).digest()


def check_savable(header: Header, body_len: int) -> None:
    """Refuse to write a file that would lose a key or that no reader would open."""
    if not header.has_full_slot_set():
        raise JournalError(
            "The journal was not saved: its header would have lost its passphrase or its "
            "recovery key slot. Nothing on disk was changed.")
    if body_len > MAX_BODY_LEN:
        raise JournalError(
            "The journal was not saved: it has grown past the largest size this app "
            "writes (1 GiB). Nothing on disk was changed.")


def assemble(version: int, header: Header, salt: bytes, nonce: bytes, ciphertext: bytes,
             data_key: bytes | None = None) -> bytes:
    return b"".join((file_head(version, header, salt, nonce, len(ciphertext), data_key),
                     ciphertext))


def padded_len(image_len: int) -> int:
    """Length of the plaintext body for an image: its head, the image, zero padding."""
    return -(-(BODY_HEAD.size + image_len) // PAD_UNIT) * PAD_UNIT


@dataclass(frozen=True)
class Body:
    """A decrypted body. ``image`` is a view into the decrypted plaintext (no copy): drop
    the Body once the image has been loaded, so the plaintext buffer is freed."""

    generation: int
    saved_at: float
    image: bytes | memoryview


def body_from_plaintext(plain: bytes | memoryview) -> Body:
    """The body fields of authenticated plaintext (``image`` a view into it)."""
    if len(plain) < BODY_HEAD.size:
        raise TamperedFileError("The journal file's contents are malformed.")
    generation, saved_at, image_len = BODY_HEAD.unpack_from(plain)
    if image_len > len(plain) - BODY_HEAD.size:
        raise TamperedFileError("The journal file's contents are malformed.")
    return Body(generation, saved_at,
                memoryview(plain)[BODY_HEAD.size : BODY_HEAD.size + image_len])


def tampered() -> TamperedFileError:
    return TamperedFileError(
        "The journal file fails its integrity check: it was damaged or tampered with.")


def decrypt(parsed: ParsedFile, data_key: bytes) -> Body:
    """Decrypt a body held in memory (``parse``'s ciphertext) in one piece."""
    key = derive_body_key(data_key, parsed.salt)
    try:
        plain = AESGCM(key).decrypt(parsed.nonce, parsed.ciphertext, parsed.body_aad())
    except (InvalidTag, ValueError) as exc:
        raise tampered() from exc
    return body_from_plaintext(plain)


def unwrap_data_key(header: Header, *, passphrase: str | None = None,
                    recovery: bytes | None = None) -> bytes:
    """The data key from the slot ``passphrase`` or ``recovery`` opens. The header is
    not authenticated by this alone: see :func:`unlock_data_key`."""
    if passphrase is not None:
        slot = header.slot("passphrase")
        assert slot.kdf is not None
        return slot.unwrap(derive_passphrase_key(passphrase, slot.salt, slot.kdf))
    if recovery is not None:
        slot = header.slot("recovery")
        return slot.unwrap(derive_recovery_key(recovery, slot.salt))
    raise WrongSecretError("No passphrase or recovery key was given.")


def unlock_data_key(parsed: ParsedFile, *, passphrase: str | None = None,
                    recovery: bytes | None = None) -> bytes:
    """The data key, only once the header it was unwrapped from is authentic."""
    data_key = unwrap_data_key(parsed.header, passphrase=passphrase, recovery=recovery)
    check_header(parsed, data_key)
    return data_key


def random_data_key() -> bytes:
    return os.urandom(KEY_LEN)
