"""Journal text can reach every verb without argv (issue 14): argv is visible to other
local users in /proc and stays in shell history. Each content-bearing option has a file
form (``-`` for stdin where stdin isn't the body), held to the same bounds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from journal_app.cli.parser import build_parser
from journal_app.domain import bounds
from journal_app.storage import reader
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import PASS, ROOT

SECRET_WORDS = "Mum's diagnosis"


def _file(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _entries(journal: Path):
    with Vault.open(journal, Secret(passphrase=PASS), lock=False) as vault:
        return reader.list_entries(vault.db.conn)


def _sessions(journal: Path):
    from journal_app.storage.repository import JournalRepository

    with Vault.open(journal, Secret(passphrase=PASS), lock=False) as vault:
        return JournalRepository(vault.db).list_sessions()


# --------------------------------------------------------------------------- add


def test_add_reads_its_title_and_tags_from_files(cli, journal, tmp_path):
    title = _file(tmp_path, "title.txt", f"{SECRET_WORDS}\n")
    tags = _file(tmp_path, "tags.txt", "family\n\n  grief \r\nfamily\n")
    result = cli("add", journal, "--title-file", title, "--tag-file", tags,
                     stdin="The body.")
    assert result.code == 0, result.err
    [entry] = _entries(journal)
    assert entry.title == SECRET_WORDS
    assert entry.tags == ("family", "grief")
    assert entry.body == "The body."


def test_add_tag_file_and_tag_options_combine(cli, journal, tmp_path):
    tags = _file(tmp_path, "tags.txt", "grief\n")
    result = cli("add", journal, "--tag", "family", "--tag-file", tags, stdin="Body")
    assert result.code == 0, result.err
    assert _entries(journal)[0].tags == ("family", "grief")


def test_add_refuses_stdin_for_its_title_since_stdin_is_the_body(cli, journal):
    result = cli("add", journal, "--title-file", "-", stdin="Body")
    assert result.code == 2
    assert "stdin" in result.err
    assert _entries(journal) == []


def test_add_refuses_title_and_title_file_together(cli, journal, tmp_path):
    title = _file(tmp_path, "title.txt", "A")
    result = cli("add", journal, "--title", "B", "--title-file", title, stdin="Body")
    assert result.code == 2
    assert _entries(journal) == []


# --------------------------------------------------------------------------- other verbs


def test_search_reads_its_query_from_a_file(cli, journal, tmp_path):
    assert cli("add", journal, "--title", "x", stdin="A walk by the sea").code == 0
    assert cli("add", journal, "--title", "y", stdin="Rain all day").code == 0
    query = _file(tmp_path, "query.txt", "sea\n")
    result = cli("search", journal, "--query-file", query, "--json")
    assert result.code == 0, result.err
    assert [r["title"] for r in json.loads(result.out)["results"]] == ["x"]


def test_search_reads_its_query_and_tags_from_stdin_and_a_file(cli, journal, tmp_path):
    assert cli("add", journal, "--tag", "beach", stdin="A walk by the sea").code == 0
    assert cli("add", journal, stdin="The sea again").code == 0
    tags = _file(tmp_path, "tags.txt", "beach\n")
    result = cli("search", journal, "--query-file", "-", "--tag-file", tags, "--json",
                     stdin="sea")
    assert result.code == 0, result.err
    assert len(json.loads(result.out)["results"]) == 1


def test_search_needs_a_query_from_somewhere(cli, journal, tmp_path):
    assert cli("search", journal).code == 2
    query = _file(tmp_path, "query.txt", "sea")
    assert cli("search", journal, "sea", "--query-file", query).code == 2


def test_session_add_reads_the_provider_from_stdin(cli, journal):
    result = cli("session", "add", journal, "--date", "2026-03-02T10:00+01:00",
                     "--provider-file", "-", stdin="Dr Hart, Riverside clinic\n")
    assert result.code == 0, result.err
    assert [s.provider for s in _sessions(journal)] == ["Dr Hart, Riverside clinic"]


def test_export_reads_the_name_from_a_file(cli, journal, tmp_path):
    assert cli("add", journal, "--title", "x", stdin="Body").code == 0
    name = _file(tmp_path, "name.txt", "Sam R.\n")
    out = tmp_path / "report.md"
    result = cli("export", journal, "--format", "md", "--out", out, "--name-file", name)
    assert result.code == 0, result.err
    assert "Sam R." in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- bounds


FILE_OPTIONS = [
    ("add", "J", "--title-file", "F"),
    ("add", "J", "--tag-file", "F"),
    ("search", "J", "--query-file", "F"),
    ("session", "add", "J", "--date", "2026-03-02T10:00+01:00", "--provider-file", "F"),
    ("export", "J", "--format", "md", "--out", "OUT", "--name-file", "F"),
]


def _argv(argv, journal: Path, file: Path, tmp_path: Path) -> list:
    swap = {"J": journal, "F": file, "OUT": tmp_path / "r.md"}
    return [swap.get(a, a) for a in argv]


@pytest.mark.parametrize("argv", FILE_OPTIONS, ids=lambda a: a[2] if a[0] != "session"
                         else "provider")
@pytest.mark.parametrize("content", [b"caf\xe9\n", b"\xed\xa0\x80 surrogate\n"],
                         ids=["latin-1", "encoded-surrogate"])
def test_a_file_that_is_not_utf8_is_a_usage_error(cli, journal, tmp_path, argv,
                                                   content):
    file = _file(tmp_path, "text.txt", content)
    result = cli(*_argv(argv, journal, file, tmp_path), stdin="Body")
    assert result.code == 2, result.err
    assert "UTF-8" in result.err
    assert "caf" not in result.err and "surrogate" not in result.err
    assert _entries(journal) == []


@pytest.mark.parametrize("argv", FILE_OPTIONS[:3], ids=lambda a: a[2])
def test_a_missing_file_is_a_usage_error(cli, journal, tmp_path, argv):
    result = cli(*_argv(argv, journal, tmp_path / "nowhere.txt", tmp_path), stdin="Body")
    assert result.code == 2, result.err
    assert "nowhere.txt" in result.err


def test_a_file_longer_than_the_journal_takes_is_refused(cli, journal, tmp_path):
    file = _file(tmp_path, "title.txt", "x" * (bounds.MAX_TEXT_CHARS + 1))
    result = cli("add", journal, "--title-file", file, stdin="Body")
    assert result.code == 2, result.err
    assert "title" in result.err
    assert _entries(journal) == []


# --------------------------------------------------------------------------- help


def _help(*verb: str) -> str:
    parser = build_parser()
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict):
            sub = action.choices[verb[0]]
            break
    if len(verb) > 1:
        for action in sub._actions:
            if hasattr(action, "choices") and isinstance(action.choices, dict):
                sub = action.choices[verb[1]]
    return " ".join(sub.format_help().split())


@pytest.mark.parametrize(("verb", "options"), [
    (("add",), ("--title-file", "--tag-file")),
    (("search",), ("--query-file", "--tag-file")),
    (("session", "add"), ("--provider-file",)),
    (("export",), ("--name-file",)),
])
def test_help_says_the_file_form_keeps_text_out_of_the_process_list(verb, options):
    text = _help(*verb)
    for option in options:
        assert option in text
    assert "process list" in text
    assert "shell history" in text


def test_the_readme_says_so_too():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.split(r"^## ", readme.split("## Command line", 1)[1], flags=re.M)[0]
    assert "--title-file" in section
    assert "process list" in section
    assert "shell history" in section
