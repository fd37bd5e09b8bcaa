"""vault.md tests 5, 8 and 11 (the kill -9 parts): a process killed at any moment of a
save or a passphrase change leaves a journal that opens, and its lock and temp files
don't outlive it. The killed processes are real, forked by tests/helpers/save_loop.py."""

from __future__ import annotations

import os
import random
import time

import pytest

from journal_app.errors import InUseError, WrongSecretError
from journal_app.storage import filestore
from journal_app.storage.vault import Secret, Vault, change_passphrase_file
from tests.helpers.journals import (
    FAST_KDF,
    PASSPHRASE,
    add_entries,
    make_journal,
    temp_files,
    titles_in,
)
from tests.helpers.save_loop import PASSPHRASES
from tests.helpers.supervisor import Supervisor

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"),
                                reason="the crash tests fork real processes (POSIX only)")


@pytest.fixture(scope="module")
def supervisor(tmp_path_factory):
    # Started before the per-test private folders are set: its children must keep this
    # computer's record of opened journals (storage.rollback) out of the real folder.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JOURNAL_APP_STATE_DIR", str(tmp_path_factory.mktemp("state")))
        sup = Supervisor()
    yield sup
    sup.close()


def _counter_titles(generation: int) -> list[str]:
    return sorted(f"n={k}" for k in range(1, generation))


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_v05_kill_9_during_save_loop_always_leaves_an_openable_journal(tmp_path, supervisor):
    made = make_journal(tmp_path, (), saves=0)  # generation 1, no entries
    rng = random.Random(5)
    for _ in range(60):
        pid = supervisor.start("loop", made.path)
        first = supervisor.expect("gen", pid)  # in the loop: killing now hits a save
        delay = rng.choice([0, 0, rng.uniform(0, 0.004), rng.uniform(0, 0.03)])
        if delay:
            time.sleep(delay)
        printed = [first] + [w for w in supervisor.kill(pid) if w[0] == "gen"]
        last = max(int(w[2]) for w in printed)
        # The killed child held the lock: opening for writing recovers it.
        with Vault.open(made.path, made.secret) as vault:
            assert vault.generation in (last, last + 1)
            assert titles_in(vault) == _counter_titles(vault.generation)
        assert temp_files(made.path) == []  # removed by that open
    for backup in filestore.list_backups(made.path):
        Vault.open(backup, made.secret, lock=False).close()


def test_v05_kill_9_half_way_through_writing_keeps_last_generation(tmp_path, supervisor):
    made = make_journal(tmp_path, ("saved before the crash",))
    with Vault.open(made.path, made.secret) as vault:
        generation = vault.generation
    before = made.path.read_bytes()
    pid = supervisor.start("paused-write", made.path)
    supervisor.expect("paused", pid)
    assert len(temp_files(made.path)) == 1  # a half-written temp file exists now
    supervisor.kill(pid)
    assert made.path.read_bytes() == before
    assert len(temp_files(made.path)) == 1  # stale until the next open
    with Vault.open(made.path, made.secret) as vault:
        assert vault.generation == generation
        assert titles_in(vault) == ["saved before the crash"]
    assert temp_files(made.path) == []


def test_v05_kill_9_half_way_through_an_append_opens_at_the_save_before(tmp_path,
                                                                       supervisor):
    """A torn change record: the journal opens as it was, says the last save did not
    finish, and the next save writes a whole file without the torn bytes."""
    made = make_journal(tmp_path, ("saved before the crash",))
    with Vault.open(made.path, made.secret) as vault:
        generation = vault.generation
    before = made.path.read_bytes()
    pid = supervisor.start("paused-append", made.path)
    supervisor.expect("paused", pid)
    supervisor.kill(pid)
    torn = made.path.read_bytes()
    assert len(torn) > len(before) and torn.startswith(before)  # half a record appended
    with Vault.open(made.path, made.secret) as vault:
        assert vault.generation == generation
        assert vault.unfinished_save is not None
        assert vault.unfinished_save.opened_generation == generation
        assert titles_in(vault) == ["saved before the crash"]
        assert made.path.read_bytes() == torn  # opening writes nothing
        add_entries(vault, ["after the crash"])
        vault.save()
        assert vault.unfinished_save is None
    with Vault.open(made.path, made.secret) as vault:
        assert vault.unfinished_save is None and vault.records == 0
        assert titles_in(vault) == ["after the crash", "saved before the crash"]


