"""Playing a voice note back from memory: QAudioSink reading a QBuffer of the PCM.

No media player and no file: the recording never leaves the process before it is saved
(encrypted) with the entry. Like the microphone, QtMultimedia is loaded only when sound is
really played.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QTimer, Signal

from journal_app.ui.widgets.audio_sources import qt_audio

log = logging.getLogger(__name__)

__all__ = ["PcmPlayer", "SpeakerPlayer", "default_output_device"]


class PcmPlayer(QObject):
    """Plays 16-bit mono PCM; ``finished`` when it reached the end or was stopped."""

    finished = Signal()

    def available(self) -> bool:
        """Whether there is anywhere to play sound to."""
        raise NotImplementedError

    def play(self, pcm: bytes, sample_rate: int) -> bool:
        """Start playing ``pcm``; False when it couldn't start."""
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def position_ms(self) -> int:
        """How far playback has come."""
        raise NotImplementedError


def default_output_device() -> Any | None:
    """The system's default speakers or headphones (a QAudioDevice), or None."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:  # the sound system's libraries are missing
        log.info("Sound output unavailable: %s", exc)
        return None
    device = QMediaDevices.defaultAudioOutput()
    return None if device.isNull() else device


class SpeakerPlayer(PcmPlayer):
    """The default output device through QAudioSink."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sink: Any = None
        self._buffer: QBuffer | None = None
        # PySide can't hand QAudioSink.stateChanged's argument to Python (its enum type
        # doesn't convert), so the sink's state is looked at instead.
        self._watch = QTimer(self)
        self._watch.setInterval(100)
        self._watch.timeout.connect(self._check)

    def available(self) -> bool:
        return default_output_device() is not None

    def play(self, pcm: bytes, sample_rate: int) -> bool:
        self.stop()
        device = default_output_device()
        if device is None or not pcm:
            return False
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink

        fmt = QAudioFormat()
        fmt.setSampleRate(sample_rate)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pcm))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = QAudioSink(device, fmt, self)
        self._sink.start(self._buffer)
        if self._sink.error() != qt_audio().Error.NoError:
            log.info("Sound output could not start (error %s)", self._sink.error())
            self._release()
            return False
        self._watch.start()
        return True

    def _check(self) -> None:
        states = qt_audio().State
        if self._sink is not None and self._sink.state() in (states.IdleState,
                                                             states.StoppedState):
            self.stop()

    def position_ms(self) -> int:
        return 0 if self._sink is None else int(self._sink.processedUSecs() // 1000)

    def stop(self) -> None:
        if self._sink is None:
            return
        self._release()
        self.finished.emit()

    def _release(self) -> None:
        sink, buffer = self._sink, self._buffer
        self._sink = self._buffer = None
        self._watch.stop()
        if sink is not None:
            sink.stop()
            sink.deleteLater()
        if buffer is not None:
            buffer.close()
            buffer.deleteLater()
