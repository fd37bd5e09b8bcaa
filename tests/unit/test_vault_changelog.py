"""Saves that append change records (format 3): what a journal reopened from its base and
records holds is exactly what was saved, search index included; which saves append and
which write a whole image; and what the file says and refuses about them.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.errors import ChangedOnDiskError
from journal_app.storage import capture, changelog, savelog
from journal_app.storage import fileformat as ff
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault, change_passphrase_file
from tests.helpers.journals import FAST_KDF, add_entries, make_journal, sample_session, titles_in

WORDS = ["river", "kitchen", "grief", "colours", "breath", "mother", "ocean", "lighthouse"]


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table the user's data lives in (the FTS tables as they read)."""
    names = [n for (n,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'entries_fts_%' ORDER BY name")]
    out = {}
    for n in names:
        try:
            out[n] = conn.execute(f'SELECT rowid, * FROM "{n}" ORDER BY rowid').fetchall()
        except sqlite3.OperationalError:  # a table without rowid
            out[n] = conn.execute(f'SELECT * FROM "{n}" ORDER BY 1').fetchall()
    return out


def searches(repo: JournalRepository) -> dict[str, list[str]]:
    return {w: sorted(h.entry.uid for h in repo.search(w)) for w in WORDS}


def crash(vault: Vault) -> None:
    """Stop as a killed process would: no close (so no compaction), the lock let go."""
    vault._lock.release()
    vault._lock = None


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))


def _random_edits(repo: JournalRepository, rng: random.Random, n: int) -> None:
    for _ in range(n):
        entries = repo.list_entries()
        op = rng.random()
        if op < 0.35 or not entries:
            repo.add_entry(Entry(EntryKind.FREE, _text(rng), _text(rng),
                                 tags=tuple(rng.sample(WORDS, rng.randint(0, 3)))))
        elif op < 0.6:
            e = rng.choice(entries)
            repo.update_entry(e.edited(body=_text(rng), title=_text(rng)))
        elif op < 0.75:
            e = rng.choice(entries)
            repo.update_entry(e.edited(tags=tuple(rng.sample(WORDS, rng.randint(0, 3)))))
        elif op < 0.85:
            repo.delete_entry(rng.choice(entries).id)
        elif op < 0.92:
            repo.set_meta(f"k{rng.randint(0, 3)}", _text(rng))
        else:
            tags = [t for t, _n in repo.tag_counts()]
            if tags:
                repo.rename_tag(rng.choice(tags), rng.choice(WORDS) + str(rng.randint(0, 9)))


@pytest.mark.parametrize("seed", range(6))
def test_a_journal_reopened_from_its_records_is_what_was_saved(tmp_path, seed):
    rng = random.Random(seed)
    made = make_journal(tmp_path, ())
    vault = Vault.open(made.path, made.secret)
    repo = JournalRepository(vault.db)
    repo.add_session(sample_session())
    for _ in range(8):
        _random_edits(repo, rng, rng.randint(1, 6))
        vault.save()
    assert vault.records == 8
    expected, found = dump(vault.db.conn), searches(repo)
    crash(vault)
    with Vault.open(made.path, made.secret) as reopened:
        assert reopened.records == 8 and reopened.unfinished_save is None
        assert dump(reopened.db.conn) == expected
        assert searches(JournalRepository(reopened.db)) == found
        reopened.db.conn.execute("INSERT INTO entries_fts(entries_fts) VALUES('integrity-check')")
        assert reopened.db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    vault.db.close()


def test_saves_append_until_something_asks_for_a_whole_image(tmp_path):
    made = make_journal(tmp_path, ("first",))
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["second"])
        job = vault.prepare_save()
        assert job.payload is not None and job.image == b""
        job.run()
        assert vault.records == 1
        job = vault.prepare_save(compact=True)
        assert job.payload is None  # asked for
        job.run()
        assert vault.records == 0
        vault.db.conn.execute("CREATE TABLE later_table (id INTEGER PRIMARY KEY)")
        job = vault.prepare_save()
        assert job.payload is None  # the schema changed
        job.run()
        vault.db.conn.execute("INSERT INTO later_table VALUES (1)")  # captured from now on
        job = vault.prepare_save()
        assert job.payload is not None and b"later_table" in job.payload
        job.run()
    with Vault.open(made.path, made.secret) as vault:
        assert vault.db.conn.execute("SELECT id FROM later_table").fetchall() == [(1,)]


