"""Tags across the journal: counts, and renaming or merging one tag into another as one
atomic change that can be undone exactly.

Every function here runs inside the caller's transaction (``with session.begin()``): a
failure anywhere, even after half the entries were touched, leaves the journal as it was.
Entries keep their ``updated_at``: a tag renamed across the journal is not an edit of
what was written, and undoing it must give back exactly what there was. The search index
follows by itself (triggers on ``tags`` and ``entry_tags``, migration 0004).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from journal_app.domain.entities import normalize_tag

__all__ = ["TagChange", "rename_tag", "stored_name", "tag_counts", "undo_tag_change"]


def stored_name(raw: str) -> str:
    """The name a tag is stored under: ``normalize_tag`` applied until it stops changing.

    One pass is not always enough ("# #a" gives "#a", which gives "a"; a cut at the length
    limit can leave a trailing space), and an entry read back normalizes its tags again:
    a name stored after one pass would read back as another tag, or as none ("#"). Each
    pass after the first only shortens the name, so this ends. "" means no tag.
    """
    name = normalize_tag(raw)
    while (again := normalize_tag(name)) != name:
        name = again
    return name


@dataclass(frozen=True)
class TagChange:
    """What a rename did, enough to undo it: the entries that had ``old``, and which of
    them already had ``new`` (a merge). ``entry_uids`` names the same entries by uid: an
    entry deleted since may have left its id to a newer one, which undo must not touch."""

    old: str = field(repr=False)
    new: str = field(repr=False)
    entry_ids: tuple[int, ...] = ()
    already_new: tuple[int, ...] = ()
    merged: bool = False
    entry_uids: tuple[str, ...] = field(default=(), repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.entry_ids)


def tag_counts(s: Session) -> list[tuple[str, int]]:
    sql = text("SELECT t.name, count(et.entry_id) FROM tags AS t JOIN entry_tags AS et "
               "ON et.tag_id = t.id GROUP BY t.name ORDER BY t.name")
    return [(name, n) for name, n in s.execute(sql)]


def _tag_id(s: Session, name: str) -> int | None:
    found: int | None = s.scalar(text("SELECT id FROM tags WHERE name = :n"), {"n": name})
    return found


def _entries_with(s: Session, tag_id: int | None) -> list[int]:
    if tag_id is None:
        return []
    return list(s.scalars(text("SELECT entry_id FROM entry_tags WHERE tag_id = :t "
                               "ORDER BY entry_id"), {"t": tag_id}))


def _uids(s: Session, entry_ids: Sequence[int]) -> dict[int, str]:
    """The uid of each of ``entry_ids`` still in the journal."""
    ids = list(entry_ids)
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):  # stay well under SQLite's parameter limit
        chunk = tuple(ids[start:start + 500])
        marks = ", ".join("?" * len(chunk))  # placeholders only: the ids are parameters
        sql = f"SELECT id, uid FROM entries WHERE id IN ({marks})"  # noqa: S608
        found.update((e, uid) for e, uid in s.connection().exec_driver_sql(sql, chunk))
    return found


def _still_there(s: Session, change: TagChange) -> list[int]:
    """The entries of ``change`` that are still the same entries (by uid)."""
    if not change.entry_uids:  # made without uids: ids are all there is
        return list(change.entry_ids)
    now = _uids(s, change.entry_ids)
    return [e for e, uid in zip(change.entry_ids, change.entry_uids, strict=True)
            if now.get(e) == uid]


def _tag(s: Session, entry_ids: Sequence[int], tag_id: int) -> None:
    for entry_id in entry_ids:
        s.execute(text("INSERT OR IGNORE INTO entry_tags(entry_id, tag_id) "
                       "SELECT id, :t FROM entries WHERE id = :e"), {"e": entry_id, "t": tag_id})


def _new_tag(s: Session, name: str) -> int:
    s.execute(text("INSERT INTO tags(name) VALUES (:n)"), {"n": name})
    tag_id = _tag_id(s, name)
    assert tag_id is not None
    return tag_id


def rename_tag(s: Session, old: str, new: str) -> TagChange:
    """Rename ``old`` to ``new`` on every entry; if ``new`` is already a tag, merge into
    it. Raises KeyError when ``old`` is not a tag, ValueError when ``new`` is blank."""
    old, new = stored_name(old), stored_name(new)
    if not new:
        raise ValueError("a tag needs a name")
    old_id = _tag_id(s, old)
    if old_id is None:
        raise KeyError("no such tag")
    if new == old:
        return TagChange(old, new)
    entry_ids = _entries_with(s, old_id)
    by_id = _uids(s, entry_ids)
    uids = tuple(by_id[e] for e in entry_ids)
    new_id = _tag_id(s, new)
    if new_id is None:
        s.execute(text("UPDATE tags SET name = :n WHERE id = :t"), {"n": new, "t": old_id})
        change = TagChange(old, new, tuple(entry_ids), entry_uids=uids)
    else:
        already = set(_entries_with(s, new_id))
        _tag(s, [e for e in entry_ids if e not in already], new_id)
        s.execute(text("DELETE FROM entry_tags WHERE tag_id = :t"), {"t": old_id})
        s.execute(text("DELETE FROM tags WHERE id = :t"), {"t": old_id})
        change = TagChange(old, new, tuple(entry_ids),
                           tuple(e for e in entry_ids if e in already), merged=True,
                           entry_uids=uids)
    return change


def undo_tag_change(s: Session, change: TagChange) -> None:
    """Put back what ``change`` did: ``old`` on its entries again, and ``new`` only where it
    was before. Entries deleted since are skipped (and a newer entry that got the id of
    one deleted is left alone)."""
    if not change.changed:
        return
    entry_ids = _still_there(s, change)
    new_id = _tag_id(s, change.new)
    gained = [e for e in entry_ids if e not in set(change.already_new)]
    if (not change.merged and _tag_id(s, change.old) is None and new_id is not None
            and _entries_with(s, new_id) == sorted(gained)):
        # Nothing else uses the new name: rename back, keeping the tag itself.
        s.execute(text("UPDATE tags SET name = :n WHERE id = :t"),
                  {"n": change.old, "t": new_id})
    else:
        old_id = _tag_id(s, change.old) or _new_tag(s, change.old)
        _tag(s, entry_ids, old_id)
        if new_id is not None:
            for entry_id in gained:
                s.execute(text("DELETE FROM entry_tags WHERE tag_id = :t AND entry_id = :e"),
                          {"t": new_id, "e": entry_id})
            s.execute(text("DELETE FROM tags WHERE id = :t AND id NOT IN "
                           "(SELECT tag_id FROM entry_tags)"), {"t": new_id})
