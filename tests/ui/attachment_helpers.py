"""Making attachments in GUI tests the way a person would, without a microphone.

* a picture file chosen in "Attach picture…" (the file dialog answers with a path);
* a drawing drawn with the mouse in the real Draw window;
* a voice note recorded in the real Say it window, the recorder fed by a WAV file
  (``WavFileSource``) instead of the microphone;
* playback into a silent player that remembers what it was given.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from journal_app.ui.dialogs import draw_dialog, picture_file, record_dialog
from journal_app.ui.widgets import attachment_strip
from journal_app.ui.widgets.audio_pcm import wav_bytes
from journal_app.ui.widgets.audio_playback import PcmPlayer
from journal_app.ui.widgets.audio_sources import WavFileSource

LEFT = Qt.MouseButton.LeftButton


def back_to(qtbot, window) -> None:
    """``window`` is active again after a dialog closed (as a window manager does)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)


def png_bytes(colour: str = "#2f7f6f", size: tuple[int, int] = (320, 200), *,
              text: str = "") -> bytes:
    """A PNG of one colour; ``text`` goes into a tEXt chunk (as a camera's notes would)."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    if text:
        image.setText("Comment", text)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def voice_wav(seconds: float = 0.6, *, spelling: bytes = b"", rate: int = 16_000) -> bytes:
    """A soft tone; ``spelling`` makes the samples spell those bytes instead, over and
    over (a canary a scan can look for in the sound itself)."""
    if spelling:
        count = int(rate * seconds) * 2
        pcm = (spelling * (count // len(spelling) + 1))[:count]
        return wav_bytes(pcm[:len(pcm) - len(pcm) % 2], rate)
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 330 * i / rate)))
                      for i in range(int(rate * seconds)))
    return wav_bytes(frames, rate)


class SilentPlayer(PcmPlayer):
    """Plays nothing; remembers the sound it was given (played from memory).
    ``available=False`` stands for a computer without sound output."""

    def __init__(self, available: bool = True, parent=None) -> None:
        super().__init__(parent)
        self._available = available
        self.played: list[tuple[bytes, int]] = []
        self.playing = False

    def available(self) -> bool:
        return self._available

    def play(self, pcm: bytes, sample_rate: int) -> bool:
        self.played.append((pcm, sample_rate))
        self.playing = True
        return True

    def stop(self) -> None:
        if self.playing:
            self.playing = False
            self.finished.emit()

    def position_ms(self) -> int:
        return 0


def silent_playback(monkeypatch) -> list[SilentPlayer]:
    """Every attachment strip plays into a :class:`SilentPlayer`; the players made."""
    made: list[SilentPlayer] = []

    def make(parent):
        made.append(SilentPlayer(parent))
        return made[-1]

    monkeypatch.setattr(attachment_strip, "make_player", make)
    return made


def choose_file(monkeypatch, path: Path | None) -> list[str]:
    """"Attach picture…" gets ``path`` from the file dialog (None: cancelled); the filters
    it offered."""
    offered: list[str] = []

    def answer(_parent, _caption="", _folder="", filters="", *_args, **_kwargs):
        offered.append(filters)
        return (str(path) if path else "", "")

    monkeypatch.setattr(picture_file.QFileDialog, "getOpenFileName", staticmethod(answer))
    return offered


def record_from(monkeypatch, qtbot, wav: bytes) -> list[bytes]:
    """Say it records ``wav`` through the real recorder (fed by a WavFileSource) and keeps
    it; the WAV bytes each recording handed back."""
    kept: list[bytes] = []
    original = record_dialog.record_voice_note

    def record(parent=None, **_kwargs):
        source = WavFileSource(wav, chunk_ms=50, interval_ms=2)
        result = original(parent, source=source, player=SilentPlayer())
        if result:
            kept.append(result)
        return result

    def run(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.mouseClick(dialog.recorder.record_button, LEFT)
        qtbot.waitUntil(dialog.recorder.has_recording, timeout=10_000)
        qtbot.mouseClick(dialog.save_button, LEFT)
        return QDialog.DialogCode(dialog.result())

    monkeypatch.setattr(record_dialog, "record_voice_note", record)
    monkeypatch.setattr(record_dialog.RecordDialog, "exec", run)
    return kept


def draw_with_mouse(monkeypatch, qtbot) -> list[bytes]:
    """Draw it gets a line across the sheet drawn with the mouse, then "Keep drawing";
    the PNGs handed back."""
    kept: list[bytes] = []

    def run(dialog):
        dialog.resize(900, 700)
        dialog.show()
        qtbot.waitExposed(dialog)
        canvas = dialog.canvas
        points = [canvas.to_widget(QPointF(x, 300 + 80 * math.sin(x / 90)))
                  for x in range(200, 1000, 40)]
        QTest.mousePress(canvas, LEFT, Qt.KeyboardModifier.NoModifier, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, LEFT, Qt.KeyboardModifier.NoModifier, points[-1])
        qtbot.mouseClick(dialog.save_button, LEFT)
        kept.append(dialog.png())
        return QDialog.DialogCode.Accepted if dialog.png() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(draw_dialog.DrawDialog, "exec", run)
    return kept
