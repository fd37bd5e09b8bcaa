"""The limits every input to the journal is held to, whatever door it comes through.

The command line, the JSON import, quick notes and the GUI all check what they are given
here, so that one odd value (a session in year 1, a lone surrogate, a 5,000-digit number)
can never make the journal unopenable. Each check raises :class:`OutOfBoundsError` with a
message that names the field but never repeats the value (it may be journal content).
"""

from __future__ import annotations

import datetime as dt

#: Dates the journal accepts: far enough back for any birthday, far enough ahead for any
#: plan, and well inside what date arithmetic (a week either side, time zones) can reach.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)

#: Whole numbers stored in the journal (ids, answers, session numbers) fit SQLite's
#: signed 64-bit integers with room to spare.
MAX_INT = 2**53 - 1
MIN_INT = -MAX_INT

#: Text fields: long enough for any entry, short enough that a single value can't swamp
#: memory. 10 million characters is about 40 novels.
MAX_TEXT_CHARS = 10_000_000


class OutOfBoundsError(ValueError):
    """A value outside what the journal accepts. ``str()`` names the field, not the value."""


def date_within(value: dt.date | dt.datetime) -> bool:
    """True for a date (or time) the journal accepts."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST <= day <= LATEST


def check_date(value: dt.date | dt.datetime, field: str = "date") -> None:
    if not date_within(value):
        raise OutOfBoundsError(
            f"The {field} must lie between {EARLIEST.year} and {LATEST.year}.")


def check_int(value: int, field: str = "number", *, low: int = MIN_INT,
              high: int = MAX_INT) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise OutOfBoundsError(f"The {field} must be a whole number.")
    if not low <= value <= high:
        raise OutOfBoundsError(f"The {field} must lie between {low} and {high}.")
    return value


def check_text(value: str, field: str = "text") -> str:
    """Refuse text that can't be stored as UTF-8 (lone surrogates) or is absurdly long."""
    if len(value) > MAX_TEXT_CHARS:
        raise OutOfBoundsError(f"The {field} is longer than {MAX_TEXT_CHARS:,} characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise OutOfBoundsError(
            f"The {field} contains characters that are not valid text (a broken "
            "surrogate pair); nothing was written.") from None
    return value
