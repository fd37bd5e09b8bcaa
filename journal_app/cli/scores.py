"""Check-in verbs of the command line (cli.md): ``checkin`` and ``scores``. Their arguments
are parsed in care_args.py.

Scoring, bands, safety flags and change from baseline all come from the domain
(domain/measures.py, domain/trends.py); nothing is computed twice here. When answers raise
the safety flag, the crisis resources of the safety panel (domain/safety.py, with the
user's own edits stored in the journal) are printed on stderr, calmly and without advice.
Answers and scores are journal content: they never appear in an error message.
"""

from __future__ import annotations

import argparse
import re
import textwrap
from collections.abc import Mapping
from typing import Any

from journal_app.cli import secrets
from journal_app.cli.common import (
    opened,
    opening_secret,
    read_stdin,
    require_file,
    save_journal,
    when,
)
from journal_app.cli.output import emit, emit_json, note
from journal_app.domain import bounds, jsonformat
from journal_app.domain.care_settings import load_crisis_overrides
from journal_app.domain.entities import now
from journal_app.domain.measures import Change, IncompleteAnswersError, Measure, load_measures
from journal_app.domain.safety import NOT_MONITORED, CrisisResources, resources_for_panel
from journal_app.domain.trends import MeasureSeries, SeriesPoint, build_series, summarize
from journal_app.errors import UsageError
from journal_app.storage.checkins import CheckInRepository

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")

SAFETY_INTRO = (
    "Thank you for answering honestly. If you are having thoughts of hurting yourself, or "
    "that you would be better off dead, you don't have to carry them alone."
)
_WIDTH = 88


# --------------------------------------------------------------------------- safety


def safety_text(resources: CrisisResources) -> str:
    """What the terminal shows where the GUI would open its safety panel."""
    lines = [textwrap.fill(SAFETY_INTRO, _WIDTH), "", textwrap.fill(NOT_MONITORED, _WIDTH), ""]
    for res in resources.resources:
        when = f" ({res.available})" if res.available else ""
        lines.append(textwrap.fill(
            f"{res.name}{when}: " + "; ".join(c.label for c in res.contacts), _WIDTH,
            initial_indent="  ", subsequent_indent="      "))
    return "\n".join(lines)


def crisis_country() -> str:
    """The country the GUI's help panel uses (its ``crisis_country`` setting, a country
    code only), else the system locale's; "" gives the helpline directory."""
    import configparser
    import locale

    from journal_app import paths
    from journal_app.domain.safety import country_from_locale_name, normalize_country

    chosen = ""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(paths.config_dir() / "settings.ini", encoding="utf-8")
        chosen = parser.get("General", "crisis_country", fallback="")
    except (OSError, configparser.Error, UnicodeDecodeError):
        chosen = ""
    return normalize_country(chosen) or country_from_locale_name(locale.getlocale()[0])


def _show_safety(overrides: Mapping[str, Any]) -> None:
    note("\n" + safety_text(resources_for_panel(overrides, country=crisis_country())))


# --------------------------------------------------------------------------- checkin


def _measure(measures: Mapping[str, Measure], name: str) -> Measure:
    measure = measures.get(name.strip().lower())
    if measure is None:
        raise UsageError(f"There is no measure called '{name}'; choose one of "
                         f"{', '.join(measures)}.")
    return measure


def _answer_rule(measure: Measure) -> str:
    scales = {(item.scale.minimum, item.scale.maximum) for item in measure.items}
    count = len(measure.items)
    answers = "one answer" if count == 1 else f"{count} answers separated by commas"
    if len(scales) == 1:
        low, high = next(iter(scales))
        return f"{measure.name} needs {answers}, each a whole number from {low} to {high}."
    return f"{measure.name} needs {answers}, each a whole number on its item's scale."


def _answers_text(option: str) -> str:
    """``--answers`` itself, or stdin when it is ``-`` (out of argv and shell history)."""
    if option != "-":
        return option
    if secrets.stdin_is_tty():
        note("Type the answers separated by commas, then press Enter and Ctrl-D "
             "(Ctrl-Z and Enter on Windows).")
    return read_stdin("answers", "nothing was stored").strip()


def _bounded_int(part: str) -> int:
    """A whole number; one too long to fit the journal becomes the nearest number out of
    bounds (the measure refuses it as off its scale), so int() never sees 5,000 digits."""
    digits = part.lstrip("+-").lstrip("0")
    if len(digits) > len(str(bounds.MAX_INT)):
        return bounds.MIN_INT - 1 if part.startswith("-") else bounds.MAX_INT + 1
    return int(part)


def parse_answers(text: str, measure: Measure) -> tuple[int, ...]:
    """Comma-separated whole numbers, checked against ``measure``. Errors name the item at
    fault, never an answer."""
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    values: list[object] = []
    for part in parts:
        if not part:
            values.append(None)
        elif _WHOLE_NUMBER.fullmatch(part):
            values.append(_bounded_int(part))
        else:
            values.append(part)  # reported as "not a whole number"
    try:
        return measure.validate(values)
    except IncompleteAnswersError as err:
        problem = err.message.removesuffix(" nothing was scored.").rstrip(";. ")
        raise UsageError(f"{problem}; nothing was stored. {_answer_rule(measure)}") from None


