"""vault.md tests 2, 4 and 12: wrong secrets, files that aren't journals, hostile KDF settings.

Each failure must be a typed error with its own message, and must not change a byte on disk.
"""

from __future__ import annotations

import sqlite3
import sys

import pytest

from journal_app.errors import (
    CorruptFileError,
    DamagedFileError,
    NotAJournalError,
    UnsafeFileError,
    WrongSecretError,
)
from journal_app.storage import fileformat as ff
from journal_app.storage import keyslots
from journal_app.storage.vault import Secret, Vault, find_openable_backup
from tests.helpers.journals import FAST_KDF, make_journal, open_titles, snapshot, temp_files


@pytest.fixture
def made(tmp_path):
    return make_journal(tmp_path / "j", ("one", "two", "three"))


# --------------------------------------------------------------------------- test 2


@pytest.mark.parametrize("secret", [
    Secret(passphrase="correct horse battery stapler"),
    Secret(passphrase=""),
    Secret(passphrase="CORRECT HORSE BATTERY STAPLE"),
    Secret(recovery_key="AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"),
], ids=["near-miss", "empty", "case", "recovery-typo"])
def test_v02_wrong_passphrase_changes_nothing(made, secret):
    folder = made.path.parent
    before = snapshot(folder)
    with pytest.raises(WrongSecretError) as info:
        Vault.open(made.path, secret)
    assert info.value.exit_code == 3
    assert snapshot(folder) == before  # bytes, sizes and mtimes of every file
    assert temp_files(made.path) == []


def test_v02_wrong_recovery_key_with_valid_checksum(made):
    from journal_app.storage.keys import format_recovery_key, new_recovery_key

    before = snapshot(made.path.parent)
    with pytest.raises(WrongSecretError) as info:
        Vault.open(made.path, Secret(recovery_key=format_recovery_key(new_recovery_key())))
    assert "recovery key does not open" in str(info.value)
    assert snapshot(made.path.parent) == before


def test_v02_repeated_wrong_tries_then_right_one_loses_nothing(made):
    for attempt in range(6):
        with pytest.raises(WrongSecretError):
            Vault.open(made.path, Secret(passphrase=f"guess {attempt}"))
    assert open_titles(made.path) == sorted(made.titles)
    assert open_titles(made.path, Secret(recovery_key=made.recovery_key)) == sorted(made.titles)


def test_v02_wrong_secret_message_differs_from_damage(made):
    with pytest.raises(WrongSecretError) as wrong:
        Vault.open(made.path, Secret(passphrase="nope"))
    data = bytearray(made.path.read_bytes())
    data[100] ^= 0x01
    made.path.write_bytes(bytes(data))
    with pytest.raises(DamagedFileError) as damaged:
        Vault.open(made.path, made.secret)
    assert not isinstance(damaged.value, WrongSecretError)
    assert str(wrong.value) != str(damaged.value)
    assert "passphrase" in str(wrong.value) and "damaged" in str(damaged.value)


# --------------------------------------------------------------------------- test 4


def _plain_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (t TEXT)")
    conn.commit()
    conn.close()


def _messages(made, cases):
    out = {}
    for name, make in cases.items():
        make(made.path)
        before = snapshot(made.path.parent)
        with pytest.raises(DamagedFileError) as info:
            Vault.open(made.path, made.secret)
        assert snapshot(made.path.parent) == before, name
        out[name] = info.value
    return out


def test_v04_empty_sqlite_and_appended_junk_have_specific_messages(made):
    good = made.path.read_bytes()

    def replace_with_sqlite(p):
        p.unlink()
        _plain_sqlite(p)

    errors = _messages(made, {
        "empty": lambda p: p.write_bytes(b""),
        "sqlite": replace_with_sqlite,
        "junk": lambda p: p.write_bytes(good + b"\x00 trailing junk from a sync tool"),
        "other": lambda p: p.write_bytes(b"%PDF-1.7\n" + b"x" * 500),
    })
    assert isinstance(errors["empty"], NotAJournalError)
    assert "empty" in errors["empty"].message
    assert isinstance(errors["sqlite"], NotAJournalError)
    assert "SQLite" in errors["sqlite"].message
    assert isinstance(errors["junk"], CorruptFileError)
    assert "appended" in errors["junk"].message
    assert isinstance(errors["other"], NotAJournalError)
    messages = [e.message for e in errors.values()]
    assert len(set(messages)) == len(messages)
    for err in errors.values():
        assert err.exit_code == 4


