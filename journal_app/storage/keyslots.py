"""Key slots: the journal's data key wrapped under a passphrase (Argon2id) or a recovery
key (HKDF), and the key-derivation settings with the caps that keep a hostile file from
exhausting memory or time. Part of the file format (:mod:`fileformat` re-exports all of
it); no I/O here.
"""

from __future__ import annotations

import base64
import json
import math
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.errors import CorruptFileError, UnsafeFileError, WrongSecretError

NONCE_LEN = 12
KEY_LEN = 32
TAG_LEN = 16  # AES-GCM

# Caps checked before any key derivation, so a hostile file can't exhaust memory or time.
KDF_MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB
KDF_MIN_MEMORY_KIB = 8 * 1024
KDF_MAX_ITERATIONS = 64
KDF_MAX_LANES = 16
# Memory times passes: without it 1 GiB x 64 passes would pass both caps above and keep
# the app busy for minutes. calibrate() stays far below (256 MiB x 3).
KDF_MAX_WORK_KIB = 4 * 1024 * 1024
SLOT_SALT_LEN = 16

_RECOVERY_INFO = b"integration-journal recovery slot v1"


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


# The header's JSON is hostile input: bounded before anything else touches it. No header
# this app writes nests deeper than 4 or holds a number outside 64 bits.
MAX_JSON_DEPTH = 8
_MAX_JSON_INT = 2**63 - 1


def _malformed() -> CorruptFileError:
    return CorruptFileError("The journal file's header is malformed.")


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > 19:  # before int(): 5,000 digits cost time and raise
        raise ValueError("integer too long")
    value = int(text)
    if abs(value) > _MAX_JSON_INT:
        raise ValueError("integer out of range")
    return value


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise ValueError("number out of range")
    return value


def _json_constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")  # NaN, Infinity, -Infinity


def load_json(raw: bytes) -> Any:
    """Parse header JSON; CorruptFileError for anything no journal holds: bad UTF-8,
    NaN or infinite numbers, integers beyond 64 bits, nesting deeper than
    ``MAX_JSON_DEPTH`` (checked without recursion, so it never depends on the stack)."""
    try:
        obj = json.loads(raw.decode("utf-8"), parse_int=_json_int, parse_float=_json_float,
                         parse_constant=_json_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _malformed() from exc
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise _malformed()
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return obj


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
        numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        if len(numbers) != len(values):
            raise CorruptFileError("The journal file's key-derivation settings are malformed.")
        params = cls(*numbers)
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
                SLOT_SALT_LEN, NONCE_LEN, KEY_LEN + TAG_LEN):
            raise CorruptFileError("The journal file's key slots are malformed.")
        return slot

    def unwrap(self, kek: bytes) -> bytes:
        try:
            return AESGCM(kek).decrypt(self.nonce, self.wrapped, self.aad())
        except (InvalidTag, ValueError) as exc:
            raise WrongSecretError(_wrong_secret_message(self.kind)) from exc


def _wrong_secret_message(kind: str) -> str:
    # A slot whose structure is valid but fails to unwrap: a wrong secret and an altered
    # slot look exactly the same to AES-GCM, so the message names both.
    if kind == "recovery":
        return ("That recovery key does not open this journal (or the journal's recovery "
                "key slot was altered).")
    return ("That passphrase does not open this journal (or the journal's passphrase key "
            "slot was altered).")


def kdf_cost(params: KdfParams) -> int:
    """Memory times passes (KiB): what a derivation costs, for comparing slots."""
    return params.memory_kib * params.iterations


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
