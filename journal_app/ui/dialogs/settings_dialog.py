"""Preferences. Contacts and crisis numbers live inside the journal, not here; the
country whose crisis services the help panel shows is a plain setting (a country code)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.safety import countries, normalize_country
from journal_app.ui.settings import (
    FONT_SIZES,
    OTHER_COUNTRY,
    THEMES,
    Settings,
    crisis_country,
)


class CountryBox(QComboBox):
    """The countries whose crisis services the app knows, by name, then "another
    country". Used by the first-run wizard, Settings and the safety panel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Country for crisis services"))
        named = [(QCoreApplication.translate("crisis_resources", c.name), c.code)
                 for c in countries()]
        for name, code in sorted(named, key=lambda item: item[0].casefold()):
            self.addItem(name, code)
        self.insertSeparator(self.count())
        self.addItem(self.tr("Another country"), OTHER_COUNTRY)
        self.setMaxVisibleItems(16)

    def set_country(self, code: str) -> None:
        """Select ``code``; a country the app doesn't know selects "another country"."""
        index = self.findData(normalize_country(code))
        self.setCurrentIndex(index if index >= 0 else self.findData(OTHER_COUNTRY))

    def country(self) -> str:
        return str(self.currentData())


class SettingsDialog(QDialog):
    """Edits the settings file; ``applied`` tells the app to re-read them."""

    applied = Signal()
    contacts_requested = Signal()

    def __init__(self, settings: Settings, *, unlocked: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Settings"))
        self.auto_lock = QSpinBox(self)
        self.auto_lock.setRange(0, 240)
        self.auto_lock.setSuffix(self.tr(" min"))
        self.auto_lock.setSpecialValueText(self.tr("Never"))
        self.auto_lock.setAccessibleName(self.tr("Lock after idle minutes"))
        self.theme = QComboBox(self)
        labels = {"system": self.tr("Follow the system"), "light": self.tr("Light"),
                  "dark": self.tr("Dark")}
        for key in THEMES:
            self.theme.addItem(labels[key], key)
        self.theme.setAccessibleName(self.tr("Theme"))
        self.font_size = QSpinBox(self)
        self.font_size.setRange(FONT_SIZES.start, FONT_SIZES.stop - 1)
        self.font_size.setSuffix(self.tr(" pt"))
        self.font_size.setAccessibleName(self.tr("Text size"))
        self.reminders = QCheckBox(self.tr("Show a notification when a step is ready"), self)
        self.reminders.setAccessibleName(self.tr("Reminders"))
        self.export_name = QLineEdit(self)
        self.export_name.setAccessibleName(self.tr("Default export file name"))
        self.country = CountryBox(self)
        self.country.setToolTip(self.tr(
            "The “I need help now” panel shows crisis services and the emergency "
            "number of this country."))
        self.contacts = QPushButton(self.tr("Clinic, therapist and crisis contacts…"), self)
        self.contacts.setEnabled(unlocked)
        self.contacts.setToolTip(self.tr("Stored inside your encrypted journal. Unlock to edit."))
        self.contacts.clicked.connect(self.contacts_requested)

        form = QFormLayout()
        form.setVerticalSpacing(12)
        form.addRow(self.tr("Lock after"), self.auto_lock)
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(self.tr("Text size"), self.font_size)
        form.addRow("", self.reminders)
        form.addRow(self.tr("Export file name"), self.export_name)
        form.addRow(self.tr("Crisis services for"), self.country)
        note = QLabel(self.tr("Settings are stored unencrypted and never hold anything you "
                              "write. Contacts are kept inside your journal."), self)
        note.setWordWrap(True)
        note.setObjectName("quietLabel")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addLayout(form)
        layout.addWidget(self.contacts)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        s = self.settings
        self.auto_lock.setValue(s.get("auto_lock_minutes"))
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.get("theme"))))
        self.font_size.setValue(s.get("font_size"))
        self.reminders.setChecked(s.get("reminders"))
        self.export_name.setText(s.get("default_export_name"))
        self.country.set_country(crisis_country(s))

    def save(self) -> None:
        s = self.settings
        s.set("auto_lock_minutes", self.auto_lock.value())
        s.set("theme", self.theme.currentData())
        s.set("font_size", self.font_size.value())
        s.set("reminders", self.reminders.isChecked())
        name = self.export_name.text().strip() or s.default("default_export_name")
        s.set("default_export_name", name)
        s.set("crisis_country", self.country.country())
        self.applied.emit()
        from journal_app.ui.dialogs.safety_panel import (
            refresh_open_panels,  # it imports this module
        )

        refresh_open_panels()
        self.accept()
