"""What every importer shares: reading bytes as text, the caps, stable uids, and turning
what a source holds into the journal's own :class:`~journal_app.domain.transfer.ImportedJournal`.

An importer (``jrnl.py``, ``dayone.py``, ``markdown_folder.py``) reads its source into a
:class:`ParsedSource`: one :class:`SourceEntry` per entry, with the source's own key for
it, plus what it left out and why. Nothing is written by an importer; ``preview.py`` says
what an import would bring, and :func:`to_imported` makes the entries to merge.

Text accepted, for every source: UTF-8 (with or without a byte-order mark) and UTF-16 or
UTF-32 *with* a byte-order mark. Plain-text sources (jrnl's journal file, Markdown files)
that are none of these are read as Windows-1252 (Western European, a superset of
Latin-1 for printable text), and the preview says which file was read that way. JSON
sources must be Unicode, as JSON is. Windows and old Mac line endings become ``\\n``.

Error messages name the file and the place (line, entry number), never the content.
"""

from __future__ import annotations

import codecs
import datetime as dt
import enum
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from journal_app.domain.bounds import OutOfBoundsError, check_date, check_text
from journal_app.domain.entities import Entry, EntryKind, normalize_tag
from journal_app.domain.transfer import ImportedEntry, ImportedJournal, ImportResult
from journal_app.errors import JournalError

#: A source larger than this is refused before it is read.
MAX_SOURCE_BYTES = 200 * 1024 * 1024
#: A source with more entries than this is refused (split it, or import in parts).
MAX_ENTRIES = 100_000

#: The tag a starred (Day One) or favourite (jrnl ``*``) entry is given.
STARRED_TAG = "starred"

#: uuid5 namespace for uids of imported entries: the same source entry gets the same uid
#: in every journal, every time, so importing a source twice adds nothing the second time.
_NAMESPACE = uuid.UUID("6f1d7c52-4b8e-5a0e-9c3f-2d1e8b7a6c50")


class SourceKind(enum.StrEnum):
    JRNL = "jrnl"
    DAYONE = "dayone"
    MARKDOWN = "markdown"


class SourceError(JournalError):
    """The source can't be imported (exit 1). ``message`` names the file and the place,
    never content; nothing has been written."""


def refuse(name: str, problem: str, place: str = "") -> SourceError:
    where = f" ({place})" if place else ""
    return SourceError(f"{name} can't be imported{where}: {problem} Nothing was imported; "
                       "the journal is unchanged.")


@dataclass(frozen=True)
class Skipped:
    """Something in the source that is not brought in: where, and why (no content)."""

    place: str
    reason: str


@dataclass(frozen=True)
class SourceEntry:
    """One entry as the source holds it. ``key`` is the source's own name for it (a Day
    One uuid, a jrnl date and title, a file's relative path); ``zone_known`` is False when
    the source gave a time without a zone (it was then taken as local time)."""

    key: str = field(repr=False)
    title: str = field(repr=False)
    body: str = field(repr=False)
    created_at: dt.datetime
    updated_at: dt.datetime | None = None
    tags: tuple[str, ...] = field(default=(), repr=False)
    zone_known: bool = True


@dataclass
class ParsedSource:
    kind: SourceKind
    name: str
    entries: list[SourceEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, entry: SourceEntry, place: str) -> None:
        if len(self.entries) >= MAX_ENTRIES:
            raise refuse(self.name, f"it holds more than {MAX_ENTRIES:,} entries; import "
                                    "it in parts.", place)
        self.entries.append(entry)


# --------------------------------------------------------------------------- text


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def check_size(size: int, name: str) -> None:
    if size > MAX_SOURCE_BYTES:
        raise refuse(name, f"it is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB.")


def _line_of(raw: bytes, index: int) -> int:
    return raw[:index].count(b"\n") + 1


def decode(raw: bytes, name: str, *, fallback: bool) -> tuple[str, bool]:
    """``raw`` as text with ``\\n`` line endings, and whether the Windows-1252 fallback
    was used (only when ``fallback``). Refuses bytes that are no accepted encoding."""
    check_size(len(raw), name)
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    used_fallback = False
    try:
        text = raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding is not None or not fallback:
            what = encoding.upper().replace("-SIG", "") if encoding else "UTF-8"
            line = _line_of(raw, exc.start) if encoding in (None, "utf-8-sig") else None
            place = f"line {line}" if line else f"byte {exc.start + 1}"
            raise refuse(name, f"it is not valid {what} text.", place) from None
        text = raw.decode("cp1252", errors="replace")
        used_fallback = True
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise refuse(name, "it is not a text file (it holds NUL characters).", f"line {line}")
    return text, used_fallback


