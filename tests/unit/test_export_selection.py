"""What goes into the therapist report (domain/report.py), from a realistic course."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import EntryKind
from journal_app.domain.report import (
    ReportRequest,
    candidate_entries,
    select_report,
)
from journal_app.storage.report_source import gather_from
from tests.helpers.report_journal import (
    FIRST_WEEK,
    FLAG_WEEK,
    INTENTIONS,
    PHQ9,
    SESSION_DAYS,
    STOOD_OUT,
    UNLINKED_TITLE,
    course_database,
)


@pytest.fixture(scope="module")
def course():
    db, made = course_database()
    yield gather_from(db), made
    db.close()


def _titles(data) -> list[str]:
    return [item.entry.title for item in data.entries]


def test_private_entries_are_left_out_unless_included(course):
    inputs, made = course
    private_id = made.entries["private"].id
    assert private_id not in {i.entry.id for i in select_report(inputs, ReportRequest()).entries}
    included = select_report(inputs, ReportRequest(include_private=True))
    assert private_id in {i.entry.id for i in included.entries}
    # The dialog lists private entries (unticked), so the person can choose them.
    assert private_id in {e.id for e in candidate_entries(inputs, ReportRequest())}


def test_unticked_entries_are_left_out_even_with_private_included(course):
    inputs, made = course
    left_out = {made.entries["day1_2"].id, made.entries["private"].id}
    data = select_report(inputs, ReportRequest(include_private=True,
                                               excluded_entry_ids=frozenset(left_out)))
    assert not left_out & {i.entry.id for i in data.entries}
    assert len(data.entries) == len(inputs.entries) - 2


def test_summaries_quote_only_entries_in_the_report(course):
    """Unticking the preparation entry of session 2 removes its intention from page 1."""
    inputs, made = course
    full = select_report(inputs, ReportRequest())
    assert [s.intention.text for s in full.sessions] == list(INTENTIONS)
    assert full.sessions[0].happened[0].text == STOOD_OUT[0]
    assert full.sessions[0].practice.text == "Call my sister on Sunday evening."
    assert full.sessions[0].practice_outcome == "yes"
    partial = select_report(inputs, ReportRequest(
        excluded_entry_ids=frozenset({made.entries["prep2"].id, made.entries["day1_2"].id})))
    assert partial.sessions[1].intention is None
    assert STOOD_OUT[1] not in [h.text for h in partial.sessions[1].happened]


def test_entries_are_grouped_by_session_in_order_with_unlinked_last(course):
    inputs, _made = course
    data = select_report(inputs, ReportRequest())
    assert [g.session.number if g.session else None for g in data.groups] == [1, 2, 3, None]
    first = data.groups[0]
    assert [i.entry.title for i in first.entries] == [
        "Before session 1", "The day after session 1", "Three days after session 1",
        "A week after session 1"]
    assert [i.entry.title for i in data.groups[-1].entries] == [UNLINKED_TITLE]
    answers = first.entries[0].shown_answers
    assert answers[0].question.startswith("What would you like to understand")
    assert answers[0].answer == INTENTIONS[0]
    # The body is only the answers written out, so it isn't repeated.
    assert first.entries[0].extra_body == ""


def test_scores_carry_bands_flags_and_change_from_baseline(course):
    inputs, _made = course
    data = select_report(inputs, ReportRequest())
    phq9 = next(s for s in data.scores if s.measure.id == "phq9")
    assert [p.total for p in phq9.points] == list(PHQ9)
    assert phq9.points[0].band_label == "moderately severe"
    assert phq9.points[-1].band_label == "mild"
    assert [p.safety_flag for p in phq9.points].count(True) == 1
    assert phq9.points[-1].change.response is True
    assert [s.measure.id for s in data.scores] == ["phq9", "gad7"]


def test_every_safety_flag_is_listed_with_its_date_and_item(course):
    inputs, _made = course
    data = select_report(inputs, ReportRequest())
    [flag] = data.safety_flags
    assert flag.taken_at == FIRST_WEEK + dt.timedelta(weeks=FLAG_WEEK)
    assert [(i.number, i.value, i.label) for i in flag.items] == [(9, 1, "Several days")]
    assert data.safety_screens == (("PHQ-9", len(PHQ9)),)


def test_safety_flags_stay_even_when_phq9_is_not_chosen_for_the_table(course):
    inputs, _made = course
    data = select_report(inputs, ReportRequest(measure_ids=("gad7",)))
    assert [s.measure.id for s in data.scores] == ["gad7"]
    assert len(data.safety_flags) == 1


def test_period_filters_everything_but_keeps_the_baseline(course):
    inputs, _made = course
    start = SESSION_DAYS[1].date()
    data = select_report(inputs, ReportRequest(start=start, end=dt.date(2026, 4, 14)))
    assert [s.session.number for s in data.sessions] == [2, 3]
    assert all(start <= i.entry.created_at.date() <= dt.date(2026, 4, 14)
               for i in data.entries)
    assert UNLINKED_TITLE not in _titles(data)
    phq9 = data.scores[0]
    assert phq9.points[0].taken_at.date() >= start
    assert phq9.baseline.total == PHQ9[0]  # the first check-in ever, before the period
    assert data.safety_flags == ()  # the flag was on 10 Mar, before the period


def test_sessions_and_kinds_narrow_the_entries(course):
    inputs, made = course
    second = made.sessions[1].id
    data = select_report(inputs, ReportRequest(session_ids=frozenset({second}),
                                               kinds=frozenset({EntryKind.PREPARATION}),
                                               include_unlinked=False))
    assert _titles(data) == ["Before session 2"]
    assert [s.session.id for s in data.sessions] == [second]


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        ReportRequest(start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 1))
