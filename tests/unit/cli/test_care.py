"""The care verbs: capture, due and sessions (cli.md), run in-process through ``main``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from journal_app.domain.entities import EntryKind
from journal_app.storage import inbox
from journal_app.storage.care import TimelineRepository
from journal_app.storage.filestore import InstanceLock
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import PASS

SESSION_DATE = "2026-03-02T10:00+01:00"


def _json(result) -> dict:
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["format"], data["version"]) == ("integration-journal", 1)
    return data


def _add_session(cli, journal: Path, date: str = SESSION_DATE) -> int:
    result = cli("session", "add", journal, "--date", date)
    assert result.code == 0, result.err
    return int(result.out)


def _set_steps(journal: Path, *changes: tuple[int, str, str]) -> None:
    """Store step statuses the way the GUI does, then save."""
    with Vault.open(journal, Secret(passphrase=PASS)) as vault:
        steps = TimelineRepository(vault.db)
        for session_id, step, status in changes:
            if status == "in-progress":
                steps.save_progress(session_id, step, {"answers": {}})
            else:
                steps.set_status(session_id, step, status)
        vault.save()


# --------------------------------------------------------------------------- capture


def test_capture_works_while_the_journal_is_held_and_merges_at_the_next_unlock(cli, journal):
    holder = InstanceLock(journal)
    holder.acquire()
    try:
        before = journal.read_bytes()
        result = cli("capture", journal, stdin="Light behind my eyes.\n", passphrase=None)
        assert result.code == 0, result.err
        assert "next unlock" in result.err
        assert "Light behind" not in result.out + result.err
        assert journal.read_bytes() == before  # only the inbox beside it was written
        [item] = inbox.inbox_items(journal)
        assert b"Light behind" not in item.read_bytes()  # sealed, not plain text
    finally:
        holder.release()
    with Vault.open(journal, Secret(passphrase=PASS)) as vault:
        repo = JournalRepository(vault.db)
        report = inbox.merge_inbox(vault, repo)
        [entry] = repo.list_entries()
    assert report.merged == 1
    assert entry.body == "Light behind my eyes."
    assert entry.kind is EntryKind.QUICK_CAPTURE
    assert inbox.inbox_items(journal) == []


@pytest.mark.parametrize("stdin", ["", "  \n\n", b"\xef\xbb\xbf"])
def test_capture_without_text_exits_2_and_keeps_nothing(cli, journal, stdin):
    result = cli("capture", journal, stdin=stdin, passphrase=None)
    assert result.code == 2
    assert "Nothing to keep" in result.err
    assert inbox.inbox_items(journal) == []


def test_capture_refuses_text_that_is_not_utf8(cli, journal):
    result = cli("capture", journal, stdin=b"caf\xe9", passphrase=None)
    assert result.code == 2
    assert "not UTF-8" in result.err
    assert inbox.inbox_items(journal) == []


def test_capture_needs_an_existing_journal(cli, tmp_path):
    missing = tmp_path / "none.ijournal"
    result = cli("capture", missing, stdin="a note", passphrase=None)
    assert result.code == 1
    assert "There is no journal" in result.err
    assert not inbox.inbox_dir(missing).exists()


# --------------------------------------------------------------------------- due


@pytest.mark.parametrize(("at", "expected"), [
    ("2026-02-24T10:00+01:00", [("preparation", "due")]),
    ("2026-03-02T19:00+01:00", [("day0", "due")]),  # the evening after
    ("2026-03-03T10:00+01:00", [("day1", "due")]),
    ("2026-03-05T10:00+01:00", [("day1", "overdue"), ("day3", "due")]),
    ("2026-03-09T10:00+01:00", [("day1", "overdue"), ("day3", "overdue"), ("week1", "due")]),
], ids=["D-6", "D-evening", "D+1", "D+3", "D+7"])
def test_due_at_fixed_instants(cli, journal, at, expected):
    session_id = _add_session(cli, journal)
    items = _json(cli("due", journal, "--json", "--at", at))["items"]
    assert [(i["step"], i["status"]) for i in items] == expected
    for item in items:
        assert item["session_id"] == session_id
        assert item["title"]
        due_at = dt.datetime.fromisoformat(item["due_at"])
        assert due_at.utcoffset() == dt.timedelta(hours=1)
        assert due_at <= dt.datetime.fromisoformat(at)
    text = cli("due", journal, "--at", at)
    assert text.code == 0
    lines = text.out.splitlines()
    assert len(lines) == len(expected)
    for line, (step, status) in zip(lines, expected, strict=True):
        assert step in line
        assert status in line


def test_due_evening_item_becomes_due_at_six(cli, journal):
    _add_session(cli, journal)
    items = _json(cli("due", journal, "--json", "--at", "2026-03-02T19:00+01:00"))["items"]
    assert items[0]["due_at"].startswith("2026-03-02T18:00")


def test_due_without_an_offset_is_local_time(cli, journal):
    _add_session(cli, journal, "2026-03-02T10:00")  # local time too
    items = _json(cli("due", journal, "--json", "--at", "2026-03-02T19:00"))["items"]
    assert [i["step"] for i in items] == ["day0"]


def test_due_leaves_out_steps_done_or_skipped(cli, journal):
    session_id = _add_session(cli, journal)
    _set_steps(journal, (session_id, "day1", "done"), (session_id, "day3", "skipped"))
    items = _json(cli("due", journal, "--json", "--at", "2026-03-09T10:00+01:00"))["items"]
    assert [i["step"] for i in items] == ["week1"]


def test_due_with_nothing_due(cli, journal):
    result = cli("due", journal, "--at", "2026-03-02T19:00+01:00")
    assert result.code == 0
    assert result.out == ""
    assert "Nothing is due" in result.err
    assert _json(cli("due", journal, "--json"))["items"] == []


def test_due_refuses_a_moment_that_is_not_iso_8601(cli, journal):
    result = cli("due", journal, "--at", "tomorrow")
    assert result.code == 2
    assert "ISO-8601" in result.err


def test_due_with_a_wrong_passphrase_exits_3(cli, journal):
    assert cli("due", journal, passphrase="not it").code == 3


def test_due_works_while_another_program_holds_the_journal(cli, journal):
    _add_session(cli, journal)
    holder = InstanceLock(journal)
    holder.acquire()
    try:
        assert cli("due", journal, "--at", "2026-03-03T10:00+01:00").code == 0
    finally:
        holder.release()


# --------------------------------------------------------------------------- sessions


def test_sessions_report_preparation_and_integration(cli, journal):
    first = _add_session(cli, journal, "2026-03-02T10:00+01:00")
    second = _add_session(cli, journal, "2026-03-09T10:00+01:00")
    third = _add_session(cli, journal, "2026-03-16T10:00+01:00")
    _set_steps(journal, (first, "preparation", "done"), (first, "day0", "done"),
               (first, "day1", "done"), (first, "day3", "skipped"),
               (second, "preparation", "in-progress"), (second, "day0", "in-progress"))
    sessions = _json(cli("sessions", journal, "--json"))["sessions"]
    by_id = {s["id"]: s for s in sessions}
    assert by_id[first]["preparation"] == "done"
    # the first has a next session, so "before your next session" counts too; done counts
    # steps done or skipped, as the app's Sessions page does (timeline.session_progress)
    integration = by_id[first]["integration"]
    assert (integration["done"], integration["skipped"], integration["total"]) == (3, 1, 5)
    assert integration["open"] in (0, 1, 2)  # week1 and before_next follow the clock
    assert by_id[second]["preparation"] == "in-progress"
    assert by_id[second]["integration"]["done"] == 0
    assert by_id[second]["integration"]["skipped"] == 0
    assert by_id[second]["integration"]["total"] == 5
    assert by_id[third]["preparation"] == "not-started"
    integration = by_id[third]["integration"]
    assert (integration["done"], integration["skipped"], integration["total"]) == (0, 0, 4)
    for session in sessions:
        assert {"id", "date", "modality", "number"} <= session.keys()
    assert [i["step"] for i in by_id[third]["timeline"]] == [
        "preparation", "day0", "day1", "day3", "week1"]

    lines = cli("sessions", journal).out.splitlines()
    assert len(lines) == 3
    assert "preparation done · 3 of 5 integration steps done (1 skipped)" in lines[0]
    assert "preparation in progress · 0 of 5 integration steps done" in lines[1]
    assert "preparation not started · 0 of 4 integration steps done" in lines[2]


def test_sessions_with_no_sessions(cli, journal):
    result = cli("sessions", journal)
    assert result.code == 0
    assert "no treatment sessions" in result.err
    assert _json(cli("sessions", journal, "--json"))["sessions"] == []


def test_sessions_counts_as_the_app_does(cli, journal):
    """Skipped counts as finished, as on the app's Sessions page (the shared rule:
    tests/unit/test_session_progress.py)."""
    for date in ("2026-03-02T10:00+01:00", "2026-03-16T10:00+01:00"):
        assert cli("session", "add", journal, "--date", date).code == 0
    with Vault.open(journal, Secret(passphrase=PASS)) as vault:
        steps = TimelineRepository(vault.db)
        steps.set_status(1, "day0", "done")
        steps.set_status(1, "day1", "skipped")
        vault.save()
    result = cli("sessions", journal, "--json")
    assert result.code == 0, result.err
    first = json.loads(result.out)["sessions"][0]
    assert first["integration"]["done"] == 2
    assert first["integration"]["skipped"] == 1
    assert first["integration"]["total"] == 5
    line = cli("sessions", journal).out.splitlines()[0]
    assert "2 of 5 integration steps done (1 skipped)" in line
