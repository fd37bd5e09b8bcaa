"""Quick capture on the lock screen with a picture or a voice note: sealed with the note
while locked, and after unlock the merged quick note shows it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal_app.domain.attachments import AttachmentKind
from journal_app.storage import inbox
from journal_app.ui.dialogs import quick_note
from tests.ui.attachment_helpers import (
    choose_file,
    png_bytes,
    record_from,
    silent_playback,
    voice_wav,
)
from tests.ui.test_journal_flow import (
    PASSPHRASE,
    create_with_wizard,
    make_window,
    unlock,
    visible_titles,
)

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def locked_window(qtbot, tmp_path, no_modals):
    path = tmp_path / "journal.ijournal"
    vault, _key = create_with_wizard(qtbot, path)
    vault.close()
    return make_window(qtbot, path), path


def write_quick_note(monkeypatch, qtbot, window, text: str,
                     attach) -> list[quick_note.QuickNoteDialog]:
    """Open the quick note from the lock screen, type ``text``, run ``attach(dialog)`` and
    keep the note; the dialogs seen."""
    seen = []

    def run(dialog):
        seen.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.text, text)
        attach(dialog)
        qtbot.mouseClick(dialog.save_button, LEFT)
        return dialog.result()

    monkeypatch.setattr(quick_note.QuickNoteDialog, "exec", run)
    qtbot.mouseClick(window.unlock_screen.quick_note_button, LEFT)
    return seen


def test_a_picture_sealed_while_locked_is_on_the_quick_note_after_unlock(
        qtbot, locked_window, monkeypatch, tmp_path):
    window, path = locked_window
    picture = png_bytes("#c07a3c", (500, 360))
    (tmp_path / "sky.png").write_bytes(picture)
    choose_file(monkeypatch, tmp_path / "sky.png")

    def attach(dialog):
        qtbot.mouseClick(dialog.picture_button, LEFT)
        assert len(dialog.strip.tiles) == 1 and dialog.strip.tiles[0].readable
        assert not dialog.picture_button.isEnabled(), "one picture or voice note per note"

    seen = write_quick_note(monkeypatch, qtbot, window, "orange sky", attach)
    assert len(inbox.inbox_items(path)) == 1
    assert seen[0].shelf.kept() == [] and seen[0].strip.attachments == [], \
        "the window lets go of the picture once it is sealed"

    unlock(qtbot, window, PASSPHRASE)
    assert len(visible_titles(window)) == 1
    assert window.journal_page.model.entry_at(0).display_title == "orange sky"
    strip = window.journal_page.editor.attachments
    assert [t.attachment.kind for t in strip.tiles] == [AttachmentKind.IMAGE]
    assert strip.tiles[0].readable
    data = window.journal.data
    [attachment] = data.all_attachments()
    assert data.attachment_data(attachment) == picture


def test_a_voice_note_alone_makes_a_quick_note(qtbot, locked_window, monkeypatch):
    window, path = locked_window
    silent_playback(monkeypatch)
    recorded = record_from(monkeypatch, qtbot, voice_wav(1.2))
    write_quick_note(monkeypatch, qtbot, window, "",
                     lambda dialog: qtbot.mouseClick(dialog.voice_button, LEFT))
    assert len(recorded) == 1 and len(inbox.inbox_items(path)) == 1
    unlock(qtbot, window, PASSPHRASE)
    assert len(visible_titles(window)) == 1
    strip = window.journal_page.editor.attachments
    assert [r.label.text() for r in strip.rows] == ["Voice note · 0:01"]
    [attachment] = window.journal.data.all_attachments()
    assert window.journal.data.attachment_data(attachment) == recorded[0]


def test_an_empty_note_without_anything_attached_is_not_kept(qtbot, locked_window,
                                                            monkeypatch):
    window, path = locked_window

    def run(dialog):
        dialog.keep()
        assert dialog.message.text() == "The note is empty."
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(quick_note.QuickNoteDialog, "exec", run)
    qtbot.mouseClick(window.unlock_screen.quick_note_button, LEFT)
    assert inbox.inbox_items(path) == []


def test_a_quick_note_whose_picture_cant_be_kept_says_so_at_unlock(qtbot, locked_window,
                                                                   no_modals):
    """The words are added, and the person is told the picture wasn't, never silently."""
    window, path = locked_window
    note = inbox.seal_note_with_attachment(path, "words survive", AttachmentKind.IMAGE,
                                           png_bytes("#3c7ac0", (40, 30)))
    damaged = bytearray(note.read_bytes())
    damaged[-40] ^= 0x01  # inside the attachment's own authenticated part
    note.write_bytes(bytes(damaged))
    unlock(qtbot, window, PASSPHRASE)
    assert len(visible_titles(window)) == 1
    assert window.journal_page.model.entry_at(0).display_title == "words survive"
    assert window.journal.data.all_attachments() == []
    [(title, text)] = [shown for shown in no_modals if "kept" in shown[0]]
    assert title == "A voice note or picture wasn't kept"
    assert "1 quick note" in text and "inbox folder" in text
