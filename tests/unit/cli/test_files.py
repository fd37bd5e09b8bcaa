"""The command line facing damaged, newer, locked, changing and read-only journal files."""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path

import pytest

from journal_app.cli import main
from journal_app.storage import fileformat as ff
from journal_app.storage.filestore import InstanceLock, list_backups
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import (
    ENV_PASSPHRASE,
    PASS,
    Snapshot,
    make_journal,
    read_only_folder,
)


def _entries(cli, path: Path) -> list[str]:
    return [line for line in cli("list", path).out.splitlines() if line]


# --------------------------------------------------------------------------- wrong secret


@pytest.mark.parametrize("verb", [["list"], ["add"], ["verify"], ["session", "add"]])
def test_wrong_passphrase_exits_3_and_touches_nothing(cli, journal, verb):
    cli("add", journal, stdin="first")  # so a backup folder exists too
    before = Snapshot.of(journal)
    extra = ["--date", "2026-01-05"] if verb == ["session", "add"] else []
    result = cli(*verb, journal, *extra, stdin="second", passphrase="not the passphrase")
    assert result.code == 3
    assert "does not open" in result.err
    assert "not the passphrase" not in result.err + result.out
    before.assert_unchanged(journal)


def test_a_missing_journal_exits_1(cli, tmp_path):
    result = cli("list", tmp_path / "nothing.ijournal", passphrase=None)
    assert result.code == 1  # checked before any passphrase is needed
    assert "There is no journal" in result.err


# --------------------------------------------------------------------------- damaged


def _sqlite_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(("damage", "says"), [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(p.read_bytes()[:300]), "truncated"),
    (lambda p: (p.unlink(), _sqlite_file(p)), "SQLite"),
    (lambda p: p.write_bytes(p.read_bytes() + b"junk at the end"), "appended"),
    (lambda p: p.write_bytes(p.read_bytes()[:-10] + b"\x00" * 10), "tampered"),
    (lambda p: p.write_bytes(b"Dear diary, plain text."), "not an Integration Journal"),
], ids=["empty", "truncated", "sqlite", "appended", "body-flipped", "text"])
def test_damaged_files_exit_4_with_a_specific_message(cli, journal, damage, says):
    damage(journal)
    for verb in ("list", "verify"):
        result = cli(verb, journal)
        assert result.code == 4, result.err
        assert says in result.err
        assert "No backup of this journal could be opened either" in result.err


def test_damage_message_names_a_backup_that_opens(cli, journal):
    assert cli("add", journal, stdin="kept safe").code == 0  # today's backup is made here
    [backup] = list_backups(journal)
    journal.write_bytes(journal.read_bytes()[:500])
    result = cli("list", journal)
    assert result.code == 4
    assert f"The backup {backup.name} opens" in result.err


# --------------------------------------------------------------------------- too new


def test_a_newer_file_format_exits_6(cli, journal):
    parsed = ff.parse(journal.read_bytes())
    newer = ff.FORMAT_VERSION + 1
    journal.write_bytes(ff.assemble(newer, parsed.header, parsed.salt, parsed.nonce,
                                    parsed.ciphertext))
    before = Snapshot.of(journal)
    for argv in (["list", journal], ["add", journal], ["verify", journal]):
        result = cli(*argv, stdin="text")
        assert result.code == 6
        assert "newer version" in result.err
    before.assert_unchanged(journal)


def test_an_unknown_schema_revision_exits_6(cli, journal):
    with Vault.open(journal, Secret(passphrase=PASS)) as vault:
        vault.db.conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
        vault.save()
    before = Snapshot.of(journal)
    for argv in (["list", journal], ["add", journal], ["sessions", journal]):
        result = cli(*argv, stdin="text")
        assert result.code == 6
        assert "newer version" in result.err
    before.assert_unchanged(journal)


# --------------------------------------------------------------------------- in use


def test_add_exits_5_while_another_program_holds_the_journal(cli, journal):
    holder = InstanceLock(journal)
    holder.acquire()
    try:
        before = Snapshot.of(journal)
        for argv in (["add", journal], ["session", "add", journal, "--date", "2026-01-05"]):
            result = cli(*argv, stdin="text")
            assert result.code == 5
            assert "open in another" in result.err
        before.assert_unchanged(journal)
        assert cli("list", journal).code == 0  # readers don't need the lock
    finally:
        holder.release()
    assert cli("add", journal, stdin="now it works").code == 0


def test_add_exits_5_when_the_file_changes_while_it_is_open(journal, tmp_path, capsys,
                                                           monkeypatch):
    other, _ = make_journal(tmp_path / "other.ijournal")
    replacement = other.read_bytes()

    class SwapWhileReading(io.BytesIO):
        """Stdin whose reading coincides with a sync tool replacing the journal."""

        def read(self, *args):
            journal.write_bytes(replacement)
            return b"written meanwhile"

    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(SwapWhileReading(), encoding="utf-8"))
    assert main(["add", str(journal)]) == 5
    assert "another program changed" in capsys.readouterr().err
    assert journal.read_bytes() == replacement  # the other program's version is kept


# --------------------------------------------------------------------------- read-only


@pytest.mark.parametrize("lock_file_left", [True, False])
def test_read_only_folder_reads_work_and_add_exits_7(cli, journal, lock_file_left):
    cli("add", journal, stdin="before the folder was locked")
    lock_file = journal.with_name(journal.name + ".lock")
    if not lock_file_left:  # then not even the lock can be taken: the vault opens read-only
        lock_file.unlink()
    before = Snapshot.of(journal)
    with read_only_folder(journal.parent):
        assert len(_entries(cli, journal)) == 1
        assert cli("verify", journal).code == 0
        for argv in (["add", journal], ["session", "add", journal, "--date", "2026-01-05"]):
            result = cli(*argv, stdin="can't be saved")
            assert result.code == 7, result.err
            assert "journal on disk is unchanged" in result.err
        before.assert_unchanged(journal)
    assert len(_entries(cli, journal)) == 1
