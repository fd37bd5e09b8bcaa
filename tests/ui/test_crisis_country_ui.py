"""The country of the crisis services: chosen in the first-run wizard, in Settings and on
the panel itself; the panel shows that country's services, locked or not, and an unknown
country gets the helpline directory and an emergency line, never an empty panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget

from journal_app.domain.safety import LOCAL_EMERGENCY
from journal_app.ui import settings as settings_module
from journal_app.ui.dialogs.safety_panel import SafetyPanel, open_safety_panel
from journal_app.ui.dialogs.settings_dialog import SettingsDialog
from journal_app.ui.hub import Hub
from journal_app.ui.settings import OTHER_COUNTRY, Settings, crisis_country, system_country
from journal_app.ui.shell.create_wizard import CreateJournalWizard
from journal_app.ui.shell.main_window import MainWindow
from tests.conftest import FAST_KDF
from tests.ui.test_safety_panel import visible_text


@pytest.fixture
def host(qtbot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def system_locale():
    """Set the locale Qt reports as the system's for one test."""
    before = QLocale()

    def use(name: str) -> None:
        QLocale.setDefault(QLocale(name))

    yield use
    QLocale.setDefault(before)


def uris(panel: SafetyPanel) -> set[str]:
    return {b.property("uri") for b in panel.contact_buttons}


@pytest.mark.parametrize(("code", "expected", "absent"), [
    ("US", {"tel:988", "sms:741741", "tel:911"}, set()),
    ("GB", {"tel:116123", "sms:85258", "tel:111", "tel:999"}, {"tel:988", "tel:911"}),
    ("DE", {"tel:08001110111", "tel:08001110222", "tel:112"}, {"tel:988", "tel:911"}),
    ("AU", {"tel:131114", "sms:0477131114", "tel:000"}, {"tel:988", "tel:911"}),
])
def test_panel_shows_the_chosen_countrys_services(qtbot, host, code, expected, absent):
    Settings().set("crisis_country", code)
    panel = open_safety_panel(host, None)
    assert expected <= uris(panel)
    assert not absent & uris(panel)
    assert panel.country_box.country() == code
    assert all(b.accessibleName() for b in panel.contact_buttons)


def test_the_emergency_number_comes_first(qtbot, host):
    Settings().set("crisis_country", "GB")
    panel = open_safety_panel(host, None)
    assert panel.contact_buttons[0].property("uri") == "tel:999"
    assert "In an emergency, call 999." in visible_text(panel)


def test_a_country_without_a_list_gets_the_directory_and_its_emergency_number(qtbot, host):
    Settings().set("crisis_country", "FR")
    panel = open_safety_panel(host, None)
    assert uris(panel) == {"tel:112", "https://findahelpline.com"}
    assert "For France" in visible_text(panel)


def test_an_unknown_locale_falls_back_to_the_directory_never_an_empty_panel(
        qtbot, host, system_locale, monkeypatch):
    system_locale("C")
    monkeypatch.setattr(settings_module.locale, "getlocale", lambda *_a: (None, None))
    assert system_country() == "" and crisis_country() == ""
    panel = open_safety_panel(host, None)
    text = visible_text(panel)
    assert "https://findahelpline.com" in uris(panel)
    assert LOCAL_EMERGENCY in text
    assert "tel:988" not in uris(panel) and "tel:911" not in uris(panel)
    assert panel.country_box.country() == OTHER_COUNTRY


def test_an_unlisted_system_country_gets_its_emergency_number(qtbot, host, system_locale):
    system_locale("it_IT")
    assert crisis_country() == "IT"
    panel = open_safety_panel(host, None)
    assert uris(panel) == {"tel:112", "https://findahelpline.com"}


def test_the_users_choice_wins_over_the_system_locale(system_locale):
    system_locale("de_DE")
    assert crisis_country() == "DE"
    Settings().set("crisis_country", "NZ")
    assert crisis_country() == "NZ"
    Settings().set("crisis_country", OTHER_COUNTRY)
    assert crisis_country() == OTHER_COUNTRY


@pytest.mark.parametrize(("name", "code"), [
    ("en_GB", "GB"), ("de_DE", "DE"), ("en_IE", "IE"), ("fr_CA", "CA"), ("en_NZ", "NZ"),
    ("fr_FR", "FR"), ("ja_JP", OTHER_COUNTRY),
])
def test_the_wizard_defaults_to_the_system_country(qtbot, tmp_path, system_locale, name, code):
    system_locale(name)
    wizard = CreateJournalWizard(tmp_path / "j.ijournal", FAST_KDF)
    qtbot.addWidget(wizard)
    assert wizard.welcome.country.country() == code


def test_the_wizard_stores_the_country_chosen(qtbot, tmp_path, system_locale):
    system_locale("en_GB")
    wizard = CreateJournalWizard(tmp_path / "j.ijournal", FAST_KDF)
    qtbot.addWidget(wizard)
    box = wizard.welcome.country
    box.setCurrentIndex(box.findData("IE"))
    assert Settings().get("crisis_country") == "", "nothing is stored before the end"
    wizard.accept()
    assert Settings().get("crisis_country") == "IE"


def test_settings_choice_persists_and_changes_an_open_panel(qtbot, host, private_dirs):
    Settings().set("crisis_country", "US")
    panel = open_safety_panel(host, None)
    assert "tel:988" in uris(panel)
    dialog = SettingsDialog(Settings(), unlocked=False, parent=host)
    qtbot.addWidget(dialog)
    assert dialog.country.country() == "US"
    dialog.country.setCurrentIndex(dialog.country.findData("NZ"))
    dialog.save()
    assert Settings().get("crisis_country") == "NZ"
    assert {"tel:1737", "sms:1737", "tel:0800543354", "tel:111"} <= uris(panel)
    assert "tel:988" not in uris(panel)
    ini = (private_dirs / "config" / "settings.ini").read_text()
    assert "crisis_country=NZ" in ini
    reopened = SettingsDialog(Settings(), unlocked=False, parent=host)
    qtbot.addWidget(reopened)
    assert reopened.country.country() == "NZ"


def test_choosing_a_country_on_the_panel_keeps_it(qtbot, host):
    Settings().set("crisis_country", "US")
    panel = open_safety_panel(host, None)
    box = panel.country_box
    box.setCurrentIndex(box.findData("CA"))
    box.activated.emit(box.currentIndex())
    qtbot.waitUntil(lambda: panel.country_box is not box and "tel:911" in uris(panel)
                    and "sms:741741" not in uris(panel), timeout=2_000)
    assert Settings().get("crisis_country") == "CA"
    assert panel.isVisible()


def test_the_lock_screens_help_button_uses_the_country(qtbot, tmp_path):
    Settings().set("crisis_country", "DE")
    window = MainWindow(tmp_path / "j.ijournal", Hub(), settings=Settings())
    qtbot.addWidget(window)
    window.show()
    assert window.journal is None
    window.action_registry["help_now"].trigger()
    panel = next(p for p in window.findChildren(SafetyPanel) if p.isVisible())
    assert {"tel:08001110111", "tel:112"} <= uris(panel)
    assert panel.edit_button is None, "locked: public services only"
