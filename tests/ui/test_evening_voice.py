"""The evening after a session: "Say it" and "Draw it" beside "A few words". What is
recorded or drawn waits in memory until the flow stores its entry, then is attached;
leaving before that asks first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from journal_app.domain.attachments import AttachmentKind
from journal_app.domain.prompts import AnswerType, default_library
from journal_app.domain.step_entry import CAPTURE_PROMPTS, offers_capture
from journal_app.domain.timeline import StepStatus
from journal_app.errors import WriteFailedError
from journal_app.ui import messages
from journal_app.ui.dialogs.prompt_flow import PromptFlowDialog
from tests.ui.attachment_helpers import back_to, draw_with_mouse, record_from, voice_wav
from tests.ui.prep_helpers import (
    add_session,
    care,
    create_journal,
    finish_with,
    focused,
    open_flow,
    press_next,
    reopen_journal,
)

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def host(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def journal(tmp_path):
    opened = {"journal": create_journal(tmp_path / "journal.ijournal")}
    yield opened
    if not opened["journal"].vault.closed:
        opened["journal"].close()


def evening(qtbot, host, journal):
    session = add_session(journal, 2, days_ahead=-0.2)
    return session, open_flow(qtbot, host, journal, session.id, "day0")


def asked(monkeypatch, answer: bool) -> list[str]:
    questions: list[str] = []
    monkeypatch.setattr(messages, "confirm_discard",
                        lambda _p, title, text, _yes, _no: questions.append(text) or answer)
    return questions


def test_say_it_makes_a_finished_evening_note_with_only_a_voice_note(
        qtbot, host, journal, monkeypatch):
    session, dialog = evening(qtbot, host, journal["journal"])
    flow = dialog.flow
    assert flow.title.text() == "A few words"
    bar = flow.capture_bar
    assert bar.isVisibleTo(flow)
    assert [bar.say_button.text(), bar.draw_button.text()] == ["Say it", "Draw it"]
    wav = voice_wav(1.2)
    recorded = record_from(monkeypatch, qtbot, wav)
    qtbot.mouseClick(bar.say_button, LEFT)
    assert [row.label.text() for row in bar.strip.rows] == ["Voice note · 0:01"]
    assert not flow.skip_button.isEnabled(), "with a voice note the prompt goes on with Next"
    assert journal["journal"].data.all_attachments() == [], "kept in memory until the end"

    back_to(qtbot, dialog)
    assert focused() is bar.say_button, "the keyboard is back where it was"
    press_next(qtbot)
    assert not bar.isVisibleTo(flow), "only the first evening prompt offers it"
    entry_id = finish_with(qtbot, dialog, {})
    reopened = reopen_journal(journal["journal"])
    journal["journal"] = reopened
    entry = reopened.repo.get_entry(entry_id)
    assert entry.title == "The evening after session 2"
    assert entry.body.strip() == "", "nothing typed: the voice note is the note"
    [attachment] = reopened.data.attachments_for(entry_id)
    assert attachment.kind is AttachmentKind.VOICE
    assert reopened.data.attachment_data(attachment) == recorded[0]
    record = care(reopened)[1].step_records(session.id)["day0"]
    assert (record.status, record.entry_id) == (StepStatus.DONE, entry_id)
    words = care(reopened)[0].load_answers(entry_id)[0]
    assert words.prompt_id == "day0_words" and words.skipped


def test_draw_it_beside_a_few_words(qtbot, host, journal, monkeypatch):
    _session, dialog = evening(qtbot, host, journal["journal"])
    drawings = draw_with_mouse(monkeypatch, qtbot)
    qtbot.mouseClick(dialog.flow.capture_bar.draw_button, LEFT)
    assert len(dialog.flow.capture_bar.strip.tiles) == 1
    back_to(qtbot, dialog)
    dialog.flow.answer.focus_answer()  # a click back into the words
    entry_id = finish_with(qtbot, dialog, {"day0_words": "soft, far away"})
    journal["journal"] = reopened = reopen_journal(journal["journal"])
    assert "soft, far away" in reopened.repo.get_entry(entry_id).body
    [attachment] = reopened.data.attachments_for(entry_id)
    assert attachment.kind is AttachmentKind.DRAWING
    assert reopened.data.attachment_data(attachment) == drawings[0]


def test_leaving_with_a_recording_asks_before_it_is_dropped(qtbot, host, journal,
                                                            monkeypatch):
    opened = journal["journal"]
    session, dialog = evening(qtbot, host, opened)
    flow = dialog.flow
    qtbot.keyClicks(focused(), "heavy")
    record_from(monkeypatch, qtbot, voice_wav(0.4))
    qtbot.mouseClick(flow.capture_bar.say_button, LEFT)

    questions = asked(monkeypatch, False)
    qtbot.mouseClick(flow.later_button, LEFT)
    dialog.close()
    assert len(questions) == 2 and "Your voice note will be kept once you finish" in \
        questions[0]
    assert dialog.isVisible() and flow.store.captures.has_pending, "they went back"

    questions = asked(monkeypatch, True)
    qtbot.mouseClick(flow.later_button, LEFT)
    assert len(questions) == 1, "asked once, not again as the window closes"
    qtbot.waitUntil(lambda: not host.findChildren(PromptFlowDialog), timeout=5_000)
    assert opened.data.all_attachments() == []
    record = care(opened)[1].step_records(session.id)["day0"]
    assert record.status is StepStatus.IN_PROGRESS, "the words typed are kept"
    assert record.progress["answers"]["day0_words"] == "heavy"


def test_leaving_with_nothing_recorded_does_not_ask(qtbot, host, journal, monkeypatch):
    _session, dialog = evening(qtbot, host, journal["journal"])
    questions = asked(monkeypatch, False)
    qtbot.mouseClick(dialog.flow.later_button, LEFT)
    qtbot.waitUntil(lambda: not host.findChildren(PromptFlowDialog), timeout=5_000)
    assert questions == []


def test_a_failed_attach_at_finish_keeps_the_recording_and_finish_tries_again(
        qtbot, host, journal, monkeypatch):
    opened = journal["journal"]
    _session, dialog = evening(qtbot, host, opened)
    flow = dialog.flow
    recorded = record_from(monkeypatch, qtbot, voice_wav(0.4))
    qtbot.mouseClick(flow.capture_bar.say_button, LEFT)
    original = opened.data.add_attachment

    def disk_full(*_args):
        raise WriteFailedError("The disk is full. Nothing was lost.")

    monkeypatch.setattr(opened.data, "add_attachment", disk_full)
    while not flow.state.at_end:
        qtbot.mouseClick(flow.next_button if not flow.skip_button.isEnabled()
                         else flow.skip_button, LEFT)
    qtbot.mouseClick(flow.skip_button, LEFT)
    assert flow.problem.isVisible() and "disk is full" in flow.problem.text()
    assert dialog.pages.currentWidget() is flow and flow.store.captures.has_pending

    monkeypatch.setattr(opened.data, "add_attachment", original)
    with qtbot.waitSignal(dialog.finished, timeout=5_000) as done:
        qtbot.mouseClick(flow.next_button, LEFT)
    [attachment] = opened.data.attachments_for(done.args[0])
    assert opened.data.attachment_data(attachment) == recorded[0]


def test_a_finished_evening_note_takes_a_voice_note_at_once(qtbot, host, journal,
                                                            monkeypatch):
    opened = journal["journal"]
    session, dialog = evening(qtbot, host, opened)
    entry_id = finish_with(qtbot, dialog, {"day0_words": "tired, open"})
    dialog.close()
    dialog = open_flow(qtbot, host, opened, session.id, "day0")
    record_from(monkeypatch, qtbot, voice_wav(0.4))
    qtbot.mouseClick(dialog.flow.capture_bar.say_button, LEFT)
    assert [a.kind for a in opened.data.attachments_for(entry_id)] == [AttachmentKind.VOICE]
    questions = asked(monkeypatch, False)
    dialog.close()
    assert questions == [], "nothing waits: it is already with the note"
    dialog = open_flow(qtbot, host, opened, session.id, "day0")
    assert len(dialog.flow.capture_bar.strip.rows) == 1, "the note's voice note is shown"


def test_only_the_first_evening_prompt_offers_say_it_and_draw_it():
    for step, prompt_ids in CAPTURE_PROMPTS.items():
        prompts = {p.id: p for p in default_library().for_step(step)}
        for prompt_id in prompt_ids:
            assert prompts[prompt_id].answer_type is AnswerType.TEXT, "beside typed words"
    assert offers_capture("day0", "day0_words")
    assert not offers_capture("day0", "day0_mood")
    assert not offers_capture("day1", "day0_words")
    assert not offers_capture("preparation", "intention")


def test_say_it_and_draw_it_are_named_and_follow_the_words_on_tab(qtbot, host, journal):
    _session, dialog = evening(qtbot, host, journal["journal"])
    bar = dialog.flow.capture_bar
    assert bar.say_button.accessibleName() == "Record a voice note"
    assert bar.draw_button.accessibleName() == "Make a drawing"
    assert focused() is dialog.flow.answer.edit
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is bar.say_button
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is bar.draw_button
