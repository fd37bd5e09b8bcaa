"""A realistic course of treatment for report tests: three IV sessions, ten weeks of weekly
PHQ-9 and GAD-7 (one PHQ-9 with item 9 above 0), preparation and integration entries
answered through the real prompt library, a private entry and an entry not tied to a
session. Everything goes through the real repositories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from journal_app.domain.entities import Entry, EntryKind, Modality, Setting, TreatmentSession
from journal_app.domain.measures import CheckIn
from journal_app.domain.prompts import PromptAnswer, default_library, render_markdown
from journal_app.storage.care import PromptAnswerRepository
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.database import Database
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault
from tests.helpers.journals import FAST_KDF, PASSPHRASE

TZ = dt.timezone(dt.timedelta(hours=-5))
FIRST_WEEK = dt.datetime(2026, 2, 24, 9, 0, tzinfo=TZ)
PHQ9 = (19, 17, 16, 14, 12, 11, 10, 9, 8, 7)
GAD7 = (15, 14, 13, 11, 10, 9, 8, 8, 7, 6)
FLAG_WEEK = 2  # the third PHQ-9 has item 9 answered "Several days"
SESSION_DAYS = (dt.datetime(2026, 3, 3, 10, 0, tzinfo=TZ),
                dt.datetime(2026, 3, 17, 10, 0, tzinfo=TZ),
                dt.datetime(2026, 3, 31, 10, 0, tzinfo=TZ))

PRIVATE_CANARY = "PRIVATECANARY-lake-house"
UNLINKED_TITLE = "A walk by the river"

INTENTIONS = (
    "I would like to understand why I keep pulling away from people I love.",
    "To meet the grief about my father with some softness instead of bracing against it.",
    "To notice where I hold fear in my body, and let it loosen a little.",
)
STOOD_OUT = (
    "A long moment of floating above my childhood kitchen. I felt calm watching it, not "
    "scared. My mother's voice, but kind.",
    "I cried for what felt like a long time. Then a sense that my father would have wanted "
    "me to rest.",
    "Warmth spreading from my chest. I stopped checking whether I was doing it right.",
)
CHANGED = (
    "I called my sister twice this week without overthinking it.",
    "Sleeping a bit better. Less dread on Sunday evenings.",
    "I noticed my shoulders dropping during meetings.",
)


def _answers_summing(total: int, items: int, top: int = 3, *,
                     last: int | None = None) -> list[int]:
    """Item answers (0..top) adding up to ``total``; ``last`` fixes the final item."""
    values = [0] * items
    fixed = last if last is not None else None
    remaining = total - (fixed or 0)
    free = items - 1 if fixed is not None else items
    for index in range(free):
        values[index] = min(top, remaining)
        remaining -= values[index]
    if fixed is not None:
        values[-1] = fixed
    assert remaining == 0 and sum(values) == total
    return values


@dataclass
class Course:
    sessions: list[TreatmentSession] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    check_ins: list[CheckIn] = field(default_factory=list)


def _answered_entry(journal: JournalRepository, answers_repo: PromptAnswerRepository,
                    kind: EntryKind, title: str, when: dt.datetime, session_id: int | None,
                    answers: dict[str, object]) -> Entry:
    library = default_library()
    given = [PromptAnswer.of(library.get(pid), value) for pid, value in answers.items()]
    entry = journal.add_entry(Entry(kind, title, render_markdown(given), created_at=when,
                                    updated_at=when, session_id=session_id))
    answers_repo.save_answers(entry.id, given)
    return entry


def populate(db: Database) -> Course:
    journal = JournalRepository(db)
    check_ins = CheckInRepository(db)
    answers = PromptAnswerRepository(db)
    course = Course()
    for week, (phq, gad) in enumerate(zip(PHQ9, GAD7, strict=True)):
        when = FIRST_WEEK + dt.timedelta(weeks=week)
        item9 = 1 if week == FLAG_WEEK else 0
        course.check_ins.append(check_ins.add(CheckIn(
            "phq9", tuple(_answers_summing(phq, 9, last=item9)), taken_at=when)))
        course.check_ins.append(check_ins.add(CheckIn(
            "gad7", tuple(_answers_summing(gad, 7)), taken_at=when + dt.timedelta(minutes=5))))
    for index, start in enumerate(SESSION_DAYS):
        session = journal.add_session(TreatmentSession(
            starts_at=start, modality=Modality.IV_INFUSION, setting=Setting.CLINIC,
            number=index + 1, provider="Dr. Amara Okafor"))
        course.sessions.append(session)
        n = index + 1
        course.entries[f"prep{n}"] = _answered_entry(
            journal, answers, EntryKind.PREPARATION, f"Before session {n}",
            start - dt.timedelta(days=1), session.id,
            {"intention": INTENTIONS[index],
             "set_concerns": "That I will feel out of control again.",
             "mood_before": 4 + index})
        course.entries[f"day1_{n}"] = _answered_entry(
            journal, answers, EntryKind.INTEGRATION, f"The day after session {n}",
            start + dt.timedelta(days=1, hours=2), session.id,
            {"day1_stood_out": STOOD_OUT[index],
             "day1_for_therapist": "I want to talk about the kitchen image.",
             "day1_emotions": "Relief, some sadness, tiredness."})
        course.entries[f"day3_{n}"] = _answered_entry(
            journal, answers, EntryKind.INTEGRATION, f"Three days after session {n}",
            start + dt.timedelta(days=3, hours=3), session.id,
            {"day3_intention": "It still fits. It feels less urgent now.",
             "day3_practice_domain": "relationships",
             "day3_practice": "Call my sister on Sunday evening."})
        course.entries[f"week1_{n}"] = _answered_entry(
            journal, answers, EntryKind.INTEGRATION, f"A week after session {n}",
            start + dt.timedelta(days=7, hours=4), session.id,
            {"week1_changed": CHANGED[index], "week1_practice": "done",
             "week1_mood": 5 + index})
    course.entries["private"] = journal.add_entry(Entry(
        EntryKind.FREE, "Not for sharing", f"{PRIVATE_CANARY} something only for me.",
        private=True, created_at=SESSION_DAYS[1] + dt.timedelta(days=2),
        updated_at=SESSION_DAYS[1] + dt.timedelta(days=2), session_id=course.sessions[1].id))
    course.entries["unlinked"] = journal.add_entry(Entry(
        EntryKind.FREE, UNLINKED_TITLE,
        "The water was high. I felt *steady* for the first time in weeks.",
        tags=("nature", "calm"), created_at=dt.datetime(2026, 4, 20, 17, 30, tzinfo=TZ),
        updated_at=dt.datetime(2026, 4, 20, 17, 30, tzinfo=TZ)))
    return course


def make_course_journal(path: Path) -> Course:
    """A journal file at ``path`` holding the course (fast KDF, PASSPHRASE)."""
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    try:
        course = populate(vault.db)
        vault.save()
    finally:
        vault.close()
    return course


def course_database() -> tuple[Database, Course]:
    """An in-memory journal database (migrated) holding the course."""
    db = Database()
    db.migrate()
    return db, populate(db)


# ---------------------------------------------------------------------------- ten sessions
#
# A ten-session course with planted themes for "What keeps coming up": "my father" is
# written after six sessions, "the ocean" after four, "breathing" after three, "my sister"
# after two; every other content word after one only. Every session also carries words of
# the prompts themselves and common words ("I want to tell my therapist about this
# session"), which must never count as themes. Three private entries share a phrase of
# their own (TEN_PRIVATE_PHRASE) that may appear only when private entries are included.

TEN_START = dt.datetime(2026, 5, 4, 10, 0, tzinfo=TZ)
TEN_FATHER = (1, 2, 4, 5, 7, 9)
TEN_OCEAN = (2, 3, 6, 8)
TEN_BREATHING = (3, 5, 10)
TEN_SISTER = (6, 9)
TEN_PRIVATE_SESSIONS = (4, 6, 8)
TEN_PRIVATE_PHRASE = "lighthouse keeper"
TEN_PRIVATE_CANARY = "PRIVATECANARY"
TEN_QUICK_TEXT = "Couldn't sleep, wrote this from the lock screen: orchard smell."
TEN_NOISE = ("lantern", "orchard", "violin", "meadow", "bicycle", "attic", "harbor",
             "glacier", "compass", "garden")
TEN_STOOD_OUT = {
    1: "My father was sitting at the end of a long table.",
    2: "I heard my father laughing. Later the ocean, very wide.",
    3: "Waves of the ocean under me. My breathing slowed right down.",
    4: "A letter from my father, unopened.",
    5: "Just breathing for a while. My father nodded once.",
    6: "The ocean again, grey this time. I pictured my sister as a child.",
    7: "I stood next to my father at a station.",
    8: "Floating on the ocean at night.",
    9: "My father and my sister were cooking together.",
    10: "Breathing felt easier, like a window opening.",
}
TEN_EMOTIONS = {
    1: ["calm", "tired"], 2: ["calm", "sad"], 3: ["peaceful", "tired"], 4: ["sad", "tender"],
    5: ["calm", "grateful"], 6: ["sad", "tired"], 7: ["calm", "tender"],
    8: ["peaceful", "calm"], 9: ["grateful", "tender"], 10: ["calm", "hopeful"],
}
TEN_REVISITED = (
    "It holds up.", "Less urgent now.", "Softer than I expected.", "Still true, quieter.",
    "It has shifted toward rest.", "Yes, and more.", "Hard to say yet.",
    "Clearer every time.", "Mostly done.", "Complete, for now.",
)
TEN_INTENTIONS = {n: f"To stay with whatever comes, gently (session {n})." for n in range(1, 11)}
TEN_MOOD_BEFORE = (3, 4, 4, 5, 5, 5, 6, 6, 7, 7)
TEN_MOOD_AFTER = (5, 5, 6, 6, 6, 7, 7, 7, 8, 8)
TEN_PHQ9 = (18, 17, 15, 14, 12, 11, 10, 8, 7, 6)


def ten_session_day(number: int) -> dt.datetime:
    return TEN_START + dt.timedelta(days=4 * (number - 1))


def populate_ten_sessions(db: Database) -> Course:
    """The ten-session course (see the notes above), through the real repositories."""
    journal = JournalRepository(db)
    check_ins = CheckInRepository(db)
    answers = PromptAnswerRepository(db)
    course = Course()
    for n in range(1, 11):
        start = ten_session_day(n)
        session = journal.add_session(TreatmentSession(
            starts_at=start, modality=Modality.IV_INFUSION, setting=Setting.CLINIC,
            number=n, provider="Dr. Amara Okafor"))
        course.sessions.append(session)
        course.entries[f"prep{n}"] = _answered_entry(
            journal, answers, EntryKind.PREPARATION, f"Before session {n}",
            start - dt.timedelta(hours=20), session.id,
            {"intention": TEN_INTENTIONS[n], "mood_before": TEN_MOOD_BEFORE[n - 1]})
        course.entries[f"day0_{n}"] = _answered_entry(
            journal, answers, EntryKind.INTEGRATION, f"The evening after session {n}",
            start + dt.timedelta(hours=9), session.id,
            {"day0_words": TEN_NOISE[n - 1], "day0_emotions": TEN_EMOTIONS[n],
             "day0_mood": TEN_MOOD_AFTER[n - 1]})
        course.entries[f"day1_{n}"] = _answered_entry(
            journal, answers, EntryKind.INTEGRATION, f"The day after session {n}",
            start + dt.timedelta(days=1, hours=2), session.id,
            {"day1_stood_out": TEN_STOOD_OUT[n],
             "day1_for_therapist": "I want to tell my therapist about this session.",
             "day1_unfinished": "Looking back, something still feels unfinished."})
        course.entries[f"day3_{n}"] = _answered_entry(
            journal, answers, EntryKind.INTEGRATION, f"Three days after session {n}",
            start + dt.timedelta(days=3), session.id,
            {"day3_intention": TEN_REVISITED[n - 1]})
        course.check_ins.append(check_ins.add(CheckIn(
            "phq9", tuple(_answers_summing(TEN_PHQ9[n - 1], 9, last=0)),
            taken_at=start + dt.timedelta(days=1), session_id=session.id)))
        if n in TEN_PRIVATE_SESSIONS:
            when = start + dt.timedelta(days=2)
            course.entries[f"private{n}"] = journal.add_entry(Entry(
                EntryKind.FREE, "Only for me",
                f"{TEN_PRIVATE_CANARY}. The {TEN_PRIVATE_PHRASE} came back.", private=True,
                created_at=when, updated_at=when, session_id=session.id))
    when = ten_session_day(2) + dt.timedelta(days=2, hours=13)
    course.entries["quick"] = journal.add_entry(Entry(
        EntryKind.QUICK_CAPTURE, "", TEN_QUICK_TEXT, created_at=when, updated_at=when))
    return course


def ten_session_database() -> tuple[Database, Course]:
    """An in-memory journal database (migrated) holding the ten-session course."""
    db = Database()
    db.migrate()
    return db, populate_ten_sessions(db)


def make_ten_session_journal(path: Path) -> Course:
    """A journal file at ``path`` holding the ten-session course (fast KDF, PASSPHRASE)."""
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    try:
        course = populate_ten_sessions(vault.db)
        vault.save()
    finally:
        vault.close()
    return course
