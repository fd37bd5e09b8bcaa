"""The command line and the journal file's change records (format 3, issue 19).

A one-thing write (``add``, ``checkin``, ``session add``) whose save only added rows leaves
that save as one record appended to the file, instead of rewriting the whole journal when
it closes; the rest of the file is byte for byte as it was. And a journal whose last save
did not finish (a torn record at its end) opens at the save before, which every verb says
in one calm line on stderr.
"""

from __future__ import annotations

import json

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.storage import fileformat as ff
from journal_app.storage import savelog
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import PASS, make_journal

SECRET = Secret(passphrase=PASS)
UNIT = 4096  # a change record is a whole number of 4 KiB units


def _base_end(data: bytes) -> int:
    return ff.parse(data).body_end


def _titles(path) -> list[str]:
    with Vault.open(path, SECRET, lock=False) as vault:
        return sorted(e.title for e in JournalRepository(vault.db).list_entries())


def test_add_appends_one_record_and_leaves_the_rest_of_the_file_as_it_was(cli, journal):
    before = journal.read_bytes()
    assert len(before) == _base_end(before)  # a new journal: a whole image
    result = cli("add", journal, "--title", "Evening walk", "--tag", "walk",
                 stdin="The air was cold and I felt steady.")
    assert result.code == 0, result.err
    after = journal.read_bytes()
    assert after[:len(before)] == before  # the base (and everything before) untouched
    grown = len(after) - len(before)
    assert grown > 0 and grown % UNIT == 0 and _base_end(after) == len(before)
    with Vault.open(journal, SECRET, lock=False) as vault:
        assert vault.records == 1 and vault.unfinished_save is None
    assert _titles(journal) == ["Evening walk"]
    shown = cli("show", journal, result.out.strip())
    assert shown.code == 0, shown.err
    assert "Evening walk" in shown.out and "The air was cold and I felt steady." in shown.out
    assert "walk" in shown.out


def test_many_adds_stay_right_and_compact_at_the_logs_bound(cli, journal, monkeypatch):
    monkeypatch.setattr(savelog, "LOG_MAX_RECORDS", 3)
    bases = set()
    titles = [f"note {i}" for i in range(8)]
    for title in titles:
        assert cli("add", journal, "--title", title, stdin=f"Body of {title}.").code == 0
        data = journal.read_bytes()
        bases.add(data[:_base_end(data)])
        with Vault.open(journal, SECRET, lock=False) as vault:
            assert vault.records <= 3
    assert len(bases) > 2  # the log's bound was reached: whole new images were written
    assert _titles(journal) == sorted(titles)
    listed = json.loads(cli("list", journal, "--json").out)
    assert sorted(e["title"] for e in listed["entries"]) == sorted(titles)
    verified = cli("verify", journal)
    assert verified.code == 0, verified.err
    assert "Integrity:       ok" in verified.out


@pytest.mark.parametrize("argv", [
    ("checkin", "J", "mood", "--answers", "5"),
    ("session", "add", "J", "--date", "2026-03-02T10:00+01:00"),
], ids=lambda a: a[0])
def test_a_check_in_or_session_added_appends_one_record(cli, journal, argv):
    assert cli("add", journal, "--title", "Morning", stdin="Slept well.").code == 0
    before = journal.read_bytes()
    result = cli(*[journal if a == "J" else a for a in argv])
    assert result.code == 0, result.err
    after = journal.read_bytes()
    assert after[:len(before)] == before and len(after) > len(before)
    listing = cli("scores" if argv[0] == "checkin" else "sessions", journal, "--json")
    assert listing.code == 0 and json.loads(listing.out)


def test_import_still_writes_the_whole_journal(cli, journal, tmp_path):
    """A verb that may change rows closes as before: the records are folded in."""
    other = make_journal(tmp_path / "other.ijournal")[0]
    assert cli("add", other, "--title", "Evening", stdin="text").code == 0
    export = tmp_path / "out.json"
    assert cli("export", other, "--format", "json", "--out", export).code == 0
    assert cli("add", journal, "--title", "Morning", stdin="text").code == 0
    before = journal.read_bytes()
    assert len(before) > _base_end(before)
    result = cli("import", journal, export)
    assert result.code == 0, result.err
    after = journal.read_bytes()
    assert len(after) == _base_end(after) and after[:UNIT] != before[:UNIT]
    assert _titles(journal) == ["Evening", "Morning"]


# --------------------------------------------------------------------------- unfinished save

NOTICE = ("The last save of this journal did not finish; it opened as it was at the save "
          "before.")


@pytest.fixture
def torn(journal, tmp_path, monkeypatch):
    """A journal whose last save was cut off while it was appended (as a crash leaves it):
    "kept" is in a whole record, "lost" in the torn last one. This computer's record of
    generations never saw the lost save (it is noted after an append lands)."""
    vault = Vault.open(journal, SECRET)
    repo = JournalRepository(vault.db)
    for title in ("kept", "lost"):
        repo.add_entry(Entry(EntryKind.FREE, title, f"secret words of {title}"))
        vault.save()
    assert vault.records == 2
    vault.close(compact=False)
    data = journal.read_bytes()
    journal.write_bytes(data[:-1000])
    monkeypatch.setenv("JOURNAL_APP_STATE_DIR", str(tmp_path / "fresh-state"))
    return journal


def _said_once(err: str) -> None:
    assert err.count(NOTICE) == 1
    assert "secret words" not in err and "kept" not in err and "lost" not in err


@pytest.mark.parametrize("argv", [("list",), ("search", "words"), ("verify",), ("sessions",),
                                  ("due",), ("scores",)], ids=lambda a: a[0])
def test_readers_say_the_last_save_did_not_finish(cli, torn, argv):
    result = cli(argv[0], torn, *argv[1:])
    assert result.code == 0, result.err
    _said_once(result.err)


def test_json_output_stays_parseable_and_the_notice_is_on_stderr(cli, torn):
    result = cli("list", torn, "--json")
    assert result.code == 0, result.err
    assert [e["title"] for e in json.loads(result.out)["entries"]] == ["kept"]
    assert NOTICE not in result.out
    _said_once(result.err)


def test_a_writer_says_it_and_its_save_writes_the_journal_whole(cli, torn):
    result = cli("add", torn, "--title", "after", stdin="text")
    assert result.code == 0, result.err
    _said_once(result.err)
    data = torn.read_bytes()
    assert len(data) == _base_end(data)  # the torn tail is gone
    assert _titles(torn) == ["after", "kept"]
    again = cli("list", torn)
    assert again.code == 0 and NOTICE not in again.err


def test_passwd_says_it_too(cli, torn, monkeypatch):
    monkeypatch.setenv("JOURNAL_APP_NEW_PASSPHRASE", "a different, newer passphrase")
    result = cli("passwd", torn)
    assert result.code == 0, result.err
    _said_once(result.err)
    assert cli("list", torn, passphrase="a different, newer passphrase").out.count("kept") == 1


def test_nothing_is_said_after_a_finished_save(cli, journal):
    for title in ("a", "b"):  # the second leaves a whole record at the end
        result = cli("add", journal, "--title", title, stdin="x")
        assert result.code == 0 and NOTICE not in result.err
    result = cli("list", journal)
    assert result.code == 0 and NOTICE not in result.err
