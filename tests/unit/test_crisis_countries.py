"""Crisis services per country: every bundled file loads and validates, and a country
without a list of its own still gets a helpline directory and its emergency number."""

from __future__ import annotations

import datetime as dt
import logging
import tomllib

import pytest

from journal_app.domain.datafile import DataFileError
from journal_app.domain.safety import (
    BUILTIN_EMERGENCY,
    BUILTIN_GENERIC,
    BUILTIN_RESOURCES,
    GENERIC,
    LOCAL_EMERGENCY,
    REVIEW_STATUSES,
    ContactKind,
    countries,
    country_from_locale_name,
    crisis_file,
    load_crisis_resources,
    load_emergency_numbers,
    normalize_country,
    resources_for_country,
    resources_for_panel,
)
from journal_app.paths import resource

COUNTRY_FILES = sorted(p.name for p in resource("crisis").iterdir()
                       if p.name.endswith(".toml") and p.name not in
                       {"international.toml", "emergency_numbers.toml"})
REQUIRED = {"us.toml", "ca.toml", "gb.toml", "ie.toml", "au.toml", "nz.toml", "de.toml"}


def _values(resources, kind=None):
    return [c.value for r in resources.resources for c in r.contacts
            if kind is None or c.kind is kind]


def test_the_countries_of_the_issue_all_have_a_file():
    assert set(COUNTRY_FILES) >= REQUIRED
    assert set(BUILTIN_EMERGENCY) == {name.removesuffix(".toml").upper()
                                      for name in COUNTRY_FILES}


@pytest.mark.parametrize("name", [*COUNTRY_FILES, "international.toml"])
def test_every_crisis_file_loads_validates_and_says_where_it_comes_from(name):
    code = "" if name == "international.toml" else name.removesuffix(".toml").upper()
    loaded = load_crisis_resources(country=code)
    assert loaded.country == code
    assert loaded.country_name.strip() and loaded.locale.strip()
    assert isinstance(loaded.last_reviewed, dt.date)
    assert loaded.review_status in REVIEW_STATUSES
    assert "." in loaded.source, "the source names the official pages"
    assert len(loaded.emergency) == 1 and loaded.emergency[0].id == "emergency"
    for res in loaded.resources:
        assert res.name.strip() and res.summary.strip()
        for contact in res.contacts:
            if contact.kind in (ContactKind.CHAT, ContactKind.WEB):
                assert contact.value.startswith("https://")
            else:
                assert contact.value.replace(" ", "").isdigit()
                digits = contact.value.replace(" ", "")
                assert digits in contact.label.replace(" ", "").replace("-", ""), \
                    "the label shows what to dial"
    raw = resource("crisis", name).read_text(encoding="utf-8")
    assert "BEFORE EVERY RELEASE a person must confirm" in raw
    assert "273" not in raw and "8255" not in raw, "the old US lifeline number"


@pytest.mark.parametrize(("code", "expected"), [
    ("US", {"988", "741741", "911"}),
    ("CA", {"988", "911"}),
    ("GB", {"116 123", "111", "999"}),
    ("IE", {"116 123", "50808", "112", "999"}),
    ("AU", {"13 11 14", "0477 13 11 14", "000"}),
    ("NZ", {"1737", "0800 543 354", "111"}),
    ("DE", {"0800 111 0 111", "0800 111 0 222", "112"}),
])
def test_each_country_lists_its_own_services_and_emergency_number(code, expected):
    shown = resources_for_country(code)
    assert shown.country == code
    assert expected <= set(_values(shown))
    if code != "US":
        assert "741741" not in _values(shown)
    if code not in ("US", "CA"):
        assert "911" not in _values(shown) and "988" not in _values(shown)


def test_the_emergency_number_of_each_file_matches_the_tables():
    numbers = load_emergency_numbers()
    for code, number in BUILTIN_EMERGENCY.items():
        own = load_crisis_resources(country=code)
        assert own.emergency[0].contacts[0].value == number
        assert numbers[code][1] == number
        assert numbers[code][0] == own.country_name


def test_builtin_lists_match_the_files():
    assert load_crisis_resources(country="US") == BUILTIN_RESOURCES
    assert load_crisis_resources(country=GENERIC) == BUILTIN_GENERIC


def test_the_emergency_numbers_file_is_reviewed_and_sourced():
    raw = tomllib.loads(crisis_file("emergency_numbers.toml").read_text(encoding="utf-8"))
    assert raw["review_status"] in REVIEW_STATUSES
    assert isinstance(raw["last_reviewed"], dt.date) and raw["source"].strip()
    assert load_emergency_numbers()["FR"] == ("France", "112")


