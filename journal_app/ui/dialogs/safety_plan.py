"""Editing the safety plan and the care team's numbers, both kept inside the journal."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.care_settings import (
    CareContacts,
    ExtraCrisisLine,
    SafetyPlan,
    load_care_contacts,
    load_extra_line,
    load_safety_plan,
    save_care_contacts,
    save_extra_line,
    save_safety_plan,
)
from journal_app.ui import messages

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def bold(label: QLabel) -> None:
    """Headings inside cards: bold in the label's own font (stylesheets would reset it)."""
    font = label.font()
    font.setBold(True)
    label.setFont(font)


def plan_sections() -> list[tuple[str, str, str]]:
    """(field, title, hint) for each section of the plan, in the order they are shown."""
    return [
        (
            "warning_signs",
            translate("SafetyPlan", "Warning signs"),
            translate(
                "SafetyPlan",
                "Thoughts, feelings, situations or moods that tell me a hard time may be coming.",
            ),
        ),
        (
            "coping",
            translate("SafetyPlan", "Things I can do on my own"),
            translate(
                "SafetyPlan",
                "What calms me or takes my mind off things, without contacting anyone.",
            ),
        ),
        (
            "people_places",
            translate("SafetyPlan", "People and places that help"),
            translate(
                "SafetyPlan", "Where I can go and who I can be around for company or distraction."
            ),
        ),
        (
            "people_to_ask",
            translate("SafetyPlan", "People I can ask for help"),
            translate("SafetyPlan", "Names and numbers of people I can tell that I'm struggling."),
        ),
        (
            "professionals",
            translate("SafetyPlan", "Professionals and services"),
            translate(
                "SafetyPlan", "Doctors, counsellors, my clinic, crisis lines — with their numbers."
            ),
        ),
        (
            "safer_space",
            translate("SafetyPlan", "Making my space safer"),
            translate(
                "SafetyPlan", "Things I can put away, or ask someone to keep for me, for a while."
            ),
        ),
    ]


