"""Crisis resources for the safety panel, per country, as data the user can edit.

Each country's services live in ``resources/crisis/<code>.toml`` (us.toml, gb.toml, ...)
with the date they were last reviewed, the pages they come from and whether a person has
confirmed them (numbers change). A country without a file of its own gets
``international.toml`` (a helpline directory) with its emergency number from
``emergency_numbers.toml``. The journal's settings may override, remove or add entries;
see :func:`apply_overrides`. :func:`resources_for_panel` never fails and never comes back
without an emergency entry: it falls back to the generic list, then to the built-in lists.

Nothing here gives medical advice: only who can be reached, and how.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from journal_app.domain.datafile import DataFileError, DataSource, Fields, read_toml

log = logging.getLogger(__name__)

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

OVERRIDE_SOURCE = "crisis resource settings"


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


def _emergency(number: str) -> CrisisResource:
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
        _emergency("911"),
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
        _emergency(""),
    ),
    source="findahelpline.com (free, confidential helplines listed by country, run by "
           "ThroughLine)",
)

# The emergency numbers of the countries with their own list, in case both their file and
# emergency_numbers.toml are unreadable (a test compares them with the files).
BUILTIN_EMERGENCY = {"US": "911", "CA": "911", "GB": "999", "IE": "112", "AU": "000",
                     "NZ": "111", "DE": "112"}


# --------------------------------------------------------------------------- loading

_CODE = re.compile(r"[A-Z]{2}")


def normalize_country(code: object) -> str:
    """An ISO 3166-1 alpha-2 code in capitals ("gb" → "GB"), or "" for anything else."""
    text = code.strip().upper() if isinstance(code, str) else ""
    return text if _CODE.fullmatch(text) else GENERIC


def country_from_locale_name(name: str | None) -> str:
    """The country of a POSIX or BCP 47 locale name ("en_GB.UTF-8", "de-DE") or ""."""
    if not name:
        return GENERIC
    parts = re.split(r"[_-]", name.split(".")[0].split("@")[0])
    return next((normalize_country(p) for p in parts[1:] if normalize_country(p)), GENERIC)


def crisis_file(name: str) -> DataSource:
    from journal_app.paths import resource

    return resource("crisis", name)


def country_source(country: str) -> DataSource:
    """The bundled file of one country's services (it may not exist)."""
    code = normalize_country(country)
    return crisis_file(f"{code.lower()}.toml" if code else "international.toml")


def load_crisis_resources(source: DataSource | None = None, *,
                          country: str = DEFAULT_COUNTRY) -> CrisisResources:
    """The crisis resources in ``source`` (default: the bundled file of ``country``). A
    malformed file raises :class:`DataFileError` naming it and what is wrong."""
    if source is None:
        source = country_source(country)
    top = Fields(source, read_toml(source))
    generic = top.table.get("country") == GENERIC
    resources = tuple(_resource(f, allow_empty=generic) for f in top.table_list("resources"))
    _check_unique(top, resources)
    if not any(r.emergency for r in resources):
        raise top.fail("one resource must be the emergency number (emergency = true)")
    code = top.optional_text("country")
    if code != normalize_country(code):
        raise top.fail("'country' must be a two-letter country code, or \"\" for the "
                       "generic list")
    status = top.text("review_status")
    if status not in REVIEW_STATUSES:
        raise top.fail(f"'review_status' must be one of {', '.join(REVIEW_STATUSES)}")
    return CrisisResources(top.text("locale"), _date(top, top.table.get("last_reviewed")),
                           resources, code, top.text("country_name"), status,
                           top.text("source"))


def load_emergency_numbers(source: DataSource | None = None) -> dict[str, tuple[str, str]]:
    """Country code → (country name, emergency number) from emergency_numbers.toml."""
    source = source or crisis_file("emergency_numbers.toml")
    top = Fields(source, read_toml(source))
    _date(top, top.table.get("last_reviewed"))
    if top.text("review_status") not in REVIEW_STATUSES:
        raise top.fail(f"'review_status' must be one of {', '.join(REVIEW_STATUSES)}")
    top.text("source")
    numbers = top.sub("numbers", required=True)
    out: dict[str, tuple[str, str]] = {}
    for code in numbers.table:
        entry = numbers.sub(code, required=True)
        if normalize_country(code) != code:
            raise numbers.fail(f"'{code}' is not a two-letter country code in capitals")
        number = entry.text("number")
        if not re.fullmatch(r"[0-9]{2,4}", number):
            raise entry.fail("'number' must be 2 to 4 digits")
        out[code] = (entry.text("name"), number)
    return out


