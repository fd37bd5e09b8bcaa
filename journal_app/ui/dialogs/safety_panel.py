"""The safety panel: who can be reached right now, the user's care team and safety plan.

It opens at once after a PHQ-9 item-9 answer above 0 and from "I need help now". It is a
non-modal window that nothing closes by accident: Escape does nothing, there is no
default button and no timer; only its Close button or the window's own close control
closes it. Without an unlocked journal it shows the public crisis resources only; the
clinic's and therapist's numbers and the safety plan live inside the journal.

The services are those of the country chosen in the first-run wizard or Settings (else the
system's country); the panel can switch country itself, for someone away from home. The
emergency number is always shown. The services' cards are built in crisis_cards.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QHideEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.care_settings import (
    CareContacts,
    SafetyPlan,
    load_care_contacts,
    load_crisis_overrides,
    load_safety_plan,
)
from journal_app.domain.safety import NOT_MONITORED, resources_for_panel
from journal_app.ui.dialogs.crisis_cards import (
    contact_button,
    emergency_strip,
    phone_uri,
    resource_card,
    reviewed_note,
    text_label,
    titled_card,
)
from journal_app.ui.dialogs.safety_plan import SafetyPlanDialog, bold, plan_sections
from journal_app.ui.dialogs.settings_dialog import CountryBox
from journal_app.ui.settings import Settings, crisis_country

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

def open_link(uri: str) -> bool:
    """Hand a tel:, sms: or https: link to the desktop; False when nothing could open it."""
    return QDesktopServices.openUrl(QUrl(uri))


class SafetyPanel(QDialog):
    """Non-modal. ``set_journal(None)`` (and the journal being locked) drops every detail
    that came from the journal, leaving the public resources. The country comes from the
    settings file each time the content is built."""

    def __init__(self, journal: OpenJournal | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.country_box: CountryBox | None = None
        self.setObjectName("safetyPanel")
        self.setWindowTitle(self.tr("Help is available now"))
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.WindowTitleHint
                            | Qt.WindowType.WindowCloseButtonHint)
        self.setModal(False)
        self.setAccessibleName(self.tr("Help is available now"))
        size = QApplication.font().pointSizeF()
        self.setStyleSheet(f"QLabel#cardTitle {{ font-size: {size * 1.2:.1f}pt; "
                           "font-weight: 600; }")
        self.resize(600, 760)
        self.journal: OpenJournal | None = None
        self.plan_editor: SafetyPlanDialog | None = None
        self.contact_buttons: list[QPushButton] = []
        self.edit_button: QPushButton | None = None

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setAccessibleName(self.tr("Help and contacts"))
        self.status = text_label("", self, "calmMessage")
        self.status.setAccessibleName(self.tr("Message"))
        self.status.hide()
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAutoDefault(False)
        self.close_button.setAccessibleName(self.tr("Close the help panel"))
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.close_button, 0,
                         Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 16)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)
        bottom.setContentsMargins(28, 0, 28, 0)
        self.set_journal(journal)

    # ------------------------------------------------------------------ journal
    def set_journal(self, journal: OpenJournal | None) -> None:
        if self.journal is not None and shiboken6.isValid(self.journal):
            self.journal.destroyed.disconnect(self._journal_gone)
        if journal is not self.journal:
            self._drop_editor()
        self.journal = journal
        if journal is not None:
            journal.destroyed.connect(self._journal_gone)
        self.rebuild()

    def _journal_gone(self, _obj: QObject | None = None) -> None:
        self.journal = None
        self._drop_editor()
        self.rebuild()

    def _drop_editor(self) -> None:
        """An open plan editor holds journal text: empty and close it."""
        if self.plan_editor is not None:
            editor, self.plan_editor = self.plan_editor, None
            editor.discard()
            editor.deleteLater()

    @property
    def unlocked(self) -> bool:
        return self.journal is not None

    # ------------------------------------------------------------------ content
    def rebuild(self) -> None:
        """Build the content afresh from the resources and, if unlocked, the journal."""
        self.contact_buttons = []
        self.edit_button = None
        content = QWidget()
        content.setObjectName("safetyContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(28, 24, 28, 16)
        column.setSpacing(14)
        heading = text_label(self.tr("Help is available now"), content, "heading")
        heading.setAccessibleName(self.tr("Help is available now"))
        column.addWidget(heading)
        column.addWidget(text_label(self.tr(
            "You don't have to go through this alone. You can reach a person right now, "
            "at any hour."), content))
        overrides = load_crisis_overrides(self.journal.repo) if self.unlocked else None
        country = crisis_country()
        resources = resources_for_panel(overrides, country=country)
        column.addLayout(self._country_row(country, content))
        # The emergency number first, as one short line, so it is in sight on any screen.
        for resource in resources.emergency:
            column.addWidget(emergency_strip(resource, content, self._contact_button))
        for resource in resources.resources:
            if not resource.emergency:
                column.addWidget(resource_card(resource, content, self._contact_button))
        # After the services: who can be reached comes first.
        column.addWidget(text_label(QCoreApplication.translate("safety", NOT_MONITORED),
                                    content, "quietLabel"))
        column.addWidget(self._care_team(content))
        column.addWidget(self._plan(content))
        column.addWidget(reviewed_note(resources, content))
        column.addStretch(1)
        self.scroll.setWidget(content)  # the old content widget is deleted
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        self.scroll.setMinimumWidth(content.minimumSizeHint().width() + bar)
        if not self.isVisible():
            self._fit_height(content)

    def _fit_height(self, content: QWidget) -> None:
        """Tall enough, where the screen allows, to show every service without scrolling."""
        screen = self.screen()
        room = int(screen.availableGeometry().height() * 0.92) if screen else 760
        wanted = content.heightForWidth(self.width()) if content.hasHeightForWidth() else -1
        wanted = max(wanted, content.sizeHint().height()) + 72  # the Close row
        self.resize(self.width(), max(min(wanted, room), min(760, room)))

    def _country_row(self, country: str, parent: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(text_label(self.tr("Services in"), parent), 0)
        self.country_box = CountryBox(parent)
        self.country_box.set_country(country)
        self.country_box.setToolTip(self.tr("Away from home? Choose where you are now."))
        self.country_box.activated.connect(self._country_chosen)
        row.addWidget(self.country_box, 0)
        row.addStretch(1)
        return row

    def _country_chosen(self, _index: int) -> None:
        """Kept as the setting (a country code only), then shown; the rebuild waits for the
        combo box's own signal to finish, since it replaces the box."""
        if self.country_box is None:
            return
        Settings().set("crisis_country", self.country_box.country())
        QTimer.singleShot(0, self, refresh_open_panels)

    def _contact_button(self, text: str, uri: str, accessible: str,
                        parent: QWidget) -> QPushButton:
        button = contact_button(text, uri, accessible, parent)
        button.clicked.connect(lambda: self._open(uri, text))
        self.contact_buttons.append(button)
        return button

    def _care_team(self, parent: QWidget) -> QFrame:
        card, layout = titled_card(parent, self.tr("Your care team"))
        if not self.unlocked:
            layout.addWidget(text_label(self.tr(
                "Your clinic's and therapist's numbers are kept inside your journal. "
                "They appear here when the journal is unlocked."), card, "quietLabel"))
            return card
        contacts = load_care_contacts(self.journal.repo)
        if contacts.is_empty:
            layout.addWidget(text_label(self.tr(
                "Add your clinic's and your therapist's numbers, so they are here when you "
                "need them."), card, "quietLabel"))
            add = QPushButton(self.tr("Add their numbers…"), card)
            add.setAutoDefault(False)
            add.setAccessibleName(self.tr("Add your clinic's and therapist's numbers"))
            add.clicked.connect(self.edit_plan)
            layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
            return card
        for who, name, phone in self._people(contacts):
            layout.addLayout(self._person_row(who, name, phone, card))
        return card

    def _people(self, contacts: CareContacts) -> list[tuple[str, str, str]]:
        return [(who, name, phone) for who, name, phone in (
            (self.tr("Clinic"), contacts.clinic_name, contacts.clinic_phone),
            (self.tr("Therapist"), contacts.therapist_name, contacts.therapist_phone),
        ) if name.strip() or phone.strip()]

    def _person_row(self, who: str, name: str, phone: str, card: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        text = f"{who}: {name}" if name.strip() else who
        row.addWidget(text_label(text, card), 1)
        if phone.strip():
            call = self.tr("Call %1").replace("%1", phone.strip())
            row.addWidget(self._contact_button(call, phone_uri(phone), f"{text}. {call}", card))
        else:
            row.addWidget(text_label(self.tr("no number yet"), card, "quietLabel"))
        return row

    def _plan(self, parent: QWidget) -> QFrame:
        card, layout = titled_card(parent, self.tr("Your safety plan"))
        if not self.unlocked:
            layout.addWidget(text_label(self.tr(
                "Your own safety plan is kept inside your journal and appears here when the "
                "journal is unlocked."), card, "quietLabel"))
            return card
        plan = load_safety_plan(self.journal.repo)
        if plan.is_empty:
            layout.addWidget(text_label(self.tr(
                "A safety plan is a short list, in your own words, of the signs that a hard "
                "time is starting, what helps, and who you can reach. You can write one here, "
                "on your own or with your therapist."), card, "quietLabel"))
        else:
            self._plan_sections(plan, card, layout)
        self.edit_button = QPushButton(
            self.tr("Write my plan…") if plan.is_empty else self.tr("Edit my plan…"), card)
        self.edit_button.setAutoDefault(False)
        self.edit_button.setAccessibleName(self.tr("Edit your safety plan and contacts"))
        self.edit_button.clicked.connect(self.edit_plan)
        layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignLeft)
        return card

    @staticmethod
    def _plan_sections(plan: SafetyPlan, card: QWidget, layout: QVBoxLayout) -> None:
        for field_name, title, _hint in plan_sections():
            text = getattr(plan, field_name).strip()
            if not text:
                continue
            title_label = text_label(title, card)
            bold(title_label)
            layout.addSpacing(4)
            layout.addWidget(title_label)
            body = text_label(text, card)
            body.setAccessibleName(title)
            layout.addWidget(body)

    # ------------------------------------------------------------------ actions
    def _open(self, uri: str, label: str) -> None:
        if open_link(uri):
            self.status.hide()
            return
        self.status.setText(self.tr(
            "This computer has nothing that can open that link. From any phone: %1."
        ).replace("%1", label))
        self.status.show()

    def edit_plan(self) -> None:
        """The safety plan and contacts editor; the panel shows the result when saved."""
        if self.journal is None:
            return
        if self.plan_editor is None:
            self.plan_editor = SafetyPlanDialog(self.journal, self)
            self.plan_editor.saved.connect(self.rebuild)
            self.plan_editor.finished.connect(self._editor_closed)
        self.plan_editor.open()

    def _editor_closed(self) -> None:
        self._drop_editor()

    # ------------------------------------------------------------------ closing
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()  # never closed by a stray key: only Close does that
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.hide()

    def hideEvent(self, event: QHideEvent) -> None:
        """Nothing from the journal stays in a hidden panel."""
        super().hideEvent(event)
        if self.journal is not None and not event.spontaneous():
            self.set_journal(None)


