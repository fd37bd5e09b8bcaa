"""Crisis resources for the safety panel, as data the user can edit.

The bundled list lives in ``resources/crisis_resources.toml`` with a locale and the date it
was last reviewed (numbers change). Settings may override, remove or add entries; see
:func:`apply_overrides`. :func:`resources_for_panel` never fails: the panel must always show
something, so it falls back to the bundled list, then to :data:`BUILTIN_RESOURCES`.

Nothing here gives medical advice: only who can be reached, and how.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
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
    "services below or your care team directly."
)

#: How long after ``last_reviewed`` the resources are due for another check.
REVIEW_INTERVAL = dt.timedelta(days=365)

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
    locale: str
    last_reviewed: dt.date
    resources: tuple[CrisisResource, ...]

    def get(self, resource_id: str) -> CrisisResource | None:
        return next((r for r in self.resources if r.id == resource_id), None)

    def review_due(self, today: dt.date | None = None) -> bool:
        """True when the list was last reviewed more than a year ago."""
        return (today or dt.date.today()) - self.last_reviewed > REVIEW_INTERVAL


# Kept in step with resources/crisis_resources.toml (a test compares them): used only if
# that file can't be read, so the safety panel is never empty.
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
        CrisisResource(
            "emergency", "Emergency services", "In an emergency, call 911.",
            (Contact(ContactKind.CALL, "911", "Call 911"),), "24/7", emergency=True),
    ),
)


# --------------------------------------------------------------------------- loading


def load_crisis_resources(source: DataSource | None = None) -> CrisisResources:
    """The crisis resources in ``source`` (default: the bundled file). A malformed file
    raises :class:`DataFileError` naming it and what is wrong."""
    if source is None:
        from journal_app.paths import resource

        source = resource("crisis_resources.toml")
    top = Fields(source, read_toml(source))
    resources = tuple(_resource(f) for f in top.table_list("resources"))
    _check_unique(top, resources)
    return CrisisResources(top.text("locale"), _date(top, top.table.get("last_reviewed")),
                           resources)


def _date(fields: Fields, value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise fields.fail("'last_reviewed' must be a date (YYYY-MM-DD)")


def _resource(fields: Fields, resource_id: str | None = None) -> CrisisResource:
    contacts = tuple(_contact(f) for f in fields.table_list("contacts"))
    if not contacts:
        raise fields.fail("'contacts' needs at least one way to reach the service")
    return CrisisResource(
        id=resource_id or fields.text("id"), name=fields.text("name"),
        summary=fields.optional_text("summary"), contacts=contacts,
        available=fields.optional_text("available"), emergency=fields.boolean("emergency"))


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
                        source: DataSource | None = None) -> CrisisResources:
    """What the safety panel shows. Never raises: bad overrides are ignored (and logged by
    field name only), a broken bundled file falls back to :data:`BUILTIN_RESOURCES`."""
    # Broad on purpose: whatever goes wrong, the panel still opens with a usable list.
    try:
        base = load_crisis_resources(source)
    except Exception as exc:
        log.error("crisis resources file unusable, using the built-in list: %s", _why(exc))
        base = BUILTIN_RESOURCES
    if not overrides:
        return base
    try:
        return apply_overrides(base, overrides)
    except Exception as exc:
        log.warning("crisis resource settings ignored: %s", _why(exc))
        return base


def _why(exc: Exception) -> str:
    """Our own errors describe the field at fault; for anything else, only the type."""
    return exc.problem if isinstance(exc, DataFileError) else type(exc).__name__
