"""Repositories: domain dataclasses in, domain dataclasses out. One ORM session per call."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from journal_app.domain.entities import (
    HEAD_BODY_CHARS,
    HEAD_SKIPPED,
    Entry,
    EntryHead,
    EntryKind,
    Modality,
    SearchHit,
    Setting,
    TreatmentSession,
)
from journal_app.domain.search import Query, SearchFilters, SearchOrder
from journal_app.storage import search, tags
from journal_app.storage.database import Database
from journal_app.storage.tables import EntryRow, MetaRow, SessionRow, TagRow


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _dt(text_value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text_value)


def _entry(row: EntryRow) -> Entry:
    return Entry(
        kind=EntryKind(row.kind),
        title=row.title,
        body=row.body,
        tags=tuple(t.name for t in row.tags),
        private=row.private,
        created_at=_dt(row.created_at),
        updated_at=_dt(row.updated_at),
        session_id=row.session_id,
        id=row.id,
        uid=row.uid,
    )


def _session(row: SessionRow) -> TreatmentSession:
    return TreatmentSession(
        starts_at=_dt(row.starts_at),
        modality=Modality(row.modality),
        setting=Setting(row.setting),
        number=row.number,
        provider=row.provider,
        notes=row.notes,
        id=row.id,
        uid=row.uid,
        created_at=_dt(row.created_at),
        updated_at=_dt(row.updated_at),
    )


_NEWEST_FIRST = (func.julianday(EntryRow.created_at).desc(), EntryRow.id.desc())
_HEAD_COLUMNS = ("SELECT id, kind, title, substr(ltrim(body, ?), 1, ?), created_at, private, "
                 "session_id FROM entries ")
_HEADS_SQL = _HEAD_COLUMNS + "ORDER BY julianday(created_at) DESC, id DESC"
_IDS_SQL = "SELECT id FROM entries ORDER BY julianday(created_at) DESC, id DESC"
_SESSIONS_SQL = ("SELECT starts_at, modality, setting, number, provider, notes, id, uid, "
                 "created_at, updated_at FROM sessions ORDER BY julianday(starts_at), id")
# Counted per tag id before the names are joined: one pass over entry_tags, no join per row.
_TAG_COUNTS_SQL = ("SELECT t.name, c.n FROM (SELECT tag_id, count(*) AS n FROM entry_tags "
                   "GROUP BY tag_id) AS c JOIN tags AS t ON t.id = c.tag_id ORDER BY t.name")
_HEADS_AT_ONCE = 500  # ids per query (SQLite's bound on parameters is far above)


def _heads(rows: Iterable[tuple[Any, ...]]) -> list[EntryHead]:
    return [EntryHead(entry_id, kind, title, body_start, _dt(created_at), bool(private),
                      session_id)
            for entry_id, kind, title, body_start, created_at, private, session_id in rows]


class JournalRepository:
    """Everything the app reads and writes inside an unlocked journal.

    Writes need not be reported: the vault sees them in the database's change counter.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def _write(self) -> Session:
        return self.db.session()

    # ------------------------------------------------------------------ entries
    def add_entry(self, entry: Entry) -> Entry:
        with self._write() as s, s.begin():
            row = EntryRow(uid=entry.uid or uuid.uuid4().hex)
            self._fill(s, row, entry)
            s.add(row)
            s.flush()
            result = _entry(row)
        return result

    def add_entries(self, entries: Sequence[Entry]) -> list[Entry]:
        """Add many entries in one transaction (an import): what :meth:`add_entry` does
        for each, without a session, a tag lookup and a flush per entry."""
        if not entries:
            return []
        with self._write() as s, s.begin():
            known = {t.name: t for t in s.scalars(select(TagRow))}
            rows = []
            for entry in entries:
                row = EntryRow(uid=entry.uid or uuid.uuid4().hex)
                self._fill(s, row, entry, known)
                s.add(row)
                rows.append(row)
            s.flush()
            return [_entry(row) for row in rows]

    def entries_by_uid(self, uids: Iterable[str]) -> dict[str, Entry]:
        """The stored entries among ``uids``, by uid (a few queries, not one per uid)."""
        wanted = list(dict.fromkeys(u for u in uids if u))
        found: dict[str, Entry] = {}
        with self.db.session() as s:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                for row in s.scalars(select(EntryRow).where(EntryRow.uid.in_(chunk))):
                    found[row.uid] = _entry(row)
        return found

    def update_entry(self, entry: Entry) -> Entry:
        if entry.id is None:
            raise ValueError("update_entry needs a stored entry")
        with self._write() as s, s.begin():
            row = s.get(EntryRow, entry.id)
            if row is None:
                raise KeyError(entry.id)
            self._fill(s, row, entry)
            s.flush()
            result = _entry(row)
        return result

    def delete_entry(self, entry_id: int) -> None:
        with self._write() as s, s.begin():
            s.execute(delete(EntryRow).where(EntryRow.id == entry_id))
            # Merge the full-text index so the deleted words leave its pages too.
            s.execute(text("INSERT INTO entries_fts(entries_fts) VALUES('optimize')"))
            self._drop_unused_tags(s)

    def get_entry(self, entry_id: int) -> Entry | None:
        with self.db.session() as s:
            row = s.get(EntryRow, entry_id)
            return _entry(row) if row else None

    def find_entry_by_uid(self, uid: str) -> Entry | None:
        with self.db.session() as s:
            row = s.scalar(select(EntryRow).where(EntryRow.uid == uid))
            return _entry(row) if row else None

    def list_entries(self, *, kind: EntryKind | None = None, include_private: bool = True,
                     session_id: int | None = None, limit: int | None = None) -> list[Entry]:
        query = select(EntryRow).order_by(*_NEWEST_FIRST)
        if kind is not None:
            query = query.where(EntryRow.kind == kind.value)
        if not include_private:
            query = query.where(EntryRow.private.is_(False))
        if session_id is not None:
            query = query.where(EntryRow.session_id == session_id)
        if limit is not None:
            query = query.limit(limit)
        with self.db.session() as s:
            return [_entry(r) for r in s.scalars(query)]

    def list_entry_heads(self) -> list[EntryHead]:
        """Every entry, newest first, as a light head: no tags, and only the start of the
        body. One plain SQL query: a list of ten thousand entries needs neither their whole
        text nor ORM objects."""
        return _heads(self.db.conn.execute(_HEADS_SQL, (HEAD_SKIPPED, HEAD_BODY_CHARS)))

    def list_entry_ids(self) -> list[int]:
        """Every entry's id, newest first (the order of :meth:`list_entry_heads`): what a
        long list needs at once; its rows' heads come from :meth:`entry_heads` as shown."""
        return [entry_id for (entry_id,) in self.db.conn.execute(_IDS_SQL)]

    def entry_heads(self, entry_ids: Sequence[int]) -> list[EntryHead]:
        """The heads of the stored entries among ``entry_ids``, in the order given."""
        found: dict[int, EntryHead] = {}
        for start in range(0, len(entry_ids), _HEADS_AT_ONCE):
            chunk = list(entry_ids[start:start + _HEADS_AT_ONCE])
            sql = _HEAD_COLUMNS + f"WHERE id IN ({','.join('?' * len(chunk))})"
            rows = self.db.conn.execute(sql, (HEAD_SKIPPED, HEAD_BODY_CHARS, *chunk))
            found.update((head.id, head) for head in _heads(rows))
        return [found[i] for i in entry_ids if i in found]

    def count_entries(self) -> int:
        with self.db.session() as s:
            return s.scalar(select(func.count()).select_from(EntryRow)) or 0

    def _fill(self, s: Session, row: EntryRow, entry: Entry,
              known: dict[str, TagRow] | None = None) -> None:
        row.kind = entry.kind.value
        row.title = entry.title
        row.body = entry.body
        row.private = entry.private
        row.created_at = _iso(entry.created_at)
        row.updated_at = _iso(entry.updated_at)
        row.session_id = entry.session_id
        row.tags = self._tag_rows(s, entry.tags, known)

    def _tag_rows(self, s: Session, names: Iterable[str],
                  known: dict[str, TagRow] | None = None) -> list[TagRow]:
        """The tag rows for ``names``, made where missing; ``known`` (name -> row, kept up
        to date here) saves a query per name when many entries are added at once."""
        rows = []
        # Stored as they read back (tags.stored_name): one pass of normalize_tag can
        # leave a name that reads back as another tag, or none.
        for name in dict.fromkeys(n for n in map(tags.stored_name, names) if n):
            if known is not None and name in known:
                rows.append(known[name])
                continue
            tag = s.scalar(select(TagRow).where(TagRow.name == name))
            if tag is None:
                tag = TagRow(name=name)
                s.add(tag)
            if known is not None:
                known[name] = tag
            rows.append(tag)
        return rows

    @staticmethod
    def _drop_unused_tags(s: Session) -> None:
        s.execute(text("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM entry_tags)"))

    # ------------------------------------------------------------------ search and tags
    def search(self, query: str, *, limit: int = 100, include_private: bool = True,
               newest_first: bool = False) -> list[SearchHit]:
        """Entries matching ``query`` (see storage/search.py for filters and practices)."""
        filters = SearchFilters(kinds=frozenset(k.value for k in EntryKind),
                                private=None if include_private else False)
        order = SearchOrder.NEWEST if newest_first else SearchOrder.RELEVANCE
        parsed = Query.parse(query)
        if parsed.is_empty:
            return []
        results = search.SearchService(self.db).search(parsed, filters, order, limit)
        return [SearchHit(r.entry, r.snippet, r.rank) for r in results if r.entry]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Each tag in use with its number of entries, by name (plain SQL)."""
        return [(name, n) for name, n in self.db.conn.execute(_TAG_COUNTS_SQL)]

    def rename_tag(self, old: str, new: str) -> tags.TagChange:
        """Rename (or merge) a tag on every entry at once; keep the answer for Undo."""
        with self._write() as s, s.begin():
            change = tags.rename_tag(s, old, new)
        return change

    def undo_tag_change(self, change: tags.TagChange) -> None:
        with self._write() as s, s.begin():
            tags.undo_tag_change(s, change)

    # ------------------------------------------------------------------ sessions
    def add_session(self, session: TreatmentSession) -> TreatmentSession:
        with self._write() as s, s.begin():
            row = SessionRow(uid=session.uid or uuid.uuid4().hex)
            self._fill_session(row, session)
            s.add(row)
            s.flush()
            result = _session(row)
        return result

    def update_session(self, session: TreatmentSession) -> TreatmentSession:
        with self._write() as s, s.begin():
            row = s.get(SessionRow, session.id)
            if row is None:
                raise KeyError(session.id)
            self._fill_session(row, session)
            result = _session(row)
        return result

    def delete_session(self, session_id: int) -> None:
        with self._write() as s, s.begin():
            s.execute(delete(SessionRow).where(SessionRow.id == session_id))

    def get_session(self, session_id: int) -> TreatmentSession | None:
        with self.db.session() as s:
            row = s.get(SessionRow, session_id)
            return _session(row) if row else None

    def list_sessions(self) -> list[TreatmentSession]:
        """Every session, by date. One plain SQL query, no ORM objects."""
        return [TreatmentSession(_dt(starts_at), modality, setting, number,
                                 provider, notes, session_id, uid, _dt(created_at),
                                 _dt(updated_at))
                for starts_at, modality, setting, number, provider, notes, session_id, uid,
                created_at, updated_at in self.db.conn.execute(_SESSIONS_SQL)]

    def count_sessions(self) -> int:
        with self.db.session() as s:
            return s.scalar(select(func.count()).select_from(SessionRow)) or 0

    @staticmethod
    def _fill_session(row: SessionRow, session: TreatmentSession) -> None:
        row.starts_at = _iso(session.starts_at)
        row.modality = session.modality.value
        row.setting = session.setting.value
        row.number = session.number
        row.provider = session.provider
        row.notes = session.notes
        row.created_at = _iso(session.created_at)
        row.updated_at = _iso(session.updated_at)

    # ------------------------------------------------------------------ meta
    def get_meta(self, key: str, default: str = "") -> str:
        with self.db.session() as s:
            row = s.get(MetaRow, key)
            return row.value if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as s, s.begin():
            s.merge(MetaRow(key=key, value=value))
