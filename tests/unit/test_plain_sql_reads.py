"""The repository's plain-SQL reads (sessions, tag counts, entry heads by id) give exactly
what the ORM reads they replaced give, on a journal with awkward ordering and content."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from journal_app.domain.entities import (
    Entry,
    EntryHead,
    EntryKind,
    Modality,
    Setting,
    TreatmentSession,
)
from journal_app.storage import tags
from journal_app.storage.repository import JournalRepository, _session
from journal_app.storage.tables import SessionRow
from journal_app.storage.vault import Vault

EAST = dt.timezone(dt.timedelta(hours=5, minutes=30))
WEST = dt.timezone(dt.timedelta(hours=-8))


@pytest.fixture
def repo(tmp_path, fast_kdf):
    vault, _ = Vault.create(tmp_path / "j.ijournal", "correct horse battery", kdf=fast_kdf)
    repo = JournalRepository(vault.db)
    _fill(repo)
    yield repo
    vault.close()


def _fill(repo: JournalRepository) -> None:
    base = dt.datetime(2025, 3, 1, 9, tzinfo=EAST)
    modalities, settings = list(Modality), list(Setting)
    for n in range(24):
        zone = (EAST, WEST, dt.UTC)[n % 3]
        # Local clock times that sort differently from the instants they name; ties too.
        starts = (base + dt.timedelta(days=n // 2, hours=(n % 5) * 7)).astimezone(zone)
        repo.add_session(TreatmentSession(
            starts_at=starts, modality=modalities[n % len(modalities)],
            setting=settings[n % 2], number=None if n % 4 == 0 else n + 1,
            provider=("", "Dr. Ōkubo", "clinic ‘north’\n")[n % 3],
            notes=("", "felt lighter", "x" * 3000)[n % 3],
            created_at=starts - dt.timedelta(days=3), updated_at=starts))
    twin = dt.datetime(2025, 4, 1, 12, tzinfo=WEST)
    repo.add_session(TreatmentSession(starts_at=twin))
    repo.add_session(TreatmentSession(starts_at=twin.astimezone(EAST)))  # the same instant
    for n in range(60):
        when = (base + dt.timedelta(hours=n * 5)).astimezone((EAST, WEST)[n % 2])
        repo.add_entry(Entry(kind=list(EntryKind)[n % len(EntryKind)],
                             title=("", f"Title {n}", " padded ")[n % 3],
                             body=("\n\n  # Heading\n" + "words " * (n * 20), "", "short")[n % 3],
                             tags=(("ocean", "Grief"), (), ("ocean",), ("dream", "sea"))[n % 4],
                             private=n % 5 == 0, created_at=when, updated_at=when))


def _orm_sessions(repo: JournalRepository) -> list[TreatmentSession]:
    """The ORM read that list_sessions was before it became plain SQL."""
    query = select(SessionRow).order_by(func.julianday(SessionRow.starts_at), SessionRow.id)
    with repo.db.session() as s:
        return [_session(r) for r in s.scalars(query)]


def test_sessions_read_by_plain_sql_are_the_orm_sessions(repo):
    plain, orm = repo.list_sessions(), _orm_sessions(repo)
    assert len(plain) == 26
    assert plain == orm
    assert [s.starts_at.utcoffset() for s in plain] == [s.starts_at.utcoffset() for s in orm]
    assert all(type(s.modality) is Modality and type(s.setting) is Setting for s in plain)
    assert [s.id for s in plain] != sorted(s.id for s in plain)  # the date decides the order


def test_tag_counts_read_by_plain_sql_are_the_orm_counts(repo):
    with repo.db.session() as s:
        orm = tags.tag_counts(s)
    assert repo.tag_counts() == orm
    assert dict(orm)["ocean"] == 30


def test_entry_ids_and_heads_by_id_are_the_whole_list_of_heads(repo):
    heads = repo.list_entry_heads()
    assert repo.list_entry_ids() == [h.id for h in heads] == [e.id for e in repo.list_entries()]
    assert repo.entry_heads(repo.list_entry_ids()) == heads
    picked = [heads[7].id, heads[2].id, 99_999, heads[40].id]  # any order; unknown ids left out
    assert repo.entry_heads(picked) == [heads[7], heads[2], heads[40]]
    assert repo.entry_heads([]) == []
    assert all(isinstance(h, EntryHead) and type(h.kind) is EntryKind for h in heads)


def test_heads_by_id_in_more_than_one_query(repo, monkeypatch):
    monkeypatch.setattr("journal_app.storage.repository._HEADS_AT_ONCE", 7)
    ids = repo.list_entry_ids()
    assert repo.entry_heads(ids) == repo.list_entry_heads()
