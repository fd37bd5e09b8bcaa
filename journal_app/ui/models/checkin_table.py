"""Every check-in as a table row: exact values, dates, levels, session and safety flags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
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
        check_ins: Iterable[CheckIn],
        series: Mapping[str, MeasureSeries],
        sessions: Sequence[TreatmentSession],
    ) -> None:
        self.set_rows({c.id: c.note for c in check_ins if c.note and c.id is not None},
                      series, sessions)

    def set_rows(
        self,
        notes: Mapping[int, str],
        series: Mapping[str, MeasureSeries],
        sessions: Sequence[TreatmentSession],
    ) -> None:
        """A row for each point of ``series``; ``notes``: the check-ins' notes by id
        (those without a note may be left out)."""
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

    def measure_name(self, row: int) -> str:
        return self._rows[row].measure.name

    def sort_keys(self, column: int) -> list[Any]:
        """Each row's key for sorting by ``column`` (made once a refresh)."""
        return self._sort_keys(column)

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


_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole,
                    SortRole, IdRole})  # what the model answers (a view asks for many more)


class CheckInTableProxy(QAbstractProxyModel):
    """The table's rows as the view shows them: sorted by a column and, if chosen, of one
    measure only. Sorting uses the model's sort keys in one Python sort (a
    QSortFilterProxyModel asked the model for two keys per comparison: seconds for a long
    journal). Equal keys keep the model's order (oldest first), either way round, as a
    stable sort does."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._order: list[int] = []  # model rows, in the view's order
        self._position: dict[int, int] = {}  # model row → view row
        self._column = -1
        self._descending = False
        self._measure = ""

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, CheckInTableModel)
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        self._arrange()
        self.endResetModel()

    def _source(self) -> CheckInTableModel:
        model = self.sourceModel()
        assert isinstance(model, CheckInTableModel)
        return model

    def _source_reset(self) -> None:
        self._arrange()
        self.endResetModel()

    def _arrange(self, *, resort: bool = False) -> None:
        """Filter the model's rows and sort them; ``resort``: sort the rows in their
        present order instead (equal keys keep it, as Qt's sorting proxy does)."""
        model = self._source() if self.sourceModel() is not None else None
        if model is None:
            self._order, self._position = [], {}
            return
        if resort:
            order = list(self._order)
        else:
            order = [r for r in range(model.rowCount())
                     if not self._measure or model.measure_name(r) == self._measure]
        if self._column >= 0:
            keys = model.sort_keys(self._column)
            order.sort(key=keys.__getitem__, reverse=self._descending)
        self._order = order
        self._position = {row: i for i, row in enumerate(order)}

    def _rearrange(self, *, resort: bool = False) -> None:
        """Order or filter changed: the view keeps its selection on the same check-ins."""
        self.layoutAboutToBeChanged.emit()
        kept = [(i, self.mapToSource(i)) for i in self.persistentIndexList()]
        self._arrange(resort=resort)
        self.changePersistentIndexList([i for i, _ in kept],
                                       [self.mapFromSource(s) for _, s in kept])
        self.layoutChanged.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._column = column if 0 <= column < len(COLUMNS) else -1
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._rearrange(resort=True)

    def show_measure(self, name: str) -> None:
        """Only rows of the measure called ``name`` ("" for every row)."""
        self._measure = name
        self._rearrange()

    # ------------------------------------------------------------------ Qt proxy
    def mapToSource(self, index: _Index) -> QModelIndex:
        if not index.isValid() or not 0 <= index.row() < len(self._order):
            return QModelIndex()
        return self._source().index(self._order[index.row()], index.column())

    def mapFromSource(self, index: _Index) -> QModelIndex:
        row = self._position.get(index.row()) if index.isValid() else None
        return QModelIndex() if row is None else self.index(row, index.column())

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._order) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._order):
            return None
        model = self._source()
        return model.data(model.index(self._order[index.row()], index.column()), role)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)
