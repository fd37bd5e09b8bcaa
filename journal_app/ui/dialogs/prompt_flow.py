"""The prompt flow's window: a :class:`PromptFlow` (ui/dialogs/flow_steps.py) for one step
of one session, with a calm closing page, and the functions that open and flush them.

The dialog is a plain top-level QWidget rather than a QDialog, because QDialog already has
a ``finished(int)`` signal carrying a result code, not an entry id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QStackedWidget, QVBoxLayout, QWidget

from journal_app.domain.prompts import PromptLibrary
from journal_app.domain.session_prep import PREPARATION_STEP
from journal_app.ui.dialogs.flow_steps import TYPING_SETTLE_MS, PromptFlow
from journal_app.ui.widgets.prompt_widgets import flow_style, plain_label, step_title

if TYPE_CHECKING:
    from journal_app.ui.shell.open_journal import OpenJournal

__all__ = [
    "TYPING_SETTLE_MS",
    "PromptFlow",
    "PromptFlowDialog",
    "flush_flows",
    "open_step_flow",
]


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
        if leaving_early and not self.flow.may_leave():
            event.ignore()  # they went back to keep their voice note or drawing
            return
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
