"""Reading a preparation back, its sections, session numbering and the flow's state rules."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import Setting, TreatmentSession
from journal_app.domain.prompts import FlowProgress, PromptAnswer, default_library
from journal_app.domain.session_prep import (
    LOGISTICS,
    PREPARATION_STEP,
    FlowState,
    Section,
    checklist_status,
    earlier_sessions,
    hard_plan_of,
    intention_of,
    items_for_setting,
    next_session_number,
    number_taken,
    rating_of,
    section_of,
    sections_in,
    support_of,
)

UTC = dt.UTC


@pytest.fixture(scope="module")
def prompts():
    return default_library().for_step(PREPARATION_STEP)


def answered(prompts, **given) -> list[PromptAnswer]:
    state = FlowState(prompts, given)
    return state.prompt_answers()


def session(day: int, number: int | None, sid: int) -> TreatmentSession:
    return TreatmentSession(starts_at=dt.datetime(2025, 3, day, 10, tzinfo=UTC),
                            number=number, id=sid)


def test_reading_the_preparation_back(prompts):
    answers = answered(prompts, intention="  To be open to what comes.\n",
                       set_hard_plan="Breathe and hold the blanket.",
                       setting_support="My sister Ana", mood_before=4)
    assert intention_of(answers) == "To be open to what comes."
    assert hard_plan_of(answers) == "Breathe and hold the blanket."
    assert support_of(answers) == "My sister Ana"
    assert rating_of(answers, "mood_before") == 4
    assert rating_of(answers, "anxiety_before") is None


def test_skipped_or_blank_answers_read_as_missing(prompts):
    answers = answered(prompts, intention="   ")
    assert intention_of(answers) is None
    assert hard_plan_of(answers) is None
    assert intention_of([]) is None


def test_checklist_status_uses_the_wording_that_was_shown(prompts):
    answers = answered(prompts, logistics_checklist=["ride_home", "clinic_phone"])
    status = checklist_status(answers)
    assert [(i.id, i.done) for i in status] == [
        ("ride_home", True), ("no_driving", False), ("support_person", False),
        ("clinic_phone", True), ("fasting", False)]
    assert status[0].label == "A ride home is arranged"


def test_unanswered_checklist_lists_every_item_as_not_yet(prompts):
    library_prompt = default_library().get(LOGISTICS)
    status = checklist_status([], prompt=library_prompt, translate=str.upper)
    assert len(status) == len(library_prompt.options)
    assert not any(item.done for item in status)
    assert status[0].label == "A RIDE HOME IS ARRANGED"
    assert checklist_status([]) == []


def test_at_home_items_matter_only_at_home_unless_ticked(prompts):
    items = checklist_status(answered(prompts, logistics_checklist=["ride_home"]))
    at_clinic = [i.id for i in items_for_setting(items, Setting.CLINIC)]
    assert "support_person" not in at_clinic and "ride_home" in at_clinic
    assert [i.id for i in items_for_setting(items, Setting.HOME)] == [i.id for i in items]
    ticked = checklist_status(answered(prompts, logistics_checklist=["support_person"]))
    assert "support_person" in [i.id for i in items_for_setting(ticked, Setting.CLINIC)]


def test_preparation_prompts_fall_into_the_five_sections_in_order(prompts):
    assert sections_in(prompts) == [Section.INTENTION, Section.SET, Section.SETTING,
                                    Section.LOGISTICS, Section.RATINGS]
    by_id = {p.id: section_of(p) for p in prompts}
    assert by_id["intention_for_therapist"] is Section.INTENTION
    assert by_id["set_hard_plan"] is Section.SET
    assert by_id["setting_place"] is Section.SETTING  # "setting_" is not "set_"
    assert by_id["anxiety_before"] is Section.RATINGS
    assert all(section is not None for section in by_id.values())
    assert section_of(default_library().for_step("day1")[0]) is None


def test_next_number_and_taken_numbers():
    sessions = [session(1, 1, 1), session(8, 2, 2)]
    assert next_session_number([]) == 1
    assert next_session_number(sessions) == 3
    assert next_session_number([session(1, None, 1), session(2, None, 2)]) == 3
    assert number_taken(sessions, 2, None).id == 2
    assert number_taken(sessions, 2, 2) is None, "a session doesn't clash with itself"
    assert number_taken(sessions, 5, None) is None


def test_earlier_sessions_are_most_recent_first():
    sessions = [session(15, 3, 3), session(1, 1, 1), session(8, 2, 2)]
    assert [s.id for s in earlier_sessions(sessions, 3)] == [2, 1]
    assert earlier_sessions(sessions, 1) == []
    assert earlier_sessions(sessions, 99) == []


def test_flow_state_walks_records_and_round_trips(prompts):
    state = FlowState(prompts)
    assert state.at_start and not state.back()
    state.record("An intention")
    assert state.forward()
    state.record("   ")  # blank text counts as skipped
    state.forward()
    saved = state.progress()
    assert saved.position == 2
    assert saved.answers == {"intention": "An intention", "intention_for_therapist": None}

    again = FlowState.from_progress(prompts, FlowProgress.from_json(saved.to_json()))
    assert again.position == 2 and again.answers == saved.answers
    final = again.prompt_answers()
    assert [a.prompt_id for a in final] == [p.id for p in prompts]
    assert final[0].answer == "An intention" and not final[0].skipped
    assert final[1].skipped and final[2].skipped


def test_flow_state_drops_answers_that_no_longer_fit(prompts):
    state = FlowState(prompts, {"mood_before": 42, "set_sleep": "nonsense",
                                "unknown_prompt": "x"}, position=500)
    assert state.answers == {"mood_before": None, "set_sleep": None}
    assert state.at_end, "a position past the end is clamped to the last prompt"


def test_flow_state_from_answers_starts_at_the_first_prompt(prompts):
    answers = answered(prompts, intention="Be kind", mood_before=6)
    state = FlowState.from_answers(prompts, answers)
    assert state.position == 0
    assert state.answers["intention"] == "Be kind"
    assert state.answers["mood_before"] == 6
    assert state.answers["set_motivation"] is None


def test_a_flow_needs_prompts():
    with pytest.raises(ValueError, match="at least one prompt"):
        FlowState(())