def test_a_save_prepared_while_another_is_unwritten_is_a_whole_image(tmp_path):
    made = make_journal(tmp_path, ("first",))
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["second"])
        first = vault.prepare_save()
        add_entries(vault, ["third"])
        second = vault.prepare_save()
        assert first.payload is not None and second.payload is None
        first.run()
        second.run()
        assert not vault.dirty
    assert sorted(titles_in_file(made)) == ["first", "second", "third"]


def titles_in_file(made) -> list[str]:
    with Vault.open(made.path, made.secret) as vault:
        return titles_in(vault)


def test_too_many_rows_or_records_compact(tmp_path, monkeypatch):
    made = make_journal(tmp_path, ())
    monkeypatch.setattr(savelog, "MAX_ROWS", 5)
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["a"])
        job = vault.prepare_save()
        assert job.payload is not None
        job.run()
        add_entries(vault, [f"e{i}" for i in range(5)])
        job = vault.prepare_save()
        assert job.payload is None
        job.run()
    monkeypatch.setattr(savelog, "LOG_MAX_RECORDS", 2)
    with Vault.open(made.path, made.secret) as vault:
        for title in ("x", "y"):
            add_entries(vault, [title])
            vault.save()
        assert vault.records == 2
        add_entries(vault, ["z"])
        vault.save()
        assert vault.records == 0  # the third save compacted
    monkeypatch.setattr(savelog, "LOG_MIN_BYTES", 8192)
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["long " * 20000])
        vault.save()
        assert vault.records == 0  # more than the log may grow: a whole image


def test_the_generation_moves_on_with_each_record(tmp_path):
    made = make_journal(tmp_path, ())
    with Vault.open(made.path, made.secret) as vault:
        start = vault.generation
        for title in ("a", "b", "c"):
            add_entries(vault, [title])
            assert vault.save() == vault.generation
        assert vault.generation == start + 3
        crash(vault)
    with Vault.open(made.path, made.secret) as vault:
        assert vault.generation == start + 3


def test_closing_compacts_what_the_sitting_appended(tmp_path):
    made = make_journal(tmp_path, ("first",))
    with Vault.open(made.path, made.secret) as vault:
        generation = vault.generation
        add_entries(vault, ["second"])
        vault.save()
        assert vault.records == 1 and vault.needs_compaction
    data = made.path.read_bytes()
    assert len(data) == ff.parse(data).body_end  # a whole image, no records
    with Vault.open(made.path, made.secret) as vault:
        assert vault.generation == generation + 1  # the compaction is the same journal
        assert not vault.needs_compaction
        before = made.path.read_bytes()
    assert made.path.read_bytes() == before  # a sitting that saved nothing writes nothing


def test_closing_with_additions_kept_leaves_the_records(tmp_path):
    made = make_journal(tmp_path, ("first",))
    vault = Vault.open(made.path, made.secret)
    add_entries(vault, ["added"])
    vault.save()
    vault.close(keep_additions=True)
    assert titles_in_file(made) == ["added", "first"]
    data = made.path.read_bytes()
    assert len(data) > ff.parse(data).body_end  # the record stayed
    vault = Vault.open(made.path, made.secret)
    repo = JournalRepository(vault.db)
    repo.delete_entry(repo.list_entries()[0].id)
    vault.save()
    vault.close(keep_additions=True)  # a record that removes text: compacted anyway
    data = made.path.read_bytes()
    assert len(data) == ff.parse(data).body_end


@pytest.mark.parametrize("change", ["grown", "cut", "same size"])
def test_a_file_changed_on_disk_is_never_appended_to(tmp_path, change):
    made = make_journal(tmp_path, ("shared",))
    with Vault.open(made.path, made.secret) as vault:
        add_entries(vault, ["here"])
        vault.save()
        data = made.path.read_bytes()
        if change == "grown":  # another device's record, synced in
            changed = data + data[-4096:]
        elif change == "cut":
            changed = data[:ff.parse(data).body_end]
        else:
            changed = data[:-1] + bytes([data[-1] ^ 1])
        made.path.write_bytes(changed)
        add_entries(vault, ["not written over it"])
        with pytest.raises(ChangedOnDiskError):
            vault.save()
        assert made.path.read_bytes() == changed and vault.dirty
        vault._saved_changes = vault.change_count  # (the user chose to drop it: close)


