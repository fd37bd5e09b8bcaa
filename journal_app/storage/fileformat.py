"""The journal file's bytes: layout, key slots and body encryption. No I/O here.

Layout (all integers big-endian)::

    magic "IJOURNAL" (8) | format version u16 | header length u32 | body length u64
    | header (canonical JSON) | per-save salt (32) | nonce (12)
    | SHA-256 of everything before this field (32)
    | AEAD body (AES-256-GCM, ``body length`` bytes)

* The unkeyed SHA-256 tells a damaged prefix ("corrupt") from a wrong passphrase.
* The header has two parts: ``meta`` (cipher, padding, the quick-capture public key and
  its wrapped private key) and ``slots`` (the data key wrapped per passphrase/recovery
  key). The body's associated data covers magic, version, ``meta``, salt and nonce but
  not ``slots``, so a passphrase change rewrites the header only and copies the body.
* Every save uses a fresh body key (HKDF of the data key with a new salt) and nonce.
* The plaintext body is ``generation u64 | saved_at f64 | image length u64 | image |
  zero padding`` to a multiple of ``PAD_UNIT`` so the size says little.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import struct
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.errors import (
    CorruptFileError,
    NotAJournalError,
    TamperedFileError,
    TooNewError,
    UnsafeFileError,
    WrongSecretError,
)

MAGIC = b"IJOURNAL"
FORMAT_VERSION = 1
SUPPORTED_FORMATS = (1,)
_PREFIX = struct.Struct(">8sHIQ")  # magic, version, header length, body length
SALT_LEN = 32
NONCE_LEN = 12
DIGEST_LEN = 32
KEY_LEN = 32
PAD_UNIT = 64 * 1024
MAX_HEADER_LEN = 64 * 1024
_BODY_HEAD = struct.Struct(">QdQ")  # generation, saved_at, image length
SQLITE_MAGIC = b"SQLite format 3\x00"

# Caps checked before any key derivation, so a hostile file can't exhaust memory or time.
KDF_MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB
KDF_MIN_MEMORY_KIB = 8 * 1024
KDF_MAX_ITERATIONS = 64
KDF_MAX_LANES = 16
# Memory times passes: without it 1 GiB x 64 passes would pass both caps above and keep
# the app busy for minutes. calibrate() stays far below (256 MiB x 3).
KDF_MAX_WORK_KIB = 4 * 1024 * 1024
SLOT_SALT_LEN = 16
_TAG_LEN = 16

_BODY_INFO = b"integration-journal body v1"
_RECOVERY_INFO = b"integration-journal recovery slot v1"
_CAPTURE_KEY_AAD = b"integration-journal capture key v1"


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: Any) -> bytes:
    if not isinstance(text, str):
        raise CorruptFileError("The journal file's header is malformed.")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise CorruptFileError("The journal file's header is malformed.") from exc


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode("utf-8")


def normalize_passphrase(passphrase: str) -> bytes:
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


# --------------------------------------------------------------------------- KDF


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, obj: Any) -> KdfParams:
        if not isinstance(obj, dict) or obj.get("name") != "argon2id":
            raise CorruptFileError("The journal file names an unknown key-derivation function.")
        values = [obj.get(k) for k in ("memory_kib", "iterations", "lanes")]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise CorruptFileError("The journal file's key-derivation settings are malformed.")
        params = cls(*values)  # type: ignore[arg-type]
        params.check()
        return params

    def check(self) -> None:
        """Refuse parameters outside sane bounds, before anything is allocated."""
        if not (1 <= self.lanes <= KDF_MAX_LANES):
            raise UnsafeFileError("The journal file asks for unsafe key-derivation settings.")
        if not (1 <= self.iterations <= KDF_MAX_ITERATIONS):
            raise UnsafeFileError("The journal file asks for unsafe key-derivation settings.")
        if not (max(KDF_MIN_MEMORY_KIB, 8 * self.lanes) <= self.memory_kib <= KDF_MAX_MEMORY_KIB):
            raise UnsafeFileError("The journal file asks for unsafe key-derivation settings.")
        if self.memory_kib * self.iterations > KDF_MAX_WORK_KIB:
            raise UnsafeFileError("The journal file asks for unsafe key-derivation settings.")


def derive_passphrase_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    params.check()
    kdf = Argon2id(
        salt=salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalize_passphrase(passphrase))


def derive_recovery_key(recovery: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=_RECOVERY_INFO).derive(
        recovery
    )


def derive_body_key(data_key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=_BODY_INFO).derive(
        data_key
    )


# --------------------------------------------------------------------------- slots


@dataclass(frozen=True)
class Slot:
    """One wrapping of the data key. ``kind`` is "passphrase" or "recovery"."""

    kind: str
    salt: bytes
    nonce: bytes
    wrapped: bytes
    kdf: KdfParams | None = None

    def aad(self) -> bytes:
        kdf = self.kdf.to_json() if self.kdf else {"name": "hkdf-sha256"}
        return canonical_json({"slot": self.kind, "kdf": kdf, "salt": b64e(self.salt)})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "salt": b64e(self.salt),
            "nonce": b64e(self.nonce),
            "wrapped": b64e(self.wrapped),
        }
        out["kdf"] = self.kdf.to_json() if self.kdf else {"name": "hkdf-sha256"}
        return out

    @classmethod
    def from_json(cls, obj: Any) -> Slot:
        if not isinstance(obj, dict) or obj.get("kind") not in ("passphrase", "recovery"):
            raise CorruptFileError("The journal file's key slots are malformed.")
        kdf = KdfParams.from_json(obj.get("kdf")) if obj["kind"] == "passphrase" else None
        slot = cls(obj["kind"], b64d(obj.get("salt")), b64d(obj.get("nonce")),
                   b64d(obj.get("wrapped")), kdf)
        # Checked here so a crafted file can't reach Argon2id or AES-GCM with a salt or
        # nonce they reject (they raise ValueError, not a journal error).
        if (len(slot.salt), len(slot.nonce), len(slot.wrapped)) != (
                SLOT_SALT_LEN, NONCE_LEN, KEY_LEN + _TAG_LEN):
            raise CorruptFileError("The journal file's key slots are malformed.")
        return slot

    def unwrap(self, kek: bytes) -> bytes:
        try:
            return AESGCM(kek).decrypt(self.nonce, self.wrapped, self.aad())
        except (InvalidTag, ValueError) as exc:
            raise WrongSecretError(_wrong_secret_message(self.kind)) from exc


def _wrong_secret_message(kind: str) -> str:
    if kind == "recovery":
        return "That recovery key does not open this journal."
    return "That passphrase does not open this journal."


def wrap_slot(kind: str, data_key: bytes, kek: bytes, salt: bytes, kdf: KdfParams | None) -> Slot:
    draft = Slot(kind, salt, secrets.token_bytes(NONCE_LEN), b"", kdf)
    wrapped = AESGCM(kek).encrypt(draft.nonce, data_key, draft.aad())
    return Slot(kind, salt, draft.nonce, wrapped, kdf)


def passphrase_slot(data_key: bytes, passphrase: str, params: KdfParams) -> Slot:
    salt = secrets.token_bytes(SLOT_SALT_LEN)
    return wrap_slot("passphrase", data_key, derive_passphrase_key(passphrase, salt, params),
                     salt, params)


def recovery_slot(data_key: bytes, recovery: bytes) -> Slot:
    salt = secrets.token_bytes(SLOT_SALT_LEN)
    return wrap_slot("recovery", data_key, derive_recovery_key(recovery, salt), salt, None)


# --------------------------------------------------------------------------- header


@dataclass
class Header:
    meta: dict[str, Any]
    slots: list[Slot] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        return canonical_json({"meta": self.meta, "slots": [s.to_json() for s in self.slots]})

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise CorruptFileError("The journal file's header is malformed.") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("meta"), dict):
            raise CorruptFileError("The journal file's header is malformed.")
        slots_raw = obj.get("slots")
        if not isinstance(slots_raw, list) or not 1 <= len(slots_raw) <= 16:
            raise CorruptFileError("The journal file's key slots are malformed.")
        return cls(obj["meta"], [Slot.from_json(s) for s in slots_raw])

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
    version: int
    header: Header
    salt: bytes
    nonce: bytes
    digest: bytes
    ciphertext: bytes

    def body_aad(self) -> bytes:
        return body_aad(self.version, self.header.meta, self.salt, self.nonce)


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


def parse(data: bytes) -> ParsedFile:
    """Check structure and checksum; raise typed errors only. Does no key derivation."""
    check_start(data)
    if len(data) < _PREFIX.size:
        raise CorruptFileError("The journal file is truncated.")
    _magic, version, header_len, body_len = _PREFIX.unpack_from(data)
    fixed = _PREFIX.size + header_len + SALT_LEN + NONCE_LEN
    if header_len > MAX_HEADER_LEN or body_len > 1 << 40:
        raise CorruptFileError("The journal file's structure is damaged.")
    if len(data) < fixed + DIGEST_LEN + body_len:
        raise CorruptFileError("The journal file is truncated.")
    digest = data[fixed : fixed + DIGEST_LEN]
    if hashlib.sha256(data[:fixed]).digest() != digest:
        raise CorruptFileError("The journal file is damaged: its checksum does not match.")
    if len(data) > fixed + DIGEST_LEN + body_len:
        raise CorruptFileError("The journal file has unexpected data appended after its end.")
    if version not in SUPPORTED_FORMATS:
        if version > FORMAT_VERSION:
            raise TooNewError(
                "This journal was written by a newer version of Integration Journal. "
                "Update the app to open it; the file was not changed."
            )
        raise CorruptFileError("The journal file names an unknown format version.")
    header = Header.from_bytes(data[_PREFIX.size : _PREFIX.size + header_len])
    pos = _PREFIX.size + header_len
    return ParsedFile(
        version=version,
        header=header,
        salt=data[pos : pos + SALT_LEN],
        nonce=data[pos + SALT_LEN : fixed],
        digest=digest,
        ciphertext=data[fixed + DIGEST_LEN :],
    )


def assemble(version: int, header: Header, salt: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    raw_header = header.to_bytes()
    prefix = _PREFIX.pack(MAGIC, version, len(raw_header), len(ciphertext))
    head = prefix + raw_header + salt + nonce
    return head + hashlib.sha256(head).digest() + ciphertext


def encrypt(header: Header, data_key: bytes, image: bytes, generation: int,
            saved_at: float) -> bytes:
    salt = secrets.token_bytes(SALT_LEN)
    nonce = secrets.token_bytes(NONCE_LEN)
    plain_len = _BODY_HEAD.size + len(image)
    padded_len = -(-plain_len // PAD_UNIT) * PAD_UNIT
    plaintext = bytearray(padded_len)
    _BODY_HEAD.pack_into(plaintext, 0, generation, saved_at, len(image))
    plaintext[_BODY_HEAD.size : plain_len] = image
    aad = body_aad(FORMAT_VERSION, header.meta, salt, nonce)
    ciphertext = AESGCM(derive_body_key(data_key, salt)).encrypt(nonce, bytes(plaintext), aad)
    return assemble(FORMAT_VERSION, header, salt, nonce, ciphertext)


@dataclass(frozen=True)
class Body:
    generation: int
    saved_at: float
    image: bytes


def decrypt(parsed: ParsedFile, data_key: bytes) -> Body:
    key = derive_body_key(data_key, parsed.salt)
    try:
        plain = AESGCM(key).decrypt(parsed.nonce, parsed.ciphertext, parsed.body_aad())
    except (InvalidTag, ValueError) as exc:
        raise TamperedFileError(
            "The journal file fails its integrity check: it was damaged or tampered with."
        ) from exc
    if len(plain) < _BODY_HEAD.size:
        raise TamperedFileError("The journal file's contents are malformed.")
    generation, saved_at, image_len = _BODY_HEAD.unpack_from(plain)
    if image_len > len(plain) - _BODY_HEAD.size:
        raise TamperedFileError("The journal file's contents are malformed.")
    return Body(generation, saved_at, plain[_BODY_HEAD.size : _BODY_HEAD.size + image_len])


def unlock_data_key(parsed: ParsedFile, *, passphrase: str | None = None,
                    recovery: bytes | None = None) -> bytes:
    if passphrase is not None:
        slot = parsed.header.slot("passphrase")
        assert slot.kdf is not None
        return slot.unwrap(derive_passphrase_key(passphrase, slot.salt, slot.kdf))
    if recovery is not None:
        slot = parsed.header.slot("recovery")
        return slot.unwrap(derive_recovery_key(recovery, slot.salt))
    raise WrongSecretError("No passphrase or recovery key was given.")


def random_data_key() -> bytes:
    return os.urandom(KEY_LEN)
