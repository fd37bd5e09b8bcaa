"""Migration 0004 (the index without its copy of the text) finds what the old index found:
same entries, same order, same ranks, same marked snippets, on the golden files and on a
journal indexed the way the app did before."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from journal_app.domain.entities import EntryKind
from journal_app.domain.search import SearchFilters, SearchOrder, indexed_body
from journal_app.errors import MigrationError
from journal_app.storage import database, search
from journal_app.storage import fileformat as ff
from journal_app.storage.database import Database
from journal_app.storage.search import SearchService, skipped_lines
from journal_app.storage.vault import Secret, Vault
from tests.helpers.journals import snapshot

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
SIDECARS = sorted(GOLDEN.glob("journal-v*-rev*.json"))
GENERATED = sorted(skipped_lines())
WHEN = dt.datetime(2025, 3, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))

QUERIES = ["grandmother", "ocean", "o", "the", "\"the ocean\"", "fear -kindly", "river",
           "grief", "family", "feel", "ça", "日本語", "kitchen OR river", "tide -ocean", "w1",
           "calm sea", "\"a heron\"", "intention"]
FILTERS = [SearchFilters(), SearchFilters(private=False), SearchFilters(tags=("grief",)),
           SearchFilters(kinds=frozenset({"free"}))]


def results(db: Database, *, entries_only: bool = False) -> dict:
    """Every query and filter, both orders: (kind, id, rank, snippet) per row, in order.
    ``entries_only``: no practices (revision 0001 had none)."""
    service = SearchService(db)
    got = {}
    for query in QUERIES:
        for n, filters in enumerate(FILTERS):
            if entries_only and not filters.kinds:
                filters = replace(filters, kinds=frozenset(k.value for k in EntryKind))
            for order in SearchOrder:
                got[query, n, order.name] = [
                    (r.kind, r.entry.id if r.entry else r.practice.id, r.rank, r.snippet)
                    for r in service.search(query, filters, order)]
    return got


def migrated(db: Database, *, kept: bool | None = None) -> Database:
    """``db`` migrated to head and checked; ``kept``: whether the old index's pages were
    to be kept (True) or the index made again from the entries (False)."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        assert db.migrate() is True
    finally:
        db.conn.set_trace_callback(None)
    if kept is not None:
        assert any("INSERT INTO search_index_new_data" in s for s in statements) is kept
        assert any("VALUES('rebuild')" in s for s in statements) is not kept
    assert db.revision() == database.HEAD_REVISION == "0004"
    tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master")}
    assert "entries_fts_content" not in tables
    db.conn.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES('integrity-check', 1)")
    return db


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.stem)
def test_golden_files_find_the_same_after_migrating(sidecar, tmp_path):
    facts = json.loads(sidecar.read_text(encoding="utf-8"))
    copy = tmp_path / facts["file"]
    shutil.copyfile(GOLDEN / facts["file"], copy)
    parsed = ff.parse(copy.read_bytes())
    key = Secret(passphrase=facts["passphrase"]).unlock(parsed)
    db = Database(ff.decrypt(parsed, key).image)
    try:
        old = facts["schema_revision"] == "0001"
        before = results(db, entries_only=old)
        assert any(before.values())
        # Made before the index held sorted tags and bodies without the flows' lines.
        assert results(migrated(db, kept=False), entries_only=old) == before
    finally:
        db.close()


# --------------------------------------------------------------------------- as indexed before


def _old_index(conn, entry_id: int) -> None:
    """What search.index_entry did before 0004, for one entry's current rows."""
    title, body = conn.execute("SELECT title, body FROM entries WHERE id = ?",
                               (entry_id,)).fetchone()
    tags = [r[0] for r in conn.execute(
        "SELECT t.name FROM entry_tags AS et JOIN tags AS t ON t.id = et.tag_id "
        "WHERE et.entry_id = ?", (entry_id,))]
    conn.execute("DELETE FROM entries_fts WHERE rowid = ?", (entry_id,))
    conn.execute("INSERT INTO entries_fts(rowid, title, body, tags) VALUES (?, ?, ?, ?)",
                 (entry_id, title, indexed_body(body), " ".join(sorted(tags))))


