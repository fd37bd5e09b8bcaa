"""Recovery keys (printable Base32 with a checksum) and passphrase-KDF calibration."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import unicodedata

from journal_app.errors import WrongSecretError
from journal_app.storage.fileformat import KdfParams, derive_passphrase_key

RECOVERY_BYTES = 20  # 160 bits
_CHECK_BYTES = 5  # 40-bit checksum: a typo is caught before any unlock is tried
_GROUP = 5
# Characters people misread; Base32 (RFC 4648) has none of 0, 1, 8.
_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_recovery_key() -> bytes:
    return secrets.token_bytes(RECOVERY_BYTES)


def format_recovery_key(key: bytes) -> str:
    """40 Base32 characters in groups of five, e.g. ``ABCDE-FGHIJ-...``."""
    check = hashlib.sha256(key).digest()[:_CHECK_BYTES]
    text = base64.b32encode(key + check).decode("ascii")
    return "-".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))


def parse_recovery_key(text: str) -> bytes:
    # NFKC first: full-width letters from an East Asian input method become ASCII.
    text = unicodedata.normalize("NFKC", text)
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if len(cleaned) != 40:
        raise WrongSecretError(
            "A recovery key has 40 letters and digits in eight groups of five; "
            "this one has a different length."
        )
    try:
        raw = base64.b32decode(cleaned)
    except ValueError as exc:
        raise WrongSecretError("That recovery key contains characters it can't have.") from exc
    key, check = raw[:RECOVERY_BYTES], raw[RECOVERY_BYTES:]
    if hashlib.sha256(key).digest()[:_CHECK_BYTES] != check:
        raise WrongSecretError("That recovery key has a typo: please check each group.")
    return key


def calibrate(target_seconds: float = 0.7, *, min_mib: int = 64, max_mib: int = 256) -> KdfParams:
    """Argon2id parameters that take roughly ``target_seconds`` on this machine."""
    probe = KdfParams(memory_kib=min_mib * 1024, iterations=3, lanes=4)
    start = time.perf_counter()
    derive_passphrase_key("calibration", b"\x00" * 16, probe)
    elapsed = max(time.perf_counter() - start, 1e-3)
    mib = int(min_mib * target_seconds / elapsed)
    mib = max(min_mib, min(max_mib, mib - mib % 16))
    return KdfParams(memory_kib=mib * 1024, iterations=3, lanes=4)


# The dearest settings calibrate() picks (max_mib x 3 passes), as memory times passes.
CALIBRATE_MAX_COST = 256 * 1024 * 3
