"""The therapist report's plain data: what the person chose (:class:`ReportRequest`),
what the journal holds (:class:`ReportInputs`) and the selection every format renders
(:class:`ReportData`). The rules that fill them live in ``domain/report.py``, which
re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from journal_app.domain.attachments import (
    Attachment,
    AttachmentKind,
    UnsupportedAttachmentError,
    sniff,
)
from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.measures import CheckIn, Measure
from journal_app.domain.picture_metadata import turned_sideways
from journal_app.domain.practices import Practice
from journal_app.domain.prompts import PromptAnswer, render_markdown
from journal_app.domain.themes import ThemePart, Themes
from journal_app.domain.trends import MeasureSeries


@dataclass(frozen=True)
class ReportRequest:
    """What goes into a report. ``None`` for sessions, kinds or measures means "all".

    ``start``/``end`` are inclusive calendar dates (either may be open). Measures default
    to those with check-ins in the period.

    Attachments go with their entry and only with it: the pictures and drawings of the
    chosen entries are in by default and each can be left out (``excluded_attachment_ids``);
    voice notes are out unless ``include_voice_notes``, and then each can be left out
    through the same set.
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
    excluded_attachment_ids: frozenset[int] = frozenset()
    include_voice_notes: bool = False

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValueError("the report's period ends before it starts")
        object.__setattr__(self, "excluded_entry_ids", frozenset(self.excluded_entry_ids))
        object.__setattr__(self, "excluded_attachment_ids",
                           frozenset(self.excluded_attachment_ids))
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
class ReportPicture:
    """A picture or drawing in the report: its description and its bytes with the
    metadata removed (``domain/picture_metadata.py``). ``data`` is None when the picture
    couldn't be read (a damaged or missing file); the report then says so in its place.
    ``orientation`` is the EXIF orientation the bytes still carry (1: upright)."""

    attachment: Attachment
    data: bytes | None = field(default=None, repr=False)
    orientation: int = 1

    @property
    def readable(self) -> bool:
        return self.data is not None

    @property
    def is_drawing(self) -> bool:
        return self.attachment.kind is AttachmentKind.DRAWING

    @property
    def shown_size(self) -> tuple[int, int] | None:
        """(width, height) as the picture is shown, after its orientation is applied (read
        from the bytes when the description lacks it); None for an unreadable picture."""
        width, height = self.attachment.width, self.attachment.height
        if (not width or not height) and self.data is not None:
            try:
                info = sniff(self.data)
            except UnsupportedAttachmentError:
                return None
            width, height = info.width, info.height
        if not width or not height:
            return None
        return (height, width) if turned_sideways(self.orientation) else (width, height)


@dataclass(frozen=True)
class ReportVoiceNote:
    """A voice note the person ticked for the report: listed with its length everywhere;
    ``data`` (the WAV) is there for the HTML report to embed. ``readable`` is False when
    the recording couldn't be read (then ``data`` is None)."""

    attachment: Attachment
    data: bytes | None = field(default=None, repr=False)

    @property
    def readable(self) -> bool:
        return self.data is not None


@dataclass(frozen=True)
class ReportEntry:
    """An entry as the report shows it: its answers (question as answered), when the
    person wrote more than the answers, the body, and the attachments chosen with it."""

    entry: Entry
    answers: tuple[PromptAnswer, ...] = ()
    pictures: tuple[ReportPicture, ...] = ()
    voice_notes: tuple[ReportVoiceNote, ...] = ()

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

