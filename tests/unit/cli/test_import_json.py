"""``journal-app import PATH FILE`` with our own JSON export (issue 13): a file with a value
out of bounds is refused with exit 2 and the journal's bytes unchanged; a conflict keeps
both and says so. The parsing and merging behind it: tests/unit/test_import_conflicts.py,
whose export-file builders these tests share."""

from __future__ import annotations

import json

import pytest

from tests.unit.cli.support import FAST_KDF_ARGS, Snapshot
from tests.unit.test_import_conflicts import (
    OUT_OF_BOUNDS,
    SECRET,
    days_later,
    entry,
    file_text,
)


@pytest.mark.parametrize("name", ["entry created year 1", "entry updated year 9999",
                                  "session date year 1", "session date year 9999",
                                  "check-in taken year 1", "check-in created year 9999",
                                  "lone surrogate in a body", "2**70 session number",
                                  "5000-digit id", "deep nesting"])
def test_the_import_verb_refuses_with_exit_2_and_leaves_the_journal(cli, course_journal, tmp_path,
                                                                   name):
    file = tmp_path / "in.json"
    file.write_text(OUT_OF_BOUNDS[name], encoding="utf-8", errors="surrogatepass")
    before = Snapshot.of(course_journal)
    result = cli("import", course_journal, file)
    assert result.code == 2, result.err
    assert "unexpected" not in result.err and "Traceback" not in result.err
    assert SECRET not in result.err
    before.assert_unchanged(course_journal)


def test_the_import_verb_refuses_invalid_utf8_with_exit_2(cli, course_journal, tmp_path):
    file = tmp_path / "in.json"
    file.write_bytes(file_text(entries=[entry(body="ok")]).encode().replace(b'"ok"', b'"\xc3"'))
    before = Snapshot.of(course_journal)
    assert cli("import", course_journal, file).code == 2
    before.assert_unchanged(course_journal)


def test_the_import_verb_keeps_both_and_says_so(cli, course_journal, tmp_path):
    export = tmp_path / "export.json"
    assert cli("export", course_journal, "--format", "json", "--out", export,
               "--include-private").code == 0
    doc = json.loads(export.read_text(encoding="utf-8"))
    first = doc["entries"][0]
    doc["entries"][0] = dict(first, body="the other device's text",
                             updated_at=days_later(first["updated_at"]))
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc), encoding="utf-8")
    result = cli("import", course_journal, edited)
    assert result.code == 0, result.err
    assert "1 kept as a copy" in result.err
    assert "the other device's text" not in result.err
    again = cli("import", course_journal, edited)
    assert again.code == 0 and "0 new entries" in again.err and "kept as a copy" not in again.err
    fresh = tmp_path / "after.json"
    assert cli("export", course_journal, "--format", "json", "--out", fresh,
               "--include-private").code == 0
    bodies = [e["body"] for e in json.loads(fresh.read_text(encoding="utf-8"))["entries"]]
    assert first["body"] in bodies and "the other device's text" in bodies
    assert len(bodies) == len(doc["entries"]) + 1


def test_a_small_file_imports_into_a_fresh_journal(cli, tmp_path):
    """One entry into a new journal: "1 new entry", singular."""
    fresh = tmp_path / "fresh.ijournal"
    assert cli("init", fresh, *FAST_KDF_ARGS).code == 0
    file = tmp_path / "in.json"
    file.write_text(file_text(entries=[entry()]), encoding="utf-8")
    result = cli("import", fresh, file)
    assert result.code == 0 and "1 new entry" in result.err
