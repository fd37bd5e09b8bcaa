"""Quick notes and the command line: every verb that writes merges the inbox first (as the
app does at unlock) and says how many notes it added; every verb that reads says how many
are waiting. Counts go to stderr only, so --json stays parseable."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from journal_app.domain import bounds
from journal_app.domain.entities import EntryKind
from journal_app.storage import inbox
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import PASS, make_journal
from tests.unit.test_inbox_claims import BACKDATED, TEXT

NOTE = "Light behind my eyes."


def _capture(cli, journal: Path, count: int = 1) -> None:
    for n in range(count):
        result = cli("capture", journal, stdin=f"{NOTE} {n}", passphrase=None)
        assert result.code == 0, result.err


def _quick_notes(journal: Path) -> list:
    with Vault.open(journal, Secret(passphrase=PASS), lock=False) as vault:
        entries = JournalRepository(vault.db).list_entries()
    return [e for e in entries if e.kind is EntryKind.QUICK_CAPTURE]


WRITERS = [
    ("add", "J", "--title", "Evening"),
    ("session", "add", "J", "--date", "2026-03-02T10:00+01:00"),
    ("checkin", "J", "mood", "--answers", "5"),
]


@pytest.mark.parametrize("argv", WRITERS, ids=lambda a: a[0])
def test_writing_verbs_merge_waiting_notes_first(cli, journal, argv):
    _capture(cli, journal, 2)
    result = cli(*[journal if a == "J" else a for a in argv])
    assert result.code == 0, result.err
    assert "2 quick notes" in result.err
    assert NOTE not in result.err + result.out
    assert inbox.inbox_items(journal) == []
    assert sorted(e.body for e in _quick_notes(journal)) == [f"{NOTE} 0", f"{NOTE} 1"]
    again = cli(*[journal if a == "J" else a for a in argv])
    assert "quick note" not in again.err


def test_import_merges_waiting_notes(cli, journal, tmp_path):
    other = make_journal(tmp_path / "other.ijournal")[0]
    assert cli("add", other, "--title", "From elsewhere", stdin="text").code == 0
    export = tmp_path / "export.json"
    assert cli("export", other, "--format", "json", "--out", export).code == 0
    _capture(cli, journal)
    result = cli("import", journal, export)
    assert result.code == 0, result.err
    assert "1 quick note" in result.err
    assert inbox.inbox_items(journal) == []
    assert len(_quick_notes(journal)) == 1


def test_checkin_json_stays_parseable_while_notes_merge(cli, journal):
    _capture(cli, journal)
    result = cli("checkin", journal, "mood", "--answers", "5", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["total"] == 5
    assert "1 quick note" in result.err


READERS = [("list",), ("list", "--json"), ("show", "1"), ("search", "Evening"),
           ("search", "Evening", "--json"), ("verify",), ("sessions",), ("sessions", "--json"),
           ("due",), ("due", "--json"), ("scores",), ("scores", "--json"),
           ("export", "--format", "json", "--out", "OUT")]


@pytest.mark.parametrize("argv", READERS, ids=" ".join)
def test_reading_verbs_say_how_many_notes_are_waiting(cli, journal, tmp_path, argv):
    assert cli("add", journal, "--title", "Evening", stdin="A calm walk.").code == 0
    _capture(cli, journal, 3)
    args = [str(tmp_path / "o.json") if a == "OUT" else a for a in argv[1:]]
    result = cli(argv[0], journal, *args)
    assert result.code == 0, result.err
    assert "3 quick notes are waiting" in result.err
    assert NOTE not in result.err
    if "--json" in argv:
        json.loads(result.out)
    assert len(inbox.inbox_items(journal)) == 3  # readers never merge


def test_reading_verbs_say_nothing_without_notes(cli, journal):
    assert cli("add", journal, "--title", "Evening", stdin="A calm walk.").code == 0
    assert "quick note" not in cli("list", journal).err
    assert "quick note" not in cli("sessions", journal).err


def test_capture_says_when_the_note_will_be_added(cli, journal):
    result = cli("capture", journal, stdin=NOTE, passphrase=None)
    assert result.code == 0
    assert "next unlock" in result.err
    assert "journal-app add" in result.err or "writes to it" in result.err


@pytest.mark.parametrize("claimed", [
    dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC),
    dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC),
    dt.datetime(1899, 12, 31, 12, 0, tzinfo=dt.UTC),
])
def test_a_note_claiming_a_date_out_of_bounds_gets_the_merge_time(cli, journal, claimed):
    inbox.seal_note(journal, NOTE, captured_at=claimed)
    before = dt.datetime.now(dt.UTC)
    result = cli("add", journal, "--title", "Evening")
    assert result.code == 0, result.err
    [note] = _quick_notes(journal)
    assert note.body.startswith(f"{NOTE}\n\nWritten while locked; the note said ")
    bounds.check_date(note.created_at)
    assert note.created_at >= before - dt.timedelta(seconds=5)
    assert note.updated_at == note.created_at
    assert cli("sessions", journal).code == 0
    assert cli("list", journal, "--json").code == 0


def test_a_note_within_bounds_keeps_its_capture_time(cli, journal):
    # After the journal's last save and before the merge (tests/unit/test_inbox_claims.py)
    claimed = dt.datetime.now(dt.UTC).replace(microsecond=0)
    inbox.seal_note(journal, NOTE, captured_at=claimed)
    assert cli("add", journal, "--title", "Evening").code == 0
    [note] = _quick_notes(journal)
    assert note.created_at == claimed


# --------------------------------------------------------------------------- what notes claim
# What a quick note claims is not taken on trust (issue 14; the merge itself:
# tests/unit/test_inbox_claims.py): the command line says what it did with the claims, and
# lists mark the notes.


def test_a_writing_verb_says_how_many_notes_still_wait(cli, journal, monkeypatch):
    monkeypatch.setattr(inbox, "MAX_MERGE", 2)
    for n in range(3):
        inbox.seal_note(journal, f"note {n}")
    result = cli("add", journal, "--title", "Evening")
    assert result.code == 0, result.err
    assert "Added 2 quick notes" in result.err
    assert "1 quick note" in result.err and "still waiting" in result.err
    assert "note 0" not in result.err


def test_a_writing_verb_says_when_notes_were_redated(cli, journal):
    inbox.seal_note(journal, TEXT, captured_at=BACKDATED)
    result = cli("add", journal, "--title", "Evening")
    assert result.code == 0, result.err
    assert "dated when they were added" in result.err or "dated now" in result.err
    assert "2019" not in result.err


def test_list_and_show_mark_notes_written_while_locked(cli, journal):
    inbox.seal_note(journal, TEXT)
    assert cli("add", journal, "--title", "Evening", stdin="Typed unlocked").code == 0
    listing = cli("list", journal)
    assert listing.code == 0, listing.err
    lines = listing.out.splitlines()
    [quick] = [line for line in lines if "Light behind" in line]
    [typed] = [line for line in lines if "Evening" in line]
    assert "written while locked" in quick
    assert "written while locked" not in typed
    quick_id = quick.split()[0]
    shown = cli("show", journal, quick_id)
    assert "written while locked" in shown.out.lower()
    assert "written while locked" not in cli("show", journal, typed.split()[0]).out.lower()


def test_list_json_is_unchanged_by_the_marker(cli, journal):
    inbox.seal_note(journal, TEXT)
    assert cli("add", journal, "--title", "Evening").code == 0
    data = json.loads(cli("list", journal, "--json").out)
    assert all("locked" not in e["title"] for e in data["entries"])
