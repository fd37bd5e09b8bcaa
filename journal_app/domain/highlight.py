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
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_TASK_DONE = re.compile(r"^[ \t]*[-*+][ \t]+\[[xX]\][ \t]+", re.MULTILINE)
_TASK_OPEN = re.compile(r"^[ \t]*[-*+][ \t]+\[ \][ \t]+", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*\*|__")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")

Span = tuple[int, int]


def _fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` lower-cased without accents, and the original index of each folded char
    (None when they line up one to one, the common case, which needs no per-char work)."""
    lower = text.lower()
    if len(lower) == len(text) and (text.isascii() or unicodedata.normalize("NFD", text)
                                    == text == unicodedata.normalize("NFC", text)):
        return lower, None
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
        start, end = match.span()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        spans.append((start, end))
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


def _best_start(text: str, query: Query, length: int) -> tuple[int, list[Span]]:
    """Where a snippet should start to show the most different terms, and every span."""
    found = [(span, n) for n, t in enumerate(query.terms) if not t.negated
             for span in term_spans(text, t)]
    found.sort()
    best, best_score = 0, 0
    for (start, _end), _n in found[:100]:
        begin = max(0, start - SNIPPET_BEFORE)
        score = len({n for (s, e), n in found if s >= begin and e <= begin + length})
        if score > best_score:
            best, best_score = begin, score
    return best, _merge(span for span, _n in found)


def build_snippet(text: str, query: Query, length: int = SNIPPET_LENGTH) -> str:
    """A marked piece of ``text`` where the most different terms are (or its start)."""
    start, spans = _best_start(text, query, length)
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
    """One line, without the Markdown signs that read as noise out of context;
    paragraphs (and a flow's separate answers) are kept apart by " · "."""
    text = _HEADING.sub("", marked)
    text = _TASK_DONE.sub("✓ ", text)
    text = _TASK_OPEN.sub("", text)
    text = _BULLET.sub("• ", text)
    text = _EMPHASIS.sub("", text).strip()
    text = _PARAGRAPH.sub(" · ", text)  # answers and paragraphs stay apart
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
