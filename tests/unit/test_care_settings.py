"""The therapy details kept inside the journal (domain/care_settings.py), without Qt or a
journal: a dict stands in for the journal's meta table."""

from __future__ import annotations

import json
import logging

from journal_app.domain.care_settings import (
    CARE_CONTACTS,
    CRISIS_OVERRIDES,
    EXTRA_LINE_ID,
    SAFETY_PLAN,
    CareContacts,
    ExtraCrisisLine,
    SafetyPlan,
    load_care_contacts,
    load_crisis_overrides,
    load_extra_line,
    load_safety_plan,
    read_json,
    save_care_contacts,
    save_extra_line,
    save_safety_plan,
    write_json,
)


class Meta:
    """The journal_meta table as a dict of texts."""

    def __init__(self, **values: str) -> None:
        self.values = dict(values)

    def get_meta(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)

    def set_meta(self, key: str, value: str) -> None:
        self.values[key] = value


CONTACTS = CareContacts("Riverside Clinic", "(555) 010-2000", "Dr. Lee", "555 010 3000")


def test_contacts_and_plan_read_back_as_written():
    meta = Meta()
    plan = SafetyPlan(warning_signs="Not sleeping", coping="A walk by the river")
    save_care_contacts(meta, CONTACTS)
    save_safety_plan(meta, plan)
    assert load_care_contacts(meta) == CONTACTS
    assert load_safety_plan(meta) == plan
    assert json.loads(meta.values[CARE_CONTACTS])["clinic_name"] == "Riverside Clinic"
    assert set(meta.values) == {CARE_CONTACTS, SAFETY_PLAN}


def test_nothing_stored_reads_as_empty():
    meta = Meta()
    assert load_care_contacts(meta).is_empty and load_safety_plan(meta).is_empty
    assert load_crisis_overrides(meta) == {}
    assert load_extra_line(meta) == ExtraCrisisLine()


def test_a_plan_of_blanks_is_empty_and_contacts_of_one_number_are_not():
    assert SafetyPlan(coping="  \n").is_empty
    assert not CareContacts(therapist_phone="555").is_empty


def test_damaged_values_fall_back_without_logging_their_content(caplog):
    meta = Meta(care_contacts="{not json Riverside", safety_plan='["a", "list"]',
                crisis_overrides='"text"')
    with caplog.at_level(logging.WARNING):
        assert load_care_contacts(meta) == CareContacts()
    assert "Riverside" not in caplog.text and CARE_CONTACTS in caplog.text
    assert load_safety_plan(meta) == SafetyPlan()
    assert load_crisis_overrides(meta) == {}
    assert read_json(meta, "absent", default=7) == 7


def test_unknown_fields_and_non_text_values_are_dropped():
    meta = Meta()
    write_json(meta, CARE_CONTACTS, {"clinic_name": "Riverside", "clinic_phone": 5550102000,
                                     "pager": "123"})
    assert load_care_contacts(meta) == CareContacts(clinic_name="Riverside")


def test_the_extra_line_is_added_changed_and_dropped_keeping_other_overrides():
    other = {"resources": {"988": {"name": "Someone else's edit"}}, "hidden": ["x"]}
    meta = Meta()
    write_json(meta, CRISIS_OVERRIDES, other)
    save_extra_line(meta, ExtraCrisisLine(" Samaritans ", " 116 123 "), "Call 116 123")
    assert load_extra_line(meta) == ExtraCrisisLine("Samaritans", "116 123")
    stored = load_crisis_overrides(meta)
    assert stored["resources"][EXTRA_LINE_ID] == {
        "name": "Samaritans",
        "contacts": [{"kind": "call", "value": "116 123", "label": "Call 116 123"}],
    }
    assert stored["resources"]["988"] == other["resources"]["988"]
    assert stored["hidden"] == ["x"]
    save_extra_line(meta, ExtraCrisisLine("", "0800 11 11"), "Call 0800 11 11")
    assert load_extra_line(meta) == ExtraCrisisLine("0800 11 11", "0800 11 11")
    save_extra_line(meta, ExtraCrisisLine("Samaritans", "  "), "")
    assert load_crisis_overrides(meta) == other


def test_dropping_the_only_line_leaves_no_empty_resources():
    meta = Meta()
    save_extra_line(meta, ExtraCrisisLine("Line", "123"), "Call 123")
    save_extra_line(meta, ExtraCrisisLine(), "")
    assert load_crisis_overrides(meta) == {}


def test_a_damaged_extra_line_reads_as_none():
    meta = Meta()
    write_json(meta, CRISIS_OVERRIDES, {"resources": {EXTRA_LINE_ID: {"name": 3,
                                                                      "contacts": ["123"]}}})
    assert load_extra_line(meta) == ExtraCrisisLine()
    for contacts in ({"value": "123"}, 5, [], None):
        write_json(meta, CRISIS_OVERRIDES,
                   {"resources": {EXTRA_LINE_ID: {"name": "Line", "contacts": contacts}}})
        assert load_extra_line(meta) == ExtraCrisisLine("Line", ""), contacts


def test_reprs_hold_no_names_or_numbers():
    text = repr(CONTACTS) + repr(SafetyPlan(coping="walk")) + repr(ExtraCrisisLine("a", "1"))
    for detail in ("Riverside", "555", "Lee", "walk", "'1'"):
        assert detail not in text
