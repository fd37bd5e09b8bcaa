"""vault.md test 14: property-based fuzzing of the parser and of Vault.open.

Whatever the bytes, the parser and the vault raise only typed errors (``JournalError``
subclasses) and finish in bounded time. Mutated files are tried both as they are (the
checksum catches them) and with their checksum recomputed, so the code behind the
checksum (header JSON, key slots, KDF settings, body) sees hostile input too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.errors import JournalError
from journal_app.storage import fileformat as ff
from journal_app.storage.vault import Secret, Vault
from tests.helpers.journals import PASSPHRASE, make_journal

# FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=5000,
                suppress_health_check=[HealthCheck.too_slow])
PREFIX = struct.Struct(">8sHIQ")
SECRET = Secret(passphrase=PASSPHRASE)


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    """A real journal's bytes (fast KDF, two entries) and the folder it lives in."""
    # Module-scoped: made before the per-test private folders are set, so this computer's
    # record of opened journals (storage.rollback) must be pointed away from the real one.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JOURNAL_APP_STATE_DIR", str(tmp_path_factory.mktemp("state")))
        made = make_journal(tmp_path_factory.mktemp("fuzz"), ("fuzz one", "fuzz two"))
    return made.path.read_bytes(), made.path.parent


def _fields(data: bytes) -> tuple[int, int]:
    """(header length, offset of the checksum) for a file laid out like ``data`` (format
    2 and later have the header MAC before the checksum)."""
    _magic, version, header_len, _body_len = PREFIX.unpack_from(data)
    mac = 0 if version == 1 else ff.MAC_LEN
    fixed = PREFIX.size + header_len + ff.SALT_LEN + ff.NONCE_LEN + mac
    return header_len, fixed


def with_checksum(data: bytes) -> bytes:
    """``data`` with its checksum field recomputed (what a crafted file would have)."""
    if len(data) < PREFIX.size:
        return data
    _, fixed = _fields(data)
    if len(data) < fixed + ff.DIGEST_LEN:
        return data
    return data[:fixed] + hashlib.sha256(data[:fixed]).digest() + data[fixed + ff.DIGEST_LEN:]


def parse_and_unlock(data: bytes) -> None:
    """Everything a reader does with bytes, short of the database: typed errors only."""
    with contextlib.suppress(JournalError):
        parsed = ff.parse(data)
        key = SECRET.unlock(parsed)
        ff.decrypt(parsed, key)
        ff.capture_private_key(parsed.header.meta, key)


# (in the header?, where, new byte): half the edits land before the body, where the
# structure is; the rest anywhere.
edits = st.lists(st.tuples(st.booleans(), st.integers(0, 2**32), st.integers(0, 255)),
                 min_size=1, max_size=8)


def mutate(valid: bytes, changes: list[tuple[bool, int, int]]) -> bytes:
    _, fixed = _fields(valid)
    data = bytearray(valid)
    for in_header, where, value in changes:
        data[where % (fixed + ff.DIGEST_LEN) if in_header else where % len(data)] = value
    return bytes(data)


@pytest.mark.timeout(120)
@FUZZ
@given(data=st.binary(max_size=2048))
def test_v14_parse_random_bytes(data):
    for candidate in (data, ff.MAGIC + data, with_checksum(ff.MAGIC + data)):
        parse_and_unlock(candidate)


@pytest.mark.timeout(120)
@FUZZ
@given(changes=edits, fix_checksum=st.booleans())
def test_v14_parse_mutated_valid_file(valid, changes, fix_checksum):
    data = mutate(valid[0], changes)
    parse_and_unlock(with_checksum(data) if fix_checksum else data)


@pytest.mark.timeout(120)
@FUZZ
@given(cut=st.integers(0, 2**20), tail=st.binary(max_size=64))
def test_v14_parse_truncated_or_extended(valid, cut, tail):
    data = valid[0][: cut % (len(valid[0]) + 1)] + tail
    parse_and_unlock(data)
    parse_and_unlock(with_checksum(data))


# Leaves include valid Base64 of any length: the header's binary fields are Base64 text.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
    | st.binary(max_size=48).map(ff.b64e),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12,
)


def _header_obj(valid: bytes) -> dict:
    header_len, _ = _fields(valid)
    return json.loads(valid[PREFIX.size:PREFIX.size + header_len])


def _paths(obj, prefix=()):
    """Every path to a value inside the parsed header."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


def _with_header(valid: bytes, obj) -> bytes:
    """The valid file with its header replaced by ``obj``, checksum recomputed (written
    canonically, so the unchanged header keeps its header MAC)."""
    header_len, fixed = _fields(valid)
    raw = ff.canonical_json(obj)
    prefix = PREFIX.pack(ff.MAGIC, ff.FORMAT_VERSION, len(raw), PREFIX.unpack_from(valid)[3])
    head = prefix + raw + valid[PREFIX.size + header_len:fixed]
    return head + hashlib.sha256(head).digest() + valid[fixed + ff.DIGEST_LEN:]


@pytest.mark.timeout(120)
@FUZZ
@given(data=st.data())
def test_v14_header_fields_replaced_with_any_json(valid, data):
    obj = _header_obj(valid[0])
    path = data.draw(st.sampled_from([p for p in _paths(obj) if p]))
    node = obj
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = data.draw(json_values)
    parse_and_unlock(_with_header(valid[0], obj))


@pytest.mark.timeout(120)
@FUZZ
@given(data=st.data())
def test_v14_key_slot_fields_replaced(valid, data):
    """Focused on the key slots: salts, nonces and wrapped keys of any length, any KDF."""
    obj = _header_obj(valid[0])
    slot = data.draw(st.sampled_from(obj["slots"]))
    field = data.draw(st.sampled_from(["kind", "salt", "nonce", "wrapped", "kdf"]))
    kdf = st.fixed_dictionaries({"name": st.just("argon2id"),
                                 "memory_kib": st.integers(-1, 64 * 1024),
                                 "iterations": st.integers(-1, 8),
                                 "lanes": st.integers(-1, 64)})
    slot[field] = data.draw(st.binary(max_size=48).map(ff.b64e) | kdf | json_values)
    parse_and_unlock(_with_header(valid[0], obj))


@pytest.mark.timeout(120)
@FUZZ
@given(value=json_values)
def test_v14_header_is_any_json(valid, value):
    parse_and_unlock(_with_header(valid[0], value))


@pytest.mark.timeout(180)
@settings(max_examples=max(EXAMPLES // 2, 1), deadline=5000,
          suppress_health_check=[HealthCheck.too_slow])
@given(changes=edits, fix_checksum=st.booleans())
def test_v14_vault_open_on_mutated_file(valid, changes, fix_checksum):
    data = mutate(valid[0], changes)
    path = valid[1] / "mutated.ijournal"
    path.write_bytes(with_checksum(data) if fix_checksum else data)
    with contextlib.suppress(JournalError):
        Vault.open(path, SECRET).close()


def test_v14_fuzz_inputs_are_meaningful(valid):
    """Guards the fuzzers: the unmutated file opens, and the helpers build valid files."""
    data = valid[0]
    assert with_checksum(data) == data
    assert ff.decrypt(ff.parse(data), SECRET.unlock(ff.parse(data))).generation == 2
    rebuilt = ff.parse(_with_header(data, _header_obj(data)))
    assert ff.decrypt(rebuilt, SECRET.unlock(rebuilt)).generation == 2
