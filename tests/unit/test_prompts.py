"""The prompt library: the bundled data, its validation, answers and the Markdown they make."""

from __future__ import annotations

import re
import textwrap

import pytest

from journal_app.domain.datafile import DataFileError
from journal_app.domain.practices import PracticeDomain, PracticeOutcome
from journal_app.domain.prompts import (
    AnswerType,
    FlowProgress,
    Option,
    Phase,
    Prompt,
    PromptAnswer,
    default_library,
    load_library,
    render_markdown,
)
from journal_app.domain.timeline import load_schedule


@pytest.fixture(scope="module")
def library():
    return load_library()


# ---------------------------------------------------------------------------- bundled library

# care.md, "Before a session": every topic it lists, and the prompt that covers it.
PREPARATION_TOPICS = {
    "intention": "intention",
    "what to bring to the therapist": "intention_for_therapist",
    "motivations": "set_motivation",
    "expectations and beliefs": "set_expectations",
    "sleep": "set_sleep",
    "food and the clinic's fasting instructions": "set_food",
    "body and medication notes": "set_body",
    "emotional state": "set_emotional",
    "cognitive state": "set_cognitive",
    "what might come up": "set_concerns",
    "if it gets hard I will": "set_hard_plan",
    "where": "setting_place",
    "who supports": "setting_support",
    "music": "setting_music",
    "eyeshades, blanket, comfort objects, phone silenced": "setting_items",
    "the room": "setting_room",
    "logistics and safety": "logistics_checklist",
    "mood before": "mood_before",
    "anxiety before": "anxiety_before",
}

# care.md, "After a session": the themes integration prompts must reach.
INTEGRATION_THEMES = {
    "imagery": ["day0_images", "day1_imagery"],
    "emotions": ["day0_emotions", "day1_emotions"],
    "what felt unfinished": ["day1_unfinished"],
    "challenging moments and their meaning": ["day1_challenging"],
    "new perspective": ["day3_perspective"],
    "connection": ["day3_connection"],
    "acceptance and self-compassion": ["day3_self_compassion"],
    "what to tell the therapist": ["day1_for_therapist"],
    "revisit the intention": ["day3_intention"],
    "what changed": ["week1_changed"],
    "did the practice happen": ["week1_practice"],
    "carry into the next session": ["week1_carry"],
    "bring forward": ["before_next_bring"],
}


def test_the_default_library_is_the_bundled_one(library):
    assert default_library().ids == library.ids


def test_library_loads_with_positive_versions_and_unique_ids(library):
    assert len(library) > 30
    assert library.versions == {"preparation": 1, "integration": 1}
    assert all(p.version >= 1 for p in library)
    assert len(set(library.ids)) == len(library.ids)


@pytest.mark.parametrize(("topic", "prompt_id"), sorted(PREPARATION_TOPICS.items()))
def test_every_preparation_topic_has_a_prompt(library, topic, prompt_id):
    prompt = library.get(prompt_id)
    assert (prompt.phase, prompt.step) == (Phase.PREPARATION, "preparation"), topic


@pytest.mark.parametrize(("theme", "prompt_ids"), sorted(INTEGRATION_THEMES.items()))
def test_every_integration_theme_has_a_prompt(library, theme, prompt_ids):
    for prompt_id in prompt_ids:
        assert library.get(prompt_id).phase is Phase.INTEGRATION, theme


def test_logistics_checklist_covers_ride_driving_sitter_phone_and_fasting(library):
    options = {o.id for o in library.get("logistics_checklist").options}
    assert options == {"ride_home", "no_driving", "support_person", "clinic_phone", "fasting"}
    no_driving = library.get("logistics_checklist").option("no_driving").label
    assert "next day" in no_driving and "sleep" in no_driving


def test_setting_checklist_has_the_comfort_items(library):
    options = {o.id for o in library.get("setting_items").options}
    assert {"eyeshades", "blanket", "comfort_object", "phone_silenced"} <= options


def test_the_hard_moments_plan_carries_the_leaning_in_advice(library):
    plan = library.get("set_hard_plan")
    assert plan.question.startswith("If it gets hard, I will")
    assert "curiosity" in plan.help and "frightening" in plan.help


def test_intention_is_framed_as_an_intention_not_an_expectation(library):
    assert "intention rather than an expectation" in library.get("intention").help


def test_mood_and_anxiety_are_rated_before_and_on_the_evening_after(library):
    for prompt_id in ("mood_before", "anxiety_before", "day0_mood", "day0_anxiety"):
        assert library.get(prompt_id).answer_type is AnswerType.SCALE


