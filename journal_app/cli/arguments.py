"""Argument types and options that several verbs share.

Every value from argv is held to domain/bounds.py here, as a usage error (exit 2) that
names the field: dates the journal accepts, whole numbers that fit it, text that is valid
Unicode and not absurdly long. Options that carry journal text have a ``-file`` form, so
the text can stay out of the process list and the shell history.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from journal_app.domain import bounds

#: What ``add_subparsers`` returns: the verbs a group adds its parsers to.
Verbs = argparse._SubParsersAction


# --------------------------------------------------------------------------- types


def _shown(text: str) -> str:
    """``text`` quoted for a usage message, unless it is too long to be worth repeating."""
    return repr(text) if len(text) <= 40 else "The value"


def _in_bounds(value: dt.datetime | dt.date) -> None:
    """Dates the journal accepts (domain/bounds.py), as a usage error (exit 2)."""
    try:
        bounds.check_date(value)
    except bounds.OutOfBoundsError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def iso_datetime(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{_shown(text)} is not an ISO-8601 date or time (e.g. 2026-03-01 or "
            "2026-03-01T14:30+01:00)") from None
    _in_bounds(value)  # before ``aware``: local time near year 1 or 9999 can't be reached
    from journal_app.domain.entities import aware  # only when a time is given

    return aware(value)


def iso_date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a date like 2026-03-01") \
            from None
    _in_bounds(value)
    return value


def report_date(text: str) -> dt.date:
    """A date, or the date of an ISO-8601 time."""
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        try:
            value = dt.datetime.fromisoformat(text).date()
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{_shown(text)} is not an ISO-8601 date (e.g. 2026-03-01)") from None
    _in_bounds(value)
    return value


#: Longer than this, a number can't be in bounds; int() isn't even asked (it refuses
#: more than 4,300 digits with an error of its own).
_MAX_DIGITS = len(str(bounds.MAX_INT))


def positive_int(text: str) -> int:
    rule = f"a whole number from 1 to {bounds.MAX_INT}"
    digits = text.strip().lstrip("+")
    if not digits.isdigit() or not digits.isascii() or len(digits.lstrip("0")) > _MAX_DIGITS:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not {rule}")
    try:
        return bounds.check_int(int(digits.lstrip("0") or "0"), low=1)
    except bounds.OutOfBoundsError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not {rule}") from None


def bounded_text(field: str) -> Callable[[str], str]:
    """An argparse type for text stored in the journal or written out: valid Unicode (argv
    bytes that aren't UTF-8 reach Python as lone surrogates) and not absurdly long."""

    def checked(text: str) -> str:
        try:
            return bounds.check_text(text, field)
        except bounds.OutOfBoundsError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    checked.__name__ = field  # argparse names the type in some messages
    return checked


# --------------------------------------------------------------------------- options


def add_path(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=Path, metavar="PATH", help="the journal file")


def add_passphrase_file(p: argparse.ArgumentParser, *, new: bool = False) -> None:
    p.add_argument("--passphrase-file", type=Path, metavar="FILE",
                   help="read the passphrase from the first line of FILE")
    if new:
        p.add_argument("--new-passphrase-file", type=Path, metavar="FILE",
                       help="read the new passphrase from the first line of FILE")


def add_kdf(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kdf-memory", type=positive_int, metavar="MIB",
                   help="Argon2id memory in MiB (default: measured on this computer)")
    p.add_argument("--kdf-iterations", type=positive_int, metavar="N",
                   help="Argon2id iterations")


def argv_note(file_option: str) -> str:
    """The end of the help of an option that takes journal text in argv."""
    return (f"; as an option it is visible to other users of this computer in the process "
            f"list and stays in the shell history, so prefer {file_option}")


def file_help(what: str, *, stdin_free: bool = True) -> str:
    """The help of the ``-file`` form of such an option."""
    stdin = "; - reads it from stdin" if stdin_free else ""
    return (f"read {what} from FILE{stdin}. This keeps the text out of the process list and "
            "the shell history")


def add_text(p: argparse.ArgumentParser, option: str, field: str, help_text: str, *,
             stdin_free: bool = True, default: str = "") -> None:
    """``--OPTION TEXT`` and ``--OPTION-file FILE``, one or the other."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(f"--{option}", default=default, type=bounded_text(field),
                       metavar="TEXT", help=help_text + argv_note(f"--{option}-file"))
    group.add_argument(f"--{option}-file", metavar="FILE",
                       help=file_help(f"the {field}", stdin_free=stdin_free))


def add_tags(p: argparse.ArgumentParser, help_text: str, *, stdin_free: bool = True) -> None:
    """``--tag TAG`` (repeatable) and ``--tag-file FILE`` (one a line); both may be given."""
    p.add_argument("--tag", action="append", default=[], type=bounded_text("tag"),
                   metavar="TAG", help=help_text + argv_note("--tag-file"))
    p.add_argument("--tag-file", metavar="FILE",
                   help=file_help("tags, one a line,", stdin_free=stdin_free))


def add_accept_older(p: argparse.ArgumentParser) -> None:
    p.add_argument("--accept-older", action="store_true",
                   help="write even though this journal is older than the copy this "
                        "computer opened last (e.g. it was restored from a backup)")


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="write UTF-8 JSON")
