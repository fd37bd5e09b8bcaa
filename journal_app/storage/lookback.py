"""Look-back queries over structured prompt answers (see domain/lookback.py).

A session's answers are those in entries linked to the session; when a prompt was
answered more than once for a session, the newest entry's answer counts. Skipped and
blank answers never count.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable, Mapping
from typing import TYPE_CHECKING

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.lookback import (
    INTENTION_PROMPT,
    REVISITED_PROMPT,
    IntentionLine,
    PreviousStep,
    SessionAnswer,
)
from journal_app.domain.prompts import (
    AnswerType,
    Option,
    PromptAnswer,
    PromptLibrary,
    default_library,
)
from journal_app.storage.database import Database

if TYPE_CHECKING:
    from journal_app.domain.measures import Measure
    from journal_app.domain.themes import Themes

__all__ = ["LookBack"]

# (session id, prompt id) -> the newest answer. Keyed by ``TreatmentSession.id`` as typed
# (optional: a session not yet stored has none), so lookups need no narrowing first.
_Answers = dict[tuple[int | None, str], SessionAnswer]


# Oldest entry first, so that the newest answer to a prompt for a session is kept.
_ANSWERS_SQL = ("SELECT a.entry_id, e.session_id, a.prompt_id, a.prompt_version, "
                "a.prompt_title, a.question, a.answer_type, a.answer, a.skipped "
                "FROM prompt_answers AS a JOIN entries AS e ON e.id = a.entry_id "
                "WHERE a.prompt_id IN ({}) AND NOT a.skipped AND e.session_id IS NOT NULL "
                "AND (NOT e.private OR ?) ORDER BY julianday(e.created_at), e.id, a.position")


def plain_answer(prompt_id: str, version: int, title: str, question: str, answer_type: str,
                 answer: str, skipped: int) -> PromptAnswer:
    """A row of prompt_answers as a domain answer, as storage/care.py reads it."""
    payload = json.loads(answer) if answer else {}
    return PromptAnswer(
        prompt_id=prompt_id, prompt_version=version, title=title, question=question,
        answer_type=AnswerType(answer_type), answer=payload.get("value"),
        skipped=bool(skipped),
        options=tuple(Option(o["id"], o["label"]) for o in payload.get("options", ())))


class LookBack:
    def __init__(self, db: Database) -> None:
        self.db = db

    def count_themes(self, measures: Mapping[str, Measure], *, include_private: bool,
                     ) -> Generator[None, None, Themes]:
        """"What keeps coming up", read and counted a small piece per ``next()``; the
        themes are the generator's return value (storage/theme_reading.py)."""
        from journal_app.storage.theme_reading import count_themes

        return count_themes(self.db, measures, include_private=include_private)

    def sessions(self) -> list[TreatmentSession]:
        from journal_app.storage.repository import JournalRepository

        return JournalRepository(self.db).list_sessions()  # by date, plain SQL

    def _answers(self, prompt_ids: Iterable[str], sessions: list[TreatmentSession], *,
                 include_private: bool = True) -> _Answers:
        by_id = {session.id: session for session in sessions}
        wanted = list(prompt_ids)
        sql = _ANSWERS_SQL.format(",".join("?" * len(wanted)))
        found: _Answers = {}
        for entry_id, session_id, *fields in self.db.conn.execute(
                sql, (*wanted, include_private)):
            answer = plain_answer(*fields)
            if not answer.is_empty and session_id in by_id:
                found[(session_id, answer.prompt_id)] = SessionAnswer(
                    by_id[session_id], answer, entry_id)
        return found

    def intentions_over_time(self, *, include_private: bool = True) -> list[IntentionLine]:
        """Every session, oldest first, with its intention and how it looked on day 3
        (read from entries marked private too, unless ``include_private`` is False)."""
        sessions = self.sessions()
        found = self._answers((INTENTION_PROMPT, REVISITED_PROMPT), sessions,
                              include_private=include_private)
        return [IntentionLine(session, found.get((session.id, INTENTION_PROMPT)),
                              found.get((session.id, REVISITED_PROMPT)))
                for session in sessions if session.id is not None]

    def _earlier(self, session_id: int) -> list[TreatmentSession]:
        """The sessions before ``session_id``, nearest first."""
        sessions = self.sessions()
        position = next((i for i, s in enumerate(sessions) if s.id == session_id), None)
        return [] if position is None else sessions[:position][::-1]

    def previous_answer(self, session_id: int, prompt_id: str) -> SessionAnswer | None:
        """The answer to ``prompt_id`` from the nearest earlier session that has one."""
        earlier = self._earlier(session_id)
        found = self._answers((prompt_id,), earlier)
        return next((found[(s.id, prompt_id)] for s in earlier
                     if (s.id, prompt_id) in found), None)

    def previous_step(self, session_id: int, step: str,
                      library: PromptLibrary | None = None) -> PreviousStep | None:
        """What was written at ``step`` in the nearest earlier session that has answers
        for it: that session's newest entry for the step, answers in the flow's order."""
        prompts = [p.id for p in (library or default_library()).for_step(step)]
        earlier = self._earlier(session_id)
        found = self._answers(prompts, earlier)
        for session in earlier:
            given = [found[(session.id, p)] for p in prompts if (session.id, p) in found]
            if given:
                newest = max(given, key=lambda a: a.entry_id)
                answers = tuple(a.answer for a in given if a.entry_id == newest.entry_id)
                return PreviousStep(session, step, answers, newest.entry_id)
        return None
