"""Attachments on an entry, in the real window: attach a picture from a file, draw, record a
voice note (the recorder fed by a WAV file), play it from memory, remove and undo; lock,
unlock and open the file again: every attachment is there with the same bytes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from journal_app.domain.attachments import MAX_ATTACHMENT_BYTES, AttachmentKind
from journal_app.errors import WriteFailedError
from journal_app.storage.journal import Journal
from journal_app.storage.vault import Secret, Vault
from journal_app.ui import background
from journal_app.ui.widgets.attachment_tiles import PictureTile
from journal_app.ui.widgets.audio_pcm import read_wav
from journal_app.ui.widgets.picture_view import PictureDialog
from tests.ui.attachment_helpers import (
    back_to,
    choose_file,
    draw_with_mouse,
    png_bytes,
    record_from,
    silent_playback,
    voice_wav,
)
from tests.ui.test_journal_flow import (
    PASSPHRASE,
    create_with_wizard,
    lock,
    make_window,
    unlock,
    visible_titles,
    write_entry,
)

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def journal_path(tmp_path) -> Path:
    return tmp_path / "journal.ijournal"


@pytest.fixture
def window(qtbot, journal_path, no_modals):
    vault, _key = create_with_wizard(qtbot, journal_path)
    shown = make_window(qtbot, journal_path)
    shown.open_vault(vault)
    return shown


def stored_on_disk(path: Path) -> dict[AttachmentKind, list[bytes]]:
    """Every attachment of the journal file, by kind, read from disk with the passphrase."""
    vault = Vault.open(path, Secret(passphrase=PASSPHRASE), lock=False)
    try:
        journal = Journal(vault)
        found: dict[AttachmentKind, list[bytes]] = {}
        for attachment in journal.all_attachments():
            found.setdefault(attachment.kind, []).append(journal.attachment_data(attachment))
        return found
    finally:
        vault.close()


def strip_of(window):
    return window.journal_page.editor.attachments


def add(qtbot, window, button: str) -> None:
    """Press one of the strip's add buttons; wait until what was made is kept (its
    encrypted file is written on a worker)."""
    strip = strip_of(window)
    qtbot.mouseClick(getattr(strip, button), LEFT)
    qtbot.waitUntil(lambda: not strip.busy, timeout=10_000)


def attach_picture(qtbot, window, monkeypatch, path: Path) -> list[str]:
    offered = choose_file(monkeypatch, path)
    add(qtbot, window, "picture_button")
    return offered


def lock_now(qtbot, window) -> None:
    back_to(qtbot, window)
    lock(qtbot, window)


def reopen_entry(qtbot, window, title: str) -> None:
    """Lock, unlock and show the entry ``title`` on the Journal page."""
    lock_now(qtbot, window)
    unlock(qtbot, window, PASSPHRASE)
    titles = visible_titles(window)
    window.journal_page.show_entry(window.journal_page.model.entry_at(titles.index(title)).id)


def test_picture_drawing_and_voice_note_survive_lock_unlock_and_reopen(
        qtbot, window, journal_path, monkeypatch, tmp_path):
    players = silent_playback(monkeypatch)
    picture = png_bytes("#4a7bb7", (640, 400))
    (tmp_path / "sea.png").write_bytes(picture)
    wav = voice_wav(0.8)
    write_entry(qtbot, window, "The evening after", "Warm and slow.")
    strip = strip_of(window)

    offered = attach_picture(qtbot, window, monkeypatch, tmp_path / "sea.png")
    assert "*.png" in offered[0] and "*.webp" in offered[0], "the dialog offers pictures"
    drawings = draw_with_mouse(monkeypatch, qtbot)
    add(qtbot, window, "draw_button")
    recorded = record_from(monkeypatch, qtbot, wav)
    add(qtbot, window, "record_button")
    assert len(drawings) == 1 and len(recorded) == 1

    assert [t.attachment.kind for t in strip.tiles] == [AttachmentKind.IMAGE,
                                                         AttachmentKind.DRAWING]
    assert all(t.readable for t in strip.tiles)
    assert [r.label.text() for r in strip.rows] == ["Voice note · 0:01"]

    reopen_entry(qtbot, window, "The evening after")
    strip = strip_of(window)
    assert [t.attachment.kind for t in strip.tiles] == [AttachmentKind.IMAGE,
                                                         AttachmentKind.DRAWING]
    assert strip.rows[0].label.text() == "Voice note · 0:01"
    qtbot.mouseClick(strip.rows[0].play_button, LEFT)
    assert players[-1].played == [read_wav(recorded[0])], "played from memory"
    assert strip.rows[0].play_button.text() == "Stop"
    qtbot.mouseClick(strip.rows[0].play_button, LEFT)
    assert strip.rows[0].play_button.text() == "Play"

    strip.tiles[0].thumb.setFocus()
    qtbot.keyClick(strip.tiles[0].thumb, Qt.Key.Key_Return)
    viewers = [d for d in window.findChildren(PictureDialog) if d.isVisible()]
    assert len(viewers) == 1 and viewers[0].windowTitle() == "Picture"
    lock_now(qtbot, window)
    assert not any(d.isVisible() for d in window.findChildren(PictureDialog)), \
        "the larger view closes with the lock"
    assert strip_of(window).attachments == []

    window.close()
    on_disk = stored_on_disk(journal_path)
    assert on_disk[AttachmentKind.IMAGE] == [picture]
    assert on_disk[AttachmentKind.DRAWING] == drawings
    assert on_disk[AttachmentKind.VOICE] == recorded


def test_a_new_entry_is_stored_when_something_is_attached(qtbot, window, journal_path,
                                                          monkeypatch, tmp_path):
    (tmp_path / "leaf.png").write_bytes(png_bytes())
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    attach_picture(qtbot, window, monkeypatch, tmp_path / "leaf.png")
    page = window.journal_page
    assert page.editor.entry.id is not None, "the entry was stored to hold the picture"
    assert page.model.rowCount() == 1
    assert len(strip_of(window).tiles) == 1
    lock_now(qtbot, window)
    window.close()
    assert len(stored_on_disk(journal_path)[AttachmentKind.IMAGE]) == 1


def test_remove_and_undo_survive_a_reopen(qtbot, window, journal_path, monkeypatch,
                                          tmp_path):
    (tmp_path / "one.png").write_bytes(png_bytes("#aa5533"))
    (tmp_path / "two.png").write_bytes(png_bytes("#3355aa"))
    write_entry(qtbot, window, "Two pictures", "Both matter.")
    attach_picture(qtbot, window, monkeypatch, tmp_path / "one.png")
    attach_picture(qtbot, window, monkeypatch, tmp_path / "two.png")
    strip = strip_of(window)
    assert len(strip.tiles) == 2

    qtbot.mouseClick(strip.tiles[0].remove_button, LEFT)
    assert len(strip.tiles) == 1
    assert strip.undo_bar.isVisible() and strip.undo_label.text() == "Picture removed."
    assert strip.undo_button.hasFocus(), "Undo is where the keyboard is"
    qtbot.mouseClick(strip.undo_button, LEFT)
    assert len(strip.tiles) == 2 and not strip.undo_bar.isVisible()
    assert strip.tiles[0].thumb.hasFocus(), "the keyboard is on the picture put back"

    qtbot.mouseClick(strip.tiles[1].remove_button, LEFT)  # this one stays removed
    reopen_entry(qtbot, window, "Two pictures")
    assert len(strip_of(window).tiles) == 1
    lock_now(qtbot, window)
    window.close()
    assert stored_on_disk(journal_path)[AttachmentKind.IMAGE] == [png_bytes("#aa5533")]


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as file:
        file.truncate(size)
    return path


@pytest.mark.parametrize("case", ["text", "truncated", "wav", "huge", "too_many_pixels"])
def test_a_file_the_journal_cannot_keep_is_refused_calmly(qtbot, window, journal_path,
                                                          monkeypatch, tmp_path, no_modals,
                                                          case):
    picture = png_bytes()
    header = picture[:24]
    wide = bytearray(header)
    wide[16:20] = (20_000).to_bytes(4, "big")
    path = {
        "text": lambda: tmp_path / "notes.png",
        "truncated": lambda: tmp_path / "cut.png",
        "wav": lambda: tmp_path / "voice.png",
        "huge": lambda: _sparse(tmp_path / "huge.png", MAX_ATTACHMENT_BYTES + 1),
        "too_many_pixels": lambda: tmp_path / "wide.png",
    }[case]()
    contents = {"text": b"just some words", "truncated": picture[:len(picture) // 2],
                "wav": voice_wav(0.2), "too_many_pixels": bytes(wide) + picture[24:]}
    if case in contents:
        path.write_bytes(contents[case])
    write_entry(qtbot, window, "Nothing half attached", "Words.")
    attach_picture(qtbot, window, monkeypatch, path)
    assert strip_of(window).tiles == []
    assert window.journal.data.all_attachments() == []
    expected = {"text": "isn't a picture", "truncated": "may be damaged",
                "wav": "isn't a picture", "huge": "larger than 50 MB",
                "too_many_pixels": "16384 pixels"}[case]
    assert [title for title, _text in no_modals] == ["Picture not attached"]
    assert expected in no_modals[0][1] and "Nothing was attached." in no_modals[0][1]


def test_cancelling_the_file_dialog_attaches_nothing(qtbot, window, monkeypatch, no_modals):
    write_entry(qtbot, window, "Changed my mind", "Words.")
    attach_picture(qtbot, window, monkeypatch, None)
    assert strip_of(window).tiles == [] and no_modals == []


def test_a_damaged_attachment_says_so_in_place(qtbot, window, journal_path, monkeypatch,
                                               tmp_path):
    (tmp_path / "p.png").write_bytes(png_bytes())
    write_entry(qtbot, window, "Kept apart", "The text still opens.")
    attach_picture(qtbot, window, monkeypatch, tmp_path / "p.png")
    record_from(monkeypatch, qtbot, voice_wav(0.3))
    add(qtbot, window, "record_button")
    lock_now(qtbot, window)
    for blob in (journal_path.parent / f"{journal_path.name}.attachments").iterdir():
        data = bytearray(blob.read_bytes())
        data[len(data) // 2] ^= 0x55
        blob.write_bytes(bytes(data))

    silent_playback(monkeypatch)
    unlock(qtbot, window, PASSPHRASE)
    visible_titles(window)
    strip = strip_of(window)
    assert window.journal_page.editor.body.toPlainText() == "The text still opens."
    tile = strip.tiles[0]
    assert isinstance(tile, PictureTile) and not tile.readable
    assert tile.thumb.text() == "This attachment couldn't be read"
    qtbot.mouseClick(strip.rows[0].play_button, LEFT)
    assert strip.rows[0].problem.text() == "This attachment couldn't be read"
    assert not strip.rows[0].play_button.isEnabled()


def test_showing_an_entry_reads_no_voice_note_until_play(qtbot, window, monkeypatch):
    silent_playback(monkeypatch)
    write_entry(qtbot, window, "Only a voice", "")
    record_from(monkeypatch, qtbot, voice_wav(0.3))
    add(qtbot, window, "record_button")
    reads = []
    data = window.journal.data
    original = data.attachment_data
    monkeypatch.setattr(data, "attachment_data",
                        lambda a: reads.append(a) or original(a))
    window.journal_page.editor.clear()
    visible_titles(window)
    window.journal_page.refresh()
    strip = strip_of(window)
    assert len(strip.rows) == 1 and reads == [], "listing a voice note reads no sound"
    qtbot.mouseClick(strip.rows[0].play_button, LEFT)
    assert len(reads) == 1


def test_a_full_disk_while_keeping_an_attachment_is_calm(qtbot, window, monkeypatch,
                                                         tmp_path, no_modals):
    (tmp_path / "p.png").write_bytes(png_bytes())
    write_entry(qtbot, window, "Disk full", "The words are safe.")

    def full(*_args):
        raise WriteFailedError("The disk is full. Nothing was lost.")

    monkeypatch.setattr(window.journal.data, "stage_attachment", full)
    attach_picture(qtbot, window, monkeypatch, tmp_path / "p.png")
    strip = strip_of(window)
    assert strip.tiles == [] and window.journal.data.all_attachments() == []
    assert no_modals == [("Not attached", "The disk is full. Nothing was lost.")]
    assert strip.picture_button.isEnabled() and not strip.undo_bar.isVisible()


def test_locking_while_an_attachment_is_written_leaves_nothing_half_done(
        qtbot, window, monkeypatch, tmp_path, no_modals):
    (tmp_path / "p.png").write_bytes(png_bytes())
    write_entry(qtbot, window, "Locked meanwhile", "Words.")
    release = threading.Event()
    data = window.journal.data
    original = data.stage_attachment

    def slow(kind, payload):
        release.wait(10)
        return original(kind, payload)

    monkeypatch.setattr(data, "stage_attachment", slow)
    choose_file(monkeypatch, tmp_path / "p.png")
    qtbot.mouseClick(strip_of(window).picture_button, LEFT)
    assert strip_of(window).busy and "Keeping it" in strip_of(window).undo_label.text()
    lock_now(qtbot, window)
    release.set()
    qtbot.waitUntil(lambda: not background.busy(), timeout=10_000)
    unlock(qtbot, window, PASSPHRASE)
    visible_titles(window)
    assert window.journal.data.all_attachments() == [] and no_modals == []
    assert not strip_of(window).busy, "the buttons work again"
