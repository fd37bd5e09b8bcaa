"""The voice recorder and its window, fed from WAV files made here (no microphone needed)."""

from __future__ import annotations

import io
import math
import struct
import wave

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from journal_app.domain.attachments import (
    MAX_ATTACHMENT_BYTES,
    AttachmentKind,
    check_attachment,
    sniff,
)
from journal_app.ui import messages
from journal_app.ui.dialogs.record_dialog import RecordDialog, record_voice_note
from journal_app.ui.widgets import audio_sources
from journal_app.ui.widgets.audio_pcm import read_wav
from journal_app.ui.widgets.audio_playback import PcmPlayer
from journal_app.ui.widgets.audio_sources import MicrophoneSource, WavFileSource
from journal_app.ui.widgets.voice_recorder import RecorderState, VoiceRecorder
from tests.ui.attachment_helpers import SilentPlayer

# Nothing of a recording reaches the disk (tests/ui/conftest.py).
pytestmark = pytest.mark.usefixtures("no_files_written")

CHUNK_MS = 50
FAST = 4  # ms between chunks: the file is fed faster than spoken


def tone_wav(loud_s: float = 1.0, quiet_s: float = 1.0, *, rate: int = 16_000,
             channels: int = 1, width: int = 2) -> bytes:
    """A 440 Hz sine at half scale for ``loud_s``, then silence for ``quiet_s``."""
    frames = bytearray()
    peak = (1 << (8 * width - 1)) - 1
    for i in range(int(rate * (loud_s + quiet_s))):
        value = 0.5 * math.sin(2 * math.pi * 440 * i / rate) if i < rate * loud_s else 0.0
        sample = int(value * peak)
        if width == 3:
            frames += struct.pack("<i", sample)[:3] * channels
        else:
            frames += struct.pack("<h", sample) * channels
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return out.getvalue()


def make_recorder(qtbot, wav: bytes, player: PcmPlayer | None = None, *,
                  max_bytes: int = MAX_ATTACHMENT_BYTES, **source_args):
    source = WavFileSource(wav, chunk_ms=CHUNK_MS, interval_ms=FAST, **source_args)
    recorder = VoiceRecorder(source=source, player=player or SilentPlayer(), max_bytes=max_bytes)
    qtbot.addWidget(recorder)
    return recorder, source


def record_to_end(qtbot, recorder: VoiceRecorder) -> None:
    recorder.start_recording()
    qtbot.waitUntil(lambda: not recorder.is_busy(), timeout=10_000)


def test_a_fed_wav_is_recorded_with_its_length_and_moves_the_meter(qtbot):
    recorder, source = make_recorder(qtbot, tone_wav(1.0, 1.0))
    levels: list[int] = []
    source.chunk.connect(lambda _pcm: levels.append(recorder.meter.value()))
    recorder.start_recording()
    assert recorder.state is RecorderState.RECORDING
    qtbot.waitUntil(lambda: recorder.state is RecorderState.RECORDED, timeout=10_000)

    wav = recorder.recorded_wav()
    info = check_attachment(wav, AttachmentKind.VOICE)
    assert abs(info.duration_ms - 2000) <= CHUNK_MS
    loud, quiet = levels[:20], levels[-20:]
    assert min(loud) > 50
    assert max(quiet) <= 5
    assert recorder.meter.value() == 0
    assert recorder.clock.text() == "0:02"
    assert "0:02" in recorder.status.text()
    assert recorder.record_button.text() == "Record again"


def test_the_meter_is_named_and_reports_its_value(qtbot):
    recorder, _source = make_recorder(qtbot, tone_wav())
    recorder.meter.setValue(42)
    accessible = QAccessible.queryAccessibleInterface(recorder.meter)
    assert accessible.text(QAccessible.Text.Name) == "Sound level"
    assert accessible.valueInterface().currentValue() == 42


def test_a_stereo_24_bit_file_becomes_16_bit_mono(qtbot):
    recorder, _source = make_recorder(qtbot, tone_wav(0.5, 0.5, rate=44_100, channels=2,
                                                      width=3))
    record_to_end(qtbot, recorder)
    with wave.open(io.BytesIO(recorder.recorded_wav())) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44_100)
    assert abs(sniff(recorder.recorded_wav()).duration_ms - 1000) <= CHUNK_MS


def test_record_again_replaces_the_recording(qtbot):
    recorder, _source = make_recorder(qtbot, tone_wav(1.0, 1.0))
    record_to_end(qtbot, recorder)
    first = recorder.recorded_wav()
    recorder.start_recording()
    qtbot.waitUntil(lambda: recorder.duration_ms() >= 500, timeout=10_000)
    recorder.stop_recording()
    second = recorder.recorded_wav()
    assert second != first
    assert 500 <= sniff(second).duration_ms < 1500