def test_day0_is_low_effort(library):
    day0 = library.for_step("day0")
    kinds = {p.answer_type for p in day0}
    assert {AnswerType.CHECKLIST, AnswerType.SCALE} <= kinds
    required_text = [p for p in day0 if p.answer_type is AnswerType.TEXT and not p.optional]
    assert len(required_text) <= 1


def test_practice_prompts_match_the_practice_data(library):
    assert [o.id for o in library.get("day3_practice_domain").options] == \
        [d.value for d in PracticeDomain]
    assert [o.id for o in library.get("week1_practice").options] == \
        [o.value for o in PracticeOutcome]


def test_prompt_steps_and_schedule_steps_are_the_same(library):
    assert set(library.steps()) == set(load_schedule().ids)
    for step in library.steps():
        assert library.for_step(step, include_optional=False), step


def test_for_step_keeps_file_order_and_can_leave_out_optional_ones(library):
    day1 = library.for_step("day1")
    assert day1[0].id == "day1_stood_out"
    core = library.for_step("day1", include_optional=False)
    assert set(core) < set(day1) and not any(p.optional for p in core)
    assert [p for p in day1 if p in core] == list(core)


NOT_OUR_WORDS = re.compile(
    r"\b(dose|doses|dosing|dosage|mg|milligrams?|cure[sd]?|heal(s|ed)?|guarantee[sd]?"
    r"|stop taking|increase your|reduce your)\b", re.IGNORECASE)


def test_wording_stays_clear_of_medical_advice_dosing_and_cure_claims(library):
    for prompt in library:
        texts = [prompt.title, prompt.question, prompt.help, prompt.placeholder,
                 *(o.label for o in prompt.options)]
        for text in texts:
            assert not NOT_OUR_WORDS.search(text), (prompt.id, text)


def test_help_texts_are_short(library):
    for prompt in library:
        assert len(prompt.help) <= 320, prompt.id
        assert len(prompt.question) <= 160, prompt.id


# ---------------------------------------------------------------------------- malformed files

GOOD_PROMPT = textwrap.dedent("""
    [[prompt]]
    id = "first"
    version = 1
    phase = "preparation"
    step = "preparation"
    title = "First"
    question = "How are you?"
    answer_type = "text"
""")


