"""One rule for how far a session's integration has come, shared by the command line and
the app (domain/timeline.py): a step the person skipped is finished with, like one done.
The ``sessions`` verb's counts are checked in tests/unit/cli/test_care.py."""

from __future__ import annotations

import datetime as dt

from journal_app.domain import timeline as tl
from journal_app.domain import today
from journal_app.domain.entities import TreatmentSession
from journal_app.domain.timeline import StepStatus as S

CET = dt.timezone(dt.timedelta(hours=1))
FIRST = TreatmentSession(starts_at=dt.datetime(2026, 3, 2, 10, tzinfo=CET), number=1, id=1)
SECOND = TreatmentSession(starts_at=dt.datetime(2026, 3, 16, 10, tzinfo=CET), number=2, id=2)
AT = dt.datetime(2026, 3, 12, 12, tzinfo=CET)


def test_done_and_skipped_both_count_as_finished():
    items = tl.timeline(FIRST, SECOND, {"preparation": S.DONE, "day0": S.DONE,
                                         "day1": S.SKIPPED, "day3": S.IN_PROGRESS}, AT)
    progress = tl.session_progress(items)
    assert progress.preparation is S.DONE
    assert progress.integration_done == 2  # done or skipped
    assert progress.integration_skipped == 1
    assert progress.integration_open == 2  # day3 in progress, week1 due
    assert progress.integration_total == 5
    assert progress.integration_started
    assert tl.is_finished(S.SKIPPED) and tl.is_finished(S.DONE)
    assert not tl.is_finished(S.IN_PROGRESS) and not tl.is_finished(S.OVERDUE)


def test_the_app_and_the_command_line_use_the_same_rule():
    assert today.session_progress is tl.session_progress
    assert today.SessionProgress is tl.SessionProgress
