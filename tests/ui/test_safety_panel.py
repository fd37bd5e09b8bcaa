"""The safety panel and the safety plan: public resources, journal-only details, privacy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from journal_app.domain.care_settings import (
    CARE_CONTACTS,
    SAFETY_PLAN,
    CareContacts,
    SafetyPlan,
    load_care_contacts,
    load_crisis_overrides,
    load_safety_plan,
    save_care_contacts,
    save_safety_plan,
)
from journal_app.domain.safety import NOT_MONITORED
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from journal_app.ui.dialogs import safety_panel as panel_module
from journal_app.ui.dialogs.safety_panel import (
    SafetyPanel,
    open_safety_panel,
    phone_uri,
    update_open_safety_panel,
)
from journal_app.ui.dialogs.safety_plan import SafetyPlanDialog
from tests.ui.test_checkins_ui import PASSPHRASE, finish_saving, open_new_journal


@pytest.fixture
def host(qtbot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def journal_path(tmp_path):
    return tmp_path / "journal.ijournal"


@pytest.fixture
def journal(journal_path, qtbot):
    opened = open_new_journal(journal_path)
    yield opened
    if not getattr(opened, "_closed_for_test", False):
        finish_saving(qtbot, opened)
        opened.close()


def visible_text(panel: SafetyPanel) -> str:
    parts = [label.text() for label in panel.findChildren(QLabel)]
    parts += [button.text() for button in panel.contact_buttons]
    return "\n".join(parts)


def test_panel_without_a_journal_shows_public_resources_and_no_edit(qtbot, host):
    panel = open_safety_panel(host, None)
    assert panel.isVisible() and not panel.isModal()
    text = visible_text(panel)
    for expected in ("Help is available now", "988", "press 1", "Text HOME to 741741",
                     "Call 911", "988lifeline.org", NOT_MONITORED, "United States", "2026"):
        assert expected in text
    assert panel.edit_button is None
    assert "when the journal is unlocked" in text
    assert {b.property("uri") for b in panel.contact_buttons} >= {
        "tel:988", "sms:988", "https://988lifeline.org", "sms:741741", "tel:911"}
    assert all(b.accessibleName() for b in panel.contact_buttons)
    assert open_safety_panel(host, None) is panel, "asking again shows the same panel"


def test_panel_with_a_journal_shows_care_team_plan_and_edit(qtbot, host, journal):
    save_care_contacts(journal.repo, CareContacts("Riverside Clinic", "555-010-2000",
                                                  "Dr. Lee", "+1 555 010 3000"))
    save_safety_plan(journal.repo, SafetyPlan(warning_signs="Staying in bed all day",
                                              people_to_ask="Sam, 555 010 4000"))
    panel = open_safety_panel(host, journal)
    text = visible_text(panel)
    for expected in ("Clinic: Riverside Clinic", "Call 555-010-2000", "Therapist: Dr. Lee",
                     "Call +1 555 010 3000", "Warning signs", "Staying in bed all day",
                     "People I can ask for help", "Sam, 555 010 4000"):
        assert expected in text
    assert "Things I can do on my own" not in text, "empty sections are left out"
    assert panel.edit_button is not None and panel.edit_button.isEnabled()
    assert {"tel:5550102000", "tel:+15550103000"} <= {b.property("uri")
                                                      for b in panel.contact_buttons}


def test_empty_care_team_invites_the_user_to_add_numbers(qtbot, host, journal):
    panel = open_safety_panel(host, journal)
    text = visible_text(panel)
    assert "Add your clinic's and your therapist's numbers" in text
    assert panel.edit_button.text() == "Write my plan…"


def test_links_open_on_the_desktop_or_say_what_to_dial(qtbot, host, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(panel_module, "open_link", lambda uri: opened.append(uri) or False)
    panel = open_safety_panel(host, None)
    call = next(b for b in panel.contact_buttons if b.text() == "Call 988")
    qtbot.mouseClick(call, Qt.MouseButton.LeftButton)
    assert opened == ["tel:988"]
    assert panel.status.isVisible() and "Call 988" in panel.status.text()


def test_escape_does_not_close_but_the_close_button_does(qtbot, host):
    panel = open_safety_panel(host, None)
    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    assert panel.isVisible()
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()


def test_locking_drops_journal_details_from_an_open_panel(qtbot, host, journal):
    save_safety_plan(journal.repo, SafetyPlan(coping="CanaryCopingStep"))
    panel = open_safety_panel(host, journal)
    assert "CanaryCopingStep" in visible_text(panel)
    panel.edit_plan()
    editor = panel.plan_editor
    assert editor.section_fields["coping"].toPlainText() == "CanaryCopingStep"
    finish_saving(qtbot, journal)
    journal.close()
    journal._closed_for_test = True
    with qtbot.waitSignal(journal.destroyed, timeout=5_000):
        journal.deleteLater()
    assert panel.journal is None and panel.plan_editor is None
    assert not editor.isVisible() and editor.section_fields["coping"].toPlainText() == ""
    assert "CanaryCopingStep" not in visible_text(panel)
    assert "988" in visible_text(panel) and panel.isVisible()


def test_user_crisis_line_is_stored_in_the_journal_and_listed(qtbot, host, journal, no_modals):
    editor = SafetyPlanDialog(journal, host)
    editor.extra_name.setText("Samaritans")
    editor.extra_phone.setText("116 123")
    editor.save()
    overrides = load_crisis_overrides(journal.repo)
    assert overrides["resources"]["my-crisis-line"]["name"] == "Samaritans"
    panel = open_safety_panel(host, journal)
    assert "Call 116 123" in visible_text(panel)
    assert "tel:116123" in {b.property("uri") for b in panel.contact_buttons}


def test_editing_from_the_panel_refreshes_it(qtbot, host, journal, no_modals):
    panel = open_safety_panel(host, journal)
    panel.edit_plan()
    editor = panel.plan_editor
    assert editor is not None and editor.isVisible()
    editor.contact_fields["clinic_phone"].setText("555 010 9999")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "Call 555 010 9999" in visible_text(panel)
    assert load_care_contacts(journal.repo).clinic_phone == "555 010 9999"


def test_cancel_with_changes_asks_before_dropping_them(qtbot, host, journal, no_modals):
    editor = SafetyPlanDialog(journal, host)
    editor.show()
    editor.section_fields["coping"].setPlainText("Breathe out slowly")
    editor.reject()
    assert no_modals and no_modals[0][0] == "Unsaved changes"
    assert load_safety_plan(journal.repo).coping == ""


def test_safety_plan_round_trips_through_the_encrypted_journal_only(
        qtbot, host, journal, journal_path, private_dirs, no_modals):
    canaries = {"warning_signs": "CanaryWarnQx1", "coping": "CanaryCopeZr2",
                "people_places": "CanaryPlaceWp3", "people_to_ask": "CanaryAskMv4",
                "professionals": "CanaryProKt5", "safer_space": "CanarySafeJh6"}
    contacts = {"clinic_name": "CanaryClinicBn7", "clinic_phone": "555 010 7771",
                "therapist_name": "CanaryTherapistLc8", "therapist_phone": "555 010 7772"}
    editor = SafetyPlanDialog(journal, host)
    for key, value in canaries.items():
        editor.section_fields[key].setPlainText(value)
    for key, value in contacts.items():
        editor.contact_fields[key].setText(value)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    finish_saving(qtbot, journal)
    assert journal.state == "saved"
    journal.close()
    journal._closed_for_test = True

    reopened = Vault.open(journal_path, Secret(passphrase=PASSPHRASE))
    try:
        repo = JournalRepository(reopened.db)
        assert load_safety_plan(repo) == SafetyPlan(**canaries)
        assert load_care_contacts(repo) == CareContacts(**contacts)
        assert repo.get_meta(SAFETY_PLAN) and repo.get_meta(CARE_CONTACTS)
    finally:
        reopened.close()

    secrets = [*canaries.values(), *contacts.values()]
    for folder in (journal_path.parent, private_dirs):
        for file in folder.rglob("*"):
            if file.is_file():
                data = file.read_bytes()
                for secret in secrets:
                    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                        assert secret.encode(encoding) not in data, (file.name, encoding)


def test_damaged_journal_values_never_break_the_panel(qtbot, host, journal):
    journal.repo.set_meta(SAFETY_PLAN, "{not json")
    journal.repo.set_meta(CARE_CONTACTS, '{"clinic_phone": 5, "clinic_name": "Ok"}')
    panel = open_safety_panel(host, journal)
    assert "Clinic: Ok" in visible_text(panel)
    assert load_safety_plan(journal.repo).is_empty


def test_phone_links_keep_only_what_a_dialler_needs():
    assert phone_uri("(555) 010-2000") == "tel:5550102000"
    assert phone_uri("+44 116 123") == "tel:+44116123"


def test_plan_editor_tab_order_follows_the_page(qtbot, host, journal, no_modals):
    editor = SafetyPlanDialog(journal, host)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=5_000)
    editor.contact_fields["clinic_name"].setFocus()
    order = [editor.contact_fields[k] for k in ("clinic_phone", "therapist_name",
                                                 "therapist_phone")]
    order += [editor.section_fields[k] for k in ("warning_signs", "coping")]
    for expected in order:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected
    editor.section_fields["safer_space"].setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.extra_name


def test_an_open_panel_picks_up_the_journal_after_unlock(qtbot, host, journal):
    save_care_contacts(journal.repo, CareContacts(clinic_phone="555 010 2000"))
    panel = open_safety_panel(host, None)
    assert "555 010 2000" not in visible_text(panel)
    update_open_safety_panel(host, journal)
    assert "Call 555 010 2000" in visible_text(panel) and panel.edit_button is not None
    update_open_safety_panel(host, None)
    assert "555 010 2000" not in visible_text(panel)
