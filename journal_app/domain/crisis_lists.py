"""Crisis resources: what a list of services is, and the lists built into the app.

The built-in lists are used only when the bundled files (``resources/crisis/``, read by
:mod:`journal_app.domain.crisis_files`) can't be, so the safety panel is never empty; tests
keep them in step with the files. :mod:`journal_app.domain.safety` is the public face.

Nothing here gives medical advice: only who can be reached, and how.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

__all__ = [
    "BUILTIN_EMERGENCY",
    "BUILTIN_GENERIC",
    "BUILTIN_RESOURCES",
    "DEFAULT_COUNTRY",
    "GENERIC",
    "LOCAL_EMERGENCY",
    "NOT_MONITORED",
    "REVIEW_INTERVAL",
    "REVIEW_STATUSES",
    "Contact",
    "ContactKind",
    "Country",
    "CrisisResource",
    "CrisisResources",
    "emergency_entry",
]

#: Said plainly on the safety panel and wherever the journal could be mistaken for a
#: channel to a clinician. The UI passes it through tr().
NOT_MONITORED = (
    "Nobody monitors this journal. What you write here stays in your journal on this "
    "computer and does not reach your clinic, your therapist or a crisis service unless "
    "you export it and share it yourself. If you need help now, contact one of the "
    "services listed here or your care team directly."
)

#: How long after ``last_reviewed`` the resources are due for another check.
REVIEW_INTERVAL = dt.timedelta(days=365)

#: "confirmed" only after a person checked every entry against the file's ``source``.
REVIEW_STATUSES = ("unconfirmed", "confirmed")

#: The country of callers that name none (the command line, older code): the app's
#: services were those of the United States before there was a choice.
DEFAULT_COUNTRY = "US"
#: The country code of the generic list (international.toml).
GENERIC = ""


class ContactKind(enum.StrEnum):
    CALL = "call"
    TEXT = "text"
    CHAT = "chat"
    WEB = "web"


@dataclass(frozen=True)
class Contact:
    """One way to reach a service. ``label`` is the plain text to show
    ("Text HOME to 741741"); ``message`` is what to send for a text line."""

    kind: ContactKind
    value: str
    label: str
    message: str = ""

    @property
    def uri(self) -> str:
        """A link for the panel: tel:, sms: or the web address itself."""
        if self.kind is ContactKind.CALL:
            return "tel:" + self.value.replace(" ", "")
        if self.kind is ContactKind.TEXT:
            return "sms:" + self.value.replace(" ", "")
        return self.value


@dataclass(frozen=True)
class CrisisResource:
    id: str
    name: str
    summary: str
    contacts: tuple[Contact, ...]
    available: str = ""
    emergency: bool = False


@dataclass(frozen=True)
class CrisisResources:
    """The services of one country (``country`` "" for the generic list), with when and
    from which pages they were last reviewed; ``review_status`` is "confirmed" only once a
    person has checked every entry against ``source``."""

    locale: str
    last_reviewed: dt.date
    resources: tuple[CrisisResource, ...]
    country: str = DEFAULT_COUNTRY
    country_name: str = "United States"
    review_status: str = "unconfirmed"
    source: str = ""

    def get(self, resource_id: str) -> CrisisResource | None:
        return next((r for r in self.resources if r.id == resource_id), None)

    @property
    def emergency(self) -> tuple[CrisisResource, ...]:
        return tuple(r for r in self.resources if r.emergency)

    def review_due(self, today: dt.date | None = None) -> bool:
        """True when the list was last reviewed more than a year ago."""
        return (today or dt.date.today()) - self.last_reviewed > REVIEW_INTERVAL


@dataclass(frozen=True)
class Country:
    """A country the user can choose; ``own_list`` when the app has its services, else the
    panel shows the helpline directory and ``emergency_number``."""

    code: str
    name: str
    emergency_number: str
    own_list: bool


def emergency_entry(number: str) -> CrisisResource:
    """The emergency-services entry for ``number``; without one, a line that says to call
    the local emergency number."""
    if not number:
        return CrisisResource("emergency", "Emergency services", LOCAL_EMERGENCY, (), "24/7",
                              emergency=True)
    return CrisisResource(
        "emergency", "Emergency services", f"In an emergency, call {number}.",
        (Contact(ContactKind.CALL, number, f"Call {number}"),), "24/7", emergency=True)


#: Said on the generic list when the country's emergency number is not known.
LOCAL_EMERGENCY = "In an emergency, call your local emergency number."

# Kept in step with resources/crisis/us.toml (a test compares them): used only if that
# file can't be read, so the safety panel is never empty.
BUILTIN_RESOURCES = CrisisResources(
    locale="en-US",
    last_reviewed=dt.date(2026, 11, 21),
    resources=(
        CrisisResource(
            "988-lifeline", "988 Suicide & Crisis Lifeline",
            "Free and confidential, 24 hours a day. Call or text 988, or chat at "
            "988lifeline.org. Veterans: call 988 and press 1.",
            (Contact(ContactKind.CALL, "988", "Call 988"),
             Contact(ContactKind.TEXT, "988", "Text 988"),
             Contact(ContactKind.CHAT, "https://988lifeline.org", "Chat at 988lifeline.org"),
             Contact(ContactKind.CALL, "988", "Veterans: call 988, then press 1")),
            "24/7"),
        CrisisResource(
            "crisis-text-line", "Crisis Text Line", "Free, 24 hours a day, by text message.",
            (Contact(ContactKind.TEXT, "741741", "Text HOME to 741741", "HOME"),), "24/7"),
        emergency_entry("911"),
    ),
    source="988lifeline.org (988 Suicide & Crisis Lifeline; Veterans Crisis Line, press 1); "
           "crisistextline.org (text HOME to 741741); 911.gov (911)",
)

# Kept in step with resources/crisis/international.toml (a test compares them).
BUILTIN_GENERIC = CrisisResources(
    locale="en", last_reviewed=dt.date(2026, 12, 3), country=GENERIC,
    country_name="Another country",
    resources=(
        CrisisResource(
            "find-a-helpline", "Find a helpline",
            "Free, confidential helplines in many countries, listed by country and by how "
            "you want to reach them.",
            (Contact(ContactKind.WEB, "https://findahelpline.com", "Open findahelpline.com"),)),
        emergency_entry(""),
    ),
    source="findahelpline.com (free, confidential helplines listed by country, run by "
           "ThroughLine)",
)

# The emergency numbers of the countries with their own list, in case both their file and
# emergency_numbers.toml are unreadable (a test compares them with the files).
BUILTIN_EMERGENCY = {"US": "911", "CA": "911", "GB": "999", "IE": "112", "AU": "000",
                     "NZ": "111", "DE": "112"}