def json_entries(text: str, name: str, what: str) -> list[Any]:
    """The ``entries`` list of a JSON export (jrnl's and Day One's share this shape);
    ``what`` names the export in messages ("a jrnl export")."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise refuse(name, "it is not valid JSON.", f"line {exc.lineno}, column "
                                                    f"{exc.colno}") from None
    except RecursionError:
        raise refuse(name, f"it nests too deeply to be {what}.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise refuse(name, f"it is JSON but not {what} (no list of 'entries').")
    entries: list[Any] = doc["entries"]
    return entries


def fallback_warning(name: str) -> str:
    return (f"{name} is not UTF-8; it was read as Windows-1252 (Western European). "
            "Check a few accented letters after the import.")


# --------------------------------------------------------------------------- dates


def local_zone() -> dt.tzinfo:
    zone = dt.datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def as_local(value: dt.datetime) -> dt.datetime:
    """A time without a zone, taken as local time (the zone in effect on that day)."""
    return value.astimezone() if value.tzinfo is None else value


def zone_warning(count: int) -> str | None:
    if not count:
        return None
    entries = "1 entry has" if count == 1 else f"{count:,} entries have"
    return (f"{entries} a time without a time zone; taken as local time on this "
            "computer.")


# --------------------------------------------------------------------------- uids


def stable_uid(kind: SourceKind, key: str) -> str:
    """32 hex digits, like every uid: the same for the same source entry every time."""
    return uuid.uuid5(_NAMESPACE, f"{kind.value}\0{key}").hex


def unique_keys(keys: Iterable[str]) -> list[str]:
    """Keys made unique by order of appearance: a second entry with the same key (two jrnl
    entries with the same minute and title) gets ``#2`` after it, a third ``#3``."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return out


def clean_tags(raw: Iterable[str]) -> tuple[str, ...]:
    """Tags without their ``@``/``#`` sign, normalised as the journal keeps them."""
    tags: dict[str, None] = {}
    for item in raw:
        tag = normalize_tag(item.lstrip("@#"))
        if tag:
            tags.setdefault(tag, None)
    return tuple(tags)


# --------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class ImportChoices:
    """What the person chose in the preview: the tags to keep (None: all) and whether the
    imported entries are private."""

    keep_tags: frozenset[str] | None = None
    private: bool = False


def _entry(item: SourceEntry, uid: str, choices: ImportChoices, place: str,
           name: str) -> Entry:
    try:
        for value, what in ((item.title, "title"), (item.body, "text")):
            check_text(value, what)
        for tag in item.tags:
            check_text(tag, "tag")
        check_date(item.created_at, "date")
        if item.updated_at is not None:
            check_date(item.updated_at, "date it was changed")
    except OutOfBoundsError as exc:
        raise refuse(name, str(exc), place) from None
    keep = choices.keep_tags
    tags = tuple(t for t in item.tags if keep is None or t in keep)
    return Entry(kind=EntryKind.FREE, title=item.title, body=item.body, tags=tags,
                 private=choices.private, created_at=item.created_at,
                 updated_at=item.updated_at or item.created_at, uid=uid)


def to_imported(source: ParsedSource, choices: ImportChoices | None = None,
                ) -> ImportedJournal:
    """The entries to merge (every value held to ``domain/bounds.py``)."""
    choices = choices or ImportChoices()
    entries = []
    for i, item in enumerate(source.entries, 1):
        uid = stable_uid(source.kind, item.key)
        entry = _entry(item, uid, choices, f"entry {i}", source.name)
        entries.append(ImportedEntry(entry))
    return ImportedJournal(entries=tuple(entries))


def _same_words(a: Entry, b: Entry) -> bool:
    return (a.title, a.body) == (b.title, b.body) and \
        a.created_at.replace(microsecond=0) == b.created_at.replace(microsecond=0)


def split_known(imported: ImportedJournal,
                stored: Callable[[Iterable[str]], Mapping[str, Entry]],
                ) -> tuple[ImportedJournal, int]:
    """The entries still to merge, and how many are already here with the same title,
    text and time. Those are left out whatever their tags and private flag: the person
    may have changed either, here or in the preview's choices, and a second import of
    the same source must not then add them again as copies. ``stored`` gives the
    journal's entries among some uids, by uid (``JournalRepository.entries_by_uid``)."""
    here_by_uid = stored(item.entry.uid for item in imported.entries if item.entry.uid)
    rest = []
    known = 0
    for item in imported.entries:
        here = here_by_uid.get(item.entry.uid) if item.entry.uid else None
        if here is not None and _same_words(here, item.entry):
            known += 1
        else:
            rest.append(item)
    return ImportedJournal(entries=tuple(rest)), known


def batches(imported: ImportedJournal, size: int) -> list[ImportedJournal]:
    """``imported`` in parts of ``size`` entries, to merge a little at a time."""
    items = imported.entries
    return [ImportedJournal(entries=items[i:i + size]) for i in range(0, len(items), size)]


def combined(results: Sequence[ImportResult]) -> ImportResult:
    total = ImportResult()
    for result in results:
        for name, value in vars(result).items():
            setattr(total, name, getattr(total, name) + value)
    return total
