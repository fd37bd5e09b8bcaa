"""Check-ins are stored in the encrypted journal and come back as they went in."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import (
    CheckIn,
    IncompleteAnswersError,
    UnknownMeasureError,
    load_measures,
)
from journal_app.domain.trends import summarize
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault

PASS = "correct horse battery"
MEASURES = load_measures()
EAST = dt.timezone(dt.timedelta(hours=2))
WEST = dt.timezone(dt.timedelta(hours=-7))


@pytest.fixture
def vault(tmp_path, fast_kdf):
    created, _ = Vault.create(tmp_path / "j.ijournal", PASS, kdf=fast_kdf)
    yield created
    created.close()


def _reopen(vault: Vault) -> Vault:
    vault.save()
    path = vault.path
    vault.close()
    return Vault.open(path, Secret(passphrase=PASS))


def test_round_trip_through_save_and_reopen(vault):
    session = JournalRepository(vault.db).add_session(
        TreatmentSession(starts_at=dt.datetime(2026, 4, 1, 10, tzinfo=EAST), number=1))
    repo = CheckInRepository(vault.db)
    taken = dt.datetime(2026, 4, 2, 20, 15, 30, tzinfo=EAST)
    stored = repo.add(MEASURES["phq9"].new_check_in(
        [0, 1, 2, 3, 0, 1, 2, 3, 1], taken_at=taken, session_id=session.id,
        note="after the first session"))
    assert stored.id is not None and stored.uid
    assert vault.dirty

    reopened = _reopen(vault)
    try:
        again = CheckInRepository(reopened.db).get(stored.id)
    finally:
        reopened.close()
    assert again == stored
    assert again.answers == (0, 1, 2, 3, 0, 1, 2, 3, 1)
    assert again.taken_at == taken and again.taken_at.utcoffset() == dt.timedelta(hours=2)
    assert (again.measure_id, again.measure_version) == ("phq9", 1)
    assert (again.session_id, again.note) == (session.id, "after the first session")
    assert MEASURES["phq9"].score(again.answers).total == 13


def test_list_by_measure_in_date_order_across_time_zones(vault):
    repo = CheckInRepository(vault.db)
    # 18:00 at -07:00 is 01:00 UTC the next day: later than 23:00 at +02:00 (21:00 UTC).
    late_west = repo.add(CheckIn("mood", (4,), dt.datetime(2026, 5, 1, 18, tzinfo=WEST)))
    early = repo.add(CheckIn("mood", (6,), dt.datetime(2026, 5, 1, 8, tzinfo=EAST)))
    east_night = repo.add(CheckIn("mood", (5,), dt.datetime(2026, 5, 1, 23, tzinfo=EAST)))
    repo.add(CheckIn("gad7", (1,) * 7, dt.datetime(2026, 4, 1, 8, tzinfo=EAST)))

    assert [c.id for c in repo.list("mood")] == [early.id, east_night.id, late_west.id]
    assert [c.measure_id for c in repo.list()] == ["gad7", "mood", "mood", "mood"]
    assert repo.count() == 4 and repo.count("mood") == 3
    since = dt.datetime(2026, 5, 1, 22, tzinfo=dt.UTC)
    assert [c.id for c in repo.list("mood", since=since)] == [late_west.id]
    until = dt.datetime(2026, 5, 1, 21, tzinfo=dt.UTC)
    assert [c.id for c in repo.list(until=until)][-1] == east_night.id


def test_latest_is_the_last_taken_across_time_zones_and_per_measure(vault):
    repo = CheckInRepository(vault.db)
    assert repo.latest() is None and repo.latest("mood") is None
    # 18:00 at -07:00 (01:00 UTC next day) is later than 23:00 at +02:00, stored after it.
    late_west = repo.add(CheckIn("mood", (4,), dt.datetime(2026, 5, 1, 18, tzinfo=WEST)))
    repo.add(CheckIn("mood", (5,), dt.datetime(2026, 5, 1, 23, tzinfo=EAST)))
    gad = repo.add(CheckIn("gad7", (1,) * 7, dt.datetime(2026, 4, 1, 8, tzinfo=EAST)))
    assert repo.latest() == late_west == repo.list()[-1]
    assert repo.latest("gad7") == gad
    same_moment = repo.add(CheckIn("mood", (6,), late_west.taken_at))
    assert repo.latest() == same_moment == repo.list()[-1], "ties: the one stored last"


def test_list_by_session(vault):
    sessions = JournalRepository(vault.db)
    first = sessions.add_session(TreatmentSession(starts_at=dt.datetime(2026, 4, 1, tzinfo=EAST)))
    repo = CheckInRepository(vault.db)
    mine = repo.add(CheckIn("mood", (7,), session_id=first.id))
    repo.add(CheckIn("mood", (3,)))
    assert repo.list(session_id=first.id) == [mine]


def test_delete_and_get(vault):
    changes = []
    vault.db.add_change_listener(lambda: changes.append(1))
    repo = CheckInRepository(vault.db)
    stored = repo.add(CheckIn("peg", (7, 5, 6)))
    assert repo.find_by_uid(stored.uid) == stored
    assert repo.delete(stored.id) is True
    assert repo.get(stored.id) is None and repo.list() == []
    assert repo.delete(stored.id) is False
    assert len(changes) == 2  # one add, one real delete: the database says so itself
    assert vault.dirty


def test_incomplete_answers_are_never_stored(vault):
    repo = CheckInRepository(vault.db)
    with pytest.raises(IncompleteAnswersError) as caught:
        repo.add(CheckIn("phq9", (1, 1, 1, 1, 1, 1, 1, 1)))
    assert caught.value.item == 9
    with pytest.raises(IncompleteAnswersError):
        repo.add(CheckIn("peg", (3, 11, 2)))
    with pytest.raises(UnknownMeasureError):
        repo.add(CheckIn("meq30", (1,)))
    assert repo.count() == 0 and not vault.dirty


def test_stored_check_ins_feed_the_trend_series(vault):
    repo = CheckInRepository(vault.db)
    base = dt.datetime(2026, 4, 1, 9, tzinfo=EAST)
    for days, answers in ((0, [3] * 6 + [0] * 3), (14, [1] * 9), (28, [1] * 4 + [0] * 5)):
        repo.add(MEASURES["phq9"].new_check_in(answers, taken_at=base + dt.timedelta(days)))
    phq = summarize(repo.list(), MEASURES)["phq9"]
    assert [(p.total, p.band_label, p.safety_flag) for p in phq.points] == [
        (18, "moderately severe", False), (9, "mild", True), (4, "none/minimal", False)]
    assert [p.change.response for p in phq.points] == [False, True, True]
    assert [p.change.remission for p in phq.points] == [False, False, True]
