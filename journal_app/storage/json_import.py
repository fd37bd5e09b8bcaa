"""Merging an import (our own JSON export, read by ``export/json_format.py``) into an open
journal. Nothing is ever deleted or wiped.

Matching is by ``uid``, stable across journals: a session, entry or check-in already here
is kept; an entry whose imported copy was edited later (``updated_at``) is updated, with
its answers. Links from entries and check-ins to sessions follow the session uids, since
local ids differ between journals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from journal_app.domain.measures import IncompleteAnswersError, UnknownMeasureError
from journal_app.domain.transfer import ImportedEntry, ImportedJournal, ImportResult
from journal_app.storage.care import PromptAnswerRepository
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.repository import JournalRepository


class Importer:
    def __init__(self, journal: JournalRepository, check_ins: CheckInRepository,
                 answers: PromptAnswerRepository) -> None:
        self.journal = journal
        self.check_ins = check_ins
        self.answers = answers

    def merge(self, imported: ImportedJournal) -> ImportResult:
        result = ImportResult()
        sessions = self._merge_sessions(imported, result)
        for item in imported.entries:
            self._merge_entry(item, sessions, result)
        for item in imported.check_ins:
            found = item.check_in.uid and self.check_ins.find_by_uid(item.check_in.uid)
            if found:
                continue
            try:
                self.check_ins.add(replace(item.check_in, id=None,
                                           session_id=sessions.get(item.session_uid or "")))
                result.check_ins_added += 1
            except (IncompleteAnswersError, UnknownMeasureError):
                result.check_ins_skipped += 1
        return result

    def _merge_sessions(self, imported: ImportedJournal,
                        result: ImportResult) -> dict[str, int]:
        """uid -> local id for every session here after the merge."""
        local = {s.uid: s.id for s in self.journal.list_sessions() if s.uid and s.id}
        for session in imported.sessions:
            if session.uid and session.uid in local:
                continue
            added = self.journal.add_session(replace(session, id=None))
            result.sessions_added += 1
            if added.uid and added.id:
                local[added.uid] = added.id
        return local  # type: ignore[return-value]

    def _merge_entry(self, item: ImportedEntry, sessions: Mapping[str, int],
                     result: ImportResult) -> None:
        entry = replace(item.entry, id=None,
                        session_id=sessions.get(item.session_uid or ""))
        existing = self.journal.find_entry_by_uid(entry.uid) if entry.uid else None
        if existing is None:
            stored = self.journal.add_entry(entry)
            result.entries_added += 1
        elif entry.updated_at > existing.updated_at:
            stored = self.journal.update_entry(replace(entry, id=existing.id))
            result.entries_updated += 1
        else:
            result.entries_unchanged += 1
            return
        if item.answers and stored.id is not None:
            self.answers.save_answers(stored.id, item.answers)


def merge_import(journal: JournalRepository, check_ins: CheckInRepository,
                 answers: PromptAnswerRepository, imported: ImportedJournal,
                 ) -> ImportResult:
    return Importer(journal, check_ins, answers).merge(imported)

