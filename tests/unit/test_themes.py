"""What keeps coming up (domain/themes.py): found, in order, deterministic, private-aware."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.prompts import PromptAnswer, default_library, render_markdown
from journal_app.domain.themes import (
    STOP_WORDS,
    find_themes,
    person_text,
    phrases_in,
    prompt_words,
)
from journal_app.storage.report_source import gather_from
from tests.helpers import report_journal as rj

UTC = dt.UTC


@pytest.fixture(scope="module")
def course():
    db, course = rj.ten_session_database()
    inputs = gather_from(db)
    db.close()
    return course, inputs


def themes_of(inputs, **options):
    return find_themes(inputs.sessions, inputs.entries, inputs.answers, inputs.check_ins,
                       inputs.measures, **options)


def test_planted_phrases_are_found_in_order(course):
    _course, inputs = course
    themes = themes_of(inputs)
    assert [(p.text, p.session_count) for p in themes.phrases] == [
        ("my father", 6), ("the ocean", 4), ("breathing", 3), ("my sister", 2)]
    father = themes.phrases[0]
    assert [s.number for s in father.sessions] == list(rj.TEN_FATHER)
    assert [s.number for s in themes.phrases[1].sessions] == list(rj.TEN_OCEAN)
    assert themes.written_sessions == 10


def test_stop_words_and_prompt_wording_are_never_themes(course):
    _course, inputs = course
    texts = {p.text for p in themes_of(inputs, include_private=True).phrases}
    # Written after every session, but made only of common words and the prompts' words.
    for echo in ("therapist", "my therapist", "session", "this session", "looking back",
                 "unfinished", "tell", "want"):
        assert echo not in texts
    assert {"the", "my", "i", "and"} <= STOP_WORDS
    assert {"session", "therapist", "intention", "notice"} <= prompt_words()
    assert not texts & STOP_WORDS
    # Nor the noise words written after a single session.
    assert not texts & set(rj.TEN_NOISE)


def test_private_entries_count_only_when_included(course):
    _course, inputs = course
    left_out = themes_of(inputs)
    assert all(rj.TEN_PRIVATE_PHRASE not in p.text for p in left_out.phrases)
    assert all("privatecanary" not in p.text for p in left_out.phrases)
    included = themes_of(inputs, include_private=True)
    keeper = next(p for p in included.phrases if p.text == "the " + rj.TEN_PRIVATE_PHRASE)
    assert [s.number for s in keeper.sessions] == list(rj.TEN_PRIVATE_SESSIONS)
    assert included.phrases[0].text == "my father"


def test_the_same_journal_always_gives_the_same_list(course):
    _course, inputs = course
    first = themes_of(inputs)
    shuffled = find_themes(reversed(inputs.sessions), list(reversed(inputs.entries)),
                           inputs.answers, inputs.check_ins, inputs.measures)
    assert [p.text for p in shuffled.phrases] == [p.text for p in first.phrases]


def test_emotions_intentions_and_scores_session_by_session(course):
    _course, inputs = course
    themes = themes_of(inputs)
    calm = themes.emotions[0]
    assert (calm.option_id, calm.label) == ("calm", "Calm")
    assert [s.number for s in calm.sessions] == [n for n, picked in rj.TEN_EMOTIONS.items()
                                                 if "calm" in picked]
    # Three evenings each: ties keep the checklist's own order.
    assert [e.option_id for e in themes.emotions[1:4]] == ["tender", "tired", "sad"]
    assert len(themes.evening_sessions) == 10
    first = themes.intentions[0]
    assert first.intention == rj.TEN_INTENTIONS[1]
    assert first.followed == (("Three days on", rj.TEN_REVISITED[0]),)
    scores = {s.session.number: s for s in themes.scores}
    assert scores[1].mood_before == rj.TEN_MOOD_BEFORE[0]
    assert scores[10].mood_after == rj.TEN_MOOD_AFTER[9]
    assert [(m.measure_id, m.mean) for m in scores[3].measures] == [("phq9", rj.TEN_PHQ9[2])]


def _session(number: int, day: int) -> TreatmentSession:
    return TreatmentSession(starts_at=dt.datetime(2026, 1, day, 9, tzinfo=UTC), number=number,
                            id=number)


def _entry(entry_id: int, body: str, day: int, session_id: int | None, *,
           private: bool = False, kind: EntryKind = EntryKind.FREE) -> Entry:
    when = dt.datetime(2026, 1, day, 20, tzinfo=UTC)
    return Entry(kind, "", body, private=private, created_at=when, updated_at=when,
                 session_id=session_id, id=entry_id)


def test_flow_written_lines_are_not_the_persons_words():
    library = default_library()
    given = [PromptAnswer.of(library.get("day0_emotions"), ["calm"]),
             PromptAnswer.of(library.get("day0_mood"), 6),
             PromptAnswer.of(library.get("day0_words"), "granite")]
    text = person_text(render_markdown(given))
    assert text.split() == ["granite"]


def test_unlinked_entries_belong_to_the_session_before_them():
    sessions = [_session(1, 1), _session(2, 10)]
    entries = [_entry(1, "Granite cliffs.", 2, None), _entry(2, "Granite cliffs again.", 11, 2),
               _entry(3, "Granite before anything.", 1, None, kind=EntryKind.PREPARATION),
               _entry(4, "Granite cliffs, secretly.", 12, None, private=True)]
    themes = find_themes(sessions, entries, {})
    assert [(p.text, p.count) for p in themes.phrases] == [("granite cliffs", 2)]
    with_private = find_themes(sessions, entries, {}, include_private=True)
    assert with_private.phrases[0].count == 3


def test_phrases_do_not_cross_punctuation_or_end_on_common_words():
    found = phrases_in("The ocean. Was calm, and so was I", frozenset())
    assert "ocean was" not in found and "the ocean" in found
    assert "calm and" not in found and "and so" not in found
    assert "so was i" not in found


def test_a_phrase_that_only_adds_the_is_left_out_when_the_word_reaches_more():
    sessions = [_session(n, n * 3) for n in (1, 2, 3)]
    entries = [_entry(1, "the ocean", 3, 1), _entry(2, "the ocean", 6, 2),
               _entry(3, "ocean", 9, 3)]
    assert [p.text for p in find_themes(sessions, entries, {}).phrases] == ["ocean"]


def test_no_sessions_no_themes():
    themes = find_themes([], [_entry(1, "granite granite", 1, None)], {})
    assert themes.is_empty and themes.phrases == ()
