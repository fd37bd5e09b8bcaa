"""Bringing in a journal kept elsewhere: jrnl, Day One, a folder of Markdown files.

:func:`read_source` reads a file or folder into a :class:`~.common.ParsedSource` (pure
reading: nothing is written); ``preview.make_preview`` says what it holds;
``common.to_imported`` makes the entries the journal merges (by uid: a source imported
twice adds nothing the second time).
"""

from __future__ import annotations

import re
from pathlib import Path

from journal_app.domain.importers import dayone, jrnl, markdown_folder
from journal_app.domain.importers.common import (
    ParsedSource,
    SourceError,
    SourceKind,
    check_size,
    refuse,
)

_SNIFF_BYTES = 64 * 1024
_JRNL_LINE = re.compile(rb"(?m)^\[\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}")


def guess_kind(path: Path) -> SourceKind | None:
    """The kind of source ``path`` most likely is, from its name and first bytes; None
    when it can't be told (the person chooses)."""
    if path.is_dir():
        return SourceKind.MARKDOWN
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04"):
        return SourceKind.DAYONE
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        if b'"creationDate"' in head or b'"uuid"' in head:
            return SourceKind.DAYONE
        if b'"entries"' in head:
            return SourceKind.JRNL
        return None
    if _JRNL_LINE.search(head) or text.startswith(b"gAAAAA"):
        return SourceKind.JRNL
    return None


def _read(path: Path) -> bytes:
    try:
        check_size(path.stat().st_size, path.name)
        return path.read_bytes()
    except OSError as exc:
        raise refuse(path.name, f"it can't be read ({exc.strerror}).") from None


def read_source(path: Path, kind: SourceKind) -> ParsedSource:
    """Read ``path`` as ``kind``. Raises :class:`SourceError` naming the file and place."""
    if kind is SourceKind.MARKDOWN:
        if path.is_dir():
            return markdown_folder.parse_folder(path)
        raise refuse(path.name, "a Markdown import reads a folder; choose the folder "
                                "that holds the files.")
    if path.is_dir():
        raise refuse(path.name, "it is a folder; choose the export file.")
    raw = _read(path)
    if kind is SourceKind.JRNL:
        return jrnl.parse(raw, path.name)
    return dayone.parse(raw, path.name)


__all__ = ["ParsedSource", "SourceError", "SourceKind", "guess_kind", "read_source"]