@pytest.mark.parametrize("code", ["FR", "es", " it "])
def test_a_country_without_its_own_list_gets_the_directory_and_its_emergency_number(code):
    shown = resources_for_country(code)
    assert shown.get("find-a-helpline").contacts[0].value == "https://findahelpline.com"
    emergency = shown.emergency
    assert len(emergency) == 1 and emergency[0].contacts[0].uri == "tel:112"
    assert shown.country == normalize_country(code) and shown.country_name != "Another country"


@pytest.mark.parametrize("code", ["", "ZZ", "not a country", None])
def test_an_unknown_country_still_gets_the_directory_and_an_emergency_line(code):
    shown = resources_for_country(code)  # type: ignore[arg-type]
    assert shown.get("find-a-helpline") is not None
    assert shown.emergency[0].summary == LOCAL_EMERGENCY
    assert not _values(shown, ContactKind.CALL), "no number that may be wrong"


def test_a_damaged_country_file_falls_back_to_the_directory_and_its_number(
        monkeypatch, tmp_path, caplog):
    import journal_app.domain.crisis_files as crisis_files

    broken = tmp_path / "gb.toml"
    broken.write_text("country = \n", encoding="utf-8")
    real = crisis_files.country_source
    monkeypatch.setattr(crisis_files, "country_source",
                        lambda c: broken if c == "GB" else real(c))
    with caplog.at_level(logging.ERROR):
        shown = resources_for_country("GB")
    assert "line 1" in caplog.text
    assert shown.get("find-a-helpline") is not None
    assert shown.emergency[0].contacts[0].value == "999"


def test_everything_damaged_still_leaves_a_usable_panel(monkeypatch, tmp_path):
    import journal_app.domain.crisis_files as crisis_files

    monkeypatch.setattr(crisis_files, "crisis_file", lambda name: tmp_path / name)
    monkeypatch.setattr(crisis_files, "country_source", lambda c: tmp_path / "missing.toml")
    assert resources_for_country("US") == BUILTIN_RESOURCES
    shown = resources_for_country("GB")
    assert shown.emergency[0].contacts[0].value == "999"
    assert shown.get("find-a-helpline") is not None


def test_a_country_file_must_have_an_emergency_entry(tmp_path):
    thin = tmp_path / "xx.toml"
    thin.write_text('country = "XX"\ncountry_name = "X"\nlocale = "en"\n'
                    'last_reviewed = 2026-01-01\nreview_status = "unconfirmed"\n'
                    'source = "x.example"\n[[resources]]\nid = "a"\nname = "A"\n'
                    '[[resources.contacts]]\nkind = "call"\nvalue = "1"\nlabel = "Call 1"\n',
                    encoding="utf-8")
    with pytest.raises(DataFileError, match="emergency number"):
        load_crisis_resources(thin)


def test_review_status_must_be_known(tmp_path):
    text = resource("crisis", "gb.toml").read_text(encoding="utf-8")
    bad = tmp_path / "gb.toml"
    bad.write_text(text.replace('review_status = "unconfirmed"', 'review_status = "ok"'),
                   encoding="utf-8")
    with pytest.raises(DataFileError, match="'review_status' must be one of"):
        load_crisis_resources(bad)


def test_overrides_apply_to_the_chosen_country_and_keep_its_emergency_number():
    line = {"name": "Local line", "contacts": [{"kind": "call", "value": "0100",
                                                 "label": "Call 0100"}]}
    shown = resources_for_panel({"resources": {"my-crisis-line": line, "emergency": None}},
                                country="GB")
    assert shown.get("my-crisis-line") is not None and shown.get("samaritans") is not None
    assert shown.emergency[0].contacts[0].value == "999", "the emergency number stays"


def test_without_a_country_the_default_is_the_us_list():
    assert resources_for_panel() == BUILTIN_RESOURCES


def test_the_choices_hold_every_country_with_a_list_and_more():
    found = {c.code: c for c in countries()}
    assert {code for code, c in found.items() if c.own_list} == set(BUILTIN_EMERGENCY)
    assert found["DE"].name == "Germany" and found["DE"].emergency_number == "112"
    assert found["FR"].own_list is False
    names = [c.name for c in countries()]
    assert names == sorted(names)


@pytest.mark.parametrize(("name", "code"), [
    ("en_GB.UTF-8", "GB"), ("de_DE@euro", "DE"), ("en-NZ", "NZ"), ("fr_CA", "CA"),
    ("sr_Latn_RS", "RS"), ("C.UTF-8", ""), ("C", ""), ("POSIX", ""), ("", ""), (None, ""),
])
def test_country_from_locale_name(name, code):
    assert country_from_locale_name(name) == code
