"""What an import brings in: journal content read from our own JSON export, as domain
objects with the stable ``uid`` links between them (local ids differ between journals).

``export/json_format.py`` reads a file into an :class:`ImportedJournal`;
``storage/json_import.py`` merges it into an open journal (by uid, never wiping).

What counts as *content* when an imported item meets one with the same uid here:

- an entry: its kind, title, body, tags (in any order), private flag, ``created_at`` (to
  the second, the precision the journal stores) and its prompt answers (for each, the
  prompt, the kind of answer, the answer and whether it was skipped). Not ``updated_at``
  (when, not what) and not the link to a session (a ``list --json`` file has none), nor
  the wording of the prompts (the library's, not the person's);
- a session: its date, modality, setting, number, provider and notes;
- a check-in: its questionnaire and version, answers, ``taken_at`` and note.

Same content is "already here". Different content is a conflict, resolved in
``storage/json_import.py`` without losing either side. :func:`copy_uid` names the copy of
an incoming item: derived from its uid and its content, so the same file imported twice
finds its copies and adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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


# --------------------------------------------------------------------------- content


def _instant(value: dt.datetime) -> str:
    """One spelling per instant, to the second: offsets and microseconds don't count."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _canonical(content: Any) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def entry_content(entry: Entry, answers: Iterable[PromptAnswer] = ()) -> str:
    """The entry's content (see the module docstring) in one comparable string."""
    return _canonical({
        "kind": entry.kind.value, "title": entry.title, "body": entry.body,
        "tags": sorted(entry.tags), "private": entry.private,
        "created_at": _instant(entry.created_at),
        "answers": [[a.prompt_id, a.answer_type.value, a.answer, a.skipped] for a in answers],
    })


def session_content(session: TreatmentSession) -> str:
    return _canonical({
        "starts_at": _instant(session.starts_at), "modality": session.modality.value,
        "setting": session.setting.value, "number": session.number,
        "provider": session.provider, "notes": session.notes,
    })


def check_in_content(check_in: CheckIn) -> str:
    return _canonical({
        "measure": check_in.measure_id, "version": check_in.measure_version,
        "answers": list(check_in.answers), "taken_at": _instant(check_in.taken_at),
        "note": check_in.note,
    })


def copy_uid(uid: str, content: str) -> str:
    """The uid of the copy of an incoming item whose uid is taken by different content:
    32 hex digits like every uid, the same for the same item and content every time."""
    digest = hashlib.sha256(f"imported-copy\0{uid}\0{content}".encode())
    return digest.hexdigest()[:32]


#: How a copy of an entry is marked: its title says so (after the original title, which
#: stays readable) and a tag gathers all copies, so the person can find and compare them.
COPY_MARK = "imported copy"


def marked_copy(entry: Entry, uid: str) -> Entry:
    """``entry`` as a copy beside the one here: same body, title marked, tag added."""
    title = entry.display_title
    if title.endswith(f"({COPY_MARK})"):  # a copy of a copy: marked once is enough
        marked = title
    else:
        marked = f"{title} ({COPY_MARK})" if title else f"({COPY_MARK})"
    return Entry(kind=entry.kind, title=marked, body=entry.body,
                 tags=(*entry.tags, COPY_MARK), private=entry.private,
                 created_at=entry.created_at, updated_at=entry.updated_at,
                 session_id=entry.session_id, uid=uid)


# --------------------------------------------------------------------------- the result


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass
class ImportResult:
    """Counts for the message after an import (no content), per kind: ``added`` (new
    here), ``unchanged`` (already here, same content), ``copied`` (same uid, different
    content: both kept). Check-ins are never copied: ``check_ins_conflicts`` counts those
    left out because a different one with the same uid is already here."""

    entries_added: int = 0
    entries_unchanged: int = 0
    entries_copied: int = 0
    sessions_added: int = 0
    sessions_unchanged: int = 0
    sessions_copied: int = 0
    check_ins_added: int = 0
    check_ins_unchanged: int = 0
    check_ins_conflicts: int = 0
    check_ins_skipped: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.entries_added or self.entries_copied or self.sessions_added
                    or self.sessions_copied or self.check_ins_added)

    def as_dict(self) -> dict[str, dict[str, int]]:
        """The counts as plain data, e.g. for a ``--json`` answer."""
        return {
            "entries": {"added": self.entries_added, "already_here": self.entries_unchanged,
                        "kept_as_copy": self.entries_copied},
            "sessions": {"added": self.sessions_added,
                         "already_here": self.sessions_unchanged,
                         "kept_as_copy": self.sessions_copied},
            "check_ins": {"added": self.check_ins_added,
                          "already_here": self.check_ins_unchanged,
                          "left_out_conflicting": self.check_ins_conflicts,
                          "left_out_unreadable": self.check_ins_skipped},
        }

    def summary(self) -> str:
        entries = (f"{_count(self.entries_added, 'new entry', 'new entries')}, "
                   f"{self.entries_unchanged} already here")
        if self.entries_copied:
            entries += (f", {self.entries_copied} kept as a copy beside the one here "
                        f"(different text under the same id; tagged '{COPY_MARK}')")
        sessions = (f"{_count(self.sessions_added, 'new session', 'new sessions')}, "
                    f"{self.sessions_unchanged} already here")
        if self.sessions_copied:
            sessions += (f", {self.sessions_copied} kept as a copy beside the one here "
                         "(different details under the same id)")
        check_ins = (f"{_count(self.check_ins_added, 'new check-in', 'new check-ins')}, "
                     f"{self.check_ins_unchanged} already here")
        if self.check_ins_conflicts:
            check_ins += (f", {self.check_ins_conflicts} left out (a different check-in "
                          "under the same id is already here and was kept; the file still "
                          "has the one left out)")
        if self.check_ins_skipped:
            check_ins += (f", {self.check_ins_skipped} skipped (unknown questionnaire or "
                          "incomplete answers)")
        return f"{entries}; {sessions}; {check_ins}."
