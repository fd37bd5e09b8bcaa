"""Every input of the command line is held to domain/bounds.py: dates from 1900 to 2200,
whole numbers that fit the journal, text that is valid Unicode. A value outside is a
usage error (exit 2) with a message naming the field, never a traceback, and nothing is
written. Rows already in a journal at the ends of the calendar never stop a verb."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journal_app.storage import inbox
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import (
    ENV_PASSPHRASE,
    PASS,
    ROOT,
    Snapshot,
)

SURROGATE = "caf\udce9"  # what Python makes of b"caf\xe9" with surrogateescape
HUGE = "9" * 5000


def _refused(result, *words: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    assert "unexpected error" not in result.err
    for word in words:
        assert word in result.err, result.err


# --------------------------------------------------------------------------- dates


OUT_OF_RANGE = ["0001-01-01", "1899-12-31T23:00+00:00", "2201-01-01", "9999-12-31T23:59"]


@pytest.mark.parametrize("date", OUT_OF_RANGE)
@pytest.mark.parametrize("verb", [
    ("add", "--title", "t", "--date"),
    ("session", "add", "--date"),
    ("checkin", "mood", "--answers", "5", "--date"),
    ("due", "--at"),
    ("export", "--format", "md", "--out", "OUT", "--from"),
    ("export", "--format", "md", "--out", "OUT", "--to"),
    ("search", "word", "--from"),
], ids=lambda v: " ".join(v[:2]) if isinstance(v, tuple) else v)
def test_dates_outside_1900_to_2200_are_usage_errors(cli, journal, tmp_path, verb, date):
    before = Snapshot.of(journal)
    head, *rest = verb
    if head == "search":
        date = date[:10]  # search filters by day
    if head == "session":
        argv = ["session", "add", journal, *rest[1:], date]
    else:
        argv = [head, journal, *rest, date]
    argv = [str(tmp_path / "out.md") if a == "OUT" else a for a in argv]
    _refused(cli(*argv), "1900", "2200")
    before.assert_unchanged(journal)
    assert not (tmp_path / "out.md").exists()


@pytest.mark.parametrize("date", ["1900-01-01T00:00+00:00", "2200-12-31T12:00+00:00"])
def test_the_ends_of_the_range_are_accepted(cli, journal, date):
    assert cli("session", "add", journal, "--date", date).code == 0
    assert cli("sessions", journal, "--json").code == 0
    assert cli("due", journal, "--at", date).code == 0


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("argv", [
    ("show", "J", HUGE),
    ("show", "J", str(2**63)),
    ("session", "add", "J", "--date", "2026-03-01", "--number", HUGE),
    ("session", "add", "J", "--date", "2026-03-01", "--number", str(2**63)),
    ("search", "J", "word", "--session", HUGE),
    ("search", "J", "word", "--limit", str(2**64)),
], ids=lambda a: " ".join(a[:1] + a[3:4]))
def test_whole_numbers_are_bounded(cli, journal, argv):
    before = Snapshot.of(journal)
    result = cli(*[journal if a == "J" else a for a in argv])
    _refused(result)
    assert HUGE not in result.err  # the message names the field, it doesn't echo it
    before.assert_unchanged(journal)


@pytest.mark.parametrize("answers", [HUGE, "-" + HUGE, str(2**63)])
def test_huge_answers_are_refused(cli, journal, answers):
    before = Snapshot.of(journal)
    result = cli("checkin", journal, "mood", "--answers", answers)
    _refused(result, "nothing was stored")
    assert HUGE not in result.err
    before.assert_unchanged(journal)
    result = cli("checkin", journal, "mood", "--answers", "-", stdin=answers)
    _refused(result, "nothing was stored")
    before.assert_unchanged(journal)


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize("argv", [
    ("add", "J", "--title", SURROGATE),
    ("add", "J", "--title", "t", "--tag", SURROGATE),
    ("session", "add", "J", "--date", "2026-03-01", "--provider", SURROGATE),
    ("search", "J", SURROGATE),
    ("export", "J", "--format", "md", "--out", "OUT", "--name", SURROGATE),
], ids=lambda a: " ".join(a[:1] + a[2:3]))
def test_argv_text_with_lone_surrogates_is_refused(cli, journal, tmp_path, argv):
    before = Snapshot.of(journal)
    out = tmp_path / "out.md"
    result = cli(*[journal if a == "J" else str(out) if a == "OUT" else a for a in argv])
    _refused(result, "not valid text")
    before.assert_unchanged(journal)
    assert not out.exists()


@pytest.mark.parametrize("verb", [("add", "J"), ("capture", "J")], ids=lambda v: v[0])
@pytest.mark.parametrize("data", [b"caf\xe9", b"\xed\xa0\x80 half a pair", b"ok \xff\xfe"])
def test_stdin_that_is_not_utf8_is_refused(cli, journal, verb, data):
    before = Snapshot.of(journal)
    result = cli(*[journal if a == "J" else a for a in verb], stdin=data)
    _refused(result, "not UTF-8")
    before.assert_unchanged(journal)
    assert inbox.inbox_items(journal) == []


@pytest.mark.parametrize("verb", ["add", "capture"])
def test_stdin_decoded_with_surrogateescape_is_refused(cli, journal, monkeypatch, verb):
    """Some locales give Python a text stdin without a byte buffer underneath, and errors
    decoded to lone surrogates: they are refused the same way."""
    before = Snapshot.of(journal)
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    monkeypatch.setattr(sys, "stdin", io.StringIO(SURROGATE))
    from journal_app.cli import main

    code = main([verb, str(journal)])
    assert code == 2
    before.assert_unchanged(journal)
    assert inbox.inbox_items(journal) == []


def test_a_passphrase_with_lone_surrogates_is_refused(cli, journal):
    result = cli("list", journal, passphrase="pass\udcff")
    _refused(result, "passphrase")


def test_undecodable_argv_bytes_in_a_real_process(journal):
    """argv bytes that aren't UTF-8 reach Python as lone surrogates (surrogateescape)."""
    before = Snapshot.of(journal)
    env = {**os.environ, ENV_PASSPHRASE: PASS, "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"journal_app", b"add", os.fsencode(journal),
         b"--title", b"caf\xe9"], input=b"body", capture_output=True, env=env, cwd=ROOT,
        timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"not valid text" in result.stderr
    before.assert_unchanged(journal)


