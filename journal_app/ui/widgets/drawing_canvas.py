"""Draw it: a fixed sheet of paper drawn on with a mouse, a pen tablet or a finger.

The sheet is always :data:`PAGE_SIZE` (scaled to fit the widget) and always paper-coloured,
whichever theme is on, so a drawing looks the same in the journal, the report and the dark
theme. Each stroke is one undoable step (QUndoStack); Clear is one too. The result is a PNG
made in memory (:meth:`DrawingCanvas.png_bytes`); nothing is written to disk here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QTabletEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from journal_app.ui.images import png_bytes
from journal_app.ui.theme import LIGHT

__all__ = ["PAGE_SIZE", "PAPER", "DrawingCanvas", "Stroke"]

#: The drawing's size in pixels, whatever the window's size.
PAGE_SIZE = QSize(1200, 800)
#: The sheet's colour: the light theme's paper.
PAPER = QColor(LIGHT["base"])
#: Room (widget pixels) around the sheet for its edge line.
_EDGE = 2
#: Points closer than this (page pixels) to the last one add nothing to a stroke.
_MIN_STEP = 0.75


@dataclass
class Stroke:
    """One stroke: the points the pen passed, its colour and width (page pixels)."""

    colour: QColor
    width: float
    points: list[QPointF] = field(default_factory=list)

    def path(self) -> QPainterPath:
        """A smooth curve through the points: quadratic pieces between their midpoints."""
        path = QPainterPath(self.points[0])
        for before, here in zip(self.points, self.points[1:], strict=False):
            path.quadTo(before, (before + here) / 2)
        path.lineTo(self.points[-1])
        return path

    def paint(self, painter: QPainter) -> None:
        pen = QPen(self.colour, self.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if len(self.points) == 1:  # a tap leaves a dot
            painter.drawPoint(self.points[0])
        else:
            painter.drawPath(self.path())


class _AddStroke(QUndoCommand):
    def __init__(self, canvas: DrawingCanvas, stroke: Stroke) -> None:
        super().__init__()
        self._canvas, self._stroke = canvas, stroke

    def redo(self) -> None:
        self._canvas._strokes.append(self._stroke)
        self._canvas._paint_onto_page(self._stroke)

    def undo(self) -> None:
        self._canvas._strokes.pop()
        self._canvas._repaint_page()


class _Clear(QUndoCommand):
    def __init__(self, canvas: DrawingCanvas) -> None:
        super().__init__()
        self._canvas = canvas
        self._strokes: list[Stroke] = []

    def redo(self) -> None:
        self._strokes, self._canvas._strokes = self._canvas._strokes, []
        self._canvas._repaint_page()

    def undo(self) -> None:
        self._canvas._strokes = self._strokes
        self._canvas._repaint_page()


class DrawingCanvas(QWidget):
    """The sheet and the pen. ``changed`` fires after every stroke, undo, redo and clear."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Drawing sheet"))
        self.setAccessibleDescription(self.tr(
            "Draw with the mouse, a pen or a finger. The tools above choose the colour, the "
            "size and the eraser."))
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(PAGE_SIZE / 4)
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._colour = QColor(Qt.GlobalColor.black)
        self._width = 6.0
        self._eraser = False
        self._page = QImage(PAGE_SIZE, QImage.Format.Format_RGB32)
        self._page.fill(PAPER)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(self._stack_moved)
        self._make_actions()

    def _make_actions(self) -> None:
        self.undo_action = QAction(self.tr("Undo"), self)
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.undo_action.setToolTip(self.tr("Undo the last step (Ctrl+Z)"))
        self.undo_action.triggered.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.redo_action = QAction(self.tr("Redo"), self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setToolTip(self.tr("Redo what was undone (Ctrl+Shift+Z)"))
        self.redo_action.triggered.connect(self.undo_stack.redo)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.clear_action = QAction(self.tr("Clear"), self)
        self.clear_action.setToolTip(self.tr("Start again on an empty sheet (can be undone)"))
        self.clear_action.triggered.connect(self.clear)
        for action in (self.undo_action, self.redo_action, self.clear_action):
            action.setEnabled(False)
        for action in (self.undo_action, self.redo_action, self.clear_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    # ------------------------------------------------------------------ the pen
    def set_colour(self, colour: QColor) -> None:
        """Draw in ``colour`` from now on (and put the eraser down)."""
        self._colour = QColor(colour)
        self._eraser = False

    def set_pen_width(self, width: float) -> None:
        self._width = float(width)

    def set_eraser(self, on: bool) -> None:
        self._eraser = on

    def is_eraser(self) -> bool:
        return self._eraser

    def _new_stroke(self) -> Stroke:
        if self._eraser:  # the eraser paints paper, a little wider than the pen
            return Stroke(QColor(PAPER), max(24.0, self._width * 3))
        return Stroke(QColor(self._colour), self._width)

    # ------------------------------------------------------------------ the drawing
    def is_empty(self) -> bool:
        """True while nothing but paper (and eraser strokes on it) is there."""
        return all(stroke.colour == PAPER for stroke in self._strokes)

    def clear(self) -> None:
        """Empty the sheet, as one step that Undo takes back."""
        if self._strokes:
            self.undo_stack.push(_Clear(self))

    def reset(self) -> None:
        """Forget the drawing and its undo history (nothing to take back)."""
        self._current = None
        self._strokes = []
        self.undo_stack.clear()
        self._repaint_page()
        self._stack_moved()

    def image(self) -> QImage:
        return self._page.copy()

    def png_bytes(self) -> bytes:
        """The drawing as a PNG, made in memory."""
        return png_bytes(self._page)

    def _paint_onto_page(self, stroke: Stroke) -> None:
        painter = QPainter(self._page)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        stroke.paint(painter)
        painter.end()

    def _repaint_page(self) -> None:
        self._page.fill(PAPER)
        painter = QPainter(self._page)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self._strokes:
            stroke.paint(painter)
        painter.end()

    def _stack_moved(self) -> None:
        self.clear_action.setEnabled(bool(self._strokes))
        self.update()
        self.changed.emit()

    # ------------------------------------------------------------------ where the page is
    def page_rect(self) -> QRectF:
        """Where the sheet sits in the widget: as large as fits inside its edge, centred."""
        scale = self._scale()
        size = QSize(round(PAGE_SIZE.width() * scale), round(PAGE_SIZE.height() * scale))
        left = (self.width() - size.width()) / 2
        top = (self.height() - size.height()) / 2
        return QRectF(left, top, size.width(), size.height())

    def _scale(self) -> float:
        room_w, room_h = self.width() - 2 * _EDGE, self.height() - 2 * _EDGE
        return max(0.0, min(room_w / PAGE_SIZE.width(), room_h / PAGE_SIZE.height()))

    def to_page(self, point: QPointF) -> QPointF:
        """A point of the widget on the page (page pixels)."""
        return (point - self.page_rect().topLeft()) / max(self._scale(), 1e-6)

    def to_widget(self, point: QPointF) -> QPoint:
        """A point of the page in the widget (where to press to draw there)."""
        return (self.page_rect().topLeft() + point * self._scale()).toPoint()

    def sizeHint(self) -> QSize:
        return PAGE_SIZE * 0.6

    # ------------------------------------------------------------------ drawing with a pen
    def _begin(self, at: QPointF) -> None:
        self._current = self._new_stroke()
        self._current.points.append(self.to_page(at))
        self.update()

    def _extend(self, at: QPointF) -> None:
        if self._current is None:
            return
        point = self.to_page(at)
        last = self._current.points[-1]
        if abs(point.x() - last.x()) + abs(point.y() - last.y()) >= _MIN_STEP:
            self._current.points.append(point)
            self.update()

    def _finish(self, at: QPointF) -> None:
        if self._current is None:
            return
        self._extend(at)
        stroke, self._current = self._current, None
        self.undo_stack.push(_AddStroke(self, stroke))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._finish(event.position())
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen tablet draws like the mouse (taken here, so no second stroke follows)."""
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove and event.buttons():
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._finish(event.position())
        event.accept()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
        target = self.page_rect()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.PlaceholderText), 1))
        painter.drawRect(target.adjusted(-1, -1, 1, 1))
        painter.translate(target.topLeft())
        painter.scale(self._scale(), self._scale())
        painter.drawImage(QPointF(0, 0), self._page)
        if self._current is not None:
            painter.setClipRect(QRectF(0, 0, PAGE_SIZE.width(), PAGE_SIZE.height()))
            self._current.paint(painter)
        painter.end()
