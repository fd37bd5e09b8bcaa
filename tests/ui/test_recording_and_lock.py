"""A voice note being recorded holds off the idle lock, and a lock never leaves a question
about an unkept recording or drawing on the lock screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal_app.ui import messages
from journal_app.ui.dialogs.draw_dialog import DrawDialog
from journal_app.ui.dialogs.record_dialog import RecordDialog
from journal_app.ui.hub import Hub
from journal_app.ui.shell.main_window import MainWindow
from journal_app.ui.widgets.audio_sources import WavFileSource
from tests.helpers.journals import PASSPHRASE, make_journal
from tests.ui.attachment_helpers import SilentPlayer
from tests.ui.test_drawing_canvas import MIDDLE_ROW, stroke
from tests.ui.test_voice_recorder import tone_wav


@pytest.fixture
def window(qtbot, tmp_path) -> MainWindow:
    made = make_journal(tmp_path / "j", ("kept",))
    window = MainWindow(made.path, Hub(), auto_lock_minutes=5)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClicks(window.unlock_screen.secret, PASSPHRASE)
    with qtbot.waitSignal(window.hub.journal_unlocked, timeout=10_000):
        qtbot.keyClick(window.unlock_screen.secret, Qt.Key.Key_Return)
    return window


def _recording(window: MainWindow, seconds: float) -> RecordDialog:
    """A record window over the journal, fed a WAV in real time (as if spoken)."""
    source = WavFileSource(tone_wav(seconds, 0.0), chunk_ms=50, interval_ms=50)
    dialog = RecordDialog(window, source=source, player=SilentPlayer())
    dialog.show()
    dialog.recorder.start_recording()
    return dialog


def test_the_idle_lock_waits_while_a_voice_note_is_recorded(qtbot, window, monkeypatch):
    monkeypatch.setattr(messages, "confirm_discard", lambda *_a: True)  # never a real box
    dialog = _recording(window, 1.2)
    locked: list[bool] = []
    window.hub.journal_locked.connect(lambda: locked.append(True))
    window.idle.set_minutes(0.003)  # ~180 ms, far less than the recording
    qtbot.waitUntil(lambda: dialog.recorder.is_busy(), timeout=5_000)
    qtbot.wait(700)
    assert dialog.recorder.is_busy() and not locked, "locked while the person was speaking"
    with qtbot.waitSignal(window.hub.journal_locked, timeout=10_000):
        pass  # once the recording ends, idle time counts again
    assert not dialog.isVisible()


def test_a_lock_closes_an_unkept_recording_and_drawing_without_asking(qtbot, window,
                                                                      monkeypatch):
    monkeypatch.setattr(messages, "confirm_discard",
                        lambda *_a: pytest.fail("asked on the lock screen"))
    recording = _recording(window, 0.2)
    qtbot.waitUntil(lambda: recording.recorder.has_recording(), timeout=10_000)
    drawing = DrawDialog(window)
    drawing.show()
    stroke(drawing.canvas, MIDDLE_ROW)
    with qtbot.waitSignal(window.hub.journal_locked, timeout=10_000):
        window.lock()
    assert not recording.isVisible() and not drawing.isVisible()
    assert recording.wav() == b"" and drawing.png() == b""
