"""The prompt flow: one prompt at a time for a session's preparation or integration step.

Every move (Next, Back, Skip) and every pause in typing saves where the person is, so a
half-done flow can be closed at any moment and reopened at the same prompt with the answers
kept. Finish writes one readable entry (Markdown from the answers) plus the structured
answers with the wording they were given to, and marks the step done. Opening a done step
again edits that same entry.

On the evening after a session the first prompt also offers "Say it" and "Draw it"
(ui/dialogs/flow_capture.py): what is recorded or drawn is kept in memory until the flow
stores its entry, and leaving before that asks first.

``PromptFlow`` is embeddable; ``PromptFlowDialog`` (ui/dialogs/prompt_flow.py) is the
non-modal window around it.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.prompts import PromptLibrary, default_library
from journal_app.domain.session_prep import FlowState, section_of
from journal_app.domain.step_entry import offers_capture
from journal_app.errors import JournalError
from journal_app.ui.dialogs.flow_capture import CaptureBar, confirm_leaving
from journal_app.ui.dialogs.flow_store import FlowStore
from journal_app.ui.widgets.prompt_widgets import (
    AnswerWidget,
    answer_widget,
    flow_style,
    is_blank,
    plain_label,
    section_name,
    step_title,
    translate_prompt,
    when_text,
)

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

TYPING_SETTLE_MS = 800


class PromptFlow(QWidget):
    """One step's prompts for one session. ``start()`` it; ``clear()`` drops all content."""

    finished = Signal(int)  # the entry's id
    cancelled = Signal()  # left before the end; progress is saved

    def __init__(self, parent: QWidget | None = None, *,
                 library: PromptLibrary | None = None) -> None:
        super().__init__(parent)
        self.library = library or default_library()
        self.store: FlowStore | None = None
        self.answer: AnswerWidget | None = None
        self._settle = QTimer(self, singleShot=True, interval=TYPING_SETTLE_MS)
        self._settle.timeout.connect(self._save_typing)
        self._build()
        self.setStyleSheet(flow_style())

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.context = plain_label(self, "quietLabel")
        self.section = plain_label(self, "flowSection")
        self.counter = plain_label(self, "quietLabel")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(6)
        self.bar.setAccessibleName(self.tr("Progress"))
        self.title = plain_label(self, "flowTitle")
        self.optional = plain_label(self, "quietLabel")
        self.optional.setText(self.tr("Optional"))
        self.question = plain_label(self, "flowQuestion")
        self.help = plain_label(self, "quietLabel")
        self.note = plain_label(self, "flowNote")
        self.welcome = plain_label(self, "quietLabel")
        self.answer_area = QWidget(self)
        self.answer_layout = QVBoxLayout(self.answer_area)
        self.answer_layout.setContentsMargins(0, 6, 0, 0)
        self.capture_bar = CaptureBar(self)
        self.capture_bar.changed.connect(self._captured)
        self.capture_bar.hide()
        self.problem = plain_label(self, "calmMessage")
        self.problem.hide()

        self.later_button = self._button(self.tr("Continue later"), self.continue_later)
        self.back_button = self._button(self.tr("Back"), self.go_back)
        self.skip_button = self._button(self.tr("Skip"), self.skip)
        self.next_button = self._button(self.tr("Next"), self.go_next)
        self.next_button.setObjectName("primary")
        self.keys = plain_label(self, "quietLabel")
        self.keys.setWordWrap(False)
        self.keys.setText(self.tr("%1 next · %2 back").replace(
            "%1", QKeySequence("Ctrl+Return").toString(QKeySequence.SequenceFormat.NativeText))
            .replace("%2", QKeySequence("Alt+Left").toString(
                QKeySequence.SequenceFormat.NativeText)))

        self.setLayout(self._layout())
        for keys, slot in (("Ctrl+Return", self.go_next), ("Ctrl+Enter", self.go_next),
                           ("Alt+Left", self.go_back)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(True)  # Enter presses the focused button, as in a dialog
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        return button

    def _layout(self) -> QVBoxLayout:
        top = QHBoxLayout()
        top.addWidget(self.section, 1)
        top.addWidget(self.counter)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.optional, 0, Qt.AlignmentFlag.AlignBottom)

        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 8, 12, 8)
        column.setSpacing(12)
        column.addWidget(self.welcome)
        column.addLayout(title_row)
        column.addWidget(self.question)
        column.addWidget(self.help)
        column.addWidget(self.note)
        column.addWidget(self.answer_area)
        column.addWidget(self.capture_bar)
        column.addStretch(1)
        self.scroll = scroll = QScrollArea(self)
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        buttons = QHBoxLayout()
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout()
        layout.setContentsMargins(28, 20, 28, 18)
        layout.setSpacing(10)
        layout.addWidget(self.context)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addWidget(self.keys, 0, Qt.AlignmentFlag.AlignRight)
        return layout

    # ------------------------------------------------------------------ starting
    def start(self, journal: OpenJournal, session_id: int, step: str) -> None:
        """Show ``step`` of the session: resumed where it stopped, or the finished entry's
        answers for editing, or from the start."""
        store = FlowStore(journal, session_id, step, self.library)
        self.clear()
        self.store = store
        self.capture_bar.show_captures(store.captures)
        self.context.setText(self.tr("%1 · the session is on %2").replace(
            "%1", step_title(step, store.session)).replace("%2", when_text(store.session)))
        self._greet()
        self._show()

    # Read-only views of the store, for the dialog and for tests.
    @property
    def journal(self) -> OpenJournal | None:
        return self.store.journal if self.store else None

    @property
    def session(self) -> TreatmentSession | None:
        return self.store.session if self.store else None

    @property
    def step(self) -> str:
        return self.store.step if self.store else ""

    @property
    def state(self) -> FlowState | None:
        return self.store.state if self.store else None

    def _greet(self) -> None:
        """Say where the person is when they come back; the line goes at the first move."""
        editing = self.store.editing
        later = self.tr("Close") if editing else self.tr("Continue later")
        self.later_button.setText(later)
        self.later_button.setAccessibleName(later)
        if editing:
            text = self.tr("You're looking at what you wrote before. Changes are kept as you "
                           "go.")
        elif self.store.resumed:
            text = self.tr("Welcome back. You're where you left off, with your answers kept.")
        else:
            text = ""
        self.welcome.setText(text)
        self.welcome.setVisible(bool(text))

    # ------------------------------------------------------------------ showing
    def _show(self) -> None:
        self._settle.stop()
        state = self.state
        prompt = state.prompt
        section = section_of(prompt)
        self.section.setText(section_name(section) if section else "")
        self.counter.setText(self.tr("Step %1 of %2").replace("%1", str(state.position + 1))
                             .replace("%2", str(state.count)))
        self.bar.setRange(0, state.count)
        self.bar.setValue(state.position + 1)
        self.title.setText(translate_prompt(prompt.title))
        self.optional.setVisible(prompt.optional)
        self.question.setText(translate_prompt(prompt.question))
        self.help.setText(translate_prompt(prompt.help))
        self.help.setVisible(bool(prompt.help))
        note = self.store.intention_note(prompt.id)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.capture_bar.setVisible(offers_capture(self.step, prompt.id))
        self.problem.hide()
        self._replace_answer_widget()
        self.back_button.setEnabled(not state.at_start)
        self._update_skip()
        self.next_button.setText(self.tr("Finish") if state.at_end else self.tr("Next"))
        self.next_button.setAccessibleName(self.next_button.text())
        self.answer.focus_answer()

    def _replace_answer_widget(self) -> None:
        if self.answer is not None:
            self.answer.hide()
            self.answer.deleteLater()
        self.answer = answer_widget(self.state.prompt, translate_prompt, self.answer_area)
        self.answer.set_value(self.state.current_answer())
        self.answer.changed.connect(self._answer_changed)
        self.answer_layout.addWidget(self.answer)
        self.answer.show()  # a layout only shows a late child on the next event loop pass
        captures = self.capture_bar.controls() if self.capture_bar.isVisibleTo(self) else []
        chain = [*self.answer.controls(), *captures, self.later_button, self.back_button,
                 self.skip_button, self.next_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _answer_changed(self) -> None:
        self._settle.start()
        self._update_skip()

    def _captured(self) -> None:
        """A voice note or drawing came or went: show it (once laid out) and let Next go on."""
        self._update_skip()
        QTimer.singleShot(0, self, self._show_captures)

    def _show_captures(self) -> None:
        self.scroll.ensureWidgetVisible(self.capture_bar.strip)

    def _update_skip(self) -> None:
        """Skip is for a prompt left empty; it never throws away what was written (and a
        prompt answered with a voice note or a drawing goes on with Next)."""
        if self.answer is None:
            return
        captured = self.capture_bar.isVisibleTo(self) and self.capture_bar.has_any()
        self.skip_button.setEnabled(is_blank(self.answer.value()) and not captured)

    # ------------------------------------------------------------------ moving
    def go_next(self) -> None:
        if self.state is None:
            return
        self.state.record(self.answer.value())
        self._advance()

    def skip(self) -> None:
        if self.state is None:
            return
        self.state.record(None)
        self._advance()

    def go_back(self) -> None:
        if self.state is None or self.state.at_start:
            return
        self.state.record(self.answer.value())
        self.state.back()
        self.welcome.hide()
        self.store.persist()
        self._show()

    def continue_later(self) -> None:
        """Keep what is on screen and leave; the flow reopens here. A voice note or drawing
        not attached yet is dropped only after asking."""
        if self.state is None or not self.may_leave():
            return
        self.flush()
        self.cancelled.emit()

    def may_leave(self) -> bool:
        """True when leaving now loses nothing, or the person said to leave without what
        they recorded or drew (it is then dropped)."""
        captures = self.store.captures if self.store else None
        if captures is None or not captures.has_pending:
            return True
        if not confirm_leaving(self, captures.pending.kinds()):
            return False
        captures.discard()
        self.capture_bar.strip.reload()
        return True

    def flush(self) -> None:
        """Save an answer still being typed (before closing, locking or quitting)."""
        if self._settle.isActive():
            self._settle.stop()
            self._save_typing()

    def _advance(self) -> None:
        self.welcome.hide()
        if self.state.at_end:
            self._finish()
            return
        self.state.forward()
        self.store.persist()
        self._show()

    def _finish(self) -> None:
        try:
            entry_id = self.store.finish()
        except JournalError as exc:  # attaching failed: the rest waits, Finish retries
            self.problem.setText(exc.message)
            self.problem.show()
            self.capture_bar.strip.reload()
            return
        self.finished.emit(entry_id)

    def _save_typing(self) -> None:
        if self.state is not None and self.answer is not None:
            self.state.record(self.answer.value())
            self.store.persist()

    def clear(self) -> None:
        """Forget the journal and every answer shown (on lock, or when closed)."""
        self._settle.stop()
        if self.store is not None:
            self.store.captures.discard()
        self.capture_bar.show_captures(None)
        self.problem.clear()
        if self.answer is not None:
            self.answer.hide()
            self.answer.deleteLater()
            self.answer = None
        for label in (self.context, self.title, self.question, self.help, self.note,
                      self.welcome):
            label.clear()
        self.store = None


