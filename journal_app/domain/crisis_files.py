"""Reading the crisis resource files: one per country, the generic list, the numbers.

Each country's services live in ``resources/crisis/<code>.toml`` (us.toml, gb.toml, ...)
with the date they were last reviewed, the pages they come from and whether a person has
confirmed them (numbers change). A country without a file of its own gets
``international.toml`` (a helpline directory) with its emergency number from
``emergency_numbers.toml``. A malformed file raises :class:`DataFileError` naming the file
and the field; :mod:`journal_app.domain.safety` decides what the panel shows instead.
"""

from __future__ import annotations

import datetime as dt
import re

from journal_app.domain.crisis_lists import (
    DEFAULT_COUNTRY,
    GENERIC,
    REVIEW_STATUSES,
    Contact,
    ContactKind,
    CrisisResource,
    CrisisResources,
)
from journal_app.domain.datafile import DataSource, Fields, read_toml

__all__ = [
    "country_from_locale_name",
    "country_source",
    "crisis_file",
    "has_own_list",
    "load_crisis_resources",
    "load_emergency_numbers",
    "normalize_country",
    "parse_resource",
    "review_date",
]


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
    resources = tuple(parse_resource(f, allow_empty=generic) for f in top.table_list("resources"))
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
    return CrisisResources(top.text("locale"), review_date(top, top.table.get("last_reviewed")),
                           resources, code, top.text("country_name"), status,
                           top.text("source"))


def load_emergency_numbers(source: DataSource | None = None) -> dict[str, tuple[str, str]]:
    """Country code → (country name, emergency number) from emergency_numbers.toml."""
    source = source or crisis_file("emergency_numbers.toml")
    top = Fields(source, read_toml(source))
    review_date(top, top.table.get("last_reviewed"))
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


def has_own_list(code: str) -> bool:
    """Whether the app has a file of ``code``'s own services."""
    return bool(code) and country_source(code).is_file()


def review_date(fields: Fields, value: object) -> dt.date:
    """A ``last_reviewed`` value: a TOML date, or the same as ISO text (settings)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise fields.fail("'last_reviewed' must be a date (YYYY-MM-DD)")


def parse_resource(fields: Fields, resource_id: str | None = None, *,
                   allow_empty: bool = False) -> CrisisResource:
    """One service from its table; ``resource_id`` when the id is the table's key."""
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
