"""Care repositories: prompt answers, timeline steps and practices survive a real save and
reopen of an encrypted journal."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.domain.prompts import FlowProgress, PromptAnswer, load_library, render_markdown
from journal_app.domain.timeline import StepStatus, due_items
from journal_app.storage.care import PracticeRepository, PromptAnswerRepository, TimelineRepository
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault

PASSPHRASE = "correct horse battery staple"
CET = dt.timezone(dt.timedelta(hours=1))


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, tzinfo=CET)


class Journal:
    """An open vault with every repository the tests need."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.repo = JournalRepository(vault.db)
        self.answers = PromptAnswerRepository(vault.db)
        self.timeline = TimelineRepository(vault.db)
        self.practices = PracticeRepository(vault.db)


@pytest.fixture
def journal(tmp_path, fast_kdf):
    vault, _recovery = Vault.create(tmp_path / "care.ijournal", PASSPHRASE, kdf=fast_kdf)
    yield Journal(vault)
    vault.close()


def reopen(journal: Journal) -> Journal:
    journal.vault.save()
    path = journal.vault.path
    journal.vault.close()
    journal.vault = Vault.open(path, Secret(passphrase=PASSPHRASE))
    return Journal(journal.vault)


@pytest.fixture(scope="module")
def library():
    return load_library()


def add_session(journal: Journal, day: int, number: int) -> TreatmentSession:
    return journal.repo.add_session(TreatmentSession(starts_at=at(day, 10), number=number))


def add_entry(journal: Journal, session: TreatmentSession, day: int, kind=EntryKind.INTEGRATION):
    return journal.repo.add_entry(Entry(kind=kind, title="", body="", session_id=session.id,
                                        created_at=at(day), updated_at=at(day)))


# ---------------------------------------------------------------------------- prompt answers


def day0_answers(library):
    return [
        PromptAnswer.of(library.get("day0_words"), "quiet, warm, tired"),
        PromptAnswer.skip(library.get("day0_images")),
        PromptAnswer.of(library.get("day0_emotions"), ["calm", "tired"]),
        PromptAnswer.of(library.get("day0_mood"), 7),
    ]


def test_answers_round_trip_through_save_and_reopen(journal, library):
    session = add_session(journal, 10, 1)
    entry = add_entry(journal, session, 10)
    answers = day0_answers(library)
    journal.answers.save_answers(entry.id, answers)
    assert journal.vault.dirty

    journal = reopen(journal)
    loaded = journal.answers.load_answers(entry.id)
    assert loaded == answers
    assert render_markdown(loaded) == render_markdown(answers)
    journal.vault.close()


def test_answers_keep_the_wording_they_were_given_with(journal, library):
    """A later library version can't change what an old entry says."""
    session = add_session(journal, 10, 1)
    entry = add_entry(journal, session, 10)
    shown = PromptAnswer.of(library.get("day0_emotions"), ["sad"],
                            translate=lambda text: "«" + text + "»")
    journal.answers.save_answers(entry.id, [shown])
    (loaded,) = journal.answers.load_answers(entry.id)
    assert loaded.question == "«Which of these are with you this evening?»"
    assert "- [x] «Sad»" in render_markdown([loaded])


def test_saving_again_replaces_the_answers_in_their_new_order(journal, library):
    session = add_session(journal, 10, 1)
    entry = add_entry(journal, session, 10)
    first = day0_answers(library)
    journal.answers.save_answers(entry.id, first)
    journal.answers.save_answers(entry.id, [first[3], first[0]])
    assert [a.prompt_id for a in journal.answers.load_answers(entry.id)] == [
        "day0_mood", "day0_words"]


def test_deleting_an_entry_deletes_its_answers(journal, library):
    session = add_session(journal, 10, 1)
    entry = add_entry(journal, session, 10)
    journal.answers.save_answers(entry.id, day0_answers(library))
    journal.repo.delete_entry(entry.id)
    assert journal.answers.load_answers(entry.id) == []
    assert journal.answers.latest_answer("day0_words") is None


def test_latest_answer_finds_the_intention_of_a_session(journal, library):
    one, two = add_session(journal, 3, 1), add_session(journal, 10, 2)
    intention = library.get("intention")
    for session, day, text in ((one, 1, "first intention"), (two, 8, "second, older draft"),
                               (two, 9, "second intention")):
        entry = add_entry(journal, session, day, EntryKind.PREPARATION)
        journal.answers.save_answers(entry.id, [PromptAnswer.of(intention, text)])
    skipped_entry = add_entry(journal, two, 9, EntryKind.PREPARATION)
    journal.answers.save_answers(skipped_entry.id, [PromptAnswer.skip(intention)])

    assert journal.answers.latest_answer("intention", session_id=one.id).answer == \
        "first intention"
    assert journal.answers.latest_answer("intention", session_id=two.id).answer == \
        "second intention"
    assert journal.answers.latest_answer("intention").answer == "second intention"
    assert journal.answers.latest_answer("day3_intention") is None


# ---------------------------------------------------------------------------- timeline steps


