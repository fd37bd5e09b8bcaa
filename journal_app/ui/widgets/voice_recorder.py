"""Recording a voice note: one Record/Stop button, a level meter, the time, then Play.

The sound comes from a :class:`~journal_app.ui.widgets.audio_sources.PcmSource` (the
microphone unless another is given), is kept in memory as 16-bit mono PCM and handed out as
a WAV made in memory (:meth:`VoiceRecorder.recorded_wav`). Nothing is written to disk here:
the entry saves the bytes, encrypted. A microphone that is missing, refused or stops part
way shows a calm message in the widget; what was recorded up to then is kept.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from journal_app.domain.attachments import MAX_ATTACHMENT_BYTES, duration_text
from journal_app.ui.widgets.audio_pcm import (
    FRAME_BYTES,
    VOICE_RATE,
    duration_ms,
    level,
    max_pcm_bytes,
    wav_bytes,
)
from journal_app.ui.widgets.audio_playback import PcmPlayer, SpeakerPlayer
from journal_app.ui.widgets.audio_sources import InputProblem, MicrophoneSource, PcmSource
from journal_app.ui.widgets.capture_style import DISABLED_STYLE, set_primary

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

__all__ = ["LevelMeter", "RecorderState", "VoiceRecorder"]

_PLAYBACK_TICK_MS = 100


class RecorderState(enum.Enum):
    EMPTY = "empty"  # nothing recorded
    WAITING = "waiting"  # asked to record; the microphone isn't sending yet
    RECORDING = "recording"
    RECORDED = "recorded"  # a recording is there to play, keep or replace
    PLAYING = "playing"


def _clock(ms: int) -> str:
    """Elapsed time while recording, "1:07" (whole seconds gone, never rounded up)."""
    seconds = ms // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def _problem_text(problem: InputProblem, kept: bool) -> str:
    text = {
        InputProblem.NO_DEVICE: translate(
            "VoiceRecorder",
            "No microphone was found. If one is plugged in, check that it is switched on "
            "and chosen in your system's sound settings, then press Record again."),
        InputProblem.DENIED: translate(
            "VoiceRecorder",
            "The journal wasn't allowed to use the microphone. If you'd like to record, "
            "you can allow it in your system's settings (privacy, microphone) and press "
            "Record again."),
        InputProblem.UNAVAILABLE: translate(
            "VoiceRecorder",
            "The microphone couldn't be opened; another program may be using it. You can "
            "try again in a moment."),
        InputProblem.LOST: translate(
            "VoiceRecorder",
            "The microphone stopped sending sound, so the recording stopped."),
    }[problem]
    if kept:
        text += " " + translate("VoiceRecorder", "What was recorded up to then is kept.")
    return text


class LevelMeter(QProgressBar):
    """How loud the sound is right now, 0–100; themed through the palette."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("levelMeter")
        self.setRange(0, 100)
        self.setValue(0)
        self.setTextVisible(False)
        self.setFixedHeight(14)
        self.setAccessibleName(self.tr("Sound level"))
        self.setToolTip(self.tr("How loud the sound reaching the microphone is"))
        self.setStyleSheet(
            "QProgressBar#levelMeter { border: 1px solid palette(mid); border-radius: 7px;"
            " background: palette(base); }"
            " QProgressBar#levelMeter::chunk { background: palette(link); border-radius: 6px; }")


