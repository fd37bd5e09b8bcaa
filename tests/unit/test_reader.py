"""The plain-sqlite3 reader gives exactly what the ORM repositories give, so the command
line's ``list``/``show``/``search`` (which use it) show the same journal as the GUI."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession, display_title_of
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.storage import reader
from journal_app.storage.care import PracticeRepository
from journal_app.storage.database import Database
from journal_app.storage.repository import JournalRepository

TZ = dt.timezone(dt.timedelta(hours=-5))


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2025, 4, day, hour, 30, tzinfo=TZ)


@pytest.fixture
def db():
    db = Database()
    db.migrate()
    yield db
    db.close()


@pytest.fixture
def journal(db):
    repo = JournalRepository(db)
    session = repo.add_session(TreatmentSession(starts_at=at(1), number=1))
    repo.add_entry(Entry(kind=EntryKind.FREE, title="Plain", body="Just words.",
                         created_at=at(2), updated_at=at(3)))
    repo.add_entry(Entry(kind=EntryKind.INTEGRATION, title="", body="# Héllo\nwith ünïcode",
                         tags=("zebra", "Élan", "apple", "ocean swim", "日記"), private=True,
                         created_at=at(4, 22), updated_at=at(4, 23), session_id=session.id))
    repo.add_entry(Entry(kind=EntryKind.FREE, title="Same moment", body="tie on time",
                         created_at=at(2), updated_at=at(2)))
    practices = PracticeRepository(db)
    practices.add_practice(Practice(PracticeDomain.BODY, "Stretch", session_id=session.id,
                                    chosen_at=at(5)))
    done = practices.add_practice(Practice(PracticeDomain.NATURE, "Walk", chosen_at=at(3)))
    practices.update_practice(done.with_outcome(PracticeOutcome.PARTLY, "twice", at(6)))
    return repo, practices


def test_entries_are_the_repository_entries_newest_first(db, journal):
    repo, _ = journal
    assert reader.list_entries(db.conn) == repo.list_entries()
    tagged = next(e for e in reader.list_entries(db.conn) if e.tags)
    assert tagged.tags == ("apple", "ocean swim", "zebra", "élan", "日記")  # by name
    assert tagged.private is True


def test_one_entry_and_entries_by_id(db, journal):
    repo, _ = journal
    for entry in repo.list_entries():
        assert reader.get_entry(db.conn, entry.id) == entry
    assert reader.get_entry(db.conn, 999) is None
    ids = [e.id for e in repo.list_entries()]
    assert reader.entries_by_id(db.conn, [*ids, 999]) == {i: repo.get_entry(i) for i in ids}


def test_practices_are_the_repository_practices(db, journal):
    _, practices = journal
    assert reader.practices(db.conn) == sorted(practices.list_practices(),
                                               key=lambda p: p.id)


def test_counts(db, journal):
    assert reader.count_entries(db.conn) == 3
    assert reader.count_sessions(db.conn) == 1


# --------------------------------------------------------------------------- list lines


def _line_of(entry: Entry) -> reader.EntryLine:
    """What list_lines must give for ``entry``: its own values."""
    return reader.EntryLine(entry.id, entry.kind, entry.display_title, entry.private,
                            entry.created_at, entry.tags)


LONG_LINE = "word " * 80  # one line of 400 characters: longer than what is read first


@pytest.fixture
def odd_journal(db, journal):
    """The journal above, plus entries whose display title or tags are hard to get right
    from the start of a body, and rows written by older versions (not normalized)."""
    repo, _ = journal
    bodies = [
        LONG_LINE, "\n" * 300 + "found far down", " \t" * 200 + "# spaced heading\nrest",
        "#" * 300 + " hashes then words", "# " + "x" * 78 + " # #" + " " * 300 + "end",
        "a" * 79 + " " * 300 + "b", "\u3000\u2028" * 150 + "after unicode space",
        "short", "", "   ", "line one\r\nline two", "\x0b\x1c" * 140 + "vt and fs",
        "x" * 255 + "\n" + "second", "x" * 256 + "\nsecond", "🌊" * 300,
    ]
    for i, body in enumerate(bodies):
        repo.add_entry(Entry(kind=EntryKind.QUICK_CAPTURE if i % 3 == 0 else EntryKind.FREE,
                             title="" if i % 4 else " \t ", body=body, private=i % 2 == 0,
                             tags=("#odd one", "ünï", "a,b", '"quoted"', "[x]")[: i % 6],
                             created_at=at(10 + i % 3, 8)))
    repo.add_entry(Entry(kind=EntryKind.FREE, title="\n\t", body="title is blank space",
                         created_at=at(9)))
    # As an older version may have stored them: a naive time, a tag not normalized.
    db.conn.execute("INSERT INTO entries (uid, kind, title, body, private, created_at, "
                    "updated_at) VALUES ('old1', 'free', '', 'naive time', 0, "
                    "'2025-04-08T07:15:00', '2025-04-08T07:15:00')")
    entry_id = db.conn.execute("SELECT id FROM entries WHERE uid = 'old1'").fetchone()[0]
    db.conn.execute("INSERT INTO tags (name) VALUES ('  Not  Normal ')")
    db.conn.execute("INSERT INTO entry_tags (entry_id, tag_id) SELECT ?, id FROM tags "
                    "WHERE name = '  Not  Normal '", (entry_id,))
    return repo


def test_list_lines_are_the_entries_values_in_the_same_order(db, odd_journal):
    expected = [_line_of(e) for e in reader.list_entries(db.conn)]
    assert reader.list_lines(db.conn) == expected
    assert expected == [_line_of(e) for e in odd_journal.list_entries()]  # the ORM's too
    assert {line.private for line in expected} == {True, False}
    assert any(line.tags == ("not normal",) for line in expected)
    assert len(expected) == 20


#: Bodies made of runs of one character (long lines, long runs of space or "#", blank
#: lines of every kind of line break), cut anywhere.
_RUNS = st.lists(st.tuples(st.sampled_from("ab #\t\n\r\u3000\u2028\x0b\u00e9"),
                           st.integers(min_value=1, max_value=120)), max_size=8)


@settings(max_examples=500, deadline=None)
@given(runs=_RUNS, cut=st.integers(min_value=0, max_value=400))
@example(runs=[("a", 79), ("#", 50), ("\n", 1)], cut=100)  # the end's strip reaches back
@example(runs=[("a", 79), (" ", 50), ("\n", 1)], cut=100)
@example(runs=[("#", 2), (" ", 1), ("a", 200)], cut=100)
def test_a_title_decided_from_the_start_of_a_body_is_its_title(runs, cut):
    body = "".join(char * count for char, count in runs)
    start = body[:cut]
    decided = reader._title_from_start(start)
    if decided is not None:
        assert decided == display_title_of("", body)


def test_list_lines_reads_a_body_only_as_far_as_its_title_needs(db):
    repo = JournalRepository(db)
    for i in range(30):  # untitled, each body one long paragraph: the usual journal
        repo.add_entry(Entry(kind=EntryKind.FREE, title="", body=f"Day {i}. " + LONG_LINE * 5))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        lines = reader.list_lines(db.conn)
    finally:
        db.conn.set_trace_callback(None)
    assert [line.display_title for line in lines] == [
        e.display_title for e in reader.list_entries(db.conn)]
    assert len(statements) == 1  # one query, no whole body read