def test_v04_appended_junk_names_a_backup_that_opens(tmp_path):
    made = make_journal(tmp_path, ("kept",), saves=2)  # the second save keeps today's backup
    # Not the start of a change record (its two length fields disagree): damage.
    made.path.write_bytes(made.path.read_bytes() + b"junk" * 64)
    with pytest.raises(CorruptFileError) as info:
        Vault.open(made.path, made.secret)
    assert info.value.backup is not None
    assert info.value.backup.name in info.value.message
    assert find_openable_backup(made.path, made.secret) == info.value.backup


# --------------------------------------------------------------------------- test 12


def _with_kdf(made, params: dict) -> bytes:
    """The journal with its passphrase slot's KDF settings replaced, checksum recomputed."""
    parsed = ff.parse(made.path.read_bytes())
    slots = []
    for slot in parsed.header.slots:
        raw = slot.to_json()
        if slot.kind == "passphrase":
            raw["kdf"] = {"name": "argon2id", **params}
        slots.append(raw)
    header_bytes = ff.canonical_json({"meta": parsed.header.meta, "slots": slots})
    # Build the header by hand: Header.from_bytes would refuse the hostile settings.
    header = _RawHeader(header_bytes)
    return ff.assemble(parsed.version, header, parsed.salt, parsed.nonce, parsed.ciphertext)


class _RawHeader:
    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def to_bytes(self) -> bytes:
        return self.raw


@pytest.mark.parametrize("params", [
    {"memory_kib": 4 * 1024 * 1024, "iterations": 3, "lanes": 4},
    {"memory_kib": 64 * 1024, "iterations": 10**6, "lanes": 4},
    {"memory_kib": 64 * 1024, "iterations": 3, "lanes": 1000},
    {"memory_kib": 1024 * 1024, "iterations": 64, "lanes": 4},
    {"memory_kib": 2**62, "iterations": 2**40, "lanes": 2**30},
    {"memory_kib": 0, "iterations": 0, "lanes": 0},
    {"memory_kib": -8192, "iterations": 3, "lanes": 4},
], ids=["4GiB", "1e6-iterations", "1000-lanes", "1GiB-x64", "huge", "zero", "negative"])
def test_v12_hostile_kdf_params_refused_before_derivation(made, params, monkeypatch):
    hostile = _with_kdf(made, params)
    made.path.write_bytes(hostile)

    real_argon2id = keyslots.Argon2id

    def only_sane_derivation(**kwargs):
        # The backup beside the journal has the normal settings and may be tried.
        sane = (kwargs["memory_cost"], kwargs["iterations"], kwargs["lanes"]) == (
            FAST_KDF.memory_kib, FAST_KDF.iterations, FAST_KDF.lanes)
        if not sane:
            raise AssertionError("Argon2id was called with the hostile file's settings")
        return real_argon2id(**kwargs)

    monkeypatch.setattr(keyslots, "Argon2id", only_sane_derivation)
    before = snapshot(made.path.parent)
    with pytest.raises(UnsafeFileError) as info:
        ff.parse(hostile)
    assert "unsafe" in info.value.message
    with pytest.raises(UnsafeFileError):
        Vault.open(made.path, made.secret)
    assert snapshot(made.path.parent) == before


def test_v12_kdf_params_that_are_not_numbers_are_corrupt(made):
    hostile = _with_kdf(made, {"memory_kib": "lots", "iterations": 3, "lanes": 4})
    with pytest.raises(CorruptFileError):
        ff.parse(hostile)
    hostile = _with_kdf(made, {"memory_kib": True, "iterations": 3, "lanes": 4})
    with pytest.raises(CorruptFileError):
        ff.parse(hostile)


def test_v12_create_refuses_unsafe_settings(tmp_path):
    with pytest.raises(UnsafeFileError):
        Vault.create(tmp_path / "x.ijournal", "pw", kdf=ff.KdfParams(8 * 1024 * 1024, 3, 4))
    assert not (tmp_path / "x.ijournal").exists()


def test_v04_large_file_that_is_not_a_journal_is_refused_unread(tmp_path):
    """A 2 GiB file picked by mistake gets the "not a journal" message, without the app
    reading (and holding) all of it first."""
    resource = pytest.importorskip("resource")  # not on Windows
    per_kib = 1024 if sys.platform == "darwin" else 1  # ru_maxrss: bytes on macOS

    path = tmp_path / "video.ijournal"
    with open(path, "wb") as f:
        f.write(b"\x00\x00\x00\x18ftypmp42")
        f.truncate(2 * 1024**3)  # sparse: costs no disk space
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(NotAJournalError) as info:
        Vault.open(path, Secret(passphrase="x"))
    grown_kib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // per_kib
    assert grown_kib < 256 * 1024
    assert "not an Integration Journal file" in info.value.message
