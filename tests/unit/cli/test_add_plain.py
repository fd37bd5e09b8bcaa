"""``add`` writes with plain sqlite3 (storage/quick_add.py) and merges waiting quick notes
through the repositories only when the inbox beside the journal holds anything; what it
does with the inbox is what it always did."""

from __future__ import annotations

import os
import time

from journal_app.storage import inbox
from journal_app.storage.filestore import TEMP_MARK
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import PASS


def _titles(path) -> list[str]:
    with Vault.open(path, Secret(passphrase=PASS), lock=False) as vault:
        return [row[0] for row in vault.db.conn.execute("SELECT title FROM entries ORDER BY id")]


def test_add_with_an_empty_inbox_just_adds(cli, journal):
    inbox.inbox_dir(journal).mkdir()
    result = cli("add", journal, "--title", "Evening", stdin="A calm walk.")
    assert (result.code, result.out, result.err) == (0, "1\n", "")
    assert _titles(journal) == ["Evening"]


def test_add_still_tidies_a_crashed_captures_temp_file(cli, journal):
    folder = inbox.inbox_dir(journal)
    folder.mkdir()
    stale = folder / f".note{TEMP_MARK}crashed"
    stale.write_bytes(b"ciphertext only")
    old = time.time() - inbox.STALE_TEMP_AGE - 60
    os.utime(stale, (old, old))
    assert cli("add", journal, "--title", "Evening", stdin="A calm walk.").code == 0
    assert not stale.exists()


def test_add_merges_notes_then_adds(cli, journal):
    inbox.seal_note(journal, "Written while locked.")
    result = cli("add", journal, "--title", "Evening", stdin="A calm walk.")
    assert result.code == 0, result.err
    assert "Added 1 quick note" in result.err
    assert _titles(journal) == ["", "Evening"]
    assert inbox.inbox_items(journal) == []


def test_add_says_when_the_inbox_cannot_be_read(cli, journal):
    inbox.inbox_dir(journal).write_bytes(b"not a folder")
    result = cli("add", journal, "--title", "Evening", stdin="A calm walk.")
    assert result.code == 0
    assert "quick notes waiting beside the journal were not added" in result.err
    assert _titles(journal) == ["Evening"]
