"""Settings persist, upgrade, apply live, and never hold journal content."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from journal_app.ui import settings as settings_module
from journal_app.ui.dialogs.help_dialog import shortcut_rows
from journal_app.ui.dialogs.settings_dialog import SettingsDialog
from journal_app.ui.hub import Hub
from journal_app.ui.settings import Settings
from journal_app.ui.shell.main_window import MainWindow


def test_defaults_then_values_persist_across_instances(private_dirs):
    first = Settings()
    assert first.get("auto_lock_minutes") == 5
    assert first.get("theme") == "system"
    first.set("auto_lock_minutes", 12)
    first.set("reminders", False)
    second = Settings()
    assert second.get("auto_lock_minutes") == 12
    assert second.get("reminders") is False
    ini = next((private_dirs / "config").glob("settings.ini"))
    assert "auto_lock_minutes=12" in ini.read_text()


def test_a_bad_stored_value_falls_back_to_the_default(private_dirs):
    Settings().store.setValue("font_size", "huge")
    assert Settings().get("font_size") == 12


def test_upgrade_hooks_run_once_in_order(private_dirs, monkeypatch):
    store = Settings().store
    store.setValue("settings_version", 0)
    store.setValue("autolock", 9)  # an imagined old key
    store.sync()
    calls: list[int] = []

    def rename(s: QSettings) -> None:
        calls.append(1)
        s.setValue("auto_lock_minutes", s.value("autolock"))
        s.remove("autolock")

    monkeypatch.setattr(settings_module, "SETTINGS_VERSION", 1)
    monkeypatch.setattr(settings_module, "UPGRADES", {1: rename})
    upgraded = Settings()
    assert calls == [1]
    assert upgraded.get("auto_lock_minutes") == 9
    assert upgraded.store.value("autolock") is None
    Settings()
    assert calls == [1], "an upgrade must not run again once the version is stored"


def test_dialog_saves_and_theme_switch_applies_live(qtbot, tmp_path):
    settings = Settings()
    window = MainWindow(tmp_path / "j.ijournal", Hub(), settings=settings)
    qtbot.addWidget(window)
    dialog = SettingsDialog(settings, unlocked=False, parent=window)
    qtbot.addWidget(dialog)
    assert not dialog.contacts.isEnabled(), "contacts live in the journal: unlock first"
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.auto_lock.setValue(15)
    dialog.applied.connect(window.apply_settings)
    dialog.save()
    assert settings.get("theme") == "dark"
    assert settings.get("auto_lock_minutes") == 15
    window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window)
    assert window_colour.lightness() < 80, "dark theme gives a dark window background"
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    dialog.save()
    window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window)
    assert window_colour.lightness() > 200


def test_shortcuts_are_listed_from_the_actions(qtbot, tmp_path):
    window = MainWindow(tmp_path / "j.ijournal", Hub())
    qtbot.addWidget(window)
    rows = dict(shortcut_rows(window.action_registry.values()))
    assert rows["Lock now"] == "Ctrl+L"
    assert rows["New entry"] == "Ctrl+N"
    assert rows["Keyboard shortcuts"] == "F1"


def test_contacts_button_opens_the_journal_contacts_editor(qtbot, tmp_path, monkeypatch):
    from journal_app.storage.vault import Vault
    from journal_app.ui.dialogs import safety_plan
    from tests.conftest import FAST_KDF

    path = tmp_path / "j.ijournal"
    vault, _key = Vault.create(path, "contacts passphrase", FAST_KDF)
    window = MainWindow(path, Hub(), settings=Settings())
    qtbot.addWidget(window)
    window.open_vault(vault)
    opened: list[object] = []
    monkeypatch.setattr(safety_plan.SafetyPlanDialog, "exec",
                        lambda dialog: opened.append(dialog.journal) or 0)

    def click_contacts(dialog: SettingsDialog) -> int:
        assert dialog.contacts.isEnabled(), "unlocked: contacts can be edited"
        qtbot.mouseClick(dialog.contacts, Qt.MouseButton.LeftButton)
        return 0

    monkeypatch.setattr(SettingsDialog, "exec", click_contacts)
    window.open_settings()  # Ctrl+, as a person opens it
    assert opened == [window.journal]


def test_crisis_country_is_a_plain_country_code_that_persists(private_dirs):
    assert Settings().get("crisis_country") == ""
    Settings().set("crisis_country", "GB")
    assert Settings().get("crisis_country") == "GB"
    ini = next((private_dirs / "config").glob("settings.ini")).read_text()
    assert "crisis_country=GB" in ini
    assert "crisis_country" in settings_module.OPTIONS
    assert "never journal content" in settings_module.OPTIONS["crisis_country"].doc
