"""The full-text index stops keeping its own copy of every entry: an external-content
FTS5 table over a view of the entries, kept in step by triggers.

Before, ``entries_fts`` stored title, body and tags a second time (its
``entries_fts_content`` table: about a third of the journal image, which is encrypted and
written whole on every save). Now it reads them from ``entries_fts_source``, a view that
gives exactly what the repository used to index:

* ``title``: the entry's title;
* ``body``: the body without the lines the prompt flows wrote (``indexed_body`` in
  domain/search.py), done in SQL with the lines kept in ``search_skipped_lines``;
* ``tags``: the entry's tag names, sorted, joined by spaces. These are kept in
  ``search_entry_tags`` as they were last indexed (only entries with tags have a row; a
  few bytes each), because FTS5 can only take a row out of an external-content index
  when it is given the very values it indexed, and a tag's rows change one by one.

Triggers on ``entries``, ``entry_tags`` and ``tags`` keep the index right for every
writer (the ORM, plain SQL, imports, merges, replays) without any of them calling search
code. Each trigger takes a row out only while the index has it, and puts one in only
while it hasn't (FTS5's ``entries_fts_docsize`` has one row per indexed entry), so a
writer that still writes the index itself (``DELETE FROM entries_fts WHERE rowid = ?``
before deleting an entry) does no harm. A writer must never *insert* into
``entries_fts`` itself: the entry is indexed already, and a second row corrupts it.
FTS5's plain ``integrity-check`` does not compare an external-content index with its
content; ``INSERT INTO entries_fts(entries_fts, rank) VALUES('integrity-check', 1)`` does.

Converting: when the old index holds exactly what the view gives (journals this app
wrote), its pages are kept and only the copy of the text goes; otherwise (older golden
files: tags unsorted, raw bodies) the index is made again from the entries. Either way it
is then merged into one piece, so no words of earlier edits linger in it. The freed pages
leave the image only when the database is vacuumed after the migration.

``INSERT OR REPLACE`` into ``entries`` deletes the row it replaces without firing delete
triggers unless ``PRAGMA recursive_triggers`` is on; the insert trigger then finds the
entry's id still indexed and rebuilds the whole index (slow, but never wrong). A replace
that gives the entry a new id needs ``recursive_triggers`` on to leave nothing behind.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sys

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: What ``str.strip()`` takes off a line (every character Python calls whitespace; a line
#: never holds a newline): ``indexed_body`` compares stripped lines.
_SPACES = [c for c in range(sys.maxunicode + 1) if chr(c).isspace() and c != 10]

#: The markers a generated line always holds; a body without any is indexed as it is
#: (indexed_body's own shortcut).
_MARKERS = ("## ", "- [ ] ", " / 10")


def indexed_body_sql(body: str) -> str:
    """SQL giving ``indexed_body(<body>)`` for the column expression ``body``: its lines
    (split by a recursive CTE) without those in ``search_skipped_lines`` once stripped.

    Only views use it: SQLite allows no WITH clause in a trigger (the triggers put the
    row they must take out of the index into ``search_pending`` and read it back
    through the view ``search_pending_indexed``), and FTS5 reads its content through a
    statement that may use no virtual table (so no ``json_each``)."""
    spaces = f"char({', '.join(map(str, _SPACES))})"
    kept = (
        "(WITH RECURSIVE split(rest, line, n) AS ("
        f"SELECT {body} || char(10), NULL, 0 UNION ALL "
        "SELECT substr(rest, instr(rest, char(10)) + 1), "
        "substr(rest, 1, instr(rest, char(10)) - 1), n + 1 FROM split WHERE rest <> '') "
        "SELECT coalesce(group_concat(line, char(10)), '') FROM (SELECT line FROM split "
        f"WHERE n > 0 AND trim(line, {spaces}) NOT IN "
        "(SELECT line FROM search_skipped_lines) ORDER BY n))")
    marked = " OR ".join(f"instr({body}, '{m}') > 0" for m in _MARKERS)
    # SQLite's text functions stop at a NUL character, so a body holding one can't be
    # split into lines here: it is indexed whole (indexed_body does the same).
    nul = f"instr(CAST({body} AS BLOB), X'00') > 0"
    return f"(CASE WHEN {nul} THEN {body} WHEN {marked} THEN {kept} ELSE {body} END)"


def tags_sql(entry_id: str) -> str:
    """SQL giving the entry's tag names, sorted, joined by spaces ('' for none)."""
    return ("(SELECT coalesce(group_concat(name, ' '), '') FROM (SELECT t.name AS name "
            "FROM entry_tags AS et JOIN tags AS t ON t.id = et.tag_id "
            f"WHERE et.entry_id = {entry_id} ORDER BY t.name))")


