"""The session timeline: when each step is due, its status over time, time zones, moves."""

from __future__ import annotations

import datetime as dt
import textwrap
import zoneinfo

import pytest

from journal_app.domain.datafile import DataFileError
from journal_app.domain.entities import TreatmentSession
from journal_app.domain.timeline import (
    StepRecord,
    StepStatus,
    due_items,
    load_schedule,
    timeline,
)

CET = dt.timezone(dt.timedelta(hours=1))
TOKYO = dt.timezone(dt.timedelta(hours=9))
UTC = dt.UTC

S = StepStatus


def at(day: int, hour: int, minute: int = 0, tz: dt.tzinfo = CET, month: int = 3) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=tz)


def session(starts_at: dt.datetime, session_id: int = 1) -> TreatmentSession:
    return TreatmentSession(starts_at=starts_at, id=session_id)


# A session on Monday 10 March 2025 at 10:00 (+01:00); the next one on Thursday 20 March.
SESSION = session(at(10, 10), 1)
NEXT = session(at(20, 14), 2)


def by_step(items):
    return {item.step: item for item in items}


def test_a_session_on_day_d_gets_its_items_at_the_scheduled_times():
    items = by_step(timeline(SESSION, NEXT, {}, at(1, 0)))
    assert {step: item.due_at for step, item in items.items()} == {
        "preparation": at(3, 9),   # from 7 days before
        "day0": at(10, 18),        # the evening of the session day
        "day1": at(11, 9),
        "day3": at(13, 9),
        "week1": at(17, 9),
        "before_next": at(18, 9),  # 2 days before the next session
    }
    assert items["preparation"].overdue_at == SESSION.starts_at
    assert items["day0"].overdue_at == at(11, 9)
    assert items["before_next"].overdue_at == NEXT.starts_at


def test_items_come_soonest_first():
    # With the next session six days on, "before next" comes before "one week on".
    items = timeline(SESSION, session(at(16, 10), 2), {}, at(1, 0))
    assert [i.step for i in items] == ["preparation", "day0", "day1", "day3", "before_next",
                                       "week1"]
    assert [i.due_at for i in items] == sorted(i.due_at for i in items)


def test_without_a_next_session_there_is_no_before_next_step():
    steps = [item.step for item in timeline(SESSION, None, {}, at(1, 0))]
    assert steps == ["preparation", "day0", "day1", "day3", "week1"]


@pytest.mark.parametrize(("now", "expected"), [
    (at(2, 12), {"preparation": S.UPCOMING, "day0": S.UPCOMING, "week1": S.UPCOMING}),
    (at(3, 9), {"preparation": S.DUE, "day0": S.UPCOMING}),
    (at(10, 9, 59), {"preparation": S.DUE, "day0": S.UPCOMING}),
    (at(10, 10), {"preparation": S.OVERDUE, "day0": S.UPCOMING}),
    (at(10, 18), {"day0": S.DUE, "day1": S.UPCOMING}),
    (at(11, 9), {"day0": S.OVERDUE, "day1": S.DUE, "day3": S.UPCOMING}),
    (at(13, 9), {"day1": S.OVERDUE, "day3": S.DUE}),
    (at(17, 9), {"day3": S.OVERDUE, "week1": S.DUE, "before_next": S.UPCOMING}),
    (at(18, 9), {"before_next": S.DUE}),
    (at(20, 14), {"before_next": S.OVERDUE, "week1": S.DUE}),
    (at(24, 9), {"week1": S.OVERDUE}),
])
def test_status_follows_the_clock(now, expected):
    statuses = {step: item.status for step, item in by_step(
        timeline(SESSION, NEXT, {}, now)).items()}
    assert {step: statuses[step] for step in expected} == expected


def test_done_skipped_and_in_progress_win_over_the_clock():
    stored = {
        "preparation": "done",
        "day0": StepRecord(1, "day0", StepStatus.SKIPPED),
        "day1": StepRecord(1, "day1", StepStatus.IN_PROGRESS, entry_id=7),
        "day3": StepStatus.DONE,  # done early, before it was due
    }
    items = by_step(timeline(SESSION, NEXT, stored, at(12, 12)))
    assert items["preparation"].status is S.DONE
    assert items["day0"].status is S.SKIPPED
    assert (items["day1"].status, items["day1"].entry_id) == (S.IN_PROGRESS, 7)
    assert items["day3"].status is S.DONE
    assert items["week1"].status is S.UPCOMING


def test_clock_statuses_cannot_be_stored():
    with pytest.raises(ValueError):
        timeline(SESSION, NEXT, {"day1": "overdue"}, at(12, 12))
    with pytest.raises(ValueError):
        StepRecord(1, "day1", "due")


def test_a_late_session_in_tokyo_with_now_in_utc():
    # 23:30 in Tokyo on 10 May is 14:30 UTC the same day; "day 1" is 11 May in Tokyo.
    late = session(dt.datetime(2025, 5, 10, 23, 30, tzinfo=TOKYO))
    items = by_step(timeline(late, None, {}, dt.datetime(2025, 5, 10, 15, 0, tzinfo=UTC)))
    # The evening of day 0 is already past at 23:30, so day 0 waits until the session is over.
    assert items["day0"].due_at == dt.datetime(2025, 5, 11, 1, 30, tzinfo=TOKYO)
    assert items["day0"].status is S.UPCOMING
    assert items["day1"].due_at == dt.datetime(2025, 5, 11, 9, 0, tzinfo=TOKYO)
    assert items["day1"].due_at.utcoffset() == dt.timedelta(hours=9)
    assert items["day3"].due_at == dt.datetime(2025, 5, 13, 0, 0, tzinfo=UTC)
    just_before = by_step(timeline(late, None, {}, dt.datetime(2025, 5, 10, 23, 59, tzinfo=UTC)))
    assert just_before["day1"].status is S.UPCOMING
    assert just_before["day0"].status is S.DUE
    on_time = by_step(timeline(late, None, {}, dt.datetime(2025, 5, 11, 0, 0, tzinfo=UTC)))
    assert on_time["day1"].status is S.DUE