def _change_json(change: Change | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "baseline": change.baseline,
        "absolute": change.absolute,
        "percent": None if change.percent is None else round(change.percent, 1),
        "response": change.response,
        "remission": change.remission,
    }


def _point_json(measure: Measure, point: SeriesPoint) -> dict[str, Any]:
    band = measure.band_for(point.total)
    return {
        "id": point.check_in_id,
        "measure": measure.id,
        "taken_at": jsonformat.iso(point.taken_at),
        "total": point.total,
        "display_total": point.display_total,
        "max_total": measure.max_total,
        "band": point.band_label,
        "band_id": band.id if band else None,
        "safety_flag": point.safety_flag,
        "session_id": point.session_id,
        "change": _change_json(point.change),
    }


def _of_max(measure: Measure, point: SeriesPoint) -> str:
    return f"{point.display_total} of {measure.format_total(measure.max_total)}"


def cmd_checkin(args: argparse.Namespace) -> int:
    measures = load_measures()
    measure = _measure(measures, args.measure)
    require_file(args.path)
    answers = parse_answers(_answers_text(args.answers), measure)
    secret = opening_secret(args)
    with opened(args.path, secret, write=True,
                accept_older=args.accept_older, keep_additions=True) as (vault, repo):
        store = CheckInRepository(vault.db, measures=measures)
        stored = store.add(measure.new_check_in(answers, taken_at=args.date or now()))
        save_journal(vault, "The check-in was not added")
        series = build_series(measure, store.list(measure.id))
        overrides = load_crisis_overrides(repo)
    point = next(p for p in series.points if p.check_in_id == stored.id)
    if args.json:
        emit_json(jsonformat.document(**_point_json(measure, point), name=measure.name))
    else:
        lines = [
            f"Measure:     {measure.name}",
            f"Taken:       {when(point.taken_at)}",
            f"Total:       {_of_max(measure, point)}",
            f"Band:        {point.band_label or '-'}",
            f"Safety flag: {'yes' if point.safety_flag else 'no'}",
        ]
        if point.change is not None:
            is_base = series.baseline is not None and series.baseline.check_in_id == stored.id
            lines.append(f"Change:      {_change_text(measure, point.change, is_base)}")
        emit("\n".join(lines))
    if point.safety_flag:
        _show_safety(overrides)
    return 0


# --------------------------------------------------------------------------- scores


def _series_json(series: MeasureSeries) -> dict[str, Any]:
    measure = series.measure
    return {
        "measure": measure.id,
        "name": measure.name,
        "max_total": measure.max_total,
        "baseline": _point_json(measure, series.baseline) if series.baseline else None,
        "check_ins": [_point_json(measure, p) for p in series.points],
    }


def _change_text(measure: Measure, change: Change | None, is_baseline: bool) -> str:
    if change is None:
        return ""
    if is_baseline:
        return "baseline"
    sign = "+" if change.absolute > 0 else ""
    text = f"{sign}{measure.format_total(change.absolute)}"
    if change.percent is not None:
        text += f" ({change.percent:+.0f}%)"
    reached = [word for word, flag in (("response", change.response),
                                       ("remission", change.remission)) if flag]
    return "  ".join([text, ", ".join(reached)]).rstrip()


def _series_lines(series: MeasureSeries) -> list[str]:
    measure = series.measure
    base = series.baseline
    head = measure.name
    if base is not None and base.change is not None:
        head += f" (baseline {base.display_total} on {base.taken_at:%Y-%m-%d})"
    lines = [head]
    width = max(len(_of_max(measure, p)) for p in series.points)
    for point in series.points:
        is_base = base is not None and point.check_in_id == base.check_in_id
        parts = [when(point.taken_at), f"{_of_max(measure, point):>{width}}",
                 f"{point.band_label or '-':<17}",
                 _change_text(measure, point.change, is_base)]
        if point.safety_flag:
            parts.append("[safety flag]")
        lines.append("  " + "  ".join(p for p in parts if p).rstrip())
    return lines


def cmd_scores(args: argparse.Namespace) -> int:
    with opened(args.path, opening_secret(args), write=False) as (vault, repo):
        store = CheckInRepository(vault.db)
        check_ins = store.list()
        measures = store.measures
        overrides = load_crisis_overrides(repo)
    everything = summarize(check_ins, measures)
    unknown = sum(1 for c in check_ins if c.measure_id not in measures)
    if unknown:
        note(f"{unknown} check-in(s) of measures this version of the app doesn't know are "
             "not shown.")
    if args.json:
        emit_json(jsonformat.document(
            scores={mid: _series_json(s) for mid, s in everything.items()}))
    else:
        shown = [s for s in everything.values() if s.points]
        if not shown:
            note("This journal has no check-ins yet.")
            return 0
        blocks = ["\n".join(_series_lines(s)) for s in shown]
        emit("\n\n".join(blocks))
    flagged = [s.measure.name for s in everything.values() if s.latest and s.latest.safety_flag]
    if flagged:
        note(f"\nThe latest {' and '.join(flagged)} check-in raised the safety flag.")
        _show_safety(overrides)
    return 0
