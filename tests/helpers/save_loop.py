"""A fork server for crash tests: children that save (or hold, or re-key) a journal until
the test kills them with SIGKILL.

Importing the app takes about a second, too slow to start fifty fresh interpreters, so
this process imports once and forks a child per request. Each child is a real process
doing real saves; ``kill -9`` of it is what vault.md test 5 asks for.

Protocol (one line each way; secrets come from tests.helpers.journals, never argv)::

    stdin                       stdout
    loop PATH               ->  started PID, then "gen PID N" after each save (most of
                                them appended change records, every fifth a compaction)
    hold PATH               ->  started PID, then "held PID" once the journal is open
    paused-write PATH       ->  started PID, then "paused PID" half-way through writing
                                a whole new file (a compaction)
    paused-append PATH      ->  started PID, then "paused PID" half-way through appending
                                a change record
    change PATH             ->  started PID, then "changed PID I" after each passphrase
                                change (I = index into PASSPHRASES now in effect)
    paused-change PATH WHEN ->  started PID, then "paused PID" before/after the replace
    wait PID                ->  reaped PID STATUS (after the test killed the child)
    quit                    ->  (exits)

A child that fails prints "error PID TYPE" and exits 70.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from journal_app.domain.entities import Entry, EntryKind
from journal_app.storage import filestore
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault, change_passphrase_file
from tests.helpers.journals import FAST_KDF, PASSPHRASE

PASSPHRASES = (PASSPHRASE, "a new passphrase for the crash test")


def say(*words: object) -> None:
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()


def loop(path: Path) -> None:
    vault = Vault.open(path, Secret(passphrase=PASSPHRASE))
    repo = JournalRepository(vault.db)
    while True:
        # Entry k is added by the save that makes generation k + 1: a file at
        # generation g must hold entries 1 .. g - 1, none missing.
        repo.add_entry(Entry(EntryKind.FREE, f"n={vault.generation}", "counter"))
        say("gen", os.getpid(), vault.compact() if vault.generation % 5 == 0 else vault.save())


def hold(path: Path) -> None:
    vault = Vault.open(path, Secret(passphrase=PASSPHRASE))  # referenced: keeps the lock
    say("held", os.getpid(), vault.generation)
    while True:
        time.sleep(60)


def paused_write(path: Path) -> None:
    vault = Vault.open(path, Secret(passphrase=PASSPHRASE))
    JournalRepository(vault.db).add_entry(
        Entry(EntryKind.FREE, "never saved", "killed while writing"))

    def half_then_stop(fd: int, view: memoryview) -> int:
        written = os.write(fd, view[: len(view) // 2])
        os.fsync(fd)
        say("paused", os.getpid())
        while True:
            time.sleep(60)
        return written  # pragma: no cover

    vault._writer = half_then_stop
    vault.compact()


def paused_append(path: Path) -> None:
    vault = Vault.open(path, Secret(passphrase=PASSPHRASE))
    JournalRepository(vault.db).add_entry(
        Entry(EntryKind.FREE, "never saved", "killed while appending"))

    def half_then_stop(fd: int, view: memoryview) -> int:
        written = os.write(fd, view[: len(view) // 2])
        os.fsync(fd)
        say("paused", os.getpid())
        while True:
            time.sleep(60)
        return written  # pragma: no cover

    vault._writer = half_then_stop
    job = vault.prepare_save()
    assert job.payload is not None  # an append, not a whole file
    job.run()


def change(path: Path) -> None:
    current = _current_index(path)
    while True:
        new = 1 - current
        change_passphrase_file(path, Secret(passphrase=PASSPHRASES[current]),
                               PASSPHRASES[new], FAST_KDF)
        current = new
        say("changed", os.getpid(), current)


def paused_change(path: Path, when: str) -> None:
    real_replace = os.replace

    def pausing_replace(src, dst):
        if when == "before":
            say("paused", os.getpid())
            while True:
                time.sleep(60)
        real_replace(src, dst)
        say("paused", os.getpid())
        while True:
            time.sleep(60)

    filestore.os.replace = pausing_replace  # this child only; it never returns
    change_passphrase_file(path, Secret(passphrase=PASSPHRASES[0]), PASSPHRASES[1], FAST_KDF)


def _current_index(path: Path) -> int:
    from journal_app.errors import WrongSecretError

    for index, phrase in enumerate(PASSPHRASES):
        try:
            Vault.open(path, Secret(passphrase=phrase), lock=False).close()
            return index
        except WrongSecretError:
            continue
    raise SystemExit("neither passphrase opens the journal")


MODES = {"loop": loop, "hold": hold, "paused-write": paused_write,
         "paused-append": paused_append, "change": change, "paused-change": paused_change}


def spawn(mode: str, args: list[str]) -> None:
    sys.stdout.flush()
    pid = os.fork()
    if pid:
        say("started", pid)
        return
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        MODES[mode](Path(args[0]), *args[1:])
        os._exit(0)
    except BaseException as exc:  # report, never fall back into the server loop
        say("error", os.getpid(), type(exc).__name__)
        os._exit(70)


def main() -> None:
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "wait":
            _pid, status = os.waitpid(int(words[1]), 0)
            say("reaped", words[1], status)
        elif words[0] in MODES:
            spawn(words[0], words[1:])
        else:
            say("unknown", words[0])


if __name__ == "__main__":
    main()
