"""Every write a person can make in the GUI survives a lock and an unlock (issue 13, item 2).

Each test does one thing through the widgets (keys, clicks, the dialog's own buttons), locks
through the window, unlocks with the passphrase on the unlock screen and checks what the
person would look for. The tests of deletions (and a few others) also open the file from
disk with ``Vault.open``, to prove the change reached the disk and not only memory.

Modal dialogs (``exec``) are driven by patching ``exec`` with a function that shows the
dialog, uses its widgets and returns its result, so a test never blocks. Confirmations go
through the ``no_modals`` fixture, which answers yes and records the question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QScrollArea,
    QWidget,
)
from shiboken6 import isValid

from journal_app.domain.care_settings import (
    load_care_contacts,
    load_extra_line,
    load_safety_plan,
)
from journal_app.domain.entities import Entry, EntryKind, TreatmentSession, local
from journal_app.domain.entities import now as local_now
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.domain.prompts import default_library
from journal_app.domain.timeline import StepStatus
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Secret, Vault
from journal_app.ui.dialogs.prompt_flow import PromptFlowDialog
from journal_app.ui.dialogs.quick_note import QuickNoteDialog
from journal_app.ui.dialogs.safety_panel import SafetyPanel
from journal_app.ui.dialogs.safety_plan import SafetyPlanDialog
from journal_app.ui.dialogs.session_dialog import SessionDialog
from journal_app.ui.dialogs.settings_dialog import SettingsDialog
from journal_app.ui.dialogs.tags_dialog import NameRole, TagsDialog
from journal_app.ui.hub import Hub
from journal_app.ui.models.checkin_table import COLUMNS
from journal_app.ui.pages.base import Page
from journal_app.ui.shell.main_window import MainWindow
from tests.conftest import FAST_KDF
from tests.ui.prep_helpers import answer_by_keyboard, finish_with, focused, press_next

PASSPHRASE = "steady tide evening lamp"
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton

Seed = Callable[[Journal], object]


# ---------------------------------------------------------------------------- the journal


def create_journal(path: Path, seed: Seed | None = None) -> None:
    """A journal on disk, closed, holding what ``seed`` wrote through the repositories."""
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    try:
        if seed is not None:
            seed(Journal(vault))
        vault.save()
    finally:
        vault.close()


@contextmanager
def on_disk(path: Path) -> Iterator[Journal]:
    """The journal as the file on disk holds it (read-only: the window may hold the lock)."""
    with Vault.open(path, Secret(passphrase=PASSPHRASE), lock=False) as vault:
        yield Journal(vault)


def at_local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute)).astimezone()


def hours_ago(hours: float) -> dt.datetime:
    return local_now().replace(microsecond=0) - dt.timedelta(hours=hours)


# ---------------------------------------------------------------------------- the window


def activate(qtbot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=5_000)


def lock(qtbot, window: MainWindow) -> None:
    """Lock through the window and wait until the save finished and the lock screen shows."""
    with qtbot.waitSignal(window.hub.journal_locked, timeout=10_000):
        window.lock()
    assert window.stack.currentWidget() is window.unlock_screen
    assert window.journal is None


def unlock(qtbot, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase on the unlock screen and press Enter."""
    screen = window.unlock_screen
    assert window.stack.currentWidget() is screen
    qtbot.keyClicks(screen.secret, passphrase)
    with qtbot.waitSignal(window.hub.journal_unlocked, timeout=10_000):
        qtbot.keyClick(screen.secret, Qt.Key.Key_Return)
    activate(qtbot, window)


def relock(qtbot, window: MainWindow) -> None:
    lock(qtbot, window)
    unlock(qtbot, window)


@pytest.fixture
def journal_path(tmp_path) -> Path:
    return tmp_path / "journal.ijournal"


@pytest.fixture
def open_window(qtbot, journal_path, no_modals):
    """``open_window(seed)``: a journal holding ``seed``'s writes, unlocked in the window."""
    made: list[MainWindow] = []

    def make(seed: Seed | None = None, *, unlocked: bool = True) -> MainWindow:
        create_journal(journal_path, seed)
        window = MainWindow(journal_path, Hub(), auto_lock_minutes=30)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        activate(qtbot, window)
        made.append(window)
        if unlocked:
            unlock(qtbot, window)
        return window

    yield make
    for window in made:  # close the journal file (unless pytest-qt closed the window first)
        if isValid(window) and window.journal is not None:
            window.lock()
            qtbot.waitUntil(lambda w=window: not isValid(w) or w.journal is None,
                            timeout=10_000)


def show(window: MainWindow, key: str) -> Page:
    """Open a page from the navigation list, as a person would."""
    area = window.journal_area
    page = area.page(key)
    area.nav.setCurrentRow(area.pages.index(page))
    assert area.current_page() is page
    return page


