"""SECURITY.md's promises, each turned into the attack that would break it (issue 14).

Each test here is an attack found on the journal file: rolling it back to an older copy,
removing or putting back key slots, claiming a huge body, hostile header JSON, a tampered
key slot, a lock file anyone can write, a backups folder built to stall the search for a
backup that opens. SECURITY.md's "Promises and their tests" table points here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import pytest

from journal_app import paths
from journal_app.errors import (
    CorruptFileError,
    DamagedFileError,
    JournalError,
    TamperedFileError,
    WrongSecretError,
)
from journal_app.storage import fileformat as ff
from journal_app.storage import filestore, journalfile, keyslots
from journal_app.storage.vault import Secret, Vault, find_openable_backup, restore_backup
from tests.helpers.journals import (
    FAST_KDF,
    PASSPHRASE,
    add_entries,
    make_journal,
    open_titles,
    snapshot,
)

PREFIX = struct.Struct(">8sHIQ")
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"


# --------------------------------------------------------------------------- helpers


def _split(data: bytes) -> tuple[dict, bytes, bytes]:
    """(header object, the bytes between header and checksum, the body) of a file of any
    format version: the checksum is always the 32 bytes before the body."""
    _magic, _version, header_len, _body_len = PREFIX.unpack_from(data)
    body_start = ff.parse(data).body_start
    header = json.loads(data[PREFIX.size:PREFIX.size + header_len])
    middle = data[PREFIX.size + header_len:body_start - ff.DIGEST_LEN]
    return header, middle, data[body_start:]


def rebuilt(data: bytes, header: dict | bytes, *, body_len: int | None = None,
            body: bytes | None = None) -> bytes:
    """``data`` with its header (and optionally the claimed body length) replaced and the
    unkeyed checksum recomputed: what an attacker without the key can make."""
    _magic, version, _hl, old_body_len = PREFIX.unpack_from(data)
    _old, middle, old_body = _split(data)
    raw = header if isinstance(header, bytes) else json.dumps(header).encode("utf-8")
    head = PREFIX.pack(ff.MAGIC, version, len(raw),
                       old_body_len if body_len is None else body_len) + raw + middle
    return head + hashlib.sha256(head).digest() + (old_body if body is None else body)


def header_of(path: Path) -> dict:
    return _split(path.read_bytes())[0]


def slot_of(header: dict, kind: str) -> dict:
    return next(s for s in header["slots"] if s["kind"] == kind)


def open_generation(path: Path, secret: Secret | None = None) -> int:
    with Vault.open(path, secret or Secret(passphrase=PASSPHRASE)) as vault:
        return vault.generation


# --------------------------------------------------------------------------- rollback


@pytest.fixture
def older_and_newer(tmp_path):
    """A journal at generation N+1 on disk, and a copy of it at generation N beside it."""
    made = make_journal(tmp_path / "j", ("first",))
    older = tmp_path / "older-copy.ijournal"
    shutil.copyfile(made.path, older)
    with Vault.open(made.path, made.secret) as vault:
        old_generation = vault.generation
        add_entries(vault, ["written later"])
        vault.save()
    return made, older, old_generation


def test_rollback_to_an_older_copy_is_reported(older_and_newer):
    made, older, old_generation = older_and_newer
    shutil.copyfile(older, made.path)  # a sync tool brings the older copy back
    with Vault.open(made.path, made.secret) as vault:
        assert vault.rollback is not None
        assert vault.rollback.opened_generation == old_generation
        assert vault.rollback.seen_generation == old_generation + 1
        assert isinstance(vault.rollback.opened_generation, int)
    # Not silently accepted: the next open reports it again.
    with Vault.open(made.path, made.secret) as vault:
        assert vault.rollback is not None


def test_accepting_an_older_copy_updates_the_record(older_and_newer):
    from journal_app.storage import rollback

    made, older, old_generation = older_and_newer
    shutil.copyfile(older, made.path)
    with Vault.open(made.path, made.secret) as vault:
        assert vault.rollback is not None
        assert rollback.accept(vault) is None
        assert vault.rollback is None
    with Vault.open(made.path, made.secret) as vault:
        assert vault.rollback is None
        assert vault.generation == old_generation


def test_a_legitimate_save_moves_the_record_forward(older_and_newer):
    made, _older, _old = older_and_newer
    with Vault.open(made.path, made.secret) as vault:
        assert vault.rollback is None  # the newest copy: nothing to report
        generation = vault.save()
    middle = made.path.with_name("middle.ijournal")
    shutil.copyfile(made.path, middle)
    with Vault.open(made.path, made.secret) as vault:
        vault.mark_dirty()
        vault.save()  # generation + 1, recorded by the save itself (never opened)
    shutil.copyfile(middle, made.path)
    with Vault.open(made.path, made.secret) as vault:
        assert vault.rollback is not None
        assert (vault.rollback.opened_generation, vault.rollback.seen_generation) == (
            generation, generation + 1)


def test_a_backup_restored_on_purpose_is_not_reported(tmp_path):
    made = make_journal(tmp_path, ("first",))
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["second"])
        vault.save()  # keeps today's backup (the file as it was before this save)
        add_entries(vault, ["third"])
        vault.save()
    backup = filestore.list_backups(made.path)[0]
    restore_backup(made.path, backup)
    with Vault.open(made.path, made.secret) as vault:
        assert vault.rollback is None
        restored = vault.generation
    # ...and the record now holds the restored generation: the newer file is "newer".
    assert open_generation(made.path) == restored


def test_the_rollback_record_reveals_nothing_and_stays_in_the_test_folder(older_and_newer,
                                                                          private_dirs):
    made, _older, _old = older_and_newer
    record = paths.seen_generations_path()
    assert record.is_file()
    assert private_dirs in record.parents  # never the real user folder in a test
    if os.name == "posix":
        assert stat.S_IMODE(record.stat().st_mode) == 0o600
    raw = record.read_bytes()
    parsed = ff.parse(made.path.read_bytes())
    for secret_bit in (parsed.digest.hex().encode(), parsed.header.meta["capture_public"]
                       .encode(), made.path.name.encode(), str(made.path.parent).encode(),
                       b"first", b"written later"):
        assert secret_bit not in raw
    # Entries are opaque: nothing in the record is a small number like a generation.
    for name, value in json.loads(raw)["journals"].items():
        assert len(name) == 64 and len(value) > 24


def test_a_damaged_rollback_record_never_blocks_opening(older_and_newer):
    made, _older, _old = older_and_newer
    paths.seen_generations_path().write_bytes(b"\x00not json")
    assert open_titles(made.path) == ["first", "written later"]


# --------------------------------------------------------------------------- key slots


def test_removing_the_recovery_slot_is_tampering(tmp_path):
    made = make_journal(tmp_path, ("first",))
    header = header_of(made.path)
    header["slots"] = [slot_of(header, "passphrase")]
    made.path.write_bytes(rebuilt(made.path.read_bytes(), header))
    before = snapshot(tmp_path)
    with pytest.raises(TamperedFileError) as info:
        Vault.open(made.path, made.secret)
    assert "key" in info.value.message
    assert snapshot(tmp_path) == before


def test_putting_back_an_old_passphrase_slot_is_refused(tmp_path):
    made = make_journal(tmp_path, ("first",))
    old_slot = slot_of(header_of(made.path), "passphrase")
    with Vault.open(made.path, made.secret) as vault:
        vault.change_passphrase("a brand new passphrase", kdf=FAST_KDF)
    header = header_of(made.path)
    header["slots"] = [old_slot, slot_of(header, "recovery")]
    made.path.write_bytes(rebuilt(made.path.read_bytes(), header))
    with pytest.raises(TamperedFileError):
        Vault.open(made.path, made.secret)  # the old passphrase


def test_a_save_never_drops_the_recovery_slot(tmp_path):
    made = make_journal(tmp_path, ("first",))
    with Vault.open(made.path, made.secret) as vault:
        vault.header = ff.Header(vault.header.meta, [vault.header.slot("passphrase")])
        vault.mark_dirty()
        with pytest.raises(JournalError):
            vault.save()
    assert open_titles(made.path, Secret(recovery_key=made.recovery_key)) == ["first"]


def test_a_tampered_key_slot_says_wrong_passphrase_or_altered_slot(tmp_path):
    made = make_journal(tmp_path, ("first",))
    header = header_of(made.path)
    slot = slot_of(header, "passphrase")
    wrapped = bytearray(ff.b64d(slot["wrapped"]))
    wrapped[3] ^= 0x01
    slot["wrapped"] = ff.b64e(bytes(wrapped))
    made.path.write_bytes(rebuilt(made.path.read_bytes(), header))
    with pytest.raises(WrongSecretError) as info:
        Vault.open(made.path, made.secret)
    assert "passphrase" in info.value.message and "altered" in info.value.message


# --------------------------------------------------------------------------- body length


_MEASURE = textwrap.dedent("""
    import json, sys
    from journal_app.errors import JournalError
    from journal_app.storage.vault import Secret, Vault
    error = None
    try:
        Vault.open(sys.argv[1], Secret(passphrase=sys.argv[2]), lock=False).close()
    except JournalError as exc:
        error = type(exc).__name__
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across
    # fork and exec, so under a large test run it would report the runner's memory.
    with open("/proc/self/status", encoding="ascii") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"error": error, "maxrss_kib": rss}))
