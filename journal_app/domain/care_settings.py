"""Settings that reveal therapy details, kept INSIDE the encrypted journal.

The clinic's and therapist's names and numbers, the user's safety plan and their edits to
the crisis resources say who treats them and how they are doing, so they live in the
journal's own ``journal_meta`` table (JSON values) and never in the plaintext settings file.
Values are read afresh each time: nothing is cached after the journal locks. The GUI's
safety panel and plan editor and the command line read them through this one module.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from typing import Any, Protocol

log = logging.getLogger(__name__)

CARE_CONTACTS = "care_contacts"
SAFETY_PLAN = "safety_plan"
CRISIS_OVERRIDES = "crisis_overrides"


class MetaStore(Protocol):
    """What we need from :class:`journal_app.storage.repository.JournalRepository`."""

    def get_meta(self, key: str, default: str = "") -> str: ...

    def set_meta(self, key: str, value: str) -> None: ...


def read_json(store: MetaStore, key: str, default: Any = None) -> Any:
    """The JSON value stored under ``key``; ``default`` when absent or unreadable."""
    raw = store.get_meta(key, "")
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        log.warning("journal setting %s is not valid JSON; using the default", key)
        return default


def write_json(store: MetaStore, key: str, value: Any) -> None:
    store.set_meta(key, json.dumps(value, ensure_ascii=False, sort_keys=True))


def _texts(cls: type, data: Any) -> dict[str, str]:
    """Only the known fields of ``cls``, only as text (a damaged value can't break a form)."""
    if not isinstance(data, dict):
        return {}
    return {f.name: data[f.name] for f in fields(cls) if isinstance(data.get(f.name), str)}


@dataclass(frozen=True)
class CareContacts:
    clinic_name: str = ""
    clinic_phone: str = ""
    therapist_name: str = ""
    therapist_phone: str = ""

    def __repr__(self) -> str:  # names and numbers are therapy details
        return "CareContacts(...)"

    @property
    def is_empty(self) -> bool:
        return not any(asdict(self).values())


@dataclass(frozen=True)
class SafetyPlan:
    """The user's own plan, in their words; the sections follow the usual safety-plan form."""

    warning_signs: str = ""
    coping: str = ""
    people_places: str = ""
    people_to_ask: str = ""
    professionals: str = ""
    safer_space: str = ""

    def __repr__(self) -> str:
        return "SafetyPlan(...)"

    @property
    def is_empty(self) -> bool:
        return not any(v.strip() for v in asdict(self).values())


@dataclass(frozen=True)
class ExtraCrisisLine:
    """One crisis line the user adds (e.g. outside the US), kept in the crisis overrides."""

    name: str = ""
    phone: str = ""

    def __repr__(self) -> str:
        return "ExtraCrisisLine(...)"


EXTRA_LINE_ID = "my-crisis-line"


def load_care_contacts(store: MetaStore) -> CareContacts:
    return CareContacts(**_texts(CareContacts, read_json(store, CARE_CONTACTS, {})))


def save_care_contacts(store: MetaStore, contacts: CareContacts) -> None:
    write_json(store, CARE_CONTACTS, asdict(contacts))


def load_safety_plan(store: MetaStore) -> SafetyPlan:
    return SafetyPlan(**_texts(SafetyPlan, read_json(store, SAFETY_PLAN, {})))


def save_safety_plan(store: MetaStore, plan: SafetyPlan) -> None:
    write_json(store, SAFETY_PLAN, asdict(plan))


def load_crisis_overrides(store: MetaStore) -> dict[str, Any]:
    """The overrides for :func:`journal_app.domain.safety.resources_for_panel` (or {})."""
    value = read_json(store, CRISIS_OVERRIDES, {})
    return value if isinstance(value, dict) else {}


def load_extra_line(store: MetaStore) -> ExtraCrisisLine:
    entry = (load_crisis_overrides(store).get("resources") or {}).get(EXTRA_LINE_ID)
    if not isinstance(entry, dict):
        return ExtraCrisisLine()
    contacts = entry.get("contacts")
    first = contacts[0] if isinstance(contacts, list) and contacts else {}
    phone = first.get("value", "") if isinstance(first, dict) else ""
    name = entry.get("name", "")
    return ExtraCrisisLine(name if isinstance(name, str) else "",
                           phone if isinstance(phone, str) else "")


def save_extra_line(store: MetaStore, line: ExtraCrisisLine, call_label: str) -> None:
    """Add, change or drop the user's own crisis line; other overrides are kept as they are.

    ``call_label`` is the translated button text ("Call 0800 …")."""
    overrides = load_crisis_overrides(store)
    resources = overrides.get("resources")
    resources = dict(resources) if isinstance(resources, dict) else {}
    if line.phone.strip():
        resources[EXTRA_LINE_ID] = {
            "name": line.name.strip() or line.phone.strip(),
            "contacts": [{"kind": "call", "value": line.phone.strip(), "label": call_label}],
        }
    else:
        resources.pop(EXTRA_LINE_ID, None)
    if resources:
        overrides["resources"] = resources
    else:
        overrides.pop("resources", None)
    write_json(store, CRISIS_OVERRIDES, overrides)
