"""The journal's own JSON shape, shared by the CLI's ``--json`` output, export and import.

A document is a dict with ``"format": "integration-journal"`` and ``"version": 1`` at the
top level, plus sections such as ``"entries"`` or ``"sessions"``. Times are ISO-8601 with
their UTC offset. Everything here is plain data: ``json.dumps`` can write it unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession

FORMAT = "integration-journal"
VERSION = 1


def iso(value: dt.datetime) -> str:
    """ISO-8601 with offset, to the second (the precision the journal stores)."""
    return value.isoformat(timespec="seconds")


def document(**sections: Any) -> dict[str, Any]:
    """A top-level JSON document carrying the format name and version."""
    return {"format": FORMAT, "version": VERSION, **sections}


def check_document(obj: Any) -> dict[str, Any]:
    """Return ``obj`` if it is one of our documents in a version this code reads."""
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise ValueError("not an Integration Journal JSON document")
    version = obj.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("the document has no valid version")
    if version > VERSION:
        raise ValueError("the document was written by a newer version of the app")
    return obj


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "uid": entry.uid,
        "kind": entry.kind.value,
        "title": entry.title,
        "body": entry.body,
        "tags": list(entry.tags),
        "private": entry.private,
        "created_at": iso(entry.created_at),
        "updated_at": iso(entry.updated_at),
        "session_id": entry.session_id,
    }


def session_to_dict(session: TreatmentSession) -> dict[str, Any]:
    return {
        "id": session.id,
        "uid": session.uid,
        "date": iso(session.starts_at),
        "modality": session.modality.value,
        "setting": session.setting.value,
        "number": session.number,
        "provider": session.provider,
        "notes": session.notes,
        "created_at": iso(session.created_at),
        "updated_at": iso(session.updated_at),
    }


def _text(obj: dict[str, Any], key: str, default: str = "") -> str:
    value = obj.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be text")
    return value


def _time(obj: dict[str, Any], key: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(_text(obj, key))
    except ValueError as exc:
        raise ValueError(f"'{key}' is not an ISO-8601 time") from exc


def _optional_int(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"'{key}' must be a whole number")
    return value


def entry_from_dict(obj: Any) -> Entry:
    """An Entry from :func:`entry_to_dict` output. Raises ValueError on malformed input."""
    if not isinstance(obj, dict):
        raise ValueError("an entry must be an object")
    tags = obj.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("'tags' must be a list of text")
    private = obj.get("private", False)
    if not isinstance(private, bool):
        raise ValueError("'private' must be true or false")
    uid = obj.get("uid")
    return Entry(
        kind=EntryKind(_text(obj, "kind")),
        title=_text(obj, "title"),
        body=_text(obj, "body"),
        tags=tuple(tags),
        private=private,
        created_at=_time(obj, "created_at"),
        updated_at=_time(obj, "updated_at"),
        session_id=_optional_int(obj, "session_id"),
        id=_optional_int(obj, "id"),
        uid=uid if isinstance(uid, str) and uid else None,
    )


def session_from_dict(obj: Any) -> TreatmentSession:
    """A TreatmentSession from :func:`session_to_dict` output. Raises ValueError."""
    if not isinstance(obj, dict):
        raise ValueError("a session must be an object")
    uid = obj.get("uid")
    return TreatmentSession(
        starts_at=_time(obj, "date"),
        modality=_text(obj, "modality", "iv-infusion"),  # type: ignore[arg-type]
        setting=_text(obj, "setting", "clinic"),  # type: ignore[arg-type]
        number=_optional_int(obj, "number"),
        provider=_text(obj, "provider"),
        notes=_text(obj, "notes"),
        id=_optional_int(obj, "id"),
        uid=uid if isinstance(uid, str) and uid else None,
        created_at=_time(obj, "created_at"),
        updated_at=_time(obj, "updated_at"),
    )