def button(root: QWidget, accessible: str) -> QPushButton:
    """The one visible button under ``root`` with this accessible name (or text)."""
    found = [b for b in root.findChildren(QPushButton)
             if b.isVisibleTo(root) and accessible in (b.accessibleName(), b.text())]
    assert len(found) == 1, [b.accessibleName() for b in root.findChildren(QPushButton)
                             if b.isVisibleTo(root)]
    return found[0]


def has_button(root: QWidget, accessible: str) -> bool:
    return any(b.isVisibleTo(root) and accessible in (b.accessibleName(), b.text())
               for b in root.findChildren(QPushButton))


def has_label(root: QWidget, text: str) -> bool:
    return any(w.isVisibleTo(root) and text in w.text() for w in root.findChildren(QLabel))


def click(qtbot, widget: QWidget) -> None:
    """Scroll ``widget`` into view (a click lands on what is under the pointer), click it.
    Pending layouts run first: a card built a moment ago has no size until they do."""
    QApplication.processEvents()
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None \
                and parent.widget().isAncestorOf(widget):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()
    qtbot.mouseClick(widget, LEFT)


def click_row(qtbot, view: QListView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())


def drive_modal(monkeypatch, qtbot, cls: type, act: Callable[[object], None]) -> list:
    """Patch ``cls.exec``: show the dialog, let ``act`` use its widgets, return its result.
    The list returned collects each dialog driven."""
    driven: list = []

    def exec_(dialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        driven.append(dialog)
        act(dialog)
        return QDialog.result(dialog)  # TagsDialog's own ``result`` is a label

    monkeypatch.setattr(cls, "exec", exec_)
    return driven


def entry_titles(window: MainWindow) -> list[str]:
    page = show(window, "journal")
    return [page.model.entry_at(r).title for r in range(page.model.rowCount())]


def select_entry(qtbot, window: MainWindow, title: str) -> None:
    page = show(window, "journal")
    row = entry_titles(window).index(title)
    click_row(qtbot, page.list, row)
    assert page.editor.entry is not None and page.editor.entry.title == title


# ---------------------------------------------------------------------------- entries


def one_entry(title: str, body: str, tags: tuple[str, ...] = ()) -> Seed:
    def seed(journal: Journal) -> None:
        journal.repo.add_entry(Entry(EntryKind.FREE, title, body, tags=tags))
    return seed


def test_new_entry_with_title_body_and_tags(qtbot, open_window, journal_path):
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    editor = window.journal_page.editor
    assert editor.isEnabled()
    qtbot.keyClicks(editor.title, "After the second session")
    qtbot.keyClicks(editor.tags, "Ocean, grief")
    click(qtbot, editor.body)
    qtbot.keyClicks(editor.body, "I saw the ocean again.")
    qtbot.keyClick(editor.body, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.body, "It was calm.")
    lock(qtbot, window)  # no waiting for the typing to settle: the lock delivers it

    with on_disk(journal_path) as journal:
        [entry] = journal.repo.list_entries()
    assert (entry.title, entry.body, entry.tags) == (
        "After the second session", "I saw the ocean again.\nIt was calm.", ("grief", "ocean"))

    unlock(qtbot, window)
    assert entry_titles(window) == ["After the second session"]
    shown = window.journal_page.editor
    assert shown.title.text() == "After the second session"
    assert shown.body.toPlainText() == "I saw the ocean again.\nIt was calm."
    assert shown.tags.text() == "grief, ocean"


def test_edit_entry_body(qtbot, open_window, journal_path):
    window = open_window(one_entry("Morning pages", "First line."))
    select_entry(qtbot, window, "Morning pages")
    body = window.journal_page.editor.body
    click(qtbot, body)
    qtbot.keyClick(body, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(body, " Then more came.")
    relock(qtbot, window)

    select_entry(qtbot, window, "Morning pages")
    assert window.journal_page.editor.body.toPlainText() == "First line. Then more came."
    with on_disk(journal_path) as journal:
        assert [e.body for e in journal.repo.list_entries()] == ["First line. Then more came."]


def test_mark_entry_private(qtbot, open_window, journal_path):
    window = open_window(one_entry("Only mine", "Not for the report."))
    select_entry(qtbot, window, "Only mine")
    private = window.journal_page.editor.private
    assert not private.isChecked()
    click(qtbot, private)
    assert private.isChecked()
    relock(qtbot, window)

    select_entry(qtbot, window, "Only mine")
    assert window.journal_page.editor.private.isChecked()
    with on_disk(journal_path) as journal:
        assert [e.private for e in journal.repo.list_entries()] == [True]


def test_delete_entry(qtbot, open_window, journal_path, no_modals):
    def seed(journal: Journal) -> None:
        journal.repo.add_entry(Entry(EntryKind.FREE, "Keep me", "stays"))
        journal.repo.add_entry(Entry(EntryKind.FREE, "Let me go", "goes"))

    window = open_window(seed)
    select_entry(qtbot, window, "Let me go")
    qtbot.keyClick(window, Qt.Key.Key_Delete, CTRL)
    assert [title for title, _text in no_modals] == ["Delete entry"]
    assert entry_titles(window) == ["Keep me"]
    lock(qtbot, window)

    with on_disk(journal_path) as journal:
        assert [e.title for e in journal.repo.list_entries()] == ["Keep me"]
    unlock(qtbot, window)
    assert entry_titles(window) == ["Keep me"]


# ---------------------------------------------------------------------------- sessions


def one_session(starts_at: dt.datetime, number: int = 1, provider: str = "") -> Seed:
    def seed(journal: Journal) -> None:
        journal.repo.add_session(TreatmentSession(starts_at=starts_at, number=number,
                                                  provider=provider))
    return seed


def test_new_session_through_the_sessions_page(qtbot, open_window, journal_path,
                                               monkeypatch):
    def fill(dialog: SessionDialog) -> None:
        qtbot.keyClicks(dialog.provider, "Harbor Clinic")
        click(qtbot, dialog.notes)
        qtbot.keyClicks(dialog.notes, "Bring the blue blanket.")
        click(qtbot, dialog.save_button)

    driven = drive_modal(monkeypatch, qtbot, SessionDialog, fill)
    window = open_window()
    page = show(window, "sessions")
    click(qtbot, page.add_button)
    assert len(driven) == 1 and page.model.rowCount() == 1
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    relock(qtbot, window)

    page = show(window, "sessions")
    assert page.model.rowCount() == 1
    session = page.model.session_at(0)
    assert (session.provider, session.notes, session.number) == (
        "Harbor Clinic", "Bring the blue blanket.", 1)
    assert local(session.starts_at).date() == tomorrow
    assert local(session.starts_at).time() == dt.time(10, 0)
    assert has_label(page.story, "With Harbor Clinic")
    with on_disk(journal_path) as journal:
        assert [s.provider for s in journal.repo.list_sessions()] == ["Harbor Clinic"]


def test_edit_session_moves_its_date(qtbot, open_window, journal_path, monkeypatch):
    first_day = dt.date.today() + dt.timedelta(days=5)

    def move(dialog: SessionDialog) -> None:
        dialog.when.setFocus()
        assert dialog.when.currentSection() == dialog.when.Section.DaySection
        qtbot.keyClick(dialog.when, Qt.Key.Key_Up)  # the day, one at a time
        qtbot.keyClick(dialog.when, Qt.Key.Key_Up)
        dialog.provider.selectAll()
        qtbot.keyClicks(dialog.provider, "Dr. Reyes")
        click(qtbot, dialog.save_button)

    driven = drive_modal(monkeypatch, qtbot, SessionDialog, move)
    window = open_window(one_session(at_local(first_day, 10), provider="Someone else"))
    page = show(window, "sessions")
    click(qtbot, button(page.story, "Edit session"))
    assert len(driven) == 1
    relock(qtbot, window)

    page = show(window, "sessions")
    session = page.model.session_at(0)
    assert local(session.starts_at).date() == first_day + dt.timedelta(days=2)
    assert local(session.starts_at).time() == dt.time(10, 0)
    assert session.provider == "Dr. Reyes"
    with on_disk(journal_path) as journal:
        [stored] = journal.repo.list_sessions()
        assert local(stored.starts_at).date() == first_day + dt.timedelta(days=2)


# Deleting a session: no widget offers it (the Sessions page and the session dialog have
# no delete), so there is nothing to drive here.


# ---------------------------------------------------------------------------- Today's words


def test_todays_few_words_saved_with_the_button(qtbot, open_window, journal_path):
    window = open_window()
    today = window.journal_area.current_page()
    assert today is window.journal_area.page("today"), "unlock opens on Today"
    click(qtbot, today.quick_text)
    qtbot.keyClicks(today.quick_text, "Lighter today, somehow.")
    click(qtbot, today.quick_save)
    assert today.quick_status.text() == "Saved in your journal."
    relock(qtbot, window)

    show(window, "journal")
    assert window.journal_page.editor.body.toPlainText() == "Lighter today, somehow."
    with on_disk(journal_path) as journal:
        assert [e.body for e in journal.repo.list_entries()] == ["Lighter today, somehow."]


def test_todays_few_words_left_unsaved_are_kept_by_the_lock(qtbot, open_window, journal_path):
    window = open_window()
    today = window.journal_area.page("today")
    click(qtbot, today.quick_text)
    qtbot.keyClicks(today.quick_text, "Typed, then locked at once.")
    relock(qtbot, window)

    show(window, "journal")
    assert window.journal_page.editor.body.toPlainText() == "Typed, then locked at once."
    assert window.journal_area.page("today").quick_text.toPlainText() == ""


# ---------------------------------------------------------------------------- quick note


def test_quick_note_on_the_lock_screen_is_merged_at_unlock(qtbot, open_window, journal_path,
                                                          monkeypatch):
    from journal_app.storage import inbox

    def write(dialog: QuickNoteDialog) -> None:
        qtbot.keyClicks(dialog.text, "Heavy arms, warm chest")
        click(qtbot, dialog.save_button)

    driven = drive_modal(monkeypatch, qtbot, QuickNoteDialog, write)
    window = open_window(unlocked=False)
    click(qtbot, window.unlock_screen.quick_note_button)
    assert len(driven) == 1 and len(inbox.inbox_items(journal_path)) == 1
    unlock(qtbot, window)
    page = show(window, "journal")
    assert [page.model.entry_at(r).display_title for r in range(page.model.rowCount())] == [
        "Heavy arms, warm chest"]
    lock(qtbot, window)

    assert inbox.inbox_items(journal_path) == []
    with on_disk(journal_path) as journal:
        assert [e.body for e in journal.repo.list_entries()] == ["Heavy arms, warm chest"]
    unlock(qtbot, window)
    show(window, "journal")
    assert window.journal_page.editor.body.toPlainText() == "Heavy arms, warm chest"


# ---------------------------------------------------------------------------- prompt flows

LIBRARY = default_library()


def open_flow(qtbot, window: MainWindow) -> PromptFlowDialog:
    """The step window a Start (or Continue) button just opened, active for the keyboard."""
    dialogs = [d for d in window.findChildren(PromptFlowDialog) if d.isVisible()]
    assert len(dialogs) == 1
    qtbot.waitExposed(dialogs[0])
    activate(qtbot, dialogs[0])
    return dialogs[0]


def answer_flow(qtbot, dialog: PromptFlowDialog, answers: dict[str, str]) -> int:
    """Answer the given prompts by keyboard (Ctrl+Enter moves on), skip the rest with the
    Skip button, to the end, and close the window; the entry's id."""
    entry_id = finish_with(qtbot, dialog, answers)
    click(qtbot, dialog.close_button)
    return entry_id


def step_card(window: MainWindow, step: str) -> QFrame:
    """The card of ``step`` in the Sessions page's story of the chosen session."""
    story = show(window, "sessions").story
    cards = [c for c in story.step_cards() if c.property("step") == step]
    assert len(cards) == 1
    return cards[0]


def card_text(card: QFrame) -> str:
    return "\n".join(w.text() for w in card.findChildren(QLabel) if w.isVisibleTo(card))


def step_record(journal: Journal, step: str):
    [session] = journal.repo.list_sessions()
    return journal.timeline.step_records(session.id).get(step)


def test_preparation_answered_in_the_flow(qtbot, open_window, journal_path):
    window = open_window(one_session(hours_ago(-72), number=2))
    today = window.journal_area.current_page()
    click(qtbot, button(today, "Start preparation"))
    dialog = open_flow(qtbot, window)
    assert dialog.flow.state.prompt.id == "intention"
    answer_flow(qtbot, dialog, {"intention": "To listen to my body", "set_sleep": "1"})
    relock(qtbot, window)

    today = window.journal_area.current_page()
    assert has_label(today, "Your preparation is done.")
    assert has_label(step_card(window, "preparation"), "To listen to my body"), "the intention"
    select_entry(qtbot, window, "Preparation for session 2")
    body = window.journal_page.editor.body.toPlainText()
    assert "To listen to my body" in body and "About as usual" in body
    with on_disk(journal_path) as journal:
        record = step_record(journal, "preparation")
        assert record.status is StepStatus.DONE
        answers = {a.prompt_id: a.answer for a in journal.answers.load_answers(record.entry_id)}
        assert answers["intention"] == "To listen to my body"
        assert answers["set_sleep"] == "usual"


def test_preparation_answer_still_being_typed_is_kept_by_the_lock(qtbot, open_window,
                                                                   journal_path):
    window = open_window(one_session(hours_ago(-72)))
    click(qtbot, button(window.journal_area.current_page(), "Start preparation"))
    dialog = open_flow(qtbot, window)
    answer_by_keyboard(qtbot, dialog.flow.state.prompt, "To be gentle")
    press_next(qtbot)
    qtbot.keyClicks(focused(), "Half a thought")  # the second prompt, not moved on from
    relock(qtbot, window)

    today = window.journal_area.current_page()
    assert has_label(today, "You've started preparing.")
    click(qtbot, button(today, "Continue preparation"))
    flow = open_flow(qtbot, window).flow
    assert flow.state.prompt.id == "intention_for_therapist"
    assert flow.answer.value() == "Half a thought"
    click(qtbot, flow.back_button)
    assert flow.answer.value() == "To be gentle"
    with on_disk(journal_path) as journal:
        assert step_record(journal, "preparation").status is StepStatus.IN_PROGRESS


def test_day0_integration_note(qtbot, open_window, journal_path):
    window = open_window(one_session(hours_ago(3)))
    click(qtbot, button(step_card(window, "day0"), "Start"))
    dialog = open_flow(qtbot, window)
    assert dialog.flow.state.prompt.id == "day0_words"
    answer_flow(qtbot, dialog, {"day0_words": "Warm and heavy, then light", "day0_mood": "7"})
    relock(qtbot, window)

    card = step_card(window, "day0")
    assert has_label(card, "Written on")
    assert "Warm and heavy, then light" in card_text(card)
    with on_disk(journal_path) as journal:
        record = step_record(journal, "day0")
        assert record.status is StepStatus.DONE
        answers = {a.prompt_id: a.answer for a in journal.answers.load_answers(record.entry_id)}
        assert answers["day0_words"] == "Warm and heavy, then light"
        assert answers["day0_mood"] == 7


# ---------------------------------------------------------------------------- skipping


def test_not_this_time_on_today_and_undo_skip_on_the_sessions_page(qtbot, open_window,
                                                                   journal_path):
    window = open_window(one_session(hours_ago(48)))
    today = window.journal_area.current_page()
    click(qtbot, button(today, "Skip: The next day"))  # "Not this time"
    assert not has_button(today, "Skip: The next day")
    relock(qtbot, window)

    assert not has_button(window.journal_area.current_page(), "Skip: The next day")
    card = step_card(window, "day1")
    assert has_label(card, "Skipped")
    with on_disk(journal_path) as journal:
        assert step_record(journal, "day1").status is StepStatus.SKIPPED
    click(qtbot, button(card, "Undo skip: The next day"))
    relock(qtbot, window)

    assert has_button(window.journal_area.current_page(), "Skip: The next day")
    assert has_button(step_card(window, "day1"), "Skip: The next day")
    with on_disk(journal_path) as journal:
        record = step_record(journal, "day1")
        assert record is None or record.status is not StepStatus.SKIPPED


def test_skip_this_step_on_the_sessions_page(qtbot, open_window, journal_path):
    window = open_window(one_session(hours_ago(96)))
    click(qtbot, button(step_card(window, "day3"), "Skip: Three days on"))
    relock(qtbot, window)

    card = step_card(window, "day3")
    assert has_button(card, "Undo skip: Three days on")
    assert not has_button(window.journal_area.page("today"), "Start: Three days on")
    with on_disk(journal_path) as journal:
        assert step_record(journal, "day3").status is StepStatus.SKIPPED


# ---------------------------------------------------------------------------- practices

DAY3 = {"day3_intention": "Still about kindness", "day3_practice_domain": "5",  # nature
        "day3_practice": "Walk by the river each morning"}


def test_day3_answers_with_the_chosen_practice(qtbot, open_window, journal_path):
    window = open_window(one_session(hours_ago(96)))
    click(qtbot, button(window.journal_area.current_page(), "Start: Three days on"))
    answer_flow(qtbot, open_flow(qtbot, window), DAY3)
    relock(qtbot, window)

    card = card_text(step_card(window, "day3"))
    assert "Walk by the river each morning" in card and "Still about kindness" in card
    with on_disk(journal_path) as journal:
        record = step_record(journal, "day3")
        assert record.status is StepStatus.DONE
        answers = {a.prompt_id: a.answer for a in journal.answers.load_answers(record.entry_id)}
    assert answers["day3_practice_domain"] == "nature"
    assert answers["day3_practice"] == "Walk by the river each morning"


def test_day3_practice_is_gathered_with_the_practices(qtbot, open_window, journal_path):
    window = open_window(one_session(hours_ago(96)))
    click(qtbot, button(window.journal_area.current_page(), "Start: Three days on"))
    answer_flow(qtbot, open_flow(qtbot, window), DAY3)
    relock(qtbot, window)

    page = show(window, "sessions")
    click(qtbot, page.practices_button)
    assert has_label(page.practices, "Walk by the river each morning")
    with on_disk(journal_path) as journal:
        assert [p.description for p in journal.practices.list_practices()] == [
            "Walk by the river each morning"]


WEEK1 = {"week1_changed": "More patience", "week1_practice": "0",  # done
         "week1_practice_note": "Most mornings", "week1_carry": "Keep stretching"}


def answer_week1(qtbot, open_window) -> MainWindow:
    """A session eight days ago with a practice chosen; its one-week step answered."""
    def seed(journal: Journal) -> None:
        session = journal.repo.add_session(TreatmentSession(starts_at=hours_ago(8 * 24),
                                                            number=1))
        journal.practices.add_practice(Practice(
            PracticeDomain.BODY, "Stretch after waking", session_id=session.id,
            chosen_at=hours_ago(5 * 24)))

    window = open_window(seed)
    click(qtbot, button(window.journal_area.current_page(), "Start: One week on"))
    answer_flow(qtbot, open_flow(qtbot, window), WEEK1)
    relock(qtbot, window)
    return window


def test_week1_answers_about_the_practice(qtbot, open_window, journal_path):
    window = answer_week1(qtbot, open_window)
    card = card_text(step_card(window, "week1"))
    assert "More patience" in card and "Most mornings" in card
    with on_disk(journal_path) as journal:
        record = step_record(journal, "week1")
        assert record.status is StepStatus.DONE
        answers = {a.prompt_id: a.answer for a in journal.answers.load_answers(record.entry_id)}
    assert (answers["week1_practice"], answers["week1_practice_note"]) == (
        "done", "Most mornings")


def test_week1_marks_how_the_practice_went(qtbot, open_window, journal_path):
    window = answer_week1(qtbot, open_window)
    page = show(window, "sessions")
    click(qtbot, page.practices_button)
    assert has_label(page.practices, "Yes, it happened: Most mornings")
    with on_disk(journal_path) as journal:
        [practice] = journal.practices.list_practices()
    assert (practice.outcome, practice.outcome_note) == (PracticeOutcome.DONE, "Most mornings")


# ---------------------------------------------------------------------------- check-ins


def type_digit(qtbot, digit: int) -> None:
    qtbot.keyClick(focused(), Qt.Key(Qt.Key.Key_0 + digit))


def test_new_check_in_through_the_dialog(qtbot, open_window, journal_path):
    window = open_window()
    page = show(window, "checkins")
    click(qtbot, page.new_buttons["gad7"])
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    for digit in (1, 2, 0, 1, 3, 0, 1):  # a number key answers and moves on
        type_digit(qtbot, digit)
    click(qtbot, dialog.note)
    qtbot.keyClicks(dialog.note, "After a long week")
    click(qtbot, dialog.finish_button)
    assert "Your score is 8 out of 21" in dialog.result_text.text()
    click(qtbot, dialog.done_button)
    relock(qtbot, window)

    page = show(window, "checkins")
    assert page.latest_labels["gad7"].text().startswith("Latest: 8 of 21")
    show_table(qtbot, page)
    assert page.model.rowCount() == 1
    assert page.model.index(0, COLUMNS.index("note")).data() == "After a long week"
    with on_disk(journal_path) as journal:
        [stored] = journal.check_ins.list("gad7")
    assert (stored.answers, stored.note) == ((1, 2, 0, 1, 3, 0, 1), "After a long week")


def show_table(qtbot, page) -> None:
    """Open the "All results" tab by clicking it."""
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(page.tabs.count() - 1).center())
    assert page.tabs.currentIndex() == page.tabs.count() - 1


def table_menu(qtbot, page, row: int) -> QMenu:
    """Right-click a row of the table; the menu that opens. The offscreen platform sends
    no context-menu event for a synthetic right-click, so the test sends the one a real
    platform sends."""
    view = page.table
    QApplication.processEvents()
    pos = view.visualRect(page.proxy.index(row, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=pos)
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos)))
    menus = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]
    assert len(menus) == 1, "right-click opens the row's menu"
    return menus[0]


