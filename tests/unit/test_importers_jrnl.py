"""jrnl: the fixtures jrnl 4.6 itself wrote (tests/data/importers/make_jrnl_fixtures.py)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from journal_app.domain.importers import SourceKind, guess_kind, jrnl, read_source
from journal_app.domain.importers.common import (
    STARRED_TAG,
    SourceError,
    stable_uid,
    to_imported,
)
from journal_app.domain.importers.preview import make_preview

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"
FILES = ("jrnl_journal.txt", "jrnl_journal_export.json", "jrnl_24h_journal.txt",
         "jrnl_24h_journal_export.json")

EXPECTED = [  # (local time, title, body, tags)
    (dt.datetime(2023, 3, 4, 10, 15), "First session tomorrow.",
     "I feel @nervous but ready. @prep", {"nervous", "prep"}),
    (dt.datetime(2023, 3, 5, 20, 30), "After the session.",
     "Colours were vivid.\n\nA second paragraph about @integration and my @family.",
     {"integration", "family", STARRED_TAG}),
    (dt.datetime(2023, 3, 7, 15, 5), "Café — déjà vu 🌿.", "Title only?", set()),
    (dt.datetime(2023, 3, 8, 9, 0), "Walk by the river.",
     "Wrote to me@example.com about it #walk", {"walk", STARRED_TAG}),
    (dt.datetime(2023, 3, 9, 7, 45), "Same title.", "First of two on this day.", set()),
    (dt.datetime(2023, 3, 9, 7, 45), "Same title.", "Second of two, same minute.", set()),
    (dt.datetime(2023, 3, 10, 22, 0), "Dream.", "", set()),
]


@pytest.fixture
def berlin(monkeypatch):
    """Local time is Europe/Berlin for the test (jrnl's dates have no zone)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("name", FILES)
def test_every_field_lands(name, berlin):
    path = DATA / name
    assert guess_kind(path) is SourceKind.JRNL
    source = read_source(path, SourceKind.JRNL)
    got = [(e.created_at, e.title, e.body, set(e.tags)) for e in source.entries]
    assert len(got) == len(EXPECTED)
    for (when, title, body, tags), (exp_when, exp_title, exp_body, exp_tags) in zip(
            got, EXPECTED, strict=True):
        assert when.tzinfo is not None
        assert when.utcoffset() == dt.timedelta(hours=1)  # Berlin in March (winter time)
        assert when.replace(tzinfo=None) == exp_when
        assert (title, body, tags) == (exp_title, exp_body, exp_tags)
    assert all(not e.zone_known for e in source.entries)
    preview = make_preview(source)
    assert preview.local_times == 7
    assert any("taken as local time" in w for w in preview.warnings)


def test_the_export_and_the_file_give_the_same_uids():
    uids = []
    for name in FILES:
        imported = to_imported(read_source(DATA / name, SourceKind.JRNL))
        uids.append([item.entry.uid for item in imported.entries])
    assert uids[0] == uids[1] == uids[2] == uids[3]
    assert len(set(uids[0])) == 7  # two entries with the same minute and title differ
    assert uids[0][0] == stable_uid(SourceKind.JRNL,
                                    "2023-03-04 10:15\0First session tomorrow.")


def test_preview_counts_tags_and_dates():
    preview = make_preview(read_source(DATA / "jrnl_journal.txt", SourceKind.JRNL))
    assert preview.entries == 7
    assert (preview.first, preview.last) == (dt.date(2023, 3, 4), dt.date(2023, 3, 10))
    assert dict(preview.tags) == {"starred": 2, "nervous": 1, "prep": 1, "integration": 1,
                                  "family": 1, "walk": 1}
    assert preview.tags[0] == ("starred", 2)
    assert preview.sample[0] == "First session tomorrow." and preview.sample[-1] == "Dream."


@pytest.mark.parametrize(("stamp", "expected"), [
    ("2023-03-04 12:00:00 AM", dt.datetime(2023, 3, 4, 0, 0)),
    ("2023-03-04 12:30 PM", dt.datetime(2023, 3, 4, 12, 30)),
    ("2023-03-04 01:05:09 pm", dt.datetime(2023, 3, 4, 13, 5, 9)),
    ("2023-03-04T23:59", dt.datetime(2023, 3, 4, 23, 59)),
])
def test_header_times(stamp, expected):
    source = jrnl.parse(f"[{stamp}] Title.\nbody\n".encode(), "j.txt")
    assert source.entries[0].created_at.replace(tzinfo=None) == expected


def test_a_bracketed_line_that_is_no_date_stays_in_the_body():
    raw = b"[2023-03-04 10:00] One.\n[2023-13-40 10:00] not a date\n[see above] too\n"
    entries = jrnl.parse(raw, "j.txt").entries
    assert len(entries) == 1
    assert entries[0].body == "[2023-13-40 10:00] not a date\n[see above] too"


def test_windows_line_endings_utf16_and_the_western_fallback():
    text = "[2023-03-04 10:00] Café.\r\nLine one\r\n\r\nLine two @tag\r\n"
    for raw in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("utf-16"),
                text.encode("utf-32")):
        source = jrnl.parse(raw, "j.txt")
        entry = source.entries[0]
        assert (entry.title, entry.body, entry.tags) == ("Café.", "Line one\n\nLine two @tag",
                                                         ("tag",))
        assert not any("Windows-1252" in w for w in source.warnings)
    source = jrnl.parse(text.encode("cp1252"), "j.txt")
    assert source.entries[0].title == "Café."
    assert "j.txt is not UTF-8; it was read as Windows-1252" in source.warnings[0]


