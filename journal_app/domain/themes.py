"""What keeps coming up across sessions: plain text statistics over the person's own
entries, computed here on the device. Nothing is learnt, downloaded or sent.

* **Phrases**: words and short phrases (one to three words) of the writing after each
  session (integration, free and quick entries), counted by how many sessions they appear
  in. A phrase must contain a word that is neither a common word ("the", "and", "I") nor a
  word of the prompts' own titles and questions (which people echo: "session", "notice");
  it may not begin or end with a common word, except that it may begin with "my", "the",
  "a" ("my father", "the ocean"). A shorter phrase found in exactly the same sessions as a
  longer one that contains it is left out (the longer one says more); so is "the ocean"
  when "ocean" alone reaches more sessions, and of two overlapping phrases found in the
  same sessions ("the lighthouse keeper", "keeper came back") the lower ranked one.
  Ranked by sessions, then by length, times written, the first session it appeared in,
  and the phrase itself: the same journal always gives the same list.
* **Emotions** picked in the evening checklist (``day0_emotions``), session by session.
* **Intentions** beside what followed: three days on, and a week on.
* **Mood and scores** per session: the mood rated before it and the evening after, and
  each questionnaire's average from that session's day until the next session.

An entry belongs to the session it is tied to; an entry tied to none belongs to the
session before it (written after that session started and before the next one). Private
entries count only when the caller includes them. For one prompt and one session, the
newest entry's answer counts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import re
from collections import Counter
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from journal_app.domain.datafile import DataFileError
from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.measures import CheckIn, Measure, score
from journal_app.domain.prompts import (
    AnswerType,
    PromptAnswer,
    PromptLibrary,
    answer_text,
    default_library,
)
from journal_app.domain.search import indexed_body
from journal_app.domain.theme_words import LEADING_WORDS, STOP_WORDS

EMOTIONS_PROMPT = "day0_emotions"
INTENTION_PROMPT = "intention"
FOLLOWED_PROMPTS: tuple[tuple[str, str], ...] = (
    ("day3_intention", "Three days on"),
    ("week1_changed", "A week on"),
)
MOOD_BEFORE_PROMPT = "mood_before"
MOOD_AFTER_PROMPT = "day0_mood"
WRITING_KINDS = frozenset({EntryKind.INTEGRATION, EntryKind.FREE, EntryKind.QUICK_CAPTURE})
MAX_WORDS = 3
MIN_SESSIONS = 2  # a phrase of one session only is not "coming up again"
PHRASE_LIMIT = 15


class ThemePart(enum.StrEnum):
    """The parts of "Themes across sessions" the person can put in a report."""

    PHRASES = "phrases"
    EMOTIONS = "emotions"
    INTENTIONS = "intentions"
    SCORES = "scores"


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”…—–/\n]|\s-\s|(?<!\w)-|-(?!\w)")
_TICKED = re.compile(r"^\s*-\s\[[xX]\]\s")  # a ticked checklist option the flow wrote


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Phrase:
    text: str = field(repr=False)
    sessions: tuple[TreatmentSession, ...] = field(repr=False)
    count: int = 0  # times written, in all those sessions together

    @property
    def session_count(self) -> int:
        return len(self.sessions)


@dataclass(frozen=True)
class Emotion:
    """One option of the evening checklist and the sessions whose evening it was picked."""

    option_id: str
    label: str
    sessions: tuple[TreatmentSession, ...] = field(repr=False)


@dataclass(frozen=True)
class IntentionFollowed:
    session: TreatmentSession
    intention: str = field(repr=False)
    followed: tuple[tuple[str, str], ...] = field(repr=False)  # (label, text)


@dataclass(frozen=True)
class MeasureAverage:
    measure_id: str
    name: str
    mean: float = field(repr=False)
    check_ins: int = 0


@dataclass(frozen=True)
class SessionScores:
    session: TreatmentSession
    mood_before: int | None = field(default=None, repr=False)
    mood_after: int | None = field(default=None, repr=False)
    measures: tuple[MeasureAverage, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Themes:
    sessions: tuple[TreatmentSession, ...] = ()
    phrases: tuple[Phrase, ...] = ()
    emotions: tuple[Emotion, ...] = ()  # most evenings first
    intentions: tuple[IntentionFollowed, ...] = ()
    scores: tuple[SessionScores, ...] = ()
    written_sessions: int = 0  # sessions with writing after them

    @property
    def evening_sessions(self) -> tuple[TreatmentSession, ...]:
        """Sessions whose evening checklist was filled in, oldest first."""
        seen = {s.id for e in self.emotions for s in e.sessions}
        return tuple(s for s in self.sessions if s.id in seen)

    @property
    def is_empty(self) -> bool:
        return not (self.phrases or self.emotions or self.intentions or self.scores)


# --------------------------------------------------------------------------- words


def prompt_words(library: PromptLibrary | None = None) -> frozenset[str]:
    """The words of every prompt's title and question."""
    if library is None:
        return _default_prompt_words()
    return frozenset(w for p in library for w in words_of(f"{p.title} {p.question}"))


