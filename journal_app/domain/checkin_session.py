"""Which treatment session a new check-in most likely belongs to.

The check-in form offers every session; this rule picks the one to preselect, so a
check-in done in the days after a session (or just before the next one) is linked to it
without the user having to look it up. The user can always choose another or none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from journal_app.domain.entities import TreatmentSession

#: A session this recent (or less) is the one a check-in looks back on.
RECENT_SESSION = dt.timedelta(days=14)
#: With no recent session, one starting this soon is the one a check-in prepares for.
UPCOMING_SESSION = dt.timedelta(days=2)


def default_session(sessions: Sequence[TreatmentSession],
                    when: dt.datetime) -> TreatmentSession | None:
    """The latest session in the two weeks up to ``when``, else the first one starting
    within two days after it; None when neither exists."""
    past = [s for s in sessions if when - RECENT_SESSION <= s.starts_at <= when]
    if past:
        return max(past, key=lambda s: s.starts_at)
    soon = [s for s in sessions if when < s.starts_at <= when + UPCOMING_SESSION]
    return min(soon, key=lambda s: s.starts_at) if soon else None
