"""Repositories for care data: structured prompt answers, timeline steps and practices.

Domain dataclasses in, domain dataclasses out; one ORM session per call. Writes need not
be reported: the vault sees them in the database's change counter.

Stored formats:

* ``prompt_answers.answer`` is JSON ``{"value": <answer>}``, plus ``"options": [{"id",
  "label"}, ...]`` for checklist and single-choice prompts, so an entry keeps the wording
  it was answered with after the prompt library changes.
* ``timeline_steps.progress`` is the JSON of a half-done flow (see ``FlowProgress``), or
  empty. Only in-progress / done / skipped are stored; the other statuses follow the clock.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from journal_app.domain.entities import aware
from journal_app.domain.entities import now as local_now
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.domain.prompts import AnswerType, FlowProgress, Option, PromptAnswer
from journal_app.domain.timeline import STORED_STATUSES, StepRecord, StepStatus
from journal_app.storage.database import Database
from journal_app.storage.tables import EntryRow, PracticeRow, PromptAnswerRow, TimelineStepRow

__all__ = ["PracticeRepository", "PromptAnswerRepository", "TimelineRepository"]


def _iso(value: dt.datetime) -> str:
    return aware(value).isoformat(timespec="seconds")


def _dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class _Repository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _session(self) -> Session:
        return self.db.session()


# ---------------------------------------------------------------------------- prompt answers


def _encode_answer(answer: PromptAnswer) -> str:
    payload: dict[str, Any] = {"value": answer.answer}
    if answer.options:
        payload["options"] = [{"id": o.id, "label": o.label} for o in answer.options]
    return json.dumps(payload, ensure_ascii=False)


def _prompt_answer(row: PromptAnswerRow) -> PromptAnswer:
    payload = json.loads(row.answer) if row.answer else {}
    return PromptAnswer(
        prompt_id=row.prompt_id,
        prompt_version=row.prompt_version,
        title=row.prompt_title,
        question=row.question,
        answer_type=AnswerType(row.answer_type),
        answer=payload.get("value"),
        skipped=row.skipped,
        options=tuple(Option(o["id"], o["label"]) for o in payload.get("options", ())),
    )


class PromptAnswerRepository(_Repository):
    """The ordered structured answers behind a preparation or integration entry."""

    def save_answers(self, entry_id: int, answers: Iterable[PromptAnswer]) -> None:
        """Replace the entry's answers with ``answers``, in that order."""
        with self._session() as s, s.begin():
            s.execute(delete(PromptAnswerRow).where(PromptAnswerRow.entry_id == entry_id))
            for position, answer in enumerate(answers):
                s.add(PromptAnswerRow(
                    entry_id=entry_id,
                    position=position,
                    prompt_id=answer.prompt_id,
                    prompt_version=answer.prompt_version,
                    prompt_title=answer.title,
                    question=answer.question,
                    answer_type=answer.answer_type.value,
                    answer=_encode_answer(answer),
                    skipped=answer.skipped,
                ))

    def load_answers(self, entry_id: int) -> list[PromptAnswer]:
        query = (select(PromptAnswerRow).where(PromptAnswerRow.entry_id == entry_id)
                 .order_by(PromptAnswerRow.position, PromptAnswerRow.id))
        with self._session() as s:
            return [_prompt_answer(row) for row in s.scalars(query)]

    def latest_answer(self, prompt_id: str, *,
                      session_id: int | None = None) -> PromptAnswer | None:
        """The newest non-skipped answer to ``prompt_id``, optionally within one session's
        entries: e.g. the intention to revisit on day 3, or what to bring forward."""
        query = (select(PromptAnswerRow)
                 .join(EntryRow, EntryRow.id == PromptAnswerRow.entry_id)
                 .where(PromptAnswerRow.prompt_id == prompt_id,
                        PromptAnswerRow.skipped.is_(False))
                 .order_by(func.julianday(EntryRow.created_at).desc(),
                           PromptAnswerRow.id.desc())
                 .limit(1))
        if session_id is not None:
            query = query.where(EntryRow.session_id == session_id)
        with self._session() as s:
            row = s.scalar(query)
            return _prompt_answer(row) if row else None


# ---------------------------------------------------------------------------- timeline steps


def _step_record(row: TimelineStepRow) -> StepRecord:
    return StepRecord(
        session_id=row.session_id,
        step=row.step,
        status=StepStatus(row.status),
        entry_id=row.entry_id,
        progress=json.loads(row.progress) if row.progress else None,
        updated_at=_dt(row.updated_at),
    )


