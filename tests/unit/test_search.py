"""Queries as people type them: parsing to FTS5 and plain-text terms, highlighting, HTML."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal_app.domain import highlight
from journal_app.domain.search import (
    MARK_END,
    MARK_START,
    PRACTICE_KIND,
    Query,
    SearchFilters,
    indexed_body,
)


def terms(text: str) -> list[tuple[str, bool, bool, bool, bool]]:
    """(text, phrase, prefix, negated, substring) of each term."""
    return [(t.text, t.phrase, t.prefix, t.negated, t.substring)
            for t in Query.parse(text).terms]


def test_words_are_prefixes_and_quotes_make_phrases():
    assert terms("ocea") == [("ocea", False, True, False, False)]
    assert terms('"letting go"') == [("letting go", True, False, False, False)]
    # while the closing quote is still to come, the last word is a prefix
    assert terms('"letting g') == [("letting g", True, True, False, False)]


def test_minus_excludes_and_punctuation_joins_words_into_a_phrase():
    assert terms("grief -work") == [("grief", False, True, False, False),
                                    ("work", False, True, True, False)]
    assert terms("well-being") == [("well being", True, True, False, False)]
    assert terms("10:30") == [("10 30", True, True, False, False)]
    assert terms("-") == [] and terms("*") == [] and terms('"') == []


def test_fts_keywords_are_words_not_operators():
    query = Query.parse("NOT AND OR NEAR(")
    assert query.fts() == '"NOT"* AND "AND"* AND "OR"* AND "NEAR"*'


def test_scripts_without_spaces_and_emoji_are_plain_text_terms():
    assert terms("海の夢") == [("海の夢", False, False, False, True)]
    assert terms("🌊 ocean") == [("🌊", False, False, False, True),
                                ("ocean", False, True, False, False)]
    # the emoji variation selector is dropped, so ❤️ finds ❤ and the other way round
    assert Query.parse("❤️").substrings == ("❤",)
    assert Query.parse("-🌊").excluded_substrings == ("🌊",)


def test_cyrillic_and_arabic_are_words():
    assert terms("Москва") == [("Москва", False, True, False, False)]
    assert terms("العربية") == [("العربية", False, True, False, False)]


@given(st.text(max_size=40))
def test_any_text_gives_a_balanced_fts_expression(text):
    expr = Query.parse(text).fts()
    if expr is not None:
        assert expr.count('"') % 2 == 0
        assert expr.count("(") == expr.count(")")


def test_title_highlighting_ignores_case_and_accents_and_keeps_the_text():
    query = Query.parse("cafe ocea")
    marked = highlight.mark_terms("Café by the Ocean", query)
    assert marked == f"{MARK_START}Café{MARK_END} by the {MARK_START}Ocean{MARK_END}"
    assert highlight.mark_terms("a cafeteria", Query.parse('"cafe"')) == "a cafeteria"


def test_matching_needs_every_term_and_no_excluded_one():
    walk = "A walk by the river, three mornings"
    assert highlight.matches(walk, Query.parse("walk river"))
    assert not highlight.matches(walk, Query.parse("walk -river"))
    assert highlight.matches(walk, Query.parse('"by the river"'))
    assert not highlight.matches(walk, Query.parse('"the by"'))
    assert highlight.matches("海辺を歩く", Query.parse("海辺"))


def test_built_snippet_is_cut_around_the_match():
    text = "word " * 60 + "the ocean came back " + "word " * 60
    snippet = highlight.build_snippet(text, Query.parse("ocean"))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert f"{MARK_START}ocean{MARK_END}" in snippet
    assert len(snippet) < 220


def test_html_escapes_the_text_before_making_marks_bold():
    marked = f"<script>x</script> & {MARK_START}ocean{MARK_END} {MARK_START}cut"
    assert highlight.marked_to_html(marked) == (
        "&lt;script&gt;x&lt;/script&gt; &amp; <b>ocean</b> <b>cut</b>")


def test_tidy_snippet_drops_markdown_signs_and_keeps_paragraphs_apart():
    marked = (f"## A heading\n\n**I saw** the {MARK_START}ocean{MARK_END}\nagain\n\n\n\n"
              "- [x] Calm\n- [ ] Sad\n\n- a walk")
    assert highlight.tidy_snippet(marked) == (
        f"A heading · I saw the {MARK_START}ocean{MARK_END} again · ✓ Calm Sad · • a walk")


def test_indexed_body_leaves_out_the_flows_questions_and_unticked_options():
    body = ("## What would you like to understand, feel or change through this session?\n\n"
            "To feel less alone.\n\n- [x] Calm\n- [ ] Sad\n- [ ] call my sister\n\n6 / 10\n")
    indexed = indexed_body(body)
    assert "understand" not in indexed and "6 / 10" not in indexed
    assert "To feel less alone." in indexed and "- [x] Calm" in indexed
    assert "Sad" not in indexed
    assert "- [ ] call my sister" in indexed  # the person's own to-do stays searchable


def test_filters_know_what_they_want():
    assert SearchFilters().is_empty
    assert SearchFilters(tags=("#Grief ",)).tags == ("grief",)
    assert not SearchFilters(tags=("grief",)).wants_practices()  # practices have no tags
    assert not SearchFilters(private=True).wants_practices()
    assert SearchFilters(kinds=frozenset({PRACTICE_KIND})).wants_practices()
    assert not SearchFilters(kinds=frozenset({PRACTICE_KIND})).wants_entries()
    with pytest.raises(ValueError):
        SearchFilters(kinds=frozenset({"nonsense"}))
