"""Run as the process (``journal-app VERB``), the journal verbs end with ``os._exit`` once
done, skipping the interpreter's teardown (dispatch._exit_now). What they leave on disk
and print is exactly what a normal exit leaves: the journal, its backups, its lock, no
temp file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journal_app.cli import dispatch
from journal_app.storage import filestore
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import ENV_PASSPHRASE, PASS, ROOT, make_journal

#: ``main()`` as the console script calls it (FAST=1), or with argv as an in-process caller
#: does (FAST=0: returns, the interpreter ends as usual). The atexit line shows which ran.
SCRIPT = """
import atexit, json, os, sys
atexit.register(lambda: sys.stderr.write("TEARDOWN\\n"))
from journal_app.cli import main
sys.argv = ["journal-app", *json.loads(os.environ["ARGV"])]
sys.exit(main() if os.environ["FAST"] == "1" else main(sys.argv[1:]))
"""


def _run(fast: bool, *argv: object, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV_PASSPHRASE: PASS, "FAST": "1" if fast else "0",
           "ARGV": json.dumps([str(a) for a in argv])}
    return subprocess.run([sys.executable, "-c", SCRIPT], input=stdin, capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, check=False)


def _entries(path: Path) -> list[tuple]:
    with Vault.open(path, Secret(passphrase=PASS), lock=False) as vault:
        rows = vault.db.conn.execute(
            "SELECT e.id, e.kind, e.title, e.body, e.private, (SELECT group_concat(t.name) "
            "FROM entry_tags AS et JOIN tags AS t ON t.id = et.tag_id WHERE et.entry_id = "
            "e.id) FROM entries AS e ORDER BY e.id")
        return rows.fetchall()


def _beside(path: Path) -> dict[str, object]:
    """What a user sees beside the journal: the files, the backups (names and bytes), the
    lock file's mode, whether the lock can be taken, and temp files left."""
    lock = filestore.InstanceLock(path)
    lock.acquire()  # raises InUseError if anything still held it
    lock.release()
    backups = filestore.list_backups(path)
    return {"files": sorted(os.listdir(path.parent)),
            "backups": [(b.name, b.read_bytes()) for b in backups],
            "lock mode": oct(lock.lock_path.stat().st_mode),
            "temp files": filestore.stale_temp_files(path)}


def test_an_add_that_saved_leaves_what_a_normal_exit_leaves(tmp_path):
    made: dict[bool, tuple[Path, bytes]] = {}
    outcome = {}
    for fast in (True, False):
        path = make_journal(tmp_path / ("fast" if fast else "normal") / "j.ijournal")[0]
        made[fast] = (path, path.read_bytes())
        result = _run(fast, "add", path, "--title", "Walk", "--tag", "Outside",
                      stdin="A calm walk by the water.\n")
        assert result.returncode == 0, result.stderr
        outcome[fast] = (result.stdout, result.stderr.replace("TEARDOWN\n", ""))
        assert ("TEARDOWN" in result.stderr) is not fast  # the fast one skipped teardown
    assert outcome[True] == outcome[False] == ("1\n", "")
    fast_path, fast_before = made[True]
    normal_path, normal_before = made[False]
    assert _entries(fast_path) == _entries(normal_path) == [
        (1, "free", "Walk", "A calm walk by the water.", 0, "outside")]
    fast_beside, normal_beside = _beside(fast_path), _beside(normal_path)
    # Each backup is the journal as it was before the add, in its own folder.
    assert [data for _, data in fast_beside.pop("backups")] == [fast_before]
    assert [data for _, data in normal_beside.pop("backups")] == [normal_before]
    assert fast_beside == normal_beside
    assert fast_beside["temp files"] == []


def test_reading_verbs_print_the_same_and_skip_teardown(tmp_path, monkeypatch):
    path = make_journal(tmp_path / "j.ijournal")[0]
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    for i in range(30):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"words " * 50)))
        assert dispatch.main(["add", str(path), "--title", f"Entry {i}"]) == 0
    for argv in (("list",), ("show", "3"), ("search", "words", "--limit", "25"),
                 ("verify",)):
        fast, normal = _run(True, argv[0], path, *argv[1:]), _run(False, argv[0], path,
                                                                   *argv[1:])
        assert (fast.returncode, fast.stdout) == (normal.returncode, normal.stdout)
        assert fast.returncode == 0, fast.stderr
        assert "TEARDOWN" not in fast.stderr and "TEARDOWN" in normal.stderr
        assert fast.stdout.count("\n") > 3


def test_a_verb_without_fast_exit_ends_as_usual(tmp_path):
    path = make_journal(tmp_path / "j.ijournal")[0]
    result = _run(True, "sessions", path)
    assert result.returncode == 0, result.stderr
    assert "TEARDOWN" in result.stderr


def test_no_fast_exit_while_another_thread_runs_or_output_cannot_be_flushed(monkeypatch):
    exits: list[int] = []
    monkeypatch.setattr(dispatch.os, "_exit", exits.append)
    monkeypatch.setattr(dispatch.threading, "active_count", lambda: 2)
    dispatch._exit_now(0)
    assert exits == []
    monkeypatch.setattr(dispatch.threading, "active_count", lambda: 1)

    class Broken(io.StringIO):
        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Broken())
    dispatch._exit_now(0)
    assert exits == []
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    dispatch._exit_now(3)
    assert exits == [3]


@pytest.mark.parametrize("argv", [["list"], ["add", "--title", "x"]])
def test_an_in_process_caller_gets_the_code_back(tmp_path, monkeypatch, argv):
    path = make_journal(tmp_path / "j.ijournal")[0]
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x"), encoding="utf-8"))
    monkeypatch.setattr(dispatch.os, "_exit", lambda code: pytest.fail("os._exit called"))
    assert dispatch.main([argv[0], str(path), *argv[1:]]) == 0