class TimelineRepository(_Repository):
    """Where each session's steps stand: in progress (with where the flow stopped), done,
    or skipped. A step with no record follows the clock (see domain/timeline.py)."""

    def step_records(self, session_id: int) -> dict[str, StepRecord]:
        query = select(TimelineStepRow).where(TimelineStepRow.session_id == session_id)
        with self._session() as s:
            return {row.step: _step_record(row) for row in s.scalars(query)}

    def all_step_records(self) -> dict[int, dict[str, StepRecord]]:
        """Every stored step, by session id then step id: the input of ``due_items``."""
        found: dict[int, dict[str, StepRecord]] = {}
        with self._session() as s:
            for row in s.scalars(select(TimelineStepRow)):
                found.setdefault(row.session_id, {})[row.step] = _step_record(row)
        return found

    def set_status(self, session_id: int, step: str, status: StepStatus | str, *,
                   entry_id: int | None = None, at: dt.datetime | None = None) -> StepRecord:
        """Mark a step done, skipped or in progress. ``entry_id`` links the entry written in
        the step (None keeps the current link). Done and skipped drop saved progress."""
        status = StepStatus(status)
        if status not in STORED_STATUSES:
            raise ValueError(f"'{status}' is worked out from the clock, not stored")
        with self._session() as s, s.begin():
            row = self._row(s, session_id, step)
            row.status = status.value
            if entry_id is not None:
                row.entry_id = entry_id
            if status is not StepStatus.IN_PROGRESS:
                row.progress = ""
            row.updated_at = _iso(at or local_now())
            s.flush()
            result = _step_record(row)
        return result

    def save_progress(self, session_id: int, step: str,
                      progress: FlowProgress | Mapping[str, object], *,
                      entry_id: int | None = None, at: dt.datetime | None = None) -> StepRecord:
        """Remember where a flow stopped; the step becomes in-progress."""
        data = progress.to_json() if isinstance(progress, FlowProgress) else dict(progress)
        with self._session() as s, s.begin():
            row = self._row(s, session_id, step)
            row.status = StepStatus.IN_PROGRESS.value
            row.progress = json.dumps(data, ensure_ascii=False)
            if entry_id is not None:
                row.entry_id = entry_id
            row.updated_at = _iso(at or local_now())
            s.flush()
            result = _step_record(row)
        return result

    def clear(self, session_id: int, step: str) -> None:
        """Forget what was stored (e.g. undo "skip"); the step follows the clock again."""
        with self._session() as s, s.begin():
            s.execute(delete(TimelineStepRow).where(TimelineStepRow.session_id == session_id,
                                                    TimelineStepRow.step == step))

    @staticmethod
    def _row(s: Session, session_id: int, step: str) -> TimelineStepRow:
        row = s.scalar(select(TimelineStepRow).where(TimelineStepRow.session_id == session_id,
                                                     TimelineStepRow.step == step))
        if row is None:
            row = TimelineStepRow(session_id=session_id, step=step, progress="")
            s.add(row)
        return row


# ---------------------------------------------------------------------------- practices


def _practice(row: PracticeRow) -> Practice:
    return Practice(
        domain=PracticeDomain(row.domain),
        description=row.description,
        session_id=row.session_id,
        chosen_at=dt.datetime.fromisoformat(row.chosen_at),
        outcome=PracticeOutcome(row.outcome) if row.outcome else None,
        outcome_note=row.outcome_note,
        outcome_at=_dt(row.outcome_at),
        id=row.id,
        uid=row.uid,
    )


def _fill_practice(row: PracticeRow, practice: Practice) -> None:
    row.session_id = practice.session_id
    row.domain = practice.domain.value
    row.description = practice.description
    row.chosen_at = _iso(practice.chosen_at)
    row.outcome = practice.outcome.value if practice.outcome else None
    row.outcome_note = practice.outcome_note
    row.outcome_at = _iso(practice.outcome_at) if practice.outcome_at else None


class PracticeRepository(_Repository):
    """Practices chosen after sessions, and how they went."""

    def add_practice(self, practice: Practice) -> Practice:
        with self._session() as s, s.begin():
            row = PracticeRow(uid=practice.uid or uuid.uuid4().hex)
            _fill_practice(row, practice)
            s.add(row)
            s.flush()
            result = _practice(row)
        return result

    def update_practice(self, practice: Practice) -> Practice:
        if practice.id is None:
            raise ValueError("update_practice needs a stored practice")
        with self._session() as s, s.begin():
            row = s.get(PracticeRow, practice.id)
            if row is None:
                raise KeyError(practice.id)
            _fill_practice(row, practice)
            s.flush()
            result = _practice(row)
        return result

    def delete_practice(self, practice_id: int) -> None:
        with self._session() as s, s.begin():
            s.execute(delete(PracticeRow).where(PracticeRow.id == practice_id))

    def get_practice(self, practice_id: int) -> Practice | None:
        with self._session() as s:
            row = s.get(PracticeRow, practice_id)
            return _practice(row) if row else None

    def list_practices(self, *, session_id: int | None = None,
                       open_only: bool = False) -> list[Practice]:
        """Practices oldest first, across all sessions unless ``session_id`` is given.
        ``open_only`` keeps those still waiting for an outcome (none yet, or "not yet")."""
        query = select(PracticeRow).order_by(func.julianday(PracticeRow.chosen_at),
                                             PracticeRow.id)
        if session_id is not None:
            query = query.where(PracticeRow.session_id == session_id)
        if open_only:
            query = query.where(PracticeRow.outcome.is_(None)
                                | (PracticeRow.outcome == PracticeOutcome.NOT_YET.value))
        with self._session() as s:
            return [_practice(row) for row in s.scalars(query)]
