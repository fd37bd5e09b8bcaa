"""Search: the full-text index of entries, and queries with filters over entries and
practices. The one engine behind the GUI's search page and the CLI's ``search``.

Entries are found through the FTS5 table ``entries_fts`` (rowid = entries.id; title,
body, tags; ``unicode61 remove_diacritics 2``), an external-content index over the view
``entries_fts_source`` kept by triggers (migration 0004): it stores no copy of the text.
Plain-text terms (scripts without spaces, emoji; see domain/search.py) are checked with
``instr`` over the entries. A second, trigram index was measured and left out: it more
than doubled the journal image, which is encrypted and written whole on every save, and
the scan it would replace takes ~15-35 ms on a 10,000-entry journal. Practices are few
(one a session) and are matched in Python.

Finding is two steps, so a results view can hold every match and load text as it
scrolls: ``find`` returns cheap ``Match`` rows in order; ``load`` turns a slice of them
into ``SearchResult``\\ s with marked snippets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from journal_app.domain import highlight
from journal_app.domain.practices import DESCRIPTION_PROMPT, Practice
from journal_app.domain.search import (
    PRACTICE_KIND,
    Match,
    Query,
    SearchFilters,
    SearchOrder,
    SearchResult,
    indexed_body,
)
from journal_app.storage import reader

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from journal_app.storage.database import Database

__all__ = ["SearchService", "index_entry", "purge_removed_words", "reindex_entries",
           "skipped_lines", "unindex_entry"]

# bm25 weights for title, body, tags: a word in the title or a tag says more than one
# somewhere in a long body.
_RANK = "bm25(entries_fts, 4.0, 1.0, 2.5)"
_TAGGED = ("e.id IN (SELECT et.entry_id FROM entry_tags AS et JOIN tags AS t "
           "ON t.id = et.tag_id WHERE t.name = :{p})")
_HAS_TEXT = ("(instr(e.title, :{p}) > 0 OR instr(e.body, :{p}) > 0 OR EXISTS ("
             "SELECT 1 FROM entry_tags AS et JOIN tags AS t ON t.id = et.tag_id "
             "WHERE et.entry_id = e.id AND instr(t.name, :{p}) > 0))")


# --------------------------------------------------------------------------- the index
# Kept by SQL triggers (migration 0004): every write to entries, entry_tags or tags, by
# any writer, updates it in the same statement. The index holds no copy of the text: it
# reads title, indexed body and tags from the view ``entries_fts_source``.


def skipped_lines() -> frozenset[str]:
    """The lines ``indexed_body`` leaves out, as the journal keeps them for its triggers
    (table ``search_skipped_lines``, filled by migration 0004). A change to the prompt
    library's questions or options needs a migration that refills the table and rebuilds
    the index (tests/unit/test_search_index.py checks they agree)."""
    from journal_app.domain.search import _generated_lines

    return _generated_lines()


def index_entry(s: Session, entry_id: int, title: str, body: str, tags: Sequence[str]) -> None:
    """Nothing to do: the triggers have indexed the entry when its rows were written.
    Kept until the repository stops calling it."""


def unindex_entry(s: Session, entry_id: int) -> None:
    """Nothing to do: deleting the entry takes it out of the index (a trigger)."""


def reindex_entries(s: Session, entry_ids: Sequence[int]) -> None:
    """Nothing to do: changing a tag re-indexes its entries (triggers)."""


def purge_removed_words(db: Database) -> None:
    """Merge the full-text index into one piece, so words taken out of an edited entry
    leave its pages too (FTS5 keeps a replaced row's words in its older segments until
    they are merged; deleting an entry already merges). A no-op when nothing changed
    since the last merge; ~0.1-0.3 s on a 10,000-entry journal otherwise, so it belongs
    before the last save of a sitting (lock, quit), not after every edit."""
    db.conn.execute("INSERT INTO entries_fts(entries_fts) VALUES('optimize')")


# --------------------------------------------------------------------------- queries


class _EntryQuery:
    """The SQL for one search over entries: fixed fragments, every value a bound
    parameter (nothing the person typed is ever put into the SQL text)."""

    def __init__(self, query: Query, filters: SearchFilters) -> None:
        self.fts = query.fts()
        self.where: list[str] = []
        self.params: dict[str, Any] = {}
        if self.fts is not None:
            self.where.append("entries_fts MATCH :fts")
            self.params["fts"] = self.fts
        elif (excluded := query.excluded_fts()) is not None:
            self.where.append("e.id NOT IN (SELECT rowid FROM entries_fts "
                              "WHERE entries_fts MATCH :xfts)")
            self.params["xfts"] = excluded
        for i, piece in enumerate(query.substrings):
            self._add(_HAS_TEXT, f"s{i}", piece)
        for i, piece in enumerate(query.excluded_substrings):
            self._add("NOT " + _HAS_TEXT, f"x{i}", piece)
        self._filters(filters)

    def _add(self, fragment: str, name: str, value: object) -> None:
        self.where.append(fragment.format(p=name))
        self.params[name] = value

    def _filters(self, filters: SearchFilters) -> None:
        if filters.entry_kinds:
            names = [f"k{i}" for i in range(len(filters.entry_kinds))]
            self.where.append(f"e.kind IN ({', '.join(':' + n for n in names)})")
            self.params.update(zip(names, filters.entry_kinds, strict=True))
        for i, tag in enumerate(filters.tags):
            self._add(_TAGGED, f"t{i}", tag)
        if filters.session_id is not None:
            self._add("e.session_id = :{p}", "sid", filters.session_id)
        # The stored time starts with the local date the entry was written on.
        if filters.date_from is not None:
            self._add("substr(e.created_at, 1, 10) >= :{p}", "dfrom",
                      filters.date_from.isoformat())
        if filters.date_to is not None:
            self._add("substr(e.created_at, 1, 10) <= :{p}", "dto", filters.date_to.isoformat())
        if filters.private is not None:
            self._add("e.private = :{p}", "private", filters.private)

    def sql(self, order: SearchOrder, limit: int | None = None) -> str:
        """Rows of (id, julian day, rank) in ``order``; with ``limit``, SQLite keeps only
        the first ones while it ranks, instead of every match reaching Python."""
        source = "entries AS e"
        rank = "0.0"
        if self.fts is not None:
            source = "entries_fts JOIN entries AS e ON e.id = entries_fts.rowid"
            rank = _RANK
        newest = "julianday(e.created_at) DESC, e.id DESC"
        by = f"{rank}, {newest}" if order is SearchOrder.RELEVANCE and self.fts else newest
        where = " AND ".join(self.where) or "1"
        # Only the fixed fragments above are joined here; every value is a parameter.
        columns = f"e.id, julianday(e.created_at), {rank}"
        sql = f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {by}"  # noqa: S608
        if limit is not None:
            sql += " LIMIT :limit"
            self.params["limit"] = limit
        return sql


class SearchService:
    """Read-only searches over one open journal. Plain sqlite3 on ``Database.conn``: the
    command line's ``search`` runs exactly this code without importing SQLAlchemy."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ finding
    def find(self, query: str | Query, filters: SearchFilters = SearchFilters(),  # noqa: B008
             order: SearchOrder = SearchOrder.RELEVANCE) -> list[Match]:
        """Every match, in order. Nothing when there is neither a wanted term nor a
        filter (an empty search box shows no results, not the whole journal), nor while
        the query is ``too_short``."""
        return self._find(query, filters, order, None)

    def _find(self, query: str | Query, filters: SearchFilters, order: SearchOrder,
              limit: int | None) -> list[Match]:
        """``find``, or with ``limit`` only its first ``limit`` matches (the same ones)."""
        query = Query.parse(query) if isinstance(query, str) else query
        if (query.is_empty and filters.is_empty) or query.too_short:
            return []
        practices = (self._find_practices(query, filters)
                     if filters.wants_practices() else [])
        practices.sort(key=lambda m: m.day, reverse=True)
        wanted = limit
        if limit is not None and order is SearchOrder.RELEVANCE:
            wanted = max(0, limit - len(practices))  # practices come first, see below
        entries = (self._find_entries(query, filters, order, wanted)
                   if filters.wants_entries() and wanted != 0 else [])
        if order is SearchOrder.RELEVANCE:
            # The few practices (short texts, each a chosen intention for the week) come
            # first, then entries by rank.
            found = practices + entries
        else:
            # Newest first: any entry among the first ``limit`` of all is among the first
            # ``limit`` entries, so merging those is exact. Stable: entries before
            # practices on the same day, as without a limit.
            found = sorted(entries + practices, key=lambda m: m.day, reverse=True)
        return found if limit is None else found[:limit]

    def _find_entries(self, query: Query, filters: SearchFilters, order: SearchOrder,
                      limit: int | None = None) -> list[Match]:
        built = _EntryQuery(query, filters)
        rows = self.db.conn.execute(built.sql(order, limit), built.params).fetchall()
        entry = Match.ENTRY
        return [Match(entry, rid, day, rank) for rid, day, rank in rows]

    def _find_practices(self, query: Query, filters: SearchFilters) -> list[Match]:
        return [Match(PRACTICE_KIND, p.id, Match.julian_day(p.chosen_at))
                for p in self._practices()
                if p.id is not None and _practice_passes(p, filters)
                and _practice_matches(p, query)]

    def _practices(self) -> list[Practice]:
        return reader.practices(self.db.conn)

    def count(self, query: str | Query, filters: SearchFilters = SearchFilters()) -> int:  # noqa: B008
        return len(self.find(query, filters))

    # ------------------------------------------------------------------ loading
    def load(self, query: str | Query, matches: Sequence[Match]) -> list[SearchResult]:
        """The rows for ``matches`` (a slice of ``find``'s answer), in the same order.
        A match whose entry or practice has gone since is left out."""
        query = Query.parse(query) if isinstance(query, str) else query
        entry_ids = [m.id for m in matches if m.kind == Match.ENTRY]
        practice_ids = [m.id for m in matches if m.kind == PRACTICE_KIND]
        entries = self._load_entries(query, entry_ids)
        practices = self._load_practices(query, practice_ids)
        results = []
        for m in matches:
            found = (entries if m.kind == Match.ENTRY else practices).get(m.id)
            if found is not None:
                results.append(_with_rank(found, m.rank))
        return results

    def search(self, query: str | Query, filters: SearchFilters = SearchFilters(),  # noqa: B008
               order: SearchOrder = SearchOrder.RELEVANCE,
               limit: int | None = None) -> list[SearchResult]:
        """The first ``limit`` results (all without one), loaded: ``find`` and ``load`` in
        one call (the CLI, and small result sets), with the limit applied in SQL."""
        query = Query.parse(query) if isinstance(query, str) else query
        return self.load(query, self._find(query, filters, order, limit))

    def _load_entries(self, query: Query, ids: Sequence[int]) -> dict[int, SearchResult]:
        if not ids:
            return {}
        entries = reader.entries_by_id(self.db.conn, ids)
        # Snippets are cut and marked here rather than by FTS5's snippet(), which costs
        # ~4 ms a row for a short prefix ("o*" expands to hundreds of words), and which
        # knows nothing of the plain-text terms.
        return {entry_id: SearchResult(entry=e, snippet=highlight.build_snippet(
            indexed_body(e.body), query)) for entry_id, e in entries.items()}

    def _load_practices(self, query: Query, ids: Sequence[int]) -> dict[int, SearchResult]:
        if not ids:
            return {}
        wanted = set(ids)
        results = {}
        for practice in self._practices():
            if practice.id in wanted:
                # The description is the row's title; the snippet is how it went.
                note = practice.outcome_note
                snippet = highlight.build_snippet(note, query) if note.strip() else ""
                results[practice.id] = SearchResult(
                    practice=practice, snippet=snippet,
                    linked_entry_id=self._practice_entry(practice))
        return results

    def _practice_entry(self, practice: Practice) -> int | None:
        """The entry the practice was chosen in: the newest entry of its session that
        answered the practice prompt."""
        if practice.session_id is None:
            return None
        row = self.db.conn.execute(
            "SELECT e.id FROM prompt_answers AS pa JOIN entries AS e "
            "ON e.id = pa.entry_id WHERE pa.prompt_id = :p AND e.session_id = :sid "
            "ORDER BY julianday(e.created_at) DESC, e.id DESC LIMIT 1",
            {"p": DESCRIPTION_PROMPT, "sid": practice.session_id}).fetchone()
        return row[0] if row else None


def _practice_text(practice: Practice) -> str:
    return "\n".join(t for t in (practice.description, practice.outcome_note) if t.strip())


def _practice_matches(practice: Practice, query: Query) -> bool:
    text_ = _practice_text(practice)
    if not query.is_empty:
        return highlight.matches(text_, query)
    return not any(highlight.term_spans(text_, t) for t in query.terms if t.negated)


def _practice_passes(practice: Practice, filters: SearchFilters) -> bool:
    if filters.session_id is not None and practice.session_id != filters.session_id:
        return False
    day = practice.chosen_at.date()
    if filters.date_from is not None and day < filters.date_from:
        return False
    return not (filters.date_to is not None and day > filters.date_to)


def _with_rank(result: SearchResult, rank: float) -> SearchResult:
    return SearchResult(entry=result.entry, practice=result.practice, snippet=result.snippet,
                        rank=rank, linked_entry_id=result.linked_entry_id)
