"""Imports merged into a real journal (storage), and the command line's ``--from``."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from journal_app import cli_import
from journal_app.domain.importers import SourceKind, read_source
from journal_app.domain.importers.common import (
    ImportChoices,
    SourceError,
    batches,
    combined,
    split_known,
    to_imported,
)
from journal_app.errors import UsageError
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Secret, Vault
from tests.helpers.journals import FAST_KDF, PASSPHRASE

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"
SOURCES = [(DATA / "jrnl_journal.txt", SourceKind.JRNL, 7),
           (DATA / "jrnl_journal_export.json", SourceKind.JRNL, 7),
           (DATA / "dayone_export.zip", SourceKind.DAYONE, 3),
           (DATA / "markdown", SourceKind.MARKDOWN, 4)]


@pytest.fixture
def journal(tmp_path):
    vault, _key = Vault.create(tmp_path / "j.ijournal", PASSPHRASE, kdf=FAST_KDF)
    opened = Journal(vault)
    yield opened
    vault.close()


@pytest.mark.parametrize(("path", "kind", "count"), SOURCES)
def test_a_second_import_adds_nothing(journal, path, kind, count):
    imported = to_imported(read_source(path, kind))
    first = journal.import_journal(imported)
    assert (first.entries_added, first.entries_unchanged) == (count, 0)
    again = journal.import_journal(to_imported(read_source(path, kind)))
    assert (again.entries_added, again.entries_unchanged, again.entries_copied) == \
        (0, count, 0)
    assert len(journal.repo.list_entries()) == count


def test_jrnl_export_after_its_file_adds_nothing(journal):
    journal.import_journal(to_imported(read_source(SOURCES[0][0], SourceKind.JRNL)))
    result = journal.import_journal(to_imported(read_source(SOURCES[1][0], SourceKind.JRNL)))
    assert (result.entries_added, result.entries_unchanged) == (0, 7)


def test_stored_entries_keep_every_field(journal):
    journal.import_journal(to_imported(read_source(DATA / "dayone_export.zip",
                                                   SourceKind.DAYONE)))
    stored = sorted(journal.repo.list_entries(), key=lambda e: e.created_at)
    assert set(stored[0].tags) == {"preparation", "intention", "starred"}
    assert stored[0].body.startswith("# Before the first session")
    assert stored[0].created_at.isoformat() == "2023-03-04T10:15:00+01:00"
    assert not stored[0].private


def test_choices_keep_some_tags_and_make_entries_private(journal):
    source = read_source(DATA / "jrnl_journal.txt", SourceKind.JRNL)
    choices = ImportChoices(keep_tags=frozenset({"starred", "family"}), private=True)
    journal.import_journal(to_imported(source, choices))
    stored = journal.repo.list_entries()
    assert all(e.private for e in stored)
    assert {t for e in stored for t in e.tags} == {"starred", "family"}


def test_a_changed_source_entry_is_kept_as_a_copy(journal, tmp_path):
    path = tmp_path / "j.txt"
    path.write_text("[2023-03-04 10:00] One.\nfirst words\n")
    journal.import_journal(to_imported(read_source(path, SourceKind.JRNL)))
    path.write_text("[2023-03-04 10:00] One.\nfirst words, edited later\n")
    result = journal.import_journal(to_imported(read_source(path, SourceKind.JRNL)))
    assert (result.entries_added, result.entries_copied) == (0, 1)
    assert len(journal.repo.list_entries()) == 2


def test_other_choices_the_second_time_add_no_copies(journal):
    source = read_source(DATA / "jrnl_journal.txt", SourceKind.JRNL)
    journal.import_journal(to_imported(source))
    again = to_imported(source, ImportChoices(keep_tags=frozenset(), private=True))
    rest, known = split_known(again, journal.repo.entries_by_uid)
    assert (len(rest.entries), known) == (0, 7)


def test_batches_merge_to_the_same_counts(journal):
    imported = to_imported(read_source(DATA / "jrnl_journal.txt", SourceKind.JRNL))
    parts = batches(imported, 3)
    assert [len(p.entries) for p in parts] == [3, 3, 1]
    total = combined([journal.import_journal(p) for p in parts])
    assert total.entries_added == 7


# --------------------------------------------------------------------------- CLI


def args_for(path: Path, file: Path, source: str | None, **extra) -> argparse.Namespace:
    return argparse.Namespace(path=path, file=file, source=source,
                              dry_run=extra.get("dry_run", False),
                              private=extra.get("private", False), accept_older=False,
                              passphrase_file=None)


@pytest.fixture
def journal_file(tmp_path, monkeypatch):
    path = tmp_path / "cli.ijournal"
    vault, _key = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    monkeypatch.setenv("JOURNAL_APP_PASSPHRASE", PASSPHRASE)
    return path


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
