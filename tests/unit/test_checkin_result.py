"""What a check-in result states (domain/checkin_result.py), without Qt: the score's
statement, the comparison with the first check-in and the research terms that apply."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from journal_app.domain.checkin_result import ScoreStatement, describe_result
from journal_app.domain.measures import CheckIn, Measure, load_measures

FIRST_DAY = dt.datetime(2026, 1, 5, 9, 30).astimezone()


@pytest.fixture(scope="module")
def measures() -> dict[str, Measure]:
    return load_measures()


def phq9_answers(total: int) -> list[int]:
    return [min(3, max(0, total - 3 * i)) for i in range(9)]


def first_phq9(measures: dict[str, Measure], total: int) -> CheckIn:
    return measures["phq9"].new_check_in(phq9_answers(total), taken_at=FIRST_DAY)


def phq9_result(measures: dict[str, Measure], total: int, first_total: int | None):
    phq9 = measures["phq9"]
    first = None if first_total is None else first_phq9(measures, first_total)
    return describe_result(phq9, phq9.score(phq9_answers(total)), first)


def test_a_first_check_in_states_the_band_and_says_later_ones_compare_with_it(measures):
    result = phq9_result(measures, 10, None)
    assert result.statement is ScoreStatement.BANDED
    assert (result.display_total, result.top, result.band_label) == ("10", "27", "moderate")
    assert result.measure_name == "PHQ-9"
    assert result.first_time and result.compared is None


def test_a_drop_from_16_to_4_is_a_response_and_a_remission(measures):
    result = phq9_result(measures, 4, 16)
    assert not result.first_time
    compared = result.compared
    assert compared is not None
    assert compared.taken_at == FIRST_DAY and compared.display_total == "16"
    assert compared.response
    assert compared.remission_below == 5
    assert compared.mentions_research


def test_remission_is_mentioned_only_when_the_first_score_was_above_the_cut_off(measures):
    compared = phq9_result(measures, 3, 4).compared
    assert compared is not None
    assert compared.remission_below is None, "started below the cut-off: no remission"
    assert not compared.response
    assert not compared.mentions_research
    exactly_at_cut_off = phq9_result(measures, 2, 5).compared
    assert exactly_at_cut_off is not None and exactly_at_cut_off.remission_below == 5


def test_an_exact_half_drop_is_a_response_without_remission(measures):
    compared = phq9_result(measures, 5, 10).compared
    assert compared is not None
    assert compared.response and compared.remission_below is None
    assert compared.mentions_research


def test_a_small_change_names_no_research_term(measures):
    compared = phq9_result(measures, 12, 14).compared
    assert compared is not None
    assert not compared.response and compared.remission_below is None
    assert not compared.mentions_research


def test_a_rise_is_stated_without_research_terms(measures):
    compared = phq9_result(measures, 14, 6).compared
    assert compared is not None and compared.display_total == "6"
    assert not compared.mentions_research


def test_a_measure_without_a_change_rule_compares_but_names_no_term(measures):
    gad7 = measures["gad7"]
    first = gad7.new_check_in([3] * 7, taken_at=FIRST_DAY)
    result = describe_result(gad7, gad7.score([0] * 7), first)
    assert result.statement is ScoreStatement.BANDED and result.band_label == "minimal"
    assert result.compared is not None and result.compared.display_total == "21"
    assert not result.compared.mentions_research


def test_the_daily_mood_is_a_rating_never_compared(measures):
    mood = measures["mood"]
    first = mood.new_check_in([2], taken_at=FIRST_DAY)
    for earlier in (None, first):
        result = describe_result(mood, mood.score([7]), earlier)
        assert result.statement is ScoreStatement.RATING
        assert (result.display_total, result.top) == ("7", "10")
        assert not result.first_time and result.compared is None


def test_an_average_score_is_stated_as_one(measures):
    peg = measures["peg"]
    result = describe_result(peg, peg.score([10, 1, 4]), None)
    assert result.statement is ScoreStatement.MEAN
    assert (result.display_total, result.top, result.band_label) == ("5.0", "10.0", None)
    assert result.first_time


def test_a_sum_without_bands_is_stated_plainly(measures):
    unbanded = replace(measures["gad7"], bands=())
    result = describe_result(unbanded, unbanded.score([1] * 7), None)
    assert result.statement is ScoreStatement.PLAIN and result.band_label is None


def test_the_reprs_hold_no_score_or_date(measures):
    result = phq9_result(measures, 4, 16)
    text = repr(result) + repr(result.compared)
    for secret in ("16", "2026", "moderate", "none/minimal", "True"):
        assert secret not in text
