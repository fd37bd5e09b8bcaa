"""The journal's own JSON shape, shared by the CLI's ``--json`` output, export and import.

A document is a dict with ``"format": "integration-journal"`` and ``"version": 1`` at the
top level, plus sections such as ``"entries"`` or ``"sessions"``. Times are ISO-8601 with
their UTC offset. Everything here is plain data: ``json.dumps`` can write it unchanged.

Reading is held to ``domain/bounds.py``: :func:`check_values` walks a whole parsed document
(every text, key and number, and how deeply it nests) and the ``*_from_dict`` readers check
each time they read. A value out of bounds raises :class:`OutOfBoundsError` naming the field
and its place in the document, never the value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from journal_app.domain.bounds import (
    MAX_INT,
    MAX_TEXT_CHARS,
    MIN_INT,
    OutOfBoundsError,
    check_date,
    check_int,
    check_text,
)
from journal_app.domain.entities import Entry, EntryKind, Modality, Setting, TreatmentSession

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


# --------------------------------------------------------------------------- bounds

#: How deeply a document may nest. Ours go five levels down (document, entries, an entry,
#: its answers, an answer's options); the rest is room for an answer's own value.
MAX_DEPTH = 16

#: A uid is 32 hex digits; anything much longer is not one of ours.
MAX_UID_CHARS = 64

_PLAIN_KEY = re.compile(r"[a-z_]{1,40}")
_SINGULAR = {"entries": "entry", "sessions": "session", "check_ins": "check-in",
             "answers": "answer", "options": "option", "safety_flags": "safety flag",
             "items": "item", "tags": "tag"}


class TooLongNumber:
    """Stands in for a number with too many digits to read (see ``parse_int`` in
    ``export/json_format.py``), so that :func:`check_values` can say where it is."""


def place_of(path: tuple[str | int, ...]) -> str:
    """A place in a document for a person: ``("entries", 2, "title")`` → "entry 3, 'title'".
    Keys that are not plain field names are not repeated (they could be anything)."""
    parts: list[str] = []
    for i, step in enumerate(path):
        if isinstance(step, int):
            parent = path[i - 1] if i else None
            noun = _SINGULAR.get(parent, "item") if isinstance(parent, str) else "item"
            if parts and isinstance(parent, str) and parent in _SINGULAR:
                parts.pop()
            parts.append(f"{noun} {step + 1}")
        elif _PLAIN_KEY.fullmatch(step):
            parts.append(f"'{step}'")
        else:
            parts.append("a field with an unusual name")
    return ", ".join(parts) or "the top level"


def _refuse(problem: str, path: tuple[str | int, ...]) -> OutOfBoundsError:
    return OutOfBoundsError(f"{place_of(path)}: {problem}.")


def _text_problem(value: str) -> str | None:
    try:
        check_text(value)
    except OutOfBoundsError:
        if len(value) > MAX_TEXT_CHARS:
            return f"the text is longer than {MAX_TEXT_CHARS:,} characters"
        return "the text is not valid (a broken surrogate pair)"
    return None


def check_values(doc: Any) -> None:
    """Hold every value in a parsed document to ``domain/bounds.py``: texts and keys valid
    UTF-8 and not huge, whole numbers within ``bounds.MAX_INT``, other numbers finite,
    nesting at most :data:`MAX_DEPTH`. Iterative, so no document can exhaust the stack.
    The message says where (``entry 3, 'title'``) and what is wrong, never the value."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise _refuse(f"it nests more than {MAX_DEPTH} levels deep", path[:3])
        if isinstance(value, dict):
            for key, item in value.items():
                problem = _text_problem(key)
                if problem:
                    raise _refuse(f"a field name: {problem}", path)
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, i)) for i, item in enumerate(value))
        elif isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                raise _refuse(problem, path)
        elif isinstance(value, TooLongNumber):
            raise _refuse("a number has too many digits", path)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not MIN_INT <= value <= MAX_INT:
                raise _refuse(f"a number lies outside {MIN_INT} to {MAX_INT}", path)
        elif isinstance(value, float) and not math.isfinite(value):
            raise _refuse("a number can't be read (too large, or not a number)", path)


# --------------------------------------------------------------------------- reading


def _text(obj: dict[str, Any], key: str, default: str = "") -> str:
    value = obj.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be text")
    return check_text(value, f"'{key}'")


def _time(obj: dict[str, Any], key: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(_text(obj, key))
    except OutOfBoundsError:
        raise
    except ValueError as exc:
        raise ValueError(f"'{key}' is not an ISO-8601 time") from exc
    check_date(value, f"'{key}'")
    return value


def read_time(obj: dict[str, Any], key: str, default: dt.datetime | None = None,
              ) -> dt.datetime:
    """The ISO-8601 time under ``key``, within bounds; ``default`` when it is absent."""
    if default is not None and not obj.get(key):
        return default
    return _time(obj, key)


def _optional_int(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"'{key}' must be a whole number")
    return check_int(value, f"'{key}'")


def read_int(obj: dict[str, Any], key: str, default: int) -> int:
    """The whole number under ``key`` (``default`` when absent), within bounds."""
    value = _optional_int(obj, key)
    return default if value is None else value


def read_uid(obj: dict[str, Any], key: str = "uid") -> str | None:
    """A stable id: text of at most :data:`MAX_UID_CHARS`; None when absent or empty."""
    uid = obj.get(key)
    if not isinstance(uid, str) or not uid:
        return None
    if len(uid) > MAX_UID_CHARS:
        raise OutOfBoundsError(f"The '{key}' is longer than {MAX_UID_CHARS} characters.")
    return check_text(uid, f"'{key}'")


def entry_from_dict(obj: Any) -> Entry:
    """An Entry from :func:`entry_to_dict` output. Raises ValueError on malformed input."""
    if not isinstance(obj, dict):
        raise ValueError("an entry must be an object")
    tags = obj.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("'tags' must be a list of text")
    for tag in tags:
        check_text(tag, "'tags'")
    private = obj.get("private", False)
    if not isinstance(private, bool):
        raise ValueError("'private' must be true or false")
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
        uid=read_uid(obj),
    )


def session_from_dict(obj: Any) -> TreatmentSession:
    """A TreatmentSession from :func:`session_to_dict` output. Raises ValueError."""
    if not isinstance(obj, dict):
        raise ValueError("a session must be an object")
    return TreatmentSession(
        starts_at=_time(obj, "date"),
        modality=Modality(_text(obj, "modality", "iv-infusion")),
        setting=Setting(_text(obj, "setting", "clinic")),
        number=_optional_int(obj, "number"),
        provider=_text(obj, "provider"),
        notes=_text(obj, "notes"),
        id=_optional_int(obj, "id"),
        uid=read_uid(obj),
        created_at=_time(obj, "created_at"),
        updated_at=_time(obj, "updated_at"),
    )
