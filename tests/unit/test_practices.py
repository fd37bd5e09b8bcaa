"""Integration practices: the six domains as data, the Practice record, and the prompts
that choose and close one."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from journal_app.domain.datafile import DataFileError
from journal_app.domain.practices import (
    Practice,
    PracticeDomain,
    PracticeOutcome,
    load_domains,
    outcome_from_answers,
    practice_after_flow,
    practice_from_answers,
)
from journal_app.domain.prompts import PromptAnswer, load_library

WHEN = dt.datetime(2025, 3, 13, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def test_the_six_domains_each_have_a_description_and_examples():
    domains = load_domains()
    assert [d.domain.value for d in domains] == [
        "mind", "body", "spirit", "relationships", "lifestyle", "nature"]
    for info in domains:
        assert info.title and info.description
        assert len(info.examples) >= 2


def test_a_practice_needs_words_and_a_known_domain():
    with pytest.raises(ValueError):
        Practice(PracticeDomain.BODY, "   ")
    with pytest.raises(ValueError):
        Practice("sports", "Run")  # type: ignore[arg-type]
    assert Practice("nature", "Walk by the river").domain is PracticeDomain.NATURE


def test_recording_how_a_practice_went():
    practice = Practice(PracticeDomain.MIND, "Write after breakfast", session_id=3,
                        chosen_at=WHEN)
    assert practice.is_open and practice.outcome is None
    done = practice.with_outcome("partly", "two mornings of three", at=WHEN)
    assert (done.outcome, done.outcome_note, done.outcome_at) == (
        PracticeOutcome.PARTLY, "two mornings of three", WHEN)
    assert not done.is_open
    assert practice.with_outcome(PracticeOutcome.NOT_YET).is_open
    cleared = done.with_outcome(None)
    assert (cleared.outcome, cleared.outcome_note, cleared.outcome_at) == (None, "", None)


def test_practice_text_stays_out_of_reprs():
    practice = Practice(PracticeDomain.RELATIONSHIPS, "Call my sister").with_outcome(
        "done", "she cried")
    assert "sister" not in repr(practice) and "cried" not in repr(practice)


def test_the_day3_and_week1_answers_make_and_close_a_practice():
    library = load_library()
    day3 = [
        PromptAnswer.of(library.get("day3_intention"), "still true"),
        PromptAnswer.of(library.get("day3_practice_domain"), "body"),
        PromptAnswer.of(library.get("day3_practice"), "  Stretch each morning "),
    ]
    practice = practice_from_answers(day3, session_id=4, at=WHEN)
    assert practice == Practice(PracticeDomain.BODY, "Stretch each morning", session_id=4,
                                chosen_at=WHEN)
    week1 = [
        PromptAnswer.of(library.get("week1_practice"), "not-yet"),
        PromptAnswer.of(library.get("week1_practice_note"), "busy week"),
    ]
    assert outcome_from_answers(week1) == (PracticeOutcome.NOT_YET, "busy week")


def test_no_practice_without_a_domain_and_a_description():
    library = load_library()
    only_domain = [PromptAnswer.of(library.get("day3_practice_domain"), "mind"),
                   PromptAnswer.skip(library.get("day3_practice"))]
    assert practice_from_answers(only_domain) is None
    assert outcome_from_answers([PromptAnswer.skip(library.get("week1_practice"))]) is None


def test_a_practices_file_missing_a_domain_is_reported(tmp_path):
    path = tmp_path / "practices.toml"
    blocks = ["version = 1\n"] + [
        f'[[domain]]\nid = "{d.value}"\ntitle = "T"\ndescription = "D"\nexamples = ["e"]\n'
        for d in PracticeDomain if d is not PracticeDomain.SPIRIT]
    path.write_text("\n".join(blocks), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_domains(path)
    assert "spirit" in str(caught.value) and str(path) in str(caught.value)


def test_an_unknown_domain_in_the_file_names_its_line(tmp_path):
    path = tmp_path / "practices.toml"
    path.write_text('version = 1\n\n[[domain]]\nid = "money"\ntitle = "M"\n'
                    'description = "D"\n', encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_domains(path)
    assert caught.value.line == 4 and "money" in str(caught.value)


def test_a_finished_flow_makes_the_practice_then_says_how_it_went():
    library = load_library()
    day3 = [PromptAnswer.of(library.get("day3_practice_domain"), "nature"),
            PromptAnswer.of(library.get("day3_practice"), "Walk by the river")]
    made = practice_after_flow(day3, session_id=2, current=None, at=WHEN)
    assert made == Practice(PracticeDomain.NATURE, "Walk by the river", session_id=2,
                            chosen_at=WHEN)
    stored = replace(made, id=7)
    assert practice_after_flow(day3, session_id=2, current=stored) is None, "nothing new"
    changed = [day3[0], PromptAnswer.of(library.get("day3_practice"), "Sit by the river")]
    assert practice_after_flow(changed, session_id=2, current=stored).description == \
        "Sit by the river"
    week1 = [PromptAnswer.of(library.get("week1_practice"), "partly"),
             PromptAnswer.of(library.get("week1_practice_note"), "twice")]
    went = practice_after_flow(week1, session_id=2, current=stored, at=WHEN)
    assert (went.id, went.outcome, went.outcome_note, went.outcome_at) == (
        7, PracticeOutcome.PARTLY, "twice", WHEN)
    assert practice_after_flow(week1, session_id=2, current=None) is None, \
        "no practice was chosen: nothing to say how it went"
