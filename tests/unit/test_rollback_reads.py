"""Opening a journal whose generation this computer has already recorded writes nothing to
the seen-generations record and takes no lock on it (so a reading command needs neither
the write nor filelock); a newer generation still moves the record forward."""

from __future__ import annotations

import os

from journal_app import paths
from journal_app.storage import rollback
from journal_app.storage.vault import Secret, Vault
from tests.conftest import FAST_KDF

PASS = "correct horse battery staple"


def _record_state() -> tuple[int, int, bytes]:
    record = paths.seen_generations_path()
    info = record.stat()
    return info.st_ino, info.st_mtime_ns, record.read_bytes()


def test_a_recorded_generation_is_not_written_again(tmp_path, monkeypatch):
    path = tmp_path / "j.ijournal"
    vault, _ = Vault.create(path, PASS, kdf=FAST_KDF)
    vault.close()
    with Vault.open(path, Secret(passphrase=PASS), lock=False):
        pass  # the generation is recorded now (create's save recorded it already)
    before = _record_state()
    lock_file = paths.seen_generations_path().with_name(
        paths.seen_generations_path().name + ".lock")
    if lock_file.exists():
        os.unlink(lock_file)
    updates: list[int] = []
    real_update = rollback._update
    monkeypatch.setattr(rollback, "_update",
                        lambda key, generation, **kw: (updates.append(generation),
                                                       real_update(key, generation, **kw)))
    for _ in range(2):
        with Vault.open(path, Secret(passphrase=PASS), lock=False) as reader:
            assert reader.rollback is None
    assert updates == []
    assert _record_state() == before
    assert not lock_file.exists()


def test_a_newer_generation_moves_the_record_forward(tmp_path, monkeypatch):
    path = tmp_path / "j.ijournal"
    vault, _ = Vault.create(path, PASS, kdf=FAST_KDF)
    vault.close()
    here = paths.seen_generations_path()
    with Vault.open(path, Secret(passphrase=PASS), lock=False) as reader:
        first = reader.generation
    older = path.read_bytes()
    # Saved on another computer (its own record), then opened here again.
    monkeypatch.setenv("JOURNAL_APP_STATE_DIR", str(tmp_path / "elsewhere"))
    with Vault.open(path, Secret(passphrase=PASS)) as writer:
        writer.mark_dirty()
        writer.save()
        newer = writer.generation
    assert newer > first
    monkeypatch.setenv("JOURNAL_APP_STATE_DIR", str(here.parent))
    before = here.read_bytes()
    with Vault.open(path, Secret(passphrase=PASS), lock=False) as reader:
        assert reader.rollback is None
    assert here.read_bytes() != before
    path.write_bytes(older)  # moved forward: the copy first seen is older now
    with Vault.open(path, Secret(passphrase=PASS), lock=False) as reader:
        assert reader.rollback is not None
        assert (reader.rollback.opened_generation, reader.rollback.seen_generation) == (
            first, newer)
