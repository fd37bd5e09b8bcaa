"""Every check-in as a table row: exact values, dates, levels, session and safety flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.measures import CheckIn, Measure
from journal_app.domain.trends import MeasureSeries, SeriesPoint
from journal_app.ui.labels import date_text, flag_text, tr_measure

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Row:
    measure: Measure
    point: SeriesPoint
    note: str
    session: TreatmentSession | None
    first: bool = False  # the baseline the changes are measured from

    def __repr__(self) -> str:
        return f"Row(measure={self.measure.id!r}, id={self.point.check_in_id})"


COLUMNS = ("date", "measure", "score", "level", "change", "session", "flag", "note")


def _headers() -> dict[str, str]:
    return {
        "date": translate("CheckInTable", "Date"),
        "measure": translate("CheckInTable", "Check-in"),
        "score": translate("CheckInTable", "Score"),
        "level": translate("CheckInTable", "Level"),
        "change": translate("CheckInTable", "Since first"),
        "session": translate("CheckInTable", "Session"),
        "flag": translate("CheckInTable", "Flag"),
        "note": translate("CheckInTable", "Note"),
    }


class CheckInTableModel(QAbstractTableModel):
    """Read-only rows, oldest first in the model (the view sorts, newest first by default)."""

    def __init__(self, measures: Mapping[str, Measure], parent: Any = None) -> None:
        super().__init__(parent)
        self.measures = measures
        self._rows: list[Row] = []
        self._keys: dict[int, list[Any]] = {}  # column → each row's sort key, made when asked

    # ------------------------------------------------------------------ filling
    def set_data(
        self,
        check_ins: Sequence[CheckIn],
        series: Mapping[str, MeasureSeries],
        sessions: Sequence[TreatmentSession],
    ) -> None:
        notes = {c.id: c.note for c in check_ins}
        by_id = {s.id: s for s in sessions}
        firsts = {s.baseline.check_in_id for s in series.values() if s.baseline is not None}
        rows = [
            Row(
                s.measure,
                p,
                notes.get(p.check_in_id, ""),
                by_id.get(p.session_id),
                p.check_in_id in firsts,
            )
            for s in series.values()
            for p in s.points
        ]
        rows.sort(key=lambda r: (r.point.taken_at, r.point.check_in_id or 0))
        self.beginResetModel()
        self._rows = rows
        self._keys = {}
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._keys = {}
        self.endResetModel()

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def check_in_id(self, row: int) -> int | None:
        return self._rows[row].point.check_in_id if 0 <= row < len(self._rows) else None

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _headers()[COLUMNS[section]]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(COLUMNS):
            return None
        if role == SortRole:  # asked for again and again while the view sorts: kept
            return self._sort_keys(index.column())[index.row()]
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("note", "flag", "session"):
            return self._text(row, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("score", "change"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == IdRole:
            return row.point.check_in_id
        return None

    def _text(self, row: Row, column: str) -> str:
        point, measure = row.point, row.measure
        if column == "date":
            return f"{date_text(point.taken_at)}, {point.taken_at:%H:%M}"
        if column == "measure":
            return measure.name
        if column == "score":
            return (
                translate("CheckInTable", "%1 of %2")
                .replace("%1", point.display_total)
                .replace("%2", measure.format_total(measure.max_total))
            )
        if column == "level":
            return tr_measure(point.band_label) if point.band_label else ""
        if column == "change":
            return self._change_text(row)
        if column == "session":
            return self._session_text(row.session)
        if column == "flag":
            return flag_text(measure) if point.safety_flag else ""
        return row.note

    @staticmethod
    def _change_text(row: Row) -> str:
        change = row.point.change
        if change is None or row.point.check_in_id is None:
            return ""
        if row.first:
            return translate("CheckInTable", "first")
        if change.absolute == 0:
            return translate("CheckInTable", "same")
        amount = row.measure.format_total(abs(change.absolute))
        if change.absolute < 0:
            return translate("CheckInTable", "%1 lower").replace("%1", amount)
        return translate("CheckInTable", "%1 higher").replace("%1", amount)

    @staticmethod
    def _session_text(session: TreatmentSession | None) -> str:
        if session is None:
            return ""
        when = session.starts_at.strftime("%d %b").lstrip("0")
        if session.number is not None:
            return (
                translate("CheckInTable", "Session %1 (%2)")
                .replace("%1", str(session.number))
                .replace("%2", when)
            )
        return when

    def _sort_keys(self, column: int) -> list[Any]:
        keys = self._keys.get(column)
        if keys is None:
            keys = self._keys[column] = [self._sort_key(r, COLUMNS[column]) for r in self._rows]
        return keys

    def _sort_key(self, row: Row, column: str) -> Any:
        if column == "date":
            return row.point.taken_at.timestamp()
        if column == "score":
            return float(row.point.total)
        if column == "change":
            return float(row.point.change.absolute) if row.point.change else 0.0
        if column == "session":
            return row.session.starts_at.timestamp() if row.session else 0.0
        return self._text(row, column)
