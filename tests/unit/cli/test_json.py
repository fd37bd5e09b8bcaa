"""The journal's JSON shape (domain/jsonformat.py), which --json, export and import share."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from journal_app.domain import jsonformat as jf
from journal_app.domain.entities import Entry, EntryKind, Modality, Setting, TreatmentSession

TZ = dt.timezone(dt.timedelta(hours=-5))


def _entry() -> Entry:
    return Entry(kind=EntryKind.INTEGRATION, title="Après", body="Line one\n\n*two*",
                 tags=("calm", "sea"), private=True,
                 created_at=dt.datetime(2026, 3, 1, 14, 30, tzinfo=TZ),
                 updated_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), session_id=3, id=7,
                 uid="a" * 32)


def _session() -> TreatmentSession:
    return TreatmentSession(starts_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=TZ),
                            modality=Modality.SUBLINGUAL, setting=Setting.HOME, number=2,
                            provider="Dr. Rivera", notes="Music helped.", id=4, uid="b" * 32,
                            created_at=dt.datetime(2026, 1, 5, 8, 0, tzinfo=TZ),
                            updated_at=dt.datetime(2026, 1, 5, 8, 0, tzinfo=TZ))


def test_entry_dict_has_the_documented_keys_and_survives_json():
    data = json.loads(json.dumps(jf.entry_to_dict(_entry())))
    assert data["created_at"] == "2026-03-01T14:30:00-05:00"
    assert {"id", "uid", "kind", "title", "body", "tags", "private", "created_at",
            "updated_at", "session_id"} <= data.keys()
    assert jf.entry_from_dict(data) == _entry()


def test_session_dict_round_trips():
    data = json.loads(json.dumps(jf.session_to_dict(_session())))
    assert data["date"] == "2026-01-05T09:00:00-05:00"
    assert (data["modality"], data["setting"], data["number"]) == ("sublingual", "home", 2)
    assert jf.session_from_dict(data) == _session()


def test_documents_carry_format_and_version():
    doc = jf.document(entries=[])
    assert doc == {"format": "integration-journal", "version": 1, "entries": []}
    assert jf.check_document(doc) is doc


@pytest.mark.parametrize("doc", [[], {"format": "other", "version": 1},
                                 {"format": "integration-journal"},
                                 {"format": "integration-journal", "version": True},
                                 {"format": "integration-journal", "version": 2}])
def test_foreign_or_newer_documents_are_refused(doc):
    with pytest.raises(ValueError):
        jf.check_document(doc)


@pytest.mark.parametrize("change", [{"kind": "diary"}, {"tags": "calm"}, {"private": "yes"},
                                    {"created_at": "March"}, {"title": 5}, {"id": "7"}])
def test_malformed_entries_raise_value_error(change):
    data = {**jf.entry_to_dict(_entry()), **change}
    with pytest.raises(ValueError):
        jf.entry_from_dict(data)
