"""Search over a real (encrypted, in-memory) journal: queries, filters, practices, and the
index kept right through edits and deletes."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_app.domain.entities import Entry, EntryKind, TreatmentSession
from journal_app.domain.practices import Practice, PracticeDomain, PracticeOutcome
from journal_app.domain.search import (
    MARK_END,
    MARK_START,
    PRACTICE_KIND,
    Query,
    SearchFilters,
    SearchOrder,
)
from journal_app.storage.care import PracticeRepository
from journal_app.storage.repository import JournalRepository
from journal_app.storage.search import SearchService, purge_removed_words
from journal_app.storage.vault import Vault

CET = dt.timezone(dt.timedelta(hours=1))


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=CET)


@pytest.fixture
def vault(tmp_path, fast_kdf):
    vault, _key = Vault.create(tmp_path / "search.ijournal", "calm river stone", kdf=fast_kdf)
    yield vault
    vault.close()


@pytest.fixture
def repo(vault):
    return JournalRepository(vault.db)


@pytest.fixture
def service(vault):
    return SearchService(vault.db)


def add(repo, title, body, *, tags=(), kind=EntryKind.FREE, private=False, when=None,
        session_id=None) -> Entry:
    when = when or at(3, 1)
    return repo.add_entry(Entry(kind=kind, title=title, body=body, tags=tags, private=private,
                                created_at=when, updated_at=when, session_id=session_id))


def titles(service, query, filters=SearchFilters(), order=SearchOrder.NEWEST):  # noqa: B008
    return [r.entry.title if r.entry else f"practice:{r.practice.description}"
            for r in service.search(query, filters, order)]


# --------------------------------------------------------------------------- queries


@pytest.fixture
def written(repo):
    add(repo, "Sea", "The ocean waves were loud and then quiet.", when=at(3, 1))
    add(repo, "Letting go", "Letting go of the old story. It's 10:30 and I'm well-being-ish.",
        when=at(3, 2))
    add(repo, "Nothing", "I could not sleep, NEAR the end AND after.", when=at(3, 3))
    add(repo, "夢", "今日は海の夢を見ました。とても静かでした。", when=at(3, 4))
    add(repo, "Москва", "Я гулял в Москве у реки.", when=at(3, 5))
    add(repo, "بحر", "رأيت البحر في الحلم", when=at(3, 6))
    add(repo, "Waves 🌊", "Felt ❤️ and 🌊 all day. Café au lait after.", when=at(3, 7))
    add(repo, "Work", "Grief at work, the ocean of it.", tags=("grief",), when=at(3, 8))


@pytest.mark.parametrize(("query", "expected"), [
    ("ocea", ["Work", "Sea"]),                           # prefix
    ('"ocean waves"', ["Sea"]),                          # phrase
    ('"waves ocean"', []),
    ('"ocean wa', ["Sea"]),                              # unbalanced quote while typing
    ("ocean -grief", ["Sea"]),                           # excluded word (a tag here)
    ("well-being", ["Letting go"]),
    ("10:30", ["Letting go"]),
    ("it's", ["Letting go"]),
    ("NOT", ["Nothing"]),                                # FTS keywords are plain words
    ("near AND", ["Nothing"]),
    ("ocean*", ["Work", "Sea"]),
    ("海の夢", ["夢"]),                                   # Japanese without spaces
    ("夢", ["夢"]),
    ("山", []),
    ("москв", ["Москва"]),                               # Cyrillic, any case, prefix
    ("البحر", ["بحر"]),                                  # Arabic
    ("🌊", ["Waves 🌊"]),                                 # emoji, in title and body
    ("❤", ["Waves 🌊"]),                                  # with or without the selector
    ("❤️ cafe", ["Waves 🌊"]),                            # emoji and a word, accents folded
    ("🌊 -café", []),
])
def test_what_people_type_finds_what_they_expect(service, written, query, expected):
    assert titles(service, query) == expected


@pytest.mark.parametrize("query", [
    '"', '"unbalanced', "a:b", "title:ocean", "NEAR(", "***", "*", "-", "--", "-ocean",
    "(a OR b)", "^x", '""', 'ocean"sea', "AND", "OR NOT", "'", "\\", "{x}", "[", "🌊🌊🌊",
    "日本語", "русский", "العربية", "\x00", "ocean\x02", "%", "_",
])
def test_odd_queries_never_fail(service, written, query):
    assert isinstance(service.search(query), list)
    assert isinstance(service.search(query, SearchFilters(tags=("grief",))), list)


def test_snippets_mark_the_words_found(service, written):
    (hit,) = service.search("loud")
    assert f"{MARK_START}loud{MARK_END}" in hit.snippet
    (hit,) = service.search("海の夢")
    assert f"{MARK_START}海の夢{MARK_END}" in hit.snippet
    (hit,) = service.search("🌊 felt")
    assert f"{MARK_START}🌊{MARK_END}" in hit.snippet
    assert f"{MARK_START}Felt{MARK_END}" in hit.snippet


def test_relevance_puts_a_title_match_before_a_passing_mention(service, repo):
    add(repo, "Notes", "many words here, and once grief, among other long things " * 3)
    add(repo, "Grief", "A short one.")
    assert titles(service, "grief", order=SearchOrder.RELEVANCE) == ["Grief", "Notes"]


def test_an_empty_search_shows_nothing_but_filters_alone_do(service, written):
    assert service.search("") == []
    assert service.search("-ocean") == []
    assert titles(service, "", SearchFilters(tags=("grief",))) == ["Work"]
    assert titles(service, "-ocean", SearchFilters(date_from=dt.date(2025, 3, 7))) == \
        ["Waves 🌊"]


def test_flow_questions_are_not_found_but_answers_are(service, repo):
    add(repo, "Prep", "## What would you like to understand, feel or change through this "
        "session?\n\nTo trust my body.\n", kind=EntryKind.PREPARATION)
    assert titles(service, "understand") == []
    (hit,) = service.search("trust")
    assert "understand" not in hit.snippet


# --------------------------------------------------------------------------- filters


def test_filters_combine_kind_tag_dates_and_private(service, repo):
    add(repo, "A", "ocean", kind=EntryKind.INTEGRATION, tags=("grief",), when=at(3, 10))
    add(repo, "B private", "ocean", kind=EntryKind.INTEGRATION, tags=("grief",),
        private=True, when=at(3, 11))
    add(repo, "C other kind", "ocean", kind=EntryKind.FREE, tags=("grief",), when=at(3, 12))
    add(repo, "D other tag", "ocean", kind=EntryKind.INTEGRATION, tags=("joy",),
        when=at(3, 13))
    add(repo, "E too late", "ocean", kind=EntryKind.INTEGRATION, tags=("grief",),
        when=at(4, 2))
    add(repo, "F too early", "ocean", kind=EntryKind.INTEGRATION, tags=("grief",),
        when=at(2, 28, 23))
    add(repo, "G no word", "forest", kind=EntryKind.INTEGRATION, tags=("grief",),
        when=at(3, 14))
    march = {"date_from": dt.date(2025, 3, 1), "date_to": dt.date(2025, 3, 31)}
    base = SearchFilters(kinds=frozenset({"integration"}), tags=("grief",), **march)
    assert titles(service, "ocean", base) == ["B private", "A"]
    assert titles(service, "ocean", SearchFilters(
        kinds=base.kinds, tags=base.tags, private=False, **march)) == ["A"]
    assert titles(service, "ocean", SearchFilters(
        kinds=base.kinds, tags=base.tags, private=True, **march)) == ["B private"]
    assert titles(service, "", base) == ["G no word", "B private", "A"]
    two_kinds = SearchFilters(kinds=frozenset({"integration", "free"}), tags=("grief",),
                              private=False, **march)
    assert titles(service, "ocean", two_kinds) == ["C other kind", "A"]
    assert titles(service, "ocean", SearchFilters(tags=("grief", "joy"))) == []


def test_date_filter_uses_the_day_the_entry_was_written_there(service, repo):
    late_evening = dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    add(repo, "Late", "ocean", when=late_evening)  # already 2 March in UTC
    assert titles(service, "ocean", SearchFilters(date_from=dt.date(2025, 3, 1),
                                                  date_to=dt.date(2025, 3, 1))) == ["Late"]


def test_session_filter_and_practices(service, repo, vault):
    one = repo.add_session(TreatmentSession(starts_at=at(3, 1, 9), number=1))
    two = repo.add_session(TreatmentSession(starts_at=at(3, 15, 9), number=2))
    add(repo, "First day 3", "walk by the river", session_id=one.id, when=at(3, 4))
    add(repo, "Second day 3", "walk in the park", session_id=two.id, when=at(3, 18))
    practices = PracticeRepository(vault.db)
    practices.add_practice(Practice(PracticeDomain.NATURE, "A walk by the river each morning",
                                    session_id=one.id, chosen_at=at(3, 4, 13)))
    done = practices.add_practice(Practice(PracticeDomain.BODY, "Stretching",
                                           session_id=two.id, chosen_at=at(3, 18, 13)))
    practices.update_practice(done.with_outcome(PracticeOutcome.DONE, "Felt loose, walked too"))

    assert titles(service, "walk") == ["practice:Stretching", "Second day 3",
                                       "practice:A walk by the river each morning",
                                       "First day 3"]
    assert titles(service, "walk", SearchFilters(session_id=one.id)) == [
        "practice:A walk by the river each morning", "First day 3"]
    only_practices = SearchFilters(kinds=frozenset({PRACTICE_KIND}))
    assert titles(service, "river", only_practices) == [
        "practice:A walk by the river each morning"]
    assert titles(service, "river", SearchFilters(tags=("grief",))) == []
    (hit,) = service.search("loose", only_practices)
    assert hit.practice.outcome is PracticeOutcome.DONE
    assert f"{MARK_START}loose{MARK_END}" in hit.snippet


def test_find_then_load_in_slices_gives_the_same_rows(service, repo):
    for day in range(1, 26):
        add(repo, f"Day {day}", "ocean again", when=at(3, day))
    matches = service.find("ocean", order=SearchOrder.NEWEST)
    assert len(matches) == 25
    loaded = service.load(Query.parse("ocean"), matches[:10]) + \
        service.load(Query.parse("ocean"), matches[10:])
    assert [r.entry.title for r in loaded] == [f"Day {d}" for d in range(25, 0, -1)]


# --------------------------------------------------------------------------- the index


def test_index_follows_edits(service, repo):
    entry = add(repo, "Draft", "the lighthouse at dusk")
    repo.update_entry(entry.edited(body="the harbour at dawn", tags=("sea",)))
    assert service.search("lighthouse") == []
    assert titles(service, "harbour") == ["Draft"]
    assert titles(service, "sea") == ["Draft"]  # tags are searchable


def test_words_edited_away_leave_the_image_once_the_index_is_merged(service, repo, vault):
    for n in range(30):
        add(repo, f"Filler {n}", f"ordinary words number {n} " * 10)
    entry = add(repo, "Draft", "zanzibarquux was a name I wrote")
    repo.update_entry(entry.edited(body="a name I no longer keep here"))
    assert service.search("zanzibarquux") == []
    # FTS5 keeps a replaced row's words in an older segment until merged (SQLite 3.40
    # has no 'secure-delete' option yet), which the app does before the last save.
    purge_removed_words(vault.db)
    assert b"zanzibarquux" not in vault.db.serialize()
    assert titles(service, "longer") == ["Draft"]


def test_a_deleted_entry_is_not_found_nor_left_in_the_image(service, repo, vault):
    keep = add(repo, "Keep", "an ordinary morning")
    gone = add(repo, "Gone", "zanzibarquux secretword in a body", tags=("tagquuxword",))
    repo.delete_entry(gone.id)
    assert service.search("zanzibarquux") == []
    assert service.search("tagquuxword") == []
    image = vault.db.serialize()
    for word in (b"zanzibarquux", b"secretword", b"tagquuxword"):
        assert word not in image
    assert titles(service, "morning") == [keep.title]
    vault.db.conn.execute("INSERT INTO entries_fts(entries_fts) VALUES('integrity-check')")


def test_repository_search_keeps_its_old_contract(repo, written):
    hits = repo.search("ocean", newest_first=True)
    assert [h.entry.title for h in hits] == ["Work", "Sea"]
    assert MARK_START in hits[0].snippet
    add(repo, "Hidden", "ocean", private=True, when=at(5, 1))
    assert "Hidden" not in [h.entry.title for h in repo.search("ocean", include_private=False)]
    assert repo.search("ocean", limit=1)[0].entry.title in {"Work", "Sea", "Hidden"}


@pytest.mark.parametrize("order", list(SearchOrder))
def test_a_limited_search_gives_the_first_rows_of_the_whole_answer(service, repo, vault, order):
    """The limit is applied in SQL (and practices, which come first by relevance, counted
    in): every limit gives exactly the start of the unlimited answer."""
    session = repo.add_session(TreatmentSession(starts_at=at(3, 1, 9), number=1))
    for day in range(1, 13):
        title = "Tide" if day % 4 == 0 else f"Day {day}"  # a title match ranks higher
        add(repo, title, "the tide came in " * (day % 3 + 1), when=at(3, day),
            session_id=session.id)
    practices = PracticeRepository(vault.db)
    for day in (2, 7, 11):
        practices.add_practice(Practice(PracticeDomain.NATURE, f"Watch the tide, week {day}",
                                        session_id=session.id, chosen_at=at(3, day, 12)))
    whole = service.search("tide", order=order)
    assert len(whole) == 15
    for limit in range(1, 17):
        limited = service.search("tide", order=order, limit=limit)
        assert [(r.kind, r.entry_id, r.practice and r.practice.id, r.rank, r.snippet)
                for r in limited] == [
            (r.kind, r.entry_id, r.practice and r.practice.id, r.rank, r.snippet)
            for r in whole[:limit]]