""")


def _open_in_child(path: Path, passphrase: str) -> dict:
    """Open in a fresh process; its peak resident memory is this open's alone."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(path), passphrase],
                         capture_output=True, text=True, timeout=240, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _sparse_claim(source: bytes, target: Path, claim: int) -> None:
    """``source`` claiming a ``claim``-byte body, its checksum fixed, the file made that
    long by a sparse hole (nothing is really written)."""
    header, _middle, _body = _split(source)
    head = rebuilt(source, header, body_len=claim, body=b"")
    target.write_bytes(head + source[len(head):len(head) + 4096])
    with open(target, "r+b") as f:
        f.truncate(len(head) + claim)


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB, sparse files: Linux")
@pytest.mark.timeout(300)
@pytest.mark.parametrize("claim", [2 << 30, 512 << 20], ids=["2GiB", "512MiB"])
@pytest.mark.parametrize("source", ["current", "golden-v1"])
def test_a_huge_claimed_body_is_refused_in_small_memory(tmp_path, claim, source):
    if source == "current":
        made = make_journal(tmp_path / "j", ("first",))
        data, passphrase = made.path.read_bytes(), PASSPHRASE
    else:  # a v1 file has no header MAC: the body itself must be authenticated first
        facts = json.loads((GOLDEN / "journal-v1-rev0002.json").read_text("utf-8"))
        data, passphrase = (GOLDEN / facts["file"]).read_bytes(), facts["passphrase"]
    target = tmp_path / "sparse.ijournal"
    _sparse_claim(data, target, claim)
    result = _open_in_child(target, passphrase)
    assert result["error"] in ("CorruptFileError", "TamperedFileError", "UnsafeFileError")
    assert result["maxrss_kib"] < 300 * 1024, result  # generous: the app itself is ~100 MB


