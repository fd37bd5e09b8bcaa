"""What an unlock reads: the recent end of a long course, once, for the Today page and the
reminders together (not every session, twice)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from journal_app.domain import reminders as reminders_module
from journal_app.domain import today as today_module
from journal_app.domain.entities import TreatmentSession, now
from journal_app.domain.timeline import StepStatus
from journal_app.storage.care import TimelineRepository
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Vault
from tests.conftest import FAST_KDF
from tests.ui.test_journal_flow import PASSPHRASE, make_window, unlock
from tests.ui.test_today_page import all_content

WEEKS = 80


def seed_long_course(path) -> None:
    """A session every week for eighty weeks, the last one two days ago (its next-day step
    waiting), each older one's steps done."""
    vault, _key = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    repo, steps = JournalRepository(vault.db), TimelineRepository(vault.db)
    last = now() - dt.timedelta(days=2)
    for week in range(WEEKS, 0, -1):
        session = repo.add_session(TreatmentSession(
            starts_at=last - dt.timedelta(weeks=week - 1)))  # numbered by place
        for step in ("preparation", "day0", *(("day1", "day3", "week1", "before_next")
                                              if week > 1 else ())):
            steps.set_status(session.id, step, StepStatus.DONE)
    vault.save()
    vault.close()


def test_unlock_reads_the_recent_sessions_once_for_today_and_the_reminders(
        qtbot, tmp_path, no_modals):
    path = tmp_path / "journal.ijournal"
    seed_long_course(path)
    window = make_window(qtbot, path)
    plans, steps = mock.Mock(wraps=today_module.due_items), \
        mock.Mock(wraps=reminders_module.due_items)
    with mock.patch.object(today_module, "due_items", plans), \
            mock.patch.object(reminders_module, "due_items", steps), \
            mock.patch.object(JournalRepository, "list_sessions") as every_session:
        unlock(qtbot, window, PASSPHRASE)
    today = window.journal_area.page("today")
    assert [(i.session_id, i.step) for i in today.plan.due][:1] == [(WEEKS, "day1")]
    assert f"Session {WEEKS} · " in all_content(today), "its place in the whole course"
    assert plans.call_count + steps.call_count == 1, "worked out once"
    assert len(plans.call_args.args[0]) <= 5, "from the last few sessions only"
    every_session.assert_not_called()
    assert window.reminders.check() == [], "what was waiting counts as seen"
