"""Where reports get their data: the one place that reads the journal for an export.

:func:`gather` turns the repositories' contents into ``domain.report.ReportInputs`` (plain
domain objects); everything after that (selection, building, rendering) happens without
storage. Call it on the thread that owns the vault's database (the UI thread or the CLI),
then hand the inputs to a worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import select

from journal_app.domain.measures import Measure
from journal_app.domain.prompts import PromptAnswer
from journal_app.domain.report import ReportInputs
from journal_app.storage.care import PracticeRepository, PromptAnswerRepository, _prompt_answer
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.database import Database
from journal_app.storage.repository import JournalRepository
from journal_app.storage.tables import PromptAnswerRow

if TYPE_CHECKING:
    from journal_app.storage.attaching import AttachmentService


def _answers_by_entry(db: Database) -> dict[int, list[PromptAnswer]]:
    """Every entry's prompt answers in one query, in their saved order (the per-entry
    ``PromptAnswerRepository.load_answers`` would cost one query per entry)."""
    query = select(PromptAnswerRow).order_by(PromptAnswerRow.entry_id,
                                             PromptAnswerRow.position, PromptAnswerRow.id)
    found: dict[int, list[PromptAnswer]] = {}
    with db.session() as s:
        for row in s.scalars(query):
            found.setdefault(row.entry_id, []).append(_prompt_answer(row))
    return found


def gather(journal: JournalRepository, check_ins: CheckInRepository,
           answers: PromptAnswerRepository | None = None,
           practices: PracticeRepository | None = None,
           attachments: AttachmentService | None = None) -> ReportInputs:
    """Everything a report may use. Without ``answers``/``practices``/``attachments``
    those parts are empty. ``attachment_data`` reads blobs on any thread (the report's
    worker), and only those the report includes."""
    by_entry = attachments.rows.by_entry() if attachments is not None else {}
    reader = attachments.reader([a for own in by_entry.values() for a in own]) \
        if attachments is not None else None
    return ReportInputs(
        sessions=tuple(journal.list_sessions()),
        entries=tuple(journal.list_entries(include_private=True)),
        answers=_answers_by_entry(answers.db) if answers is not None else {},
        check_ins=tuple(check_ins.list()),
        measures=dict(check_ins.measures),
        practices=tuple(practices.list_practices()) if practices is not None else (),
        attachments={entry_id: tuple(own) for entry_id, own in by_entry.items()},
        attachment_data=reader,
    )


def gather_from(db: Database, *, measures: Mapping[str, Measure] | None = None) -> ReportInputs:
    """:func:`gather` with fresh repositories on ``db`` (read only: nothing is changed)."""
    return gather(JournalRepository(db), CheckInRepository(db, measures=measures),
                  PromptAnswerRepository(db), PracticeRepository(db))

