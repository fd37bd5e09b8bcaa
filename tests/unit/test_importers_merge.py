"""Imports merged into a real journal (storage). The command line's ``--from``:
tests/unit/cli/test_import_from.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal_app.domain.importers import SourceKind, read_source
from journal_app.domain.importers.common import (
    ImportChoices,
    batches,
    combined,
    split_known,
    to_imported,
)
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Vault
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
