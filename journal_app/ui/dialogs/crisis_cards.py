"""The safety panel's building blocks: the cards of the public crisis services (the
emergency number as one strip, each service as a card of contact buttons), the note of when
the list was last reviewed, and the card and label every section of the panel uses.

The panel makes the contact buttons itself (it keeps them and opens their links), so the
builders here take its button maker. Service texts come from the bundled resource file and
are translated like the app's own strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.safety import CrisisResource, CrisisResources
from journal_app.ui.dialogs.safety_plan import bold

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

#: Makes one contact button: (text, link, accessible name, parent) → the button.
ButtonMaker = Callable[[str, str, str, QWidget], QPushButton]

_PHONE_JUNK = re.compile(r"[^\d+*#]")


def phone_uri(number: str) -> str:
    """A tel: link for a number as people write it ("(555) 010-2000" → tel:5550102000)."""
    return "tel:" + _PHONE_JUNK.sub("", number)


def tr_data(text: str) -> str:
    """Texts from the bundled resource file, translatable like the app's own strings."""
    return QCoreApplication.translate("crisis_resources", text)


def text_label(text: str, parent: QWidget, name: str = "", *, rich: bool = False) -> QLabel:
    """A wrapping, selectable label (numbers can be copied from it)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def titled_card(parent: QWidget, title: str) -> tuple[QFrame, QVBoxLayout]:
    """A titled card of the panel and the layout to fill it."""
    frame = QFrame(parent)
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 16, 20, 16)
    layout.setSpacing(8)
    layout.addWidget(text_label(title, frame, "cardTitle"))
    return frame, layout


def contact_button(text: str, uri: str, accessible: str, parent: QWidget) -> QPushButton:
    """A button for one way to reach someone; its link is its tooltip and ``uri`` property."""
    button = QPushButton(text, parent)
    button.setAutoDefault(False)
    button.setAccessibleName(accessible)
    button.setToolTip(uri)
    button.setProperty("uri", uri)
    return button


class FlowRow:
    """Contact buttons two to a line, so long labels never squeeze into unreadable widths."""

    def __init__(self) -> None:
        self.layout = QGridLayout()
        self.layout.setHorizontalSpacing(8)
        self.layout.setVerticalSpacing(8)
        self.layout.setColumnStretch(2, 1)
        self._count = 0

    def add(self, button: QPushButton) -> None:
        self.layout.addWidget(button, self._count // 2, self._count % 2)
        self._count += 1


def resource_card(resource: CrisisResource, parent: QWidget, make: ButtonMaker) -> QFrame:
    """One service: its name, what it offers, and a button for each way to reach it."""
    name = tr_data(resource.name)
    frame, layout = titled_card(parent, name)
    if resource.summary:
        layout.addWidget(text_label(tr_data(resource.summary), frame))
    row = FlowRow()
    for contact in resource.contacts:
        label = tr_data(contact.label)
        row.add(make(label, contact.uri, f"{name}: {label}", frame))
    layout.addLayout(row.layout)
    return frame


def emergency_strip(resource: CrisisResource, parent: QWidget, make: ButtonMaker) -> QFrame:
    """The emergency number as one short, outlined line, in sight on any screen."""
    name = tr_data(resource.name)
    strip = QFrame(parent)
    strip.setObjectName("emergencyCard")
    strip.setAccessibleName(name)
    strip.setStyleSheet(
        "QFrame#emergencyCard { background: palette(base); border: 2px solid palette(link);"
        " border-radius: 14px; }")
    layout = QHBoxLayout(strip)
    layout.setContentsMargins(20, 12, 16, 12)
    layout.setSpacing(8)
    text = text_label(tr_data(resource.summary or resource.name), strip, "emergencyText")
    bold(text)
    layout.addWidget(text, 1)
    for contact in resource.contacts:
        label = tr_data(contact.label)
        layout.addWidget(make(label, contact.uri, f"{name}: {label}", strip),
                         0, Qt.AlignmentFlag.AlignVCenter)
    return strip


def reviewed_note(resources: CrisisResources, parent: QWidget) -> QLabel:
    """Which country's services these are and when the list was last checked."""
    reviewed = resources.last_reviewed
    when = QLocale().toString(QDate(reviewed.year, reviewed.month, reviewed.day),
                              QLocale.FormatType.LongFormat)
    if resources.get("find-a-helpline") is None:
        text = translate("SafetyPanel", "Crisis services listed for %1, last reviewed %2.")
    elif resources.emergency and resources.emergency[0].contacts:
        text = translate("SafetyPanel", "For %1 this app lists the emergency number and a "
                                        "directory of helplines, last reviewed %2.")
    else:
        text = translate("SafetyPanel", "Directory of helplines last reviewed %2.")
    text = text.replace("%1", tr_data(resources.country_name)).replace("%2", when)
    if resources.review_due():
        text += " " + translate("SafetyPanel", "Numbers can change; it has been over a year, "
                                               "so please check them with the services "
                                               "themselves.")
    return text_label(text, parent, "quietLabel")