# --------------------------------------------------------------------------- old rows


def _put_extreme_rows(cli, journal: Path, stamp: str) -> None:
    """A session and a check-in dated ``stamp``, written straight into the database (the
    entry points refuse such dates now, but a journal may already hold them)."""
    assert cli("session", "add", journal, "--date", "2026-03-01T10:00+00:00").code == 0
    assert cli("session", "add", journal, "--date", "2026-03-08T10:00+00:00").code == 0
    assert cli("checkin", journal, "mood", "--answers", "5").code == 0
    assert cli("checkin", journal, "mood", "--answers", "6").code == 0
    with Vault.open(journal, Secret(passphrase=PASS)) as vault:
        conn = vault.db.conn
        conn.execute("UPDATE sessions SET starts_at = ? WHERE id = 1", (stamp,))
        conn.execute("UPDATE check_ins SET taken_at = ? WHERE id = 1", (stamp,))
        vault.mark_dirty()
        vault.save()


@pytest.mark.parametrize("stamp", [
    "0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:00:00+00:00", "9999-12-31T23:59:00-05:00",
])
def test_verbs_work_on_a_journal_holding_year_1_or_9999(cli, journal, tmp_path, stamp):
    _put_extreme_rows(cli, journal, stamp)
    for argv in (("sessions",), ("sessions", "--json"), ("due",), ("due", "--json"),
                 ("scores",), ("scores", "--json"), ("list",), ("verify",),
                 ("export", "--format", "json", "--out", str(tmp_path / "o.json"))):
        result = cli(argv[0], journal, *argv[1:])
        assert result.code == 0, (argv, result.err)
        if "--json" in argv:
            json.loads(result.out)
    sessions = json.loads(cli("sessions", journal, "--json").out)["sessions"]
    assert sorted(s["id"] for s in sessions) == [1, 2]
