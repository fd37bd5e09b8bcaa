"""Merging an import (our own JSON export, read by ``export/json_format.py``) into an open
journal. Nothing here is ever deleted, replaced or changed: an import only adds.

Matching is by ``uid``, stable across journals, and by content (what counts as content is
set out in ``domain/transfer.py``):

- not here yet: added;
- here with the same content: kept as it is ("already here"), whatever ``updated_at``
  says;
- here with different content (edited on two devices, an older or a later export):
  *both are kept*. The entry or session here is left untouched and the incoming one is
  added beside it as a copy, under a uid derived from its own uid and its content
  (``transfer.copy_uid``), so importing the same file again finds the copy and adds
  nothing. An entry's copy keeps its body exactly; its title is the original title
  followed by "(imported copy)" and it carries the tag "imported copy", so the person
  can find both and keep what they want. A session's copy keeps every detail as it was
  in the file. The copy's prompt answers come along with it;
- a check-in here with the same uid but other answers is *not* copied: check-ins are
  never edited in the app, so a difference means the file was changed elsewhere, and a
  second score for the same moment would skew the charts and the therapist report. It is
  left out, kept aside in the file it came from, and counted in the summary.

Links from entries and check-ins to sessions follow the session uids, since local ids
differ between journals: an item linked to a session whose uid is here links to the
session here (not to a copy of it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from journal_app.domain import transfer
from journal_app.domain.measures import IncompleteAnswersError, UnknownMeasureError
from journal_app.domain.transfer import (
    ImportedCheckIn,
    ImportedEntry,
    ImportedJournal,
    ImportResult,
)
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
        self._known = self.journal.entries_by_uid(i.entry.uid or "" for i in imported.entries)
        self._queued: list[ImportedEntry] = []
        self._queued_uids: set[str] = set()
        for item in imported.entries:
            self._merge_entry(item, sessions, result)
        self._add_queued()
        for check_in in imported.check_ins:
            self._merge_check_in(check_in, sessions, result)
        return result

    def _merge_sessions(self, imported: ImportedJournal,
                        result: ImportResult) -> dict[str, int]:
        """uid -> local id for every session here after the merge."""
        here = {s.uid: s for s in self.journal.list_sessions() if s.uid and s.id}
        for session in imported.sessions:
            existing = here.get(session.uid) if session.uid else None
            incoming = replace(session, id=None)
            if existing is not None:
                content = transfer.session_content(session)
                if content == transfer.session_content(existing):
                    result.sessions_unchanged += 1
                    continue
                uid = transfer.copy_uid(existing.uid or "", content)
                if uid in here:
                    result.sessions_unchanged += 1
                    continue
                incoming = replace(incoming, uid=uid)
                result.sessions_copied += 1
            else:
                result.sessions_added += 1
            added = self.journal.add_session(incoming)
            if added.uid and added.id:
                here[added.uid] = added
        return {uid: s.id for uid, s in here.items() if s.id is not None}

    def _merge_entry(self, item: ImportedEntry, sessions: Mapping[str, int],
                     result: ImportResult) -> None:
        entry = replace(item.entry, id=None,
                        session_id=sessions.get(item.session_uid or ""))
        if entry.uid and entry.uid in self._queued_uids:
            self._add_queued()  # the file repeats a uid: compare with the one just added
        existing = self._known.get(entry.uid or "")
        if existing is None:
            # New: added with the others in one transaction (an import can be 10,000).
            self._queued.append(replace(item, entry=entry))
            if entry.uid:
                self._queued_uids.add(entry.uid)
            result.entries_added += 1
            return
        content = transfer.entry_content(entry, item.answers)
        here = self.answers.load_answers(existing.id) if existing.id is not None else []
        if content == transfer.entry_content(existing, here):
            result.entries_unchanged += 1
            return
        uid = transfer.copy_uid(existing.uid or "", content)
        if self.journal.find_entry_by_uid(uid) is not None:
            result.entries_unchanged += 1
            return
        stored = self.journal.add_entry(transfer.marked_copy(entry, uid))
        result.entries_copied += 1
        if item.answers and stored.id is not None:
            self.answers.save_answers(stored.id, item.answers)

    def _add_queued(self) -> None:
        queued, self._queued = self._queued, []
        self._queued_uids.clear()
        stored = self.journal.add_entries([item.entry for item in queued])
        for item, entry in zip(queued, stored, strict=True):
            if entry.uid:
                self._known[entry.uid] = entry
            if item.answers and entry.id is not None:
                self.answers.save_answers(entry.id, item.answers)

    def _merge_check_in(self, item: ImportedCheckIn, sessions: Mapping[str, int],
                        result: ImportResult) -> None:
        existing = self.check_ins.find_by_uid(item.check_in.uid) if item.check_in.uid \
            else None
        if existing is not None:
            if transfer.check_in_content(existing) == \
                    transfer.check_in_content(item.check_in):
                result.check_ins_unchanged += 1
            else:
                result.check_ins_conflicts += 1
            return
        try:
            self.check_ins.add(replace(item.check_in, id=None,
                                       session_id=sessions.get(item.session_uid or "")))
            result.check_ins_added += 1
        except (IncompleteAnswersError, UnknownMeasureError):
            result.check_ins_skipped += 1


def merge_import(journal: JournalRepository, check_ins: CheckInRepository,
                 answers: PromptAnswerRepository, imported: ImportedJournal,
                 ) -> ImportResult:
    return Importer(journal, check_ins, answers).merge(imported)