def open_safety_panel(parent: QWidget | None, journal: OpenJournal | None) -> SafetyPanel:
    """Show the safety panel now, non-modal, reusing the open one of ``parent``'s window.

    ``journal`` None (e.g. from the lock screen) shows the public crisis resources only.
    """
    host = parent.window() if parent is not None else None
    panel = host.findChild(SafetyPanel) if host is not None else _orphan_panel()
    if panel is None:
        panel = SafetyPanel(journal, host)
        if host is None:
            panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            panel.destroyed.connect(_ORPHANS.clear)
            _ORPHANS.append(panel)
    elif panel.journal is not journal:
        panel.set_journal(journal)
    elif not panel.isVisible():
        panel.rebuild()
    panel.show()
    panel.raise_()
    panel.activateWindow()
    panel.scroll.setFocus(Qt.FocusReason.OtherFocusReason)
    return panel


def update_open_safety_panel(parent: QWidget | None, journal: OpenJournal | None) -> None:
    """After unlock or lock: an open panel of ``parent``'s window shows (or drops) the
    journal's details. Does nothing when no panel is open."""
    host = parent.window() if parent is not None else None
    panel = host.findChild(SafetyPanel) if host is not None else _orphan_panel()
    if panel is not None and panel.isVisible() and panel.journal is not journal:
        panel.set_journal(journal)


def refresh_open_panels() -> None:
    """After the country setting changed: every visible panel shows the new country."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, SafetyPanel) and widget.isVisible():
            widget.rebuild()


_ORPHANS: list[SafetyPanel] = []  # a panel without a parent window is kept alive here


def _orphan_panel() -> SafetyPanel | None:
    return _ORPHANS[0] if _ORPHANS else None
