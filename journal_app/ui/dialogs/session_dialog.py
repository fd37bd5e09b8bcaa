"""Recording a treatment session, upcoming or past: when, how, where, which in the course,
with whom, and a note. Problems are explained beside the form; nothing is lost on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain import bounds
from journal_app.domain.entities import Modality, Setting, TreatmentSession, aware, local, now
from journal_app.domain.session_prep import next_session_number, number_taken
from journal_app.ui.labels import modality_label

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

MAX_PROVIDER = 200
MAX_NOTES = 5000
MAX_YEARS_AHEAD = 2
MAX_NUMBER = 999
#: Where a modality usually happens; chosen for the person until they choose themselves.
USUAL_SETTING = {
    Modality.IV_INFUSION: Setting.CLINIC,
    Modality.IM_INJECTION: Setting.CLINIC,
    Modality.NASAL_ESKETAMINE: Setting.CLINIC,
    Modality.SUBLINGUAL: Setting.HOME,
}


def setting_label(setting: Setting) -> str:
    return {
        Setting.CLINIC: translate("SessionDialog", "At the clinic or office"),
        Setting.HOME: translate("SessionDialog", "At home"),
    }[setting]


class SessionDialog(QDialog):
    def __init__(
        self, journal: OpenJournal, session_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.existing = journal.repo.get_session(session_id) if session_id is not None else None
        if session_id is not None and self.existing is None:
            raise KeyError(session_id)
        self.session_id: int | None = session_id
        self._setting_chosen = self.existing is not None
        self.setWindowTitle(
            self.tr("Edit session") if self.existing else self.tr("Record a session")
        )
        self.setMinimumWidth(560)
        self._build()
        self._fill(self.existing)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.intro = QLabel(
            self.tr("A session coming up, or one that already happened. Only you can see this."),
            self,
        )
        self.intro.setWordWrap(True)
        self.intro.setObjectName("quietLabel")
        self.when = QDateTimeEdit(self)
        self.when.setCalendarPopup(True)
        locale = QLocale()
        self.when.setDisplayFormat(
            f"{locale.dateFormat(QLocale.FormatType.LongFormat)}  "
            f"{locale.timeFormat(QLocale.FormatType.ShortFormat)}"
        )
        self.when.setMinimumDate(QDate(2000, 1, 1))
        latest = bounds.LATEST  # the journal's limit for any date (domain/bounds.py)
        self.when.setMaximumDate(QDate(latest.year, latest.month, latest.day))
        self.when.setAccessibleName(self.tr("Date and time"))
        self.modality = QComboBox(self)
        for modality in Modality:
            self.modality.addItem(modality_label(modality), modality.value)
        self.modality.setAccessibleName(self.tr("Kind of session"))
        self.setting = QComboBox(self)
        for setting in Setting:
            self.setting.addItem(setting_label(setting), setting.value)
        self.setting.setAccessibleName(self.tr("Where"))
        self.number = QSpinBox(self)
        self.number.setRange(1, MAX_NUMBER)
        self.number.setAccessibleName(self.tr("Number in the course"))
        self.provider = QLineEdit(self)
        self.provider.setMaxLength(MAX_PROVIDER)
        self.provider.setPlaceholderText(self.tr("Clinic, clinician or guide (optional)"))
        self.provider.setAccessibleName(self.tr("Provider"))
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("Anything you want to remember (optional)"))
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setFixedHeight(110)
        self.message = QLabel(self)
        self.message.setObjectName("calmMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Problem"))
        self.message.hide()

        form = QFormLayout()
        form.setSpacing(12)
        form.addRow(self.tr("&When"), self.when)
        form.addRow(self.tr("&Kind of session"), self.modality)
        form.addRow(self.tr("W&here"), self.setting)
        form.addRow(self.tr("&Number in the course"), self.number)
        form.addRow(self.tr("&Provider"), self.provider)
        form.addRow(self.tr("N&otes"), self.notes)

        self.buttons = QDialogButtonBox(self)
        # Named before it joins the box: the box polishes its buttons (styles them) at once.
        self.save_button = QPushButton(self.tr("Save session"), self)
        self.save_button.setObjectName("primary")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(14)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.modality.currentIndexChanged.connect(self._modality_changed)
        self.setting.activated.connect(self._setting_touched)

    def _fill(self, session: TreatmentSession | None) -> None:
        if session is None:
            tomorrow = QDateTime(QDate.currentDate().addDays(1), QTime(10, 0))
            self.when.setDateTime(tomorrow)
            self.number.setValue(next_session_number(self.journal.repo.list_sessions()))
            self._modality_changed()
            return
        self.when.setDateTime(QDateTime(local(session.starts_at).replace(tzinfo=None)))
        self.modality.setCurrentIndex(self.modality.findData(session.modality.value))
        self.setting.setCurrentIndex(self.setting.findData(session.setting.value))
        self.number.setValue(
            session.number
            or next_session_number(
                [s for s in self.journal.repo.list_sessions() if s.id != session.id]
            )
        )
        self.provider.setText(session.provider)
        self.notes.setPlainText(session.notes)

    def _modality_changed(self) -> None:
        usual = USUAL_SETTING.get(Modality(self.modality.currentData()))
        if usual is not None and not self._setting_chosen:
            self.setting.setCurrentIndex(self.setting.findData(usual.value))

    def _setting_touched(self) -> None:
        self._setting_chosen = True

    # ------------------------------------------------------------------ saving
    def starts_at(self) -> dt.datetime:
        """The chosen time as local time with its offset."""
        return aware(self.when.dateTime().toPython())

    def problem(self) -> tuple[str, QWidget] | None:
        """What stops saving, and the field to fix; None when the form is fine."""
        sessions = self.journal.repo.list_sessions()
        taken = number_taken(sessions, self.number.value(), self.session_id)
        if taken is not None:
            day = QLocale().toString(
                local(taken.starts_at).date(), QLocale.FormatType.LongFormat
            )
            return self.tr(
                "Session %1 is already in your journal, on %2. Please choose another number."
            ).replace("%1", str(taken.number)).replace("%2", day), self.number
        if self.starts_at() > now() + dt.timedelta(days=365 * MAX_YEARS_AHEAD):
            return self.tr(
                "That date is more than two years away. Please check the year."
            ), self.when
        if len(self.notes.toPlainText()) > MAX_NOTES:
            return self.tr(
                "The notes are longer than %1 characters. Please shorten them, or "
                "write the rest as a journal entry."
            ).replace("%1", str(MAX_NOTES)), self.notes
        return None

    def session(self) -> TreatmentSession:
        fields = dict(
            starts_at=self.starts_at(),
            modality=Modality(self.modality.currentData()),
            setting=Setting(self.setting.currentData()),
            number=self.number.value(),
            provider=self.provider.text().strip(),
            notes=self.notes.toPlainText().strip(),
        )
        if self.existing is None:
            return TreatmentSession(**fields)
        return replace(self.existing, updated_at=now(), **fields)

    def save(self) -> None:
        found = self.problem()
        if found is not None:
            text, field = found
            self.message.setText(text)
            self.message.show()
            field.setFocus()
            return
        self.message.hide()
        repo = self.journal.repo
        session = self.session()
        stored = repo.update_session(session) if self.existing else repo.add_session(session)
        self.session_id = stored.id
        self.journal.save_soon()
        self.accept()


def edit_session(
    parent: QWidget, journal: OpenJournal, session_id: int | None = None
) -> int | None:
    """Record a new session, or edit ``session_id`` (modal). Its id, or None if cancelled."""
    dialog = SessionDialog(journal, session_id, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.session_id if accepted else None
    finally:
        dialog.deleteLater()