class VoiceRecorder(QWidget):
    """Records one voice note at a time; "Record again" replaces it.

    ``changed`` fires when a recording appears, is replaced or discarded;
    ``state_changed`` carries the new :class:`RecorderState`.
    """

    changed = Signal()
    state_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, source: PcmSource | None = None,
                 player: PcmPlayer | None = None,
                 max_bytes: int = MAX_ATTACHMENT_BYTES) -> None:
        super().__init__(parent)
        self._source = source or MicrophoneSource(self)
        self._player = player or SpeakerPlayer(self)
        self._max_pcm = max_pcm_bytes(max_bytes)
        self._pcm = bytearray()
        self._rate = VOICE_RATE
        self._previous: tuple[bytearray, int] | None = None  # the take a new one replaces
        self._state = RecorderState.EMPTY
        self._output_ok: bool | None = None  # known once there is something to play
        self._play_timer = QTimer(self)
        self._play_timer.setInterval(_PLAYBACK_TICK_MS)
        self._play_timer.timeout.connect(self._show_playback)
        self._build()
        self._connect()
        self._refresh()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.setStyleSheet(DISABLED_STYLE)
        self.record_button = QPushButton(self)
        self.record_button.setMinimumSize(180, 48)
        self.record_button.clicked.connect(self.toggle_recording)
        self.play_button = QPushButton(self)
        self.play_button.setMinimumHeight(48)
        self.play_button.clicked.connect(self.toggle_playback)
        self.clock = QLabel("0:00", self)
        self.clock.setObjectName("recorderClock")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setFeature(QFont.Tag("tnum"), 1)
        self.clock.setFont(font)
        self.clock.setAccessibleName(self.tr("Time"))
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.meter = LevelMeter(self)
        self.status = QLabel(self)
        self.status.setObjectName("quietLabel")
        self.status.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("calmMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.record_button)
        row.addWidget(self.play_button)
        row.addStretch(1)
        row.addWidget(self.clock)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.meter)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        self.setFocusProxy(self.record_button)

    def _connect(self) -> None:
        self._source.waiting.connect(self._refresh)
        self._source.started.connect(self._on_started)
        self._source.chunk.connect(self._on_chunk)
        self._source.ended.connect(self.stop_recording)
        self._source.failed.connect(self._on_failed)
        self._player.finished.connect(self._on_playback_finished)

    # ------------------------------------------------------------------ what it holds
    @property
    def state(self) -> RecorderState:
        return self._state

    def has_recording(self) -> bool:
        return bool(self._pcm) and self._state in (RecorderState.RECORDED,
                                                  RecorderState.PLAYING)

    def is_busy(self) -> bool:
        """Recording, or waiting for the microphone to start."""
        return self._state in (RecorderState.WAITING, RecorderState.RECORDING)

    def duration_ms(self) -> int:
        return duration_ms(len(self._pcm), self._rate)

    def recorded_wav(self) -> bytes:
        """The recording as a WAV file (16-bit mono), or b"" when there is none."""
        return wav_bytes(bytes(self._pcm), self._rate) if self.has_recording() else b""

    # ------------------------------------------------------------------ recording
    def toggle_recording(self) -> None:
        if self.is_busy():
            self.stop_recording()
        else:
            self.start_recording()

    def start_recording(self) -> None:
        """Start a new take; the one there is stays until the new one brings sound."""
        if self.is_busy():
            return
        self.stop_playback()
        self._previous = (self._pcm, self._rate) if self._pcm else None
        self._pcm = bytearray()
        self._show_message("")
        self._set_state(RecorderState.WAITING)
        self._source.start()

    def stop_recording(self) -> None:
        if not self.is_busy():
            return
        self._source.stop()
        self._settle()

    def _on_started(self) -> None:
        if self._state is not RecorderState.WAITING:  # the person gave up waiting
            self._source.stop()
            return
        self._rate = self._source.sample_rate
        self._set_state(RecorderState.RECORDING)

    def _on_chunk(self, pcm: bytes) -> None:
        if self._state is not RecorderState.RECORDING:
            return
        self._previous = None  # the new take has begun: it replaces the old one
        first = not self._pcm
        room = self._max_pcm - len(self._pcm)
        self._pcm += pcm[:room]
        if first:
            self._refresh()
        self.meter.setValue(level(pcm))
        self.clock.setText(_clock(self.duration_ms()))
        if len(pcm) >= room:
            self._source.stop()
            self._settle()
            self._show_message(self.tr(
                "That is as long as a voice note can be (%1), so the recording stopped by "
                "itself. Everything up to there is kept.").replace(
                    "%1", duration_text(self.duration_ms())))

    def _on_failed(self, problem: InputProblem) -> None:
        if not self.is_busy():
            return
        self._source.stop()
        kept = bool(self._pcm)
        self._settle()
        self._show_message(_problem_text(problem, kept))

    def _settle(self) -> None:
        """After a take: keep it, or bring back the one before when it brought no sound."""
        if not self._pcm and self._previous is not None:
            self._pcm, self._rate = self._previous
        self._previous = None
        self.meter.setValue(0)
        self._set_state(RecorderState.RECORDED if self._pcm else RecorderState.EMPTY)
        self.changed.emit()

    def discard(self) -> None:
        """Stop everything and forget the recording."""
        self.shutdown()
        self._pcm = bytearray()
        self._previous = None
        self._show_message("")
        self._set_state(RecorderState.EMPTY)
        self.changed.emit()

    def shutdown(self) -> None:
        """Stop recording and playing (the window is closing); the recording stays."""
        self.stop_playback()
        if self.is_busy():
            self._source.stop()
            self._settle()

    # ------------------------------------------------------------------ playback
    def can_play(self) -> bool:
        if self._output_ok is None and self._pcm:
            self._output_ok = self._player.available()
        return bool(self._output_ok)

    def toggle_playback(self) -> None:
        if self._state is RecorderState.PLAYING:
            self.stop_playback()
        elif self._state is RecorderState.RECORDED and self.can_play():
            if not self._player.play(bytes(self._pcm), self._rate):
                self._show_message(self.tr(
                    "The recording couldn't be played here; it is still there to keep."))
                return
            self._set_state(RecorderState.PLAYING)
            self._play_timer.start()

    def stop_playback(self) -> None:
        if self._state is RecorderState.PLAYING:
            self._player.stop()
            if self._state is RecorderState.PLAYING:  # a player that didn't say so
                self._on_playback_finished()

    def _show_playback(self) -> None:
        at = min(self._player.position_ms(), self.duration_ms())
        self.clock.setText(_clock(at))
        start = self._rate * at // 1000 * FRAME_BYTES
        self.meter.setValue(level(bytes(self._pcm[start:start + self._rate // 10 * FRAME_BYTES])))

    def _on_playback_finished(self) -> None:
        if self._state is not RecorderState.PLAYING:
            return
        self._play_timer.stop()
        self.meter.setValue(0)
        self._set_state(RecorderState.RECORDED)

    # ------------------------------------------------------------------ showing it
    def _set_state(self, state: RecorderState) -> None:
        changed = state is not self._state
        self._state = state
        self._refresh()
        if changed:
            self.state_changed.emit(state)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _refresh(self) -> None:
        state = self._state
        busy = self.is_busy()
        self.record_button.setText(
            self.tr("Stop") if busy
            else self.tr("Record again") if self._pcm else self.tr("Record"))
        self.record_button.setAccessibleName(
            self.tr("Stop recording") if busy
            else self.tr("Record again") if self._pcm else self.tr("Start recording"))
        self.record_button.setToolTip(
            self.tr("Stop recording (Space)") if busy
            else self.tr("Record again: the new recording replaces this one (Space)")
            if self._pcm else self.tr("Start recording (Space)"))
        self.record_button.setEnabled(state is not RecorderState.PLAYING)
        set_primary(self.record_button, busy or not self._pcm)  # "Record again" is quieter
        self._refresh_play()
        length = duration_text(self.duration_ms())
        if state is RecorderState.WAITING:
            self.status.setText(self.tr("Getting the microphone ready…"))
        elif state is RecorderState.RECORDING and not self._pcm:
            self.status.setText(self.tr("Starting the microphone…"))
        elif state is RecorderState.RECORDING:
            self.status.setText(self.tr("Recording. Take your time; press Stop when you're "
                                        "done."))
            self.clock.setText(_clock(self.duration_ms()))
        elif state is RecorderState.PLAYING:
            self.status.setText(self.tr("Playing your voice note (%1).").replace("%1", length))
        elif self._pcm:
            self.status.setText(self.tr("Your voice note is %1 long.").replace("%1", length))
            self.clock.setText(length)
        else:
            self.status.setText(self.tr("Press Record and speak when you're ready. "
                                        "A few words are enough."))
            self.clock.setText("0:00")

    def _refresh_play(self) -> None:
        playing = self._state is RecorderState.PLAYING
        self.play_button.setText(self.tr("Stop playing") if playing else self.tr("Play"))
        self.play_button.setAccessibleName(
            self.tr("Stop playing") if playing else self.tr("Play the recording"))
        ready = self._state is RecorderState.RECORDED or playing
        self.play_button.setEnabled(ready and self.can_play())
        if ready and not self.can_play():
            self.play_button.setToolTip(self.tr(
                "No speakers or headphones were found, so the recording can't be played "
                "here. It can still be kept."))
        else:
            self.play_button.setToolTip(self.tr("Listen to the recording"))
