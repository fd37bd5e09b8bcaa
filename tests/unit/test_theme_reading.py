"""Look back's themes counted slice by slice from the database are exactly what
``find_themes`` gives on the export's inputs: same phrases, sessions, counts, emotions,
intentions and averages, with and without private entries, on varied texts."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.measures import load_measures
from journal_app.domain.prompts import AnswerType, Option, PromptAnswer
from journal_app.domain.themes import find_themes
from journal_app.storage.care import PromptAnswerRepository
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.database import Database
from journal_app.storage.report_source import gather_from
from journal_app.storage.repository import JournalRepository
from journal_app.storage.theme_reading import count_themes

MEASURES = load_measures()
TEXT = ("the lighthouse keeper came back to the lake house, my father; grief and ocean "
         "waves - breathing slowly. I noticed the ocean again! My mother's garden, the "
         "lighthouse keeper's song: letting go of control. Café crème, naïve hope…")
WORDS = TEXT.split()
ZONES = [dt.timezone(dt.timedelta(hours=h)) for h in (-7, 0, 2, 9)]


@pytest.fixture(scope="module")
def db():
    rng = random.Random(19)
    db = Database()
    db.migrate()
    journal = JournalRepository(db)
    start = dt.datetime(2025, 3, 1, 10, tzinfo=ZONES[2])
    sessions = [journal.add_session(TreatmentSession(
        starts_at=start + dt.timedelta(days=10 * i), number=i + 1)) for i in range(8)]
    answers = PromptAnswerRepository(db)
    kinds = [EntryKind.INTEGRATION, EntryKind.FREE, EntryKind.QUICK_CAPTURE,
             EntryKind.PREPARATION]
    for i in range(160):
        when = (start + dt.timedelta(hours=rng.randint(-48, 24 * 85))).astimezone(
            rng.choice(ZONES))
        if i % 23 == 0:
            when = start.astimezone(ZONES[i % 4])  # the same moment: the id decides
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 60)))
        session = rng.choice([None, None, *sessions])
        entry = journal.add_entry(Entry(kind=rng.choice(kinds), title="t", body=body,
                                        private=i % 7 == 0, created_at=when,
                                        session_id=session.id if session else None))
        given = []
        if i % 3 == 0:
            given.append(PromptAnswer("day0_emotions", 1, "Emotions", "Which?",
                                      AnswerType.CHECKLIST,
                                      rng.sample(["calm", "sad", "open"], rng.randint(0, 3)),
                                      options=(Option("calm", "Calm"), Option("sad", "Sad"),
                                               Option("open", "Open"))))
        if i % 4 == 0:
            given.append(PromptAnswer("intention", 1, "Intention", "What?", AnswerType.TEXT,
                                      rng.choice(["be kind", "", "listen"])))
        if i % 5 == 0:
            given.append(PromptAnswer("mood_before", 1, "Mood", "How?", AnswerType.SCALE,
                                      None if i % 10 == 0 else rng.randint(0, 10),
                                      skipped=i % 10 == 0))
        if i % 6 == 0:
            given.append(PromptAnswer("other", 1, "Other", "?", AnswerType.TEXT, "ocean"))
        if given:
            answers.save_answers(entry.id, given)
    check_ins = CheckInRepository(db)
    for i in range(900):
        measure = rng.choice(list(MEASURES.values()))
        when = (start + dt.timedelta(hours=rng.randint(-48, 24 * 85))).astimezone(
            rng.choice(ZONES))
        check_ins.add(measure.new_check_in(
            [rng.randint(it.scale.minimum, it.scale.maximum) for it in measure.items],
            taken_at=when if i % 50 else start))
    yield db
    db.close()


@pytest.mark.parametrize("private", [False, True])
def test_counted_in_slices_the_themes_are_those_of_find_themes(db, private):
    inputs = gather_from(db, measures=MEASURES)
    expected = find_themes(inputs.sessions, inputs.entries, inputs.answers,
                           inputs.check_ins, MEASURES, include_private=private)
    steps = count_themes(db, MEASURES, include_private=private)
    count = 0
    while True:
        try:
            next(steps)
            count += 1
        except StopIteration as done:
            themes = done.value
            break
    assert themes == expected
    assert expected.phrases and expected.emotions and expected.intentions and expected.scores
    assert count > 20, "read and counted in many small steps"


def _phrases_before(text, excluded):
    """``phrases_in`` as it was before its loop was made faster (the reference)."""
    from journal_app.domain.themes import _BREAK, LEADING_WORDS, MAX_WORDS, STOP_WORDS, words_of

    found = []
    for piece in _BREAK.split(text):
        words = words_of(piece)
        stop = [w in STOP_WORDS for w in words]
        lead = [not s or w in LEADING_WORDS for w, s in zip(words, stop, strict=True)]
        content = [not s and len(w) > 1 and w not in excluded
                   for w, s in zip(words, stop, strict=True)]
        for start in range(len(words)):
            if not lead[start]:
                continue
            for end in range(start + 1, min(start + MAX_WORDS, len(words)) + 1):
                if not stop[end - 1] and any(content[start:end]) \
                        and (not stop[start] or end - start > 1):
                    found.append(" ".join(words[start:end]))
    return found


def test_phrases_of_varied_texts_are_those_found_before():
    from journal_app.domain.themes import phrases_in, prompt_words

    rng = random.Random(7)
    vocabulary = [*WORDS, "a", "I", "x", "the", "my", "session", "notice", "it's", "—", "."]
    excluded = prompt_words()
    for _ in range(400):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 40)))
        assert phrases_in(text, excluded) == _phrases_before(text, excluded), text


def test_intentions_read_by_plain_sql_are_those_the_orm_read(db):
    """``LookBack.intentions_over_time`` (plain SQL now) against the ORM query it used."""
    from sqlalchemy import func, select

    from journal_app.domain.lookback import INTENTION_PROMPT, REVISITED_PROMPT
    from journal_app.storage.care import _prompt_answer
    from journal_app.storage.lookback import LookBack
    from journal_app.storage.tables import EntryRow, PromptAnswerRow

    for private in (True, False):
        query = (select(PromptAnswerRow, EntryRow.session_id)
                 .join(EntryRow, EntryRow.id == PromptAnswerRow.entry_id)
                 .where(PromptAnswerRow.prompt_id.in_([INTENTION_PROMPT, REVISITED_PROMPT,
                                                       "day0_emotions"]),
                        PromptAnswerRow.skipped.is_(False), EntryRow.session_id.is_not(None))
                 .order_by(func.julianday(EntryRow.created_at), EntryRow.id,
                           PromptAnswerRow.position))
        if not private:
            query = query.where(EntryRow.private.is_(False))
        expected = {}
        with db.session() as s:
            for row, session_id in s.execute(query):
                answer = _prompt_answer(row)
                if not answer.is_empty:
                    expected[(session_id, row.prompt_id)] = (answer, row.entry_id)
        look = LookBack(db)
        found = look._answers([INTENTION_PROMPT, REVISITED_PROMPT, "day0_emotions"],
                              look.sessions(), include_private=private)
        assert {k: (v.answer, v.entry_id) for k, v in found.items()} == expected
        assert expected
