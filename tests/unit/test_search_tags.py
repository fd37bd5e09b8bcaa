"""Renaming and merging tags across the journal: one atomic change, undone exactly."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.storage.repository import JournalRepository
from journal_app.storage.search import SearchService
from journal_app.storage.vault import Vault

WHEN = dt.datetime(2025, 3, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def vault(tmp_path, fast_kdf):
    vault, _key = Vault.create(tmp_path / "tags.ijournal", "calm river stone", kdf=fast_kdf)
    yield vault
    vault.close()


@pytest.fixture
def repo(vault):
    return JournalRepository(vault.db)


def snapshot(repo: JournalRepository) -> dict:
    """Everything a tag change could touch, as a person would check it."""
    service = SearchService(repo.db)
    return {
        "entries": [(e.id, e.tags, e.updated_at) for e in repo.list_entries()],
        "counts": repo.tag_counts(),
        "found": {word: sorted(r.entry.id for r in service.search(word))
                  for word in ("grief", "loss", "sorrow", "ocean")},
    }


@pytest.fixture
def tagged(repo):
    """40 entries tagged grief, every fourth also loss, and some untouched."""
    for n in range(40):
        tags = ("grief", "loss") if n % 4 == 0 else ("grief",)
        repo.add_entry(Entry(kind=EntryKind.FREE, title=f"Day {n}", body="the ocean again",
                             tags=tags, created_at=WHEN, updated_at=WHEN))
    for n in range(5):
        repo.add_entry(Entry(kind=EntryKind.FREE, title=f"Other {n}", body="quiet",
                             tags=("calm",), created_at=WHEN, updated_at=WHEN))
    return repo


def test_rename_changes_every_entry_and_the_index(tagged, vault):
    vault.save()
    assert not vault.dirty
    change = tagged.rename_tag("grief", "sorrow")
    assert vault.dirty
    assert len(change.entry_ids) == 40 and not change.merged
    assert dict(tagged.tag_counts()) == {"sorrow": 40, "loss": 10, "calm": 5}
    after = snapshot(tagged)
    assert after["found"]["grief"] == []  # only the tag held the word
    assert len(after["found"]["sorrow"]) == 40


def test_rename_then_undo_restores_exactly(tagged):
    before = snapshot(tagged)
    change = tagged.rename_tag("grief", "sorrow")
    assert snapshot(tagged) != before
    tagged.undo_tag_change(change)
    assert snapshot(tagged) == before


def test_merge_then_undo_restores_exactly(tagged):
    before = snapshot(tagged)
    change = tagged.rename_tag("loss", "grief")  # 10 entries already have both
    assert change.merged and len(change.already_new) == 10
    assert dict(tagged.tag_counts()) == {"grief": 40, "calm": 5}
    tagged.undo_tag_change(change)
    assert snapshot(tagged) == before


def test_merging_into_a_tag_some_entries_lack_and_undo(tagged):
    before = snapshot(tagged)
    change = tagged.rename_tag("calm", "loss")
    assert dict(tagged.tag_counts())["loss"] == 15
    tagged.undo_tag_change(change)
    assert snapshot(tagged) == before


def _fail_while_reindexing(repo: JournalRepository, at: int) -> list[int]:
    """Make the ``at``-th entry the index triggers re-tag raise (a temporary trigger on
    the connection, so the failure comes in the middle of the one SQL statement that
    renames the tag); the list counts the entries reached."""
    calls: list[int] = []

    def half_way() -> None:
        calls.append(1)
        if len(calls) == at:
            raise RuntimeError("simulated failure in the middle of the change")

    conn = repo.db.conn
    conn.create_function("half_way", 0, half_way)
    conn.execute("CREATE TEMP TRIGGER fail_half_way AFTER INSERT ON main.search_entry_tags "
                 "BEGIN SELECT half_way(); END")
    return calls


def _stop_failing(repo: JournalRepository) -> None:
    repo.db.conn.execute("DROP TRIGGER temp.fail_half_way")


def test_a_rename_that_fails_halfway_changes_nothing(tagged):
    before = snapshot(tagged)
    calls = _fail_while_reindexing(tagged, 21)
    with pytest.raises(Exception, match="user-defined function raised exception"):
        tagged.rename_tag("grief", "sorrow")
    _stop_failing(tagged)
    assert len(calls) == 21  # half the entries had been re-indexed when it failed
    assert snapshot(tagged) == before
    tagged.db.conn.execute("INSERT INTO entries_fts(entries_fts) VALUES('integrity-check')")


def test_an_undo_that_fails_halfway_changes_nothing(tagged):
    change = tagged.rename_tag("loss", "grief")
    merged = snapshot(tagged)
    _fail_while_reindexing(tagged, 5)
    with pytest.raises(Exception, match="user-defined function raised exception"):
        tagged.undo_tag_change(change)
    _stop_failing(tagged)
    assert snapshot(tagged) == merged
    tagged.db.conn.execute("INSERT INTO entries_fts(entries_fts) VALUES('integrity-check')")


def test_odd_renames(tagged, vault):
    vault.save()
    with pytest.raises(KeyError):
        tagged.rename_tag("no such tag", "x")
    with pytest.raises(ValueError):
        tagged.rename_tag("grief", "  # ")
    same = tagged.rename_tag("grief", "  #Grief ")  # the same tag once normalised
    assert not same.changed and not vault.dirty
    assert "grief" not in repr(same)  # tag names stay out of reprs and logs


def test_undo_after_an_entry_was_deleted_skips_it(tagged):
    change = tagged.rename_tag("grief", "sorrow")
    gone = change.entry_ids[0]
    tagged.delete_entry(gone)
    tagged.undo_tag_change(change)
    assert dict(tagged.tag_counts()) == {"grief": 39, "loss": 9, "calm": 5}