def test_day0_stays_open_at_least_the_minimum_before_it_is_overdue():
    late = session(dt.datetime(2025, 5, 10, 23, 30, tzinfo=TOKYO))
    day0 = by_step(timeline(late, None, {}, at(1, 0)))["day0"]
    assert day0.overdue_at - day0.due_at == dt.timedelta(hours=12)


def test_a_zone_keeps_wall_clock_times_across_a_daylight_saving_change():
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # Friday 7 March 2025, 10:00 EST (-05:00); clocks go forward on Sunday 9 March.
    friday = session(dt.datetime(2025, 3, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))))
    fixed = by_step(timeline(friday, None, {}, at(1, 0)))["week1"].due_at
    zoned = by_step(timeline(friday, None, {}, at(1, 0), zone=new_york))["week1"].due_at
    assert fixed.utcoffset() == dt.timedelta(hours=-5)
    assert (zoned.hour, zoned.utcoffset()) == (9, dt.timedelta(hours=-4))
    assert fixed - zoned == dt.timedelta(hours=1)


def test_moving_a_session_moves_its_items_and_keeps_what_was_done():
    stored = {"preparation": "done"}
    moved = session(at(15, 10), 1)  # the same session, five days later
    before = by_step(timeline(SESSION, NEXT, stored, at(11, 12)))
    after = by_step(timeline(moved, NEXT, stored, at(11, 12)))
    for step in ("day0", "day1", "day3", "week1"):
        assert after[step].due_at - before[step].due_at == dt.timedelta(days=5)
    assert after["preparation"].status is S.DONE
    assert before["day1"].status is S.DUE
    assert after["day1"].status is S.UPCOMING
    assert after["before_next"].due_at == before["before_next"].due_at


def test_due_items_across_sessions():
    first, second = session(at(3, 10), 1), session(at(10, 10), 2)
    stored = {1: {"day0": "done", "day1": "skipped"}, 2: {"preparation": "in-progress"}}
    # Passed in any order; the next session of #1 is #2.
    items = due_items([second, first], stored, at(8, 12))
    assert [(i.session_id, i.step, i.status) for i in items] == [
        (2, "preparation", S.IN_PROGRESS),
        (1, "day3", S.DUE),
        (1, "before_next", S.DUE),
    ]
    assert items[2].due_at == at(8, 9)


def test_due_items_leave_out_steps_overdue_for_too_long():
    only = session(at(3, 10), 1)
    assert [i.step for i in due_items([only], {}, at(16, 9))] == ["day3", "week1"]
    # day3 was overdue at 10 March 09:00 and is listed for 7 days after that.
    assert [i.step for i in due_items([only], {}, at(17, 9))] == ["week1"]
    # Preparation and the evening after are no longer listed once their time has passed.
    assert "day0" not in [i.step for i in due_items([only], {}, at(4, 9))]
    assert [i.step for i in due_items([only], {}, at(4, 9))] == ["day1"]
    assert due_items([only], {}, dt.datetime(2025, 6, 1, tzinfo=CET)) == []


def test_due_item_json_has_the_cli_fields():
    item = due_items([SESSION], {}, at(11, 10))[0]
    data = item.to_json()
    assert data["session_id"] == 1 and data["step"] == "day1"
    assert data["due_at"] == "2025-03-11T09:00+01:00"
    assert data["status"] == "due"


# ---------------------------------------------------------------------------- schedule data

GOOD_SCHEDULE = textwrap.dedent("""
    version = 1
    min_open_hours = 12

    [[step]]
    id = "day1"
    phase = "integration"
    title = "The next day"
    due = { from = "session", days = 1, at = "09:00" }
    overdue = { from = "session", days = 3, at = "09:00" }
""")


def test_the_bundled_schedule_loads():
    schedule = load_schedule()
    assert schedule.ids == ("preparation", "day0", "day1", "day3", "week1", "before_next")
    assert schedule.version >= 1


def test_a_custom_schedule_changes_the_spacing(tmp_path):
    path = tmp_path / "schedule.toml"
    path.write_text(GOOD_SCHEDULE.replace("days = 1,", "days = 2,"), encoding="utf-8")
    items = timeline(SESSION, None, {}, at(1, 0), schedule=load_schedule(path))
    assert [(i.step, i.due_at) for i in items] == [("day1", at(12, 9))]


@pytest.mark.parametrize(("change", "complaint"), [
    (('at = "09:00" }\noverdue', 'at = "9am" }\noverdue'), "'due.at'"),
    (('from = "session", days = 1', 'from = "clinic", days = 1'), "'due.from'"),
    (('overdue = { from = "session", days = 3, at = "09:00" }\n', ""), "missing field 'overdue'"),
    (('phase = "integration"', 'phase = "afterwards"'), "unknown phase"),
])
def test_schedule_mistakes_name_file_line_and_step(tmp_path, change, complaint):
    path = tmp_path / "schedule.toml"
    body = GOOD_SCHEDULE.replace(*change)
    assert body != GOOD_SCHEDULE
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_schedule(path)
    assert complaint in str(caught.value)
    assert str(path) in str(caught.value) and '"day1"' in str(caught.value)
    assert caught.value.line is not None and caught.value.line > 4
