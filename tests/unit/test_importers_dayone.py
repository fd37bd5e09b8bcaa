"""Day One: Journal.json alone and the export zip (make_dayone_fixtures.py, from Day One's
documented export format)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from journal_app.domain.importers import SourceKind, dayone, guess_kind, read_source
from journal_app.domain.importers.common import SourceError, stable_uid, to_imported
from journal_app.domain.importers.preview import make_preview

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"
JSON = DATA / "dayone" / "Journal.json"
ZIP = DATA / "dayone_export.zip"


@pytest.mark.parametrize("path", [JSON, ZIP])
def test_every_field_lands(path):
    assert guess_kind(path) is SourceKind.DAYONE
    source = read_source(path, SourceKind.DAYONE)
    first, second, third = source.entries
    assert first.created_at == dt.datetime(2023, 3, 4, 10, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    assert first.created_at.tzinfo == ZoneInfo("Europe/Berlin")
    assert first.updated_at == dt.datetime(2023, 3, 4, 10, 2, 11, tzinfo=dt.UTC)
    assert first.title == ""
    assert first.body.startswith("# Before the first session\n\nMy intention: be gentle")
    assert first.body.endswith("- breathe\n- notice")
    assert first.tags == ("preparation", "intention", "starred")
    assert second.created_at.tzinfo == ZoneInfo("America/New_York")
    assert second.created_at.hour == 14
    assert "![](dayone-moment://8C2F6E1B0A9D4C3E)" in second.body
    assert second.tags == ("integration",)
    assert third.tags == () and third.created_at.tzinfo == ZoneInfo("Asia/Tokyo")
    assert all(e.zone_known for e in source.entries)
    imported = to_imported(source)
    entry = imported.entries[0].entry
    assert entry.uid == stable_uid(SourceKind.DAYONE, "3F1D2A6E8B7C4D5E9F0A1B2C3D4E5F60")
    assert entry.display_title == "Before the first session"
    assert "starred" in entry.tags


def test_photos_place_and_weather_are_listed_as_not_imported():
    preview = make_preview(read_source(ZIP, SourceKind.DAYONE))
    reasons = {(s.place, s.reason.split(":")[0]) for s in preview.skipped}
    assert ("Journal.json, entry 2", "1 photo") in reasons
    assert any("place and weather" in s.reason for s in preview.skipped)
    assert preview.entries == 3 and preview.local_times == 0 and not preview.warnings


def _doc(*entries):
    return json.dumps({"metadata": {"version": "1.0"}, "entries": list(entries)}).encode()


def test_a_date_without_a_zone_is_local_and_said_so():
    source = dayone.parse(_doc({"uuid": "A", "creationDate": "2023-03-04T10:00:00",
                                "text": "x"}), "Journal.json")
    assert not source.entries[0].zone_known
    assert "taken as local time" in source.warnings[0]


def test_an_unknown_zone_keeps_the_instant():
    source = dayone.parse(_doc({"uuid": "A", "creationDate": "2023-03-04T10:00:00Z",
                                "timeZone": "Mars/Olympus", "text": "x"}), "J.json")
    assert source.entries[0].created_at == dt.datetime(2023, 3, 4, 10, tzinfo=dt.UTC)


SECRET = "private words"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("raw", "expected"), [
    (_doc({"creationDate": "2023-03-04T10:00:00Z", "text": SECRET}),
     "(entry 1): it has no 'uuid'"),
    (_doc({"uuid": "A", "text": SECRET}), "(entry 1): it has no 'creationDate'"),
    (_doc({"uuid": "A", "text": SECRET, "creationDate": "yesterday"}),
     "(entry 1): 'creationDate' is not an ISO-8601 date"),
    (_doc({"uuid": "A", "creationDate": "2023-03-04T10:00:00Z", "tags": SECRET}),
     "'tags' must be a list of text"),
    (_doc({"uuid": "A", "creationDate": "2023-03-04T10:00:00Z", "text": 5}),
     "'text' must be text"),
    (b'{"entries": 3}', "not a Day One export"),
    (f'{{"entries": ["{SECRET}"'.encode(), "not valid JSON"),
    (f"{SECRET}".encode("latin-1") + b"\xe9", "not valid UTF-8 text"),
    (b"PK\x03\x04 damaged", "damaged"),
    (_zip({"photos/a.jpeg": b"x"}), "without a Day One journal"),
])
def test_bad_input_names_the_place_never_the_content(raw, expected):
    with pytest.raises(SourceError) as caught:
        dayone.parse(raw, "export.zip")
    assert expected in caught.value.message
    assert SECRET not in caught.value.message


def test_a_zip_with_two_journals_reads_both():
    one = _doc({"uuid": "A", "creationDate": "2023-03-04T10:00:00Z", "text": "a"})
    two = _doc({"uuid": "B", "creationDate": "2023-03-05T10:00:00Z", "text": "b"})
    source = dayone.parse(_zip({"Journal.json": one, "Travel.json": two}), "e.zip")
    assert [e.key for e in source.entries] == ["A", "B"]


def test_a_zip_too_large_inside_is_refused(monkeypatch):
    from journal_app.domain.importers import common

    monkeypatch.setattr(dayone, "MAX_SOURCE_BYTES", 10)
    monkeypatch.setattr(common, "MAX_SOURCE_BYTES", 10_000)
    with pytest.raises(SourceError, match="larger than"):
        dayone.parse(_zip({"Journal.json": _doc()}), "e.zip")