def test_v05_wrong_passphrase_open_leaves_stale_temp_files_alone(tmp_path, supervisor):
    """Only an open that holds the lock (so it knows no save is running) cleans up."""
    made = make_journal(tmp_path, ("x",))
    pid = supervisor.start("paused-write", made.path)
    supervisor.expect("paused", pid)
    with pytest.raises(InUseError):
        Vault.open(made.path, made.secret)
    assert len(temp_files(made.path)) == 1  # a live save's temp file is not touched
    supervisor.kill(pid)
    with pytest.raises(WrongSecretError):
        Vault.open(made.path, Secret(passphrase="wrong"))
    assert len(temp_files(made.path)) == 1
    Vault.open(made.path, made.secret).close()
    assert temp_files(made.path) == []


# --------------------------------------------------------------------------- test 8


def test_v08_second_process_cannot_write_and_stale_lock_is_recovered(tmp_path, supervisor):
    made = make_journal(tmp_path, ("held elsewhere",))
    pid = supervisor.start("hold", made.path)
    supervisor.expect("held", pid)
    before = made.path.read_bytes()
    with pytest.raises(InUseError) as info:
        Vault.open(made.path, made.secret)
    assert info.value.exit_code == 5
    with pytest.raises(InUseError):
        change_passphrase_file(made.path, made.secret, "new one", FAST_KDF)
    with Vault.open(made.path, made.secret, lock=False) as reader:  # reading is fine
        assert reader.read_only
        assert titles_in(reader) == ["held elsewhere"]
    assert made.path.read_bytes() == before
    supervisor.kill(pid)
    assert (made.path.parent / (made.path.name + ".lock")).exists()  # the stale lock file
    with Vault.open(made.path, made.secret) as vault:
        assert not vault.read_only
        vault.save()


# --------------------------------------------------------------------------- test 11


def _working(path) -> list[int]:
    works = []
    for index, phrase in enumerate(PASSPHRASES):
        try:
            Vault.open(path, Secret(passphrase=phrase), lock=False).close()
            works.append(index)
        except WrongSecretError:
            pass
    return works


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_v11_passphrase_change_killed_at_any_moment_leaves_exactly_one(tmp_path, supervisor):
    made = make_journal(tmp_path, ("through every change",))
    assert PASSPHRASES[0] == PASSPHRASE
    rng = random.Random(11)
    for _ in range(20):
        pid = supervisor.start("change", made.path)
        first = supervisor.expect("changed", pid)
        time.sleep(rng.uniform(0, 0.05))
        printed = [first] + [w for w in supervisor.kill(pid) if w[0] == "changed"]
        last = int(printed[-1][2])
        works = _working(made.path)
        assert len(works) == 1
        assert works[0] in (last, 1 - last)
        with Vault.open(made.path, Secret(passphrase=PASSPHRASES[works[0]])) as vault:
            assert titles_in(vault) == ["through every change"]
        assert temp_files(made.path) == []
        with Vault.open(made.path, Secret(recovery_key=made.recovery_key)) as vault:
            assert titles_in(vault) == ["through every change"]


@pytest.mark.parametrize(("when", "works"), [("before", 0), ("after", 1)])
def test_v11_passphrase_change_killed_around_the_replace(tmp_path, supervisor, when, works):
    made = make_journal(tmp_path, ("kept",))
    pid = supervisor.start("paused-change", made.path, when)
    supervisor.expect("paused", pid)
    supervisor.kill(pid)
    assert _working(made.path) == [works]
    with Vault.open(made.path, Secret(passphrase=PASSPHRASES[works])) as vault:
        assert titles_in(vault) == ["kept"]
    assert temp_files(made.path) == []
