"""The full-text index holds no copy of the entries and stays right whoever writes them:
the ORM repository, plain SQL, imports, tag renames, replaces (migration 0004)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.search import indexed_body
from journal_app.storage.repository import JournalRepository
from journal_app.storage.search import SearchService, purge_removed_words, skipped_lines
from journal_app.storage.vault import Vault

WHEN = dt.datetime(2025, 3, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))
GENERATED = sorted(skipped_lines())


@pytest.fixture
def vault(tmp_path, fast_kdf):
    vault, _key = Vault.create(tmp_path / "index.ijournal", "calm river stone", kdf=fast_kdf)
    yield vault
    vault.close()


@pytest.fixture
def repo(vault):
    return JournalRepository(vault.db)


def add(repo: JournalRepository, title: str, body: str, tags: tuple[str, ...] = ()) -> Entry:
    return repo.add_entry(Entry(kind=EntryKind.FREE, title=title, body=body, tags=tags,
                                created_at=WHEN, updated_at=WHEN))


def flow_body(words: str) -> str:
    """A body as the prompt flows write it: questions, unticked options, a scale."""
    return f"{GENERATED[0]}\n{words}\n{GENERATED[-1]}\n  {GENERATED[3]}  \n7 / 10\n"


def assert_index_right(repo: JournalRepository) -> None:
    """FTS5's own check against the entries (rank 1 compares the index with its content)
    and, row by row, what the index holds against what the repository reads."""
    conn = repo.db.conn
    conn.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES('integrity-check', 1)")
    indexed = {row[0]: row[1:] for row in conn.execute(
        "SELECT rowid, title, body, tags FROM entries_fts")}
    assert indexed == {e.id: (e.title, indexed_body(e.body), " ".join(sorted(e.tags)))
                       for e in repo.list_entries()}
    assert conn.execute("SELECT count(*) FROM entries_fts_docsize").fetchone()[0] == len(indexed)
    assert conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0


def found(repo: JournalRepository, query: str) -> list[str]:
    return sorted(r.entry.title for r in SearchService(repo.db).search(query) if r.entry)


def test_the_index_keeps_no_copy_of_the_text(repo, vault):
    add(repo, "Harbour", "the boats came in slowly under a violet evening sky", ("sea",))
    tables = {r[0] for r in vault.db.conn.execute("SELECT name FROM sqlite_master")}
    assert "entries_fts_content" not in tables
    image = vault.db.serialize()
    assert image.count(b"the boats came in slowly under a violet evening sky") == 1
    assert found(repo, "violet") == ["Harbour"]


def test_orm_writes_add_edit_retag_delete(repo):
    one = add(repo, "Morning", flow_body("a heron by the water"), ("calm", "birds"))
    two = add(repo, "Evening", "the lighthouse again", ("sea",))
    assert_index_right(repo)
    repo.update_entry(one.edited(title="Dawn heron"))
    assert_index_right(repo)
    repo.update_entry(one.edited(title="Dawn heron", body="only reeds now"))
    assert_index_right(repo)
    repo.update_entry(repo.get_entry(one.id).edited(tags=("reeds", "sea")))
    assert_index_right(repo)
    assert found(repo, "sea") == ["Dawn heron", "Evening"]
    assert found(repo, "heron") == ["Dawn heron"]  # the title
    assert found(repo, "birds") == [] and found(repo, "water") == []
    repo.delete_entry(two.id)
    assert_index_right(repo)
    assert found(repo, "lighthouse") == []


def test_a_body_holding_a_nul_character_is_indexed_whole_and_found(repo):
    """SQLite's text functions stop at a NUL, so the view can't split such a body into
    lines: it is indexed whole, words after the NUL included, and edits and deletes leave
    the index right (a pasted or piped body can hold one)."""
    entry = add(repo, "Odd", flow_body("a heron\x00 and then the kestrel"))
    assert_index_right(repo)
    assert found(repo, "heron") == ["Odd"] and found(repo, "kestrel") == ["Odd"]
    repo.update_entry(entry.edited(body="plain again\x00"))
    assert_index_right(repo)
    assert found(repo, "kestrel") == [] and found(repo, "plain") == ["Odd"]
    repo.delete_entry(entry.id)
    assert_index_right(repo)
    assert found(repo, "plain") == []


def test_an_import_of_many_entries(repo):
    repo.add_entries([Entry(kind=EntryKind.FREE, title=f"Day {n}", body=flow_body(f"w{n} tide"),
                            tags=(f"t{n % 3}", "imported"), created_at=WHEN, updated_at=WHEN)
                      for n in range(30)])
    assert_index_right(repo)
    assert len(found(repo, "imported")) == 30
    assert found(repo, "w7") == ["Day 7"]


def test_tag_renames_merges_undo_and_a_deleted_tag(repo, vault):
    for n in range(6):
        add(repo, f"Day {n}", "the ocean", ("grief", "loss") if n % 2 else ("grief",))
    change = repo.rename_tag("grief", "sorrow")
    assert_index_right(repo)
    repo.undo_tag_change(change)
    assert_index_right(repo)
    change = repo.rename_tag("loss", "grief")  # a merge
    assert_index_right(repo)
    repo.undo_tag_change(change)
    assert_index_right(repo)
    vault.db.conn.execute("DELETE FROM tags WHERE name = 'loss'")  # entry_tags cascade
    assert_index_right(repo)
    assert found(repo, "loss") == []


def test_plain_sql_writers(repo, vault):
    """What a writer without the ORM does (the command line's add, a replay): rows only."""
    conn = vault.db.conn
    conn.execute("BEGIN")
    conn.execute("INSERT INTO entries(uid, kind, title, body, private, created_at, updated_at)"
                 " VALUES ('u1', 'free', 'Plain', ?, 0, ?, ?)",
                 (flow_body("kingfisher"), WHEN.isoformat(), WHEN.isoformat()))
    conn.execute("INSERT INTO tags(name) VALUES ('river')")
    conn.execute("INSERT INTO entry_tags(entry_id, tag_id) SELECT e.id, t.id FROM entries AS e,"
                 " tags AS t WHERE e.uid = 'u1' AND t.name = 'river'")
    conn.execute("COMMIT")
    assert_index_right(repo)
    assert found(repo, "kingfisher") == found(repo, "river") == ["Plain"]
    conn.execute("UPDATE entries SET body = 'otter' WHERE uid = 'u1'")
    assert_index_right(repo)
    conn.execute("UPDATE entry_tags SET tag_id = (SELECT id FROM tags WHERE name = 'river')")
    conn.execute("UPDATE tags SET name = 'stream' WHERE name = 'river'")
    assert_index_right(repo)
    assert found(repo, "stream") == ["Plain"] and found(repo, "kingfisher") == []
    conn.execute("DELETE FROM entries WHERE uid = 'u1'")
    assert_index_right(repo)
    assert found(repo, "otter") == []


@pytest.mark.parametrize("recursive", [False, True], ids=["plain", "recursive_triggers"])
def test_insert_or_replace_and_or_ignore_leave_nothing_stale(repo, vault, recursive):
    conn = vault.db.conn
    conn.execute(f"PRAGMA recursive_triggers = {int(recursive)}")
    kept = add(repo, "Kept", "a quiet pond", ("pond",))
    old = add(repo, "Old", "zanzibarquux wrote this", ("old",))
    row = ("u-new", "free", "New", "a fresh page", 0, WHEN.isoformat(), WHEN.isoformat())
    # The same id replaced: without recursive triggers the insert trigger rebuilds.
    conn.execute("INSERT OR REPLACE INTO entries(id, uid, kind, title, body, private, "
                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (old.id, *row))
    assert_index_right(repo)
    assert found(repo, "zanzibarquux") == [] and found(repo, "fresh") == ["New"]
    conn.execute("INSERT OR IGNORE INTO entries(id, uid, kind, title, body, private, "
                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (kept.id, *row))
    assert_index_right(repo)
    assert found(repo, "pond") == ["Kept"]
    if recursive:  # a replace by uid gives the entry a new id: needs the delete triggers
        conn.execute("INSERT OR REPLACE INTO entries(uid, kind, title, body, private, "
                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (row[0], "free", "Newer", "a second page", 0, row[5], row[6]))
        assert_index_right(repo)
        assert found(repo, "fresh") == [] and found(repo, "second") == ["Newer"]
    purge_removed_words(vault.db)
    assert b"zanzibarquux" not in vault.db.serialize()


def test_a_failing_write_leaves_the_index_as_it_was(repo, vault):
    entry = add(repo, "Kept", "the old words", ("a",))
    with pytest.raises(sqlite3.IntegrityError):
        vault.db.conn.execute("UPDATE entries SET body = 'new words', uid = NULL "
                              "WHERE id = ?", (entry.id,))
    assert_index_right(repo)
    assert found(repo, "old") == ["Kept"] and found(repo, "new") == []


def test_the_skipped_lines_are_the_apps(vault):
    """A change to the prompt library's questions or options needs a migration that
    refills search_skipped_lines and rebuilds the index; this says so."""
    stored = {r[0] for r in vault.db.conn.execute("SELECT line FROM search_skipped_lines")}
    assert stored == set(skipped_lines())


_line = st.one_of(
    st.sampled_from(GENERATED),
    st.builds(lambda s, pad: pad + s + pad[::-1], st.sampled_from(GENERATED),
              st.sampled_from([" ", "\t", "\r", "\u00a0", "\u3000", "\x1f", " \x0b"])),
    st.builds(lambda s, t: s + t, st.sampled_from(GENERATED), st.text(max_size=3)),
    st.builds(lambda s: s + "\x00", st.sampled_from(GENERATED)),  # a NUL: indexed whole
    st.text(max_size=20).filter(lambda t: "\n" not in t and "\x00" not in t),
    st.sampled_from(["", "\\", "\\n", "\"", "- [ ] ", "## ", " / 10", "10 / 10"]),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, max_size=8))
def test_the_sql_indexed_body_is_indexed_body(vault, lines):
    """The view's body (the triggers' and FTS5's) is exactly what domain/search.py says."""
    body = "\n".join(lines)
    conn = vault.db.conn
    conn.execute("INSERT INTO search_pending(id, title, body) VALUES (1, '', ?)", (body,))
    try:
        got = conn.execute("SELECT body FROM search_pending_indexed").fetchone()[0]
    finally:
        conn.execute("DELETE FROM search_pending")
    assert got == indexed_body(body)
