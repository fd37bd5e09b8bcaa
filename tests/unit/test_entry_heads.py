"""The journal list's light query: every entry's head, newest first, as the full entry has it."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import (
    HEAD_BODY_CHARS,
    Entry,
    EntryHead,
    EntryKind,
    TreatmentSession,
)
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault

EAST = dt.timezone(dt.timedelta(hours=2))
WEST = dt.timezone(dt.timedelta(hours=-7))


@pytest.fixture
def repo(tmp_path, fast_kdf):
    vault, _ = Vault.create(tmp_path / "j.ijournal", "correct horse battery", kdf=fast_kdf)
    yield JournalRepository(vault.db)
    vault.close()


def add(repo: JournalRepository, title: str, body: str, when: dt.datetime, **more) -> Entry:
    return repo.add_entry(Entry(kind=more.pop("kind", EntryKind.FREE), title=title, body=body,
                                created_at=when, updated_at=when, **more))


def test_heads_come_newest_first_like_the_entries(repo):
    # 18:00 at -07:00 is 01:00 UTC the next day: later than 23:00 at +02:00.
    west = add(repo, "West", "x", dt.datetime(2026, 5, 1, 18, tzinfo=WEST))
    east = add(repo, "East", "y", dt.datetime(2026, 5, 1, 23, tzinfo=EAST))
    twin = add(repo, "Twin", "z", dt.datetime(2026, 5, 1, 23, tzinfo=EAST))
    heads = repo.list_entry_heads()
    assert [h.id for h in heads] == [e.id for e in repo.list_entries()]
    assert [h.id for h in heads] == [west.id, twin.id, east.id]


def test_a_head_is_the_entry_without_its_whole_body_or_tags(repo):
    session = repo.add_session(TreatmentSession(starts_at=dt.datetime(2026, 4, 1, tzinfo=EAST)))
    body = "\n\n  # The sea at dawn\n\n" + "Long words. " * 400
    entry = add(repo, "", body, dt.datetime(2026, 4, 2, 9, 30, tzinfo=EAST),
                kind=EntryKind.INTEGRATION, private=True, session_id=session.id,
                tags=("ocean",))
    [head] = repo.list_entry_heads()
    assert head == EntryHead.of(entry)
    assert (head.id, head.kind, head.title, head.private, head.session_id) == (
        entry.id, EntryKind.INTEGRATION, "", True, session.id)
    assert head.created_at == entry.created_at
    assert head.created_at.utcoffset() == dt.timedelta(hours=2)
    assert head.display_title == entry.display_title == "The sea at dawn"
    assert len(head.body_start) <= HEAD_BODY_CHARS < len(entry.body)
    assert not hasattr(head, "tags") and not hasattr(head, "body")


def test_a_titled_entry_and_an_empty_one(repo):
    titled = add(repo, "  Walk by the river ", "body", dt.datetime(2026, 4, 3, tzinfo=EAST))
    empty = add(repo, "", "", dt.datetime(2026, 4, 2, tzinfo=EAST))
    heads = {h.id: h for h in repo.list_entry_heads()}
    assert heads[titled.id].display_title == "Walk by the river"
    assert heads[empty.id].display_title == "" and not heads[empty.id].private


def test_an_unstored_entry_has_no_head():
    with pytest.raises(ValueError):
        EntryHead.of(Entry(kind=EntryKind.FREE, title="", body=""))
