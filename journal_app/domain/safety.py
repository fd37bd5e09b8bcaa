"""Crisis resources for the safety panel, per country, as data the user can edit.

The public face of the crisis resources: what a list is (:mod:`crisis_lists`), reading the
files (:mod:`crisis_files`), and here what the panel shows. The journal's settings may
override, remove or add entries; see :func:`apply_overrides`. :func:`resources_for_panel`
never fails and never comes back without an emergency entry: it falls back to the generic
list, then to the built-in lists.

Nothing here gives medical advice: only who can be reached, and how.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from journal_app.domain.crisis_files import (
    country_from_locale_name,
    country_source,
    crisis_file,
    has_own_list,
    load_crisis_resources,
    load_emergency_numbers,
    normalize_country,
    parse_resource,
    review_date,
)
from journal_app.domain.crisis_lists import (
    BUILTIN_EMERGENCY,
    BUILTIN_GENERIC,
    BUILTIN_RESOURCES,
    DEFAULT_COUNTRY,
    GENERIC,
    LOCAL_EMERGENCY,
    NOT_MONITORED,
    REVIEW_INTERVAL,
    REVIEW_STATUSES,
    Contact,
    ContactKind,
    Country,
    CrisisResource,
    CrisisResources,
    emergency_entry,
)
from journal_app.domain.datafile import DataFileError, DataSource, Fields

__all__ = [
    "BUILTIN_EMERGENCY",
    "BUILTIN_GENERIC",
    "BUILTIN_RESOURCES",
    "DEFAULT_COUNTRY",
    "GENERIC",
    "LOCAL_EMERGENCY",
    "NOT_MONITORED",
    "OVERRIDE_SOURCE",
    "REVIEW_INTERVAL",
    "REVIEW_STATUSES",
    "Contact",
    "ContactKind",
    "Country",
    "CrisisResource",
    "CrisisResources",
    "apply_overrides",
    "countries",
    "country_from_locale_name",
    "country_source",
    "crisis_file",
    "load_crisis_resources",
    "load_emergency_numbers",
    "normalize_country",
    "resources_for_country",
    "resources_for_panel",
]

log = logging.getLogger(__name__)

OVERRIDE_SOURCE = "crisis resource settings"


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


def resources_for_country(country: str) -> CrisisResources:
    """The services the panel shows for ``country``. Never raises: a country without its
    own list (or with a damaged one) gets the generic list with its emergency number."""
    code = normalize_country(country)
    if code in BUILTIN_EMERGENCY or has_own_list(code):
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
    resources = tuple(emergency_entry(number) if r.emergency else r for r in generic.resources)
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
        result = replace(result, last_reviewed=review_date(top, overrides["last_reviewed"]))
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
        by_id[resource_id] = parse_resource(Fields(edits.source, merged, where.where), resource_id)
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