def test_delete_check_in_from_the_table_menu(qtbot, open_window, journal_path, no_modals):
    def seed(journal: Journal) -> None:
        mood = journal.check_ins.measures["mood"]
        journal.check_ins.add(mood.new_check_in([3], taken_at=hours_ago(48), note="kept"))
        journal.check_ins.add(mood.new_check_in([8], taken_at=hours_ago(2), note="deleted"))

    window = open_window(seed)
    page = show(window, "checkins")
    show_table(qtbot, page)
    note = COLUMNS.index("note")
    row = next(r for r in range(page.proxy.rowCount())
               if page.proxy.index(r, note).data() == "deleted")
    menu = table_menu(qtbot, page, row)
    [action] = menu.actions()
    assert action.text() == "Delete this check-in…"
    qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(action).center())
    assert [title for title, _text in no_modals] == ["Delete check-in"]
    assert page.model.rowCount() == 1
    lock(qtbot, window)

    with on_disk(journal_path) as journal:
        assert [c.note for c in journal.check_ins.list()] == ["kept"]
    unlock(qtbot, window)
    page = show(window, "checkins")
    show_table(qtbot, page)
    assert [page.proxy.index(r, note).data() for r in range(page.proxy.rowCount())] == ["kept"]
    assert page.latest_labels["mood"].text().startswith("Latest: 3 of 10")


