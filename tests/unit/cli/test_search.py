"""``search PATH QUERY...``: words after PATH are the query, so ``-word`` (exclude a word,
domain/search.py) needs no ``--``; the verb's options still work wherever they stand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def journal(cli, journal) -> Path:
    """The shared empty journal (conftest.py), with three walks in it."""
    for title, body in (("Garden", "The river past the garden was loud."),
                        ("River", "I sat by the river and breathed."),
                        ("Hill", "A long walk up the hill.")):
        assert cli("add", journal, "--title", title, "--tag", "walks", stdin=body).code == 0
    return journal


def _titles(result) -> list[str]:
    assert result.code == 0, result.err
    return sorted(r["title"] for r in json.loads(result.out)["results"])


@pytest.mark.parametrize("argv", [
    ("river", "-garden", "--json"),
    ("--json", "river", "-garden"),
    ("river", "--json", "-garden"),
    ("--json", "--", "river", "-garden"),
    ("--json", "river -garden"),
    ("--json", "--", "river -garden"),
], ids=" ".join)
def test_a_leading_dash_excludes_a_word(cli, journal, argv):
    path_first = [journal, *argv] if argv[0] != "--json" else ["--json", journal, *argv[1:]]
    assert _titles(cli("search", *path_first)) == ["River"]
    assert _titles(cli("search", journal, *argv)) == ["River"]


def test_an_excluded_word_alone_in_text_output(cli, journal):
    result = cli("search", journal, "river", "-garden")
    assert result.code == 0, result.err
    assert "River" in result.out and "Garden" not in result.out


def test_options_and_values_after_the_query(cli, journal):
    result = cli("search", journal, "river", "-garden", "--tag", "walks", "--limit", "5",
                 "--newest", "--from", "2000-01-01", "--json")
    assert _titles(result) == ["River"]
    assert _titles(cli("search", journal, "-hill", "--limit=5", "--json", "long")) == []
    assert _titles(cli("search", journal, "long", "--kind=free", "--json")) == ["Hill"]


def test_double_dash_makes_everything_after_it_the_query(cli, journal):
    result = cli("search", journal, "--", "-garden", "--json")
    assert result.code == 0, result.err
    assert not result.out.lstrip().startswith("{")  # not JSON: --json was a query word


def test_an_unknown_long_option_is_still_a_usage_error(cli, journal):
    result = cli("search", journal, "river", "--jsn")
    assert result.code == 2
    assert "--jsn" in result.err


def test_search_needs_a_query(cli, journal):
    assert cli("search", journal).code == 2
    assert cli("search", journal, "--json").code == 2
    assert _titles(cli("search", journal, "", "--tag", "walks", "--json")) == [
        "Garden", "Hill", "River"]


def test_other_verbs_are_left_alone(cli, journal):
    result = cli("list", journal, "-garden")
    assert result.code == 2