@functools.cache
def _default_prompt_words() -> frozenset[str]:
    try:
        return prompt_words(default_library())
    except DataFileError:
        return frozenset()


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def person_text(body: str) -> str:
    """The person's own words in a body: without the flows' question headings, scale
    lines and checklist options (emotions are counted from the checklist itself)."""
    return "\n".join(line for line in indexed_body(body).split("\n")
                     if not _TICKED.match(line))


def phrases_in(text: str, excluded: frozenset[str]) -> list[str]:
    """Every candidate phrase of ``text``, once per time written. Phrases never cross
    punctuation. ``excluded``: words that don't make a phrase a theme (the prompts')."""
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
            own = False  # a word of words[start:end] is the person's own
            for end in range(start + 1, min(start + MAX_WORDS, len(words)) + 1):
                own = own or content[end - 1]
                # The last word is no common word; one word at least is the person's own.
                if own and not stop[end - 1] and (end - start > 1 or not stop[start]):
                    found.append(" ".join(words[start:end]))
    return found


# --------------------------------------------------------------------------- sessions


#: A session's id as ``TreatmentSession.id`` types it. Every session of a :class:`Course`
#: has one; keys keep the optional type so that they need no narrowing first.
_SessionId = int | None
_Key = tuple[_SessionId, str]  # (session id, prompt or measure id)


class Course:
    """Which session each entry and check-in belongs to."""

    def __init__(self, sessions: Iterable[TreatmentSession]) -> None:
        self.sessions = tuple(sorted((s for s in sessions if s.id is not None),
                                     key=lambda s: (s.starts_at, s.id)))
        self.by_id = {s.id: s for s in self.sessions}
        self._starts = [s.starts_at for s in self.sessions]

    def of(self, session_id: int | None, when: dt.datetime) -> TreatmentSession | None:
        if session_id is not None:
            return self.by_id.get(session_id)
        index = bisect.bisect_right(self._starts, when) - 1
        return self.sessions[index] if index >= 0 else None


def newest_answers(course: Course, entries: Sequence[Entry],
                   answers: Mapping[int, Sequence[PromptAnswer]], wanted: set[str],
                   found: dict[_Key, PromptAnswer] | None = None) -> dict[_Key, PromptAnswer]:
    """``found`` updated with the answers of ``entries`` (oldest first: the newest stays)."""
    found = {} if found is None else found
    for entry in entries:
        session = course.of(entry.session_id, entry.created_at)
        if session is None or entry.id is None:
            continue
        for answer in answers.get(entry.id, ()):
            if answer.prompt_id in wanted and not answer.is_empty:
                found[(session.id, answer.prompt_id)] = answer
    return found


# --------------------------------------------------------------------------- finding


def find_themes(sessions: Iterable[TreatmentSession], entries: Iterable[Entry],
                answers: Mapping[int, Sequence[PromptAnswer]], check_ins: Iterable[CheckIn] = (),
                measures: Mapping[str, Measure] | None = None, *,
                include_private: bool = False, library: PromptLibrary | None = None,
                limit: int = PHRASE_LIMIT) -> Themes:
    """Every part of "what keeps coming up", from plain domain objects."""
    course = Course(sessions)
    chosen = sorted((e for e in entries if include_private or not e.private),
                    key=lambda e: (e.created_at, e.id if e.id is not None else -1))
    found = newest_answers(course, chosen, answers, WANTED_PROMPTS)
    per_session: Grams = {}
    excluded = prompt_words(library)
    for entry in chosen:
        add_grams(per_session, course, entry, excluded)
    totals = add_totals({}, course, check_ins, measures or {})
    steps = gathered(course, found, per_session, totals, measures or {}, library, limit)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            themes: Themes = done.value
            return themes


