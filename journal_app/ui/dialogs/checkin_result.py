"""The check-in result in plain words. What to say is decided in the domain
(domain/checkin_result.py: the severity band, the comparison with the first check-in, the
research terms that apply); this module only words it, in the user's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from journal_app.domain.checkin_result import (
    CheckInResult,
    FirstComparison,
    ScoreStatement,
    describe_result,
)
from journal_app.domain.measures import CheckIn, Measure, Score
from journal_app.ui.labels import date_text, tr_measure

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def result_text(measure: Measure, score: Score, first: CheckIn | None) -> str:
    """The result in plain words, with the first check-in for comparison; no advice."""
    return result_words(describe_result(measure, score, first))


def result_words(result: CheckInResult) -> str:
    """The words for the facts in ``result``."""
    text = _score_words(result)
    if result.first_time:
        text += " " + translate(
            "CheckInDialog",
            "This is your first %1 check-in; later ones will be compared with it.",
        ).replace("%1", result.measure_name)
    if result.compared is not None:
        text += _comparison_words(result.compared)
    return text


def _score_words(result: CheckInResult) -> str:
    if result.statement is ScoreStatement.RATING:
        text = translate("CheckInDialog", "You rated your mood %1 out of %2.")
    elif result.statement is ScoreStatement.BANDED:
        text = translate("CheckInDialog", "Your score is %1 out of %2 (%3).").replace(
            "%3", tr_measure(result.band_label or "")
        )
    elif result.statement is ScoreStatement.MEAN:
        text = translate(
            "CheckInDialog", "Your score is %1 out of %2 (the average of your answers)."
        )
    else:
        text = translate("CheckInDialog", "Your score is %1 out of %2.")
    return text.replace("%1", result.display_total).replace("%2", result.top)


def _comparison_words(first: FirstComparison) -> str:
    text = " " + translate("CheckInDialog", "At your first check-in, on %1, it was %2.").replace(
        "%1", date_text(first.taken_at)
    ).replace("%2", first.display_total)
    if first.response:
        text += " " + translate(
            "CheckInDialog",
            "In research, a drop of half or more from the first score is called a “response”.",
        )
    if first.remission_below is not None:
        text += " " + translate(
            "CheckInDialog", "A score below %1 is what research calls “remission”."
        ).replace("%1", str(first.remission_below))
    if first.mentions_research:
        text += " " + translate(
            "CheckInDialog",
            "What these numbers mean for you is something to talk over with your care team.",
        )
    return text
