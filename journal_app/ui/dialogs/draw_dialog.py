"""Draw it: a window with the sheet and its tools that hands back the drawing as PNG bytes.

The caller attaches the bytes to an entry (the journal encrypts them); this window keeps
them in memory only. Closing with a drawing that wasn't kept asks first.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from journal_app.ui import messages
from journal_app.ui.widgets.capture_style import DISABLED_STYLE, plain_buttons, set_primary
from journal_app.ui.widgets.drawing_canvas import DrawingCanvas
from journal_app.ui.widgets.drawing_tools import DrawingTools

__all__ = ["DrawDialog", "draw_picture"]


class DrawDialog(QDialog):
    """Draw; "Keep drawing" accepts with :meth:`png`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(DISABLED_STYLE)
        self._png = b""
        self.setWindowTitle(self.tr("Draw it"))
        self.resize(980, 760)
        intro = QLabel(self.tr(
            "Draw whatever comes: shapes, colours, a scribble. It doesn't need to look like "
            "anything."), self)
        intro.setWordWrap(True)
        self.canvas = DrawingCanvas(self)
        self.tools = DrawingTools(self.canvas, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Keep drawing"))
        self.save_button.setToolTip(self.tr("Keep this drawing with the entry"))
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        plain_buttons(buttons)
        buttons.accepted.connect(self.keep)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(intro)
        layout.addWidget(self.tools)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(buttons)
        self.canvas.changed.connect(self._refresh)
        self._refresh()
        self.tools.colour_buttons["black"].setFocus()

    def png(self) -> bytes:
        """The kept drawing (empty until "Keep drawing" was pressed)."""
        return self._png

    def _refresh(self) -> None:
        empty = self.canvas.is_empty()
        self.save_button.setEnabled(not empty)
        set_primary(self.save_button, not empty)
        self.save_button.setToolTip(
            self.tr("Draw something first") if empty
            else self.tr("Keep this drawing with the entry"))

    def keep(self) -> None:
        if self.canvas.is_empty():
            return
        self._png = self.canvas.png_bytes()
        self.accept()

    def reject(self) -> None:
        """Cancel, Escape and the window's close button: ask before dropping a drawing."""
        if not self.canvas.is_empty() and not messages.confirm_discard(
                self, self.tr("Leave without keeping it?"),
                self.tr("Your drawing hasn't been kept. If you leave now, it is gone."),
                self.tr("Leave without keeping"), self.tr("Go back")):
            return
        super().reject()

    def discard(self) -> None:
        """Close without asking and forget the drawing (the journal is locking)."""
        self.canvas.reset()
        self._png = b""
        super().reject()


def draw_picture(parent: QWidget | None = None) -> bytes | None:
    """Let the person draw; the drawing's PNG bytes, or None when nothing was kept."""
    dialog = DrawDialog(parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.png() if accepted and dialog.png() else None
    finally:
        dialog.deleteLater()
