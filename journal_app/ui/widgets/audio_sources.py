"""Where a voice note's sound comes from: the microphone, or a WAV file fed as if spoken.

Both are a :class:`PcmSource`: started, they send 16-bit mono PCM in small chunks, and say
when they stop by themselves or can't go on. The recorder doesn't know which one it has, so
the tests and the screenshots run the real recording path without a microphone.

QtMultimedia is imported only when the microphone is really used: loading it talks to the
sound system, which a machine without one (CI, a locked screen) may not have at all.
"""

from __future__ import annotations

import enum
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QMicrophonePermission,
    QObject,
    Qt,
    QTimer,
    Signal,
)

from journal_app.ui.widgets.audio_pcm import (
    FRAME_BYTES,
    VOICE_RATE,
    PcmFormat,
    SampleLayout,
    read_wav,
    to_mono16,
)

log = logging.getLogger(__name__)

__all__ = [
    "InputProblem",
    "MicrophoneSource",
    "PcmSource",
    "WavFileSource",
    "default_input_device",
    "microphone_permission",
    "qt_audio",
    "request_microphone",
]


class InputProblem(enum.Enum):
    NO_DEVICE = "no-device"  # no microphone (or no sound system at all)
    DENIED = "denied"  # the system didn't allow the journal to use it
    UNAVAILABLE = "unavailable"  # there, but it couldn't be opened
    LOST = "lost"  # it stopped sending sound part way through


class PcmSource(QObject):
    """Sends 16-bit mono PCM at :attr:`sample_rate` while started.

    ``waiting`` means the system is asking the person for permission; ``started`` that sound
    flows; ``ended`` that the source ran out by itself; ``failed`` carries an
    :class:`InputProblem`. Any of them may be emitted from within :meth:`start`.
    """

    waiting = Signal()
    started = Signal()
    chunk = Signal(bytes)
    ended = Signal()
    failed = Signal(object)

    @property
    def sample_rate(self) -> int:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


# ----------------------------------------------------------------------- a file as a voice


