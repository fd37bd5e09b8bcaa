"""What an import would bring, before anything is written: the preview the GUI shows and
``import --dry-run`` prints. Counts, the date range, tags with how many entries carry
each, a few titles (for the person's own eyes: the GUI shows them, messages never do),
what is left out and why, and warnings (times taken as local time, a text fallback)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from journal_app.domain.entities import display_title_of, local
from journal_app.domain.importers.common import ParsedSource, Skipped, SourceKind

SAMPLE_SIZE = 5


@dataclass(frozen=True)
class Preview:
    kind: SourceKind
    name: str
    entries: int
    first: dt.date | None
    last: dt.date | None
    tags: tuple[tuple[str, int], ...] = field(repr=False)  # most used first
    sample: tuple[str, ...] = field(repr=False)  # a few titles, oldest first
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    local_times: int = 0  # entries whose times had no zone (taken as local time)

    @property
    def tag_names(self) -> frozenset[str]:
        return frozenset(tag for tag, _count in self.tags)


def _spread(items: list[str], size: int) -> tuple[str, ...]:
    """``size`` items spread over the list (its first and last among them)."""
    if len(items) <= size:
        return tuple(items)
    step = (len(items) - 1) / (size - 1)
    return tuple(items[round(i * step)] for i in range(size))


def make_preview(source: ParsedSource) -> Preview:
    ordered = sorted(source.entries, key=lambda e: e.created_at)
    days = [local(e.created_at).date() for e in ordered]
    tags = Counter(tag for entry in source.entries for tag in entry.tags)
    titles = [display_title_of(e.title, e.body) or "(untitled)" for e in ordered]
    return Preview(
        kind=source.kind, name=source.name, entries=len(source.entries),
        first=days[0] if days else None, last=days[-1] if days else None,
        tags=tuple(sorted(tags.items(), key=lambda item: (-item[1], item[0]))),
        sample=_spread(titles, SAMPLE_SIZE), skipped=tuple(source.skipped),
        warnings=tuple(source.warnings),
        local_times=sum(1 for e in source.entries if not e.zone_known))
