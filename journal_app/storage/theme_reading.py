""""What keeps coming up", read and counted a slice at a time (the Look back page).

:func:`count_themes` is a generator: each ``next()`` reads and counts a small piece (a
few entries, or a page of check-ins) and returns, so that the thread owning the database
can run it between other work and never wait long; the themes are its return value. It
gives exactly what ``domain.themes.find_themes`` gives on ``report_source.gather``'s
inputs (a test compares them), without holding every entry in memory at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping

from journal_app.domain.entities import Entry, EntryKind, aware
from journal_app.domain.measures import Measure
from journal_app.domain.prompts import PromptAnswer, PromptLibrary
from journal_app.domain.themes import (
    PHRASE_LIMIT,
    WANTED_PROMPTS,
    Course,
    Grams,
    Themes,
    add_grams,
    add_totals,
    gathered,
    newest_answers,
    prompt_words,
)
from journal_app.storage.checkins import _SELECT, _check_ins
from journal_app.storage.database import Database
from journal_app.storage.lookback import plain_answer

ENTRIES_PER_STEP = 8  # one long entry's phrases take a millisecond or two
CHECK_INS_PER_STEP = 400
KEYS_PER_STEP = 5000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

_KEYS_SQL = ("SELECT id, created_at FROM entries WHERE (NOT private OR ?) AND id > ? "
             "ORDER BY id LIMIT ?")
_ENTRY_SQL = ("SELECT id, kind, body, private, created_at, session_id FROM entries "
              "WHERE id IN ({})")
_ANSWER_SQL = ("SELECT entry_id, prompt_id, prompt_version, prompt_title, question, "
               "answer_type, answer, skipped FROM prompt_answers WHERE prompt_id IN ({}) "
               "AND entry_id IN ({}) ORDER BY entry_id, position, id")
_CHECK_IN_PAGE = (f"{_SELECT} WHERE julianday(taken_at) > ? OR (julianday(taken_at) = ? "
                  "AND id > ?) ORDER BY julianday(taken_at), id LIMIT ?")


def count_themes(db: Database, measures: Mapping[str, Measure], *, include_private: bool,
                 library: PromptLibrary | None = None, limit: int = PHRASE_LIMIT,
                 ) -> Generator[None, None, Themes]:
    """The themes of the journal in ``db``, a small piece per step (see the module)."""
    from journal_app.storage.repository import JournalRepository

    course = Course(JournalRepository(db).list_sessions())
    yield
    # Keyed by the time since the epoch: the same order as the aware datetimes (by instant),
    # but sorting 50,000 datetimes of several offsets took 400 ms in one step.
    order: list[tuple[dt.timedelta, int]] = []
    last_id = -1
    while rows := db.conn.execute(_KEYS_SQL, (include_private, last_id, KEYS_PER_STEP)).fetchall():
        order += ((aware(dt.datetime.fromisoformat(created)) - _EPOCH, id_)
                  for id_, created in rows)
        last_id = rows[-1][0]
        yield  # no statement is left open between steps: the page may write meanwhile
    order.sort()
    yield
    excluded = prompt_words(library)
    found: dict[tuple[int | None, str], PromptAnswer] = {}
    per_session: Grams = {}
    wanted = sorted(WANTED_PROMPTS)
    for start in range(0, len(order), ENTRIES_PER_STEP):
        ids = [id_ for _created, id_ in order[start:start + ENTRIES_PER_STEP]]
        marks = ",".join("?" * len(ids))
        by_id = {row[0]: row for row in db.conn.execute(_ENTRY_SQL.format(marks), ids)}
        answers: dict[int, list[PromptAnswer]] = {}
        for entry_id, *fields in db.conn.execute(
                _ANSWER_SQL.format(",".join("?" * len(wanted)), marks), [*wanted, *ids]):
            answers.setdefault(entry_id, []).append(plain_answer(*fields))
        entries = [Entry(kind=EntryKind(kind), title="", body=body, private=bool(private),
                         created_at=dt.datetime.fromisoformat(created),
                         updated_at=dt.datetime.fromisoformat(created),
                         session_id=session_id, id=id_)
                   for id_, kind, body, private, created, session_id
                   in (by_id[i] for i in ids if i in by_id)]
        newest_answers(course, entries, answers, WANTED_PROMPTS, found)
        for entry in entries:
            add_grams(per_session, course, entry, excluded)
        yield
    totals: dict[tuple[int | None, str], list[float]] = {}
    last: tuple[float, int] = (-1e300, -1)
    while True:
        rows = db.conn.execute(
            _CHECK_IN_PAGE.replace("SELECT id,", "SELECT julianday(taken_at), id,", 1),
            (last[0], last[0], last[1], CHECK_INS_PER_STEP)).fetchall()
        if not rows:
            break
        last = (rows[-1][0], rows[-1][1])
        add_totals(totals, course, _check_ins(r[1:] for r in rows), measures)
        yield
    return (yield from gathered(course, found, per_session, totals, measures, library, limit))
