"""The course for the GUI: Qt models of the sessions list and of a timeline of steps, the
shared wording, loading the course and the skip / undo-skip actions.

Statuses are worded gently on purpose: a step that has waited is "still open", never
"late" or "missed"; nothing here asks for more than the person has to give.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
)

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.entities import local as to_local
from journal_app.domain.measures import CheckIn, Measure, load_measures, score
from journal_app.domain.practices import PracticeDomain, load_domains
from journal_app.domain.timeline import (
    SessionProgress,
    StepRecord,
    StepStatus,
    TimelineItem,
    session_progress,
)
from journal_app.domain.timeline import timeline as steps_of
from journal_app.domain.today import session_timeline
from journal_app.ui.labels import modality_label

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

_Index = QModelIndex | QPersistentModelIndex

ItemRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2
SessionIdRole = Qt.ItemDataRole.UserRole + 3
StepRole = Qt.ItemDataRole.UserRole + 4
EntryIdRole = Qt.ItemDataRole.UserRole + 5
DueAtRole = Qt.ItemDataRole.UserRole + 6
SessionRole = Qt.ItemDataRole.UserRole + 7

CLOCK_STEP = dt.timedelta(minutes=1)  # a page following the clock, shown after this, reloads


def _tr(context: str, text: str, n: int = -1) -> str:
    return QCoreApplication.translate(context, text, None, n)


# ---------------------------------------------------------------------------- wording


def step_title(title: str) -> str:
    """A schedule step's title (English data) in the user's language."""
    return _tr("schedule", title)


def format_day(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """ "Thursday 6 March", with the year when it isn't ``now``'s year."""
    local = to_local(moment, now.tzinfo) if now is not None else moment
    date = QDate(local.year, local.month, local.day)
    same_year = now is not None and now.year == local.year
    return QLocale().toString(date, "dddd d MMMM" if same_year else "dddd d MMMM yyyy")


def format_short_day(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    local = to_local(moment, now.tzinfo) if now is not None else moment
    date = QDate(local.year, local.month, local.day)
    same_year = now is not None and now.year == local.year
    return QLocale().toString(date, "ddd d MMM" if same_year else "ddd d MMM yyyy")


def format_time(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    local = to_local(moment, now.tzinfo) if now is not None else moment
    return QLocale().toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)


def day_and_time(moment: dt.datetime, now: dt.datetime, *, short: bool = False) -> str:
    day = format_short_day(moment, now) if short else format_day(moment, now)
    return translate("course", "%1, %2").replace("%1", day).replace("%2", format_time(moment, now))


def labelled(name: str, value: str) -> str:
    """ "Name: value", with the punctuation the user's language uses."""
    return translate("course", "%1: %2").replace("%1", name).replace("%2", value)


def relative_day(days: int) -> str:
    if days == 0:
        return translate("course", "today")
    if days == 1:
        return translate("course", "tomorrow")
    return translate("course", "in %n days", None, days)


def session_name(session: TreatmentSession, position: int | None = None) -> str:
    number = session.number or position
    if number:
        return translate("course", "Session %1").replace("%1", str(number))
    return translate("course", "Session")


@functools.cache
def _domain_titles() -> dict[PracticeDomain, str]:
    return {info.domain: info.title for info in load_domains()}


def domain_title(domain: PracticeDomain) -> str:
    """A practice domain's title (data) in the user's language."""
    return _tr("practices", _domain_titles()[domain])


@functools.cache
def measures() -> dict[str, Measure]:
    return load_measures()


def checkin_summary(check_in: CheckIn, now: dt.datetime) -> str | None:
    """ "Last check-in, <day>: PHQ-9, 8 of 27 (mild)"; None for an unknown measure."""
    measure = measures().get(check_in.measure_id)
    if measure is None:
        return None
    result = score(measure, check_in.answers)
    total = (
        translate("course", "%1 of %2")
        .replace("%1", result.display_total)
        .replace("%2", measure.format_total(measure.max_total))
    )
    if result.band_label:
        total += f" ({_tr('measures', result.band_label)})"
    return (
        translate("course", "Last check-in, %1: %2, %3")
        .replace("%1", format_day(check_in.taken_at, now))
        .replace("%2", measure.name)
        .replace("%3", total)
    )


