"""The check-in flow: choose a measure, answer every item by keyboard or mouse, see the result.

Each item is one focusable row: a number key answers it and moves on (0-3 for PHQ-9 and
GAD-7; on a 0-10 scale "1" waits for a possible "0"), arrows move between items and
change the answer, Enter moves on. Finish is enabled only when every item is answered, and
the dialog names the items still open. A PHQ-9 item-9 answer above 0 opens the safety
panel at once, before anything else happens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.checkin_session import default_session
from journal_app.domain.entities import now
from journal_app.domain.measures import CheckIn, Measure, Score
from journal_app.ui import messages
from journal_app.ui.dialogs.checkin_result import result_text
from journal_app.ui.dialogs.safety_panel import SafetyPanel, open_safety_panel
from journal_app.ui.labels import session_text, tr_measure
from journal_app.ui.widgets.checkin_items import ItemRow, measure_summary

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal


def _style(palette: QPalette) -> str:
    """Row and choice styles in the palette's colours: a faint border, a clear focus ring."""
    text = palette.color(QPalette.ColorRole.Text)
    faint = f"rgba({text.red()}, {text.green()}, {text.blue()}, 50)"
    return f"""
QFrame#itemRow {{ border: 1px solid {faint}; border-radius: 10px; }}
QFrame#itemRow:focus {{ border: 2px solid palette(link); background: palette(highlight); }}
QPushButton#choice {{ padding: 6px 10px; }}
QPushButton#choice:checked {{ background: palette(link); color: palette(base);
    font-weight: 600; border: none; }}
QPushButton#measureChoice {{ text-align: left; padding: 14px 18px; }}
"""


