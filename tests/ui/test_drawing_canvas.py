"""The drawing canvas, its tools and its window: strokes drawn with qtbot's mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from journal_app.domain.attachments import AttachmentKind, check_attachment
from journal_app.ui import messages
from journal_app.ui.dialogs.draw_dialog import DrawDialog, draw_picture
from journal_app.ui.widgets.drawing_canvas import PAGE_SIZE, PAPER, DrawingCanvas
from journal_app.ui.widgets.drawing_tools import COLOURS, DrawingTools

LEFT = Qt.MouseButton.LeftButton
# Nothing of a drawing reaches the disk (tests/ui/conftest.py).
pytestmark = pytest.mark.usefixtures("no_files_written")

MIDDLE_ROW = [QPointF(x, 400) for x in range(300, 901, 50)]


@pytest.fixture
def pad(qtbot):
    """The canvas with its tools, shown at a size where the page is scaled down."""
    dialog = DrawDialog()  # not handed to qtbot: its closing would ask about the drawing
    dialog.resize(900, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.discard()
    dialog.deleteLater()


def stroke(canvas: DrawingCanvas, points: list[QPointF]) -> None:
    """Press, move through ``points`` (page pixels) and release, as a hand would."""
    where = [canvas.to_widget(p) for p in points]
    QTest.mousePress(canvas, LEFT, Qt.KeyboardModifier.NoModifier, where[0])
    for point in where[1:]:
        QTest.mouseMove(canvas, point)
    QTest.mouseRelease(canvas, LEFT, Qt.KeyboardModifier.NoModifier, where[-1])


def decoded(canvas: DrawingCanvas) -> QImage:
    image = QImage.fromData(canvas.png_bytes(), "PNG")
    assert not image.isNull()
    return image


def colour_at(image: QImage, x: int, y: int) -> str:
    return QColor(image.pixel(x, y)).name()


def test_an_empty_sheet_is_paper_and_cannot_be_kept(pad):
    image = decoded(pad.canvas)
    assert (image.width(), image.height()) == (PAGE_SIZE.width(), PAGE_SIZE.height())
    assert colour_at(image, 600, 400) == PAPER.name()
    assert pad.canvas.is_empty()
    assert not pad.save_button.isEnabled()
    assert not pad.tools.undo_button.isEnabled()
    assert not pad.tools.clear_button.isEnabled()


def test_a_stroke_changes_the_png_and_undo_brings_back_the_empty_sheet(pad):
    empty = pad.canvas.png_bytes()
    pad.tools.size_buttons["thick"].click()
    stroke(pad.canvas, MIDDLE_ROW)
    drawn = pad.canvas.png_bytes()
    assert drawn != empty
    assert colour_at(decoded(pad.canvas), 600, 400) == COLOURS[0].hex
    assert pad.save_button.isEnabled()
    check_attachment(drawn, AttachmentKind.DRAWING)

    pad.tools.undo_button.click()
    assert pad.canvas.png_bytes() == empty
    assert not pad.save_button.isEnabled()
    pad.tools.redo_button.click()
    assert pad.canvas.png_bytes() == drawn


def test_undo_and_redo_have_their_keys(pad, qtbot):
    empty = pad.canvas.png_bytes()
    stroke(pad.canvas, MIDDLE_ROW)
    drawn = pad.canvas.png_bytes()
    QTest.keyClick(pad.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pad.canvas.png_bytes() == empty
    QTest.keyClick(pad.canvas, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert pad.canvas.png_bytes() == drawn


def test_each_colour_draws_in_that_colour(pad):
    pad.tools.size_buttons["thick"].click()
    for row, colour in enumerate(COLOURS):
        pad.tools.colour_buttons[colour.key].click()
        y = 100 + row * 110
        stroke(pad.canvas, [QPointF(x, y) for x in range(200, 1001, 100)])
    image = decoded(pad.canvas)
    for row, colour in enumerate(COLOURS):
        assert colour_at(image, 600, 100 + row * 110) == colour.hex, colour.key


def test_pen_sizes_draw_wider_lines(pad):
    widths = {}
    for row, key in enumerate(("thin", "medium", "thick")):
        pad.tools.size_buttons[key].click()
        y = 200 + row * 200
        stroke(pad.canvas, [QPointF(x, y) for x in range(300, 901, 100)])
        image = decoded(pad.canvas)
        widths[key] = sum(colour_at(image, 600, y + dy) != PAPER.name() for dy in range(-30, 31))
    assert 0 < widths["thin"] < widths["medium"] < widths["thick"]


def test_the_eraser_rubs_out(pad):
    pad.tools.size_buttons["thick"].click()
    stroke(pad.canvas, MIDDLE_ROW)
    pad.tools.eraser_button.click()
    assert pad.canvas.is_eraser()
    stroke(pad.canvas, [QPointF(x, 400) for x in range(500, 701, 25)])
    image = decoded(pad.canvas)
    assert colour_at(image, 600, 400) == PAPER.name()
    assert colour_at(image, 350, 400) == COLOURS[0].hex
    pad.tools.colour_buttons["blue"].click()
    assert not pad.canvas.is_eraser()


def test_only_eraser_strokes_leave_the_sheet_empty(pad):
    pad.tools.eraser_button.click()
    stroke(pad.canvas, MIDDLE_ROW)
    assert pad.canvas.is_empty()
    assert not pad.save_button.isEnabled()


def test_clear_empties_the_sheet_and_can_be_undone(pad):
    stroke(pad.canvas, MIDDLE_ROW)
    drawn = pad.canvas.png_bytes()
    empty_canvas = DrawingCanvas()
    pad.tools.clear_button.click()
    assert pad.canvas.png_bytes() == empty_canvas.png_bytes()
    assert pad.canvas.is_empty() and not pad.tools.clear_button.isEnabled()
    pad.tools.undo_button.click()
    assert pad.canvas.png_bytes() == drawn
    empty_canvas.deleteLater()


def test_a_tap_leaves_a_dot(pad):
    pad.tools.size_buttons["thick"].click()
    point = pad.canvas.to_widget(QPointF(600, 400))
    QTest.mouseClick(pad.canvas, LEFT, Qt.KeyboardModifier.NoModifier, point)
    assert colour_at(decoded(pad.canvas), 600, 400) == COLOURS[0].hex


def test_every_tool_has_a_name_a_tooltip_and_takes_the_keyboard(qtbot):
    canvas = DrawingCanvas()
    tools = DrawingTools(canvas)
    qtbot.addWidget(canvas)
    qtbot.addWidget(tools)
    buttons = [*tools.colour_buttons.values(), *tools.size_buttons.values(),
               tools.eraser_button, tools.undo_button, tools.redo_button, tools.clear_button]
    names = [b.accessibleName() for b in buttons]
    assert all(names) and len(set(names)) == len(names)
    assert all(b.toolTip() for b in buttons)
    assert all(b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in buttons)
    assert "Ctrl+Z" in tools.undo_button.toolTip()


def test_space_chooses_a_colour(pad):
    blue = pad.tools.colour_buttons["blue"]
    blue.setFocus()
    QTest.keyClick(blue, Qt.Key.Key_Space)
    assert blue.isChecked()
    pad.tools.size_buttons["thick"].click()
    stroke(pad.canvas, MIDDLE_ROW)
    assert colour_at(decoded(pad.canvas), 600, 400) == COLOURS[1].hex


# ----------------------------------------------------------------------- the window


def test_keep_hands_back_the_png(pad):
    stroke(pad.canvas, MIDDLE_ROW)
    pad.save_button.click()
    assert pad.result() == DrawDialog.DialogCode.Accepted
    assert pad.png() == pad.canvas.png_bytes()


def test_leaving_with_a_drawing_asks_first(pad, monkeypatch):
    answers = [False, True]
    monkeypatch.setattr(messages, "confirm_discard", lambda *_a: answers.pop(0))
    stroke(pad.canvas, MIDDLE_ROW)
    pad.reject()
    assert pad.isVisible()
    pad.reject()
    assert not pad.isVisible() and pad.png() == b"" and not answers


def test_leaving_an_empty_sheet_does_not_ask(pad, monkeypatch):
    monkeypatch.setattr(messages, "confirm_discard", lambda *_a: pytest.fail("asked"))
    pad.reject()
    assert not pad.isVisible()


def test_draw_picture_returns_the_drawing_or_none(qtbot):
    def draw_and_keep() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, DrawDialog)
        stroke(dialog.canvas, MIDDLE_ROW)
        dialog.save_button.click()

    QTimer.singleShot(0, draw_and_keep)
    data = draw_picture(None)
    assert data is not None and check_attachment(data, AttachmentKind.DRAWING).width == 1200

    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    assert draw_picture(None) is None
