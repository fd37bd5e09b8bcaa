"""The prompt flow: one prompt at a time for a session's preparation or integration step.

Every move (Next, Back, Skip) and every pause in typing saves where the person is, so a
half-done flow can be closed at any moment and reopened at the same prompt with the answers
kept. Finish writes one readable entry (Markdown from the answers) plus the structured
answers with the wording they were given to, and marks the step done. Opening a done step
again edits that same entry.

``PromptFlow`` is embeddable; ``PromptFlowDialog`` is a non-modal window around it. The
dialog is a plain top-level QWidget rather than a QDialog, because QDialog already has a
``finished(int)`` signal carrying a result code, not an entry id.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.prompts import PromptLibrary, default_library
from journal_app.domain.session_prep import PREPARATION_STEP, FlowState, section_of
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
        column.addStretch(1)
        scroll = QScrollArea(self)
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
        chain = [*self.answer.controls(), self.later_button, self.back_button,
                 self.skip_button, self.next_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _answer_changed(self) -> None:
        self._settle.start()
        self._update_skip()

    def _update_skip(self) -> None:
        """Skip is for a prompt left empty; it never throws away what was written."""
        self.skip_button.setEnabled(is_blank(self.answer.value()))

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
        """Keep what is on screen and leave; the flow reopens here."""
        if self.state is None:
            return
        self.flush()
        self.cancelled.emit()

    def flush(self) -> None:
        """Save an answer still being typed (before closing, locking or quitting)."""
        if self._settle.isActive():
            self._settle.stop()
            self._save_typing()

    def _advance(self) -> None:
        self.welcome.hide()
        if self.state.at_end:
            self.finished.emit(self.store.finish())
            return
        self.state.forward()
        self.store.persist()
        self._show()

    def _save_typing(self) -> None:
        if self.state is not None and self.answer is not None:
            self.state.record(self.answer.value())
            self.store.persist()

    def clear(self) -> None:
        """Forget the journal and every answer shown (on lock, or when closed)."""
        self._settle.stop()
        if self.answer is not None:
            self.answer.hide()
            self.answer.deleteLater()
            self.answer = None
        for label in (self.context, self.title, self.question, self.help, self.note,
                      self.welcome):
            label.clear()
        self.store = None


class PromptFlowDialog(QWidget):
    """A non-modal window around a :class:`PromptFlow`, with a calm closing page.

    Emits ``finished(entry_id)`` when the step is finished and ``cancelled()`` when closed
    before that (progress is saved). It deletes itself once closed, and closes when the
    journal it shows goes away (on lock), so no answer stays on screen.
    """

    finished = Signal(int)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None, *,
                 library: PromptLibrary | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumSize(620, 520)
        self.resize(780, 660)
        self.flow = PromptFlow(self, library=library)
        self.done_page = self._done_page()
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.flow)
        self.pages.addWidget(self.done_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._outcome: int | None = None
        self.flow.finished.connect(self._finished)
        self.flow.cancelled.connect(self.close)
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close.activated.connect(self.close)

    def _done_page(self) -> QWidget:
        page = QWidget(self)
        self.done_heading = plain_label(page, "flowTitle")
        self.done_text = plain_label(page)
        self.close_button = QPushButton(self.tr("Close"), page)
        self.close_button.setObjectName("primary")
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.setAutoDefault(True)
        self.close_button.clicked.connect(self.close)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 48, 48, 36)
        layout.setSpacing(16)
        layout.addStretch(1)
        layout.addWidget(self.done_heading)
        layout.addWidget(self.done_text)
        layout.addStretch(2)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        page.setStyleSheet(flow_style())
        return page

    @property
    def key(self) -> tuple[int | None, str]:
        session = self.flow.session
        return (session.id if session else None, self.flow.step)

    def start(self, journal: OpenJournal, session_id: int, step: str) -> None:
        self.flow.start(journal, session_id, step)
        self.setWindowTitle(step_title(step, self.flow.session))
        journal.destroyed.connect(self._journal_gone)

    def _journal_gone(self) -> None:
        """The journal was locked and closed: nothing can be saved any more, so the window
        just forgets what it showed and closes (``flush_flows`` ran before the save)."""
        self.flow.clear()
        self.close()

    def _finished(self, entry_id: int) -> None:
        self._outcome = entry_id
        preparing = self.flow.step == PREPARATION_STEP
        self.done_heading.setText(self.tr("Your preparation is saved") if preparing
                                  else self.tr("Saved in your journal"))
        self.done_text.setText(self.tr(
            "Thank you for taking this time. There's nothing more you need to do now. "
            "You'll find it in your journal, and you can come back and change it whenever "
            "you like."))
        self.flow.clear()
        self.pages.setCurrentWidget(self.done_page)
        self.close_button.setFocus()
        self.finished.emit(entry_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        leaving_early = self._outcome is None and self.flow.journal is not None
        if leaving_early:
            self.flow.flush()
        self.flow.clear()
        super().closeEvent(event)
        if leaving_early:
            self.cancelled.emit()


def flush_flows(root: QWidget) -> None:
    """Save what is being typed in every open flow window under ``root``'s window: call it
    before saving for a lock or quit, like ``Page.flush``."""
    for dialog in root.window().findChildren(PromptFlowDialog):
        dialog.flow.flush()


def open_step_flow(parent: QWidget, journal: OpenJournal, session_id: int,
                   step: str) -> PromptFlowDialog:
    """Show the flow for one step of one session (non-modal) and return its window.

    The window belongs to ``parent``'s top-level window, so a page that rebuilds its
    widgets doesn't close it. If that step's window is already open, it is brought to the
    front instead, so two windows never write the same progress.
    """
    for dialog in parent.window().findChildren(PromptFlowDialog):
        if dialog.isVisible() and dialog.flow.journal is journal \
                and dialog.key == (session_id, step):
            dialog.raise_()
            dialog.activateWindow()
            return dialog
    dialog = PromptFlowDialog(parent.window())
    dialog.start(journal, session_id, step)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
