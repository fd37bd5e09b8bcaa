"""Import never replaces nor silently drops what is already here (issue 13), and every value
it reads is held to domain/bounds.py: an out-of-range value refuses the whole file, with a
message that names the place and never the value, exit 2, the journal's bytes unchanged."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.report import ReportRequest, select_report
from journal_app.export.json_format import ImportBoundsError, parse_export, render_json
from journal_app.storage.care import PromptAnswerRepository
from journal_app.storage.checkins import CheckInRepository
from journal_app.storage.database import Database
from journal_app.storage.json_import import merge_import
from journal_app.storage.report_source import gather_from
from journal_app.storage.repository import JournalRepository
from tests.helpers.report_journal import course_database

SECRET = "SECRETTEXT-do-not-echo"


def _empty() -> Database:
    db = Database()
    db.migrate()
    return db


def _import(db: Database, doc: dict):
    return merge_import(JournalRepository(db), CheckInRepository(db),
                        PromptAnswerRepository(db), parse_export(json.dumps(doc)))


def days_later(stamp: str, days: int = 1) -> str:
    return (dt.datetime.fromisoformat(stamp) + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def doc():
    db, _course = course_database()
    data = select_report(gather_from(db), ReportRequest(include_private=True))
    yield json.loads(render_json(data))
    db.close()


@pytest.fixture
def target(doc):
    db = _empty()
    _import(db, doc)
    yield db
    db.close()


# --------------------------------------------------------------------------- entries


def test_a_later_edit_in_the_file_is_kept_beside_the_entry_here(doc, target):
    original = doc["entries"][0]
    edited = dict(original, body="edited later on another device",
                  updated_at=days_later(original["updated_at"]))
    result = _import(target, dict(doc, entries=[edited]))
    assert (result.entries_added, result.entries_unchanged, result.entries_copied) == (0, 0, 1)
    assert "1 kept as a copy" in result.summary()
    repo = JournalRepository(target)
    assert repo.find_entry_by_uid(original["uid"]).body == original["body"]
    copies = [e for e in repo.list_entries() if e.body == "edited later on another device"]
    assert len(copies) == 1
    copy = copies[0]
    assert copy.uid != original["uid"]
    assert original["title"] in copy.title and "imported copy" in copy.title
    assert "imported copy" in copy.tags
    assert set(original["tags"]) <= set(copy.tags)
    assert repo.count_entries() == len(doc["entries"]) + 1


def test_an_older_different_copy_in_the_file_is_kept_too(doc, target):
    original = doc["entries"][1]
    older = dict(original, body="an old version",
                 updated_at=days_later(original["updated_at"], days=-1))
    result = _import(target, dict(doc, entries=[older]))
    assert result.entries_copied == 1
    repo = JournalRepository(target)
    assert repo.find_entry_by_uid(original["uid"]).body == original["body"]
    assert any(e.body == "an old version" for e in repo.list_entries())


def test_importing_the_conflicting_file_again_adds_nothing(doc, target):
    edited = dict(doc["entries"][0], title="Changed title",
                  updated_at=days_later(doc["entries"][0]["updated_at"]))
    conflicting = dict(doc, entries=[edited])
    _import(target, conflicting)
    count = JournalRepository(target).count_entries()
    again = _import(target, conflicting)
    assert (again.entries_added, again.entries_copied, again.entries_unchanged) == (0, 0, 1)
    assert JournalRepository(target).count_entries() == count


def test_two_different_versions_give_two_copies(doc, target):
    base = doc["entries"][0]
    one = dict(base, body="version one")
    two = dict(base, body="version two")
    result = _import(target, dict(doc, entries=[one, two]))
    assert result.entries_copied == 2
    bodies = [e.body for e in JournalRepository(target).list_entries()]
    assert "version one" in bodies and "version two" in bodies


def test_the_same_text_with_a_later_stamp_is_already_here(doc, target):
    later = [dict(e, updated_at=days_later(e["updated_at"])) for e in doc["entries"]]
    result = _import(target, dict(doc, entries=later))
    assert result.entries_unchanged == len(doc["entries"])
    assert result.entries_copied == 0


@pytest.mark.parametrize("change", [
    {"title": "another title"}, {"tags": ["new-tag"]}, {"private": True},
    {"kind": "free"}, {"created_at": "2026-01-01T09:00:00-05:00"},
])
def test_each_part_of_the_content_counts(doc, target, change):
    base = next(e for e in doc["entries"] if not e["private"] and e["kind"] != "free")
    result = _import(target, dict(doc, entries=[dict(base, **change)]))
    assert result.entries_copied == 1
    assert JournalRepository(target).find_entry_by_uid(base["uid"]).title == base["title"]


def test_different_answers_make_a_copy_and_keep_both_answers(doc, target):
    base = next(e for e in doc["entries"] if e["answers"]
                and any(isinstance(a["answer"], str) for a in e["answers"]))
    answers = [dict(a, answer="a different answer") if isinstance(a["answer"], str) else a
               for a in base["answers"]]
    result = _import(target, dict(doc, entries=[dict(base, answers=answers)]))
    assert result.entries_copied == 1
    repo, prompts = JournalRepository(target), PromptAnswerRepository(target)
    here = repo.find_entry_by_uid(base["uid"])
    assert "a different answer" not in [a.answer for a in prompts.load_answers(here.id)]
    copy = next(e for e in repo.list_entries() if "imported copy" in e.tags)
    assert "a different answer" in [a.answer for a in prompts.load_answers(copy.id)]


def test_a_copy_of_an_untitled_entry_still_reads_well(target):
    db = target
    JournalRepository(db).add_entry(Entry(EntryKind.FREE, "", "First line\nmore",
                                          uid="d" * 32))
    incoming = Entry(EntryKind.FREE, "", "First line\nother text", uid="d" * 32)
    from journal_app.domain import jsonformat as jf

    result = _import(db, jf.document(entries=[jf.entry_to_dict(incoming)]))
    assert result.entries_copied == 1
    copy = next(e for e in JournalRepository(db).list_entries()
                if e.body == "First line\nother text")
    assert copy.display_title.startswith("First line") and "imported copy" in copy.title


# --------------------------------------------------------------------------- sessions


def test_a_session_with_other_details_is_kept_beside_the_one_here(doc, target):
    original = doc["sessions"][0]
    edited = dict(original, notes="notes written on the other device",
                  updated_at=days_later(original["updated_at"]))
    result = _import(target, dict(doc, sessions=[edited], entries=[], check_ins=[]))
    assert (result.sessions_added, result.sessions_copied) == (0, 1)
    sessions = JournalRepository(target).list_sessions()
    assert [s.notes for s in sessions if s.uid == original["uid"]] == [original["notes"]]
    assert sum(s.notes == "notes written on the other device" for s in sessions) == 1
    again = _import(target, dict(doc, sessions=[edited], entries=[], check_ins=[]))
    assert (again.sessions_added, again.sessions_copied, again.sessions_unchanged) == (0, 0, 1)
    assert len(JournalRepository(target).list_sessions()) == len(sessions)


def test_sessions_already_here_are_counted(doc, target):
    result = _import(target, doc)
    assert result.sessions_unchanged == len(doc["sessions"])
    assert result.check_ins_unchanged == len(doc["check_ins"])


# --------------------------------------------------------------------------- check-ins


def test_a_check_in_with_other_answers_is_left_out_and_reported(doc, target):
    original = doc["check_ins"][0]
    answers = list(original["answers"])
    answers[0] = 0 if answers[0] else 1
    result = _import(target, dict(doc, check_ins=[dict(original, answers=answers)]))
    assert (result.check_ins_added, result.check_ins_conflicts) == (0, 1)
    assert "1 left out" in result.summary()
    kept = CheckInRepository(target).find_by_uid(original["uid"])
    assert list(kept.answers) == original["answers"]
    assert CheckInRepository(target).count() == len(doc["check_ins"])


# --------------------------------------------------------------------------- the summary


def test_the_summary_says_what_happened_per_kind(doc):
    db = _empty()
    first = _import(db, doc).summary()
    assert "14 new entries" in first and "3 new sessions" in first
    assert "20 new check-ins" in first
    again = _import(db, doc).summary()
    assert "0 new entries, 14 already here" in again
    assert "0 new sessions, 3 already here" in again
    db.close()


# --------------------------------------------------------------------------- bounds (parsing)


def entry(**change) -> dict:
    """An entry as the JSON export writes it, with ``change`` applied (these builders are
    shared with tests/unit/cli/test_import_json.py)."""
    base = {"uid": "e" * 32, "kind": "free", "title": "t", "body": "b", "tags": [],
            "private": False, "created_at": "2026-01-01T09:00:00+00:00",
            "updated_at": "2026-01-01T09:00:00+00:00"}
    return {**base, **change}


def session(**change) -> dict:
    base = {"uid": "f" * 32, "date": "2026-01-02T09:00:00+00:00", "modality": "oral",
            "setting": "clinic", "number": 1, "provider": "", "notes": "",
            "created_at": "2026-01-01T09:00:00+00:00", "updated_at": "2026-01-01T09:00:00+00:00"}
    return {**base, **change}


def check_in(**change) -> dict:
    base = {"uid": "a" * 32, "measure": "phq9", "measure_version": 1,
            "taken_at": "2026-01-01T09:00:00+00:00", "created_at": "2026-01-01T09:00:00+00:00",
            "answers": [0] * 9, "note": ""}
    return {**base, **change}


def file_text(**sections) -> str:
    """The text of an export file holding ``sections`` (entries=[...], sessions=[...])."""
    return json.dumps({"format": "integration-journal", "version": 1, **sections})


YEAR_1 = "0001-01-01T00:00:00"
YEAR_9999 = "9999-12-31T23:59:59+00:00"

OUT_OF_BOUNDS = {
    "entry created year 1": file_text(entries=[entry(created_at=YEAR_1)]),
    "entry updated year 9999": file_text(entries=[entry(updated_at=YEAR_9999)]),
    "session date year 1": file_text(sessions=[session(date=YEAR_1)]),
    "session date year 9999": file_text(sessions=[session(date=YEAR_9999)]),
    "check-in taken year 1": file_text(check_ins=[check_in(taken_at=YEAR_1)]),
    "check-in created year 9999": file_text(check_ins=[check_in(created_at=YEAR_9999)]),
    "lone surrogate in a body": file_text(entries=[entry(body=SECRET + "\ud800")]),
    "lone surrogate in a tag": file_text(entries=[entry(tags=[SECRET + "\udfff"])]),
    "lone surrogate in a key": file_text(entries=[entry(**{"\ud800x": SECRET})]),
    "2**70 session number": file_text(sessions=[session(number=2**70)]),
    "2**70 check-in answer": file_text(check_ins=[check_in(answers=[2**70] + [0] * 8)]),
    "2**70 measure version": file_text(check_ins=[check_in(measure_version=2**70)]),
    "5000-digit id": file_text(entries=[entry()]).replace('"uid"', '"id": ' + "9" * 5000
                                                         + ', "uid"'),
    "deep nesting": file_text(entries=[entry(answers="[" * 5000 + "]" * 5000)]).replace(
        '"' + "[" * 5000 + "]" * 5000 + '"', "[" * 5000 + "]" * 5000),
    "huge float": file_text(check_ins=[check_in(measure_version=12345)]).replace("12345",
                                                                              "1e999"),
}


@pytest.mark.parametrize("name", list(OUT_OF_BOUNDS))
def test_out_of_bounds_values_are_refused_with_a_place(name):
    with pytest.raises(ImportBoundsError) as caught:
        parse_export(OUT_OF_BOUNDS[name], name="x.json")
    message = caught.value.message
    assert caught.value.exit_code == 2
    assert "x.json" in message and "9999" not in message.replace("9999-", "")
    assert SECRET not in message
    assert "\ud800" not in message and "\udfff" not in message


def test_the_place_and_the_field_are_named():
    with pytest.raises(ImportBoundsError) as caught:
        parse_export(file_text(entries=[entry(), entry(created_at=YEAR_1)]), name="x.json")
    assert "entry 2" in caught.value.message and "created_at" in caught.value.message
    with pytest.raises(ImportBoundsError) as caught:
        parse_export(file_text(sessions=[session(number=2**70)]), name="x.json")
    assert "session 1" in caught.value.message and "number" in caught.value.message


def test_invalid_utf8_is_refused_with_its_line():
    raw = file_text(entries=[entry(body="ok")]).encode("utf-8").replace(b'"ok"', b'"\xff\xfe"')
    with pytest.raises(ImportBoundsError) as caught:
        parse_export(raw, name="x.json")
    assert "UTF-8" in caught.value.message and "line 1" in caught.value.message


def test_values_in_bounds_still_parse():
    imported = parse_export(file_text(entries=[entry(created_at="1900-01-01T00:00:00+00:00")],
                                  sessions=[session(number=2**53 - 1)],
                                  check_ins=[check_in()]))
    assert len(imported.entries) == len(imported.sessions) == len(imported.check_ins) == 1


# --------------------------------------------------------------------------- odd cases


def test_a_copy_of_a_copy_is_marked_once(target):
    from journal_app.domain import jsonformat as jf

    JournalRepository(target).add_entry(Entry(EntryKind.FREE, "Walk (imported copy)", "a",
                                              uid="b" * 32))
    incoming = Entry(EntryKind.FREE, "Walk (imported copy)", "b", uid="b" * 32)
    _import(target, jf.document(entries=[jf.entry_to_dict(incoming)]))
    copy = next(e for e in JournalRepository(target).list_entries() if e.body == "b")
    assert copy.title == "Walk (imported copy)"


def test_nan_and_a_newer_version_with_odd_values():
    with pytest.raises(ImportBoundsError):
        parse_export(file_text(check_ins=[check_in(measure_version=7)]).replace(": 7", ": NaN"))
    from journal_app.errors import TooNewError

    with pytest.raises(TooNewError):
        parse_export('{"format": "integration-journal", "version": 2, "x": "\\ud800"}')


def test_a_file_that_repeats_a_new_uid_keeps_both_versions(doc):
    """New entries are added in one go; a uid the file repeats is still compared with the
    version just added from the same file, never dropped or merged into it."""
    db = _empty()
    base = doc["entries"][0]
    first = dict(base, body="written first")
    again = dict(base, body="written again")
    same = dict(first)
    result = _import(db, dict(doc, entries=[first, again, same]))
    assert (result.entries_added, result.entries_copied, result.entries_unchanged) == (1, 1, 1)
    bodies = sorted(e.body for e in JournalRepository(db).list_entries())
    assert bodies == ["written again", "written first"]
    db.close()


def test_new_entries_keep_their_answers_and_are_found_by_search(doc):
    db = _empty()
    _import(db, doc)
    repo = JournalRepository(db)
    with_answers = [e for e in repo.list_entries() if PromptAnswerRepository(db).load_answers(e.id)]
    assert with_answers, "the course has answered entries"
    word = repo.list_entries()[0].body.split()[0]
    assert repo.search(word), "the bulk add indexed the entries for search"
    db.close()
