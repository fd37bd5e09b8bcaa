"""The prompt flow's building blocks.

* One answer widget per prompt answer type: free text, a 0-10 scale, a checklist, a single
  choice. Each shows a prompt's options in the words the flow translated, reports edits
  with ``changed`` and gives its answer in the form ``Prompt.check_answer`` expects.
* The wording around a flow (entry titles, section names, session labels), shared with the
  session day card, and the care repositories over an open journal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import TreatmentSession, local
from journal_app.domain.prompts import SCALE_MAX, SCALE_MIN, Answer, AnswerType, Prompt
from journal_app.domain.session_prep import PREPARATION_STEP, Section

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

Translate = Callable[[str], str]


#: Colours come from the palette the theme set, so light and dark both work.
def answer_style() -> str:
    muted = QApplication.palette().color(QPalette.ColorRole.PlaceholderText).name()
    return f"""
    QPushButton#scaleButton {{ min-width: 40px; max-width: 40px; min-height: 40px;
        max-height: 40px; padding: 0; border-radius: 20px; }}
    QPushButton#scaleButton:checked {{ background: palette(link); color: palette(base);
        font-weight: 600; border: none; }}
    QPushButton#scaleButton:checked:focus {{ border: 3px solid palette(text); }}
    QCheckBox, QRadioButton {{ spacing: 12px; padding: 6px 8px; border-radius: 6px; }}
    QCheckBox::indicator, QRadioButton::indicator {{ width: 20px; height: 20px; }}
    QCheckBox:focus, QRadioButton:focus {{ background: palette(highlight); color: palette(text); }}
    QPushButton#linkButton {{ color: {muted}; padding: 4px 8px; }}
    QPushButton#linkButton:focus {{ color: palette(link); }}
    """


def is_blank(answer: Answer) -> bool:
    """Nothing given yet: no choice, no tick, no words."""
    return answer is None or answer == [] or (isinstance(answer, str) and not answer.strip())


class AnswerWidget(QWidget):
    """The common shape: ``value()``, ``set_value()``, ``focus_answer()``, ``changed``."""

    changed = Signal()

    def __init__(self, prompt: Prompt, translate: Translate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt = prompt
        self.translate = translate
        self.setAccessibleName(translate(prompt.title))
        self.setAccessibleDescription(self.description())

    def description(self) -> str:
        """The question and its hint, for screen readers."""
        parts = [self.translate(self.prompt.question), self.translate(self.prompt.help)]
        return " ".join(part for part in parts if part)

    def value(self) -> Answer:
        raise NotImplementedError

    def set_value(self, value: Answer) -> None:
        raise NotImplementedError

    def focus_answer(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def controls(self) -> list[QWidget]:
        """The widgets that take the focus, in reading order (for the tab chain)."""
        return [self]


class TextAnswer(AnswerWidget):
    def __init__(self, prompt: Prompt, translate: Translate, parent: QWidget | None = None) -> None:
        super().__init__(prompt, translate, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setAccessibleName(translate(prompt.title))
        self.edit.setAccessibleDescription(self.description())
        if prompt.placeholder:
            self.edit.setPlaceholderText(translate(prompt.placeholder))
        self.edit.setMinimumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Answer:
        return self.edit.toPlainText()

    def set_value(self, value: Answer) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(value if isinstance(value, str) else "")
        self.edit.blockSignals(False)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)

    def focus_answer(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def controls(self) -> list[QWidget]:
        return [self.edit]


class _GroupAnswer(AnswerWidget):
    """Buttons in an exclusive group: nothing is chosen until the person chooses, and a
    "Clear" link takes a choice back (an exclusive group can't be unchecked otherwise)."""

    def __init__(self, prompt: Prompt, translate: Translate, parent: QWidget | None = None) -> None:
        super().__init__(prompt, translate, parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.buttonToggled.connect(self._toggled)
        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.setObjectName("linkButton")
        self.clear_button.setAccessibleName(self.tr("Clear the answer"))
        self.clear_button.clicked.connect(self._clear)
        self.clear_button.hide()

    def _toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self.clear_button.show()
            self.changed.emit()

    def _clear(self) -> None:
        self._check(None)
        self.focus_answer()
        self.changed.emit()

    def _check(self, button: QAbstractButton | None) -> None:
        self.group.blockSignals(True)
        self.group.setExclusive(False)
        for other in self.group.buttons():
            other.setChecked(other is button)
        self.group.setExclusive(True)
        self.group.blockSignals(False)
        self.clear_button.setVisible(button is not None)

    def focus_answer(self) -> None:
        target = self.group.checkedButton() or self.group.buttons()[0]
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def controls(self) -> list[QWidget]:
        return [*self.group.buttons(), self.clear_button]


class ScaleAnswer(_GroupAnswer):
    """0 to 10 as a row of round buttons, with what the ends mean below them.

    Arrow keys move along the row; a digit key picks 0-9 directly.
    """

    def __init__(self, prompt: Prompt, translate: Translate, parent: QWidget | None = None) -> None:
        super().__init__(prompt, translate, parent)
        low = translate(prompt.low_label) if prompt.low_label else ""
        high = translate(prompt.high_label) if prompt.high_label else ""
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 8, 0, 0)
        grid.setHorizontalSpacing(6)
        for number in range(SCALE_MIN, SCALE_MAX + 1):
            button = QPushButton(str(number), self)
            button.setObjectName("scaleButton")
            button.setCheckable(True)
            button.setAccessibleName(self._spoken(number, low, high))
            self.group.addButton(button, number)
            grid.addWidget(button, 0, number)
        for text, column, align in (
            (low, 0, Qt.AlignmentFlag.AlignLeft),
            (high, SCALE_MAX - 2, Qt.AlignmentFlag.AlignRight),
        ):
            if text:
                label = QLabel(text, self)
                label.setObjectName("quietLabel")
                grid.addWidget(label, 1, column, 1, 3, align)
        grid.addWidget(self.clear_button, 2, 0, 1, 3, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(SCALE_MAX + 1, 1)

    def _spoken(self, number: int, low: str, high: str) -> str:
        text = self.tr("%1 out of 10").replace("%1", str(number))
        end = low if number == SCALE_MIN else high if number == SCALE_MAX else ""
        return f"{text}, {end}" if end else text

    def value(self) -> Answer:
        chosen = self.group.checkedId()
        return chosen if chosen >= SCALE_MIN else None

    def set_value(self, value: Answer) -> None:
        button = self.group.button(value) if isinstance(value, int) else None
        self._check(button)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and len(text) == 1:
            button = self.group.button(int(text))
            button.setFocus(Qt.FocusReason.ShortcutFocusReason)
            button.setChecked(True)
            return
        super().keyPressEvent(event)


class ChoiceAnswer(_GroupAnswer):
    def __init__(self, prompt: Prompt, translate: Translate, parent: QWidget | None = None) -> None:
        super().__init__(prompt, translate, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self._ids: list[str] = []
        for index, option in enumerate(prompt.options):
            button = QRadioButton(translate(option.label), self)
            button.setAccessibleName(translate(option.label))
            self.group.addButton(button, index)
            self._ids.append(option.id)
            layout.addWidget(button)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignLeft)

    def value(self) -> Answer:
        chosen = self.group.checkedId()
        return self._ids[chosen] if chosen >= 0 else None

    def set_value(self, value: Answer) -> None:
        index = self._ids.index(value) if value in self._ids else -1
        self._check(self.group.button(index) if index >= 0 else None)


class ChecklistAnswer(AnswerWidget):
    def __init__(self, prompt: Prompt, translate: Translate, parent: QWidget | None = None) -> None:
        super().__init__(prompt, translate, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for option in prompt.options:
            box = QCheckBox(translate(option.label), self)
            box.setAccessibleName(translate(option.label))
            box.toggled.connect(self.changed)
            self.boxes[option.id] = box
            layout.addWidget(box)

    def value(self) -> Answer:
        return [option_id for option_id, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Answer) -> None:
        ticked = value if isinstance(value, list) else []
        for option_id, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(option_id in ticked)
            box.blockSignals(False)

    def focus_answer(self) -> None:
        next(iter(self.boxes.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def controls(self) -> list[QWidget]:
        return list(self.boxes.values())


_WIDGETS: dict[AnswerType, type[AnswerWidget]] = {
    AnswerType.TEXT: TextAnswer,
    AnswerType.SCALE: ScaleAnswer,
    AnswerType.SINGLE_CHOICE: ChoiceAnswer,
    AnswerType.CHECKLIST: ChecklistAnswer,
}


def answer_widget(
    prompt: Prompt, translate: Translate, parent: QWidget | None = None
) -> AnswerWidget:
    """The widget for ``prompt``'s answer type."""
    widget = _WIDGETS[prompt.answer_type](prompt, translate, parent)
    widget.setStyleSheet(answer_style())
    return widget


# ---------------------------------------------------------------------------- wording


def translate_prompt(text: str) -> str:
    """The library's English wording in the user's language (context "prompts")."""
    return QCoreApplication.translate("prompts", text) if text else text


def session_label(session: TreatmentSession) -> str:
    """ "session 3", or "the session on <date>" for an unnumbered one."""
    if session.number:
        return translate("PromptFlow", "session %1").replace("%1", str(session.number))
    day = QLocale().toString(local(session.starts_at).date(), QLocale.FormatType.LongFormat)
    return translate("PromptFlow", "the session on %1").replace("%1", day)


def when_text(session: TreatmentSession) -> str:
    """The session's day and time in the local time zone, e.g. "Tuesday, 4 March 2025, 10:00"."""
    start = local(session.starts_at)
    locale = QLocale()
    return (
        translate("PromptFlow", "%1, %2")
        .replace("%1", locale.toString(start.date(), QLocale.FormatType.LongFormat))
        .replace("%2", locale.toString(start.time(), QLocale.FormatType.ShortFormat))
    )


def step_title(step: str, session: TreatmentSession) -> str:
    """A readable title for a step's entry, e.g. "Preparation for session 3"."""
    templates = {
        PREPARATION_STEP: translate("PromptFlow", "Preparation for %1"),
        "day0": translate("PromptFlow", "The evening after %1"),
        "day1": translate("PromptFlow", "Day 1 after %1"),
        "day3": translate("PromptFlow", "Day 3 after %1"),
        "week1": translate("PromptFlow", "One week after %1"),
        "before_next": translate("PromptFlow", "Looking ahead from %1"),
    }
    template = templates.get(step, translate("PromptFlow", "Reflection on %1"))
    return template.replace("%1", session_label(session))


def section_name(section: Section) -> str:
    return {
        Section.INTENTION: translate("PromptFlow", "Intention"),
        Section.SET: translate("PromptFlow", "Set: your mindset"),
        Section.SETTING: translate("PromptFlow", "Setting: your surroundings"),
        Section.LOGISTICS: translate("PromptFlow", "Practical things and safety"),
        Section.RATINGS: translate("PromptFlow", "A quick check-in"),
    }[section]


def plain_label(parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def flow_style() -> str:
    muted = QApplication.palette().color(QPalette.ColorRole.PlaceholderText).name()
    size = QApplication.font().pointSizeF()
    size = size if size > 0 else 12
    return f"""
    QLabel#flowTitle {{ font-size: {round(size * 1.5)}pt; font-weight: 600; }}
    QLabel#flowQuestion {{ font-size: {round(size * 1.25)}pt; }}
    QLabel#flowSection {{ color: palette(link); font-weight: 600; }}
    QLabel#flowNote {{ background: palette(base); border: none;
        border-left: 4px solid palette(link); padding: 10px 14px; }}
    QPushButton:disabled {{ color: {muted}; border-color: palette(highlight);
        background: transparent; }}
    QProgressBar {{ border: none; background: palette(highlight); border-radius: 3px; }}
    QProgressBar::chunk {{ background: palette(link); border-radius: 3px; }}
    """