def countries() -> tuple[Country, ...]:
    """Every country the user can choose, by name: those with their own list and those
    with a known emergency number. Never raises (a damaged file only shortens the list)."""
    try:
        numbers = load_emergency_numbers()
    except DataFileError as exc:
        log.error("emergency numbers unusable: %s", exc.problem)
        numbers = {}
    found = {code: Country(code, name, number, False) for code, (name, number) in
             numbers.items()}
    for code in BUILTIN_EMERGENCY:
        try:
            own = load_crisis_resources(country=code)
        except DataFileError as exc:
            log.error("crisis resources for %s unusable: %s", code, exc.problem)
            continue
        number = own.emergency[0].contacts[0].value if own.emergency[0].contacts else ""
        found[code] = Country(code, own.country_name, number, True)
    return tuple(sorted(found.values(), key=lambda c: c.name))


def _has_own_list(code: str) -> bool:
    return bool(code) and country_source(code).is_file()


def resources_for_country(country: str) -> CrisisResources:
    """The services the panel shows for ``country``. Never raises: a country without its
    own list (or with a damaged one) gets the generic list with its emergency number."""
    code = normalize_country(country)
    if code in BUILTIN_EMERGENCY or _has_own_list(code):
        try:
            return load_crisis_resources(country=code)
        except Exception as exc:  # broad on purpose: the panel must open
            log.error("crisis resources for %s unusable: %s", code, _why(exc))
            if code == DEFAULT_COUNTRY:
                return BUILTIN_RESOURCES
    try:
        generic = load_crisis_resources(country=GENERIC)
    except Exception as exc:
        log.error("generic crisis resources unusable, using the built-in list: %s", _why(exc))
        generic = BUILTIN_GENERIC
    name, number = _emergency_number(code)
    resources = tuple(_emergency(number) if r.emergency else r for r in generic.resources)
    return replace(generic, resources=resources, country=code,
                   country_name=name or generic.country_name)


def _emergency_number(code: str) -> tuple[str, str]:
    if not code:
        return "", ""
    try:
        numbers = load_emergency_numbers()
    except Exception as exc:
        log.error("emergency numbers unusable: %s", _why(exc))
        numbers = {}
    return numbers.get(code, ("", BUILTIN_EMERGENCY.get(code, "")))


