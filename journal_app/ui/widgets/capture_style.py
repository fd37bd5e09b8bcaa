"""Small look-and-feel helpers the voice recorder and the drawing windows share."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox

__all__ = ["DISABLED_STYLE", "plain_buttons", "set_primary"]

#: The theme greys out only the accent button; an ordinary one that can't be pressed yet
#: (Keep while there is nothing to keep, Play without speakers) must look it too.
DISABLED_STYLE = (
    "QPushButton:disabled { color: palette(placeholder-text); border-style: dashed; }")


def set_primary(button: QAbstractButton, primary: bool) -> None:
    """Show ``button`` as the next step (the theme's accent) or as an ordinary button. The
    theme styles by object name, so the button is polished again after the change."""
    name = "primary" if primary else ""
    if button.objectName() == name:
        return
    button.setObjectName(name)
    button.style().unpolish(button)
    button.style().polish(button)
    button.update()


def plain_buttons(box: QDialogButtonBox) -> None:
    """Words only on a dialog's buttons: some styles add icons (a red cross on Cancel)
    that shout louder than the choice deserves."""
    for button in box.buttons():
        button.setIcon(QIcon())
