"""jrnl (jrnl.sh): its JSON export (``jrnl --format json``) and its plain-text journal file.

The journal file, as jrnl 4 writes it, is a run of entries each starting on a line
``[DATE] Title`` and followed by the body's lines; a title ending in `` *`` is starred.
DATE is what jrnl's ``timeformat`` made of it; read here: ``YYYY-MM-DD HH:MM``, with
optional ``:SS``, optional ``AM``/``PM`` (jrnl's default ``%F %r`` gives
``2023-03-04 10:15:00 AM``), ``T`` or a space between date and time. A bracketed line
whose date can't be read is part of the body, as jrnl reads it too. An encrypted jrnl
journal can't be read: decrypt it (``jrnl --decrypt``) or export it first.

Tags are jrnl's: words in the text that start with ``@`` or ``#`` (jrnl's own pattern);
they are kept without the sign ("@family" → "family") and the text is left as written.
Dates carry no zone in either form: they are taken as local time, and the preview says so.

Each entry's key is its minute and title (``2023-03-04 10:15`` + title, numbered when two
share both), the same in the export and in the file: importing one after the other adds
nothing twice.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from journal_app.domain.importers.common import (
    STARRED_TAG,
    ParsedSource,
    SourceEntry,
    SourceKind,
    clean_tags,
    decode,
    fallback_warning,
    json_entries,
    refuse,
    unique_keys,
    zone_warning,
)

#: jrnl's tag pattern (``Entry.tag_regex`` with its default tag symbols ``#@``).
TAG = re.compile(r"(?<!\S)([#@][-+*#/\w]+)")

_HEADER = re.compile(
    r"^\[(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2}))?(?: ?(?P<half>[AaPp][Mm]))?\] ?(?P<title>.*)$")

#: A Fernet token (jrnl 2+ encryption) starts with these bytes once base64-encoded.
_ENCRYPTED = (b"gAAAAA",)


def parse(raw: bytes, name: str) -> ParsedSource:
    """Either form of jrnl, told apart by its first character (``{``: the JSON export)."""
    if raw.lstrip().startswith(_ENCRYPTED):
        raise refuse(name, "it is an encrypted jrnl journal. Decrypt it first (jrnl "
                           "--decrypt) or export it (jrnl --format json > file.json).")
    text, fell_back = decode(raw, name, fallback=True)
    source = parse_json(text, name) if text.lstrip().startswith("{") else \
        parse_text(text, name)
    if fell_back:
        source.warnings.insert(0, fallback_warning(name))
    return source


# --------------------------------------------------------------------------- text file


def _header_time(match: re.Match[str]) -> dt.datetime | None:
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    half = (match["half"] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    try:
        day = dt.date.fromisoformat(match["date"])
        return dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError:
        return None


def _entry(when: dt.datetime, title: str, body_lines: list[str]) -> SourceEntry:
    title = title.rstrip()
    starred = title.endswith("*")
    if starred:
        title = title.strip(" *")
    body = "\n".join(body_lines).strip("\n").rstrip()
    tags = clean_tags(TAG.findall(f"{title}\n{body}"))
    if starred:
        tags = (*tags, STARRED_TAG)
    return SourceEntry(key=f"{when:%Y-%m-%d %H:%M}\0{title}", title=title, body=body,
                       created_at=when.astimezone(), tags=tags, zone_known=False)


def parse_text(text: str, name: str) -> ParsedSource:
    source = ParsedSource(SourceKind.JRNL, name)
    heads: list[tuple[int, dt.datetime, str]] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        match = _HEADER.match(line)
        when = _header_time(match) if match else None
        if match and when is not None:
            heads.append((number, when, match["title"]))
    if not heads:
        raise refuse(name, "no line starts with a jrnl date such as [2023-03-04 10:15]. "
                           "Is it a jrnl journal file?")
    before = lines[:heads[0][0] - 1]
    if any(line.strip() for line in before):
        raise refuse(name, "there is text before its first dated entry, which jrnl "
                           "would not show either.", f"line 1 to {len(before)}")
    entries = []
    for i, (number, when, title) in enumerate(heads):
        end = heads[i + 1][0] - 1 if i + 1 < len(heads) else len(lines)
        entries.append((f"line {number}", _entry(when, title, lines[number:end])))
    _add_all(source, entries)
    return source


def _add_all(source: ParsedSource, entries: list[tuple[str, SourceEntry]]) -> None:
    keys = unique_keys(entry.key for _place, entry in entries)
    for (place, entry), key in zip(entries, keys, strict=True):
        source.add(SourceEntry(key=key, title=entry.title, body=entry.body,
                               created_at=entry.created_at, tags=entry.tags,
                               zone_known=False), place)
    warning = zone_warning(len(entries))
    if warning:
        source.warnings.append(warning)


# --------------------------------------------------------------------------- JSON export

_KNOWN = {"title", "body", "date", "time", "tags", "starred"}


def _field(obj: dict[str, Any], key: str, name: str, place: str) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise refuse(name, f"'{key}' must be text.", place)
    return value


def _json_entry(obj: Any, name: str, place: str) -> SourceEntry:
    if not isinstance(obj, dict):
        raise refuse(name, "an entry must be an object.", place)
    try:
        day = dt.date.fromisoformat(_field(obj, "date", name, place))
        clock = dt.time.fromisoformat(_field(obj, "time", name, place) or "00:00")
    except ValueError:
        raise refuse(name, "its 'date' or 'time' can't be read (jrnl writes "
                           "YYYY-MM-DD and HH:MM).", place) from None
    tags = obj.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise refuse(name, "'tags' must be a list of text.", place)
    starred = obj.get("starred", False)
    if not isinstance(starred, bool):
        raise refuse(name, "'starred' must be true or false.", place)
    when = dt.datetime.combine(day, clock.replace(tzinfo=None))
    title = _field(obj, "title", name, place)
    all_tags = clean_tags(tags) + ((STARRED_TAG,) if starred else ())
    return SourceEntry(key=f"{when:%Y-%m-%d %H:%M}\0{title}", title=title,
                       body=_field(obj, "body", name, place), created_at=when.astimezone(),
                       tags=all_tags, zone_known=False)


def parse_json(text: str, name: str) -> ParsedSource:
    found = json_entries(text, name, "a jrnl export")
    source = ParsedSource(SourceKind.JRNL, name)
    entries = [(f"entry {i}", _json_entry(obj, name, f"entry {i}"))
               for i, obj in enumerate(found, 1)]
    unknown = {k for obj in found for k in obj if k not in _KNOWN}
    if unknown:
        source.warnings.append(f"{len(unknown)} field name(s) in the entries are not "
                               "jrnl's usual ones and were not read.")
    _add_all(source, entries)
    return source
