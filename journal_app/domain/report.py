"""The therapist report as plain data: what the person chose, and the selection itself.

:class:`ReportRequest` is what the person chose (period, sessions, entry kinds, measures,
private entries, unticked entries, the name to print). :class:`ReportInputs` is what the
journal holds, gathered by ``storage/report_source.py``. :func:`select_report` is the one
pure function that turns both into :class:`ReportData`, which every export format renders.

The privacy rules live here, once:

* private entries are left out unless ``include_private``; unticked entries always are;
* the per-session summaries (intention, what stood out, the practice) are read only from
  entries that are themselves in the report, so nothing reaches the clinician that the
  person did not see ticked in the list;
* safety flags (PHQ-9 item 9 above 0) of the period are always carried, whichever measures
  were chosen for the score table: care.md asks that the clinician sees them;
* attachments go only with an included entry: pictures and drawings unless left out, voice
  notes only when ticked, pictures without their metadata (``domain/report_attachments.py``).

The data classes are in ``domain/report_types.py``; they are re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from journal_app.domain.entities import Entry, TreatmentSession, now
from journal_app.domain.measures import CheckIn, Measure
from journal_app.domain.practices import Practice, PracticeOutcome
from journal_app.domain.prompts import PromptAnswer
from journal_app.domain.prompts import answer_text as prompt_answer_text
from journal_app.domain.report_attachments import entry_media, is_included
from journal_app.domain.report_types import (
    EntryGroup,
    FlaggedItem,
    Highlight,
    ReportData,
    ReportEntry,
    ReportInputs,
    ReportPicture,
    ReportRequest,
    ReportVoiceNote,
    SafetyFlag,
    SessionSummary,
)
from journal_app.domain.themes import find_themes
from journal_app.domain.trends import MeasureSeries, build_series

__all__ = [
    "AFTER_FOR_THERAPIST", "BEFORE_FOR_THERAPIST", "HAPPENED_PROMPTS", "INTENTION_PROMPT",
    "PRACTICE_DOMAIN_PROMPT", "PRACTICE_OUTCOME_PROMPT", "PRACTICE_PROMPT", "EntryGroup",
    "FlaggedItem", "Highlight", "ReportData", "ReportEntry", "ReportInputs", "ReportPicture",
    "ReportRequest", "ReportVoiceNote", "SafetyFlag", "SessionSummary", "answer_text",
    "candidate_entries", "chosen_sessions", "included_entries", "is_included",
    "measures_in_period", "select_report",
]

#: Prompts whose answers summarise a session on the report's first page, in reading order.
INTENTION_PROMPT = "intention"
HAPPENED_PROMPTS: tuple[tuple[str, str], ...] = (
    ("day0_words", "The evening after"),
    ("day1_stood_out", "What stood out"),
    ("day3_intention", "The intention, three days on"),
    ("week1_changed", "A week on"),
)
BEFORE_FOR_THERAPIST = ("intention_for_therapist", "To bring to the therapist")
AFTER_FOR_THERAPIST = ("day1_for_therapist", "To tell the therapist")
PRACTICE_PROMPT = "day3_practice"
PRACTICE_DOMAIN_PROMPT = "day3_practice_domain"
PRACTICE_OUTCOME_PROMPT = "week1_practice"


# ---------------------------------------------------------------------------- selection


def answer_text(answer: PromptAnswer) -> str:
    """An answer as plain text for the report: a scale "6 / 10", choices by their labels."""
    return prompt_answer_text(answer, none_ticked="none ticked")


def chosen_sessions(inputs: ReportInputs, request: ReportRequest) -> list[TreatmentSession]:
    """The sessions of the course table: in the period and, if named, among those chosen."""
    return [s for s in _by_date(inputs.sessions)
            if request.in_period(s.starts_at)
            and (request.session_ids is None or s.id in request.session_ids)]


def candidate_entries(inputs: ReportInputs, request: ReportRequest) -> list[Entry]:
    """Entries that match period, sessions and kinds, oldest first, private ones included:
    the list the person ticks in (private ones start unticked)."""
    return [e for e in sorted(inputs.entries, key=_entry_order)
            if request.in_period(e.created_at)
            and (request.kinds is None or e.kind in request.kinds)
            and _session_chosen(e.session_id, request)]


def included_entries(inputs: ReportInputs, request: ReportRequest) -> list[Entry]:
    """The entries that go into the report: candidates minus private (unless included)
    and minus unticked ones."""
    return [e for e in candidate_entries(inputs, request)
            if (request.include_private or not e.private)
            and e.id not in request.excluded_entry_ids]


def measures_in_period(inputs: ReportInputs, request: ReportRequest) -> list[str]:
    """Ids of the measures with at least one check-in in the period, in display order."""
    used = {c.measure_id for c in inputs.check_ins if request.in_period(c.taken_at)}
    return [mid for mid in inputs.measures if mid in used]


def select_report(inputs: ReportInputs, request: ReportRequest, *,
                  generated_at: dt.datetime | None = None) -> ReportData:
    entries = included_entries(inputs, request)
    reported = [_report_entry(e, inputs, request) for e in entries]
    sessions = chosen_sessions(inputs, request)
    scores = _scores(inputs, request)
    flags = _safety_flags(inputs, request)
    period_check_ins = [c for c in inputs.check_ins if request.in_period(c.taken_at)]
    score_ids = {s.measure.id for s in scores}
    flagged_ids = {f.check_in_id for f in flags}
    return ReportData(
        request=request,
        generated_at=generated_at or now(),
        period_start=request.start or _first_day(sessions, entries, period_check_ins),
        period_end=request.end or _last_day(sessions, entries, period_check_ins),
        sessions=tuple(_summary(s, reported, inputs.practices) for s in sessions),
        scores=scores,
        safety_flags=flags,
        groups=_groups(reported, inputs.sessions),
        check_ins=tuple(sorted((c for c in period_check_ins
                                if c.measure_id in score_ids or c.id in flagged_ids),
                               key=_check_in_order)),
        all_sessions=tuple(_by_date(inputs.sessions)),
        safety_screens=tuple(
            (m.name, sum(1 for c in period_check_ins if c.measure_id == m.id))
            for m in inputs.measures.values() if m.safety is not None),
        themes=find_themes(sessions, entries, inputs.answers, period_check_ins,
                           inputs.measures, include_private=True)
        if request.theme_parts else None,
    )


def _report_entry(entry: Entry, inputs: ReportInputs, request: ReportRequest) -> ReportEntry:
    answers = tuple(inputs.answers.get(entry.id, ())) if entry.id is not None else ()
    pictures, voice_notes = entry_media(entry.id, inputs, request)
    return ReportEntry(entry, answers, pictures, voice_notes)


def _session_chosen(session_id: int | None, request: ReportRequest) -> bool:
    if session_id is None:
        return request.include_unlinked
    return request.session_ids is None or session_id in request.session_ids


def _entry_order(entry: Entry) -> tuple[dt.datetime, int]:
    return (entry.created_at, entry.id if entry.id is not None else -1)


def _check_in_order(check_in: CheckIn) -> tuple[dt.datetime, int]:
    return (check_in.taken_at, check_in.id if check_in.id is not None else -1)


def _by_date(sessions: Iterable[TreatmentSession]) -> list[TreatmentSession]:
    return sorted(sessions, key=lambda s: (s.starts_at, s.id or 0))


def _days(sessions: Sequence[TreatmentSession], entries: Sequence[Entry],
          check_ins: Sequence[CheckIn]) -> list[dt.date]:
    return ([s.starts_at.date() for s in sessions] + [e.created_at.date() for e in entries]
            + [c.taken_at.date() for c in check_ins])


def _first_day(sessions: Sequence[TreatmentSession], entries: Sequence[Entry],
               check_ins: Sequence[CheckIn]) -> dt.date | None:
    return min(_days(sessions, entries, check_ins), default=None)


def _last_day(sessions: Sequence[TreatmentSession], entries: Sequence[Entry],
              check_ins: Sequence[CheckIn]) -> dt.date | None:
    return max(_days(sessions, entries, check_ins), default=None)


# ---------------------------------------------------------------------------- sessions


def _highlight(label: str, prompt_id: str,
               entries: Sequence[ReportEntry]) -> Highlight | None:
    """The latest non-empty answer to ``prompt_id`` among ``entries``."""
    found: Highlight | None = None
    for item in entries:  # oldest first: the last one found is the newest
        for answer in item.shown_answers:
            if answer.prompt_id == prompt_id:
                found = Highlight(label, answer.question, answer_text(answer),
                                  item.entry.created_at)
    return found


def _summary(session: TreatmentSession, reported: Sequence[ReportEntry],
             practices: Sequence[Practice]) -> SessionSummary:
    own = [r for r in reported if session.id is not None and r.entry.session_id == session.id]
    happened = tuple(h for prompt_id, label in HAPPENED_PROMPTS
                     if (h := _highlight(label, prompt_id, own)) is not None)
    practice, outcome = _practice(session, own, practices)
    before = _highlight(BEFORE_FOR_THERAPIST[1], BEFORE_FOR_THERAPIST[0], own)
    after = _highlight(AFTER_FOR_THERAPIST[1], AFTER_FOR_THERAPIST[0], own)
    return SessionSummary(session, _highlight("Intention", INTENTION_PROMPT, own),
                          happened, practice, outcome, before, after)


_OUTCOME_WORDS = {PracticeOutcome.DONE: "yes", PracticeOutcome.PARTLY: "partly",
                  PracticeOutcome.NOT_YET: "not yet"}


def _practice(session: TreatmentSession, own: Sequence[ReportEntry],
              practices: Sequence[Practice]) -> tuple[Highlight | None, str]:
    """The practice chosen after ``session`` if an entry in the report names it, and
    whether it happened ("" when not said). The area chosen is put in the label. A stored
    practice with the same description supplies an outcome recorded outside the flow."""
    chosen = _highlight("Practice", PRACTICE_PROMPT, own)
    if chosen is None:
        return None, ""
    area = _highlight("Area", PRACTICE_DOMAIN_PROMPT, own)
    if area is not None:
        chosen = replace(chosen, label=f"Practice ({area.text.lower()})")
    stored = [p.outcome for p in practices if p.session_id == session.id
              and p.outcome is not None and p.description.strip() == chosen.text]
    if stored:
        return chosen, _OUTCOME_WORDS[stored[-1]]
    said = _highlight("Outcome", PRACTICE_OUTCOME_PROMPT, own)
    return chosen, said.text.lower() if said is not None else ""


def _groups(reported: Sequence[ReportEntry],
            sessions: Sequence[TreatmentSession]) -> tuple[EntryGroup, ...]:
    """Entries grouped by session, sessions in date order; unlinked entries come last."""
    known = {s.id: s for s in sessions}
    groups = [EntryGroup(s, tuple(r for r in reported if r.entry.session_id == s.id))
              for s in _by_date(sessions)]
    unlinked = tuple(r for r in reported if r.entry.session_id not in known)
    groups.append(EntryGroup(None, unlinked))
    return tuple(g for g in groups if g.entries)


# ---------------------------------------------------------------------------- scores


def _scores(inputs: ReportInputs, request: ReportRequest) -> tuple[MeasureSeries, ...]:
    wanted = request.measure_ids if request.measure_ids is not None \
        else measures_in_period(inputs, request)
    series = []
    for measure_id, measure in inputs.measures.items():
        if measure_id not in wanted:
            continue
        own = sorted((c for c in inputs.check_ins if c.measure_id == measure_id),
                     key=_check_in_order)
        in_period = [c for c in own if request.in_period(c.taken_at)]
        # The baseline is the first check-in ever, even before the period.
        series.append(build_series(measure, in_period, baseline=own[0] if own else None))
    return tuple(series)


def _safety_flags(inputs: ReportInputs, request: ReportRequest) -> tuple[SafetyFlag, ...]:
    flags = []
    for check_in in sorted(inputs.check_ins, key=_check_in_order):
        measure = inputs.measures.get(check_in.measure_id)
        if measure is None or measure.safety is None or not request.in_period(check_in.taken_at):
            continue
        items = tuple(_flagged_item(measure, check_in, n) for n in measure.safety.items
                      if n <= len(check_in.answers)
                      and check_in.answers[n - 1] > measure.safety.above)
        if items:
            flags.append(SafetyFlag(measure.id, measure.name, check_in.taken_at, items,
                                    check_in.id))
    return tuple(flags)


def _flagged_item(measure: Measure, check_in: CheckIn, number: int) -> FlaggedItem:
    item = measure.items[number - 1]
    value = check_in.answers[number - 1]
    return FlaggedItem(number, item.text, value, item.scale.label_for(value) or str(value))