class WavFileSource(PcmSource):
    """A WAV file's frames sent in chunks of ``chunk_ms`` every ``interval_ms`` (by default
    as fast as they would be spoken). ``fail_after_ms`` makes it behave like a microphone
    that stops part way through. Each start plays the file from its beginning."""

    def __init__(self, wav: bytes | str | os.PathLike[str], *, chunk_ms: int = 50,
                 interval_ms: int | None = None, fail_after_ms: int | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        data = wav if isinstance(wav, bytes) else Path(wav).read_bytes()
        self._pcm, self._rate = read_wav(data)
        self._chunk_bytes = max(1, self._rate * chunk_ms // 1000) * FRAME_BYTES
        self._fail_at = (None if fail_after_ms is None
                         else self._rate * fail_after_ms // 1000 * FRAME_BYTES)
        self._pos = 0
        self._timer = QTimer(self)
        self._timer.setInterval(chunk_ms if interval_ms is None else interval_ms)
        self._timer.timeout.connect(self._tick)

    @property
    def sample_rate(self) -> int:
        return self._rate

    def start(self) -> None:
        self._pos = 0
        self.started.emit()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        if self._fail_at is not None and self._pos >= self._fail_at:
            self._timer.stop()
            self.failed.emit(InputProblem.LOST)
            return
        piece = self._pcm[self._pos:self._pos + self._chunk_bytes]
        self._pos += len(piece)
        if piece:
            self.chunk.emit(piece)
        if self._pos >= len(self._pcm) and self._timer.isActive():
            self._timer.stop()
            self.ended.emit()


# ----------------------------------------------------------------------- the microphone


def microphone_permission() -> Qt.PermissionStatus:
    """Whether the system lets the journal use the microphone (asked, refused, or not yet).
    Systems without such a setting answer Granted."""
    app = QCoreApplication.instance()
    if app is None:
        return Qt.PermissionStatus.Granted
    try:
        return app.checkPermission(QMicrophonePermission())
    except (AttributeError, TypeError):  # a Qt without permissions
        return Qt.PermissionStatus.Granted


def request_microphone(context: QObject, answered: Callable[[bool], None]) -> None:
    """Ask the system (and so the person) for the microphone; ``answered(granted)`` later."""
    app = QCoreApplication.instance()
    if app is None:
        answered(False)
        return
    app.requestPermission(QMicrophonePermission(), context,
                          lambda permission: answered(
                              permission.status() == Qt.PermissionStatus.Granted))


def default_input_device() -> Any | None:
    """The system's default microphone (a QAudioDevice), or None when there is none or the
    sound system can't be reached."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:  # the sound system's libraries are missing
        log.info("Sound input unavailable: %s", exc)
        return None
    device = QMediaDevices.defaultAudioInput()
    return None if device.isNull() else device


def _layout_of(fmt: Any) -> SampleLayout | None:
    from PySide6.QtMultimedia import QAudioFormat

    formats = QAudioFormat.SampleFormat
    return {formats.UInt8: SampleLayout.UINT8, formats.Int16: SampleLayout.INT16,
            formats.Int32: SampleLayout.INT32, formats.Float: SampleLayout.FLOAT32,
            }.get(fmt.sampleFormat())


def _choose_format(device: Any) -> Any:
    """16-bit mono at 16 kHz when the device offers it, else what the device prefers (made
    16-bit mono as it arrives)."""
    from PySide6.QtMultimedia import QAudioFormat

    wanted = QAudioFormat()
    wanted.setSampleRate(VOICE_RATE)
    wanted.setChannelCount(1)
    wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return wanted if device.isFormatSupported(wanted) else device.preferredFormat()


_WATCH_MS = 200
#: A microphone that sent no samples for this long after it had begun has stopped.
_STALL_MS = 4000


def qt_audio() -> Any:
    """QtMultimedia's audio enums (``QtAudio``; older Qt named the namespace ``QAudio``)."""
    from PySide6 import QtMultimedia

    return getattr(QtMultimedia, "QtAudio", None) or QtMultimedia.QAudio


def _healthy(audio: Any) -> bool:
    return bool(audio.error() == qt_audio().Error.NoError)


class MicrophoneSource(PcmSource):
    """The default microphone through QAudioSource, after checking the system permission."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._audio: Any = None
        self._io: Any = None
        self._format = PcmFormat(VOICE_RATE)
        self._device_id = b""
        self._devices: Any = None
        self._running = False
        self._quiet = QElapsedTimer()  # since sound last arrived
        # PySide can't hand QAudioSource.stateChanged's argument to Python (its enum type
        # doesn't convert), so the source's health is looked at instead.
        self._watch = QTimer(self)
        self._watch.setInterval(_WATCH_MS)
        self._watch.timeout.connect(self._check)

    @property
    def sample_rate(self) -> int:
        return self._format.sample_rate

    def start(self) -> None:
        status = microphone_permission()
        if status == Qt.PermissionStatus.Denied:
            self.failed.emit(InputProblem.DENIED)
        elif status == Qt.PermissionStatus.Undetermined:
            self.waiting.emit()
            request_microphone(self, self._answered)
        else:
            self._open()

    def _answered(self, granted: bool) -> None:
        if granted:
            self._open()
        else:
            self.failed.emit(InputProblem.DENIED)

    def _open(self) -> None:
        device = default_input_device()
        if device is None:
            self.failed.emit(InputProblem.NO_DEVICE)
            return
        from PySide6.QtMultimedia import QAudioSource, QMediaDevices

        fmt = _choose_format(device)
        layout = _layout_of(fmt)
        if layout is None or not fmt.isValid():
            self.failed.emit(InputProblem.UNAVAILABLE)
            return
        self._format = PcmFormat(fmt.sampleRate(), fmt.channelCount(), layout)
        self._device_id = bytes(device.id().data())
        self._audio = QAudioSource(device, fmt, self)
        self._io = self._audio.start()
        if self._io is None or not _healthy(self._audio):
            self._close()
            self.failed.emit(InputProblem.UNAVAILABLE)
            return
        self._io.readyRead.connect(self._read)
        self._quiet.invalidate()
        self._watch.start()
        self._devices = QMediaDevices(self)
        self._devices.audioInputsChanged.connect(self._inputs_changed)
        self._running = True
        self.started.emit()

    def _read(self) -> None:
        if self._io is None:
            return
        data = bytes(self._io.readAll().data())
        if data:
            self._quiet.start()
            self.chunk.emit(to_mono16(data, self._format))

    def _check(self) -> None:
        """A device that reports an error, or that sent sound and then went silent (not
        quiet: silent, no samples at all), has stopped."""
        if not self._running or self._audio is None:
            return
        stalled = self._quiet.isValid() and self._quiet.elapsed() > _STALL_MS
        if stalled or not _healthy(self._audio):
            self._lost()

    def _inputs_changed(self) -> None:
        from PySide6.QtMultimedia import QMediaDevices

        ids = {bytes(d.id().data()) for d in QMediaDevices.audioInputs()}
        if self._running and self._device_id not in ids:
            self._lost()

    def _lost(self) -> None:
        self._read()
        self._close()
        self.failed.emit(InputProblem.LOST)

    def stop(self) -> None:
        if self._running:
            self._read()  # what the device still holds belongs to the recording
        self._close()

    def _close(self) -> None:
        self._running = False
        self._watch.stop()
        if self._audio is not None:
            self._audio.stop()
            self._audio.deleteLater()
        if self._devices is not None:
            self._devices.deleteLater()
        self._audio = self._io = self._devices = None