# ---------------------------------------------------------------------------- tags

TAGGED = {"The sea": ("grief", "ocean"), "Forest walk": ("grief",), "Dream": ("ocean",)}


def tagged_entries(journal: Journal) -> None:
    for title, tags in TAGGED.items():
        journal.repo.add_entry(Entry(EntryKind.FREE, title, f"about {title}", tags=tags))


def rename_in_dialog(qtbot, dialog: TagsDialog, old: str, new: str) -> None:
    """Choose ``old`` in the list, type ``new`` over its name, press Rename (or Merge)."""
    rows = [dialog.proxy.index(r, 0).data(NameRole) for r in range(dialog.proxy.rowCount())]
    click_row(qtbot, dialog.list, rows.index(old))
    assert dialog.new_name.text() == old
    dialog.new_name.setFocus()
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.new_name, new)
    click(qtbot, dialog.rename_button)


def open_tags(qtbot, monkeypatch, window: MainWindow, act: Callable[[TagsDialog], None]):
    def then_close(dialog: TagsDialog) -> None:
        act(dialog)
        click(qtbot, button(dialog, "Close"))

    driven = drive_modal(monkeypatch, qtbot, TagsDialog, then_close)
    click(qtbot, show(window, "search").tags_button)
    assert len(driven) == 1
    return driven[0]


