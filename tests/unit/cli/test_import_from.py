"""``journal-app import PATH FILE --from jrnl|dayone|markdown`` (imports.py): what it says,
``--dry-run``, usage errors, and handing over to our own JSON import without ``--from``.
The merging behind it: tests/unit/test_importers_merge.py."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from journal_app.cli import imports as cli_import
from journal_app.domain.importers.common import SourceError
from journal_app.errors import UsageError
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Secret, Vault
from tests.helpers.journals import PASSPHRASE

DATA = Path(__file__).resolve().parents[2] / "data" / "importers"


def args_for(path: Path, file: Path, source: str | None, **extra) -> argparse.Namespace:
    return argparse.Namespace(path=path, file=file, source=source,
                              dry_run=extra.get("dry_run", False),
                              private=extra.get("private", False), accept_older=False,
                              passphrase_file=None)


@pytest.fixture
def journal_file(journal, monkeypatch):
    """The shared empty journal (conftest.py), its passphrase in the environment."""
    monkeypatch.setenv("JOURNAL_APP_PASSPHRASE", PASSPHRASE)
    return journal


def entries_in(path: Path) -> list:
    vault = Vault.open(path, Secret(passphrase=PASSPHRASE), lock=False)
    try:
        return Journal(vault).repo.list_entries()
    finally:
        vault.close()


def test_cli_imports_and_says_what_was_added(journal_file, capsys):
    file = DATA / "jrnl_journal.txt"
    assert cli_import.run_import_from(args_for(journal_file, file, "jrnl")) == 0
    err = capsys.readouterr().err
    assert "Imported from jrnl_journal.txt (jrnl): 7 new entries, 0 already here." in err
    assert "taken as local time" in err
    assert cli_import.cmd_import(args_for(journal_file, file, "jrnl", private=True)) == 0
    assert "0 new entries, 7 already here." in capsys.readouterr().err
    assert len(entries_in(journal_file)) == 7


def test_cli_dry_run_reads_only_the_source(journal_file, capsys, monkeypatch):
    monkeypatch.delenv("JOURNAL_APP_PASSPHRASE")
    args = args_for(journal_file, DATA / "dayone_export.zip", "dayone", dry_run=True)
    assert cli_import.run_import_from(args) == 0
    out, err = capsys.readouterr()
    assert "Entries: 3" in out and "Dates: 2023-03-04 to 2023-03-10" in out
    assert "Tags: " in out and "Not imported: Journal.json, entry 2" in out
    assert "nothing was written" in err
    monkeypatch.setenv("JOURNAL_APP_PASSPHRASE", PASSPHRASE)
    assert entries_in(journal_file) == []


def test_cli_refuses_a_damaged_source_before_opening(journal_file, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"entries": [{"date": "2023-03-04", "time": "10:00"}, "oops"]}')
    before = journal_file.read_bytes()
    with pytest.raises(SourceError) as caught:
        cli_import.run_import_from(args_for(journal_file, bad, "jrnl"))
    assert caught.value.exit_code == 1
    assert "bad.json can't be imported (entry 2)" in caught.value.message
    assert journal_file.read_bytes() == before


def test_cli_usage_errors(journal_file):
    with pytest.raises(UsageError, match="--from must be"):
        cli_import.run_import_from(args_for(journal_file, DATA, "evernote"))
    with pytest.raises(UsageError, match="--dry-run goes with --from"):
        cli_import.cmd_import(args_for(journal_file, DATA, None, dry_run=True))


def test_without_from_it_is_our_own_json_import(journal_file, tmp_path, capsys):
    export = tmp_path / "ours.json"
    export.write_text('{"format": "integration-journal", "version": 1, "entries": []}')
    assert cli_import.cmd_import(args_for(journal_file, export, None)) == 0
    assert "Imported from ours.json" in capsys.readouterr().err


def test_markdown_from_the_cli(journal_file, tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(DATA / "markdown", folder)
    assert cli_import.run_import_from(args_for(journal_file, folder, "markdown")) == 0
    assert len(entries_in(journal_file)) == 4


def test_the_import_verb_takes_from(journal_file, capsys):
    from journal_app.cli import main

    assert main(["import", str(journal_file), str(DATA / "jrnl_journal.txt"),
                 "--from", "jrnl"]) == 0
    assert "7 new entries" in capsys.readouterr().err
    assert main(["import", str(journal_file), str(DATA / "dayone_export.zip"), "--from",
                 "dayone", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert "nothing was written" in out + err
    assert len(entries_in(journal_file)) == 7
