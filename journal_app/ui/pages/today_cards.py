"""The Today page's cards about what is ahead: the next session with its preparation, the
offer to add a session, and the check-in.

Built from a :class:`~journal_app.domain.today_view.TodayView`, which has already decided
what each card offers; the page passes in what its buttons do. The words keep the page's
translation context ("TodayPage").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from journal_app.domain.today import PrimaryAction, RecentCourse, UpcomingSession
from journal_app.domain.today_view import PreparationOffer, TodayView
from journal_app.ui.labels import modality_label
from journal_app.ui.models.timeline_model import (
    checkin_summary,
    format_day,
    format_short_day,
    format_time,
    relative_day,
    session_name,
)
from journal_app.ui.widgets.story_cards import button, card, label

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def next_session_card(view: TodayView, course: RecentCourse, parent: QWidget, *,
                      prepare: Callable[[int], None],
                      read: Callable[[int], None]) -> QFrame:
    """The next session, when it is, and where its preparation stands. ``prepare`` gets
    the session's id, ``read`` the id of the preparation's entry."""
    plan = view.plan
    upcoming = plan.next_session
    assert upcoming is not None  # the view shows this card only for a next session
    session = upcoming.session
    frame, layout = card(parent)
    layout.addWidget(label(translate("TodayPage", "Next session"), frame, "cardTitle"))
    when = translate("TodayPage", "%1, %2 (%3)").replace(
        "%1", format_day(session.starts_at, plan.now)).replace(
        "%2", format_time(session.starts_at, plan.now)).replace(
        "%3", relative_day(upcoming.days_until))
    layout.addWidget(label(when, frame, "sessionWhen"))
    layout.addWidget(label(f"{session_name(session, course.position(session.id))}"
                           f" · {modality_label(session.modality)}", frame, "quietLabel"))
    layout.addLayout(_preparation_row(view, upcoming, frame, prepare=prepare, read=read))
    return frame


def _preparation_texts(offer: PreparationOffer | None, upcoming: UpcomingSession,
                       now: dt.datetime) -> tuple[str, str]:
    """The line about the preparation and its button's verb (empty: no button)."""
    item = upcoming.preparation
    if offer is PreparationOffer.NOT_YET_OPEN and item is not None:  # say when, ask nothing
        return translate("TodayPage", "Preparation opens on %1.").replace(
            "%1", format_short_day(item.due_at, now)), ""
    if offer is PreparationOffer.READ:
        return (translate("TodayPage", "Your preparation is done."),
                translate("TodayPage", "Read your preparation"))
    if offer is PreparationOffer.SKIPPED:
        return translate("TodayPage", "You chose to skip preparing this time."), ""
    if offer is PreparationOffer.CONTINUE:
        return (translate("TodayPage", "You've started preparing."),
                translate("TodayPage", "Continue preparation"))
    return (translate("TodayPage", "Time to prepare, at your own pace."),
            translate("TodayPage", "Start preparation"))


def _preparation_row(view: TodayView, upcoming: UpcomingSession, frame: QFrame, *,
                     prepare: Callable[[int], None],
                     read: Callable[[int], None]) -> QHBoxLayout:
    offer = view.preparation
    item = upcoming.preparation
    text, verb = _preparation_texts(offer, upcoming, view.plan.now)
    row = QHBoxLayout()
    row.addWidget(label(text, frame), 1)
    if verb:
        action = button(verb, frame, primary=view.plan.primary is PrimaryAction.PREPARE)
        entry_id = item.entry_id if item is not None else None
        if offer is PreparationOffer.READ and entry_id is not None:
            action.clicked.connect(lambda: read(entry_id))
        else:
            action.clicked.connect(lambda: prepare(upcoming.session.id))
        row.addWidget(action)
    return row


def add_session_card(view: TodayView, parent: QWidget, *, add: Callable[[], None]) -> QFrame:
    """Nothing planned: an offer to add a session, worded for a first one when there is
    none yet."""
    frame, layout = card(parent)
    first = view.invites_first_session
    layout.addWidget(label(translate("TodayPage", "Add your next session") if first
                           else translate("TodayPage", "No session planned"),
                           frame, "cardTitle"))
    layout.addWidget(label(translate(
        "TodayPage",
        "When you add the date of your next session, the journal offers a few gentle "
        "steps to prepare for it and to reflect afterwards.") if first else translate(
        "TodayPage", "If another session is planned, add it to prepare for it here."),
        frame))
    action = button(translate("TodayPage", "Add session"), frame,
                    primary=view.plan.primary is PrimaryAction.ADD_SESSION)
    action.clicked.connect(add)
    row = QHBoxLayout()
    row.addWidget(action)
    row.addStretch(1)
    layout.addLayout(row)
    return frame


def checkin_card(view: TodayView, parent: QWidget, *,
                 check: Callable[[str], None]) -> tuple[QFrame, QLabel]:
    """The latest check-in and a button to check in again; the card and its text label.
    ``check`` gets the measure offered."""
    frame, layout = card(parent)
    latest = view.plan.latest_check_in
    layout.addWidget(label(translate("TodayPage", "Check in"), frame, "cardTitle"))
    text = checkin_summary(latest, view.plan.now) if latest is not None else None
    if text is None:
        text = translate("TodayPage", "No check-ins yet. A short check-in now and then "
                                      "helps you see how things change over the course.")
    measure_id = view.checkin_measure
    row = QHBoxLayout()
    summary = label(text, frame)
    row.addWidget(summary, 1)
    action = button(translate("TodayPage", "Check in"), frame)
    action.clicked.connect(lambda: check(measure_id))
    row.addWidget(action, 0, Qt.AlignmentFlag.AlignTop)
    layout.addLayout(row)
    return frame, summary
