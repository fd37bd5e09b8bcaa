"""The report's "Themes across sessions": only when ticked, only from the report's own
entries (private ones only when included); quick notes marked "written while locked"."""

from __future__ import annotations

import json

import pytest

from journal_app.domain.report import ReportRequest, select_report
from journal_app.domain.themes import ThemePart
from journal_app.export.service import render_report
from journal_app.storage.report_source import gather_from
from tests.helpers import report_journal as rj

ALL_PARTS = frozenset(ThemePart)
TEXT_FORMATS = ("md", "html", "json")


@pytest.fixture(scope="module")
def inputs():
    db, _course = rj.ten_session_database()
    found = gather_from(db)
    db.close()
    return found


def rendered(inputs, fmt: str, **request) -> str:
    return render_report(select_report(inputs, ReportRequest(**request)), fmt).decode()


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_the_section_appears_only_when_ticked(inputs, fmt):
    plain = rendered(inputs, fmt)
    assert "Themes across sessions" not in plain and '"themes"' not in plain
    assert ReportRequest().theme_parts == frozenset()  # off by default
    ticked = rendered(inputs, fmt, theme_parts=ALL_PARTS)
    if fmt != "json":
        assert "Themes across sessions" in ticked
        assert "What keeps coming up" in ticked
    for phrase in ("my father", "the ocean", "breathing"):
        assert phrase in ticked


def test_phrases_in_order_in_markdown(inputs):
    text = rendered(inputs, "md", theme_parts=frozenset({ThemePart.PHRASES}))
    section = text[text.index("## Themes across sessions"):text.index("## Journal entries")]
    positions = [section.index(f"**{p}**") for p in ("my father", "the ocean", "breathing",
                                                     "my sister")]
    assert positions == sorted(positions)
    assert "| **my father** | 6 of 10 | 1, 2, 4, 5, 7, 9 |" in section
    # Only the ticked part.
    assert "Emotions on the evening" not in section and "Mood and scores" not in section
    for echo in ("**therapist**", "**session**", "**looking back**"):
        assert echo not in section


def test_each_part_can_be_ticked_alone(inputs):
    text = rendered(inputs, "md", theme_parts=frozenset({ThemePart.EMOTIONS,
                                                         ThemePart.SCORES}))
    section = text[text.index("## Themes across sessions"):text.index("## Journal entries")]
    assert "What keeps coming up" not in section
    assert "| **Calm** | ● | ● |" in section
    assert "| **Session 1 · 4 May 2026** | 3 / 10 | 5 / 10 | 18 |" in section


def test_json_themes_name_sessions_by_uid(inputs):
    doc = json.loads(rendered(inputs, "json", theme_parts=ALL_PARTS))
    themes = doc["themes"]
    assert themes["parts"] == sorted(str(p) for p in ALL_PARTS)
    assert [p["text"] for p in themes["phrases"]][:3] == ["my father", "the ocean",
                                                          "breathing"]
    uids = {s["uid"] for s in doc["sessions"]}
    assert set(themes["phrases"][0]["session_uids"]) <= uids
    assert themes["emotions"][0]["label"] == "Calm"
    assert themes["scores"][0]["mood_before"] == rj.TEN_MOOD_BEFORE[0]
    assert "themes" not in json.loads(rendered(inputs, "json"))


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_private_text_stays_out_of_themes_unless_included(inputs, fmt):
    left_out = rendered(inputs, fmt, theme_parts=ALL_PARTS)
    assert rj.TEN_PRIVATE_PHRASE not in left_out
    assert rj.TEN_PRIVATE_CANARY not in left_out
    assert rj.TEN_PRIVATE_CANARY.lower() not in left_out
    included = rendered(inputs, fmt, theme_parts=ALL_PARTS, include_private=True)
    assert f"the {rj.TEN_PRIVATE_PHRASE}" in included


def test_an_unticked_entry_is_left_out_of_the_themes_too(inputs):
    father = [e.id for e in inputs.entries
              if e.title.startswith("The day after") and "father" in e.body]
    text = rendered(inputs, "md", theme_parts=ALL_PARTS, excluded_entry_ids=frozenset(father))
    section = text[text.index("## Themes across sessions"):]
    assert "my father" not in section


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_quick_notes_are_marked_written_while_locked(inputs, fmt):
    text = rendered(inputs, fmt)
    assert rj.TEN_QUICK_TEXT.split(":")[0] in text
    if fmt == "json":
        doc = json.loads(text)
        quick = [e for e in doc["entries"] if e["kind"] == "quick-capture"]
        assert quick and all(e["written_while_locked"] for e in quick)
        assert all("written_while_locked" not in e for e in doc["entries"]
                   if e["kind"] != "quick-capture")
    else:
        assert text.count("written while locked") == 1
