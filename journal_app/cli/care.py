"""The care verbs (cli.md): ``capture``, ``session add``, ``sessions`` and ``due``. Their
arguments are parsed in care_args.py.

``capture`` needs no passphrase and no lock: the note is sealed to the journal's public
key and waits beside it until the next unlock, in the app or by a verb that writes
(common.opened merges it then). ``due`` and ``sessions`` read the session timeline
(domain/timeline.py) the same way the GUI does, and count a session's progress with the
same rule (``timeline.session_progress``: done or skipped is finished); they open the
journal without the lock, so they work while the GUI has it open.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from journal_app.cli import secrets
from journal_app.cli.common import (
    one_line,
    one_line_file,
    opened,
    opening_secret,
    read_stdin,
    require_file,
    save_journal,
    when,
)
from journal_app.cli.output import emit, emit_json, note
from journal_app.domain import jsonformat
from journal_app.domain.entities import Modality, Setting, TreatmentSession, now
from journal_app.domain.timeline import (
    SessionProgress,
    StepRecord,
    StepStatus,
    TimelineItem,
    due_items,
    session_progress,
    timeline,
)
from journal_app.errors import UsageError
from journal_app.storage import inbox

# --------------------------------------------------------------------------- capture


def cmd_capture(args: argparse.Namespace) -> int:
    require_file(args.path)
    if secrets.stdin_is_tty():
        note("Type the note, then press Ctrl-D on an empty line (Ctrl-Z and Enter on "
             "Windows). No passphrase is needed.")
    text = read_stdin("note", "nothing was kept").rstrip("\n")
    if not text.strip():
        raise UsageError("Nothing to keep: stdin was empty. Pipe the note's text into "
                         "the command, e.g. echo 'a few words' | journal-app capture PATH.")
    inbox.seal_note(args.path, text)
    note("Kept; it will be added to the journal at the next unlock, in the app or by a "
         "command that writes to it (e.g. journal-app add).")
    return 0


# --------------------------------------------------------------------------- session add


def _next_number(sessions: Sequence[TreatmentSession]) -> int:
    """One more than the highest number so far (or than the count, if unnumbered)."""
    return max([s.number or 0 for s in sessions] + [len(sessions)]) + 1


def cmd_session_add(args: argparse.Namespace) -> int:
    provider = args.provider
    if args.provider_file is not None:
        provider = one_line_file(args.provider_file, "provider", "the session was not added")
    with opened(args.path, opening_secret(args), write=True,
                accept_older=args.accept_older, keep_additions=True) as (vault, repo):
        number = args.number or _next_number(repo.list_sessions())
        session = repo.add_session(TreatmentSession(
            starts_at=args.date, modality=Modality(args.modality),
            setting=Setting(args.setting), number=number, provider=provider))
        save_journal(vault, "The session was not added")
    emit(str(session.id))
    return 0


# --------------------------------------------------------------------------- timeline


def _read_timeline(args: argparse.Namespace,
                   ) -> tuple[list[TreatmentSession], dict[int, dict[str, StepRecord]]]:
    from journal_app.storage.care import TimelineRepository  # not needed by ``capture``

    with opened(args.path, opening_secret(args), write=False) as (vault, repo):
        return repo.list_sessions(), TimelineRepository(vault.db).all_step_records()


def _by_start(sessions: Sequence[TreatmentSession]) -> list[TreatmentSession]:
    """The order ``due_items`` uses to find each session's next one."""
    return sorted(sessions, key=lambda s: (s.starts_at, s.id or 0))


def _number(session: TreatmentSession | None) -> str:
    if session is None or session.number is None:
        return "#-"
    return f"#{session.number}"


def _due_json(item: TimelineItem, session: TreatmentSession | None) -> dict[str, Any]:
    return {
        **item.to_json(),
        "session_number": session.number if session else None,
        "session_date": jsonformat.iso(session.starts_at) if session else None,
    }


