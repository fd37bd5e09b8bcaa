"""The drawing's tools in one row: a few calm colours, three pen sizes, the eraser, and
Undo, Redo and Clear. Every tool is a button that Tab reaches and Space presses, with a
name a screen reader says and a tooltip."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QToolButton, QWidget

from journal_app.ui.widgets.drawing_canvas import DrawingCanvas

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

__all__ = ["COLOURS", "SIZES", "DrawingTools", "PenColour", "PenSize"]

_ICON = QSize(26, 26)


@dataclass(frozen=True)
class PenColour:
    key: str
    hex: str
    name: Callable[[], str]


@dataclass(frozen=True)
class PenSize:
    key: str
    width: float
    name: Callable[[], str]


COLOURS = (
    PenColour("black", "#23272b", lambda: translate("DrawingTools", "Black")),
    PenColour("blue", "#3f6e9e", lambda: translate("DrawingTools", "Blue")),
    PenColour("green", "#4e8a5a", lambda: translate("DrawingTools", "Green")),
    PenColour("red", "#b8573f", lambda: translate("DrawingTools", "Red")),
    PenColour("yellow", "#d9a72e", lambda: translate("DrawingTools", "Yellow")),
    PenColour("purple", "#7d62a8", lambda: translate("DrawingTools", "Purple")),
)
SIZES = (
    PenSize("thin", 3.0, lambda: translate("DrawingTools", "Thin pen")),
    PenSize("medium", 8.0, lambda: translate("DrawingTools", "Medium pen")),
    PenSize("thick", 18.0, lambda: translate("DrawingTools", "Thick pen")),
)

_STYLE = """
QToolButton { border: 1px solid palette(mid); border-radius: 8px; padding: 6px 10px;
    background: palette(base); }
QToolButton:hover { background: palette(alternate-base); }
QToolButton:checked { background: palette(highlight); border: 2px solid palette(link); }
QToolButton:focus { border: 2px solid palette(text); }
QToolButton:disabled { color: palette(placeholder-text); border-style: dashed; }
"""


def _swatch(colour: QColor, outline: QColor) -> QIcon:
    pixmap = QPixmap(_ICON * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(outline, 1.2))
    painter.setBrush(colour)
    painter.drawEllipse(2, 2, _ICON.width() - 4, _ICON.height() - 4)
    painter.end()
    return QIcon(pixmap)


def _dot(width: float, colour: QColor) -> QIcon:
    pixmap = QPixmap(_ICON * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    side = min(_ICON.width() - 4, 4 + width)
    painter.drawEllipse((_ICON.width() - side) / 2, (_ICON.height() - side) / 2, side, side)
    painter.end()
    return QIcon(pixmap)


class DrawingTools(QWidget):
    """The tool row for ``canvas``; its buttons are reachable as attributes for tests."""

    def __init__(self, canvas: DrawingCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.setStyleSheet(_STYLE)
        text = self.palette().color(QPalette.ColorRole.Text)
        self.ink = QButtonGroup(self)  # the colours and the eraser: one is in the hand
        self.colour_buttons: dict[str, QToolButton] = {}
        for colour in COLOURS:
            button = self._tool(colour.name(), self.tr("Draw in %1").replace(
                "%1", colour.name().lower()), _swatch(QColor(colour.hex), text))
            button.clicked.connect(lambda _on=False, c=colour: canvas.set_colour(QColor(c.hex)))
            self.ink.addButton(button)
            self.colour_buttons[colour.key] = button
        self.eraser_button = self._tool(
            self.tr("Eraser"), self.tr("Rub out part of the drawing"), None)
        self.eraser_button.setText(self.tr("Eraser"))
        self.eraser_button.clicked.connect(lambda: canvas.set_eraser(True))
        self.ink.addButton(self.eraser_button)
        self.sizes = QButtonGroup(self)
        self.size_buttons: dict[str, QToolButton] = {}
        for size in SIZES:
            button = self._tool(size.name(), size.name(), _dot(size.width, text))
            button.clicked.connect(lambda _on=False, s=size: canvas.set_pen_width(s.width))
            self.sizes.addButton(button)
            self.size_buttons[size.key] = button
        self.undo_button = self._action_button(canvas.undo_action)
        self.redo_button = self._action_button(canvas.redo_action)
        self.clear_button = self._action_button(canvas.clear_action)
        self._lay_out()
        self.colour_buttons["black"].click()
        self.size_buttons["medium"].click()

    def _tool(self, name: str, tip: str, icon: QIcon | None) -> QToolButton:
        button = QToolButton(self)
        button.setCheckable(True)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if icon is not None:
            button.setIcon(icon)
            button.setIconSize(_ICON)
        return button

    def _action_button(self, action: QAction) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAccessibleName(action.text())
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _lay_out(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        groups = (list(self.colour_buttons.values()), list(self.size_buttons.values()),
                  [self.eraser_button])
        for index, group in enumerate(groups):
            if index:
                row.addSpacing(6)
                row.addWidget(self._divider())
                row.addSpacing(6)
            for button in group:
                row.addWidget(button)
        row.addStretch(1)
        for button in (self.undo_button, self.redo_button, self.clear_button):
            row.addWidget(button)

    def _divider(self) -> QFrame:
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setStyleSheet("color: palette(mid);")
        return line
