"""Shared set-up for the preparation GUI tests: a real encrypted journal opened in the GUI's
``OpenJournal``, sessions, and answering the prompt flow from the keyboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.prompts import AnswerType, Prompt
from journal_app.storage.care import PromptAnswerRepository, TimelineRepository
from journal_app.storage.vault import Secret, Vault
from journal_app.ui.dialogs.prompt_flow import PromptFlowDialog, open_step_flow
from journal_app.ui.shell.open_journal import OpenJournal
from tests.conftest import FAST_KDF

PASSPHRASE = "quiet harbour morning tea"


def create_journal(path: Path) -> OpenJournal:
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    return OpenJournal(vault)


def reopen_journal(journal: OpenJournal) -> OpenJournal:
    """Save, close and open the file again, as after quitting and unlocking."""
    path = journal.vault.path
    journal.vault.save()
    journal.close()
    return OpenJournal(Vault.open(path, Secret(passphrase=PASSPHRASE)))


def add_session(journal: OpenJournal, number: int, *, days_ahead: float = 1,
                provider: str = "") -> TreatmentSession:
    starts = dt.datetime.now().astimezone().replace(microsecond=0) \
        + dt.timedelta(days=days_ahead)
    return journal.repo.add_session(TreatmentSession(starts_at=starts, number=number,
                                                     provider=provider))


def care(journal: OpenJournal) -> tuple[PromptAnswerRepository, TimelineRepository]:
    return (PromptAnswerRepository(journal.vault.db), TimelineRepository(journal.vault.db))


def open_flow(qtbot, host: QWidget, journal: OpenJournal, session_id: int,
              step: str = "preparation") -> PromptFlowDialog:
    dialog = open_step_flow(host, journal, session_id, step)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    return dialog


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "something must have the keyboard focus"
    return widget


def answer_by_keyboard(qtbot, prompt: Prompt, text: str) -> None:
    """Answer the prompt on screen with keys only, starting from where the focus is."""
    kind = prompt.answer_type
    if kind is AnswerType.TEXT:
        qtbot.keyClicks(focused(), text)
    elif kind is AnswerType.SCALE:
        qtbot.keyClicks(focused(), text)  # a digit picks that number
    elif kind is AnswerType.CHECKLIST:
        for _ in range(int(text)):  # tick the first n items
            qtbot.keyClick(focused(), Qt.Key.Key_Space)
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    else:  # single choice: the first option, then arrow down n times
        qtbot.keyClick(focused(), Qt.Key.Key_Space)
        for _ in range(int(text)):
            qtbot.keyClick(focused(), Qt.Key.Key_Down)


def press_next(qtbot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def press_back(qtbot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)


def close_flows(host: QWidget) -> None:
    for dialog in host.findChildren(PromptFlowDialog):
        dialog.close()


def finish_with(qtbot, dialog: PromptFlowDialog, answers: dict[str, str]) -> int:
    """Answer the given prompts by keyboard; skip the other empty ones with the Skip button
    and keep the answers already there with Next."""
    flow = dialog.flow
    with qtbot.waitSignal(dialog.finished, timeout=5_000) as done:
        while flow.state is not None:
            prompt = flow.state.prompt
            if prompt.id in answers:
                answer_by_keyboard(qtbot, prompt, answers[prompt.id])
                press_next(qtbot)
            elif flow.skip_button.isEnabled():
                qtbot.mouseClick(flow.skip_button, Qt.MouseButton.LeftButton)
            else:
                press_next(qtbot)
    return done.args[0]
