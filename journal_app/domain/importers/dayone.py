"""Day One: its JSON export, as ``Journal.json`` alone or the export zip (one JSON file per
journal at the top, photos in ``photos/``).

An entry is read from Day One's documented fields: ``uuid`` (its key), ``creationDate``
and ``modifiedDate`` (ISO-8601, UTC), ``timeZone`` (an IANA name such as
``Europe/Berlin``: the dates are shown in it), ``text`` (Markdown, kept exactly as Day One
wrote it, its backslash escapes included: they render as the plain characters), ``tags``
and ``starred`` (a tag "starred"). Day One has no separate title; the first line of the
text serves as one, as it does in Day One.

Not brought in, and listed in the preview: photos, videos, audio and PDF attachments (the
journal can't hold files yet; they stay in the export), and how many entries carried a
place or weather. Other fields are not read.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal_app.domain.importers.common import (
    MAX_SOURCE_BYTES,
    STARRED_TAG,
    ParsedSource,
    Skipped,
    SourceEntry,
    SourceKind,
    check_size,
    clean_tags,
    decode,
    json_entries,
    refuse,
    zone_warning,
)

_MEDIA = (("photos", "photo", "photos"), ("videos", "video", "videos"),
          ("audios", "audio recording", "audio recordings"),
          ("pdfAttachments", "PDF", "PDFs"))


def parse(raw: bytes, name: str) -> ParsedSource:
    """A Day One export: the zip (told by its first bytes) or one journal's JSON."""
    check_size(len(raw), name)
    source = ParsedSource(SourceKind.DAYONE, name)
    if raw.startswith(b"PK\x03\x04"):
        for member, data in _zip_journals(raw, name):
            _read_journal(source, data, f"{name}, {member}", member)
    else:
        _read_journal(source, raw, name)
    _summarise(source)
    return source


def _zip_journals(raw: bytes, name: str) -> list[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise refuse(name, "it looks like a zip file but is damaged.") from None
    with archive:
        members = [info for info in archive.infolist()
                   if not info.is_dir() and len(PurePosixPath(info.filename).parts) == 1
                   and info.filename.lower().endswith(".json")]
        if not members:
            raise refuse(name, "it is a zip file without a Day One journal in it (no "
                               ".json file at its top, such as Journal.json).")
        if sum(info.file_size for info in members) > MAX_SOURCE_BYTES:
            raise refuse(name, f"its journals are larger than "
                               f"{MAX_SOURCE_BYTES // (1024 * 1024)} MB.")
        out = []
        for info in members:
            try:
                out.append((info.filename, archive.read(info)))
            except (zipfile.BadZipFile, OSError, EOFError):
                raise refuse(name, "a file in the zip is damaged.", info.filename) from None
        return out


def _read_journal(source: ParsedSource, raw: bytes, name: str, member: str = "") -> None:
    """One journal's JSON; ``name`` names it in messages, ``member`` in the preview (its
    file in the zip)."""
    text, _fallback = decode(raw, name, fallback=False)
    for i, obj in enumerate(json_entries(text, name, "a Day One export"), 1):
        place = f"entry {i}"
        shown = f"{member}, {place}" if member else place
        source.add(_entry(obj, name, place, shown, source), shown)


def _time(obj: dict[str, Any], key: str, name: str, place: str,
          ) -> tuple[dt.datetime, bool] | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise refuse(name, f"'{key}' must be text.", place)
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise refuse(name, f"'{key}' is not an ISO-8601 date.", place) from None
    return (when.astimezone(), False) if when.tzinfo is None else (when, True)


def _zone(obj: dict[str, Any]) -> dt.tzinfo | None:
    name = obj.get("timeZone")
    if not isinstance(name, str) or not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _entry(obj: Any, name: str, place: str, shown: str, source: ParsedSource,
           ) -> SourceEntry:
    if not isinstance(obj, dict):
        raise refuse(name, "an entry must be an object.", place)
    uid = obj.get("uuid")
    if not isinstance(uid, str) or not uid.strip() or len(uid) > 200:
        raise refuse(name, "it has no 'uuid', which every Day One entry has.", place)
    created = _time(obj, "creationDate", name, place)
    if created is None:
        raise refuse(name, "it has no 'creationDate'.", place)
    modified = _time(obj, "modifiedDate", name, place)
    text = obj.get("text", "")
    tags = obj.get("tags", [])
    starred = obj.get("starred", False)
    if not isinstance(text, str):
        raise refuse(name, "'text' must be text.", place)
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise refuse(name, "'tags' must be a list of text.", place)
    if not isinstance(starred, bool):
        raise refuse(name, "'starred' must be true or false.", place)
    zone = _zone(obj)
    when, known = created
    if zone is not None and known:
        when = when.astimezone(zone)
    _note_media(obj, source, shown)
    return SourceEntry(key=uid.strip().upper(), title="",
                       body=text.replace("\r\n", "\n").replace("\r", "\n"),
                       created_at=when, updated_at=modified[0] if modified else None,
                       tags=clean_tags(tags) + ((STARRED_TAG,) if starred else ()),
                       zone_known=known)


def _note_media(obj: dict[str, Any], source: ParsedSource, place: str) -> None:
    for key, one, many in _MEDIA:
        items = obj.get(key)
        if isinstance(items, list) and items:
            what = one if len(items) == 1 else many
            source.skipped.append(Skipped(place, f"{len(items)} {what}: the journal "
                                                 "can't hold files yet; they stay in the "
                                                 "Day One export"))
    if obj.get("location") or obj.get("weather"):
        source.skipped.append(Skipped(place, "its place and weather (the journal has no "
                                             "field for them)"))


def _summarise(source: ParsedSource) -> None:
    local = sum(1 for e in source.entries if not e.zone_known)
    warning = zone_warning(local)
    if warning:
        source.warnings.append(warning)
    if not source.entries:
        source.warnings.append("The export holds no entries.")