def tags_of(qtbot, window: MainWindow, title: str) -> str:
    select_entry(qtbot, window, title)
    return window.journal_page.editor.tags.text()


def test_tag_rename(qtbot, open_window, journal_path, monkeypatch):
    window = open_window(tagged_entries)
    open_tags(qtbot, monkeypatch, window,
              lambda d: rename_in_dialog(qtbot, d, "grief", "Sorrow"))
    relock(qtbot, window)

    assert tags_of(qtbot, window, "The sea") == "ocean, sorrow"
    assert tags_of(qtbot, window, "Forest walk") == "sorrow"
    search = show(window, "search")
    assert search.tag.findData("sorrow") >= 0 and search.tag.findData("grief") < 0
    with on_disk(journal_path) as journal:
        assert dict(journal.repo.tag_counts()) == {"ocean": 2, "sorrow": 2}


def test_tag_merge(qtbot, open_window, journal_path, monkeypatch, no_modals):
    def merge(dialog: TagsDialog) -> None:
        rename_in_dialog(qtbot, dialog, "ocean", "grief")
        assert "is now “grief” on 2 entries" in dialog.result.text()

    window = open_window(tagged_entries)
    open_tags(qtbot, monkeypatch, window, merge)
    assert [title for title, _text in no_modals] == ["Merge tags"]
    relock(qtbot, window)

    assert tags_of(qtbot, window, "The sea") == "grief"
    assert tags_of(qtbot, window, "Dream") == "grief"
    with on_disk(journal_path) as journal:
        assert dict(journal.repo.tag_counts()) == {"grief": 3}


