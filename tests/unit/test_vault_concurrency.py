"""vault.md tests 8 and 9 in one process: a second instance can't write, and a save
running on a worker thread while the owner locks (closes) or saves again never corrupts
the journal or writes with a forgotten key."""

from __future__ import annotations

import os
import random
import threading

import pytest

from journal_app.errors import InUseError, JournalError, WriteFailedError
from journal_app.storage.vault import Vault, change_passphrase_file, restore_backup
from tests.helpers.journals import (
    FAST_KDF,
    add_entries,
    make_journal,
    open_titles,
    snapshot,
    titles_in,
)


def test_v08_second_instance_cannot_write(tmp_path):
    made = make_journal(tmp_path, ("mine",))
    first = Vault.open(made.path, made.secret)
    try:
        before = snapshot(tmp_path)
        with pytest.raises(InUseError):
            Vault.open(made.path, made.secret)
        with pytest.raises(InUseError):
            change_passphrase_file(made.path, made.secret, "other", FAST_KDF)
        with pytest.raises(InUseError):
            restore_backup(made.path, made.path)
        with Vault.open(made.path, made.secret, lock=False) as reader:
            add_entries(reader, ["from the reader"])
            with pytest.raises(WriteFailedError):
                reader.save()
        assert snapshot(tmp_path) == before
        add_entries(first, ["from the owner"])
        first.save()
    finally:
        first.close()
    assert open_titles(made.path) == ["from the owner", "mine"]


def test_v08_lock_released_on_close_from_another_thread(tmp_path):
    """The GUI unlocks on a worker thread and locks from the main one."""
    made = make_journal(tmp_path, ("threads",))
    box: dict[str, Vault] = {}
    ready, finish = threading.Event(), threading.Event()

    def worker() -> None:  # stays alive, as a pooled thread would
        box["vault"] = Vault.open(made.path, made.secret)
        ready.set()
        finish.wait()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert ready.wait(30)
        vault = box["vault"]
        vault.close()
        Vault.open(made.path, made.secret).close()
        del vault, box["vault"]
    finally:
        finish.set()
        thread.join()


class SlowWriter:
    """Writes in small pieces and says when it has started, so the test can act mid-write."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, fd: int, view: memoryview) -> int:
        self.started.set()
        self.release.wait(30)
        return os.write(fd, view[:8192])


def test_v09_close_while_a_save_job_writes_waits_for_it(tmp_path):
    made = make_journal(tmp_path, ("before",))
    vault = Vault.open(made.path, made.secret)
    add_entries(vault, ["written by the worker"])
    writer = SlowWriter()
    vault._writer = writer
    job = vault.prepare_save()
    outcome: dict[str, object] = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("generation", job.run()))
    thread.start()
    assert writer.started.wait(30)
    closer = threading.Thread(target=vault.close)
    closer.start()
    closer.join(0.2)
    assert closer.is_alive()  # close waits while the worker writes
    writer.release.set()
    thread.join(30)
    closer.join(30)
    assert not closer.is_alive() and "generation" in outcome
    assert open_titles(made.path) == ["before", "written by the worker"]


def test_v09_save_job_run_after_close_writes_nothing(tmp_path):
    made = make_journal(tmp_path, ("only this",))
    vault = Vault.open(made.path, made.secret)
    add_entries(vault, ["lost by the caller"])
    job = vault.prepare_save()
    vault.close()
    before = snapshot(tmp_path)
    with pytest.raises(JournalError):
        job.run()
    assert snapshot(tmp_path) == before
    assert open_titles(made.path) == ["only this"]


def test_v09_save_while_another_save_writes(tmp_path):
    made = make_journal(tmp_path, ("start",))
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["first job"])
        writer = SlowWriter()
        vault._writer = writer
        job = vault.prepare_save()
        thread = threading.Thread(target=job.run)
        thread.start()
        assert writer.started.wait(30)
        add_entries(vault, ["second save"])
        second = threading.Thread(target=vault.save)
        second.start()
        writer.release.set()
        thread.join(30)
        second.join(30)
        assert not vault.dirty
    assert open_titles(made.path) == ["first job", "second save", "start"]


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_v09_autosave_racing_lock_and_save_never_corrupts(tmp_path):
    """Many rounds of: edit, autosave on a worker, and at once lock or save on the owner."""
    made = make_journal(tmp_path, ())
    rng = random.Random(9)
    saved: list[str] = []
    for round_no in range(40):
        vault = Vault.open(made.path, made.secret)
        title = f"round {round_no}"
        add_entries(vault, [title])
        job = vault.prepare_save()
        errors: list[BaseException] = []

        def autosave(job=job, errors=errors) -> None:
            try:
                job.run()
            except JournalError as exc:  # run after close: refused, nothing written
                errors.append(exc)

        worker = threading.Thread(target=autosave)
        worker.start()
        if rng.random() < 0.5:
            vault.save()  # the owner saves too: the title is then surely on disk
            saved.append(title)
        vault.close()
        worker.join(30)
        if not errors and title not in saved:
            saved.append(title)
        with Vault.open(made.path, made.secret) as check:
            assert sorted(saved) == titles_in(check)


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_v09_failed_passphrase_change_racing_autosave_keeps_old_passphrase(tmp_path):
    """While the owner changes the passphrase, autosaves run on workers. When the change's
    own save fails, the user is told so, and the file must still open with the old
    passphrase: no worker may have written the new header in between."""
    from journal_app.storage.vault import Secret

    made = make_journal(tmp_path, ("race",))
    for round_no in range(15):
        vault = Vault.open(made.path, made.secret)
        gate = threading.Event()
        calls = {"n": 0}

        def writer(fd: int, view: memoryview, gate=gate, calls=calls) -> int:
            calls["n"] += 1
            if calls["n"] == 1:
                gate.wait(30)  # the first autosave holds the write lock for a moment
            if threading.current_thread().name == "owner":
                raise OSError(28, "No space left on device")
            return os.write(fd, view)

        vault._writer = writer
        add_entries(vault, [f"edit {round_no}"])
        workers = [threading.Thread(target=vault.prepare_save().run) for _ in range(2)]
        workers[0].start()
        while calls["n"] == 0:
            threading.Event().wait(0.001)
        workers[1].start()
        failures: list[BaseException] = []

        def change(vault=vault, failures=failures) -> None:
            try:
                vault.change_passphrase("the new one", FAST_KDF)
            except WriteFailedError as exc:
                failures.append(exc)

        owner = threading.Thread(target=change, name="owner")
        owner.start()
        threading.Event().wait(0.02)  # let the owner swap the header and queue its save
        gate.set()
        for t in (*workers, owner):
            t.join(30)
        vault.close()
        assert failures, "the owner's save was made to fail"
        Vault.open(made.path, made.secret, lock=False).close()  # old passphrase still opens
        with pytest.raises(JournalError):
            Vault.open(made.path, Secret(passphrase="the new one"), lock=False)