SECRET = "my-secret-words"


@pytest.mark.parametrize(("raw", "expected"), [
    (b"gAAAAABkx2...", "encrypted jrnl journal"),
    (f"just some notes {SECRET}\n".encode(), "no line starts with a jrnl date"),
    (f"{SECRET}\n\n[2023-03-04 10:00] One.\n".encode(), "(line 1 to 2)"),
    (b"\xff\xfe\x00", "not valid UTF-16 text"),
    (f"[2023-03-04 10:00] {SECRET}\x00\n".encode(), "(line 1): it is not a text file"),
    (b'{"entries": [{"title": "x", "date": "2023-03-04", "time": "10:00"}, 7]}',
     "(entry 2): an entry must be an object"),
    (b'{"entries": [{"date": "03/04/2023", "time": "10:00"}]}', "(entry 1): its 'date'"),
    (b'{"entries": [{"date": "2023-03-04", "tags": "a"}]}', "'tags' must be a list"),
    (b'{"entries": [\n{"date": "2023-03-04",}]}', "(line 2, column 23): it is not valid JSON"),
    (b'{"tags": {}}', "not a jrnl export"),
])
def test_bad_input_names_the_file_and_place_never_the_content(raw, expected):
    with pytest.raises(SourceError) as caught:
        jrnl.parse(raw, "journal.txt")
    message = caught.value.message
    assert message.startswith("journal.txt can't be imported")
    assert expected in message
    assert "the journal is unchanged" in message
    assert SECRET not in message


def test_dates_outside_bounds_are_refused_by_entry_number():
    source = jrnl.parse(b"[2023-03-04 10:00] One.\n\n[1850-01-01 10:00] Old.\n", "j.txt")
    with pytest.raises(SourceError, match=r"\(entry 2\): The date must lie between 1900"):
        to_imported(source)


def test_unknown_fields_in_the_export_are_noted():
    raw = b'{"entries": [{"date": "2023-03-04", "time": "10:00", "title": "t", "mood": 3}]}'
    source = jrnl.parse(raw, "e.json")
    assert any("not jrnl's usual ones" in w for w in source.warnings)
