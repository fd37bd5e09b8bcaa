"""Crisis resources: the bundled list, user overrides, and a panel that never comes up empty."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from journal_app.domain.datafile import DataFileError
from journal_app.domain.safety import (
    BUILTIN_RESOURCES,
    NOT_MONITORED,
    ContactKind,
    apply_overrides,
    load_crisis_resources,
    resources_for_panel,
)

BUNDLED = load_crisis_resources()


def _labels(resources, resource_id):
    return [c.label for c in resources.get(resource_id).contacts]


def test_bundled_list_has_locale_review_date_and_the_us_services():
    assert BUNDLED.locale == "en-US"
    assert isinstance(BUNDLED.last_reviewed, dt.date)
    assert [r.id for r in BUNDLED.resources] == ["988-lifeline", "crisis-text-line",
                                                 "emergency"]
    lifeline = BUNDLED.get("988-lifeline")
    assert lifeline.name == "988 Suicide & Crisis Lifeline"
    kinds = {(c.kind, c.value) for c in lifeline.contacts}
    assert (ContactKind.CALL, "988") in kinds and (ContactKind.TEXT, "988") in kinds
    assert (ContactKind.CHAT, "https://988lifeline.org") in kinds
    assert any("press 1" in c.label and "Veterans" in c.label for c in lifeline.contacts)
    text_line = BUNDLED.get("crisis-text-line").contacts[0]
    assert (text_line.kind, text_line.value, text_line.message) == (ContactKind.TEXT, "741741",
                                                                    "HOME")
    assert text_line.label == "Text HOME to 741741"
    emergency = BUNDLED.get("emergency")
    assert emergency.emergency and emergency.contacts[0].value == "911"


def test_old_lifeline_number_is_nowhere():
    text = repr(BUNDLED)
    assert "273" not in text and "8255" not in text


def test_builtin_fallback_matches_the_bundled_file():
    assert BUNDLED == BUILTIN_RESOURCES


def test_contact_links():
    lifeline = BUNDLED.get("988-lifeline")
    assert [c.uri for c in lifeline.contacts[:3]] == ["tel:988", "sms:988",
                                                      "https://988lifeline.org"]


def test_not_monitored_statement_is_plain():
    assert "Nobody monitors this journal" in NOT_MONITORED
    assert "export" in NOT_MONITORED


def test_review_due_after_a_year():
    reviewed = BUNDLED.last_reviewed
    assert not BUNDLED.review_due(reviewed + dt.timedelta(days=365))
    assert BUNDLED.review_due(reviewed + dt.timedelta(days=366))


# --------------------------------------------------------------------------- overrides

COUNTY = {"name": "County crisis line", "summary": "Local mobile crisis team.",
          "contacts": [{"kind": "call", "value": "555 0100", "label": "Call 555 0100"}]}


def test_overrides_change_remove_and_add_entries():
    result = apply_overrides(BUNDLED, {
        "last_reviewed": "2027-02-01",
        "resources": {
            "crisis-text-line": None,
            "988-lifeline": {"summary": "Call or text 988."},
            "county": COUNTY,
        },
    })
    assert result.last_reviewed == dt.date(2027, 2, 1)
    assert [r.id for r in result.resources] == ["988-lifeline", "emergency", "county"]
    lifeline = result.get("988-lifeline")
    assert lifeline.summary == "Call or text 988."
    assert lifeline.contacts == BUNDLED.get("988-lifeline").contacts  # untouched fields kept
    county = result.get("county")
    assert county.contacts[0].uri == "tel:5550100"
    assert BUNDLED.get("crisis-text-line") is not None  # the original is not changed


def test_overrides_can_move_to_another_locale():
    result = apply_overrides(BUNDLED, {"locale": "en-GB", "resources": {"county": COUNTY}})
    assert result.locale == "en-GB"


@pytest.mark.parametrize(("overrides", "words"), [
    ({"colour": "red"}, "unknown setting 'colour'"),
    ({"last_reviewed": "last spring"}, "'last_reviewed' must be a date"),
    ({"resources": {"county": {"name": "County"}}}, "resources, county: 'contacts' is missing"),
    ({"resources": {"county": {**COUNTY, "phone": "1"}}}, "unknown field 'phone'"),
    ({"resources": {"988-lifeline": {"contacts": [{"kind": "fax", "value": "1",
                                                   "label": "Fax"}]}}},
     "'kind' must be one of call, text, chat, web"),
    ({"resources": {"988-lifeline": None, "crisis-text-line": None, "emergency": None}},
     "at least one resource must remain"),
])
def test_invalid_overrides_are_refused_by_field(overrides, words):
    with pytest.raises(DataFileError) as caught:
        apply_overrides(BUNDLED, overrides)
    assert words in str(caught.value)
    assert "crisis resource settings" in str(caught.value)


def test_panel_ignores_bad_overrides_and_logs_only_the_field(caplog):
    with caplog.at_level(logging.WARNING):
        shown = resources_for_panel({"resources": {"mine": {"name": "Dr Private Name"}}})
    assert shown == BUNDLED
    assert "Dr Private Name" not in caplog.text
    assert "'contacts' is missing" in caplog.text


def test_panel_applies_good_overrides():
    shown = resources_for_panel({"resources": {"county": COUNTY}})
    assert shown.get("county").name == "County crisis line"


def test_panel_falls_back_to_builtin_when_the_file_is_broken(tmp_path, caplog):
    broken = tmp_path / "crisis_resources.toml"
    broken.write_text("locale = \n", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        assert resources_for_panel(source=broken) == BUILTIN_RESOURCES
    assert "line 1" in caplog.text


def test_malformed_resource_file_names_file_and_line(tmp_path):
    broken = tmp_path / "crisis_resources.toml"
    broken.write_text('locale = "en-US"\nlast_reviewed = 2026-13-40\n', encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_crisis_resources(broken)
    assert "crisis_resources.toml" in str(caught.value) and "line 2" in str(caught.value)


def test_resource_file_needs_contacts(tmp_path):
    thin = tmp_path / "thin.toml"
    thin.write_text('locale = "en-US"\nlast_reviewed = 2026-01-01\n[[resources]]\n'
                    'id = "x"\nname = "X"\ncontacts = []\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"thin\.toml: resources 1: 'contacts' needs"):
        load_crisis_resources(thin)