def _journal_at_0003() -> bytes:
    """A journal at revision 0003 written and indexed as the app did then: prompt-flow
    bodies, tags, private entries, edits and deletes (old segments in the index)."""
    db = Database()
    from alembic import command

    cfg = database.alembic_config()
    try:
        with db.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "0003")
    finally:
        cfg.attributes.pop("connection", None)
    conn = db.conn
    conn.execute("BEGIN")
    for name in ("grief", "calm", "sea", "family"):
        conn.execute("INSERT INTO tags(name) VALUES (?)", (name,))
    for n in range(120):
        lines = [GENERATED[n % len(GENERATED)], f"w{n} the ocean and the tide",
                 "a heron" if n % 5 == 0 else "calm water", GENERATED[(n * 7) % len(GENERATED)],
                 f"{n % 11} / 10", "kitchen river" if n % 9 == 0 else "feel the sea"]
        when = (WHEN + dt.timedelta(days=n % 40, hours=n)).isoformat()
        conn.execute(
            "INSERT INTO entries(uid, kind, title, body, private, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (f"u{n}", "free" if n % 3 else "integration", f"Ocean {n}" if n % 4 == 0
             else f"Day {n}", "\n".join(lines), n % 6 == 0, when, when))
        entry_id = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        for tag_id in {1 + n % 4, 1 + (n * 3) % 4}:
            conn.execute("INSERT INTO entry_tags VALUES (?, ?)", (entry_id, tag_id))
        _old_index(conn, entry_id)
    for entry_id in range(1, 120, 7):  # edits
        conn.execute("UPDATE entries SET body = body || ' intention kept' WHERE id = ?",
                     (entry_id,))
        _old_index(conn, entry_id)
    for entry_id in range(3, 120, 13):  # deletes
        conn.execute("DELETE FROM entries_fts WHERE rowid = ?", (entry_id,))
        conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
    conn.execute("COMMIT")
    image = db.serialize()
    db.close()
    return image


def test_a_journal_indexed_the_old_way_finds_the_same_after_migrating():
    db = Database(_journal_at_0003())
    try:
        assert db.revision() == "0003"
        before = results(db)
        assert sum(map(len, before.values())) > 1000
        assert results(migrated(db, kept=True)) == before
    finally:
        db.close()


def test_the_migrated_image_holds_each_body_once():
    image = _journal_at_0003()
    db = Database(image)
    try:
        migrated(db)
        db.conn.execute("VACUUM")
        after = db.serialize()
    finally:
        db.close()
    assert after.count(b"w17 the ocean and the tide") == 1
    assert image.count(b"w17 the ocean and the tide") == 2


def test_a_failing_0004_leaves_the_journal_untouched(tmp_path, monkeypatch):
    """0004 breaking half-way (here: after its first new table, the old index dropped
    nowhere yet) changes no
    file, and the journal opens once it works."""
    sidecar = GOLDEN / "journal-v2-rev0003.json"
    facts = json.loads(sidecar.read_text(encoding="utf-8"))
    copy = tmp_path / "golden" / facts["file"]
    copy.parent.mkdir()
    shutil.copyfile(GOLDEN / facts["file"], copy)
    (copy.parent / (copy.name + ".lock")).touch()  # as after any earlier open
    before = snapshot(copy.parent)

    def broken() -> frozenset[str]:
        raise RuntimeError("0004 fails on purpose")

    monkeypatch.setattr(search, "skipped_lines", broken)
    with pytest.raises(MigrationError):
        Vault.open(copy, Secret(passphrase=facts["passphrase"]))
    assert snapshot(copy.parent) == before
    monkeypatch.undo()
    with Vault.open(copy, Secret(passphrase=facts["passphrase"])) as vault:
        assert vault.db.revision() == "0004"
        hits = SearchService(vault.db).search("grandmother")
        assert [r.entry.uid for r in hits if r.entry] == [facts["entries"][1]["uid"]]
