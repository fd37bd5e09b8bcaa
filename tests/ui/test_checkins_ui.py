"""The check-in flow and the check-ins page, driven like a user would: keys, clicks, results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

from journal_app.domain.care_settings import CareContacts, save_care_contacts
from journal_app.domain.checkin_session import default_session
from journal_app.domain.entities import TreatmentSession, now
from journal_app.domain.measures import load_measures
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.vault import Vault
from journal_app.ui.dialogs.checkin_dialog import CheckInDialog
from journal_app.ui.dialogs.safety_panel import SafetyPanel
from journal_app.ui.pages.checkin_page import CheckInPage
from journal_app.ui.shell.open_journal import OpenJournal
from journal_app.ui.widgets.checkin_items import ItemRow
from tests.conftest import FAST_KDF

PASSPHRASE = "quiet harbour morning tide"


def open_new_journal(path: Path) -> OpenJournal:
    vault, _key = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    return OpenJournal(vault)


def finish_saving(qtbot, journal: OpenJournal) -> None:
    """Let a pending or running autosave end, so the test can close the vault safely."""
    journal.save_now()
    qtbot.waitUntil(lambda: not journal.saving, timeout=10_000)


@pytest.fixture
def journal(tmp_path, qtbot):
    opened = open_new_journal(tmp_path / "journal.ijournal")
    yield opened
    finish_saving(qtbot, opened)
    opened.close()


@pytest.fixture
def measures():
    return load_measures()


def check_ins(journal: OpenJournal, measure_id: str | None = None):
    return CheckInRepository(journal.vault.db).list(measure_id)


def show_dialog(qtbot, journal, measures, measure_id=None, parent=None) -> CheckInDialog:
    dialog = CheckInDialog(journal, measures, measure_id, parent)
    if parent is None:
        qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    return dialog


def type_digit(qtbot, digit: int) -> None:
    """Press a number key wherever the keyboard focus is, as a user would."""
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key(Qt.Key.Key_0 + digit))


# --------------------------------------------------------------------------- the dialog


def test_phq9_answered_by_keyboard_is_stored_with_its_total_and_band(qtbot, journal, measures,
                                                                     no_modals):
    dialog = show_dialog(qtbot, journal, measures, "phq9")
    answers = [1, 2, 3, 0, 1, 2, 1, 0, 0]  # total 10: moderate
    assert QApplication.focusWidget() is dialog.rows[0]
    for number, digit in enumerate(answers, start=1):
        assert QApplication.focusWidget() is dialog.rows[number - 1], f"focus before item {number}"
        assert not dialog.finish_button.isEnabled()
        type_digit(qtbot, digit)
    assert dialog.answers() == answers
    assert QApplication.focusWidget() is dialog.finish_button, "the last answer moves to Finish"
    assert dialog.finish_button.isEnabled()

    qtbot.keyClick(dialog.finish_button, Qt.Key.Key_Space)
    stored = check_ins(journal, "phq9")
    assert [c.answers for c in stored] == [tuple(answers)]
    assert dialog.score.total == 10 and dialog.score.band_label == "moderate"
    assert "Your score is 10 out of 27 (moderate)." in dialog.result_text.text()
    assert "first PHQ-9 check-in" in dialog.result_text.text()
    assert not dialog.flag_text.isVisible()
    assert dialog.safety_panel is None
    assert no_modals == []


def test_finish_stays_disabled_and_names_the_missing_items(qtbot, journal, measures, no_modals):
    dialog = show_dialog(qtbot, journal, measures, "gad7")
    for row in dialog.rows:
        if row.item.number not in (3, 6):
            row.setFocus()
            type_digit(qtbot, 1)
    assert not dialog.finish_button.isEnabled()
    assert dialog.missing_items() == [3, 6]
    assert "item 3, item 6" in dialog.missing.text()
    dialog.finish()  # even called directly, incomplete answers are never scored or stored
    assert check_ins(journal) == [] and dialog.stored is None

    dialog.rows[2].setFocus()
    type_digit(qtbot, 2)
    assert QApplication.focusWidget() is dialog.rows[5], "moves on to the one still open"
    type_digit(qtbot, 0)
    assert dialog.finish_button.isEnabled()
    dialog.finish()
    assert [c.answers for c in check_ins(journal, "gad7")] == [(1, 1, 2, 1, 1, 0, 1)]


def test_keys_outside_the_scale_are_ignored_and_arrows_change_the_answer(qtbot, journal,
                                                                        measures, no_modals):
    dialog = show_dialog(qtbot, journal, measures, "phq9")
    first = dialog.rows[0]
    type_digit(qtbot, 7)
    assert first.value is None and QApplication.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Right)
    assert first.value == 0
    qtbot.keyClick(first, Qt.Key.Key_Right)
    assert first.value == 1
    qtbot.keyClick(first, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is dialog.rows[1]
    qtbot.keyClick(dialog.rows[1], Qt.Key.Key_Up)
    assert QApplication.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Backspace)
    assert first.value is None


def test_ten_point_scale_takes_one_then_zero_as_ten(qtbot, journal, measures, no_modals):
    dialog = show_dialog(qtbot, journal, measures, "peg")
    type_digit(qtbot, 1)
    assert dialog.rows[0].value == 1
    assert QApplication.focusWidget() is dialog.rows[0], "a 1 may become 10: stay"
    type_digit(qtbot, 0)
    assert dialog.rows[0].value == 10
    assert QApplication.focusWidget() is dialog.rows[1]
    type_digit(qtbot, 1)
    qtbot.keyClick(dialog.rows[1], Qt.Key.Key_Return)
    assert dialog.rows[1].value == 1
    type_digit(qtbot, 4)
    assert dialog.answers() == [10, 1, 4]
    dialog.finish()
    assert "5.0 out of 10" in dialog.result_text.text()


def test_choosing_a_measure_then_clicking_answers(qtbot, journal, measures, no_modals):
    dialog = show_dialog(qtbot, journal, measures)
    assert dialog.stack.currentIndex() == 0
    qtbot.mouseClick(dialog.measure_buttons["mood"], Qt.MouseButton.LeftButton)
    assert dialog.measure.id == "mood" and len(dialog.rows) == 1
    qtbot.mouseClick(dialog.rows[0].buttons[7], Qt.MouseButton.LeftButton)
    assert dialog.finish_button.isEnabled()
    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert [c.answers for c in check_ins(journal, "mood")] == [(7,)]
    assert dialog.result_text.text() == "You rated your mood 7 out of 10."


def test_item_nine_above_zero_opens_the_safety_panel_at_once(qtbot, journal, measures,
                                                             no_modals):
    save_care_contacts(journal.repo, CareContacts("Riverside Clinic", "(555) 010-2000",
                                                  "Dr. Lee", "555 010 3000"))
    dialog = show_dialog(qtbot, journal, measures, "phq9")
    for digit in [0, 0, 0, 0, 0, 0, 0, 0, 1]:
        type_digit(qtbot, digit)
    with qtbot.waitSignal(dialog.safety_panel_requested, timeout=1_000):
        qtbot.keyClick(dialog.finish_button, Qt.Key.Key_Space)
    panel = dialog.safety_panel
    assert isinstance(panel, SafetyPanel)
    assert panel.isVisible() and not panel.isModal()
    labels = " | ".join(b.text() for b in panel.contact_buttons)
    links = {b.property("uri") for b in panel.contact_buttons}
    for visible in ("988", "741741", "911", "(555) 010-2000", "555 010 3000"):
        assert visible in labels
    assert {"tel:988", "sms:741741", "tel:911", "tel:5550102000", "tel:5550103000"} <= links
    assert dialog.score.safety_flag and dialog.flag_text.isVisible()
    assert [c.answers[8] for c in check_ins(journal, "phq9")] == [1], "still stored"

    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    assert panel.isVisible(), "a stray Escape never closes the panel"
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()


def test_result_compares_with_the_first_check_in_without_judging(qtbot, journal, measures,
                                                                 no_modals):
    repo = CheckInRepository(journal.vault.db)
    first_day = now() - dt.timedelta(days=60)
    repo.add(measures["phq9"].new_check_in([2, 2, 2, 2, 2, 2, 2, 2, 0], taken_at=first_day))
    dialog = show_dialog(qtbot, journal, measures, "phq9")
    for digit in [1, 1, 1, 1, 0, 0, 0, 0, 0]:
        type_digit(qtbot, digit)
    dialog.finish()
    text = dialog.result_text.text()
    assert text.startswith("Your score is 4 out of 27 (none/minimal). At your first check-in,")
    assert "it was 16." in text
    assert "“response”" in text and "“remission”" in text
    for harsh in ("better", "worse", "cured", "improv", "should"):
        assert harsh not in text.lower()


def test_session_defaults_to_the_latest_recent_one(journal, qtbot, measures, no_modals):
    when = now()
    old = journal.repo.add_session(TreatmentSession(when - dt.timedelta(days=30), number=1))
    recent = journal.repo.add_session(TreatmentSession(when - dt.timedelta(days=3), number=2))
    assert default_session([old, recent], when) == recent
    assert default_session([old], when) is None
    dialog = show_dialog(qtbot, journal, measures, "mood")
    assert dialog.session_box.currentData() == recent.id
    type_digit(qtbot, 5)
    qtbot.keyClicks(dialog.note, "after the walk")
    dialog.finish()
    stored = check_ins(journal, "mood")[0]
    assert stored.session_id == recent.id and stored.note == "after the walk"


def test_every_interactive_control_has_an_accessible_name(qtbot, journal, measures, no_modals):
    dialog = show_dialog(qtbot, journal, measures)
    dialog.choose("phq9")
    controls = [w for w in dialog.findChildren(QWidget)
                if isinstance(w, QAbstractButton | QComboBox | QLineEdit | ItemRow)]
    assert len(controls) > 9 * 4
    unnamed = [type(w).__name__ + ":" + getattr(w, "text", lambda: "")()
               for w in controls if not w.accessibleName().strip()]
    assert unnamed == []
    third = dialog.rows[2]
    assert third.accessibleName().startswith("Item 3 of 9: Trouble falling")
    assert third.accessibleName().endswith("Not answered yet.")
    third.set_value(1)
    assert third.accessibleName().endswith("Answer: 1, Several days.")
    assert third.buttons[2].accessibleName() == "Item 3 of 9: 2, More than half the days"


# --------------------------------------------------------------------------- the page


def seed(journal: OpenJournal, measures) -> list[TreatmentSession]:
    repo = CheckInRepository(journal.vault.db)
    start = now() - dt.timedelta(weeks=4)
    sessions = [journal.repo.add_session(TreatmentSession(start + dt.timedelta(days=d), number=n))
                for n, d in ((1, 3), (2, 10))]
    for week, total in enumerate((14, 11, 8)):
        answers = [min(3, max(0, total - 3 * i)) for i in range(9)]
        answers[8] = 1 if week == 1 else 0
        repo.add(measures["phq9"].new_check_in(answers, taken_at=start + dt.timedelta(weeks=week),
                                               session_id=sessions[0].id if week == 1 else None))
    for day in range(5):
        repo.add(measures["mood"].new_check_in([4 + day], taken_at=start + dt.timedelta(days=day)))
    return sessions


@pytest.fixture
def page(qtbot, journal, measures):
    seed(journal, measures)
    shown = CheckInPage()
    qtbot.addWidget(shown)
    shown.resize(1100, 760)
    shown.show()
    shown.attach(journal)
    yield shown
    shown.detach()


def show_table(page: CheckInPage) -> None:
    """Open the "All results" tab, as a user would to read the table."""
    page.tabs.setCurrentIndex(page.tabs.count() - 1)


def test_page_lists_results_and_its_table_model_is_sound(qtbot, page, journal, qtmodeltester):
    show_table(page)
    model = page.model
    assert model.rowCount() == 3 + 5
    rows = model.rows
    phq = [r for r in rows if r.measure.id == "phq9"]
    assert [r.point.total for r in phq] == [14, 12, 8]
    flagged = [r for r in phq if r.point.safety_flag]
    assert len(flagged) == 1
    flag_row = rows.index(flagged[0])
    assert model.index(flag_row, 6).data() == "Item 9 answered above 0"
    assert model.index(flag_row, 5).data().startswith("Session 1")
    assert page.latest_labels["phq9"].text().startswith("Latest: ")
    assert page.latest_labels["peg"].text() == "No check-ins yet."
    assert page.chart_stacks["phq9"].currentIndex() == 1, "a chart, not the empty message"
    assert page.chart_stacks["gad7"].currentIndex() == 0
    qtmodeltester.check(model)
    qtmodeltester.check(page.proxy)

    page.filter_box.setCurrentIndex(page.filter_box.findData("PHQ-9"))
    assert page.proxy.rowCount() == 3


def test_check_in_from_the_page_refreshes_it_and_locks_cleanly(qtbot, page, journal,
                                                               no_modals):
    dialog = page.new_check_in("phq9")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    for digit in [0, 0, 0, 0, 0, 0, 0, 0, 2]:
        type_digit(qtbot, digit)
    with qtbot.waitSignal(page.safety_panel_requested, timeout=1_000):
        dialog.finish()
    show_table(page)
    assert page.model.rowCount() == 9
    panel = page.window().findChild(SafetyPanel)
    assert panel is not None and panel.isVisible()

    page.detach()
    assert page.model.rowCount() == 0 and page.dialog is None
    assert all(not label.text() for label in page.latest_labels.values())
    assert page.new_check_in("mood") is None, "no check-in without an open journal"


def test_deleting_a_check_in_asks_first(qtbot, page, journal, no_modals):
    show_table(page)
    first_id = page.model.check_in_id(0)
    page.delete_check_in(first_id)
    assert no_modals and no_modals[0][0] == "Delete check-in"
    assert first_id not in [c.id for c in check_ins(journal)]
    assert page.model.rowCount() == 7


def test_charts_and_table_are_built_when_their_tab_is_shown(qtbot, page):
    phq9 = page.tabs.indexOf(page.chart_stacks["phq9"])
    mood = page.tabs.indexOf(page.chart_stacks["mood"])
    page.tabs.setCurrentIndex(phq9)
    assert page.charts["phq9"].built is not None, "the chart on screen is drawn"
    assert page.charts["mood"].built is None and page.model.rowCount() == 0, "others wait"
    page.tabs.setCurrentIndex(mood)
    assert page.charts["mood"].built is not None
    show_table(page)
    assert page.model.rowCount() == 8

    page.refresh()  # e.g. a check-in stored: what isn't on screen is dropped until shown
    assert page.model.rowCount() == 8, "the table is on screen"
    assert page.charts["phq9"].built is None and page.charts["mood"].built is None
    page.tabs.setCurrentIndex(phq9)
    assert page.charts["phq9"].built is not None


def test_a_page_attached_but_never_shown_holds_nothing(qtbot, journal, measures):
    seed(journal, measures)
    hidden = CheckInPage()
    qtbot.addWidget(hidden)
    hidden.attach(journal)
    assert hidden.model.rowCount() == 0 and not hidden.series
    assert all(not label.text() for label in hidden.latest_labels.values())
    assert all(chart.built is None for chart in hidden.charts.values())
    hidden.show()
    assert hidden.latest_labels["phq9"].text().startswith("Latest: "), "loaded when shown"
    hidden.detach()


def test_table_rows_stay_readable_in_the_dark_theme(qtbot, qapp):
    from PySide6.QtGui import QPalette

    from journal_app.ui.theme import apply_theme

    apply_theme(qapp, "dark", 12)
    shown = CheckInPage()
    qtbot.addWidget(shown)
    palette = shown.table.palette()
    text = palette.color(QPalette.ColorRole.Text).lightness()
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
        assert abs(text - palette.color(role).lightness()) > 120, role
