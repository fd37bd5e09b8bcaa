"""Look-back: every session's intention side by side, and "this time last session"."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.prompts import PromptAnswer, answer_text, default_library, render_markdown
from journal_app.storage.care import PromptAnswerRepository
from journal_app.storage.lookback import LookBack
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault

CET = dt.timezone(dt.timedelta(hours=1))


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=CET)


class Journal:
    def __init__(self, vault: Vault) -> None:
        self.db = vault.db
        self.repo = JournalRepository(vault.db)
        self.answers = PromptAnswerRepository(vault.db)
        self.library = default_library()

    def session(self, month: int, day: int, number: int | None) -> TreatmentSession:
        return self.repo.add_session(TreatmentSession(starts_at=at(month, day, 9),
                                                      number=number))

    def flow(self, session: TreatmentSession, when: dt.datetime, **values) -> Entry:
        given = [PromptAnswer.of(self.library.get(pid), value) for pid, value in values.items()]
        entry = self.repo.add_entry(Entry(
            kind=EntryKind.INTEGRATION, title="", body=render_markdown(given),
            created_at=when, updated_at=when, session_id=session.id))
        self.answers.save_answers(entry.id, given)
        return entry


@pytest.fixture
def journal(tmp_path, fast_kdf):
    vault, _key = Vault.create(tmp_path / "lookback.ijournal", "calm river stone", kdf=fast_kdf)
    yield Journal(vault)
    vault.close()


def test_intentions_over_time_puts_every_session_side_by_side(journal):
    # Sessions are added out of order: the look-back follows the calendar.
    second = journal.session(2, 1, 2)
    first = journal.session(1, 15, 1)
    third = journal.session(2, 15, None)
    journal.flow(first, at(1, 14), intention="To be open about my mother.")
    journal.flow(first, at(1, 18), day3_intention="It became about being a child.")
    journal.flow(second, at(1, 31), intention="A first draft")
    journal.flow(second, at(1, 31, 20), intention="To stay with the heaviness.")  # rewritten
    skipped = journal.repo.add_entry(Entry(kind=EntryKind.PREPARATION, title="", body="",
                                           session_id=third.id))
    journal.answers.save_answers(skipped.id, [PromptAnswer.skip(journal.library.get("intention"))])

    lines = LookBack(journal.db).intentions_over_time()
    assert [line.session.id for line in lines] == [first.id, second.id, third.id]
    assert answer_text(lines[0].intention.answer) == "To be open about my mother."
    assert answer_text(lines[0].revisited.answer) == "It became about being a child."
    assert answer_text(lines[1].intention.answer) == "To stay with the heaviness."
    assert lines[1].revisited is None
    assert lines[2].intention is None  # skipped counts as not written


def test_this_time_last_session_finds_the_same_step_of_the_nearest_earlier_session(journal):
    one, two, three = (journal.session(1, 1, 1), journal.session(1, 15, 2),
                       journal.session(2, 1, 3))
    first_day0 = journal.flow(one, at(1, 1, 20), day0_words="floating",
                              day0_emotions=["calm", "tender"], day0_mood=6)
    journal.flow(two, at(1, 16), day1_stood_out="the kitchen")  # another step
    look = LookBack(journal.db)

    previous = look.previous_step(three.id, "day0")
    assert previous.session.id == one.id  # session 2 wrote nothing at day 0
    assert previous.entry_id == first_day0.id
    assert [answer_text(a) for a in previous.answers] == ["floating", "Calm, Tender", "6 / 10"]
    assert look.previous_step(one.id, "day0") is None  # nothing before the first
    assert look.previous_step(three.id, "week1") is None

    answer = look.previous_answer(three.id, "day1_stood_out")
    assert answer.session.id == two.id and answer_text(answer.answer) == "the kitchen"
    assert look.previous_answer(two.id, "day1_stood_out") is None
