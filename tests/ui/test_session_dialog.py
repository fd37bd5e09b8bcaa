"""Recording and editing a treatment session in the GUI, with calm validation."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QWidget

from journal_app.domain.entities import Modality, Setting
from journal_app.ui.dialogs.session_dialog import SessionDialog, edit_session
from tests.ui.prep_helpers import add_session, create_journal


@pytest.fixture
def host(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def journal(tmp_path):
    opened = create_journal(tmp_path / "journal.ijournal")
    yield opened
    opened.close()


def run_dialog(monkeypatch, qtbot, fill, button: str = "save_button") -> None:
    """``edit_session`` shows a modal dialog: fill it in and press a button instead."""
    def fake_exec(dialog: SessionDialog) -> int:
        fill(dialog)
        qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
        return dialog.result()
    monkeypatch.setattr(SessionDialog, "exec", fake_exec)


def choose(dialog: SessionDialog, modality: Modality) -> None:
    dialog.modality.setCurrentIndex(dialog.modality.findData(modality.value))


def test_recording_a_session(qtbot, host, journal, monkeypatch):
    add_session(journal, 1, days_ahead=-7)

    def fill(dialog: SessionDialog) -> None:
        assert dialog.windowTitle() == "Record a session"
        assert dialog.number.value() == 2, "the next number in the course is offered"
        dialog.when.setDateTime(QDateTime(QDate(2025, 3, 4), QTime(10, 30)))
        choose(dialog, Modality.SUBLINGUAL)
        assert dialog.setting.currentData() == Setting.HOME.value, "sublingual is at home"
        qtbot.keyClicks(dialog.provider, "Dr. Rivera")
        qtbot.keyClicks(dialog.notes, "Bring the blue blanket")

    run_dialog(monkeypatch, qtbot, fill)
    session_id = edit_session(host, journal)
    stored = journal.repo.get_session(session_id)
    assert stored.starts_at == dt.datetime(2025, 3, 4, 10, 30).astimezone()
    assert stored.starts_at.tzinfo is not None
    assert (stored.modality, stored.setting, stored.number) == \
        (Modality.SUBLINGUAL, Setting.HOME, 2)
    assert (stored.provider, stored.notes) == ("Dr. Rivera", "Bring the blue blanket")
    assert journal.vault.dirty


def test_a_setting_chosen_by_hand_is_not_overridden(qtbot, journal):
    dialog = SessionDialog(journal)
    qtbot.addWidget(dialog)
    dialog.setting.setCurrentIndex(dialog.setting.findData(Setting.HOME.value))
    dialog.setting.activated.emit(dialog.setting.currentIndex())  # what a user's pick sends
    choose(dialog, Modality.IV_INFUSION)
    assert dialog.setting.currentData() == Setting.HOME.value


def test_editing_keeps_the_session_and_shows_its_values(qtbot, host, journal, monkeypatch):
    original = add_session(journal, 5, provider="Clinic North")

    def fill(dialog: SessionDialog) -> None:
        assert dialog.windowTitle() == "Edit session"
        assert dialog.number.value() == 5
        assert dialog.provider.text() == "Clinic North"
        shown = dialog.when.dateTime().toPython()
        assert shown == original.starts_at.astimezone().replace(tzinfo=None)
        dialog.provider.clear()
        qtbot.keyClicks(dialog.provider, "Clinic South")

    run_dialog(monkeypatch, qtbot, fill)
    assert edit_session(host, journal, original.id) == original.id
    sessions = journal.repo.list_sessions()
    assert len(sessions) == 1
    assert sessions[0].provider == "Clinic South"
    assert sessions[0].starts_at == original.starts_at
    assert sessions[0].created_at == original.created_at


def test_cancel_stores_nothing(qtbot, host, journal, monkeypatch):
    run_dialog(monkeypatch, qtbot, lambda d: qtbot.keyClicks(d.provider, "x"), "cancel_button")
    assert edit_session(host, journal) is None
    assert journal.repo.list_sessions() == []


def test_a_number_already_used_is_explained_and_nothing_is_stored(qtbot, journal):
    add_session(journal, 1, days_ahead=-7)
    dialog = SessionDialog(journal)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.number.setValue(1)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible()
    assert "Session 1 is already in your journal" in dialog.message.text()
    assert dialog.result() == 0 and dialog.isVisible()
    assert len(journal.repo.list_sessions()) == 1
    dialog.number.setValue(2)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    assert [s.number for s in journal.repo.list_sessions()] == [1, 2]


def test_a_date_years_away_and_overlong_notes_are_questioned(qtbot, journal):
    dialog = SessionDialog(journal)
    qtbot.addWidget(dialog)
    dialog.show()
    far = QDate.currentDate().addYears(3)
    dialog.when.setDateTime(QDateTime(far, QTime(9, 0)))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "more than two years away" in dialog.message.text()
    assert dialog.focusWidget() is dialog.when or not dialog.isActiveWindow()
    dialog.when.setDateTime(QDateTime(QDate.currentDate(), QTime(9, 0)))
    dialog.notes.setPlainText("a" * 5001)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "longer than 5000 characters" in dialog.message.text()
    assert journal.repo.list_sessions() == []


def test_every_field_has_an_accessible_name(qtbot, journal):
    dialog = SessionDialog(journal)
    qtbot.addWidget(dialog)
    for field in (dialog.when, dialog.modality, dialog.setting, dialog.number,
                  dialog.provider, dialog.notes, dialog.save_button, dialog.cancel_button):
        assert field.accessibleName().strip() or field.text().strip()
    assert dialog.when.calendarPopup()
