"""What goes into a report, as widgets: the period, sessions, kinds of entries and
questionnaires (:class:`ReportFilters`). The list of matching entries, with a tick box
each and their attachments under them, is ``export_entry_list.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import EntryKind, TreatmentSession
from journal_app.domain.report import ReportInputs, ReportRequest
from journal_app.domain.themes import ThemePart
from journal_app.export.service import ReportFormat
from journal_app.ui.labels import modality_label

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def kind_label(kind: EntryKind) -> str:
    return {
        EntryKind.PREPARATION: translate("ExportDialog", "Preparation"),
        EntryKind.INTEGRATION: translate("ExportDialog", "Integration"),
        EntryKind.FREE: translate("ExportDialog", "Free writing"),
        EntryKind.CHECK_IN: translate("ExportDialog", "Check-in notes"),
        EntryKind.QUICK_CAPTURE: translate("ExportDialog", "Quick notes"),
    }.get(kind, str(kind))


def format_names() -> list[tuple[ReportFormat, str]]:
    return [
        (ReportFormat.PDF, translate("ExportDialog", "PDF (for printing or sending)")),
        (ReportFormat.HTML, translate("ExportDialog", "Web page (HTML)")),
        (ReportFormat.MARKDOWN, translate("ExportDialog", "Plain text (Markdown)")),
        (ReportFormat.JSON, translate("ExportDialog", "Data (JSON, can be imported)")),
    ]


def theme_part_names() -> list[tuple[ThemePart, str]]:
    return [
        (ThemePart.PHRASES, translate("ExportDialog", "Words and phrases that keep coming up")),
        (ThemePart.EMOTIONS, translate("ExportDialog", "Emotions on session evenings")),
        (ThemePart.INTENTIONS, translate("ExportDialog", "Intentions and what followed")),
        (ThemePart.SCORES, translate("ExportDialog", "Mood and scores, session by session")),
    ]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def day_text(day: dt.date) -> str:
    """A date in the person's own locale, with the month's name (never 3/4 vs 4/3)."""
    return QLocale().toString(_qdate(day), "d MMM yyyy")


def session_text(session: TreatmentSession) -> str:
    when = day_text(session.starts_at.date())
    name = (
        translate("ExportDialog", "Session %1").replace("%1", str(session.number))
        if session.number is not None
        else translate("ExportDialog", "Session")
    )
    return f"{name} · {when} · {modality_label(session.modality)}"


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class ReportFilters(QWidget):
    """Period, sessions, kinds and questionnaires; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, inputs: ReportInputs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs = inputs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._period_box())
        layout.addWidget(self._sessions_box())
        layout.addWidget(self._kinds_box())
        layout.addWidget(self._measures_box())
        layout.addWidget(self._themes_box())
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. how your clinic knows you"))
        self.name.setMaxLength(120)
        self.name.textChanged.connect(self.changed)
        form = QFormLayout()
        form.addRow(self.tr("Your name on the report:"), self.name)
        layout.addLayout(form)

    def _days(self) -> list[dt.date]:
        days = [e.created_at.date() for e in self.inputs.entries]
        days += [s.starts_at.date() for s in self.inputs.sessions]
        days += [c.taken_at.date() for c in self.inputs.check_ins]
        return days or [dt.date.today()]

    def _period_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Period"), self)
        days = self._days()
        self.start = QDateEdit(_qdate(min(days)), box)
        self.end = QDateEdit(_qdate(max(days)), box)
        row = QHBoxLayout(box)
        for label, edit in ((self.tr("From"), self.start), (self.tr("to"), self.end)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.dateChanged.connect(self.changed)
            edit.setAccessibleName(label)
            row.addWidget(edit)
        return box

    def _check_list(self, title: str, items: Iterable[tuple[str, object]]) -> QListWidget:
        widget = QListWidget(self)
        widget.setAccessibleName(title)
        for text, value in items:
            item = QListWidgetItem(text, widget)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, value)
        widget.itemChanged.connect(lambda _item: self.changed.emit())
        rows = min(max(widget.count(), 2), 5)
        widget.setFixedHeight(rows * widget.sizeHintForRow(0) + 2 * widget.frameWidth() + 4)
        return widget

    def _sessions_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sessions"), self)
        sessions = sorted(self.inputs.sessions, key=lambda s: s.starts_at)
        self.sessions = self._check_list(
            self.tr("Sessions"), [(session_text(s), s.id) for s in sessions]
        )
        self.unlinked = QCheckBox(self.tr("Entries not tied to a session"), box)
        self.unlinked.setChecked(True)
        self.unlinked.toggled.connect(self.changed)
        layout = QVBoxLayout(box)
        layout.addWidget(self.sessions)
        layout.addWidget(self.unlinked)
        return box

    def _kinds_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Kinds of entries"), self)
        self.kinds: dict[EntryKind, QCheckBox] = {}
        layout = QGridLayout(box)
        for index, kind in enumerate(EntryKind):
            check = QCheckBox(kind_label(kind), box)
            check.setChecked(True)
            check.toggled.connect(self.changed)
            self.kinds[kind] = check
            layout.addWidget(check, index // 2, index % 2)
        return box

    def _measures_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Questionnaires"), self)
        used = {c.measure_id for c in self.inputs.check_ins}
        self.measures: dict[str, QCheckBox] = {}
        layout = QGridLayout(box)
        for measure_id, measure in self.inputs.measures.items():
            if measure_id not in used:
                continue
            check = QCheckBox(measure.name, box)
            check.setToolTip(measure.title)
            check.setChecked(True)
            check.toggled.connect(self.changed)
            layout.addWidget(check, len(self.measures) // 2, len(self.measures) % 2)
            self.measures[measure_id] = check
        if not self.measures:
            box.hide()
        return box

    def _themes_box(self) -> QGroupBox:
        """ "Themes across sessions": off unless the person ticks it; then each part can
        be left out on its own."""
        box = QGroupBox(self.tr("Themes across sessions"), self)
        self.themes = QCheckBox(self.tr("Add a page of what keeps coming up"), box)
        self.themes.setToolTip(
            self.tr("Found in the entries of this report only; private ones stay out "
                    "unless you include them.")
        )
        self.themes.toggled.connect(self._themes_toggled)
        layout = QVBoxLayout(box)
        layout.addWidget(self.themes)
        parts = QVBoxLayout()
        parts.setContentsMargins(24, 0, 0, 0)  # under the box that turns them on
        layout.addLayout(parts)
        self.theme_parts: dict[ThemePart, QCheckBox] = {}
        for part, text in theme_part_names():
            check = QCheckBox(text, box)
            check.setChecked(True)
            check.setEnabled(False)
            check.toggled.connect(self.changed)
            parts.addWidget(check)
            self.theme_parts[part] = check
        return box

    def _themes_toggled(self, on: bool) -> None:
        for check in self.theme_parts.values():
            check.setEnabled(on)
        self.changed.emit()

    def chosen_theme_parts(self) -> frozenset[ThemePart]:
        if not self.themes.isChecked():
            return frozenset()
        return frozenset(p for p, c in self.theme_parts.items() if c.isChecked())

    def _checked_sessions(self) -> frozenset[int]:
        found = set()
        for row in range(self.sessions.count()):
            item = self.sessions.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.add(item.data(Qt.ItemDataRole.UserRole))
        return frozenset(found)

    def request(
        self,
        *,
        excluded: Iterable[int] = (),
        include_private: bool = False,
        excluded_attachments: Iterable[int] = (),
        include_voice_notes: bool = False,
    ) -> ReportRequest:
        start, end = _pydate(self.start.date()), _pydate(self.end.date())
        if end < start:
            start, end = end, start
        return ReportRequest(
            start=start,
            end=end,
            session_ids=self._checked_sessions(),
            kinds=frozenset(k for k, c in self.kinds.items() if c.isChecked()),
            measure_ids=tuple(m for m, c in self.measures.items() if c.isChecked()),
            include_private=include_private,
            excluded_entry_ids=frozenset(excluded),
            include_unlinked=self.unlinked.isChecked(),
            patient_name=self.name.text(),
            theme_parts=self.chosen_theme_parts(),
            excluded_attachment_ids=frozenset(excluded_attachments),
            include_voice_notes=include_voice_notes,
        )
