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
  were chosen for the score table: care.md asks that the clinician sees them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from journal_app.domain.attachments import Attachment
from journal_app.domain.entities import Entry, EntryKind, TreatmentSession, now
from journal_app.domain.measures import CheckIn, Measure
from journal_app.domain.practices import Practice, PracticeOutcome
from journal_app.domain.prompts import PromptAnswer, render_markdown
from journal_app.domain.prompts import answer_text as prompt_answer_text
from journal_app.domain.themes import ThemePart, Themes, find_themes
from journal_app.domain.trends import MeasureSeries, build_series

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


@dataclass(frozen=True)
class ReportRequest:
    """What goes into a report. ``None`` for sessions, kinds or measures means "all".

    ``start``/``end`` are inclusive calendar dates (either may be open). Measures default
    to those with check-ins in the period.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    session_ids: frozenset[int] | None = None
    kinds: frozenset[EntryKind] | None = None
    measure_ids: tuple[str, ...] | None = None
    include_private: bool = False
    excluded_entry_ids: frozenset[int] = frozenset()
    include_unlinked: bool = True
    patient_name: str = field(default="", repr=False)
    #: The parts of "Themes across sessions" to add; none (the default) leaves it out.
    theme_parts: frozenset[ThemePart] = frozenset()

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValueError("the report's period ends before it starts")
        object.__setattr__(self, "excluded_entry_ids", frozenset(self.excluded_entry_ids))
        object.__setattr__(self, "theme_parts", frozenset(ThemePart(p) for p in self.theme_parts))
        if self.session_ids is not None:
            object.__setattr__(self, "session_ids", frozenset(self.session_ids))
        if self.kinds is not None:
            object.__setattr__(self, "kinds", frozenset(EntryKind(k) for k in self.kinds))

    def in_period(self, moment: dt.datetime | dt.date) -> bool:
        day = moment.date() if isinstance(moment, dt.datetime) else moment
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report may draw on, as domain objects. ``answers`` maps an entry id to
    its structured prompt answers, in order."""

    sessions: Sequence[TreatmentSession] = ()
    entries: Sequence[Entry] = ()
    answers: Mapping[int, Sequence[PromptAnswer]] = field(default_factory=dict)
    check_ins: Sequence[CheckIn] = ()
    measures: Mapping[str, Measure] = field(default_factory=dict)
    practices: Sequence[Practice] = ()
    #: An entry id's attachments, oldest first; their bytes come from ``attachment_data``
    #: (read from the encrypted store only for what a report includes).
    attachments: Mapping[int, Sequence[Attachment]] = field(default_factory=dict)
    attachment_data: Callable[[Attachment], bytes] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Highlight:
    """One answer quoted in a session's summary: a short label, the question as it was
    asked, the answer as text, and when it was written."""

    label: str
    question: str = field(repr=False)
    text: str = field(repr=False)
    written_at: dt.datetime


@dataclass(frozen=True)
class SessionSummary:
    session: TreatmentSession
    intention: Highlight | None = None
    happened: tuple[Highlight, ...] = ()
    practice: Highlight | None = None
    practice_outcome: str = ""
    bring_before: Highlight | None = None
    tell_after: Highlight | None = None


@dataclass(frozen=True)
class FlaggedItem:
    number: int
    text: str = field(repr=False)
    value: int = field(repr=False)
    label: str = field(repr=False)


@dataclass(frozen=True)
class SafetyFlag:
    """A check-in whose answers call for the safety follow-up, with the items at fault."""

    measure_id: str
    measure_name: str
    taken_at: dt.datetime
    items: tuple[FlaggedItem, ...]
    check_in_id: int | None = None


@dataclass(frozen=True)
class ReportEntry:
    """An entry as the report shows it: its answers (question as answered) and, when the
    person wrote more than the answers, the body."""

    entry: Entry
    answers: tuple[PromptAnswer, ...] = ()

    @property
    def shown_answers(self) -> tuple[PromptAnswer, ...]:
        return tuple(a for a in self.answers if not a.is_empty)

    @property
    def extra_body(self) -> str:
        """The body, unless it is only the answers written out (then it would repeat them)."""
        body = self.entry.body.strip()
        if self.shown_answers and body == render_markdown(self.shown_answers).strip():
            return ""
        return body


@dataclass(frozen=True)
class EntryGroup:
    """The chosen entries of one session (``session`` None: not tied to a session)."""

    session: TreatmentSession | None
    entries: tuple[ReportEntry, ...]


@dataclass(frozen=True)
class ReportData:
    request: ReportRequest
    generated_at: dt.datetime
    period_start: dt.date | None
    period_end: dt.date | None
    sessions: tuple[SessionSummary, ...]
    scores: tuple[MeasureSeries, ...]
    safety_flags: tuple[SafetyFlag, ...]
    groups: tuple[EntryGroup, ...]
    check_ins: tuple[CheckIn, ...] = ()
    all_sessions: tuple[TreatmentSession, ...] = ()
    #: (measure name, check-ins in the period) for every measure with a safety rule, so the
    #: report can tell "asked, never flagged" from "not asked".
    safety_screens: tuple[tuple[str, int], ...] = ()
    #: Themes across the chosen sessions, from the entries in the report only.
    themes: Themes | None = None

    @property
    def patient_name(self) -> str:
        return self.request.patient_name.strip()

    @property
    def entries(self) -> tuple[ReportEntry, ...]:
        return tuple(e for group in self.groups for e in group.entries)

    def session(self, session_id: int | None) -> TreatmentSession | None:
        return next((s for s in self.all_sessions if s.id == session_id), None)


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
    reported = [ReportEntry(e, tuple(inputs.answers.get(e.id, ())) if e.id is not None else ())
                for e in entries]
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