def _tags_now(entry_id: str) -> str:
    """The entry's tags as they are now (the view ``search_tags_now``)."""
    return f"(SELECT tags FROM search_tags_now WHERE id = {entry_id})"


def _indexed(entry_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM entries_fts_docsize WHERE id = {entry_id})"


def _kept_tags(entry_id: str) -> str:
    return f"coalesce((SELECT tags FROM search_entry_tags WHERE id = {entry_id}), '')"


def _index(where: str) -> str:
    """Put into the index the source rows matching ``where`` (on ``s``) not in it yet."""
    return ("INSERT INTO entries_fts(rowid, title, body, tags) "
            "SELECT s.id, s.title, s.body, s.tags FROM entries_fts_source AS s "
            f"WHERE {where} AND NOT {_indexed('s.id')};")


def _unindex(entry_id: str, title: str, body: str) -> str:
    """Take one entry out of the index, given the title and body it was indexed with
    (through ``search_pending``, whose view gives the indexed body)."""
    return (f"INSERT INTO search_pending(id, title, body) SELECT {entry_id}, {title}, {body} "
            f"WHERE {_indexed(entry_id)};"
            "INSERT INTO entries_fts(entries_fts, rowid, title, body, tags) "
            "SELECT 'delete', p.id, p.title, p.body, "
            f"{_kept_tags('p.id')} FROM search_pending_indexed AS p;"
            "DELETE FROM search_pending;")


def _retag(where: str) -> str:
    """Re-index the entries matching ``where`` (on ``e``) whose tags changed."""
    changed = f"{_kept_tags('e.id')} IS NOT {_tags_now('e.id')}"
    return (
        "INSERT INTO entries_fts(entries_fts, rowid, title, body, tags) "
        "SELECT 'delete', s.id, s.title, s.body, s.tags FROM entries_fts_source AS s "
        f"JOIN entries AS e ON e.id = s.id WHERE ({where}) AND {changed} "
        f"AND {_indexed('s.id')};"
        f"DELETE FROM search_entry_tags WHERE id IN (SELECT e.id FROM entries AS e "
        f"WHERE ({where}) AND {changed});"
        # Only the rows just taken out differ now (an entry without tags has none).
        f"INSERT INTO search_entry_tags(id, tags) SELECT e.id, {_tags_now('e.id')} "
        f"FROM entries AS e WHERE ({where}) AND {changed};"
        + _index(f"s.id IN (SELECT e.id FROM entries AS e WHERE {where})"))


def _triggers() -> dict[str, str]:
    """name -> CREATE TRIGGER statement."""
    return {
        "search_entry_added": (
            "AFTER INSERT ON entries BEGIN "
            "DELETE FROM search_entry_tags WHERE id = new.id;"
            f"INSERT INTO search_entry_tags(id, tags) SELECT id, tags FROM search_tags_now "
            "WHERE id = new.id AND tags <> '';"
            # The id is still indexed: the entry it had was replaced without a delete
            # trigger (INSERT OR REPLACE, recursive_triggers off). Its old words are
            # unknown now, so the whole index is made again from the entries.
            "INSERT INTO entries_fts(entries_fts) SELECT 'rebuild' "
            f"WHERE {_indexed('new.id')};"
            + _index("s.id = new.id") + " END"),
        "search_entry_changed": (
            "AFTER UPDATE OF id, title, body ON entries WHEN old.id IS NOT new.id "
            "OR old.title IS NOT new.title OR old.body IS NOT new.body BEGIN "
            + _unindex("old.id", "old.title", "old.body")
            + "UPDATE search_entry_tags SET id = new.id WHERE id = old.id;"
            + _index("s.id = new.id") + " END"),
        "search_entry_deleted": (
            "AFTER DELETE ON entries BEGIN "
            + _unindex("old.id", "old.title", "old.body")
            + "DELETE FROM search_entry_tags WHERE id = old.id; END"),
        "search_entry_tagged": (
            "AFTER INSERT ON entry_tags BEGIN " + _retag("e.id = new.entry_id") + " END"),
        "search_entry_untagged": (
            "AFTER DELETE ON entry_tags BEGIN " + _retag("e.id = old.entry_id") + " END"),
        "search_entry_tag_moved": (
            "AFTER UPDATE ON entry_tags BEGIN "
            + _retag("e.id IN (old.entry_id, new.entry_id)") + " END"),
        "search_tag_renamed": (
            "AFTER UPDATE OF name ON tags WHEN old.name IS NOT new.name BEGIN "
            + _retag("e.id IN (SELECT entry_id FROM entry_tags WHERE tag_id = new.id)")
            + " END"),
        "search_tag_deleted": (
            # With foreign keys on, the tag's entry_tags rows go too and re-index their
            # entries; without, this does it for the rows left pointing at nothing.
            "AFTER DELETE ON tags BEGIN "
            + _retag("e.id IN (SELECT entry_id FROM entry_tags WHERE tag_id = old.id)")
            + " END"),
    }