def test_tag_merge_undone(qtbot, open_window, journal_path, monkeypatch):
    def merge_and_undo(dialog: TagsDialog) -> None:
        rename_in_dialog(qtbot, dialog, "ocean", "grief")
        click(qtbot, dialog.undo_button)
        assert dialog.result.text().startswith("Undone")

    window = open_window(tagged_entries)
    open_tags(qtbot, monkeypatch, window, merge_and_undo)
    relock(qtbot, window)

    assert tags_of(qtbot, window, "The sea") == "grief, ocean"
    assert tags_of(qtbot, window, "Dream") == "ocean"
    with on_disk(journal_path) as journal:
        assert dict(journal.repo.tag_counts()) == {"grief": 2, "ocean": 2}


def test_tag_rename_undone(qtbot, open_window, journal_path, monkeypatch):
    def rename_and_undo(dialog: TagsDialog) -> None:
        rename_in_dialog(qtbot, dialog, "grief", "sorrow")
        click(qtbot, dialog.undo_button)

    window = open_window(tagged_entries)
    open_tags(qtbot, monkeypatch, window, rename_and_undo)
    relock(qtbot, window)

    assert tags_of(qtbot, window, "Forest walk") == "grief"
    with on_disk(journal_path) as journal:
        assert dict(journal.repo.tag_counts()) == {"grief": 2, "ocean": 2}