def _due_line(item: TimelineItem, session: TreatmentSession | None) -> str:
    return (f"{when(item.due_at)}  {item.status.value:<11}  {item.step:<11}  "
            f"session {_number(session):<4} {item.title}")


def cmd_due(args: argparse.Namespace) -> int:
    at = args.at or now()
    sessions, records = _read_timeline(args)
    items = due_items(sessions, records, at)
    by_id = {s.id: s for s in sessions}
    if args.json:
        emit_json(jsonformat.document(
            at=jsonformat.iso(at),
            items=[_due_json(item, by_id.get(item.session_id)) for item in items]))
    elif items:
        emit("\n".join(_due_line(item, by_id.get(item.session_id)) for item in items))
    else:
        note(f"Nothing is due at {when(at)}.")
    return 0


#: ``preparation`` in ``sessions``: what the person did, or "not-started" for a step the
#: clock alone decides (upcoming, due, overdue).
_PREPARATION_STATE = {StepStatus.DONE: "done", StepStatus.SKIPPED: "skipped",
                      StepStatus.IN_PROGRESS: "in-progress"}


@dataclass(frozen=True)
class SessionStatus:
    """One session's progress (the shared rule, domain/timeline.session_progress) and the
    timeline it was worked out from."""

    progress: SessionProgress
    items: tuple[TimelineItem, ...]

    @property
    def preparation(self) -> str | None:
        """``not-started``, ``in-progress``, ``done`` or ``skipped``; None when the
        schedule has no preparation step."""
        status = self.progress.preparation
        if status is None:
            return None
        return _PREPARATION_STATE.get(status, "not-started")


def session_statuses(sessions: Sequence[TreatmentSession],
                     records: Mapping[int, Mapping[str, StepRecord]],
                     at: dt.datetime) -> dict[int | None, SessionStatus]:
    """Each session's progress on its timeline at ``at``, by session id."""
    ordered = _by_start(sessions)
    found: dict[int | None, SessionStatus] = {}
    for index, session in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        items = timeline(session, following, records.get(session.id or -1, {}), at)
        found[session.id] = SessionStatus(session_progress(items), tuple(items))
    return found


def _progress_json(status: SessionStatus) -> dict[str, Any]:
    """``integration.done`` counts steps done or skipped, as the app's Sessions page does;
    ``skipped`` says how many of those were skipped."""
    progress = status.progress
    return {
        "preparation": status.preparation,
        "integration": {"done": progress.integration_done,
                        "skipped": progress.integration_skipped,
                        "open": progress.integration_open,
                        "total": progress.integration_total},
        "timeline": [item.to_json() for item in status.items],
    }


def progress_text(status: SessionStatus) -> str:
    """E.g. "preparation done · 3 of 4 integration steps done (1 skipped)"."""
    progress = status.progress
    parts = []
    if status.preparation is not None:
        parts.append("preparation " + status.preparation.replace("-", " "))
    integration = (f"{progress.integration_done} of {progress.integration_total} "
                   "integration steps done")
    if progress.integration_skipped:
        integration += f" ({progress.integration_skipped} skipped)"
    parts.append(integration)
    return " · ".join(parts)


def _session_line(session: TreatmentSession, progress: SessionStatus) -> str:
    return (f"{session.id:>5}  {when(session.starts_at)}  {session.modality.value:<16}  "
            f"{session.setting.value:<6}  {_number(session):<4}  {progress_text(progress)}  "
            f"{one_line(session.provider)}").rstrip()


def cmd_sessions(args: argparse.Namespace) -> int:
    sessions, records = _read_timeline(args)
    progress = session_statuses(sessions, records, now())
    if args.json:
        emit_json(jsonformat.document(sessions=[
            {**jsonformat.session_to_dict(s), **_progress_json(progress[s.id])}
            for s in sessions]))
    elif sessions:
        emit("\n".join(_session_line(s, progress[s.id]) for s in sessions))
    else:
        note("This journal has no treatment sessions yet.")
    return 0
