"""Rollback detection: this computer remembers the newest generation of each journal it
has opened or saved, so an older copy put in its place is reported, not silently used.

The record (:func:`journal_app.paths.seen_generations_path`) reveals nothing without the
journal's data key: each entry's name is an HMAC, and its value the generation sealed
with AES-GCM, both under keys derived from the data key (HKDF). A reader of the record
learns how many journals were opened here, nothing about which or how far they got.

An older copy is not always an attack: a synced folder can bring one back, and the user
may restore a backup. So it is *reported* (``vault.rollback``), and :func:`accept` takes
the older copy on purpose. The record is a safeguard, not a lock: when it can't be read
or written the journal still opens (with nothing to compare, nothing is reported).
Someone who can change files in this computer's app folder can roll the record back too.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app import paths
from journal_app.errors import JournalError
from journal_app.storage import filestore

if TYPE_CHECKING:
    from journal_app.storage.vault import Vault

_INFO = b"integration-journal seen-generation record v1"
_NAME = b"journal"
_MAX_RECORD = 1 << 20  # a record larger than this is not ours: treated as empty
_NONCE = 12
_restored: dict[str, bytes] = {}  # path -> digest of a backup restored in this process
_guard = threading.Lock()


@dataclass(frozen=True)
class Rollback:
    """The journal opened is older than the newest one this computer saw."""

    opened_generation: int
    seen_generation: int


def _keys(data_key: bytes) -> tuple[str, bytes]:
    okm = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_INFO).derive(data_key)
    name = hmac.new(okm[:32], _NAME, hashlib.sha256).hexdigest()
    return name, okm[32:]


def _read(record: Path) -> dict[str, str]:
    try:
        with open(record, "rb") as f:
            raw = f.read(_MAX_RECORD + 1)
        obj = json.loads(raw) if len(raw) <= _MAX_RECORD else None
    except (OSError, ValueError, RecursionError):
        return {}
    journals = obj.get("journals") if isinstance(obj, dict) else None
    if not isinstance(journals, dict):
        return {}
    return {k: v for k, v in journals.items() if isinstance(k, str) and isinstance(v, str)}


def _seen(entries: dict[str, str], name: str, key: bytes) -> int | None:
    sealed = entries.get(name)
    if sealed is None:
        return None
    try:
        raw = base64.b64decode(sealed, validate=True)
        plain = AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], name.encode("ascii"))
    except (ValueError, InvalidTag):
        return None  # altered or not ours: as if never seen
    return int.from_bytes(plain, "big") if len(plain) == 8 else None


def _seal(name: str, key: bytes, generation: int) -> str:
    nonce = secrets.token_bytes(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, generation.to_bytes(8, "big"), name.encode("ascii"))
    return base64.b64encode(nonce + sealed).decode("ascii")


def _update(data_key: bytes, generation: int, *, only_forward: bool) -> None:
    """Set this journal's entry to ``generation`` (if higher, with ``only_forward``)."""
    import filelock  # here, where a lock is taken: a reading command never needs it

    record = paths.seen_generations_path()
    name, key = _keys(data_key)
    with contextlib.suppress(OSError, JournalError, filelock.Timeout):
        record.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = filelock.FileLock(str(record) + ".lock", timeout=2, mode=0o600,
                                 thread_local=False)
        with _guard, lock:
            filestore.remove_stale_temp_files(record)  # a writer killed half-way
            entries = _read(record)
            seen = _seen(entries, name, key)
            if only_forward and seen is not None and seen >= generation:
                return
            entries[name] = _seal(name, key, generation)
            data = json.dumps({"version": 1, "journals": entries}, sort_keys=True).encode()
            filestore.atomic_write(record, data, _check_record)


def _check_record(data: bytes) -> None:
    json.loads(data)


def observe(path: Path, digest: bytes, data_key: bytes, generation: int) -> Rollback | None:
    """Called at each open: the Rollback to report, or None (and the record moved
    forward). A backup just restored here on purpose is taken as accepted."""
    with _guard:
        restored = _restored.pop(_path_key(path), None)
    if restored is not None and hmac.compare_digest(restored, digest):
        _update(data_key, generation, only_forward=False)
        return None
    name, key = _keys(data_key)
    seen = _seen(_read(paths.seen_generations_path()), name, key)
    if seen is not None and generation < seen:
        return Rollback(opened_generation=generation, seen_generation=seen)
    if seen != generation:  # already recorded: _update would find nothing to write
        _update(data_key, generation, only_forward=True)
    return None


def saved(data_key: bytes, generation: int) -> None:
    """Called after each save that landed: the record moves forward, never back."""
    _update(data_key, generation, only_forward=True)


def accepted(data_key: bytes, generation: int) -> None:
    """The user took this older copy on purpose: it is the newest from now on."""
    _update(data_key, generation, only_forward=False)


def accept(vault: Vault) -> None:
    """Take the open, older copy on purpose (the GUI's "Continue with this copy", the
    CLI's ``--accept-older``): the record is set to its generation and
    ``vault.rollback`` cleared."""
    vault.accept_older_copy()


def expect_restored(path: Path, digest: bytes) -> None:
    """A backup was put in place on purpose: its next open in this process (identified by
    the file's checksum field, unique per save) is accepted, not reported."""
    with _guard:
        _restored[_path_key(path)] = digest


def _path_key(path: Path) -> str:
    try:
        return os.path.realpath(path)
    except OSError:
        return str(path)