def _write(tmp_path, body, name="prompts.toml"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_bad_toml_syntax_names_the_file_and_line(tmp_path):
    path = _write(tmp_path, "version = 1\n" + GOOD_PROMPT + 'help = "unclosed\n')
    with pytest.raises(DataFileError) as caught:
        load_library(path)
    message = str(caught.value)
    assert str(path) in message and "not valid TOML" in message
    assert caught.value.line == 11
    assert "line 11" in message


def test_a_prompt_missing_its_question_names_file_prompt_and_line(tmp_path):
    body = "version = 1\n" + GOOD_PROMPT + textwrap.dedent("""
        [[prompt]]
        id = "no_question"
        version = 1
        phase = "integration"
        step = "day1"
        title = "Missing"
        answer_type = "text"
    """)
    path = _write(tmp_path, body)
    with pytest.raises(DataFileError) as caught:
        load_library(path)
    err = caught.value
    assert err.record_id == "no_question"
    assert err.line == body.splitlines().index('id = "no_question"') + 1
    assert str(path) in str(err) and '"no_question"' in str(err) and "question" in str(err)


def test_an_unknown_answer_type_points_at_its_line(tmp_path):
    body = "version = 1\n" + GOOD_PROMPT.replace('"text"', '"essay"')
    path = _write(tmp_path, body)
    with pytest.raises(DataFileError) as caught:
        load_library(path)
    lines = body.splitlines()
    assert caught.value.line == lines.index('answer_type = "essay"') + 1
    assert "essay" in str(caught.value) and '"first"' in str(caught.value)


@pytest.mark.parametrize(("change", "complaint"), [
    (('version = 1\nphase', 'version = 0\nphase'), "'version'"),
    (('title = "First"', 'titel = "First"'), "unknown field 'titel'"),
    (('answer_type = "text"', 'answer_type = "checklist"'), "'options'"),
    (('phase = "preparation"', 'phase = "during"'), "unknown phase"),
    (('id = "first"', 'id = "First Prompt"'), "lower-case"),
    (('answer_type = "text"', 'answer_type = "scale_0_10"\nplaceholder = "x"'),
     "'placeholder'"),
])
def test_schema_mistakes_are_reported_not_crashed_on(tmp_path, change, complaint):
    path = _write(tmp_path, "version = 1\n" + GOOD_PROMPT.replace(*change))
    with pytest.raises(DataFileError) as caught:
        load_library(path)
    assert complaint in str(caught.value)
    assert str(path) in str(caught.value) and caught.value.line is not None


def test_a_missing_id_points_at_the_prompt_header(tmp_path):
    body = "version = 1\n" + GOOD_PROMPT.replace('id = "first"\n', "")
    path = _write(tmp_path, body)
    with pytest.raises(DataFileError) as caught:
        load_library(path)
    assert caught.value.line == body.splitlines().index("[[prompt]]") + 1
    assert "prompt number 1" in str(caught.value)


def test_an_id_used_in_two_files_is_rejected(tmp_path):
    _write(tmp_path, "version = 1\n" + GOOD_PROMPT, "a.toml")
    _write(tmp_path, "version = 2\n" + GOOD_PROMPT, "b.toml")
    with pytest.raises(DataFileError) as caught:
        load_library(tmp_path)
    assert "b.toml" in str(caught.value) and "a.toml" in str(caught.value)


def test_a_missing_file_version_is_reported(tmp_path):
    path = _write(tmp_path, GOOD_PROMPT)
    with pytest.raises(DataFileError, match="'version'"):
        load_library(path)


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(DataFileError, match="does not exist"):
        load_library(tmp_path / "nowhere.toml")


# ---------------------------------------------------------------------------- answers


def _choice(kind: AnswerType) -> Prompt:
    return Prompt("feel", 2, Phase.INTEGRATION, "day0", "Feelings", "What is here?", kind,
                  options=(Option("calm", "Calm"), Option("sad", "Sad"), Option("tired", "Tired")))


def test_answers_are_checked_against_their_prompt(library):
    scale = library.get("mood_before")
    assert PromptAnswer.of(scale, 0).answer == 0
    for wrong in (11, -1, "6", True, 6.5):
        with pytest.raises(ValueError):
            PromptAnswer.of(scale, wrong)
    checklist = _choice(AnswerType.CHECKLIST)
    assert PromptAnswer.of(checklist, ["tired", "calm", "calm"]).answer == ["calm", "tired"]
    with pytest.raises(ValueError):
        PromptAnswer.of(checklist, ["elated"])
    with pytest.raises(ValueError):
        PromptAnswer.of(checklist, [["calm"]])
    with pytest.raises(ValueError):
        PromptAnswer.of(_choice(AnswerType.SINGLE_CHOICE), "elated")
    with pytest.raises(ValueError):
        PromptAnswer.of(library.get("intention"), 3)


def test_an_answer_error_never_repeats_the_answer():
    with pytest.raises(ValueError) as caught:
        PromptAnswer.of(_choice(AnswerType.SINGLE_CHOICE), "my secret words")
    assert "secret" not in str(caught.value)


def test_an_answer_snapshots_the_wording_that_was_shown():
    prompt = _choice(AnswerType.CHECKLIST)
    answer = PromptAnswer.of(prompt, ["sad"], translate=str.upper)
    assert (answer.prompt_id, answer.prompt_version) == ("feel", 2)
    assert (answer.title, answer.question) == ("FEELINGS", "WHAT IS HERE?")
    assert answer.options[1] == Option("sad", "SAD")
    skipped = PromptAnswer.skip(prompt)
    assert skipped.skipped and skipped.answer is None


def test_answer_text_stays_out_of_reprs(library):
    answer = PromptAnswer.of(library.get("intention"), "my private intention")
    assert "private" not in repr(answer)


def test_rendered_markdown_reads_like_an_entry(library):
    answers = [
        PromptAnswer.of(library.get("day0_words"), "quiet, warm\n"),
        PromptAnswer.skip(library.get("day0_images")),
        PromptAnswer.of(library.get("day0_body"), "   "),
        PromptAnswer.of(_choice(AnswerType.CHECKLIST), ["calm", "tired"]),
        PromptAnswer.of(_choice(AnswerType.SINGLE_CHOICE), "sad"),
        PromptAnswer.of(library.get("day0_mood"), 6),
    ]
    assert render_markdown(answers) == (
        "## A few words for how this day felt.\n\n"
        "quiet, warm\n\n"
        "## What is here?\n\n"
        "- [x] Calm\n- [ ] Sad\n- [x] Tired\n\n"
        "## What is here?\n\n"
        "Sad\n\n"
        "## How is your mood right now?\n\n"
        "6 / 10\n"
    )


def test_rendering_nothing_gives_an_empty_body(library):
    assert render_markdown([PromptAnswer.skip(library.get("day0_words"))]) == ""


def test_flow_progress_round_trips_through_json():
    progress = FlowProgress(3, {"day0_words": "quiet", "day0_mood": 6, "day0_images": None})
    assert FlowProgress.from_json(progress.to_json()) == progress
    assert FlowProgress.from_json(None) == FlowProgress()
