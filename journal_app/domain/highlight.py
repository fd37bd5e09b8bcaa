"""Finding a parsed query in plain text, for what FTS5 can't mark: titles, practices, and
plain-text (substring) terms; and turning marked snippets into safe HTML.

Words are compared the way the FTS5 ``unicode61 remove_diacritics 2`` index compares them:
lower case, accents dropped, a word term matching at the start of a word.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from journal_app.domain.search import MARK_END, MARK_START, Query, Term

SNIPPET_BEFORE = 50  # characters of context before the first match in a built snippet
SNIPPET_LENGTH = 180
_ALNUM = r"[^\W_]"
_SPACES = re.compile(r"\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_TASK_DONE = re.compile(r"^\s*[-*+]\s+\[[xX]\]\s+", re.MULTILINE)
_TASK_OPEN = re.compile(r"^\s*[-*+]\s+\[ \]\s+", re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*+]\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*\*|__")

Span = tuple[int, int]


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased without accents, and the original index of each folded char."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        bare = "".join(c for c in unicodedata.normalize("NFD", char)
                       if not unicodedata.combining(c)).lower()
        folded.append(bare)
        origin.extend([index] * len(bare))
    return "".join(folded), origin


def _word_pattern(term: Term) -> re.Pattern[str] | None:
    words = [w for w in (_fold(w)[0] for w in term.words) if w]
    if not words:
        return None
    body = r"[\W_]+".join(re.escape(w) for w in words)
    tail = _ALNUM + "*" if term.prefix else f"(?!{_ALNUM})"
    return re.compile(f"(?<!{_ALNUM}){body}{tail}")


def term_spans(text: str, term: Term) -> list[Span]:
    """Where ``term`` occurs in ``text`` (indices into ``text``)."""
    if term.substring:
        spans, start = [], text.find(term.text)
        while start >= 0 and term.text:
            spans.append((start, start + len(term.text)))
            start = text.find(term.text, start + len(term.text))
        return spans
    pattern = _word_pattern(term)
    folded, origin = _fold(text)
    if pattern is None or not folded.strip():
        return []
    spans = []
    for match in pattern.finditer(folded):
        if match.end() > match.start():
            spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    return spans


def query_spans(text: str, query: Query) -> list[Span]:
    """Every wanted term's occurrences, merged and sorted."""
    spans = [s for t in query.terms if not t.negated for s in term_spans(text, t)]
    return _merge(spans)


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def matches(text: str, query: Query) -> bool:
    """True when every wanted term is in ``text`` and no excluded one is."""
    if query.is_empty:
        return False
    return all(bool(term_spans(text, t)) != t.negated for t in query.terms)


def mark(text: str, spans: Iterable[Span]) -> str:
    out, last = [], 0
    for start, end in _merge(spans):
        out += [text[last:start], MARK_START, text[start:end], MARK_END]
        last = end
    out.append(text[last:])
    return "".join(out)


def mark_terms(text: str, query: Query) -> str:
    return mark(text, query_spans(text, query))


def add_substring_marks(marked: str, query: Query) -> str:
    """Mark the query's plain-text terms in a snippet FTS5 already marked (its marks stay)."""
    if not query.substrings:
        return marked
    plain_terms = Query(query.text, tuple(t for t in query.terms if t.substring))
    parts = re.split(f"({MARK_START}.*?{MARK_END})", marked, flags=re.DOTALL)
    return "".join(part if part.startswith(MARK_START) else mark_terms(part, plain_terms)
                   for part in parts)


def build_snippet(text: str, query: Query, length: int = SNIPPET_LENGTH) -> str:
    """A marked piece of ``text`` around its first match (or its start)."""
    spans = query_spans(text, query)
    start = max(0, spans[0][0] - SNIPPET_BEFORE) if spans else 0
    if start:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if start - space < 15 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    piece = mark(text[start:end], [(a - start, b - start) for a, b in spans
                                   if a >= start and b <= end])
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


def tidy_snippet(marked: str) -> str:
    """One line, without the Markdown signs that read as noise out of context."""
    text = _HEADING.sub("", marked)
    text = _TASK_DONE.sub("✓ ", text)
    text = _TASK_OPEN.sub("", text)
    text = _BULLET.sub("• ", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def marked_to_html(marked: str) -> str:
    """HTML for a marked snippet: the text escaped first, then the marks made bold. A mark
    left open by a cut snippet is closed."""
    out: list[str] = []
    bold = False
    for part in re.split(f"([{MARK_START}{MARK_END}])", marked):
        if part == MARK_START and not bold:
            out.append("<b>")
            bold = True
        elif part == MARK_END and bold:
            out.append("</b>")
            bold = False
        elif part not in (MARK_START, MARK_END):
            out.append(html.escape(part, quote=False))
    if bold:
        out.append("</b>")
    return "".join(out)