def test_a_body_length_beyond_the_cap_is_refused_before_reading(tmp_path):
    made = make_journal(tmp_path, ("first",))
    data = made.path.read_bytes()
    header, _m, _b = _split(data)
    head = rebuilt(data, header, body_len=ff.MAX_BODY_LEN + 1, body=b"")
    with pytest.raises(CorruptFileError):
        ff.parse_head(head, len(head) + ff.MAX_BODY_LEN + 1)


# --------------------------------------------------------------------------- header JSON


def _nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


# Raw JSON text, spliced in where the header holds "@@": json.dumps could not write some.
@pytest.mark.parametrize("where, raw", [
    ("meta", _nested(1000)),
    ("meta", _nested(900)),
    ("meta", _nested(970)),
    ("meta", _nested(5000)),
    ("meta", '{"a":' + _nested(60) + "}"),
    ("meta", "9" * 5000),
    ("meta", "9" * 4000),
    ("meta", str(2**70)),
    ("meta", "NaN"),
    ("meta", "-Infinity"),
    ("pad_unit", str(2**70)),
    ("pad_unit", '"lots"'),
    ("capture_public", "5"),
    ("capture_private", "[1, 2]"),
    ("cipher", '"ROT13"'),
    ("kdf_memory", str(2**70)),
    ("kdf_memory", "9" * 4000),
    ("kdf_memory", "NaN"),
    ("kdf_memory", "1e400"),
    ("slots", '{"kind": "passphrase"}'),
    ("slots", "[]"),
    ("header", "[1, 2, 3]"),
], ids=lambda v: v[:16])
def test_hostile_header_json_gives_typed_errors(tmp_path, where, raw):
    made = make_journal(tmp_path, ("first",))
    header = header_of(made.path)
    if where == "meta":
        header["meta"]["extra"] = "@@"
    elif where == "kdf_memory":
        slot_of(header, "passphrase")["kdf"]["memory_kib"] = "@@"
    elif where == "slots":
        header["slots"] = "@@"
    elif where == "header":
        header = "@@"
    else:
        header["meta"][where] = "@@"
    text = json.dumps(header).replace('"@@"', raw).encode("utf-8")
    made.path.write_bytes(rebuilt(made.path.read_bytes(), text))
    data = made.path.read_bytes()

    def read_all() -> None:
        parsed = ff.parse(data)
        key = Secret(passphrase=PASSPHRASE).unlock(parsed)
        ff.decrypt(parsed, key)
        ff.capture_private_key(parsed.header.meta, key)

    # Also from deep in a call stack, as in the GUI or the CLI: parsing must not depend
    # on how much stack happens to be left.
    for depth in (0, 60, 120):
        with pytest.raises(DamagedFileError):
            _at_depth(depth, read_all)
        with pytest.raises(DamagedFileError):
            _at_depth(depth, lambda: Vault.open(made.path, made.secret).close())