def test_stopping_before_any_sound_keeps_the_recording_there_was(qtbot):
    recorder, _source = make_recorder(qtbot, tone_wav(0.5, 0.0))
    record_to_end(qtbot, recorder)
    first = recorder.recorded_wav()
    recorder.start_recording()
    recorder.stop_recording()
    assert recorder.recorded_wav() == first
    assert recorder.state is RecorderState.RECORDED


def test_space_starts_and_stops_recording(qtbot):
    recorder, _source = make_recorder(qtbot, tone_wav(3.0, 0.0))
    recorder.show()
    qtbot.waitExposed(recorder)
    assert recorder.focusProxy() is recorder.record_button
    qtbot.keyClick(recorder.record_button, Qt.Key.Key_Space)
    assert recorder.state is RecorderState.RECORDING
    qtbot.waitUntil(lambda: recorder.duration_ms() > 200, timeout=10_000)
    qtbot.keyClick(recorder.record_button, Qt.Key.Key_Space)
    assert recorder.state is RecorderState.RECORDED


def test_the_longest_recording_stops_by_itself_and_says_so(qtbot):
    one_second = 44 + 16_000 * 2
    recorder, _source = make_recorder(qtbot, tone_wav(2.0, 0.0), max_bytes=one_second)
    record_to_end(qtbot, recorder)
    wav = recorder.recorded_wav()
    assert len(wav) <= one_second
    assert sniff(wav).duration_ms == 1000
    assert recorder.message.isVisibleTo(recorder)
    assert "as long as a voice note can be (0:01)" in recorder.message.text()


def test_a_microphone_that_stops_midway_keeps_what_was_said(qtbot):
    recorder, _source = make_recorder(qtbot, tone_wav(2.0, 0.0), fail_after_ms=500)
    record_to_end(qtbot, recorder)
    assert recorder.state is RecorderState.RECORDED
    assert abs(sniff(recorder.recorded_wav()).duration_ms - 500) <= CHUNK_MS
    assert "stopped sending sound" in recorder.message.text()
    assert "kept" in recorder.message.text()


def _microphone_recorder(qtbot, monkeypatch, permission, device=None):
    monkeypatch.setattr(audio_sources, "microphone_permission", lambda: permission)
    monkeypatch.setattr(audio_sources, "default_input_device", lambda: device)
    recorder = VoiceRecorder(source=MicrophoneSource(), player=SilentPlayer())
    qtbot.addWidget(recorder)
    return recorder


def test_no_microphone_shows_a_calm_message_and_gives_no_bytes(qtbot, monkeypatch):
    recorder = _microphone_recorder(qtbot, monkeypatch, Qt.PermissionStatus.Granted)
    recorder.start_recording()
    assert recorder.state is RecorderState.EMPTY
    assert recorder.message.text().startswith("No microphone was found")
    assert recorder.recorded_wav() == b""
    assert recorder.record_button.text() == "Record"


def test_a_refused_microphone_says_where_to_allow_it(qtbot, monkeypatch):
    recorder = _microphone_recorder(qtbot, monkeypatch, Qt.PermissionStatus.Denied,
                                    device=object())  # never reached
    recorder.start_recording()
    assert "wasn't allowed to use the microphone" in recorder.message.text()
    assert "system's settings" in recorder.message.text()
    assert recorder.recorded_wav() == b""


@pytest.mark.parametrize("granted", [False, True])
def test_an_undecided_permission_is_asked_for(qtbot, monkeypatch, granted):
    recorder = _microphone_recorder(qtbot, monkeypatch, Qt.PermissionStatus.Undetermined)
    asked = []

    def request(context, answered):
        asked.append(context)
        QTimer.singleShot(10, lambda: answered(granted))

    monkeypatch.setattr(audio_sources, "request_microphone", request)
    recorder.start_recording()
    assert asked and recorder.state is RecorderState.WAITING
    assert recorder.record_button.text() == "Stop"
    qtbot.waitUntil(lambda: recorder.state is RecorderState.EMPTY, timeout=5000)
    expected = "No microphone was found" if granted else "wasn't allowed"
    assert expected in recorder.message.text()


def test_playback_plays_the_recording_from_memory(qtbot):
    player = SilentPlayer()
    recorder, _source = make_recorder(qtbot, tone_wav(0.5, 0.0), player=player)
    assert not recorder.play_button.isEnabled()
    record_to_end(qtbot, recorder)
    assert recorder.play_button.isEnabled()
    recorder.play_button.click()
    assert recorder.state is RecorderState.PLAYING
    assert recorder.play_button.text() == "Stop playing"
    with wave.open(io.BytesIO(recorder.recorded_wav())) as wav:
        assert player.played == [(wav.readframes(wav.getnframes()), 16_000)]
    recorder.play_button.click()
    assert recorder.state is RecorderState.RECORDED
    assert not player.playing