#: The prompts whose answers a part of the themes uses.
WANTED_PROMPTS = {EMOTIONS_PROMPT, INTENTION_PROMPT, MOOD_BEFORE_PROMPT, MOOD_AFTER_PROMPT,
                  *(p for p, _ in FOLLOWED_PROMPTS)}
Grams = dict["_SessionId", Counter[str]]  # session → its phrases, times written


def gathered(course: Course, found: Mapping[_Key, PromptAnswer], per_session: Grams,
             totals: Mapping[_Key, list[float]], measures: Mapping[str, Measure],
             library: PromptLibrary | None, limit: int) -> Generator[None, None, Themes]:
    """The themes from what was counted, a step per ``next()`` (ranking takes a while)."""
    phrases, written = yield from _phrases(course, per_session, limit)
    return Themes(
        sessions=course.sessions,
        phrases=phrases,
        emotions=_emotions(course, found, library),
        intentions=_intentions(course, found),
        scores=_scores(course, found, totals, measures),
        written_sessions=written,
    )


def add_grams(per_session: Grams, course: Course, entry: Entry,
              excluded: frozenset[str]) -> None:
    """Count the phrases of one entry into its session's (a short call, entry by entry)."""
    session = course.of(entry.session_id, entry.created_at)
    if session is None or entry.kind not in WRITING_KINDS:
        return
    grams = phrases_in(person_text(entry.body), excluded)
    if grams:
        per_session.setdefault(session.id, Counter()).update(grams)


def _phrases(course: Course, per_session: Grams, limit: int,
             ) -> Generator[None, None, tuple[tuple[Phrase, ...], int]]:
    spread: Counter[str] = Counter()
    for in_session in per_session.values():
        spread.update(in_session.keys())
        yield
    grams = list(spread.items())
    wanted: set[str] = set()
    for start in range(0, len(grams), 20_000):
        wanted.update(g for g, n in grams[start:start + 20_000] if n >= MIN_SESSIONS)
        yield
    recurring: dict[str, set[_SessionId]] = {g: set() for g in wanted}
    counts: Counter[str] = Counter()
    for session_id, in_session in per_session.items():
        for gram in wanted & in_session.keys():
            recurring[gram].add(session_id)
            counts[gram] += in_session[gram]
        yield
    covered = yield from _covered(recurring)
    kept = [g for g in recurring if g not in covered]
    yield
    order = {s.id: i for i, s in enumerate(course.sessions)}
    keys = {}  # made a few thousand a step: a long journal has hundreds of thousands
    for number, g in enumerate(kept):
        keys[g] = (-len(recurring[g]), -len(g.split()), -counts[g],
                   min(order[i] for i in recurring[g]), g)
        if number % 5000 == 0:
            yield
    kept.sort(key=keys.__getitem__)
    yield
    kept = _without_overlaps(kept, recurring, limit)
    phrases = tuple(Phrase(g, tuple(s for s in course.sessions if s.id in recurring[g]),
                           counts[g]) for g in kept)
    return phrases, len(per_session)


def _covered(recurring: Mapping[str, set[_SessionId]]) -> Generator[None, None, set[str]]:
    """The phrases left out: those inside a longer phrase found in exactly the same
    sessions, and "the ocean" where "ocean" alone is in more."""
    covered = set()
    for number, (gram, sessions) in enumerate(recurring.items()):
        if number % 2000 == 0:
            yield
        words = gram.split()
        for size in range(1, len(words)):
            for start in range(len(words) - size + 1):
                inner = " ".join(words[start:start + size])
                if recurring.get(inner) == sessions:
                    covered.add(inner)
        if len(words) > 1 and words[0] in LEADING_WORDS:
            rest = recurring.get(" ".join(words[1:]))
            if rest is not None and rest > sessions:
                covered.add(gram)
    return covered