def test_deeply_nested_header_json_is_refused_whatever_stack_is_left(tmp_path):
    """Nesting just under json's own limit parses, then breaks whatever serialises it
    again (the body's associated data): seen as an "unexpected error" in the CLI."""
    made = make_journal(tmp_path, ("first",))
    header = header_of(made.path)
    header["meta"]["extra"] = "@@"
    for nest in range(850, 1001, 5):
        text = json.dumps(header).replace('"@@"', _nested(nest)).encode("utf-8")
        data = rebuilt(made.path.read_bytes(), text)
        for depth in (0, 100):
            with pytest.raises(CorruptFileError):
                _at_depth(depth, lambda data=data: _reserialise(data))


def _reserialise(data: bytes) -> None:
    parsed = ff.parse(data)
    parsed.body_aad()
    parsed.header.to_bytes()


def _at_depth(depth: int, action) -> None:
    if depth:
        return _at_depth(depth - 1, action)
    return action()


# --------------------------------------------------------------------------- lock file


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_lock_file_is_private_even_under_umask_000(tmp_path):
    old = os.umask(0)
    try:
        lock = filestore.InstanceLock(tmp_path / "journal.ijournal")
        lock.acquire()
        try:
            assert stat.S_IMODE(lock.lock_path.stat().st_mode) == 0o600
        finally:
            lock.release()
        # A lock file left by an earlier version with a loose mode is tightened.
        os.chmod(lock.lock_path, 0o666)
        lock.acquire()
        try:
            assert stat.S_IMODE(lock.lock_path.stat().st_mode) == 0o600
        finally:
            lock.release()
    finally:
        os.umask(old)


# --------------------------------------------------------------------------- backup search


class _CountingArgon2id:
    """Stands in for Argon2id: counts derivations; the test's own fast settings derive for
    real, anything else returns a made-up key at once (so a failing test is quick)."""

    calls: ClassVar[list[tuple[int, int, int]]] = []

    def __init__(self, **kwargs) -> None:
        self.params = (kwargs["memory_cost"], kwargs["iterations"], kwargs["lanes"])
        self.kwargs = kwargs
        _CountingArgon2id.calls.append(self.params)

    def derive(self, secret: bytes) -> bytes:
        if self.params == (FAST_KDF.memory_kib, FAST_KDF.iterations, FAST_KDF.lanes):
            return _REAL_ARGON2ID(**self.kwargs).derive(secret)
        return hashlib.sha256(secret + self.kwargs["salt"]).digest()


_REAL_ARGON2ID = keyslots.Argon2id


def _crafted_backups(made, count: int, kdf: dict) -> None:
    """``count`` backups whose passphrase slot each has its own salt and ``kdf``."""
    data = made.path.read_bytes()
    folder = filestore.backup_dir(made.path)
    folder.mkdir(exist_ok=True)
    for i in range(count):
        header = header_of(made.path)
        slot = slot_of(header, "passphrase")
        slot["salt"] = ff.b64e(hashlib.sha256(b"salt %d" % i).digest()[:16])
        slot["kdf"] = {"name": "argon2id", **kdf}
        (folder / f"{made.path.name}.2099-01-{i + 1:02d}").write_bytes(rebuilt(data, header))


@pytest.mark.parametrize("kdf", [
    {"memory_kib": 1024 * 1024, "iterations": 4, "lanes": 4},   # the most the caps allow
    {"memory_kib": FAST_KDF.memory_kib, "iterations": 1, "lanes": 1},  # cheap, but many
], ids=["max-cost", "many-salts"])
def test_a_crafted_backups_folder_cannot_stall_the_backup_search(tmp_path, monkeypatch, kdf):
    made = make_journal(tmp_path, ("first",))
    _crafted_backups(made, 30, kdf)
    data = bytearray(made.path.read_bytes())
    data[-20] ^= 0xFF  # the journal's body is damaged: the app looks for a backup
    made.path.write_bytes(bytes(data))
    _CountingArgon2id.calls = []
    monkeypatch.setattr(keyslots, "Argon2id", _CountingArgon2id)
    assert find_openable_backup(made.path, made.secret) is None
    hostile = [c for c in _CountingArgon2id.calls if c[0] > FAST_KDF.memory_kib]
    assert hostile == []  # slots dearer than the journal's own are never derived
    assert len(_CountingArgon2id.calls) <= journalfile.BACKUP_SEARCH_DERIVATIONS + 1


def test_old_backups_still_open_with_the_old_passphrase(tmp_path):
    """What SECURITY.md says is *not* protected: a passphrase change leaves older copies
    (backups, a sync service's versions) opening with the old passphrase."""
    made = make_journal(tmp_path, ("first",))
    shutil.rmtree(filestore.backup_dir(made.path))  # the change's save keeps a new one
    with Vault.open(made.path, made.secret) as vault:
        vault.change_passphrase("a brand new passphrase", kdf=FAST_KDF)
    backup = filestore.list_backups(made.path)[0]
    assert open_titles(backup, made.secret) == ["first"]
    with pytest.raises(WrongSecretError):
        Vault.open(made.path, made.secret)
