"""Reading the app's own data files (TOML under ``resources/``) with precise error messages.

A malformed data file is reported with its name and what is wrong (tomllib's message
carries the line and column), never with any journal content: data files hold none.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from journal_app.errors import JournalError

DataSource = Path | Traversable


class DataFileError(JournalError):
    """A bundled or user-supplied data file is missing, unreadable or malformed."""

    def __init__(self, source: DataSource | str, problem: str) -> None:
        self.source_name = describe(source)
        self.problem = problem
        super().__init__(f"{self.source_name}: {problem}")


def describe(source: DataSource | str) -> str:
    """A short human name for a data file: its path when it has one, else its name."""
    if isinstance(source, str | Path):
        return str(source)
    return getattr(source, "name", None) or str(source)


def read_toml(source: DataSource) -> dict[str, Any]:
    """Parse one TOML file, turning every failure into a :class:`DataFileError`."""
    try:
        raw = source.read_bytes()
    except FileNotFoundError as exc:
        raise DataFileError(source, "the file does not exist") from exc
    except OSError as exc:
        raise DataFileError(source, f"the file can't be read ({exc.strerror})") from exc
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFileError(source, "the file is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(source, f"not valid TOML: {exc}") from exc


class Fields:
    """Typed access to one TOML table; every complaint names the file and the field path."""

    def __init__(self, source: DataSource, table: Mapping[str, Any], where: str = "") -> None:
        self.source = source
        self.table = table
        self.where = where

    def fail(self, problem: str) -> DataFileError:
        prefix = f"{self.where}: " if self.where else ""
        return DataFileError(self.source, prefix + problem)

    def _get(self, key: str, kinds: type | tuple[type, ...], kind_name: str,
             default: Any, required: bool) -> Any:
        if key not in self.table:
            if required:
                raise self.fail(f"'{key}' is missing")
            return default
        value = self.table[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool):
            raise self.fail(f"'{key}' must be {kind_name}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        value = self._get(key, str, "text", default, default is None)
        if not value.strip():
            raise self.fail(f"'{key}' can't be empty")
        return value

    def optional_text(self, key: str) -> str:
        return self._get(key, str, "text", "", required=False)

    def integer(self, key: str, default: int | None = None) -> int:
        return self._get(key, int, "a whole number", default, default is None)

    def boolean(self, key: str, default: bool = False) -> bool:
        return self._get(key, bool, "true or false", default, required=False)

    def table_list(self, key: str, *, required: bool = True) -> list[Fields]:
        values = self._get(key, list, "a list of tables", [], required)
        out = []
        for index, value in enumerate(values, start=1):
            if not isinstance(value, dict):
                raise self.fail(f"'{key}' entry {index} must be a table")
            out.append(Fields(self.source, value, self._child(f"{key} {index}")))
        return out

    def sub(self, key: str, *, required: bool = False) -> Fields | None:
        value = self._get(key, dict, "a table", None, required)
        return None if value is None else Fields(self.source, value, self._child(key))

    def int_list(self, key: str) -> list[int]:
        values = self._get(key, list, "a list of whole numbers", [], required=False)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise self.fail(f"'{key}' must be a list of whole numbers")
        return values

    def _child(self, name: str) -> str:
        return f"{self.where}, {name}" if self.where else name
