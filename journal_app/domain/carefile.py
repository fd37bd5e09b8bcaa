"""Reading the care data files (prompts, schedule, practices) with errors that point at a line.

Every problem is reported as ``<file>, line <n>: <what> "<id>": <problem>`` so whoever edits
a data file can go straight to the spot. The files hold only the app's own wording, never
journal content, so naming ids and fields in messages is safe.

tomllib reports syntax errors with the line in its message; for schema problems (a missing
field, an unknown value) we find the line ourselves: each record starts with a ``[[table]]``
header, so the n-th record's block runs from the n-th header to the next one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from journal_app.errors import JournalError

Source = Path | Traversable

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


class CareDataError(JournalError):
    """A care data file is missing, not valid TOML, or does not match its schema."""

    def __init__(self, file: str, problem: str, *, line: int | None = None,
                 column: int | None = None, record_id: str | None = None) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.record_id = record_id
        self.problem = problem
        where = f"{file}, line {line}" if line else file
        if line and column:
            where += f", column {column}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class TomlDocument:
    """A parsed TOML file plus its text, so records can be traced back to lines."""

    name: str
    text: str
    data: dict[str, Any]

    def record_line(self, table: str, index: int, key: str | None = None) -> int | None:
        """Line of ``key = ...`` inside the ``index``-th ``[[table]]`` block (0-based), or of
        the block's header when ``key`` is absent or not found there."""
        lines = self.text.splitlines()
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        starts = [n for n, line in enumerate(lines) if header.match(line)]
        if index >= len(starts):
            return None
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        if key is not None:
            assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for n in range(start, end):
                if assignment.match(lines[n]):
                    return n + 1
        return start + 1

    def top_line(self, key: str) -> int | None:
        """Line of a top-level ``key = ...`` (before the first table header)."""
        assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for n, line in enumerate(self.text.splitlines()):
            if line.lstrip().startswith("["):
                break
            if assignment.match(line):
                return n + 1
        return None


def source_name(source: Source) -> str:
    return str(source)


def read_document(source: Source) -> TomlDocument:
    """Read and parse ``source``; every failure becomes a :class:`CareDataError`."""
    name = source_name(source)
    try:
        raw = source.read_bytes()
    except FileNotFoundError as exc:
        raise CareDataError(name, "the file does not exist") from exc
    except OSError as exc:
        raise CareDataError(name, f"the file can't be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CareDataError(name, "the file is not UTF-8 text") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(name, exc) from exc
    return TomlDocument(name, text, data)


def _syntax_error(name: str, exc: tomllib.TOMLDecodeError) -> CareDataError:
    message = str(exc)
    found = _TOML_POSITION.search(message)
    line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
    column = getattr(exc, "colno", None) or (int(found.group(2)) if found else None)
    reason = _TOML_POSITION.sub("", message).strip()
    return CareDataError(name, f"not valid TOML ({reason})", line=line, column=column)


class Record:
    """Typed access to one ``[[table]]`` record; every complaint names file, line and id."""

    def __init__(self, doc: TomlDocument, table: str, index: int, values: Any,
                 allowed: frozenset[str]) -> None:
        self.doc = doc
        self.table = table
        self.index = index
        if not isinstance(values, dict):
            raise self.fail(f"[[{table}]] number {index + 1} must be a table")
        self.values: dict[str, Any] = values
        raw_id = values.get("id")
        self.id = raw_id if isinstance(raw_id, str) else None
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise self.fail(f"unknown field '{unknown[0]}'", key=unknown[0])

    def fail(self, problem: str, *, key: str | None = None) -> CareDataError:
        line = self.doc.record_line(self.table, self.index, key or "id")
        label = f'{self.table} "{self.id}"' if self.id else f"{self.table} number {self.index + 1}"
        return CareDataError(self.doc.name, f"{label}: {problem}", line=line,
                             record_id=self.id)

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        if key not in self.values:
            if required:
                raise self.fail(f"missing field '{key}'")
            return default
        value = self.values[key]
        if not isinstance(value, str):
            raise self.fail(f"'{key}' must be text", key=key)
        if required and not value.strip():
            raise self.fail(f"'{key}' can't be empty", key=key)
        return value

    def identifier(self, key: str = "id") -> str:
        value = self.text(key)
        if not IDENTIFIER.match(value) or len(value) > 40:
            raise self.fail(f"'{key}' must be lower-case letters, digits and '_' "
                            "(at most 40)", key=key)
        return value

    def integer(self, key: str, *, required: bool = True, default: int = 0) -> int:
        if key not in self.values:
            if required:
                raise self.fail(f"missing field '{key}'")
            return default
        value = self.values[key]
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"'{key}' must be a whole number", key=key)
        return value

    def flag(self, key: str) -> bool:
        value = self.values.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false", key=key)
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            raise self.fail(f"unknown {key} '{value}' (expected one of: "
                            f"{', '.join(allowed)})", key=key)
        return value


def records(doc: TomlDocument, table: str, allowed: frozenset[str]) -> list[Record]:
    """The ``[[table]]`` records of ``doc``; at least one is required."""
    values = doc.data.get(table)
    if not isinstance(values, list) or not values:
        raise CareDataError(doc.name, f"no [[{table}]] records found")
    return [Record(doc, table, index, value, allowed) for index, value in enumerate(values)]


def file_version(doc: TomlDocument) -> int:
    """The top-level ``version`` every care data file declares (a positive whole number)."""
    value = doc.data.get("version")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CareDataError(doc.name, "the top-level 'version' must be a whole number above 0",
                            line=doc.top_line("version"))
    return value
