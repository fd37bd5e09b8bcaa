"""A long course on the Sessions page: each row's timeline is worked out when the row is
first shown, and the first show reads the course once. The rows read exactly as when every
session's timeline was worked out at once."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from journal_app.domain.entities import Modality, TreatmentSession
from journal_app.domain.timeline import StepStatus, session_progress
from journal_app.storage.care import TimelineRepository
from journal_app.ui.models import timeline_model
from journal_app.ui.models.timeline_model import Course, SessionListModel, SessionRow
from journal_app.ui.pages.sessions_page import SessionsPage
from tests.ui.test_today_page import Clock, at, journal  # noqa: F401 (fixture)

SESSIONS = 160


@pytest.fixture
def long_course(journal):  # noqa: F811
    first = at(3, 10) - dt.timedelta(days=2 * SESSIONS)
    ids = [journal.repo.add_session(TreatmentSession(
        starts_at=first + dt.timedelta(days=2 * n, hours=n % 5),
        number=None if n % 7 == 0 else n + 1,
        modality=list(Modality)[n % len(Modality)])).id for n in range(SESSIONS)]
    steps = TimelineRepository(journal.vault.db)
    for n in range(0, SESSIONS, 9):
        steps.set_status(ids[n], "day1", StepStatus.SKIPPED if n % 2 else StepStatus.DONE)
    return ids


def _texts(model: SessionListModel, role=Qt.ItemDataRole.DisplayRole) -> list[str]:
    return [model.data(model.index(r), role) for r in range(model.rowCount())]


def test_rows_made_when_shown_read_as_rows_made_at_once(qapp, journal, long_course):  # noqa: F811
    course = Course.load(journal)
    for now in (at(3, 9), at(3, 12), at(20, 12)):
        at_once = SessionListModel()
        at_once.set_rows([SessionRow(s, n, session_progress(steps))
                          for n, (s, steps) in enumerate(course.timelines(now), 1)], now)
        lazy = SessionListModel()
        lazy.set_course(course, now)
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            assert _texts(lazy, role) == _texts(at_once, role)
        assert [lazy.session_at(r) for r in range(SESSIONS)] == course.sessions
        assert lazy.row_of(long_course[-1]) == SESSIONS - 1


def test_the_first_show_works_out_the_rows_on_screen_and_reads_the_course_once(
        qtbot, journal, long_course, monkeypatch):  # noqa: F811
    made, loads = [], []
    timeline_at, load = Course.timeline_at, Course.load.__func__

    def counting_timeline(self, index, now):
        made.append(index)
        return timeline_at(self, index, now)

    def counting_load(cls, opened):
        loads.append(1)
        return load(cls, opened)

    monkeypatch.setattr(Course, "timeline_at", counting_timeline)
    monkeypatch.setattr(Course, "load", classmethod(counting_load))
    page = SessionsPage(clock=Clock(at(3, 12)))
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    page.attach(journal)
    qtbot.waitExposed(page)
    assert page.model.rowCount() == SESSIONS
    assert page.current_session_id() == long_course[-1]  # the latest begun, in view
    assert page.list.visualRect(page.list.currentIndex()).intersects(page.list.rect())
    assert loads == [1]
    assert 0 < len(set(made)) < SESSIONS / 4
    assert timeline_model.session_name(page.model.session_at(SESSIONS - 1), SESSIONS) in \
        page.model.data(page.list.currentIndex())


def test_every_row_is_three_lines_so_one_row_sizes_them_all(qapp, journal, long_course):  # noqa: F811
    """The list gives every row the first size it measures (uniform item sizes): right
    only while each row has its three lines, whatever the session's state."""
    course = Course.load(journal)
    for now in (at(1, 9), at(3, 12), at(30, 12)):
        model = SessionListModel()
        model.set_course(course, now)
        assert {text.count("\n") for text in _texts(model)} == {2}


def test_no_row_needs_more_room_than_the_one_size_they_all_get(qtbot, journal, long_course):  # noqa: F811
    """A uniform row is as tall as the first row: a row whose first line wrapped (a wider
    date, a larger font) would lose its third line. Every row's own size must fit."""
    page = SessionsPage(clock=Clock(at(3, 12)))
    qtbot.addWidget(page)
    page.resize(1200, 900)
    font = page.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)  # a person's larger text
    page.setFont(font)
    page.show()
    page.attach(journal)
    qtbot.waitExposed(page)
    view = page.list
    delegate = view.itemDelegate()
    rows = [view.visualRect(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    shown = [r for r, rect in enumerate(rows) if rect.intersects(view.viewport().rect())]
    assert shown
    for r in shown:
        index = page.model.index(r, 0)
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = rows[r]
        assert delegate.sizeHint(option, index).height() <= rows[r].height(), r
        assert page.model.data(index, Qt.ItemDataRole.ToolTipRole) == page.model.data(index)