class SafetyPlanDialog(QDialog):
    """Loads from the journal when built; :meth:`save` writes back. Cancelling with unsaved
    changes asks first, so a stray key doesn't lose what was written."""

    saved = Signal()

    def __init__(self, journal: OpenJournal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.setWindowTitle(self.tr("Safety plan and contacts"))
        self.resize(640, 760)
        self.contact_fields: dict[str, QLineEdit] = {}
        self.section_fields: dict[str, QPlainTextEdit] = {}

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(28, 24, 28, 16)
        column.setSpacing(12)
        heading = QLabel(self.tr("Your safety plan"), content)
        heading.setObjectName("heading")
        column.addWidget(heading)
        column.addWidget(
            self._quiet(
                self.tr(
                    "In your own words; fill in only what helps. It is kept inside your encrypted "
                    "journal and nobody sees it unless you export it."
                ),
                content,
            )
        )
        column.addWidget(self._contacts_form(content))
        for field_name, title, hint in plan_sections():
            column.addLayout(self._section(field_name, title, hint, content))
        column.addWidget(self._extra_line_form(content))
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)

        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("primary")
        self.save_button.setAccessibleName(self.tr("Save the safety plan"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel without saving"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(28, 0, 28, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 16)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.load()

    # ------------------------------------------------------------------ building
    def _line(self, accessible: str, parent: QWidget) -> QLineEdit:
        line = QLineEdit(parent)
        line.setAccessibleName(accessible)
        line.textEdited.connect(self._edited)
        return line

    @staticmethod
    def _quiet(text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setObjectName("quietLabel")
        label.setWordWrap(True)
        return label

    def _contacts_form(self, parent: QWidget) -> QFrame:
        card = QFrame(parent)
        card.setObjectName("card")
        form = QFormLayout(card)
        form.setContentsMargins(20, 16, 20, 16)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        title = QLabel(self.tr("Your care team"), card)
        bold(title)
        form.addRow(title)
        for key, label, accessible in (
            ("clinic_name", self.tr("Clinic"), self.tr("Clinic name")),
            ("clinic_phone", self.tr("Clinic phone"), self.tr("Clinic phone number")),
            ("therapist_name", self.tr("Therapist"), self.tr("Therapist name")),
            ("therapist_phone", self.tr("Therapist phone"), self.tr("Therapist phone number")),
        ):
            line = self._line(accessible, card)
            if key.endswith("phone"):
                line.setPlaceholderText(self.tr("e.g. 555 010 2000"))
            self.contact_fields[key] = line
            form.addRow(label, line)
        return card

    def _section(self, field_name: str, title: str, hint: str, parent: QWidget) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(4)
        title_label = QLabel(title, parent)
        bold(title_label)
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setAccessibleName(title)
        editor.setAccessibleDescription(hint)
        editor.setFixedHeight(96)
        editor.textChanged.connect(self._edited)
        title_label.setBuddy(editor)
        self.section_fields[field_name] = editor
        box.addWidget(title_label)
        box.addWidget(self._quiet(hint, parent))
        box.addWidget(editor)
        return box

    def _extra_line_form(self, parent: QWidget) -> QFrame:
        card = QFrame(parent)
        card.setObjectName("card")
        form = QFormLayout(card)
        form.setContentsMargins(20, 16, 20, 16)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        title = QLabel(self.tr("Another crisis line (optional)"), card)
        bold(title)
        form.addRow(title)
        form.addRow(
            self._quiet(
                self.tr(
                    "The help panel lists US services. If you live elsewhere, or have a local line "
                    "you trust, add it here and it will be listed too."
                ),
                card,
            )
        )
        self.extra_name = self._line(self.tr("Name of another crisis line"), card)
        self.extra_phone = self._line(self.tr("Phone number of another crisis line"), card)
        form.addRow(self.tr("Name"), self.extra_name)
        form.addRow(self.tr("Phone"), self.extra_phone)
        return card

    # ------------------------------------------------------------------ data
    def load(self) -> None:
        repo = self.journal.repo
        contacts = load_care_contacts(repo)
        for key, line in self.contact_fields.items():
            line.setText(getattr(contacts, key))
        plan = load_safety_plan(repo)
        for key, editor in self.section_fields.items():
            editor.setPlainText(getattr(plan, key))
        extra = load_extra_line(repo)
        self.extra_name.setText(extra.name)
        self.extra_phone.setText(extra.phone)
        self.dirty = False

    def _edited(self) -> None:
        self.dirty = True

    def contacts(self) -> CareContacts:
        return CareContacts(
            **{f.name: self.contact_fields[f.name].text().strip() for f in fields(CareContacts)}
        )

    def plan(self) -> SafetyPlan:
        return SafetyPlan(
            **{
                f.name: self.section_fields[f.name].toPlainText().strip()
                for f in fields(SafetyPlan)
            }
        )

    def save(self) -> None:
        repo = self.journal.repo
        save_care_contacts(repo, self.contacts())
        save_safety_plan(repo, self.plan())
        phone = self.extra_phone.text().strip()
        save_extra_line(
            repo,
            ExtraCrisisLine(self.extra_name.text().strip(), phone),
            self.tr("Call %1").replace("%1", phone),
        )
        self.journal.save_soon()
        self.dirty = False
        self.saved.emit()
        self.accept()

    def reject(self) -> None:
        if self.dirty and not messages.confirm(
            self,
            self.tr("Unsaved changes"),
            self.tr("Close without saving what you changed in your safety plan?"),
            self.tr("Close without saving"),
            self.tr("Keep editing"),
        ):
            return
        self.discard()

    def discard(self) -> None:
        """Close without saving and empty every field (used on lock)."""
        for line in (*self.contact_fields.values(), self.extra_name, self.extra_phone):
            line.clear()
        for editor in self.section_fields.values():
            editor.clear()
        self.dirty = False
        super().reject()
