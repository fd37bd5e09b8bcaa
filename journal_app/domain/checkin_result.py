"""What the check-in result says: the facts to state after a check-in, decided here, worded
by the interface.

The result states the score (with its severity band, or as the average of the answers) and
compares it with the first check-in of the same measure. It names research terms only
where they apply: "response" for a drop of half or more, and "remission" only when this
score is below the measure's cut-off and the first one was not (someone who started below
the cut-off never "reached remission"). A daily mood rating is stated alone, never
compared. There is no advice and no judgement in any of it.

Scores and dates are journal content: they stay out of the reprs.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, replace

from journal_app.domain.measures import CheckIn, Measure, Score, Scoring, change_from_baseline

#: The measure stated as a rating ("You rated your mood 7 out of 10."), never compared.
RATING_MEASURE = "mood"


class ScoreStatement(enum.Enum):
    """How the score itself is stated."""

    RATING = "rating"  # a one-question daily rating, stated alone
    BANDED = "banded"  # the score with its severity band
    MEAN = "mean"  # the score as the average of the answers (no bands)
    PLAIN = "plain"  # the score out of the top, nothing more


@dataclass(frozen=True)
class FirstComparison:
    """The first check-in of the measure and what research would call the change since.

    ``remission_below`` is the cut-off to name, set only when remission is to be mentioned
    (this score below it, the first one not); None otherwise.
    """

    taken_at: dt.datetime = field(repr=False)
    display_total: str = field(repr=False)
    response: bool = field(repr=False)
    remission_below: int | None = field(repr=False)

    @property
    def mentions_research(self) -> bool:
        """A research term is named, so the result adds that it is for the care team."""
        return self.response or self.remission_below is not None


@dataclass(frozen=True)
class CheckInResult:
    """The facts of one result. ``first_time``: this is the measure's first check-in (later
    ones will be compared with it); ``compared`` is set when there is a first one to compare
    with. A rating has neither."""

    statement: ScoreStatement
    measure_name: str
    display_total: str = field(repr=False)
    top: str = field(repr=False)
    band_label: str | None = field(repr=False)
    first_time: bool = field(default=False, repr=False)
    compared: FirstComparison | None = field(default=None, repr=False)


def _statement(measure: Measure, score: Score) -> ScoreStatement:
    if measure.id == RATING_MEASURE:
        return ScoreStatement.RATING
    if score.band_label:
        return ScoreStatement.BANDED
    if measure.scoring is Scoring.MEAN:
        return ScoreStatement.MEAN
    return ScoreStatement.PLAIN


def _compare(measure: Measure, score: Score, first: CheckIn) -> FirstComparison:
    base = measure.score(first.answers)
    change = change_from_baseline(measure, base, score)
    rule = measure.change
    remission = rule is not None and bool(change.remission) and base.total >= rule.remission_below
    return FirstComparison(first.taken_at, base.display_total, bool(change.response),
                           rule.remission_below if rule is not None and remission else None)


def describe_result(measure: Measure, score: Score, first: CheckIn | None) -> CheckInResult:
    """The facts to state for ``score``, compared with ``first`` (the measure's first
    check-in before this one, None when this is the first)."""
    statement = _statement(measure, score)
    result = CheckInResult(statement, measure.name, score.display_total,
                           measure.format_total(measure.max_total), score.band_label)
    if statement is ScoreStatement.RATING:
        return result
    if first is None:
        return replace(result, first_time=True)
    return replace(result, compared=_compare(measure, score, first))