def status_text(item: TimelineItem, now: dt.datetime) -> str:
    """How a step stands, in a few calm words."""
    status = item.status
    if status is StepStatus.UPCOMING:
        return translate("course", "From %1").replace("%1", format_short_day(item.due_at, now))
    if status is StepStatus.DUE:
        return translate("course", "Ready when you are")
    if status is StepStatus.OVERDUE:
        return translate("course", "Still open, since %1").replace(
            "%1", format_short_day(item.due_at, now)
        )
    if status is StepStatus.IN_PROGRESS:
        return translate("course", "Started, continue when you like")
    if status is StepStatus.DONE:
        return translate("course", "Done")
    return translate("course", "Skipped")


def preparation_text(status: StepStatus | None) -> str:
    if status is StepStatus.DONE:
        return translate("course", "Preparation done")
    if status is StepStatus.IN_PROGRESS:
        return translate("course", "Preparation started")
    if status is StepStatus.SKIPPED:
        return translate("course", "Preparation skipped")
    if status is StepStatus.DUE:
        return translate("course", "Preparation ready when you are")
    if status is StepStatus.OVERDUE:
        return translate("course", "No preparation written")
    return translate("course", "Preparation not started yet")


def progress_text(progress: SessionProgress) -> str:
    if progress.integration_total == 0:
        return ""
    return (
        translate("course", "Integration: %1 of %2 steps")
        .replace("%1", str(progress.integration_done))
        .replace("%2", str(progress.integration_total))
    )


# ---------------------------------------------------------------------------- models


class TimelineModel(QAbstractListModel):
    """Steps of a timeline (one session's, or what is due across sessions), in order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[TimelineItem] = []
        self._now = dt.datetime.now().astimezone()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{step_title(item.title)}\n{status_text(item, self._now)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{step_title(item.title)}, {status_text(item, self._now)}"
        return {
            ItemRole: item,
            StatusRole: str(item.status),
            SessionIdRole: item.session_id,
            StepRole: item.step,
            EntryIdRole: item.entry_id,
            DueAtRole: item.due_at,
        }.get(role)

    def set_items(self, items: list[TimelineItem], now: dt.datetime) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._now = now
        self.endResetModel()

    def clear(self) -> None:
        self.set_items([], self._now)

    def item_at(self, row: int) -> TimelineItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[TimelineItem]:
        return list(self._items)


@dataclass(frozen=True)
class SessionRow:
    session: TreatmentSession
    position: int  # 1-based place in the course by date
    progress: SessionProgress


class SessionListModel(QAbstractListModel):
    """The course, each session with its short status. Given a :class:`Course`, a row's
    timeline and wording are worked out when the row is first shown (a long course costs
    the rows on screen, not every session's steps)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sessions: list[TreatmentSession] = []
        self._course: Course | None = None
        self._made: dict[int, SessionRow] = {}  # by row, made so far
        self._text: dict[int, list[str]] = {}  # by row, its lines, made so far
        self._now = dt.datetime.now().astimezone()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sessions)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sessions):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            sep = ", " if role == Qt.ItemDataRole.AccessibleTextRole else "\n"
            return sep.join(part for part in self._lines(index.row()) if part)
        if role == SessionRole:
            return self._sessions[index.row()]
        if role == SessionIdRole:
            return self._sessions[index.row()].id
        return None

    def row_at(self, row: int) -> SessionRow:
        made = self._made.get(row)
        if made is None:
            course = self._course
            if course is None:  # rows given whole are all made
                raise IndexError(row)
            steps = course.timeline_at(row, self._now)
            made = self._made[row] = SessionRow(self._sessions[row], row + 1,
                                                session_progress(steps))
        return made

    def _lines(self, index: int) -> list[str]:
        lines = self._text.get(index)
        if lines is None:
            lines = self._text[index] = self._make_lines(self.row_at(index))
        return lines

    def _make_lines(self, row: SessionRow) -> list[str]:
        session = row.session
        when = day_and_time(session.starts_at, self._now, short=True)
        status = (
            preparation_text(row.progress.preparation)
            if session.starts_at > self._now or not row.progress.integration_started
            else progress_text(row.progress)
        )
        return [
            f"{session_name(session, row.position)} · {when}",
            modality_label(session.modality),
            status,
        ]

    def set_rows(self, rows: list[SessionRow], now: dt.datetime) -> None:
        """Show these rows, each made already."""
        self._reset([row.session for row in rows], None, now)
        self._made = dict(enumerate(rows))

    def set_course(self, course: Course, now: dt.datetime) -> None:
        """Show the course's sessions in its order, each row made when first shown."""
        self._reset(list(course.sessions), course, now)

    def _reset(self, sessions: list[TreatmentSession], course: Course | None,
               now: dt.datetime) -> None:
        self.beginResetModel()
        self._sessions, self._course, self._now = sessions, course, now
        self._made, self._text = {}, {}
        self.endResetModel()

    def clear(self) -> None:
        self._reset([], None, self._now)

    def session_at(self, row: int) -> TreatmentSession | None:
        return self._sessions[row] if 0 <= row < len(self._sessions) else None

    def row_of(self, session_id: int | None) -> int:
        return next((r for r, s in enumerate(self._sessions) if s.id == session_id), -1)