def test_step_statuses_and_progress_round_trip(journal):
    session = add_session(journal, 10, 1)
    progress = FlowProgress(3, {"day1_stood_out": "the light", "day1_imagery": None})
    journal.timeline.save_progress(session.id, "day1", progress, at=at(11))
    journal.timeline.set_status(session.id, "day0", StepStatus.SKIPPED, at=at(10, 20))
    entry = add_entry(journal, session, 10, EntryKind.PREPARATION)
    journal.timeline.set_status(session.id, "preparation", "done", entry_id=entry.id)

    journal = reopen(journal)
    records = journal.timeline.step_records(session.id)
    assert set(records) == {"preparation", "day0", "day1"}
    assert FlowProgress.from_json(records["day1"].progress) == progress
    assert records["day1"].status is StepStatus.IN_PROGRESS
    assert records["day1"].updated_at == at(11)
    assert (records["day0"].status, records["day0"].progress) == (StepStatus.SKIPPED, None)
    assert (records["preparation"].status, records["preparation"].entry_id) == (
        StepStatus.DONE, entry.id)
    journal.vault.close()


def test_finishing_a_step_keeps_its_entry_and_drops_the_progress(journal):
    session = add_session(journal, 10, 1)
    entry = add_entry(journal, session, 11)
    journal.timeline.save_progress(session.id, "day1", {"position": 2, "answers": {}},
                                   entry_id=entry.id)
    done = journal.timeline.set_status(session.id, "day1", "done")
    assert (done.status, done.entry_id, done.progress) == (StepStatus.DONE, entry.id, None)
    assert len(journal.timeline.step_records(session.id)) == 1


def test_clearing_a_step_hands_it_back_to_the_clock(journal):
    session = add_session(journal, 10, 1)
    journal.timeline.set_status(session.id, "day3", "skipped")
    journal.timeline.clear(session.id, "day3")
    assert journal.timeline.step_records(session.id) == {}


def test_only_person_made_statuses_are_stored(journal):
    session = add_session(journal, 10, 1)
    with pytest.raises(ValueError):
        journal.timeline.set_status(session.id, "day1", "overdue")


def test_stored_steps_feed_the_due_list(journal):
    one, two = add_session(journal, 3, 1), add_session(journal, 10, 2)
    journal.timeline.set_status(one.id, "day3", "done")
    journal.timeline.set_status(two.id, "preparation", "skipped")
    items = due_items(journal.repo.list_sessions(), journal.timeline.all_step_records(),
                      at(8, 12))
    assert [(i.session_id, i.step, i.status) for i in items] == [
        (one.id, "day1", StepStatus.OVERDUE), (one.id, "before_next", StepStatus.DUE)]


def test_deleting_a_session_deletes_its_steps(journal):
    session = add_session(journal, 10, 1)
    journal.timeline.set_status(session.id, "day1", "done")
    journal.repo.delete_session(session.id)
    assert journal.timeline.all_step_records() == {}


# ---------------------------------------------------------------------------- practices


def test_practices_round_trip_and_list_across_sessions(journal):
    one, two = add_session(journal, 3, 1), add_session(journal, 10, 2)
    walk = journal.practices.add_practice(
        Practice(PracticeDomain.NATURE, "Walk by the river", session_id=one.id,
                 chosen_at=at(6)))
    call = journal.practices.add_practice(
        Practice(PracticeDomain.RELATIONSHIPS, "Call my sister", session_id=two.id,
                 chosen_at=at(13)))
    journal.practices.update_practice(walk.with_outcome("done", "three times", at=at(10)))

    journal = reopen(journal)
    everything = journal.practices.list_practices()
    assert [p.description for p in everything] == ["Walk by the river", "Call my sister"]
    stored_walk = journal.practices.get_practice(walk.id)
    assert (stored_walk.outcome, stored_walk.outcome_note, stored_walk.outcome_at) == (
        PracticeOutcome.DONE, "three times", at(10))
    assert stored_walk.uid == walk.uid and stored_walk.chosen_at == at(6)
    assert journal.practices.list_practices(session_id=two.id) == [call]
    assert journal.practices.list_practices(open_only=True) == [call]
    journal.vault.close()


def test_a_not_yet_practice_is_still_open_and_can_be_deleted(journal):
    session = add_session(journal, 3, 1)
    practice = journal.practices.add_practice(
        Practice(PracticeDomain.BODY, "Stretch", session_id=session.id, chosen_at=at(6)))
    journal.practices.update_practice(practice.with_outcome("not-yet", at=at(10)))
    assert [p.id for p in journal.practices.list_practices(open_only=True)] == [practice.id]
    journal.practices.delete_practice(practice.id)
    assert journal.practices.get_practice(practice.id) is None


def test_a_practice_outlives_its_session(journal):
    session = add_session(journal, 3, 1)
    practice = journal.practices.add_practice(
        Practice(PracticeDomain.SPIRIT, "Sit quietly", session_id=session.id))
    journal.repo.delete_session(session.id)
    assert journal.practices.get_practice(practice.id).session_id is None


def test_updating_an_unstored_practice_is_refused(journal):
    with pytest.raises(ValueError):
        journal.practices.update_practice(Practice(PracticeDomain.MIND, "Read"))
