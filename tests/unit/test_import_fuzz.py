"""Hypothesis fuzzing of the JSON import: any input gives a parsed journal or a typed,
content-free error; never a crash, and the error never quotes what it was given."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.domain import jsonformat
from journal_app.domain.entities import Entry, EntryKind
from journal_app.errors import JournalError
from journal_app.export.json_format import parse_export

CANARY = "FuzzCanary"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20).map(lambda t: CANARY + t),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=25,
)

VALID = jsonformat.document(entries=[jsonformat.entry_to_dict(Entry(
    EntryKind.FREE, "t", "b", ("x",), id=1, uid="a" * 32))], sessions=[], check_ins=[])
FIELDS = ["format", "version", "entries", "sessions", "check_ins"]
ENTRY_FIELDS = list(VALID["entries"][0])


def _try(raw: bytes | str) -> None:
    try:
        parse_export(raw)
    except JournalError as err:
        assert CANARY not in str(err), "an import error must not quote the file"


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_only_typed_errors(raw):
    _try(raw)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_only_typed_errors(value):
    _try(json.dumps(value))


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIELDS), json_values, st.sampled_from(ENTRY_FIELDS), json_values)
def test_valid_export_with_one_field_replaced(field, value, entry_field, entry_value):
    doc = json.loads(json.dumps(VALID))
    doc[field] = value
    _try(json.dumps(doc))
    doc = json.loads(json.dumps(VALID))
    doc["entries"][0][entry_field] = entry_value
    _try(json.dumps(doc))


# Values at and beyond domain/bounds.py's edges: lone surrogates, huge numbers, far dates.
edge_text = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=8).map(
    lambda t: CANARY + t)
edge_values = (st.integers(min_value=-2**80, max_value=2**80) | edge_text
               | st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59+14:00",
                                  "1899-12-31T23:59:59+00:00", "2201-01-01T00:00:00-12:00",
                                  "1900-01-01T00:00:00+00:00", "2200-12-31T23:59:59-23:59"]))


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=True)  # lone surrogates travel as \ud800 escapes


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ENTRY_FIELDS), edge_values)
def test_edge_values_in_an_entry_only_typed_errors(entry_field, value):
    doc = json.loads(json.dumps(VALID))
    doc["entries"][0][entry_field] = value
    _try(_dumps(doc))


@settings(max_examples=50, deadline=4000, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1, max_value=100_000), st.sampled_from("[{"))
def test_any_nesting_depth_only_typed_errors(depth, bracket):
    inner = "[" * depth + "]" * depth if bracket == "[" else '{"k":' * depth + "1" + "}" * depth
    doc = json.loads(json.dumps(VALID))
    doc["entries"][0]["answers"] = "PLACEHOLDER"
    _try(_dumps(doc).replace('"PLACEHOLDER"', inner))


def test_the_seed_document_parses():
    imported = parse_export(json.dumps(VALID))
    assert [e.entry.title for e in imported.entries] == ["t"]
