"""Say it: a small window that records one voice note and hands back its WAV bytes.

The caller attaches the bytes to an entry (the journal encrypts them); this window keeps
them in memory only. Closing with a recording that wasn't kept asks first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from journal_app.domain.attachments import MAX_ATTACHMENT_BYTES
from journal_app.ui import messages
from journal_app.ui.hub import KEEP_AWAKE
from journal_app.ui.widgets.audio_playback import PcmPlayer
from journal_app.ui.widgets.audio_sources import PcmSource
from journal_app.ui.widgets.capture_style import DISABLED_STYLE, plain_buttons, set_primary
from journal_app.ui.widgets.voice_recorder import VoiceRecorder

__all__ = ["RecordDialog", "record_voice_note"]


class RecordDialog(QDialog):
    """Record, listen, record again; "Keep voice note" accepts with :meth:`wav`."""

    def __init__(self, parent: QWidget | None = None, *, source: PcmSource | None = None,
                 player: PcmPlayer | None = None,
                 max_bytes: int = MAX_ATTACHMENT_BYTES) -> None:
        super().__init__(parent)
        self.setStyleSheet(DISABLED_STYLE)
        self._wav = b""
        self.setWindowTitle(self.tr("Say it"))
        self.setMinimumWidth(520)
        intro = QLabel(self.tr(
            "Say what you'd like to remember, in your own words and at your own pace. "
            "The recording stays on this computer, locked with your journal."), self)
        intro.setWordWrap(True)
        self.recorder = VoiceRecorder(self, source=source, player=player, max_bytes=max_bytes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Keep voice note"))
        self.save_button.setAutoDefault(False)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        plain_buttons(buttons)
        buttons.accepted.connect(self.keep)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(18)
        layout.addWidget(intro)
        layout.addWidget(self.recorder)
        layout.addWidget(buttons)
        self.recorder.state_changed.connect(self._refresh)
        self.recorder.changed.connect(self._refresh)
        self._refresh()
        self.recorder.setFocus(Qt.FocusReason.OtherFocusReason)

    def wav(self) -> bytes:
        """The kept recording (empty until "Keep voice note" was pressed)."""
        return self._wav

    def _refresh(self) -> None:
        self.setProperty(KEEP_AWAKE, self.recorder.is_busy())
        ready = self.recorder.has_recording()
        self.save_button.setEnabled(ready)
        set_primary(self.save_button, ready)
        # A message appearing or going changes the height the words need.
        QTimer.singleShot(0, self._fit)

    def _fit(self) -> None:
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def keep(self) -> None:
        if not self.recorder.has_recording():
            return
        self.recorder.shutdown()
        self._wav = self.recorder.recorded_wav()
        self.accept()

    def reject(self) -> None:
        """Cancel, Escape and the window's close button: ask before dropping a recording."""
        unkept = self.recorder.has_recording() or self.recorder.is_busy()
        if unkept and not messages.confirm_discard(
                self, self.tr("Leave without keeping it?"),
                self.tr("The voice note you recorded hasn't been kept. If you leave now, "
                        "it is gone."),
                self.tr("Leave without keeping"), self.tr("Go back")):
            return
        self.discard()

    def discard(self) -> None:
        """Close without asking and forget the recording (the journal is locking)."""
        self.recorder.discard()
        self._wav = b""
        super().reject()


def record_voice_note(parent: QWidget | None = None, *, source: PcmSource | None = None,
                      player: PcmPlayer | None = None) -> bytes | None:
    """Let the person record a voice note; its WAV bytes, or None when nothing was kept."""
    dialog = RecordDialog(parent, source=source, player=player)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.wav() if accepted and dialog.wav() else None
    finally:
        dialog.recorder.discard()
        dialog.deleteLater()