def _date(fields: Fields, value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise fields.fail("'last_reviewed' must be a date (YYYY-MM-DD)")


def _resource(fields: Fields, resource_id: str | None = None, *,
              allow_empty: bool = False) -> CrisisResource:
    emergency = fields.boolean("emergency")
    allow_empty = allow_empty and emergency
    contacts = tuple(_contact(f) for f in fields.table_list("contacts",
                                                             required=not allow_empty))
    if not contacts and not allow_empty:
        raise fields.fail("'contacts' needs at least one way to reach the service")
    return CrisisResource(
        id=resource_id or fields.text("id"), name=fields.text("name"),
        summary=fields.optional_text("summary"), contacts=contacts,
        available=fields.optional_text("available"), emergency=emergency)


def _contact(fields: Fields) -> Contact:
    kind = fields.text("kind")
    if kind not in set(ContactKind):
        raise fields.fail(f"'kind' must be one of {', '.join(ContactKind)}")
    return Contact(ContactKind(kind), fields.text("value"), fields.text("label"),
                   fields.optional_text("message"))


def _check_unique(top: Fields, resources: tuple[CrisisResource, ...]) -> None:
    seen: set[str] = set()
    for res in resources:
        if res.id in seen:
            raise top.fail(f"the resource id '{res.id}' is used twice")
        seen.add(res.id)


# --------------------------------------------------------------------------- overrides

_RESOURCE_FIELDS = {"name", "summary", "contacts", "available", "emergency"}
_TOP_FIELDS = {"locale", "last_reviewed", "resources"}


def apply_overrides(base: CrisisResources, overrides: Mapping[str, Any]) -> CrisisResources:
    """``base`` with the user's edits applied. ``overrides`` is the settings dict::

        {"locale": "en-US", "last_reviewed": "2027-01-05",
         "resources": {"crisis-text-line": None,                 # remove
                       "988-lifeline": {"summary": "..."},       # change some fields
                       "county-line": {"name": "...", "contacts": [...]}}}  # add

    Changed entries keep their place; new ones follow in the order given. Invalid overrides
    raise :class:`DataFileError` naming the field (values are never quoted).
    """
    top = Fields(OVERRIDE_SOURCE, overrides)
    if not isinstance(overrides, Mapping):
        raise top.fail("must be a table of settings")
    unknown = set(overrides) - _TOP_FIELDS
    if unknown:
        raise top.fail(f"unknown setting '{sorted(unknown)[0]}'")
    result = base
    if "locale" in overrides:
        result = replace(result, locale=top.text("locale"))
    if "last_reviewed" in overrides:
        result = replace(result, last_reviewed=_date(top, overrides["last_reviewed"]))
    edits = top.sub("resources")
    if edits is not None:
        result = replace(result, resources=_edit_resources(result.resources, edits))
        if not result.resources:
            raise edits.fail("at least one resource must remain")
    return result


def _edit_resources(current: tuple[CrisisResource, ...],
                    edits: Fields) -> tuple[CrisisResource, ...]:
    by_id = {r.id: r for r in current}
    order = [r.id for r in current]
    for resource_id, change in edits.table.items():
        where = Fields(edits.source, {}, f"{edits.where}, {resource_id}")
        if change is None:
            by_id.pop(resource_id, None)
            continue
        if not isinstance(change, Mapping):
            raise where.fail("must be a table of fields, or nothing to remove it")
        unknown = set(change) - _RESOURCE_FIELDS
        if unknown:
            raise where.fail(f"unknown field '{sorted(unknown)[0]}'")
        old = by_id.get(resource_id)
        merged = dict(_as_fields(old) if old else {}) | dict(change)
        by_id[resource_id] = _resource(Fields(edits.source, merged, where.where), resource_id)
        if resource_id not in order:
            order.append(resource_id)
    return tuple(by_id[i] for i in order if i in by_id)


def _as_fields(res: CrisisResource) -> dict[str, Any]:
    return {"name": res.name, "summary": res.summary, "available": res.available,
            "emergency": res.emergency,
            "contacts": [{"kind": c.kind.value, "value": c.value, "label": c.label,
                          "message": c.message} for c in res.contacts]}


def resources_for_panel(overrides: Mapping[str, Any] | None = None,
                        source: DataSource | None = None, *,
                        country: str | None = None) -> CrisisResources:
    """What the safety panel shows for ``country`` (default :data:`DEFAULT_COUNTRY`), or
    for the file ``source``. Never raises: bad overrides are ignored (and logged by field
    name only), a broken file falls back as :func:`resources_for_country` describes, and
    overrides can't take the emergency number away."""
    if source is not None:
        # Broad on purpose: whatever goes wrong, the panel still opens with a usable list.
        try:
            base = load_crisis_resources(source)
        except Exception as exc:
            log.error("crisis resources file unusable, using the built-in list: %s",
                      _why(exc))
            base = BUILTIN_RESOURCES
    else:
        base = resources_for_country(DEFAULT_COUNTRY if country is None else country)
    if not overrides:
        return base
    try:
        result = apply_overrides(base, overrides)
    except Exception as exc:
        log.warning("crisis resource settings ignored: %s", _why(exc))
        return base
    if not result.emergency:
        result = replace(result, resources=result.resources + base.emergency)
    return result


def _why(exc: Exception) -> str:
    """Our own errors describe the field at fault; for anything else, only the type."""
    return exc.problem if isinstance(exc, DataFileError) else type(exc).__name__
