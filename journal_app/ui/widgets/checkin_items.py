"""One questionnaire item as one keyboard-friendly row (used by the check-in dialog).

The row, not each choice, takes focus: a number key answers, Left/Right change the
answer, Up/Down/Enter move between rows. Choice buttons are for the mouse. Screen readers
hear "Item 3 of 9: <wording>. Answer: 1, Several days" from the row's accessible name.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout

from journal_app.domain.measures import Item, Measure
from journal_app.ui.labels import tr_measure

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def measure_summary(measure: Measure) -> str:
    """What a check-in asks, in a few words ("9 questions about the last 2 weeks")."""
    count = len(measure.items)
    if count == 1:
        return translate("CheckIn", "One question about %1").replace(
            "%1", tr_measure(measure.recall)
        )
    return translate("CheckIn", "%n questions about %1", None, count).replace(
        "%1", tr_measure(measure.recall)
    )


class ItemRow(QFrame):
    answered = Signal()
    answered_by_key = Signal()  # a number key gave the answer: move on to the next open item
    move_requested = Signal(int)  # +1 next row, -1 previous row
    focused = Signal()

    def __init__(self, item: Item, count: int, parent: QFrame | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.count = count
        self.value: int | None = None
        self._waiting_for_ten = False
        self.setObjectName("itemRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        scale = item.scale
        self.setAccessibleDescription(
            translate(
                "CheckIn",
                "Type %1 to %2 to answer; arrow keys change the answer or move between questions.",
            )
            .replace("%1", str(scale.minimum))
            .replace("%2", str(scale.maximum))
        )
        self.text = QLabel(f"{item.number}. {tr_measure(item.text)}", self)
        self.text.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.buttons: dict[int, QPushButton] = {}
        self.choices = QGridLayout()
        self.choices.setSpacing(6)
        self._columns = 0
        for value in scale.values:
            button = QPushButton(self._choice_text(value), self)
            button.setObjectName("choice")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row is the tab stop
            button.setAccessibleName(self._choice_name(value))
            button.clicked.connect(lambda _=False, v=value: self._clicked(v))
            self.group.addButton(button, value)
            self.buttons[value] = button
        self.setMinimumWidth(260)  # the choices rearrange instead of forcing a wide row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(8)
        layout.addWidget(self.text)
        layout.addLayout(self.choices)
        if not scale.fully_labelled and scale.labels:
            anchors = QLabel(
                "   ·   ".join(f"{v} = {tr_measure(t)}" for v, t in scale.labels), self
            )
            anchors.setObjectName("quietLabel")
            anchors.setWordWrap(True)
            layout.addWidget(anchors)
        self._update_name()
        self._arrange(len(self.buttons))

    # ------------------------------------------------------------------ layout
    def _arrange(self, columns: int) -> None:
        """Choices in ``columns`` columns, reading left to right, then down."""
        if columns == self._columns:
            return
        self._columns = columns
        for button in self.buttons.values():
            self.choices.removeWidget(button)
        for index, button in enumerate(self.buttons.values()):
            self.choices.addWidget(button, index // columns, index % columns)
        labelled = self.item.scale.fully_labelled
        for column in range(len(self.buttons)):
            self.choices.setColumnStretch(column, 1 if labelled and column < columns else 0)
        self.choices.setColumnStretch(len(self.buttons), 0 if labelled else 1)

    def _columns_for(self, width: int) -> int:
        """All choices on one line when they fit, else half as many per line, and so on."""
        widest = max(b.sizeHint().width() for b in self.buttons.values()) + 12
        count = len(self.buttons)
        columns = count
        while columns > 1 and widest * columns > width:
            columns = -(-columns // 2)
        return columns

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        margins = self.layout().contentsMargins()
        self._arrange(self._columns_for(event.size().width() - margins.left() - margins.right()))

    def _choice_text(self, value: int) -> str:
        label = self.item.scale.label_for(value)
        if self.item.scale.fully_labelled and label:
            return f"{value}  {tr_measure(label)}"
        return str(value)

    def _choice_name(self, value: int) -> str:
        label = self.item.scale.label_for(value)
        answer = f"{value}, {tr_measure(label)}" if label else str(value)
        return (
            translate("CheckIn", "Item %1 of %2: %3")
            .replace("%1", str(self.item.number))
            .replace("%2", str(self.count))
            .replace("%3", answer)
        )

    def _update_name(self) -> None:
        head = (
            translate("CheckIn", "Item %1 of %2: %3")
            .replace("%1", str(self.item.number))
            .replace("%2", str(self.count))
            .replace("%3", tr_measure(self.item.text))
        )
        if self.value is None:
            answer = translate("CheckIn", "Not answered yet.")
        else:
            label = self.item.scale.label_for(self.value)
            shown = f"{self.value}, {tr_measure(label)}" if label else str(self.value)
            answer = translate("CheckIn", "Answer: %1.").replace("%1", shown)
        self.setAccessibleName(f"{head}. {answer}")

    # ------------------------------------------------------------------ answering
    def set_value(self, value: int | None) -> None:
        if value is not None and value not in self.item.scale.values:
            return
        self.value = value
        if value is None:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[value].setChecked(True)
        self._update_name()
        self.answered.emit()

    def clear(self) -> None:
        self.set_value(None)

    def _clicked(self, value: int) -> None:
        self.set_value(value)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self._digit(key - Qt.Key.Key_0)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._step(-1 if key == Qt.Key.Key_Left else 1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.move_requested.emit(1)
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.clear()
        else:
            self._waiting_for_ten = False
            super().keyPressEvent(event)
            return
        event.accept()

    def _digit(self, digit: int) -> None:
        scale = self.item.scale
        if self._waiting_for_ten and digit == 0 and 10 in scale.values:
            self._waiting_for_ten = False
            self.set_value(10)
            self.answered_by_key.emit()
            return
        self._waiting_for_ten = False
        if digit not in scale.values:
            return
        self.set_value(digit)
        if digit == 1 and 10 in scale.values:
            self._waiting_for_ten = True  # "1" may be the start of "10": stay here
            return
        self.answered_by_key.emit()

    def _step(self, step: int) -> None:
        self._waiting_for_ten = False
        scale = self.item.scale
        start = (
            self.value
            if self.value is not None
            else (scale.minimum - 1 if step > 0 else scale.maximum + 1)
        )
        target = min(max(start + step, scale.minimum), scale.maximum)
        self.set_value(target)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._waiting_for_ten = False
        super().focusOutEvent(event)
