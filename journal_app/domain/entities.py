"""What a journal holds, as plain dataclasses. No Qt, no SQLAlchemy."""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field, replace
from typing import Any


class EntryKind(enum.StrEnum):
    PREPARATION = "preparation"
    INTEGRATION = "integration"
    FREE = "free"
    CHECK_IN = "check-in"
    QUICK_CAPTURE = "quick-capture"


class Modality(enum.StrEnum):
    IV_INFUSION = "iv-infusion"
    IM_INJECTION = "im-injection"
    ORAL = "oral"
    SUBLINGUAL = "sublingual"
    NASAL_ESKETAMINE = "nasal-esketamine"
    OTHER = "other"


class Setting(enum.StrEnum):
    CLINIC = "clinic"
    HOME = "home"


def now() -> dt.datetime:
    """The current local time, with its UTC offset."""
    return dt.datetime.now().astimezone()


def local(value: dt.datetime, zone: dt.tzinfo | None = None) -> dt.datetime:
    """``value`` in the local time zone (or ``zone``), for showing it. A time at the very
    edge of what datetime can hold (year 1 or 9999, from an old journal) can't always be
    moved to another zone; it is then shown in its own zone rather than stopping the page."""
    try:
        return value.astimezone(zone)
    except (OverflowError, ValueError, OSError):
        return value


def aware(value: dt.datetime) -> dt.datetime:
    """A datetime with a time zone; naive values are taken as local time."""
    return value if value.tzinfo is not None else value.astimezone()


_TAG_SPACE = re.compile(r"\s+")
MAX_TAG_LEN = 60


def normalize_tag(raw: str) -> str:
    """Tags are trimmed, single-spaced, lower case, without a leading '#'. Normalising
    twice gives the same tag ("# #a" is "a", not "#a"; a cut at the length limit leaves
    no trailing space), so a stored tag reads back as itself."""
    tag = raw
    while True:
        again = _TAG_SPACE.sub(" ", tag.strip().lstrip("#").strip()).lower()[:MAX_TAG_LEN]
        if again == tag:
            return tag
        tag = again


def normalize_tags(raw: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in raw:
        tag = normalize_tag(item)
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


@dataclass(frozen=True)
class Entry:
    """One journal entry. ``id`` is None until stored; ``uid`` is stable across journals."""

    kind: EntryKind
    # Journal text stays out of reprs, so it can't reach a traceback or a log.
    title: str = field(repr=False)
    body: str = field(repr=False)
    tags: tuple[str, ...] = field(default=(), repr=False)
    private: bool = False
    created_at: dt.datetime = field(default_factory=now)
    updated_at: dt.datetime = field(default_factory=now)
    session_id: int | None = None
    id: int | None = None
    uid: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", EntryKind(self.kind))
        object.__setattr__(self, "tags", normalize_tags(list(self.tags)))
        object.__setattr__(self, "created_at", aware(self.created_at))
        object.__setattr__(self, "updated_at", aware(self.updated_at))

    def edited(self, **changes: Any) -> Entry:
        """A copy with ``changes`` applied and ``updated_at`` set to now."""
        return replace(self, updated_at=now(), **changes)

    @property
    def display_title(self) -> str:
        return display_title_of(self.title, self.body)


def display_title_of(title: str, body: str) -> str:
    """The title, or else the first line of the body (headings unmarked), at most 80 chars."""
    if title.strip():
        return title.strip()
    first = next((line.strip("# ").strip() for line in body.splitlines() if line.strip()), "")
    return first[:80]


HEAD_BODY_CHARS = 200  # of the body, after leading blank space: enough for a display title
HEAD_SKIPPED = " \t\r\n"  # the blank space skipped before those characters


@dataclass(frozen=True)
class EntryHead:
    """What a list of entries shows: an entry without its body (only the start of it, for
    the display title) and without tags. Load the whole :class:`Entry` to edit it."""

    id: int
    kind: EntryKind
    title: str = field(repr=False)
    body_start: str = field(repr=False)
    created_at: dt.datetime
    private: bool = False
    session_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", EntryKind(self.kind))
        object.__setattr__(self, "created_at", aware(self.created_at))

    @property
    def display_title(self) -> str:
        return display_title_of(self.title, self.body_start)

    @classmethod
    def of(cls, entry: Entry) -> EntryHead:
        """The head of a stored entry (``entry.id`` is set)."""
        if entry.id is None:
            raise ValueError("only a stored entry has a head")
        return cls(entry.id, entry.kind, entry.title,
                   entry.body.lstrip(HEAD_SKIPPED)[:HEAD_BODY_CHARS],
                   entry.created_at, entry.private, entry.session_id)


@dataclass(frozen=True)
class TreatmentSession:
    """A ketamine treatment session in the course."""

    starts_at: dt.datetime
    modality: Modality = Modality.IV_INFUSION
    setting: Setting = Setting.CLINIC
    number: int | None = None
    provider: str = field(default="", repr=False)
    notes: str = field(default="", repr=False)
    id: int | None = None
    uid: str | None = None
    created_at: dt.datetime = field(default_factory=now)
    updated_at: dt.datetime = field(default_factory=now)

    def __post_init__(self) -> None:
        object.__setattr__(self, "modality", Modality(self.modality))
        object.__setattr__(self, "setting", Setting(self.setting))
        object.__setattr__(self, "starts_at", aware(self.starts_at))
        object.__setattr__(self, "created_at", aware(self.created_at))
        object.__setattr__(self, "updated_at", aware(self.updated_at))
        if self.number is not None and self.number < 1:
            raise ValueError("a session's number in the course starts at 1")


@dataclass(frozen=True)
class SearchHit:
    entry: Entry
    snippet: str = field(repr=False)
    rank: float


@dataclass(frozen=True)
class JournalStats:
    generation: int
    entries: int
    sessions: int
    schema_revision: str
