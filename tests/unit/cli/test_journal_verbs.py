"""The command line's verbs, run in-process through ``main(argv)`` (cli.md)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import types

import pytest

from journal_app.cli import journal_verbs
from journal_app.domain.search import MARK_END, MARK_START
from journal_app.storage import reader
from journal_app.storage.database import head_revision
from journal_app.storage.fileformat import parse
from journal_app.storage.filestore import InstanceLock
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import (
    ENV_NEW_PASSPHRASE,
    FAST_KDF,
    FAST_KDF_ARGS,
    PASS,
)

RECOVERY_KEY = re.compile(r"^[A-Z2-7]{5}(-[A-Z2-7]{5}){7}$")


def _json(result) -> dict:
    data = json.loads(result.out)
    assert data["format"] == "integration-journal"
    assert data["version"] == 1
    return data


# --------------------------------------------------------------------------- init


def test_init_prints_only_the_recovery_key_on_stdout(cli, tmp_path, monkeypatch):
    path = tmp_path / "new.ijournal"
    monkeypatch.setenv(ENV_NEW_PASSPHRASE, "my new passphrase")
    result = cli("init", path, *FAST_KDF_ARGS, passphrase=None)
    assert result.code == 0, result.err
    key = result.out.strip()
    assert RECOVERY_KEY.match(key), result.out
    assert "recovery key" in result.err.lower()
    assert key not in result.err
    Vault.open(path, Secret(passphrase="my new passphrase"), lock=False).close()
    Vault.open(path, Secret(recovery_key=key), lock=False).close()


def test_init_takes_the_passphrase_from_journal_app_passphrase(cli, tmp_path):
    path = tmp_path / "new.ijournal"
    assert cli("init", path, *FAST_KDF_ARGS, passphrase="plain env one").code == 0
    Vault.open(path, Secret(passphrase="plain env one"), lock=False).close()


def test_init_prefers_the_new_passphrase_variable(cli, tmp_path, monkeypatch):
    path = tmp_path / "new.ijournal"
    monkeypatch.setenv(ENV_NEW_PASSPHRASE, "the new one")
    assert cli("init", path, *FAST_KDF_ARGS, passphrase="the other one").code == 0
    Vault.open(path, Secret(passphrase="the new one"), lock=False).close()


def test_init_writes_the_requested_kdf_settings(cli, tmp_path):
    path = tmp_path / "new.ijournal"
    assert cli("init", path, "--kdf-memory", "16", "--kdf-iterations", "2").code == 0
    kdf = parse(path.read_bytes()).header.slot("passphrase").kdf
    assert (kdf.memory_kib, kdf.iterations, kdf.lanes) == (16 * 1024, 2, 2)


def test_init_without_kdf_options_calibrates(cli, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(journal_verbs, "calibrate", lambda: calls.append(1) or FAST_KDF)
    path = tmp_path / "new.ijournal"
    assert cli("init", path).code == 0
    assert calls == [1]
    assert parse(path.read_bytes()).header.slot("passphrase").kdf == FAST_KDF


@pytest.mark.parametrize("args", [["--kdf-memory", "4"], ["--kdf-memory", "2048"],
                                  ["--kdf-iterations", "100"], ["--kdf-memory", "0"]])
def test_init_refuses_kdf_settings_out_of_range(cli, tmp_path, args):
    path = tmp_path / "new.ijournal"
    result = cli("init", path, *args)
    assert result.code == 2
    assert not path.exists()


def test_init_never_overwrites_a_file(cli, journal):
    before = journal.read_bytes()
    result = cli("init", journal, *FAST_KDF_ARGS)
    assert result.code == 1
    assert "already exists" in result.err
    assert journal.read_bytes() == before


# --------------------------------------------------------------------------- add/list/show


def test_add_prints_the_new_id_and_stores_every_field(cli, journal):
    result = cli("add", journal, "--kind", "integration", "--title", "After session 2",
                 "--tag", "Calm", "--tag", "#sea", "--private",
                 "--date", "2026-03-01T14:30+01:00", stdin="I felt *open*.\n\nMore.\n")
    assert result.code == 0, result.err
    entry_id = int(result.out.strip())
    shown = _json(cli("show", journal, entry_id, "--json"))["entry"]
    assert shown["id"] == entry_id
    assert shown["kind"] == "integration"
    assert shown["title"] == "After session 2"
    assert shown["body"] == "I felt *open*.\n\nMore."
    assert shown["tags"] == ["calm", "sea"]
    assert shown["private"] is True
    assert shown["created_at"] == "2026-03-01T14:30:00+01:00"
    assert dt.datetime.fromisoformat(shown["updated_at"]).utcoffset() is not None
    assert shown["session_id"] is None
    assert isinstance(shown["uid"], str) and shown["uid"]


def test_show_text_has_title_and_body(cli, journal):
    entry_id = cli("add", journal, "--title", "Morning", stdin="Slept well.").out.strip()
    result = cli("show", journal, entry_id)
    assert result.code == 0
    assert "Morning" in result.out
    assert "Slept well." in result.out


def test_list_is_newest_first_in_text_and_json(cli, journal):
    for day, title in (("2026-01-01", "first"), ("2026-03-01", "third"),
                       ("2026-02-01", "second")):
        assert cli("add", journal, "--title", title, "--date", day).code == 0
    entries = _json(cli("list", journal, "--json"))["entries"]
    assert [e["title"] for e in entries] == ["third", "second", "first"]
    text = cli("list", journal).out.splitlines()
    assert [line.split()[-1] for line in text] == ["third", "second", "first"]


def test_list_of_an_empty_journal(cli, journal):
    result = cli("list", journal, "--json")
    assert result.code == 0
    assert _json(result)["entries"] == []


def test_add_without_text_or_title_is_refused(cli, journal):
    before = journal.read_bytes()
    result = cli("add", journal, stdin="  \n")
    assert result.code == 2
    assert "Nothing to add" in result.err
    assert journal.read_bytes() == before


@pytest.mark.parametrize("args", [["--date", "yesterday"], ["--kind", "diary"],
                                  ["--date", "2026-13-01"]])
def test_add_usage_errors_exit_2(cli, journal, args):
    before = journal.read_bytes()
    assert cli("add", journal, *args, stdin="text").code == 2
    assert journal.read_bytes() == before


def test_show_unknown_id(cli, journal):
    result = cli("show", journal, 42)
    assert result.code == 1
    assert "no entry with id 42" in result.err


def test_text_and_json_are_utf8(cli, journal):
    cli("add", journal, "--title", "Ça va — 気持ち", stdin="Ünïcode ✓")
    assert _json(cli("list", journal, "--json"))["entries"][0]["title"] == "Ça va — 気持ち"
    assert "Ça va — 気持ち" in cli("list", journal).out


# --------------------------------------------------------------------------- search


def test_search_marks_matches_in_text_and_strips_them_in_json(cli, journal):
    cli("add", journal, "--title", "Sea", stdin="The ocean was calm and wide.")
    cli("add", journal, "--title", "Forest", stdin="Trees and moss.")
    text = cli("search", journal, "ocean")
    assert text.code == 0
    assert "**ocean**" in text.out
    assert "Forest" not in text.out
    results = _json(cli("search", journal, "ocean", "--json"))["results"]
    assert [r["title"] for r in results] == ["Sea"]
    snippet = results[0]["snippet"]
    assert "ocean" in snippet
    for marker in (MARK_START, MARK_END, "**"):
        assert marker not in snippet


@pytest.mark.parametrize("query", ['"', '"unbalanced', "a:b", "NEAR(", "***", "-", "-ocean",
                                   "it's", "(a OR b)", "^x", '""', 'ocean"sea', "AND", "*"])
def test_search_never_errors_on_odd_queries(cli, journal, query):
    cli("add", journal, stdin="it's the ocean, a:b (and NEAR) words")
    result = cli("search", journal, "--json", "--", query)  # "--": query may start with "-"
    assert result.code == 0, result.err
    assert isinstance(_json(result)["results"], list)


# --------------------------------------------------------------------------- verify


def test_verify_prints_generation_counts_revision_and_backups(cli, journal):
    cli("add", journal, stdin="one")
    cli("add", journal, stdin="two")
    cli("session", "add", journal, "--date", "2026-01-05")
    result = cli("verify", journal)
    assert result.code == 0, result.err
    fields = dict(line.split(":", 1) for line in result.out.splitlines())
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    # create saves generation 1, then three saves
    assert fields["Generation"] == "4"
    assert fields["Entries"] == "2"
    assert fields["Sessions"] == "1"
    assert fields["Schema revision"] == head_revision()
    assert fields["Backups"] == "1"  # the first version of today
    assert fields["Integrity"] == "ok"


def test_verify_works_while_another_program_holds_the_journal(cli, journal):
    holder = InstanceLock(journal)
    holder.acquire()
    try:
        assert cli("verify", journal).code == 0
    finally:
        holder.release()


def test_verify_detects_a_broken_search_index(cli, journal):
    cli("add", journal, stdin="ocean calm")
    with Vault.open(journal, Secret(passphrase=PASS)) as vault:
        # The index told to forget words the entry never had: no longer its entries'.
        vault.db.conn.execute("INSERT INTO entries_fts(entries_fts, rowid, title, body, tags) "
                              "VALUES('delete', 1, '', 'other words', '')")
        vault.save()
    result = cli("verify", journal)
    assert result.code == 4
    assert "Integrity:       FAILED" in result.out
    assert "integrity check" in result.err
    assert "backup" in result.err


# --------------------------------------------------------------------------- sessions


def test_session_add_numbers_the_course(cli, journal):
    first = cli("session", "add", journal, "--date", "2026-01-05T09:00+01:00",
                "--provider", "Dr. Rivera")
    assert first.code == 0, first.err
    second = cli("session", "add", journal, "--date", "2026-01-08", "--modality", "oral",
                 "--setting", "home")
    explicit = cli("session", "add", journal, "--date", "2026-01-12", "--number", "5")
    after = cli("session", "add", journal, "--date", "2026-01-15")
    ids = [int(r.out) for r in (first, second, explicit, after)]
    sessions = _json(cli("sessions", journal, "--json"))["sessions"]
    assert [s["id"] for s in sessions] == ids
    assert [s["number"] for s in sessions] == [1, 2, 5, 6]
    assert sessions[0]["date"] == "2026-01-05T09:00:00+01:00"
    assert sessions[0]["modality"] == "iv-infusion"
    assert sessions[0]["setting"] == "clinic"
    assert sessions[0]["provider"] == "Dr. Rivera"
    assert (sessions[1]["modality"], sessions[1]["setting"]) == ("oral", "home")
    for session in sessions:
        assert {"id", "date", "modality", "number"} <= session.keys()


def test_sessions_text_lists_each_session(cli, journal):
    cli("session", "add", journal, "--date", "2026-01-05", "--provider", "Dr. Rivera",
        "--modality", "nasal-esketamine")
    lines = cli("sessions", journal).out.splitlines()
    assert len(lines) == 1
    assert "2026-01-05" in lines[0]
    assert "nasal-esketamine" in lines[0]
    assert "#1" in lines[0]
    assert "Dr. Rivera" in lines[0]


@pytest.mark.parametrize("args", [[], ["--date", "2026-01-05", "--modality", "pill"],
                                  ["--date", "2026-01-05", "--setting", "park"],
                                  ["--date", "2026-01-05", "--number", "0"]])
def test_session_add_usage_errors(cli, journal, args):
    before = journal.read_bytes()
    assert cli("session", "add", journal, *args).code == 2
    assert journal.read_bytes() == before


# --------------------------------------------------------------------------- dispatch


@pytest.mark.parametrize("argv", [["list"], ["frobnicate", "x"], ["show", "j", "abc"],
                                  ["session"], ["list", "j", "--passphrase", "x"]])
def test_usage_errors_exit_2(cli, argv):
    result = cli(*argv)
    assert result.code == 2
    assert "usage:" in result.err


def test_help_exits_0(cli):
    result = cli("--help")
    assert result.code == 0
    assert "init" in result.out


@pytest.fixture
def fake_gui(monkeypatch):
    calls = []
    module = types.ModuleType("journal_app.app")
    module.run_gui = lambda path: calls.append(path) or 0
    monkeypatch.setitem(sys.modules, "journal_app.app", module)
    return calls


def test_no_verb_starts_the_gui(cli, fake_gui):
    assert cli().code == 0
    assert fake_gui == [None]


def test_a_lone_path_starts_the_gui_on_it(cli, fake_gui, tmp_path):
    path = tmp_path / "mine.ijournal"
    assert cli(path).code == 0
    assert fake_gui == [path]


def test_an_unexpected_error_shows_only_its_type(cli, journal, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("private words from the journal")

    monkeypatch.setattr(reader, "list_lines", broken)  # what ``list`` reads with
    result = cli("list", journal)
    assert result.code == 1
    assert "RuntimeError" in result.err
    assert "private words" not in result.err + result.out