def test_a_header_only_passphrase_change_keeps_the_records(tmp_path):
    made = make_journal(tmp_path, ("first",))
    vault = Vault.open(made.path, made.secret)
    add_entries(vault, ["in a record"])
    vault.save()
    crash(vault)
    data = made.path.read_bytes()
    records = data[ff.parse(data).body_end:]
    change_passphrase_file(made.path, made.secret, "a new passphrase", FAST_KDF)
    after = made.path.read_bytes()
    assert after.endswith(records) and ff.parse(after).ciphertext == ff.parse(data).ciphertext
    with Vault.open(made.path, Secret(passphrase="a new passphrase")) as reopened:
        assert titles_in(reopened) == ["first", "in a record"]
        assert reopened.records == 1
    vault.db.close()


def test_capture_leaves_out_the_tables_triggers_keep():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("CREATE TABLE derived (id INTEGER PRIMARY KEY, n INTEGER)")
    conn.execute("CREATE TRIGGER keep AFTER INSERT ON notes BEGIN "
                 "INSERT INTO derived(id, n) VALUES (new.id, length(new.body)); END")
    conn.execute("CREATE VIRTUAL TABLE idx USING fts5(body)")
    cap = capture.Capture(conn)
    assert cap.supported and cap.plan == {"notes": "notes", "idx_content": "idx"}
    conn.execute("INSERT INTO notes(body) VALUES ('hello')")
    conn.execute("INSERT INTO idx(rowid, body) VALUES (1, 'hello')")
    payload, removing = cap.collect()
    assert not removing
    replayed = sqlite3.connect(":memory:", isolation_level=None)
    for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                               "AND name NOT LIKE 'idx_%'"):
        replayed.execute(sql)
    capture.replay(replayed, [payload])
    assert replayed.execute("SELECT * FROM derived").fetchall() == [(1, 5)]  # by the trigger
    assert replayed.execute("SELECT rowid FROM idx WHERE idx MATCH 'hello'").fetchall() == [(1,)]


def test_record_framing_is_4_kib_units():
    assert changelog.frame_len(0) == 4096
    assert changelog.frame_len(4096 - 36 - changelog.RECORD_HEAD.size) == 4096
    assert changelog.frame_len(4096 - 36 - changelog.RECORD_HEAD.size + 1) == 8192


def test_lock_while_an_append_is_being_written(tmp_path):
    """Closing (the idle lock) while a worker appends: it waits for the record, then
    compacts; the journal opens with everything."""
    import os
    import threading

    made = make_journal(tmp_path, ("first",))
    vault = Vault.open(made.path, made.secret)
    add_entries(vault, ["appended while locking"])
    job = vault.prepare_save()
    assert job.payload is not None
    writing, go = threading.Event(), threading.Event()

    def slow(fd, view):
        writing.set()
        go.wait(10)
        return os.write(fd, view)

    vault._writer = slow
    worker = threading.Thread(target=job.run)
    worker.start()
    writing.wait(10)
    closer = threading.Thread(target=vault.close)
    closer.start()
    closer.join(0.2)
    assert closer.is_alive()  # waiting for the record
    go.set()
    worker.join(10)
    closer.join(10)
    assert not closer.is_alive() and vault.closed
    data = made.path.read_bytes()
    assert len(data) == ff.parse(data).body_end  # compacted after the append
    assert titles_in_file(made) == ["appended while locking", "first"]


def test_a_change_to_a_table_without_rowid_asks_for_a_whole_image(tmp_path):
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("CREATE TABLE words (w TEXT PRIMARY KEY) WITHOUT ROWID")
    cap = capture.Capture(conn)
    assert cap.plan == {"notes": "notes", "words": ""}
    conn.execute("INSERT INTO notes(body) VALUES ('x')")
    assert cap.pending() == 1
    conn.execute("INSERT INTO words VALUES ('y')")
    assert cap.pending() > savelog.MAX_ROWS