# ---------------------------------------------------------------------------- safety plan

CONTACTS = {"clinic_name": "Harbor Clinic", "clinic_phone": "555 010 2000",
            "therapist_name": "Dr. Reyes", "therapist_phone": "555 010 3000"}
PLAN = {"warning_signs": "Not sleeping, skipping meals", "coping": "Cold water, a slow walk"}


def fill_plan(qtbot, editor: SafetyPlanDialog) -> None:
    """Type the care team, two sections of the plan and another crisis line; press Save."""
    for key, text in CONTACTS.items():
        click(qtbot, editor.contact_fields[key])
        qtbot.keyClicks(editor.contact_fields[key], text)
    for key, text in PLAN.items():
        click(qtbot, editor.section_fields[key])
        qtbot.keyClicks(editor.section_fields[key], text)
    click(qtbot, editor.extra_name)
    qtbot.keyClicks(editor.extra_name, "Samaritans")
    click(qtbot, editor.extra_phone)
    qtbot.keyClicks(editor.extra_phone, "116 123")
    click(qtbot, editor.save_button)


def help_panel(qtbot, window: MainWindow) -> SafetyPanel:
    qtbot.keyClick(window, Qt.Key.Key_H, CTRL | Qt.KeyboardModifier.ShiftModifier)
    panels = [p for p in window.findChildren(SafetyPanel) if p.isVisible()]
    assert len(panels) == 1, "Ctrl+Shift+H opens the help panel"
    return panels[0]


