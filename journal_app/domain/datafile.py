"""Reading the app's own data files (TOML under ``resources/``) with precise error messages.

One reader for every data file: measures, crisis resources, prompts, practices and the
schedule. Every problem is a :class:`DataFileError` that names the file and, where it can be
told, the line (``<file>, line <n>: <what> "<id>": <problem>``), so whoever edits a data file
can go straight to the spot. Data files hold only the app's own wording, never journal
content, so naming ids and fields in messages is safe; values are not quoted.

tomllib reports syntax errors with the line in its message; for schema problems in
``[[table]]`` records (a missing field, an unknown value) we find the line ourselves: each
record starts with a ``[[table]]`` header, so the n-th record's block runs from the n-th
header to the next one. Nested tables are checked with :class:`Fields`, whose complaints
name the field path instead of a line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, TypeGuard, TypeVar, overload

from journal_app.errors import JournalError

__all__ = [
    "IDENTIFIER",
    "DataFileError",
    "DataSource",
    "Fields",
    "Record",
    "TomlDocument",
    "describe",
    "file_version",
    "read_document",
    "read_toml",
    "records",
]

DataSource = Path | Traversable

_T = TypeVar("_T")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


class DataFileError(JournalError):
    """A bundled or user-supplied data file is missing, unreadable or malformed.

    ``problem`` says what is wrong, after the line and column where they are known; it
    never names the file (its path may be the user's), so it is what logs may show.
    """

    def __init__(self, source: DataSource | str, problem: str, *, line: int | None = None,
                 column: int | None = None, record_id: str | None = None) -> None:
        self.source_name = describe(source)
        self.line = line
        self.column = column
        self.record_id = record_id
        where = ""
        if line:
            where = f"line {line}, column {column}: " if column else f"line {line}: "
        self.problem = where + problem
        separator = ", " if where else ": "
        super().__init__(f"{self.source_name}{separator}{self.problem}")


def describe(source: DataSource | str) -> str:
    """A short human name for a data file: its path when it has one, else its name."""
    if isinstance(source, str | Path):
        return str(source)
    return getattr(source, "name", None) or str(source)


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


def read_document(source: DataSource) -> TomlDocument:
    """Read and parse ``source``; every failure becomes a :class:`DataFileError`."""
    name = describe(source)
    try:
        raw = source.read_bytes()
    except FileNotFoundError as exc:
        raise DataFileError(name, "the file does not exist") from exc
    except OSError as exc:
        raise DataFileError(name, f"the file can't be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(name, "the file is not UTF-8 text") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(name, exc) from exc
    return TomlDocument(name, text, data)


def read_toml(source: DataSource) -> dict[str, Any]:
    """The parsed tables of one TOML file (see :func:`read_document`)."""
    return read_document(source).data


def _syntax_error(name: str, exc: tomllib.TOMLDecodeError) -> DataFileError:
    message = str(exc)
    found = _TOML_POSITION.search(message)
    line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
    column = getattr(exc, "colno", None) or (int(found.group(2)) if found else None)
    reason = _TOML_POSITION.sub("", message).strip()
    return DataFileError(name, f"not valid TOML ({reason})", line=line, column=column)


def _is_kind(value: object, kind: type[_T]) -> TypeGuard[_T]:
    """``isinstance``, except that true/false is not a number."""
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


class Fields:
    """Typed access to one TOML table; every complaint names the file and the field path."""

    def __init__(self, source: DataSource | str, table: Mapping[str, Any],
                 where: str = "") -> None:
        self.source = source
        self.table = table
        self.where = where

    def fail(self, problem: str) -> DataFileError:
        prefix = f"{self.where}: " if self.where else ""
        return DataFileError(self.source, prefix + problem)

    def _find(self, key: str, kind: type[_T], kind_name: str) -> _T | None:
        """The value of ``key`` if it is there (TOML has no null), checked to be ``kind``."""
        if key not in self.table:
            return None
        value = self.table[key]
        if not _is_kind(value, kind):
            raise self.fail(f"'{key}' must be {kind_name}")
        return value

    def _need(self, key: str, kind: type[_T], kind_name: str) -> _T:
        value = self._find(key, kind, kind_name)
        if value is None:
            raise self.fail(f"'{key}' is missing")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        """Non-empty text; required unless a ``default`` is given (which must not be empty
        either)."""
        if default is None:
            value = self._need(key, str, "text")
        else:
            found = self._find(key, str, "text")
            value = default if found is None else found
        if not value.strip():
            raise self.fail(f"'{key}' can't be empty")
        return value

    def optional_text(self, key: str) -> str:
        found = self._find(key, str, "text")
        return "" if found is None else found

    def integer(self, key: str, default: int | None = None) -> int:
        found = self._find(key, int, "a whole number")
        if found is not None:
            return found
        if default is None:
            raise self.fail(f"'{key}' is missing")
        return default

    def boolean(self, key: str, default: bool = False) -> bool:
        found = self._find(key, bool, "true or false")
        return default if found is None else found

    def table_list(self, key: str, *, required: bool = True) -> list[Fields]:
        values = (self._need(key, list, "a list of tables") if required
                  else self._find(key, list, "a list of tables") or [])
        out = []
        for index, value in enumerate(values, start=1):
            if not isinstance(value, dict):
                raise self.fail(f"'{key}' entry {index} must be a table")
            out.append(Fields(self.source, value, self._child(f"{key} {index}")))
        return out

    @overload
    def sub(self, key: str, *, required: Literal[True]) -> Fields: ...

    @overload
    def sub(self, key: str, *, required: bool = False) -> Fields | None: ...

    def sub(self, key: str, *, required: bool = False) -> Fields | None:
        value = (self._need(key, dict, "a table") if required
                 else self._find(key, dict, "a table"))
        return None if value is None else Fields(self.source, value, self._child(key))

    def int_list(self, key: str) -> list[int]:
        values = self._find(key, list, "a list of whole numbers") or []
        if not all(_is_kind(v, int) for v in values):
            raise self.fail(f"'{key}' must be a list of whole numbers")
        return values

    def _child(self, name: str) -> str:
        return f"{self.where}, {name}" if self.where else name


class Record:
    """Typed access to one ``[[table]]`` record; every complaint names file, line and id."""

    def __init__(self, doc: TomlDocument, table: str, index: int, values: object,
                 allowed: frozenset[str]) -> None:
        self.doc = doc
        self.table = table
        self.index = index
        self.id: str | None = None
        if not isinstance(values, dict):
            raise self.fail(f"[[{table}]] number {index + 1} must be a table")
        self.values: dict[str, Any] = values
        raw_id = values.get("id")
        self.id = raw_id if isinstance(raw_id, str) else None
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise self.fail(f"unknown field '{unknown[0]}'", key=unknown[0])

    def fail(self, problem: str, *, key: str | None = None) -> DataFileError:
        line = self.doc.record_line(self.table, self.index, key or "id")
        label = f'{self.table} "{self.id}"' if self.id else f"{self.table} number {self.index + 1}"
        return DataFileError(self.doc.name, f"{label}: {problem}", line=line,
                             record_id=self.id)

    def _value(self, key: str, kind: type[_T], kind_name: str, *, required: bool,
               default: _T) -> _T:
        if key not in self.values:
            if required:
                raise self.fail(f"missing field '{key}'")
            return default
        value = self.values[key]
        if not _is_kind(value, kind):
            raise self.fail(f"'{key}' must be {kind_name}", key=key)
        return value

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self._value(key, str, "text", required=required, default=default)
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
        return self._value(key, int, "a whole number", required=required, default=default)

    def flag(self, key: str) -> bool:
        return self._value(key, bool, "true or false", required=False, default=False)

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
        raise DataFileError(doc.name, f"no [[{table}]] records found")
    return [Record(doc, table, index, value, allowed) for index, value in enumerate(values)]


def file_version(doc: TomlDocument) -> int:
    """The top-level ``version`` every care data file declares (a positive whole number)."""
    value = doc.data.get("version")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DataFileError(doc.name, "the top-level 'version' must be a whole number above 0",
                            line=doc.top_line("version"))
    return value
