"""When a quick note says it was written, and whether to believe it.

What a note claims is not trusted: anyone who can use the computer can write one. Its
claimed time is kept only between the journal's last save and the merge (a note can't
have been written while locked before the journal was last saved, nor after now);
otherwise the entry is dated at the merge and the claimed time is noted in a line below
the person's text (see :mod:`storage.inbox`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from typing import TYPE_CHECKING

from journal_app.domain import bounds

if TYPE_CHECKING:
    from journal_app.storage.vault import Vault

__all__ = ["CLAIM_NOTE", "claim_kept", "claimed_text", "journal_saved_at"]

#: The line added below a note whose claimed time wasn't kept (English, stored text).
CLAIM_NOTE = "Written while locked; the note said {when}."
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def journal_saved_at(vault: Vault) -> dt.datetime | None:
    """When the opened journal was last saved, to the second (rounded down): the time its
    body carries (``vault.saved_at``, kept up to date by each save), else the file's
    modification time; None when none can be told."""
    try:
        stamp = vault.saved_at if vault.saved_at is not None else vault.path.stat().st_mtime
        return dt.datetime.fromtimestamp(math.floor(stamp), dt.UTC)
    except (OSError, ValueError, OverflowError):
        return None


def claimed_text(claimed: dt.datetime) -> str:
    """E.g. "3 March 2019, 21:04", in local time where that can be worked out."""
    with contextlib.suppress(OverflowError, ValueError, OSError):
        claimed = claimed.astimezone()  # at the edge of datetime: the note's own offset
    return f"{claimed.day} {_MONTHS[claimed.month - 1]} {claimed.year}, {claimed:%H:%M}"


def claim_kept(claimed: dt.datetime, saved_at: dt.datetime | None,
               merged_at: dt.datetime) -> bool:
    """Whether a note's claimed time can be true: within the journal's dates
    (domain/bounds.py), not before the journal's last save, not after the merge."""
    try:
        bounds.check_date(claimed)
        return (saved_at is None or claimed >= saved_at) and claimed <= merged_at
    except (bounds.OutOfBoundsError, OverflowError):
        return False