def _execute(sql: str) -> None:
    # Driver SQL: nothing here is a bind parameter (SQLAlchemy's text() would read ':').
    op.get_bind().exec_driver_sql(sql)


def _old_index_matches() -> bool:
    """Whether the old index (with its own copy of the text) holds, row for row, what
    ``entries_fts_source`` gives: the same entries, titles, indexed bodies and tags.
    (An inner join: a LEFT JOIN onto the view would make SQLite materialize it.)"""
    same = op.get_bind().exec_driver_sql(
        "SELECT (SELECT count(*) FROM entries_fts_content AS c JOIN entries_fts_source AS s "
        "ON s.id = c.id WHERE c.c0 IS s.title AND c.c1 IS s.body AND c.c2 IS s.tags) "
        "= (SELECT count(*) FROM entries) "
        "AND (SELECT count(*) FROM entries_fts_content) = (SELECT count(*) FROM entries) "
        "AND (SELECT count(*) FROM entries_fts_docsize) = (SELECT count(*) FROM entries)"
    ).scalar()
    return bool(same)


def upgrade() -> None:
    from journal_app.storage.search import skipped_lines

    _execute("CREATE TABLE search_skipped_lines (line TEXT PRIMARY KEY) WITHOUT ROWID")
    for line in sorted(skipped_lines()):
        op.get_bind().exec_driver_sql(
            "INSERT INTO search_skipped_lines(line) VALUES (?)", (line,))
    _execute("CREATE TABLE search_entry_tags (id INTEGER PRIMARY KEY, tags TEXT NOT NULL)")
    _execute(f"CREATE VIEW search_tags_now AS SELECT e.id AS id, {tags_sql('e.id')} AS tags "
             "FROM entries AS e")
    _execute("INSERT INTO search_entry_tags(id, tags) SELECT id, tags FROM search_tags_now "
             "WHERE tags <> ''")
    _execute(
        "CREATE VIEW entries_fts_source AS SELECT e.id AS id, e.title AS title, "
        f"{indexed_body_sql('e.body')} AS body, coalesce(k.tags, '') AS tags "
        "FROM entries AS e LEFT JOIN search_entry_tags AS k ON k.id = e.id")
    # Always empty between statements: a trigger's scratch row (see _unindex).
    _execute("CREATE TABLE search_pending (id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
             "body TEXT NOT NULL)")
    _execute("CREATE VIEW search_pending_indexed AS SELECT p.id AS id, p.title AS title, "
             f"{indexed_body_sql('p.body')} AS body FROM search_pending AS p")
    _execute(
        "CREATE VIRTUAL TABLE search_index_new USING fts5(title, body, tags, "
        "content = 'entries_fts_source', content_rowid = 'id', "
        "tokenize = 'unicode61 remove_diacritics 2')")
    if _old_index_matches():
        # The old index holds exactly what the view gives: keep its pages (the index
        # itself does not depend on where the text is kept), which takes a copy, not
        # the tokenizing of every entry again (~5 s at 50,000 entries).
        for shadow in ("data", "idx", "docsize", "config"):
            _execute(f"DELETE FROM search_index_new_{shadow}")
            _execute(f"INSERT INTO search_index_new_{shadow} SELECT * FROM entries_fts_{shadow}")
        _execute("DROP TABLE entries_fts")
        _execute("ALTER TABLE search_index_new RENAME TO entries_fts")
    else:  # written by an older app (other tags order, other prompt lines): made again
        _execute("DROP TABLE entries_fts")
        _execute("ALTER TABLE search_index_new RENAME TO entries_fts")
        _execute("INSERT INTO entries_fts(entries_fts) VALUES('rebuild')")
    _execute("INSERT INTO entries_fts(entries_fts) VALUES('optimize')")
    for name, body in _triggers().items():
        _execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in _triggers():
        _execute(f"DROP TRIGGER IF EXISTS {name}")
    _execute("CREATE TABLE search_index_copy AS SELECT id, title, body, tags "
             "FROM entries_fts_source")
    _execute("DROP TABLE entries_fts")
    _execute("DROP VIEW search_pending_indexed")
    _execute("DROP TABLE search_pending")
    _execute("DROP VIEW entries_fts_source")
    _execute("DROP VIEW search_tags_now")
    _execute("DROP TABLE search_entry_tags")
    _execute("DROP TABLE search_skipped_lines")
    _execute("CREATE VIRTUAL TABLE entries_fts USING fts5("
             "title, body, tags, tokenize = 'unicode61 remove_diacritics 2')")
    _execute("INSERT INTO entries_fts(rowid, title, body, tags) "
             "SELECT id, title, body, tags FROM search_index_copy")
    _execute("DROP TABLE search_index_copy")
