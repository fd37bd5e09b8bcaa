"""``list`` prints from reader.list_lines (no whole bodies): exactly the lines it printed
from whole entries (reader.list_entries), on a journal with private entries, quick notes,
odd tags, untitled entries whose title is far into a long body, and ties on time."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from journal_app.cli.common import when
from journal_app.cli.journal_verbs import _entry_line
from journal_app.cli.output import terminal_text
from journal_app.domain.entities import Entry, EntryKind
from journal_app.storage import reader
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import PASS

TIMES = [dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=h)))
         for h in (-5, 0, 2)]


def _fill(path) -> str:
    """Entries of every awkward sort; returns what the old path prints for them."""
    with Vault.open(path, Secret(passphrase=PASS)) as vault:
        repo = JournalRepository(vault.db)
        bodies = ["", "one line", "word " * 200, "\n\n" * 200 + "## Far down\nmore",
                  "# " + "t" * 100, "\t\u3000 leading space kinds\nsecond",
                  "\x1b[31mred\x1b[0m escape", "multi\nline\nbody"]
        tags = [(), ("#Hash",), ("Two  Spaces", "ünïcödé"), ("a,b", '"q"', "[x]", "日記"),
                ("emoji 🌊",)]
        for i in range(40):
            repo.add_entry(Entry(
                kind=list(EntryKind)[i % len(EntryKind)], title="" if i % 3 else f"T{i}",
                body=bodies[i % len(bodies)], tags=tags[i % len(tags)], private=i % 4 == 1,
                created_at=TIMES[i % 3] + dt.timedelta(days=i % 5)))
        vault.save()
        lines = [_entry_line(e) for e in reader.list_entries(vault.db.conn)]
    return terminal_text("\n".join(lines)) + "\n"  # as emit prints them


def test_list_prints_what_the_whole_entries_printed(cli, journal):
    expected = _fill(journal)
    result = cli("list", journal)
    assert result.code == 0, result.err
    assert result.out == expected
    assert "[private]" in result.out and "[written while locked]" in result.out
    assert "#two spaces #ünïcödé" in result.out and "Far down" in result.out
    assert result.out.count("\n") == 40


def test_list_of_an_empty_journal_says_so(cli, journal):
    result = cli("list", journal)
    assert (result.code, result.out) == (0, "")
    assert "no entries yet" in result.err


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 30),
                    timezones=st.just(dt.UTC) | st.builds(
                        dt.timezone, st.timedeltas(min_value=-dt.timedelta(hours=23),
                                                   max_value=dt.timedelta(hours=23)))))
def test_when_is_the_strftime_it_replaces(value):
    assert when(value) == value.strftime("%Y-%m-%d %H:%M")
