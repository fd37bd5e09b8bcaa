"""The prompt flow in the real GUI: walking a preparation by keyboard, skipping, leaving and
resuming (also across closing the journal file), editing a finished step, accessibility."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QPlainTextEdit, QWidget

from journal_app.domain.entities import EntryKind
from journal_app.domain.prompts import AnswerType, default_library
from journal_app.domain.timeline import StepStatus
from journal_app.ui.dialogs.prompt_flow import PromptFlowDialog, flush_flows, open_step_flow
from tests.ui.prep_helpers import (
    add_session,
    answer_by_keyboard,
    care,
    close_flows,
    create_journal,
    finish_with,
    focused,
    open_flow,
    press_back,
    press_next,
    reopen_journal,
)

PREPARATION = default_library().for_step("preparation")
#: What the keyboard gives each prompt: text, a digit for a scale, a count of ticked items
#: for a checklist, the number of arrow-downs for a single choice.
SAMPLE = {p.id: f"My own words for {p.id.replace('_', ' ')}" for p in PREPARATION
          if p.answer_type is AnswerType.TEXT}
SAMPLE |= {"set_sleep": "1", "setting_place": "0", "setting_items": "2",
           "logistics_checklist": "3", "mood_before": "6", "anxiety_before": "3"}


@pytest.fixture
def host(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def journal(tmp_path):
    opened = create_journal(tmp_path / "journal.ijournal")
    yield opened
    if not opened.vault.closed:
        opened.close()


def test_whole_preparation_by_keyboard_makes_a_readable_entry(qtbot, host, journal):
    session = add_session(journal, 3)
    dialog = open_flow(qtbot, host, journal, session.id)
    flow = dialog.flow
    cancelled = []
    dialog.cancelled.connect(lambda: cancelled.append(True))
    with qtbot.waitSignal(dialog.finished, timeout=5_000) as done:
        for index, prompt in enumerate(PREPARATION):
            assert flow.counter.text() == f"Step {index + 1} of {len(PREPARATION)}"
            assert flow.title.text() == prompt.title
            assert flow.optional.isVisibleTo(flow) == prompt.optional
            assert flow.answer.isAncestorOf(focused()), "the answer has the focus"
            answer_by_keyboard(qtbot, prompt, SAMPLE[prompt.id])
            press_next(qtbot)
    entry = journal.repo.get_entry(done.args[0])
    assert entry.kind is EntryKind.PREPARATION
    assert entry.session_id == session.id
    assert entry.title == "Preparation for session 3"
    assert "preparation" in entry.tags
    for prompt in PREPARATION:
        if prompt.answer_type is AnswerType.TEXT:
            assert f"## {prompt.question}\n\n{SAMPLE[prompt.id]}" in entry.body
    assert "## How is your mood right now?\n\n6 / 10" in entry.body
    assert "How have you been sleeping the last night or two?\n\nAbout as usual" in entry.body
    assert "- [x] A ride home is arranged" in entry.body
    assert "- [x] For a session at home: a support person" in entry.body
    assert "- [ ] The clinic’s phone number is at hand" in entry.body

    answers_repo, timeline = care(journal)
    stored = answers_repo.load_answers(entry.id)
    assert [a.prompt_id for a in stored] == [p.id for p in PREPARATION]
    for answer, prompt in zip(stored, PREPARATION, strict=True):
        assert (answer.prompt_version, answer.question) == (prompt.version, prompt.question)
    by_id = {a.prompt_id: a.answer for a in stored}
    assert by_id["logistics_checklist"] == ["ride_home", "no_driving", "support_person"]
    assert by_id["setting_items"] == ["eyeshades", "headphones"]
    assert (by_id["mood_before"], by_id["anxiety_before"]) == (6, 3)
    record = timeline.step_records(session.id)["preparation"]
    assert (record.status, record.entry_id) == (StepStatus.DONE, entry.id)

    assert dialog.pages.currentWidget() is dialog.done_page
    assert flow.title.text() == "" and flow.answer is None, "the answers leave the screen"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not host.findChildren(PromptFlowDialog), timeout=5_000)
    assert cancelled == [], "closing after Finish is not a cancel"


def test_skip_leaves_a_prompt_out_and_back_shows_it_empty(qtbot, host, journal):
    session = add_session(journal, 1)
    dialog = open_flow(qtbot, host, journal, session.id)
    flow = dialog.flow
    qtbot.mouseClick(flow.skip_button, Qt.MouseButton.LeftButton)
    assert flow.counter.text().startswith("Step 2 of")
    press_back(qtbot)
    assert flow.state.position == 0
    assert flow.answer.value() == ""
    qtbot.keyClicks(focused(), "x")
    assert not flow.skip_button.isEnabled(), "Skip never throws away written words"
    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)
    assert flow.skip_button.isEnabled()
    entry_id = finish_with(qtbot, dialog, {"set_motivation": "Because I am ready."})
    entry = journal.repo.get_entry(entry_id)
    assert "Because I am ready." in entry.body
    assert PREPARATION[0].question not in entry.body
    stored = care(journal)[0].load_answers(entry_id)
    assert stored[0].prompt_id == "intention" and stored[0].skipped
    assert stored[0].answer is None


def test_leaving_half_way_resumes_at_the_same_prompt_with_answers(qtbot, host, journal):
    session = add_session(journal, 2)
    dialog = open_flow(qtbot, host, journal, session.id)
    qtbot.keyClicks(focused(), "Softness with myself")
    press_next(qtbot)
    qtbot.mouseClick(dialog.flow.skip_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(focused(), "Typed, not yet moved on")  # step 3, no Next
    with qtbot.waitSignal(dialog.cancelled, timeout=5_000):
        qtbot.mouseClick(dialog.flow.later_button, Qt.MouseButton.LeftButton)
    record = care(journal)[1].step_records(session.id)["preparation"]
    assert record.status is StepStatus.IN_PROGRESS
    assert journal.state == "unsaved", "progress counts as a change to save"

    journal = reopen_journal(journal)  # save, close the file, open it again
    try:
        dialog = open_flow(qtbot, host, journal, session.id)
        flow = dialog.flow
        assert flow.counter.text() == f"Step 3 of {len(PREPARATION)}"
        assert flow.answer.value() == "Typed, not yet moved on"
        press_back(qtbot)
        assert flow.answer.value() == "", "the skipped prompt stays empty"
        press_back(qtbot)
        assert flow.answer.value() == "Softness with myself"
        dialog.close()
    finally:
        journal.close()


def test_closing_the_window_keeps_progress_and_a_second_open_raises_the_first(
        qtbot, host, journal):
    session = add_session(journal, 1)
    dialog = open_flow(qtbot, host, journal, session.id)
    assert open_step_flow(host, journal, session.id, "preparation") is dialog
    qtbot.keyClicks(focused(), "Open")
    press_next(qtbot)
    with qtbot.waitSignal(dialog.cancelled, timeout=5_000):
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    again = open_flow(qtbot, host, journal, session.id)
    assert again.flow.state.position == 1
    assert again.flow.state.answers["intention"] == "Open"
    again.close()


def test_reopening_a_done_step_edits_the_same_entry(qtbot, host, journal):
    session = add_session(journal, 4)
    first = finish_with(qtbot, open_flow(qtbot, host, journal, session.id),
                        {"intention": "First words", "mood_before": "5"})
    close_flows(host)
    dialog = open_flow(qtbot, host, journal, session.id)
    flow = dialog.flow
    assert flow.state.position == 0 and flow.answer.value() == "First words"
    # Half-way: change the intention, move on, close. The entry follows; the step stays done.
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused(), "Second words")
    press_next(qtbot)
    dialog.close()
    assert "Second words" in journal.repo.get_entry(first).body
    assert care(journal)[1].step_records(session.id)["preparation"].status is StepStatus.DONE

    dialog = open_flow(qtbot, host, journal, session.id)
    second = finish_with(qtbot, dialog, {"set_motivation": "Added later"})
    assert second == first
    entry = journal.repo.get_entry(first)
    assert "Second words" in entry.body and "Added later" in entry.body
    assert "First words" not in entry.body
    assert "5 / 10" in entry.body, "answers not touched again are kept"
    assert len(journal.repo.list_entries(kind=EntryKind.PREPARATION)) == 1


def test_last_sessions_intention_is_shown_beside_the_new_one(qtbot, host, journal):
    earlier = add_session(journal, 1, days_ahead=-14)
    finish_with(qtbot, open_flow(qtbot, host, journal, earlier.id),
                {"intention": "Meet the grief gently"})
    close_flows(host)
    later = add_session(journal, 2)
    flow = open_flow(qtbot, host, journal, later.id).flow
    assert flow.note.isVisibleTo(flow)
    assert "Meet the grief gently" in flow.note.text()
    assert "session 1" in flow.note.text()
    press_next(qtbot)
    assert not flow.note.isVisibleTo(flow)


def test_an_integration_step_keeps_the_intention_in_view(qtbot, host, journal):
    session = add_session(journal, 3, days_ahead=-1)
    finish_with(qtbot, open_flow(qtbot, host, journal, session.id),
                {"intention": "Let the fear loosen"})
    close_flows(host)
    dialog = open_flow(qtbot, host, journal, session.id, "day1")
    assert "Let the fear loosen" in dialog.flow.note.text()
    first_day1 = default_library().for_step("day1")[0]
    entry_id = finish_with(qtbot, dialog, {first_day1.id: "Warmth in my chest"})
    entry = journal.repo.get_entry(entry_id)
    assert entry.kind is EntryKind.INTEGRATION
    assert entry.title == "Day 1 after session 3"
    assert "integration" in entry.tags and "Warmth in my chest" in entry.body
    assert care(journal)[1].step_records(session.id)["day1"].status is StepStatus.DONE


def test_a_rating_can_be_taken_back_with_clear(qtbot, host, journal):
    session = add_session(journal, 1)
    flow = open_flow(qtbot, host, journal, session.id).flow
    while flow.state.prompt.id != "mood_before":
        qtbot.mouseClick(flow.skip_button, Qt.MouseButton.LeftButton)
    assert not flow.answer.clear_button.isVisibleTo(flow)
    qtbot.keyClicks(focused(), "7")
    assert flow.answer.value() == 7 and not flow.skip_button.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_Right)
    assert flow.answer.value() == 8, "arrow keys move along the scale"
    qtbot.mouseClick(flow.answer.clear_button, Qt.MouseButton.LeftButton)
    assert flow.answer.value() is None and flow.skip_button.isEnabled()


def test_every_control_of_the_flow_has_an_accessible_name(qtbot, host, journal):
    session = add_session(journal, 1)
    dialog = open_flow(qtbot, host, journal, session.id)
    flow = dialog.flow
    seen_types = set()
    while flow.state is not None:
        seen_types.add(flow.state.prompt.answer_type)
        controls = [w for w in flow.findChildren(QWidget)
                    if isinstance(w, QAbstractButton | QPlainTextEdit) and w.isVisibleTo(flow)]
        assert controls
        nameless = [type(w).__name__ for w in controls if not w.accessibleName().strip()]
        assert nameless == [], flow.state.prompt.id
        assert flow.bar.accessibleName() == "Progress"
        if flow.state.prompt.id == "set_hard_plan":  # the leaning-in advice, seen and heard
            assert "turning toward it with curiosity" in flow.help.text()
            assert "turning toward it with curiosity" in focused().accessibleDescription()
        qtbot.mouseClick(flow.skip_button, Qt.MouseButton.LeftButton)
    assert seen_types == set(AnswerType)


def test_lock_saves_typing_then_closes_the_window(qtbot, host, journal):
    session = add_session(journal, 1)
    dialog = open_flow(qtbot, host, journal, session.id)
    signals = []
    dialog.cancelled.connect(lambda: signals.append("cancelled"))
    dialog.finished.connect(lambda _id: signals.append("finished"))
    qtbot.keyClicks(focused(), "Still typing")
    flush_flows(host)  # what the main window does before saving for a lock
    progress = care(journal)[1].step_records(session.id)["preparation"].progress
    assert progress["answers"]["intention"] == "Still typing"
    journal.close()
    journal.deleteLater()
    qtbot.waitUntil(lambda: not host.findChildren(PromptFlowDialog), timeout=5_000)
    assert signals == [], "a lock is neither a finish nor a cancel: the page is gone too"
