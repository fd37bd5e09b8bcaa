"""Measures: the bundled definitions, exact scoring against hand-worked totals, band edges,
the safety flag, change from baseline, refusal of incomplete answers, the data loader."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal_app.domain.datafile import DataFileError
from journal_app.domain.measures import (
    CheckIn,
    IncompleteAnswersError,
    Scoring,
    change_from_baseline,
    load_measure,
    load_measures,
    score,
)
from journal_app.domain.trends import build_series, summarize

MEASURES = load_measures()
PHQ9, GAD7, PEG, MOOD = (MEASURES[k] for k in ("phq9", "gad7", "peg", "mood"))
FREQUENCY = ["Not at all", "Several days", "More than half the days", "Nearly every day"]
TWO_WEEKS = ("Over the last 2 weeks, how often have you been bothered by any of the "
             "following problems?")


def answers_totalling(total: int, n: int, top: int = 3, *, item9: int = 0) -> list[int]:
    """n answers (0..top each) that sum to total, filled from item 1; item 9 set apart."""
    rest = total - item9
    out = []
    for _ in range(n):
        take = min(top, rest)
        out.append(take)
        rest -= take
    assert rest == 0
    if item9:
        assert out[8] == 0
        out[8] = item9
    return out


# --------------------------------------------------------------------------- definitions


def test_bundled_measures_in_display_order():
    assert list(MEASURES) == ["phq9", "gad7", "peg", "mood"]
    assert [m.name for m in MEASURES.values()] == ["PHQ-9", "GAD-7", "PEG", "Mood"]
    assert all(m.version >= 1 for m in MEASURES.values())


def test_phq9_and_gad7_use_the_standard_instructions_and_choices():
    for measure, count in ((PHQ9, 9), (GAD7, 7)):
        assert measure.instructions == TWO_WEEKS
        assert len(measure.items) == count
        for item in measure.items:
            assert [label for _, label in item.scale.labels] == FREQUENCY
            assert list(item.scale.values) == [0, 1, 2, 3]
            assert item.scale.fully_labelled
    assert PHQ9.items[8].text.startswith("Thoughts that you would be better off dead")
    assert GAD7.items[0].text == "Feeling nervous, anxious, or on edge"
    assert (PHQ9.min_total, PHQ9.max_total) == (0, 27)
    assert (GAD7.min_total, GAD7.max_total) == (0, 21)


def test_peg_and_mood_are_0_to_10_ratings_with_anchors():
    assert PEG.scoring is Scoring.MEAN and len(PEG.items) == 3
    assert PEG.items[0].scale.label_for(0) == "No pain"
    assert PEG.items[0].scale.label_for(10) == "Pain as bad as you can imagine"
    assert PEG.items[1].scale.label_for(10) == "Completely interferes"
    assert not PEG.items[0].scale.fully_labelled
    assert PEG.bands == () and MOOD.bands == ()
    assert len(MOOD.items) == 1 and list(MOOD.items[0].scale.values) == list(range(11))


def test_reprs_leave_out_item_text_answers_and_scores():
    # Fixed times: the current time in a repr could itself contain "3, 3".
    fixed = dt.datetime(2026, 1, 2, 12, 0, tzinfo=dt.UTC)
    check_in = dataclasses.replace(
        PHQ9.new_check_in([3] * 9, taken_at=fixed, note="private words"), created_at=fixed)
    text = repr(PHQ9) + repr(PHQ9.items[8]) + repr(check_in)
    for secret in ("better off dead", "private words", "3, 3"):
        assert secret not in text
    result = repr(PHQ9.score([3] * 9))
    assert "27" not in result and "severe" not in result and "True" not in result


# --------------------------------------------------------------------------- scoring

PHQ9_EDGES = [(0, "none/minimal"), (4, "none/minimal"), (5, "mild"), (9, "mild"),
              (10, "moderate"), (14, "moderate"), (15, "moderately severe"),
              (19, "moderately severe"), (20, "severe"), (27, "severe")]
GAD7_EDGES = [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
              (14, "moderate"), (15, "severe"), (21, "severe")]


@pytest.mark.parametrize(("total", "label"), PHQ9_EDGES)
def test_phq9_band_edges(total, label):
    result = score(PHQ9, answers_totalling(total, 9))
    assert result.total == total and isinstance(result.total, int)
    assert result.band_label == label
    assert result.display_total == str(total)


@pytest.mark.parametrize(("total", "label"), GAD7_EDGES)
def test_gad7_band_edges(total, label):
    result = score(GAD7, answers_totalling(total, 7))
    assert (result.total, result.band_label) == (total, label)
    assert not result.safety_flag


def test_hand_worked_phq9():
    # 1+2+0+3+1+0+2+1+0 = 10 → moderate; item 9 is 0, so no flag.
    result = score(PHQ9, [1, 2, 0, 3, 1, 0, 2, 1, 0])
    assert (result.total, result.band.id, result.safety_flag) == (10, "moderate", False)


def test_item_9_raises_the_flag_whatever_the_total():
    low = score(PHQ9, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert low.total == 1 and low.band_label == "none/minimal" and low.safety_flag
    assert score(PHQ9, [3, 3, 3, 3, 3, 3, 3, 3, 0]).safety_flag is False
    assert score(PHQ9, answers_totalling(12, 9, item9=2)).safety_flag


@pytest.mark.parametrize(("answers", "mean", "shown"), [
    ([7, 5, 6], 6.0, "6.0"),
    ([3, 4, 4], 11 / 3, "3.7"),
    ([0, 0, 0], 0.0, "0.0"),
    ([10, 10, 10], 10.0, "10.0"),
    ([1, 0, 0], 1 / 3, "0.3"),
])
def test_peg_is_the_exact_mean(answers, mean, shown):
    result = score(PEG, answers)
    assert result.total == pytest.approx(mean, abs=1e-12)
    assert result.display_total == shown
    assert result.band is None and result.safety_flag is False


def test_mood_is_the_rating_itself():
    assert score(MOOD, [7]).total == 7 and score(MOOD, [7]).band is None
    assert score(MOOD, [0]).total == 0 and score(MOOD, [10]).total == 10


@given(st.lists(st.integers(0, 3), min_size=9, max_size=9))
def test_any_complete_phq9_has_one_band_and_flags_exactly_item_9(answers):
    result = score(PHQ9, answers)
    assert result.total == sum(answers)
    assert [b.id for b in PHQ9.bands if b.contains(result.total)] == [result.band.id]
    assert result.safety_flag is (answers[8] > 0)


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("answers", "item", "words"), [
    ([1] * 8, 9, "item 9 has no answer"),
    ([1, 1, None, 1, 1, 1, 1, 1, 1], 3, "item 3 has no answer"),
    ([1, 1, 1, 4, 1, 1, 1, 1, 1], 4, "item 4 is not one of the choices (0-3)"),
    ([1, -1, 1, 1, 1, 1, 1, 1, 1], 2, "item 2 is not one of the choices"),
    ([1, 1, 1, 1, 1.0, 1, 1, 1, 1], 5, "item 5 is not a whole number"),
    ([1, 1, 1, 1, 1, "2", 1, 1, 1], 6, "item 6 is not a whole number"),
    ([True, 1, 1, 1, 1, 1, 1, 1, 1], 1, "item 1 is not a whole number"),
    ([], 1, "item 1 has no answer"),
])
def test_incomplete_phq9_is_refused_naming_the_item(answers, item, words):
    with pytest.raises(IncompleteAnswersError) as caught:
        score(PHQ9, answers)
    assert caught.value.item == item
    assert isinstance(caught.value, ValueError)
    assert f"PHQ-9 {words}" in str(caught.value)


def test_too_many_answers_are_refused():
    with pytest.raises(IncompleteAnswersError, match="9 items but 10 answers") as caught:
        score(PHQ9, [0] * 10)
    assert caught.value.item is None


def test_out_of_range_value_never_appears_in_the_message():
    with pytest.raises(IncompleteAnswersError) as caught:
        score(PEG, [5, 17, 5])
    assert caught.value.item == 2 and "17" not in str(caught.value)


# --------------------------------------------------------------------------- change


@pytest.mark.parametrize(("baseline", "current", "absolute", "percent", "response",
                          "remission"), [
    (20, 10, -10, -50.0, True, False),   # exactly 50 % → response
    (20, 11, -9, -45.0, False, False),
    (18, 4, -14, pytest.approx(-77.78, abs=0.01), True, True),
    (9, 5, -4, pytest.approx(-44.44, abs=0.01), False, False),  # 5 is not < 5
    (15, 15, 0, 0.0, False, False),
    (10, 12, 2, 20.0, False, False),
    (7, 3, -4, pytest.approx(-57.14, abs=0.01), True, True),
])
def test_phq9_change_from_baseline(baseline, current, absolute, percent, response, remission):
    change = change_from_baseline(PHQ9, baseline, current)
    assert change.absolute == absolute
    assert change.percent == percent
    assert change.response is response
    assert change.remission is remission


def test_baseline_zero_has_no_percent_and_no_response():
    change = change_from_baseline(PHQ9, 0, 3)
    assert change.percent is None and change.response is None
    assert change.absolute == 3 and change.remission is True
    assert change_from_baseline(PHQ9, 0, 6).remission is False


def test_change_accepts_scores_and_measures_without_rules_get_no_verdict():
    change = change_from_baseline(PHQ9, score(PHQ9, [2] * 9), score(PHQ9, [1] * 9))
    assert (change.baseline, change.current, change.response) == (18, 9, True)
    gad = change_from_baseline(GAD7, 12, 4)
    assert gad.percent == pytest.approx(-66.67, abs=0.01)
    assert gad.response is None and gad.remission is None


# --------------------------------------------------------------------------- series

DAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def _phq(total: int, days: int, *, item9: int = 0, id_: int | None = None) -> CheckIn:
    return CheckIn("phq9", tuple(answers_totalling(total, 9, item9=item9)),
                   DAY + dt.timedelta(days=days), id=id_)


def test_series_uses_the_first_phq9_as_baseline_and_orders_by_date():
    check_ins = [_phq(8, 28, id_=3), _phq(16, 0, id_=1), _phq(12, 14, item9=1, id_=2),
                 CheckIn("mood", (6,), DAY + dt.timedelta(days=1), id=4)]
    series = summarize(check_ins, MEASURES)
    assert list(series) == ["phq9", "gad7", "peg", "mood"]
    phq = series["phq9"]
    assert phq.rows() == [(DAY, 16, "moderately severe", False),
                          (DAY + dt.timedelta(days=14), 12, "moderate", True),
                          (DAY + dt.timedelta(days=28), 8, "mild", False)]
    assert phq.baseline.check_in_id == 1
    assert [p.change.absolute for p in phq.points] == [0, -4, -8]
    assert [p.change.response for p in phq.points] == [False, False, True]
    assert [p.taken_at for p in phq.flagged] == [DAY + dt.timedelta(days=14)]
    assert series["gad7"].points == () and series["gad7"].baseline is None
    assert series["mood"].rows() == [(DAY + dt.timedelta(days=1), 6, None, False)]
    assert series["mood"].points[0].change is None


def test_a_given_baseline_outside_the_range_is_used():
    before = _phq(20, -30, id_=9)
    series = build_series(PHQ9, [_phq(10, 0, id_=1), _phq(4, 14, id_=2)], baseline=before)
    assert series.baseline.total == 20
    assert [(p.change.percent, p.change.response, p.change.remission)
            for p in series.points] == [(-50.0, True, False), (-80.0, True, True)]


def test_baseline_must_be_the_same_measure():
    with pytest.raises(ValueError, match="not a PHQ-9"):
        build_series(PHQ9, [], baseline=CheckIn("mood", (5,), DAY))


# --------------------------------------------------------------------------- loader


GOOD = """
id = "tiny"
version = 1
name = "Tiny"
title = "A tiny measure"
topic = "test"
recall = "today"
instructions = "Answer both."
scoring = "sum"
[scale]
min = 0
max = 1
labels = ["No", "Yes"]
[[items]]
text = "One"
[[items]]
text = "Two"
[[bands]]
id = "low"
label = "low"
min = 0
max = 0
[[bands]]
id = "high"
label = "high"
min = 1
max = 2
"""


def test_loader_reads_a_folder_of_files(tmp_path):
    (tmp_path / "tiny.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    measures = load_measures(tmp_path)
    assert list(measures) == ["tiny"]
    assert score(measures["tiny"], [1, 1]).band_label == "high"


def test_malformed_toml_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text('id = "x"\nversion = 1\nname = "unterminated\n', encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_measures(tmp_path)
    message = str(caught.value)
    assert "broken.toml" in message
    assert "line 3" in message


@pytest.mark.parametrize(("edit", "words"), [
    (('scoring = "sum"', 'scoring = "median"'), "'scoring' must be one of sum, mean"),
    (("version = 1", 'version = "one"'), "'version' must be a whole number"),
    (('name = "Tiny"\n', ""), "'name' is missing"),
    (('labels = ["No", "Yes"]', 'labels = ["No"]'), "'labels' needs one text per value"),
    (("max = 2", "max = 3"), "the bands must reach the highest total (2)"),
    (("min = 1\nmax = 2", "min = 2\nmax = 2"), "band 'high' should start at 1"),
    (('[[items]]\ntext = "Two"', '[[items]]\ntext = ""'), "items 2: 'text' can't be empty"),
])
def test_inconsistent_definitions_are_refused(tmp_path, edit, words):
    old, new = edit
    assert old in GOOD
    bad = tmp_path / "tiny.toml"
    bad.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_measure(bad)
    assert "tiny.toml" in str(caught.value)
    assert words in str(caught.value)


@pytest.mark.parametrize(("safety", "words"), [
    ("items = [3]", "there is no item 3"),
    ("items = [2]\nabove = 1", "'above' is outside item 2's choices"),
    ("items = []", "'items' must name at least one item"),
])
def test_safety_rule_must_fit_the_items(tmp_path, safety, words):
    bad = tmp_path / "tiny.toml"
    bad.write_text(GOOD + f"[safety]\n{safety}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=words):
        load_measure(bad)


def test_duplicate_ids_and_empty_folders_are_refused(tmp_path):
    with pytest.raises(DataFileError, match="no measure files"):
        load_measures(tmp_path)
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"b\.toml: the measure id 'tiny' is used twice"):
        load_measures(tmp_path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(DataFileError, match=r"gone\.toml: the file does not exist"):
        load_measure(tmp_path / "gone.toml")