class CheckInDialog(QDialog):
    """Non-modal. ``measure_id`` opens that measure directly; otherwise the user picks."""

    safety_panel_requested = Signal()
    check_in_stored = Signal(object)  # the stored CheckIn

    def __init__(
        self,
        journal: OpenJournal,
        measures: Mapping[str, Measure],
        measure_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.measures = dict(measures)
        self.measure: Measure | None = None
        self.rows: list[ItemRow] = []
        self.stored: CheckIn | None = None
        self.score: Score | None = None
        self.safety_panel: SafetyPanel | None = None
        self.setWindowTitle(self.tr("Check-in"))
        self.setStyleSheet(_style(self.palette()))
        self.resize(760, 780)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._choice_page())
        self.questions = QWidget(self)
        self.stack.addWidget(self.questions)
        self.stack.addWidget(self._result_page())
        self.help_button = QPushButton(self.tr("I need help now"), self)
        self.help_button.setObjectName("linkButton")
        self.help_button.setAutoDefault(False)
        self.help_button.setAccessibleName(self.tr("I need help now: show crisis contacts"))
        self.help_button.clicked.connect(self.request_safety_panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignLeft)
        if measure_id is not None:
            self.choose(measure_id)

    # ------------------------------------------------------------------ choosing
    def _choice_page(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(32, 28, 32, 12)
        column.setSpacing(12)
        heading = QLabel(self.tr("New check-in"), page)
        heading.setObjectName("heading")
        column.addWidget(heading)
        column.addWidget(QLabel(self.tr("Which one would you like to do?"), page))
        self.measure_buttons: dict[str, QPushButton] = {}
        for measure in self.measures.values():
            text = f"{tr_measure(measure.title)}\n{measure_summary(measure)}"
            button = QPushButton(text, page)
            button.setObjectName("measureChoice")
            button.setAccessibleName(text.replace("\n", ", "))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, m=measure.id: self.choose(m))
            self.measure_buttons[measure.id] = button
            column.addWidget(button)
        column.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"), page)
        cancel.setAccessibleName(self.tr("Cancel: no check-in now"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        column.addWidget(cancel, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def choose(self, measure_id: str) -> None:
        """Show the questions of ``measure_id``."""
        self.measure = self.measures[measure_id]
        self.setWindowTitle(self.tr("Check-in: %1").replace("%1", self.measure.name))
        page = self._question_page(self.measure)
        self.stack.insertWidget(1, page)
        self.stack.removeWidget(self.questions)
        self.questions.deleteLater()
        self.questions = page
        self.stack.setCurrentWidget(page)
        self._update_finish()
        if self.rows:
            self.rows[0].setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ questions
    def _question_page(self, measure: Measure) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(32, 24, 32, 8)
        column.setSpacing(10)
        heading = QLabel(tr_measure(measure.title), page)
        heading.setObjectName("heading")
        heading.setWordWrap(True)
        column.addWidget(heading)
        intro = QLabel(tr_measure(measure.instructions), page)
        intro.setWordWrap(True)
        column.addWidget(intro)
        hint = QLabel(self._keys_hint(measure), page)
        hint.setObjectName("quietLabel")
        hint.setWordWrap(True)
        column.addWidget(hint)
        column.addWidget(self._item_list(measure, page), 1)
        column.addLayout(self._extras(page))
        self.missing = QLabel(page)
        self.missing.setObjectName("quietLabel")
        self.missing.setWordWrap(True)
        self.missing.setAccessibleName(self.tr("Questions still to answer"))
        column.addWidget(self.missing)
        column.addLayout(self._question_buttons(page))
        return page

    def _keys_hint(self, measure: Measure) -> str:
        top = max(item.scale.maximum for item in measure.items)
        if len(measure.items) == 1 and top >= 10:
            return self.tr(
                "Type a number from 0 to %1 (for 10, type 1 then 0), or click one."
            ).replace("%1", str(top))
        if len(measure.items) == 1:
            return self.tr("Type a number from 0 to %1, or click one.").replace("%1", str(top))
        if top >= 10:
            return self.tr(
                "Type a number to answer (for 10, type 1 then 0). Enter or the "
                "arrow keys move between questions."
            )
        return self.tr(
            "Type a number from 0 to %1 to answer and move on, or click a "
            "choice. Arrow keys move between questions."
        ).replace("%1", str(top))

    def _item_list(self, measure: Measure, page: QWidget) -> QScrollArea:
        self.scroll = QScrollArea(page)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        rows = QVBoxLayout(inner)
        rows.setSpacing(8)
        self.rows = [ItemRow(item, len(measure.items), inner) for item in measure.items]
        for index, row in enumerate(self.rows):
            row.answered.connect(self._update_finish)
            row.move_requested.connect(lambda step, i=index: self._move(i, step))
            row.answered_by_key.connect(lambda i=index: self._advance(i))
            row.focused.connect(lambda r=row: self.scroll.ensureWidgetVisible(r, 8, 24))
            rows.addWidget(row)
        rows.addStretch(1)
        self.scroll.setWidget(inner)
        return self.scroll

    def _extras(self, page: QWidget) -> QFormLayout:
        form = QFormLayout()
        self.session_box = QComboBox(page)
        self.session_box.setAccessibleName(self.tr("Treatment session (optional)"))
        self.session_box.addItem(self.tr("Not linked to a session"), None)
        sessions = sorted(
            self.journal.repo.list_sessions(), key=lambda s: s.starts_at, reverse=True
        )
        for session in sessions:
            self.session_box.addItem(session_text(session), session.id)
        chosen = default_session(sessions, now())
        if chosen is not None:
            self.session_box.setCurrentIndex(self.session_box.findData(chosen.id))
        self.note = QLineEdit(page)
        self.note.setAccessibleName(self.tr("Note (optional)"))
        self.note.setPlaceholderText(self.tr("Anything you'd like to remember about today"))
        form.addRow(self.tr("Session"), self.session_box)
        form.addRow(self.tr("Note"), self.note)
        return form

    def _question_buttons(self, page: QWidget) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("Choose another"), page)
        self.back_button.setAccessibleName(self.tr("Back to the list of check-ins"))
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        self.cancel_button = QPushButton(self.tr("Cancel"), page)
        self.cancel_button.setAccessibleName(self.tr("Cancel this check-in"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.finish_button = QPushButton(self.tr("Finish"), page)
        self.finish_button.setObjectName("primary")
        self.finish_button.setAccessibleName(self.tr("Finish and save the check-in"))
        self.finish_button.setAutoDefault(False)
        self.finish_button.clicked.connect(self.finish)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.finish_button)
        return buttons

    def _move(self, index: int, step: int) -> None:
        target = index + step
        if 0 <= target < len(self.rows):
            self.rows[target].setFocus(Qt.FocusReason.TabFocusReason)
        elif target >= len(self.rows):
            self._advance(index)

    def _advance(self, index: int) -> None:
        """After an answer: the next open item after this one, else the first open one, else
        Finish."""
        open_rows = [i for i, row in enumerate(self.rows) if row.value is None]
        later = [i for i in open_rows if i > index]
        if later or open_rows:
            self.rows[(later or open_rows)[0]].setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.finish_button.setFocus(Qt.FocusReason.TabFocusReason)

    def answers(self) -> list[int | None]:
        return [row.value for row in self.rows]

    def missing_items(self) -> list[int]:
        return [row.item.number for row in self.rows if row.value is None]

    def _update_finish(self) -> None:
        missing = self.missing_items()
        self.finish_button.setEnabled(bool(self.rows) and not missing)
        if not missing:
            self.missing.setText(self.tr("All answered. Finish saves this check-in."))
        elif len(missing) == len(self.rows):
            self.missing.setText(
                self.tr("Finish becomes available when every question has an answer.")
            )
        elif len(missing) <= 3:
            self.missing.setText(
                self.tr("Still to answer: %1.").replace(
                    "%1", ", ".join(self.tr("item %1").replace("%1", str(n)) for n in missing)
                )
            )
        else:
            self.missing.setText(
                self.tr("%1 questions still to answer, starting with item %2.")
                .replace("%1", str(len(missing)))
                .replace("%2", str(missing[0]))
            )

    # ------------------------------------------------------------------ finishing
    def finish(self) -> None:
        """Score, open the safety panel first if needed, then store and show the result."""
        if self.measure is None or self.missing_items():
            self._update_finish()
            return
        answers = [int(v) for v in self.answers() if v is not None]
        self.score = self.measure.score(answers)
        if self.score.safety_flag:
            self.request_safety_panel()
        repo = self.journal.check_ins
        first = next(iter(repo.list(self.measure.id)), None)
        check_in = self.measure.new_check_in(
            answers, session_id=self.session_box.currentData(), note=self.note.text().strip()
        )
        self.stored = repo.add(check_in)
        self.journal.save_soon()
        self._show_result(self.measure, self.score, first)
        self.check_in_stored.emit(self.stored)

    def request_safety_panel(self) -> None:
        """Open the safety panel now (non-modal) and tell whoever listens."""
        host = self.parentWidget() or self
        self.safety_panel = open_safety_panel(host, self.journal)
        self.safety_panel_requested.emit()

    def _result_page(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(32, 28, 32, 12)
        column.setSpacing(14)
        self.result_heading = QLabel(self.tr("Check-in saved"), page)
        self.result_heading.setObjectName("heading")
        self.result_text = QLabel(page)
        self.result_text.setWordWrap(True)
        self.result_text.setAccessibleName(self.tr("Your result"))
        self.result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.flag_text = QLabel(page)
        self.flag_text.setWordWrap(True)
        self.flag_text.setAccessibleName(self.tr("About the help panel"))
        self.show_help_button = QPushButton(self.tr("Show the help panel again"), page)
        self.show_help_button.setAccessibleName(self.tr("Show the help panel again"))
        self.show_help_button.setAutoDefault(False)
        self.show_help_button.clicked.connect(self.request_safety_panel)
        self.done_button = QPushButton(self.tr("Done"), page)
        self.done_button.setObjectName("primary")
        self.done_button.setAccessibleName(self.tr("Done: close the check-in"))
        self.done_button.setAutoDefault(False)
        self.done_button.clicked.connect(self.accept)
        for widget in (self.result_heading, self.result_text, self.flag_text):
            column.addWidget(widget)
        column.addWidget(self.show_help_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        column.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _show_result(self, measure: Measure, score: Score, first: CheckIn | None) -> None:
        self.result_text.setText(result_text(measure, score, first))
        flagged = score.safety_flag
        self.flag_text.setVisible(flagged)
        self.show_help_button.setVisible(flagged)
        if flagged:
            self.flag_text.setText(
                self.tr(
                    "One of your answers was about thoughts of being better off dead or of "
                    "hurting yourself. You don't have to carry that alone: the help panel is open, "
                    "with people you can reach right now."
                )
            )
        self.stack.setCurrentIndex(2)
        self.done_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ leaving
    def reject(self) -> None:
        answered = any(v is not None for v in self.answers())
        if (
            self.stored is None
            and answered
            and not messages.confirm(
                self,
                self.tr("Leave this check-in?"),
                self.tr("Your answers so far won't be saved."),
                self.tr("Leave without saving"),
                self.tr("Keep answering"),
            )
        ):
            return
        super().reject()

    def discard(self) -> None:
        """Close without asking and forget the answers (the journal is locking)."""
        for row in self.rows:
            row.clear()
        if self.measure is not None:
            self.note.clear()
        super().reject()