def test_without_sound_output_play_is_disabled_with_a_reason(qtbot):
    recorder, _source = make_recorder(qtbot, tone_wav(0.3, 0.0), player=SilentPlayer(False))
    record_to_end(qtbot, recorder)
    assert not recorder.play_button.isEnabled()
    assert "No speakers or headphones" in recorder.play_button.toolTip()
    assert recorder.recorded_wav()


# ----------------------------------------------------------------------- the window


def make_dialog(qtbot, wav: bytes) -> RecordDialog:
    source = WavFileSource(wav, chunk_ms=CHUNK_MS, interval_ms=FAST)
    dialog = RecordDialog(source=source, player=SilentPlayer())
    qtbot.addWidget(dialog)
    return dialog


def test_keep_is_offered_only_once_there_is_a_recording(qtbot):
    dialog = make_dialog(qtbot, tone_wav(0.5, 0.0))
    assert not dialog.save_button.isEnabled()
    dialog.recorder.start_recording()
    assert not dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    dialog.save_button.click()
    assert dialog.result() == RecordDialog.DialogCode.Accepted
    assert sniff(dialog.wav()).duration_ms == 500


def test_leaving_with_a_recording_asks_first(qtbot, monkeypatch):
    answers = [False, True]
    asked = []
    monkeypatch.setattr(messages, "confirm_discard",
                        lambda _p, title, _t, _y, _n: asked.append(title) or answers.pop(0))
    dialog = make_dialog(qtbot, tone_wav(0.3, 0.0))
    dialog.show()
    record_to_end(qtbot, dialog.recorder)
    dialog.reject()
    assert dialog.isVisible() and dialog.recorder.has_recording()
    dialog.reject()
    assert not dialog.isVisible() and not dialog.recorder.has_recording()
    assert len(asked) == 2 and dialog.wav() == b""


def test_leaving_an_empty_window_does_not_ask(qtbot, monkeypatch):
    monkeypatch.setattr(messages, "confirm_discard", lambda *_a: pytest.fail("asked"))
    dialog = make_dialog(qtbot, tone_wav(0.3, 0.0))
    dialog.show()
    dialog.reject()
    assert not dialog.isVisible()


def test_record_voice_note_returns_the_bytes_kept(qtbot):
    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RecordDialog)
        dialog.recorder.start_recording()
        wait = QTimer(dialog)
        wait.timeout.connect(lambda: dialog.save_button.isEnabled() and dialog.save_button.click())
        wait.start(10)

    QTimer.singleShot(0, drive)
    source = WavFileSource(tone_wav(0.4, 0.0), chunk_ms=CHUNK_MS, interval_ms=FAST)
    data = record_voice_note(None, source=source, player=SilentPlayer())
    assert data is not None
    assert sniff(data).duration_ms == 400


def test_record_voice_note_returns_none_when_cancelled(qtbot):
    def cancel() -> None:
        QApplication.activeModalWidget().reject()

    QTimer.singleShot(0, cancel)
    source = WavFileSource(tone_wav(0.4, 0.0), chunk_ms=CHUNK_MS, interval_ms=FAST)
    assert record_voice_note(None, source=source, player=SilentPlayer()) is None


# ----------------------------------------------------------------------- reading WAV files


def _extensible(wav: bytes) -> bytes:
    """``wav`` (16-bit PCM) rewritten with the extensible format header (code 0xFFFE)."""
    with wave.open(io.BytesIO(wav)) as source:
        channels, rate = source.getnchannels(), source.getframerate()
        frames = source.readframes(source.getnframes())
    pcm_guid = b"\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * 2 * channels, 2 * channels,
                      16, 22, 16, 3) + pcm_guid
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"data" + struct.pack("<I", len(frames)) + frames)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_a_wav_with_the_extensible_header_is_read():
    plain = tone_wav(0.25, 0.0, channels=2)
    pcm, rate = read_wav(_extensible(plain))
    assert (len(pcm), rate) == (16_000 // 4 * 2, 16_000)
    assert pcm == read_wav(plain)[0]


@pytest.mark.parametrize("data", [b"", b"RIFF\x00\x00\x00\x00WAVE", b"not a wav at all",
                                  tone_wav(0.1, 0.0)[:40]])
def test_what_isnt_a_wav_is_refused_plainly(data):
    with pytest.raises(wave.Error):
        read_wav(data)
