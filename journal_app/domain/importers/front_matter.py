"""A small strict reader of the YAML front matter Obsidian, Joplin and static-site tools put
at the top of a Markdown file: not YAML in full, only what those files use.

The block opens with ``---`` on the file's first line and closes with ``---`` or ``...``.
Inside, each field starts at the left margin as ``key: value``; lines after it that are
indented or start with ``-`` belong to it. The fields the importer uses (:data:`KNOWN`)
are read, and must be one of:

- a plain or quoted scalar: ``title: Walk``, ``title: "Walk: by the river"``;
- a flow list: ``tags: [calm, "river walk"]``;
- a block list: ``tags:`` then lines ``- calm``.

Every other field is kept as written (its lines, untouched), to stay in the entry's text;
an empty one (``author:`` with nothing after it) holds nothing and is dropped.
Anything else (a line that is neither a field nor part of one, a known field written in a
form above not listed) raises :class:`FrontMatterError` with the line number; the caller
then keeps the whole file as text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

KNOWN = frozenset({"title", "tags", "tag", "created", "date", "updated", "modified"})
_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w .-]*?)\s*:(?:\s+(?P<value>.*))?$")
_CLOSE = ("---", "...")


class FrontMatterError(ValueError):
    def __init__(self, line: int) -> None:
        super().__init__(f"front matter can't be read (line {line})")
        self.line = line


@dataclass
class FrontMatter:
    fields: dict[str, str | list[str]] = field(repr=False)
    kept: list[str] = field(repr=False)  # the lines of fields not read, as written
    body: str = field(repr=False)

    def kept_body(self) -> str:
        """The text for the entry: the body, after the fields that were not read."""
        if not self.kept:
            return self.body
        return "---\n" + "\n".join(self.kept) + "\n---\n" + self.body


def split(text: str) -> FrontMatter:
    """The front matter of ``text`` (``\\n`` line endings) and the body after it. Without
    an opening and a closing line, there is no front matter: all of it is body."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return FrontMatter({}, [], text)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _CLOSE), None)
    if end is None:
        return FrontMatter({}, [], text)
    fields: dict[str, str | list[str]] = {}
    kept: list[str] = []
    for start, group in _groups(lines[1:end]):
        match = _KEY.match(group[0])
        assert match is not None
        key = match["key"].strip().lower()
        if key in KNOWN and key not in fields:
            fields[key] = _value(match["value"], group[1:], start)
        elif (match["value"] or "").strip() or any(line.strip() for line in group[1:]):
            kept.extend(group)  # an empty field (Joplin's "author: ") holds nothing
    body = "\n".join(lines[end + 1:]).lstrip("\n")
    return FrontMatter(fields, kept, body)


def _groups(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Lines grouped by field, each with the file line number of its first line."""
    groups: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines, 2):
        if not line.strip() or line.lstrip().startswith("#"):
            if groups:
                groups[-1][1].append(line)
            continue
        if line[0] not in " \t-" and _KEY.match(line):
            groups.append((number, [line]))
        elif groups and (line[0] in " \t" or line.startswith("-")):
            groups[-1][1].append(line)
        else:
            raise FrontMatterError(number)
    return groups


def _value(value: str | None, rest: list[str], line: int) -> str | list[str]:
    items = [r for r in rest if r.strip() and not r.lstrip().startswith("#")]
    if value is None or not value.strip():
        if not items:
            return ""
        if not all(r.lstrip().startswith("- ") or r.strip() == "-" for r in items):
            raise FrontMatterError(line + 1)
        return [_scalar(r.lstrip()[1:].strip(), line) for r in items]
    if items:
        raise FrontMatterError(line + 1)  # a multi-line scalar: not read here
    value = value.strip()
    if value.startswith("["):
        if not value.endswith("]") or "[" in value[1:] or "]" in value[:-1]:
            raise FrontMatterError(line)
        inner = value[1:-1].strip()
        return [_scalar(part.strip(), line) for part in _split_flow(inner, line)] \
            if inner else []
    if value[0] in "{|>&*!%@`":
        raise FrontMatterError(line)
    return _scalar(value, line)


def _split_flow(inner: str, line: int) -> list[str]:
    parts, current, quote = [], "", ""
    for char in inner:
        if quote:
            current += char
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
            current += char
        elif char == ",":
            parts.append(current)
            current = ""
        else:
            current += char
    if quote:
        raise FrontMatterError(line)
    parts.append(current)
    return [p for p in parts if p.strip()]


def _scalar(value: str, line: int) -> str:
    if value.startswith('"'):
        try:
            text = json.loads(value)
        except ValueError:
            raise FrontMatterError(line) from None
        if not isinstance(text, str):
            raise FrontMatterError(line)
        return text
    if value.startswith("'"):
        if len(value) < 2 or not value.endswith("'"):
            raise FrontMatterError(line)
        return value[1:-1].replace("''", "'")
    return re.sub(r"\s+#.*$", "", value).strip()