def _without_overlaps(ranked: list[str], recurring: Mapping[str, set[_SessionId]],
                      limit: int) -> list[str]:
    """The first ``limit`` phrases, where two phrases in the same sessions that overlap
    ("came back to the lake", "back to the lake house") are one theme: the higher ranked
    stays."""
    kept: list[str] = []
    for gram in ranked:
        if len(kept) >= limit:
            break
        words = gram.split()
        if not any(recurring[other] == recurring[gram] and _overlap(words, other.split())
                   for other in kept):
            kept.append(gram)
    return kept


def _overlap(one: list[str], two: list[str]) -> bool:
    """The end of one is the start of the other, sharing a word that is not common."""
    for a, b in ((one, two), (two, one)):
        for size in range(1, min(len(a), len(b))):
            if a[-size:] == b[:size] and any(w not in STOP_WORDS for w in b[:size]):
                return True
    return False


def _emotions(course: Course, found: Mapping[_Key, PromptAnswer],
              library: PromptLibrary | None) -> tuple[Emotion, ...]:
    picked: dict[str, list[TreatmentSession]] = {}
    labels: dict[str, str] = {}
    for session in course.sessions:
        answer = found.get((session.id, EMOTIONS_PROMPT))
        if answer is None or answer.answer_type is not AnswerType.CHECKLIST:
            continue
        labels.update({o.id: o.label for o in answer.options})
        chosen = answer.answer if isinstance(answer.answer, list) else []
        for option_id in chosen:
            picked.setdefault(str(option_id), []).append(session)
    order = _option_order(library)
    ranked = sorted(picked, key=lambda o: (-len(picked[o]), order.get(o, len(order)), o))
    return tuple(Emotion(o, labels.get(o, o), tuple(picked[o])) for o in ranked)


def _option_order(library: PromptLibrary | None) -> dict[str, int]:
    try:
        prompt = (library or default_library()).get(EMOTIONS_PROMPT)
    except (KeyError, DataFileError):
        return {}
    return {o.id: i for i, o in enumerate(prompt.options)}


def _intentions(course: Course, found: Mapping[_Key, PromptAnswer],
                ) -> tuple[IntentionFollowed, ...]:
    rows = []
    for session in course.sessions:
        key = session.id
        intention = found.get((key, INTENTION_PROMPT))
        followed = tuple((label, answer_text(found[(key, p)]))
                         for p, label in FOLLOWED_PROMPTS if (key, p) in found)
        if intention is not None or followed:
            rows.append(IntentionFollowed(
                session, answer_text(intention) if intention else "", followed))
    return tuple(rows)


def _scale(found: Mapping[_Key, PromptAnswer], key: _Key) -> int | None:
    answer = found.get(key)
    value = answer.answer if answer is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def add_totals(totals: dict[_Key, list[float]], course: Course,
               check_ins: Iterable[CheckIn], measures: Mapping[str, Measure],
               ) -> dict[_Key, list[float]]:
    """``totals`` with the scores of ``check_ins`` added, each to its session's and
    measure's list (in the order given: the averages add them up in that order)."""
    for check_in in check_ins:
        session = course.of(check_in.session_id, check_in.taken_at)
        measure = measures.get(check_in.measure_id)
        if session is None or measure is None:
            continue
        try:
            total = score(measure, check_in.answers).total
        except ValueError:  # answers that don't fit the measure: not a score
            continue
        totals.setdefault((session.id, measure.id), []).append(total)
    return totals


def _scores(course: Course, found: Mapping[_Key, PromptAnswer],
            totals: Mapping[_Key, list[float]], measures: Mapping[str, Measure],
            ) -> tuple[SessionScores, ...]:
    rows = []
    for session in course.sessions:
        averages = tuple(
            MeasureAverage(mid, m.name, sum(v) / len(v), len(v))
            for mid, m in measures.items() if (v := totals.get((session.id, mid))))
        before = _scale(found, (session.id, MOOD_BEFORE_PROMPT))
        after = _scale(found, (session.id, MOOD_AFTER_PROMPT))
        if averages or before is not None or after is not None:
            rows.append(SessionScores(session, before, after, averages))
    return tuple(rows)
