"""What a step's prompt flow stores and where it opens again (no Qt)."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.domain.prompts import FlowProgress, PromptAnswer, default_library
from journal_app.domain.session_prep import INTENTION, PREPARATION_STEP, FlowState
from journal_app.domain.step_entry import (
    FINISHED,
    IntentionNote,
    SaveTarget,
    entry_kind,
    entry_tag,
    finished_entry_id,
    flow_resumed,
    intention_note,
    intention_text,
    new_step_entry,
    opening_state,
    resumable_progress,
    revised_step_entry,
    save_target,
    session_practice_change,
    stored_answers,
)
from journal_app.domain.timeline import StepRecord, StepStatus

LIBRARY = default_library()
PREPARATION = LIBRARY.for_step(PREPARATION_STEP)
DAY1 = LIBRARY.for_step("day1")
DAY3 = LIBRARY.for_step("day3")
WEEK1 = LIBRARY.for_step("week1")
CHOSEN = dt.datetime(2025, 3, 6, 10, tzinfo=dt.UTC)


def shouted(text: str) -> str:
    return text.upper()


def record(status: StepStatus, *, entry_id: int | None = None,
           progress: FlowProgress | None = None) -> StepRecord:
    return StepRecord(1, "day1", status, entry_id=entry_id,
                      progress=progress.to_json() if progress is not None else None)


def answered(prompts, values: dict[str, object]) -> list[PromptAnswer]:
    return stored_answers(FlowState(prompts, values), lambda text: text)


# ---------------------------------------------------------------------------- opening


def test_a_step_in_progress_opens_where_it_left_off():
    progress = FlowProgress(2, {DAY1[0].id: "Warmth in my chest"})
    kept = record(StepStatus.IN_PROGRESS, progress=progress)
    assert resumable_progress(kept) == progress
    loads = []
    state = opening_state(DAY1, kept, lambda: loads.append(1) or [])
    assert state.position == 2 and state.answers == {DAY1[0].id: "Warmth in my chest"}
    assert loads == [], "a finished entry's answers are not loaded when progress is kept"
    assert flow_resumed(state)


def test_a_finished_step_opens_its_answers_at_the_first_prompt():
    done = record(FINISHED, entry_id=7)
    assert finished_entry_id(done) == 7
    assert resumable_progress(done) is None
    answers = answered(DAY1, {DAY1[1].id: "A river"})
    state = opening_state(DAY1, done, lambda: answers)
    assert state.position == 0
    assert state.answers[DAY1[1].id] == "A river"


@pytest.mark.parametrize("kept", [
    None,
    StepRecord(1, "day1", StepStatus.IN_PROGRESS),  # started, nothing kept yet
    StepRecord(1, "day1", StepStatus.SKIPPED),
])
def test_otherwise_a_flow_opens_at_the_start(kept):
    assert finished_entry_id(kept) is None
    state = opening_state(DAY1, kept, None)
    assert state.position == 0 and state.answers == {}
    assert not flow_resumed(state)


def test_moving_on_without_answering_counts_as_resumed():
    assert flow_resumed(FlowState(DAY1, position=1))


def test_saves_go_to_progress_while_open_and_into_the_entry_once_finished():
    assert save_target(finished=False, changed=False) is SaveTarget.PROGRESS
    assert save_target(finished=False, changed=True) is SaveTarget.PROGRESS
    assert save_target(finished=True, changed=True) is SaveTarget.ENTRY
    assert save_target(finished=True, changed=False) is SaveTarget.NOTHING
    assert FINISHED is StepStatus.DONE


# ---------------------------------------------------------------------------- the entry


def test_preparation_and_integration_entries_have_their_kind_and_tag():
    assert (entry_kind(PREPARATION_STEP), entry_tag(PREPARATION_STEP)) == (
        EntryKind.PREPARATION, "preparation")
    for step in ("day0", "day1", "day3", "week1", "before_next"):
        assert (entry_kind(step), entry_tag(step)) == (EntryKind.INTEGRATION, "integration")


def test_every_prompt_is_stored_answered_or_skipped_in_the_wording_shown():
    answers = stored_answers(FlowState(DAY1, {DAY1[0].id: "Warmth", DAY1[1].id: None}),
                             shouted)
    assert [a.prompt_id for a in answers] == [p.id for p in DAY1]
    assert answers[0].answer == "Warmth" and not answers[0].skipped
    assert all(a.skipped for a in answers[1:])
    assert answers[0].title == DAY1[0].title.upper()


def test_a_first_finished_flow_makes_a_readable_entry():
    answers = answered(DAY1, {DAY1[0].id: "Warmth in my chest"})
    entry = new_step_entry("day1", 3, answers, title="Day 1 after session 3")
    assert (entry.kind, entry.title, entry.tags, entry.session_id) == (
        EntryKind.INTEGRATION, "Day 1 after session 3", ("integration",), 3)
    assert "Warmth in my chest" in entry.body
    assert DAY1[1].question not in entry.body, "skipped prompts are left out of the body"


def test_a_revised_entry_keeps_the_persons_title_and_tags():
    before = Entry(kind=EntryKind.PREPARATION, title="My own title", body="EarlierBodyQx4",
                   tags=("calm",), session_id=3)
    answers = answered(PREPARATION, {INTENTION: "To be gentle"})
    after = revised_step_entry(before, PREPARATION_STEP, answers)
    assert after.title == "My own title" and after.kind is EntryKind.PREPARATION
    assert set(after.tags) == {"calm", "preparation"}, "the step's tag comes back"
    assert "To be gentle" in after.body and "EarlierBodyQx4" not in after.body
    assert after.updated_at >= before.updated_at


# ---------------------------------------------------------------------------- practices


def test_a_practice_chosen_on_day3_is_new_for_the_session():
    answers = answered(DAY3, {"day3_practice_domain": "nature",
                              "day3_practice": "Walk by the river"})
    made = session_practice_change(answers, session_id=3, practices=[])
    assert made is not None and made.id is None
    assert (made.domain, made.description, made.session_id) == (
        PracticeDomain.NATURE, "Walk by the river", 3)


def test_week1_closes_the_sessions_latest_practice():
    older = Practice(PracticeDomain.BODY, "Stretch", session_id=3, chosen_at=CHOSEN, id=1)
    latest = Practice(PracticeDomain.NATURE, "Walk", session_id=3, chosen_at=CHOSEN, id=2)
    answers = answered(WEEK1, {"week1_practice": "partly"})
    changed = session_practice_change(answers, session_id=3, practices=[older, latest])
    assert changed is not None and changed.id == 2
    assert changed.outcome is PracticeOutcome.PARTLY


def test_a_flow_without_a_practice_changes_nothing():
    latest = Practice(PracticeDomain.NATURE, "Walk", session_id=3, chosen_at=CHOSEN, id=2)
    answers = answered(WEEK1, {})
    assert session_practice_change(answers, session_id=3, practices=[latest]) is None
    assert session_practice_change(answers, session_id=3, practices=[]) is None


# ---------------------------------------------------------------------------- intentions


def test_whose_intention_is_shown_beside_a_prompt():
    assert intention_note(PREPARATION_STEP, INTENTION) is IntentionNote.EARLIER_SESSION
    others = [p.id for p in PREPARATION if p.id != INTENTION]
    assert others and all(intention_note(PREPARATION_STEP, pid) is IntentionNote.NONE
                          for pid in others)
    for prompt in (*DAY1, *DAY3, *WEEK1):
        assert intention_note(prompt.step, prompt.id) is IntentionNote.THIS_SESSION


def test_an_intentions_words_are_trimmed_and_only_text_counts():
    prompt = LIBRARY.get(INTENTION)
    assert intention_text(PromptAnswer.of(prompt, "  To be gentle \n")) == "To be gentle"
    assert intention_text(None) == ""
    assert intention_text(PromptAnswer.skip(prompt)) == ""
