"""JSON export → import into a new journal → export gives the same entries; import merges
by uid and never wipes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.report import ReportRequest, select_report
from journal_app.errors import TooNewError
from journal_app.export.json_format import ImportFileError, parse_export, render_json
from journal_app.storage.care import PromptAnswerRepository
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.database import Database
from journal_app.storage.json_import import merge_import
from journal_app.storage.report_source import gather_from
from journal_app.storage.repository import JournalRepository
from tests.helpers.report_journal import course_database

LOCAL_KEYS = {"id", "session_id", "check_in_id"}


def _empty() -> Database:
    db = Database()
    db.migrate()
    return db


def _export(db: Database) -> dict:
    data = select_report(gather_from(db), ReportRequest(include_private=True))
    return json.loads(render_json(data))


def _import(db: Database, text: str):
    return merge_import(JournalRepository(db), CheckInRepository(db),
                        PromptAnswerRepository(db), parse_export(text))


def _without_local_ids(value):
    if isinstance(value, dict):
        return {k: _without_local_ids(v) for k, v in value.items() if k not in LOCAL_KEYS}
    if isinstance(value, list):
        return [_without_local_ids(v) for v in value]
    return value


@pytest.fixture
def source():
    db, _course = course_database()
    yield db
    db.close()


def test_export_import_export_gives_the_same_journal(source):
    first = _export(source)
    target = _empty()
    result = _import(target, json.dumps(first))
    assert result.entries_added == len(first["entries"]) == 14
    assert result.sessions_added == 3 and result.check_ins_added == 20
    second = _export(target)
    for section in ("entries", "sessions", "check_ins", "safety_flags"):
        assert _without_local_ids(second[section]) == _without_local_ids(first[section]), section
    # Links to sessions survive although local ids may differ.
    assert {e["session_uid"] for e in second["entries"]} == \
        {e["session_uid"] for e in first["entries"]}
    # The answers came along: the intention still sits on page 1 of the new journal's report.
    summary = select_report(gather_from(target), ReportRequest()).sessions[0]
    assert summary.intention is not None


def test_importing_twice_adds_nothing_and_keeps_what_was_there(source):
    text = render_json(select_report(gather_from(source), ReportRequest(include_private=True)))
    target = _empty()
    own = JournalRepository(target).add_entry(Entry(EntryKind.FREE, "Mine", "already here"))
    _import(target, text)
    again = _import(target, text)
    assert (again.entries_added, again.sessions_added, again.check_ins_added) == (0, 0, 0)
    assert again.entries_unchanged == 14
    repo = JournalRepository(target)
    assert repo.count_entries() == 15
    assert repo.get_entry(own.id).body == "already here"


def test_a_different_text_in_the_file_never_replaces_the_entry_here(source):
    """Later or older: the entry here stays as it is, the file's version is added beside it
    as a marked copy (test_import_conflicts.py has the details)."""
    doc = _export(source)
    target = _empty()
    _import(target, json.dumps(doc))
    edited = dict(doc["entries"][0], body="edited later",
                  updated_at=(dt.datetime.fromisoformat(doc["entries"][0]["updated_at"])
                              + dt.timedelta(days=1)).isoformat())
    older = dict(doc["entries"][1], body="an old copy",
                 updated_at=(dt.datetime.fromisoformat(doc["entries"][1]["updated_at"])
                             - dt.timedelta(days=1)).isoformat())
    same = doc["entries"][2]
    result = _import(target, json.dumps(dict(doc, entries=[edited, older, same])))
    assert (result.entries_added, result.entries_copied, result.entries_unchanged) == (0, 2, 1)
    repo = JournalRepository(target)
    assert repo.find_entry_by_uid(edited["uid"]).body == doc["entries"][0]["body"]
    assert repo.find_entry_by_uid(older["uid"]).body == doc["entries"][1]["body"]
    bodies = [e.body for e in repo.list_entries()]
    assert "edited later" in bodies and "an old copy" in bodies


def test_private_entries_travel_only_when_included(source):
    doc = json.loads(render_json(select_report(gather_from(source), ReportRequest())))
    assert not any(e["private"] for e in doc["entries"])
    target = _empty()
    _import(target, json.dumps(doc))
    assert JournalRepository(target).count_entries() == 13


def test_a_list_json_document_imports_too():
    """``list --json`` writes the same entry shape; import reads it (no sessions there)."""
    from journal_app.domain import jsonformat as jf

    entry = Entry(EntryKind.FREE, "From list", "body", uid="c" * 32, id=9, session_id=4)
    target = _empty()
    result = _import(target, json.dumps(jf.document(entries=[jf.entry_to_dict(entry)])))
    assert result.entries_added == 1
    stored = JournalRepository(target).find_entry_by_uid("c" * 32)
    assert stored.session_id is None  # its session is not in the file


@pytest.mark.parametrize("text, problem", [
    ("not json", "not valid JSON"),
    ("[]", "not an Integration Journal export"),
    ('{"format": "other", "version": 1}', "not an Integration Journal export"),
    ('{"format": "integration-journal", "version": 1, "entries": [{"kind": "free"}]}',
     "'created_at' is not an ISO-8601 time"),
    ('{"format": "integration-journal", "version": 1, "entries": '
     '[{"kind": "SECRETKIND", "title": "", "body": "", "created_at": "x", "updated_at": "x"}]}',
     "a value is malformed"),
])
def test_malformed_files_are_refused_without_quoting_them(text, problem):
    with pytest.raises(ImportFileError) as caught:
        parse_export(text, name="x.json")
    assert problem in caught.value.message
    assert "SECRETKIND" not in caught.value.message


def test_a_newer_format_version_is_refused():
    with pytest.raises(TooNewError):
        parse_export('{"format": "integration-journal", "version": 99}')


def test_import_keeps_entry_fields_exactly(source):
    target = _empty()
    _import(target, json.dumps(_export(source)))
    for original in JournalRepository(source).list_entries():
        copy = JournalRepository(target).find_entry_by_uid(original.uid)
        same = {f.name for f in dataclasses.fields(Entry)} - {"id", "session_id"}
        assert {k: getattr(copy, k) for k in same} == {k: getattr(original, k) for k in same}
