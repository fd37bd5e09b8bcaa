"""Arguments of the care verbs: treatment sessions and their timeline (``session add``,
``sessions``, ``capture``, ``due``: care.py) and check-ins (``checkin``, ``scores``:
scores.py)."""

from __future__ import annotations

from journal_app.cli.arguments import (
    Verbs,
    add_accept_older,
    add_json,
    add_passphrase_file,
    add_path,
    add_text,
    bounded_text,
    iso_datetime,
    positive_int,
)
from journal_app.cli.choices import MODALITIES, SETTINGS


def add_care_parsers(verbs: Verbs) -> None:
    """``session add``, ``sessions``, ``capture``, ``due``, ``checkin`` and ``scores``."""
    _add_session_parsers(verbs)

    p = verbs.add_parser("capture", help="quick note while locked: stdin is sealed to the "
                                         "journal; no passphrase needed")
    add_path(p)
    p.set_defaults(handler="care:cmd_capture")

    p = verbs.add_parser("due", help="prompts due now on each session's timeline")
    add_path(p)
    add_json(p)
    p.add_argument("--at", type=iso_datetime, metavar="ISO-8601",
                   help="the moment to look at (default: now; without an offset, local time)")
    add_passphrase_file(p)
    p.set_defaults(handler="care:cmd_due")

    _add_check_in_parsers(verbs)


def _add_session_parsers(verbs: Verbs) -> None:
    session = verbs.add_parser("session", help="treatment sessions (session add ...)")
    session_verbs = session.add_subparsers(dest="session_verb", metavar="VERB", required=True)
    p = session_verbs.add_parser("add", help="record a treatment session; prints its id")
    add_path(p)
    p.add_argument("--date", type=iso_datetime, required=True, metavar="ISO-8601")
    p.add_argument("--modality", choices=MODALITIES, default=MODALITIES[0])
    p.add_argument("--setting", choices=SETTINGS, default=SETTINGS[0])
    p.add_argument("--number", type=positive_int, metavar="N",
                   help="its number in the course (default: the next one)")
    add_text(p, "provider", "provider", "who gave the treatment")
    add_accept_older(p)
    add_passphrase_file(p)
    p.set_defaults(handler="care:cmd_session_add")

    p = verbs.add_parser("sessions",
                         help="treatment sessions with their preparation/integration status")
    add_path(p)
    add_json(p)
    add_passphrase_file(p)
    p.set_defaults(handler="care:cmd_sessions")


def _add_check_in_parsers(verbs: Verbs) -> None:
    p = verbs.add_parser("checkin", help="record a check-in; prints total, severity band "
                                         "and any safety flag")
    add_path(p)
    p.add_argument("measure", metavar="MEASURE", type=bounded_text("measure"),
                   help="phq9, gad7, peg or mood")
    p.add_argument("--answers", required=True, metavar="N,N,...",
                   help="one whole number per item, separated by commas; - reads them from "
                        "stdin (keeps them out of the shell history)")
    p.add_argument("--date", type=iso_datetime, metavar="ISO-8601",
                   help="when it was taken (default: now)")
    add_accept_older(p)
    add_json(p)
    add_passphrase_file(p)
    p.set_defaults(handler="scores:cmd_checkin")

    p = verbs.add_parser("scores", help="check-ins over time, with change from baseline")
    add_path(p)
    add_json(p)
    add_passphrase_file(p)
    p.set_defaults(handler="scores:cmd_scores")
