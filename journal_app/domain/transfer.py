"""What an import brings in: journal content read from our own JSON export, as domain
objects with the stable ``uid`` links between them (local ids differ between journals).

``export/json_format.py`` reads a file into an :class:`ImportedJournal`;
``storage/json_import.py`` merges it into an open journal (by uid, never wiping).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journal_app.domain.entities import Entry, TreatmentSession
from journal_app.domain.measures import CheckIn
from journal_app.domain.prompts import PromptAnswer


@dataclass(frozen=True)
class ImportedEntry:
    entry: Entry
    session_uid: str | None = None
    answers: tuple[PromptAnswer, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class ImportedCheckIn:
    check_in: CheckIn
    session_uid: str | None = None


@dataclass(frozen=True)
class ImportedJournal:
    sessions: tuple[TreatmentSession, ...] = ()
    entries: tuple[ImportedEntry, ...] = ()
    check_ins: tuple[ImportedCheckIn, ...] = ()


@dataclass
class ImportResult:
    """Counts for the message after an import (no content)."""

    entries_added: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0
    sessions_added: int = 0
    check_ins_added: int = 0
    check_ins_skipped: int = 0

    def summary(self) -> str:
        parts = [f"{self.entries_added} new entr{'y' if self.entries_added == 1 else 'ies'}",
                 f"{self.entries_updated} updated",
                 f"{self.entries_unchanged} already here",
                 f"{self.sessions_added} new session{'s' if self.sessions_added != 1 else ''}",
                 f"{self.check_ins_added} new check-in{'s' if self.check_ins_added != 1 else ''}"]
        if self.check_ins_skipped:
            parts.append(f"{self.check_ins_skipped} check-in(s) skipped (unknown questionnaire "
                         "or incomplete answers)")
        return ", ".join(parts) + "."
