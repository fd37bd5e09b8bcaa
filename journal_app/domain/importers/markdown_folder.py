"""A folder of Markdown files (Obsidian, Joplin's "Markdown + Front Matter" export, or
plain notes): one file, one entry.

Files read: ``.md``, ``.markdown``, ``.mdown`` and ``.txt``, in the folder and below it;
hidden files and folders (``.obsidian``, ``.trash``, ``.git``) and symbolic links are
left alone, other files (pictures, PDFs) are counted in the preview as not imported.

A file may open with YAML front matter (``---`` … ``---``). It is read by a small strict
reader (``front_matter.py``); what it understands is used: ``title``, ``tags`` (or
``tag``), ``created`` or ``date``, ``updated`` or ``modified``. Other fields are kept: they
stay at the top of the entry's text as front matter, so nothing is lost. Front matter the
reader can't follow is left in the text as it was, and the preview names the file and line.

Without front matter: the file name (without its extension) is the title and the file's
modification time the date. Obsidian's inline ``#tags`` (a ``#`` right before a word that
has a letter, outside code blocks) become tags too; the text is kept exactly.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from journal_app.domain.importers import front_matter
from journal_app.domain.importers.common import (
    MAX_ENTRIES,
    MAX_SOURCE_BYTES,
    ParsedSource,
    Skipped,
    SourceEntry,
    SourceKind,
    clean_tags,
    decode,
    fallback_warning,
    refuse,
    zone_warning,
)

SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".txt"})
_INLINE_TAG = re.compile(r"(?<![\w#&/\\])#([^\W\d][\w/-]*|\d+[^\W\d][\w/-]*)")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class MarkdownFile:
    """One file of the folder: its path inside the folder (``/``-separated), bytes and
    modification time."""

    path: str
    raw: bytes = field(repr=False)
    modified: dt.datetime


@dataclass
class FolderContents:
    files: list[MarkdownFile] = field(default_factory=list)
    others: Counter[str] = field(default_factory=Counter)


def read_folder(folder: Path) -> FolderContents:
    """The Markdown files under ``folder``, held to the caps (common.py) while reading."""
    if not folder.is_dir():
        raise refuse(folder.name, "it is not a folder.")
    contents = FolderContents()
    total = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file_name in sorted(names):
            path = Path(root, file_name)
            if file_name.startswith(".") or path.is_symlink():
                continue
            if path.suffix.lower() not in SUFFIXES:
                contents.others[path.suffix.lower() or "(none)"] += 1
                continue
            relative = path.relative_to(folder).as_posix()
            if len(contents.files) >= MAX_ENTRIES:
                raise refuse(folder.name, f"it holds more than {MAX_ENTRIES:,} files; "
                                          "import it in parts.")
            try:
                stat = path.stat()
                total += stat.st_size
                if total > MAX_SOURCE_BYTES:
                    raise refuse(folder.name, "its files are larger than "
                                              f"{MAX_SOURCE_BYTES // (1024 * 1024)} MB "
                                              "together; import it in parts.")
                raw = path.read_bytes()
            except OSError as exc:
                raise refuse(folder.name, f"a file can't be read ({exc.strerror}).",
                             relative) from None
            when = dt.datetime.fromtimestamp(stat.st_mtime).astimezone()
            contents.files.append(MarkdownFile(relative, raw, when))
    return contents


def parse_folder(folder: Path) -> ParsedSource:
    return parse(read_folder(folder), folder.name)


def parse(contents: FolderContents, name: str) -> ParsedSource:
    source = ParsedSource(SourceKind.MARKDOWN, name)
    local = 0
    for item in contents.files:
        entry = _entry(item, source)
        if entry is None:
            continue
        local += not entry.zone_known
        source.add(entry, item.path)
    if contents.others:
        count = sum(contents.others.values())
        kinds = ", ".join(sorted(contents.others)[:6])
        files = "1 other file" if count == 1 else f"{count} other files"
        source.skipped.append(Skipped("the folder", f"{files}, not Markdown ({kinds})"))
    warning = zone_warning(local)
    if warning:
        source.warnings.append(warning)
    if not source.entries:
        source.warnings.append("The folder holds no Markdown files to import.")
    return source


def inline_tags(body: str) -> list[str]:
    tags: list[str] = []
    fenced = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and "#" in line:
            tags.extend(_INLINE_TAG.findall(line))
    return tags


def _entry(item: MarkdownFile, source: ParsedSource) -> SourceEntry | None:
    text, fell_back = decode(item.raw, item.path, fallback=True)
    if fell_back:
        source.warnings.append(fallback_warning(item.path))
    if not text.strip():
        source.skipped.append(Skipped(item.path, "the file is empty"))
        return None
    try:
        matter = front_matter.split(text)
    except front_matter.FrontMatterError as exc:
        source.warnings.append(f"{item.path}, line {exc.line}: its front matter can't be "
                               "read; it was kept in the text as it is.")
        matter = front_matter.FrontMatter({}, [], text)
    fields = matter.fields
    created, known = _date(fields, ("created", "date"), item, source)
    updated, _ = _date(fields, ("updated", "modified"), item, source)
    title = fields.get("title")
    if not isinstance(title, str) or not title.strip():
        title = PurePosixPath(item.path).stem
    tags = _tags(fields.get("tags", fields.get("tag")))
    return SourceEntry(key=item.path, title=title.strip(), body=matter.kept_body(),
                       created_at=created or item.modified,
                       updated_at=updated or (item.modified if created is None else None),
                       tags=clean_tags([*tags, *inline_tags(matter.body)]),
                       zone_known=known)


def _tags(value: object) -> Iterable[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int)]
    if isinstance(value, str):
        return [t for t in re.split(r"[,\s]+", value) if t]
    return []


def _date(fields: Mapping[str, object], keys: tuple[str, ...], item: MarkdownFile,
          source: ParsedSource) -> tuple[dt.datetime | None, bool]:
    """The first of ``keys`` present: its time, and whether it had a zone."""
    key = next((k for k in keys if k in fields), None)
    if key is None:
        return None, True
    value = fields[key]
    try:
        if not isinstance(value, str):
            raise ValueError
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        source.warnings.append(f"{item.path}: its '{key}' can't be read as a date; the "
                               "file's modification time was used.")
        return None, True
    return (when.astimezone(), False) if when.tzinfo is None else (when, True)