def assert_plan_kept(qtbot, window: MainWindow, journal_path: Path) -> None:
    panel = help_panel(qtbot, window)
    calls = " | ".join(b.text() for b in panel.contact_buttons)
    assert "Call 555 010 2000" in calls and "Call 555 010 3000" in calls
    assert "116 123" in calls
    assert has_label(panel, "Therapist: Dr. Reyes")
    assert has_label(panel, "Not sleeping, skipping meals")
    click(qtbot, panel.edit_button)
    editor = panel.plan_editor
    qtbot.waitExposed(editor)
    assert {k: f.text() for k, f in editor.contact_fields.items()} == CONTACTS
    assert {k: editor.section_fields[k].toPlainText() for k in PLAN} == PLAN
    assert (editor.extra_name.text(), editor.extra_phone.text()) == ("Samaritans", "116 123")
    click(qtbot, editor.cancel_button)
    click(qtbot, panel.close_button)
    lock(qtbot, window)
    with on_disk(journal_path) as journal:
        contacts = load_care_contacts(journal.repo)
        assert {k: getattr(contacts, k) for k in CONTACTS} == CONTACTS
        plan = load_safety_plan(journal.repo)
        assert {k: getattr(plan, k) for k in PLAN} == PLAN
        extra = load_extra_line(journal.repo)
        assert (extra.name, extra.phone) == ("Samaritans", "116 123")


def test_safety_plan_and_care_contacts_edited_from_the_help_panel(qtbot, open_window,
                                                                  journal_path):
    window = open_window()
    panel = help_panel(qtbot, window)
    click(qtbot, panel.edit_button)
    editor = panel.plan_editor
    qtbot.waitExposed(editor)
    fill_plan(qtbot, editor)
    assert not editor.isVisible()
    assert has_label(panel, "Clinic: Harbor Clinic"), "the panel shows what was saved"
    click(qtbot, panel.close_button)
    relock(qtbot, window)
    assert_plan_kept(qtbot, window, journal_path)


def test_safety_plan_and_care_contacts_edited_from_settings(qtbot, open_window, journal_path,
                                                            monkeypatch):
    def contacts(dialog: SettingsDialog) -> None:
        click(qtbot, dialog.contacts)  # opens the safety plan dialog (driven below)
        click(qtbot, button(dialog, "Cancel"))

    settings = drive_modal(monkeypatch, qtbot, SettingsDialog, contacts)
    plans = drive_modal(monkeypatch, qtbot, SafetyPlanDialog, lambda d: fill_plan(qtbot, d))
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_Comma, CTRL)
    assert len(settings) == 1 and len(plans) == 1
    relock(qtbot, window)
    assert_plan_kept(qtbot, window, journal_path)


# ---------------------------------------------------------------------------- passphrase


def test_passphrase_changed_from_the_menu(qtbot, open_window, journal_path, monkeypatch):
    from journal_app.errors import WrongSecretError
    from journal_app.ui.dialogs.passphrase_dialog import PassphraseDialog

    new = "a new and gentle passphrase"

    def change(dialog: PassphraseDialog) -> None:
        qtbot.keyClicks(dialog.current, PASSPHRASE)
        qtbot.keyClicks(dialog.fields.first, new)
        qtbot.keyClicks(dialog.fields.second, new)
        click(qtbot, dialog.ok)
        qtbot.waitUntil(lambda: QDialog.result(dialog) == 1, timeout=10_000)

    driven = drive_modal(monkeypatch, qtbot, PassphraseDialog, change)
    window = open_window(one_entry("Still mine", "words"))
    window.action_registry["passphrase"].trigger()  # File menu: Change passphrase…
    assert len(driven) == 1
    lock(qtbot, window)

    with pytest.raises(WrongSecretError):
        Vault.open(journal_path, Secret(passphrase=PASSPHRASE), lock=False)
    unlock(qtbot, window, new)
    assert entry_titles(window) == ["Still mine"]