# ---------------------------------------------------------------------------- the course


@dataclass(frozen=True)
class Course:
    """The sessions (by date) and what is stored about their steps, read at one moment."""

    sessions: list[TreatmentSession]
    records: dict[int, dict[str, StepRecord]]

    @classmethod
    def load(cls, journal: OpenJournal) -> Course:
        return cls(journal.repo.list_sessions(), journal.timeline.all_step_records())

    @functools.cached_property
    def _positions(self) -> dict[int | None, int]:
        return {s.id: i for i, s in enumerate(self.sessions, start=1)}

    def position(self, session_id: int | None) -> int:
        """The session's 1-based place in the course by date; 0 if it isn't in it."""
        return self._positions.get(session_id, 0)

    def timeline(self, session: TreatmentSession, now: dt.datetime) -> list[TimelineItem]:
        return session_timeline(session, self.sessions, self.records.get(session.id, {}), now)

    def timelines(self, now: dt.datetime) -> list[tuple[TreatmentSession, list[TimelineItem]]]:
        """Every session's timeline, in course order, in one walk: each session's steps
        end where the session after it begins (what :meth:`timeline` does one by one,
        sorting the course each time)."""
        following: list[TreatmentSession | None] = [*self.sessions[1:], None]
        return [(s, steps_of(s, after, self.records.get(s.id, {}), now))
                for s, after in zip(self.sessions, following, strict=False)]

    def timeline_at(self, index: int, now: dt.datetime) -> list[TimelineItem]:
        """The timeline of the course's ``index``-th session (0-based), as
        :meth:`timelines` gives it."""
        session = self.sessions[index]
        after = self.sessions[index + 1] if index + 1 < len(self.sessions) else None
        return steps_of(session, after, self.records.get(session.id, {}), now)


def session_intention(journal: OpenJournal, session_id: int | None) -> str | None:
    """The intention written while preparing for the session, if any."""
    found = journal.answers.latest_answer("intention", session_id=session_id)
    if found is None or not isinstance(found.answer, str) or not found.answer.strip():
        return None
    return found.answer.strip()


def skip_step(journal: OpenJournal, session_id: int, step: str) -> None:
    journal.timeline.set_status(session_id, step, StepStatus.SKIPPED)


def unskip_step(journal: OpenJournal, session_id: int, step: str) -> None:
    """Undo a skip. A step that already has an entry goes back to "started", so the link to
    what was written is kept; otherwise it follows the clock again."""
    repo = journal.timeline
    record = repo.step_records(session_id).get(step)
    if record is not None and record.entry_id is not None:
        repo.set_status(session_id, step, StepStatus.IN_PROGRESS)
    else:
        repo.clear(session_id, step)
